"""Queries and bulk writes on the register's enterprises (grids, teams, inspectors and assignments:
``store.organisation``).

Bulk paths use SQLAlchemy Core ``executemany`` (one prepared statement, many parameter sets): an
ORM object per row would cost several times the whole import budget at 100,000 rows.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, func, select

from inspector_app.batches import chunks
from inspector_app.domain.enterprise import MASTER_DATA_FIELDS, Enterprise, enterprise_from
from inspector_app.store import tables
from inspector_app.store.organisation import ASSIGN_ROWS, ASSIGNMENT
from inspector_app.store.search import conditions as search_conditions
from inspector_app.store.search import fts_buffer, search_parts

ENTERPRISE: Table = tables.Enterprise.__table__  # type: ignore[attr-defined]


# Register columns an import or an edit may write (id, version, timestamps are the store's business).
DATA_COLUMNS: tuple[str, ...] = ("credit_code", *MASTER_DATA_FIELDS, "extra_json")


def enterprise_values(enterprise: Enterprise) -> dict[str, Any]:
    """The row values of a domain enterprise, the search texts included (they must never go stale)."""
    values = data_values(enterprise)
    values["search_text"], values["pinyin_text"] = search_parts(
        enterprise.name, enterprise.credit_code, enterprise.address
    )
    return values


def data_values(enterprise: Enterprise) -> dict[str, Any]:
    """The :data:`DATA_COLUMNS` of a domain enterprise, without the search texts.

    For a caller that first compares with the stored row: the search text (pinyin) is then
    computed only for the rows actually written.
    """
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "address": enterprise.address,
        "grid": enterprise.grid or None,
        "category": enterprise.category or None,
        "industry": enterprise.industry,
        "size_class": enterprise.size_class,
        "legal_representative": enterprise.legal_representative,
        "contact": enterprise.contact,
        "phone": enterprise.phone,
        "staff_total": enterprise.staff_total,
        "staff_on_site": enterprise.staff_on_site,
        "resumption_status": str(enterprise.resumption_status),
        "extra_json": json.dumps(enterprise.extra, ensure_ascii=False, sort_keys=True)
        if enterprise.extra
        else "{}",
    }


def to_domain(row: Mapping[str, Any]) -> Enterprise:
    return enterprise_from(row["credit_code"], row, json.loads(row["extra_json"] or "{}"))


# --- grids, categories, teams ------------------------------------------------------------------


# --- enterprises -------------------------------------------------------------------------------


def count_enterprises(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(ENTERPRISE)).scalar_one())


def _in_list(count: int) -> str:
    return ", ".join("?" * count)


def rows_by_codes(conn: Connection, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored rows of the given credit codes, keyed by code: ``id``, ``version``, ``search_text``
    and every column of :data:`DATA_COLUMNS` (what an import compares and merges)."""
    # Straight to the driver's cursor (same connection, same transaction): SQLAlchemy's result
    # rows were most of what a re-import of an unchanged register spent looking rows up.
    names = ["id", "version", "search_text", *DATA_COLUMNS]
    found: dict[str, dict[str, Any]] = {}
    cursor = conn.connection.cursor()
    try:
        for chunk in chunks(codes):
            # Column names are this module's constants; the codes are bound parameters.
            sql = f"SELECT {', '.join(names)} FROM enterprise WHERE credit_code IN ({_in_list(len(chunk))})"  # noqa: S608
            cursor.execute(sql, tuple(chunk))
            for row in cursor.fetchall():
                values = dict(zip(names, row, strict=True))
                found[values["credit_code"]] = values
    finally:
        cursor.close()
    return found


def get_row(conn: Connection, credit_code: str) -> dict[str, Any] | None:
    row = conn.execute(select(ENTERPRISE).where(ENTERPRISE.c.credit_code == credit_code)).mappings().first()
    return dict(row) if row is not None else None


def ids_by_codes(conn: Connection, codes: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in chunks(codes):
        sql = f"SELECT credit_code, id FROM enterprise WHERE credit_code IN ({_in_list(len(chunk))})"  # noqa: S608
        out.update(conn.exec_driver_sql(sql, tuple(chunk)).all())
    return out


BULK_ROWS = 50  # from this many new enterprises at once, the search index is filled in bulk


def index_new_enterprises(after: int) -> list[tuple[str, tuple[int]]]:
    """The statements (SQL, parameters) that put every enterprise above id ``after`` into the
    search index of what is written and list its pinyin as pending, for the storage worker to index
    after (:func:`store.search.index_pending_pinyin`, migration 0008): the one way both bulk writers
    (insert_enterprises, RegisterWriter) fill the indexes while fts_bulk_load holds its row."""
    return [
        ("INSERT INTO enterprise_fts (rowid, search_text) "
         "SELECT id, search_text FROM enterprise WHERE id > ?", (after,)),
        ("INSERT INTO pinyin_pending (id) SELECT id FROM enterprise WHERE id > ?", (after,)),
    ]


def insert_enterprises(conn: Connection, rows: Sequence[dict[str, Any]], now: datetime) -> None:
    """Insert new enterprises (values from :func:`enterprise_values`) at version 1."""
    if not rows:
        return
    # Straight to the driver with positional tuples: SQLAlchemy's per-row parameter processing
    # was a third of the import time at 100,000 rows.
    columns = [*DATA_COLUMNS, "search_text", "pinyin_text", "version", "updated_at"]
    to_db = ENTERPRISE.c.updated_at.type.bind_processor(conn.dialect)
    stamp = to_db(now) if to_db is not None else now
    data = itemgetter(*DATA_COLUMNS, "search_text", "pinyin_text")  # a tuple per row, built in C
    values = [(*data(r), 1, stamp) for r in rows]
    # The column names are this module's constants, never user input.
    insert = f"INSERT INTO enterprise ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    with indexed_in_bulk(conn, len(rows)):
        conn.exec_driver_sql(insert, values)


@contextlib.contextmanager
def indexed_in_bulk(conn: Connection, rows: int) -> Iterator[None]:
    """The enterprises inserted inside, when they are many, put into the search index in one
    statement at the end and their pinyin listed as pending (five times faster than the row-by-row
    triggers, which stand aside while fts_bulk_load holds its row: migrations 0005, 0008). New rows
    take ids above the largest one; an updated row is kept in the indexes by its triggers; the
    marker is emptied whatever happens."""
    if rows < BULK_ROWS:
        yield
        return
    conn.exec_driver_sql("INSERT INTO fts_bulk_load (one) VALUES (1)")
    try:
        after = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM enterprise").scalar_one()
        yield
        for statement in index_new_enterprises(after):
            conn.exec_driver_sql(*statement)
    finally:
        conn.exec_driver_sql("DELETE FROM fts_bulk_load")


class RegisterWriter:
    """The writes of one register import, straight to the driver in the caller's transaction.

    New enterprises get their ids here (above the largest stored one, in file order), so their
    assignments need no look-up; the search index is filled for all of them in one statement at
    :meth:`finish` (the insert trigger stands aside meanwhile, migration 0005), with FTS5's
    in-memory term buffer raised for that statement so it writes one segment instead of merging
    dozens. The page cache is raised for the import's connection and put back at :meth:`finish`
    or :meth:`abandon`. A failure anywhere leaves the rollback to the caller's transaction.
    """

    # SQLite's page cache for the import (KiB): the three category indexes and the assignment
    # table are written all over; with the default 2 MB, pages are evicted and read back.
    CACHE_KIB = 65536
    # FTS5's pending-terms buffer while the index is filled: 16 MB and 256 MB cost the same CPU
    # for 100,000 rows (1 MB, the default, 1.7x); 32 MB keeps the peak memory modest.
    FTS_HASH_BYTES = 32 * 1024 * 1024
    REBUILD_BELOW = 1000  # a register this small has its indexes rebuilt rather than kept up (see below)

    def __init__(self, conn: Connection, now: datetime, assigned_on: date) -> None:
        self._cursor = conn.connection.cursor()
        # The time and day as they were written row by row, converted once: a new row's time as
        # the driver adapts it (insert_enterprises), an updated row's as SQLAlchemy writes it (an
        # edit, and the import's update before this writer).
        updated_at = ENTERPRISE.c.updated_at.type
        to_db = updated_at.bind_processor(conn.dialect)
        self._stamp = sqlite3.adapt(to_db(now) if to_db is not None else now, sqlite3.PrepareProtocol)
        to_sql = updated_at.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        self._update_stamp = to_sql(now) if to_sql is not None else self._stamp
        day = ASSIGNMENT.c.assigned_on.type.bind_processor(conn.dialect)
        self._day = sqlite3.adapt(
            day(assigned_on) if day is not None else assigned_on, sqlite3.PrepareProtocol
        )
        cur = self._cursor
        self._cache = cur.execute("PRAGMA cache_size").fetchone()[0]
        cur.execute(f"PRAGMA cache_size=-{self.CACHE_KIB}")
        cur.execute("INSERT INTO fts_bulk_load (one) VALUES (1)")
        self._after = cur.execute("SELECT coalesce(max(id), 0) FROM enterprise").fetchone()[0]
        self._next_id = self._after + 1
        # An empty register (the first import) has nothing to look up.
        self.empty = self._after == 0
        self._done = False
        self._indexes: list[tuple[str, str]] = []
        if cur.execute("SELECT count(*) FROM enterprise").fetchone()[0] < self.REBUILD_BELOW:
            self._set_indexes_aside()

    def _set_indexes_aside(self) -> None:
        """Drop the secondary indexes of the tables an import fills, to build each once at
        :meth:`finish` (a sort) instead of a B-tree insert per row: 3x faster for a first import.
        Their definitions are read from the database itself, so whatever a migration declares is
        what comes back; the unique code index stays (duplicates are refused as they come). In the
        caller's transaction: a failed import rolls the drop back with everything else."""
        cur = self._cursor
        self._indexes = cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('enterprise', 'assignment') ORDER BY name"
        ).fetchall()
        for name, _sql in self._indexes:
            cur.execute(f'DROP INDEX "{name}"')

    def stored(self, codes: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """Stored rows of these codes: (id, team or None, *DATA_COLUMNS), keyed by code."""
        if self.empty:
            return {}
        found: dict[str, tuple[Any, ...]] = {}
        cur = self._cursor
        # Column names are this module's constants; the codes are bound parameters.
        select_sql = (
            f"SELECT e.id, a.team, {', '.join('e.' + c for c in DATA_COLUMNS)} FROM enterprise e "  # noqa: S608
            "LEFT JOIN assignment a ON a.enterprise_id = e.id WHERE e.credit_code IN "
        )
        for chunk in chunks(codes):
            for row in cur.execute(select_sql + f"({_in_list(len(chunk))})", tuple(chunk)):
                found[row[2]] = row
        return found

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        """New enterprises, each (*DATA_COLUMNS, search_text, pinyin_text), at version 1; returns
        their ids."""
        first = self._next_id
        self._next_id += len(rows)
        stamp = self._stamp
        columns = ["id", *DATA_COLUMNS, "search_text", "pinyin_text", "version", "updated_at"]
        self._cursor.executemany(
            f"INSERT INTO enterprise ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
            [(i, *row, 1, stamp) for i, row in enumerate(rows, first)],
        )
        return list(range(first, self._next_id))

    def update(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Stored enterprises overwritten, each (id, *DATA_COLUMNS, search_text, pinyin_text), version bumped
        (the update trigger keeps the search index)."""
        if not rows:
            return
        sets = ", ".join(f"{c} = ?" for c in (*DATA_COLUMNS, "search_text", "pinyin_text"))
        stamp = self._update_stamp
        self._cursor.executemany(
            f"UPDATE enterprise SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",  # noqa: S608
            [(*row[1:], stamp, row[0]) for row in rows],
        )

    def assign(self, assignments: Sequence[tuple[int, str]]) -> None:
        """(enterprise id, team): as :func:`assign_teams` (an existing assignment keeps its cadence)."""
        if assignments:
            day = self._day
            self._cursor.executemany(ASSIGN_ROWS, [(i, t, day) for i, t in assignments])

    def finish(self) -> None:
        """The search index for every new enterprise, in one statement; the settings put back."""
        cur = self._cursor
        try:
            if self._next_id > self._after + 1:
                with fts_buffer(cur.execute, "enterprise_fts", self.FTS_HASH_BYTES):
                    for statement in index_new_enterprises(self._after):
                        cur.execute(*statement)
            cur.execute("DELETE FROM fts_bulk_load")
            for _name, sql in self._indexes:
                cur.execute(sql)
            self._indexes = []
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Put the connection's page cache back (the transaction is the caller's to roll back)."""
        if not self._done:
            self._done = True
            # After a failed write the caller's error is the one to see, not this one's.
            with contextlib.suppress(sqlite3.Error):
                self._cursor.execute(f"PRAGMA cache_size={int(self._cache)}")
                self._cursor.close()


def register_rows(
    conn: Connection,
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The register as printed or exported: search columns, contact details, staff and the team."""
    e = ENTERPRISE.c
    stmt = (
        select(
            e.id,
            e.credit_code,
            e.name,
            e.address,
            e.grid,
            e.category,
            e.resumption_status.label("status"),
            e.industry,
            e.size_class,
            e.legal_representative,
            e.contact,
            e.phone,
            e.staff_total,
            e.staff_on_site,
            ASSIGNMENT.c.team,
            e.version,
        )
        .select_from(ENTERPRISE.outerjoin(ASSIGNMENT, ASSIGNMENT.c.enterprise_id == e.id))
        .order_by(e.id)
    )
    where = search_conditions(query, grid=grid, category=category, status=status)
    if where:
        stmt = stmt.where(and_(*where))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        {k: ("" if v is None and k in {"grid", "category", "team"} else v) for k, v in r.items()}
        for r in conn.execute(stmt).mappings()
    ]


def list_rows(
    conn: Connection, *, grid: str | None = None, codes: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    stmt = select(ENTERPRISE).order_by(ENTERPRISE.c.id)
    if grid:
        stmt = stmt.where(ENTERPRISE.c.grid == grid)
    if codes is not None:
        stmt = stmt.where(ENTERPRISE.c.credit_code.in_(list(codes)))
    return [dict(r) for r in conn.execute(stmt).mappings()]


# --- assignments -------------------------------------------------------------------------------
