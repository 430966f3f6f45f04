"""Alembic migrations of the backend schema (run by server.core.db.migrate)."""
