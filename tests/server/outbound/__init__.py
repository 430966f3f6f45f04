"""Tests of the outbound campaigns on the server (issue 12)."""
