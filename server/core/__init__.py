"""Configuration, database and security of the backend."""
