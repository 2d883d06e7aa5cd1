"""Alembic environment for a laptop workspace (SQLite, batch mode for ALTER TABLE)."""

from alembic import context
from sqlalchemy import Connection, create_engine

import inspector_app.store.sync_tables  # noqa: F401
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


def _is_modelled(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # The FTS5 index and its shadow tables are made by hand-written SQL (0003), not by the models.
    return not (type_ == "table" and name is not None and name.startswith("enterprise_fts"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=True, include_object=_is_modelled
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
