"""The central server's own tables and engine (PostgreSQL in deployments, a SQLite file by default)."""
