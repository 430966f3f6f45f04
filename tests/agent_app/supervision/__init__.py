"""Tests of supervision: the seat reporter, the board, monitoring, teams."""
