"""Tests of the backend (server/): the real server over HTTP on SQLite and PostgreSQL."""
