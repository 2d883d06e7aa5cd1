"""Inserts of both dialects, and statements built once.

The statements the office runs on every push are module constants with bound parameters (and
``many`` for a list), or built once per dialect here: building and keying a SQLAlchemy statement
costs more CPU than SQLite takes to run it, and a push runs some twenty.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Connection, Table, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

CHUNK = 500  # keys per IN (…): well under SQLite's and PostgreSQL's limits on parameters


def dialect_insert(conn: Connection, table: Table) -> Any:
    """The INSERT of the connection's dialect (``on_conflict_…`` differs between the two)."""
    return pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)


def many(name: str) -> BindParameter[Any]:
    """A parameter that takes a list (``IN (…)``, expanded when run)."""
    return bindparam(name, expanding=True)


@cache
def _insert_ignore_stmt(dialect: str, table: Table, key: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing().returning(table.c[key])


@cache
def _insert_new_stmt(dialect: str, table: Table) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], key: str) -> set[Any]:
    """Insert rows whose key is new; returns the keys this statement inserted.

    A concurrent transaction inserting the same key makes PostgreSQL wait for it and then skip
    the row: the caller re-reads those keys instead of failing on a unique violation.
    """
    if not rows:
        return set()
    stmt = _insert_ignore_stmt(conn.dialect.name, table, key)
    return {r[0] for r in conn.execute(stmt, list(rows))}


def insert_new(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the rows whose key is new; the others are left as they are."""
    if rows:
        conn.execute(_insert_new_stmt(conn.dialect.name, table), list(rows))
