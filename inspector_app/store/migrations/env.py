"""Alembic environment for a laptop workspace (SQLite, batch mode for ALTER TABLE)."""

from alembic import context
from sqlalchemy import Connection, create_engine

from inspector_app.store.tables import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""


def run_migrations() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # batch mode recreates tables
        _run(connection)
        connection.commit()  # the PRAGMA autobegan a transaction that Alembic will not commit itself
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
