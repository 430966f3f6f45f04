"""Widgets of supervision: the board, the monitor bar, the teams dialog."""
