"""The laptop's storage: SQLite through SQLModel, migrated by Alembic, inside a workspace folder."""
