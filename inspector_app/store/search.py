"""Register search: the text each enterprise is found by, and the query the GUI runs on every keystroke.

``search_text`` holds the lower-cased name, code and address, ``pinyin_text`` their pinyin (full and
initials), fields separated by a character nobody types. A term of three or more characters is
looked up in the trigram indexes ``enterprise_fts`` (what is written, migration 0003) and
``enterprise_pinyin_fts`` (its pinyin, migration 0008), and in the pinyin of the rows an import
left for the storage worker to index (``pinyin_pending``, scanned); one- and two-character terms,
which a trigram index cannot serve, are a LIKE scan that stops at ``limit`` rows (cheap for the
common short terms people type first). See bench/bench_search.py for the figures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, and_, bindparam, func, or_, select, union, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.register.search_text import (  # the rule, shared with the office console
    _KNOWN,
    _READINGS,
    SEPARATOR,
    _single_readings,
    escape_like,
    has_chinese,
    normalize,
    pinyin_forms,
    query_terms,
    search_parts,
    search_text,
    toneless,
)
from inspector_app.store import tables

# The rule's names, re-exported for the laptop's callers (the rule itself lives in register).
__all__ = [
    "SEPARATOR",
    "_KNOWN",
    "_READINGS",
    "_single_readings",
    "escape_like",
    "normalize",
    "pinyin_forms",
    "query_terms",
    "search_parts",
    "search_text",
    "toneless",
]

DEFAULT_LIMIT = 200

_enterprise = tables.Enterprise.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One line of the register table."""

    id: int
    credit_code: str
    name: str
    address: str
    grid: str
    category: str
    status: str


# Terms this long go to the trigram indexes (migrations 0003, 0008); shorter ones cannot, and are
# scanned.
TRIGRAM = 3
_fts = sql_table("enterprise_fts", sql_column("rowid"), sql_column("enterprise_fts"))
_pinyin_fts = sql_table("enterprise_pinyin_fts", sql_column("rowid"), sql_column("enterprise_pinyin_fts"))
_pending = sql_table("pinyin_pending", sql_column("id"))


def _phrase(term: str) -> str:
    """A quoted FTS5 phrase: matched as a plain substring, whatever operators or quotes it holds."""
    return '"' + term.replace('"', '""') + '"'


def _holds(text: ColumnElement[Any], term: str) -> ColumnElement[bool]:
    """The column holds the term, found by a scan."""
    return text.like(f"%{escape_like(term)}%", escape="\\")


def _sources(term: str) -> list[tuple[Any, ColumnElement[Any], ColumnElement[bool]]]:
    """Where the rows holding a long term come from, each (table, id column, condition): the index
    of what is written; unless the term has Chinese (never in pinyin), the pinyin index and the rows
    whose pinyin is still to be indexed, scanned (migration 0008; none once it is done)."""
    phrase = _phrase(term)
    written = (_fts, _fts.c.rowid, _fts.c.enterprise_fts.op("MATCH")(phrase))
    if has_chinese(term):
        return [written]
    e = _enterprise.c
    return [
        written,
        (_pinyin_fts, _pinyin_fts.c.rowid, _pinyin_fts.c.enterprise_pinyin_fts.op("MATCH")(phrase)),
        # Reached from the pending list (IN on the rowid; empty but after a bulk write): as a join,
        # SQLite may choose to scan every enterprise instead (100 ms at 100,000 rows).
        (_enterprise, e.id, and_(e.id.in_(select(_pending.c.id)), _holds(e.pinyin_text, term))),
    ]


def _rows_of(table: Any, ident: ColumnElement[Any]) -> Any:
    """FROM clause giving each enterprise row a source's ids stand for."""
    return table if table is _enterprise else table.join(_enterprise, _enterprise.c.id == ident)


def _ids_holding(term: str) -> Any:
    """The ids of every enterprise whose search text holds a long term (a compound SELECT)."""
    selects = [select(ident).select_from(table).where(cond) for table, ident, cond in _sources(term)]
    return selects[0] if len(selects) == 1 else union(*selects)


def filters(
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> tuple[str | None, list[ColumnElement[bool]]]:
    """The term that drives the search through the indexes (the longest, if long enough), and the
    conditions every row must also meet."""
    e = _enterprise.c
    terms = sorted(query_terms(query), key=len, reverse=True)
    driving = terms.pop(0) if terms and len(terms[0]) >= TRIGRAM else None
    conditions: list[ColumnElement[bool]] = []
    for term in terms:
        if len(term) >= TRIGRAM:
            conditions.append(e.id.in_(_ids_holding(term)))
        else:
            conditions.append(or_(_holds(e.search_text, term), _holds(e.pinyin_text, term)))
    if grid:
        conditions.append(e.grid == grid)
    if category:
        conditions.append(e.category == category)
    if status:
        conditions.append(e.resumption_status == status)
    return driving, conditions


def conditions(
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> list[ColumnElement[bool]]:
    """All of ``filters`` as plain conditions, for listings that join other tables (not the hot path)."""
    driving, rest = filters(query, grid=grid, category=category, status=status)
    if driving is not None:
        rest.insert(0, _enterprise.c.id.in_(_ids_holding(driving)))
    return rest


def search_enterprises(
    conn: Connection,
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> list[SearchRow]:
    """Enterprises matching every term of ``query`` (name, code, address, pinyin), in register order."""
    e = _enterprise.c
    columns = (e.id, e.credit_code, e.name, e.address, e.grid, e.category, e.resumption_status)
    driving, conditions = filters(query, grid=grid, category=category, status=status)
    if driving is None:
        stmt = select(*columns).select_from(_enterprise).where(*conditions).order_by(e.id)
    else:
        # Each source in id order, cut at the rows asked for: an index hands its rows over one by
        # one, so a common term stops after a page instead of collecting every match. Merged in id
        # order; a row found in both the written and the pinyin text comes once (UNION).
        wanted = None if limit is None else offset + limit
        branches = []
        for table, ident, cond in _sources(driving):
            branch = select(*columns).select_from(_rows_of(table, ident)).where(cond, *conditions)
            branches.append(branch.order_by(ident).limit(wanted).subquery().select())
        merged = (branches[0] if len(branches) == 1 else union(*branches)).subquery()
        stmt = select(*merged.c).order_by(merged.c.id)
    stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [SearchRow(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6]) for r in conn.execute(stmt)]


def count_matches(
    conn: Connection,
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> int:
    where = conditions(query, grid=grid, category=category, status=status)
    stmt = select(func.count()).select_from(_enterprise).where(*where)
    return int(conn.execute(stmt).scalar_one())


PINYIN_ROWS = 5_000  # enterprises whose pinyin one catch-up step indexes: ~0.08 s, one transaction


def index_pending_pinyin(conn: Connection, rows: int = PINYIN_ROWS) -> int:
    """Put the pinyin of up to ``rows`` pending enterprises into its index (in the caller's
    transaction); returns how many are still pending. Lowest ids first, so a search's pending
    scan shrinks from the front."""
    last = conn.exec_driver_sql(
        "SELECT max(id) FROM (SELECT id FROM pinyin_pending ORDER BY id LIMIT ?)", (rows,)
    ).scalar_one()
    if last is not None:
        with fts_buffer(conn.exec_driver_sql, "enterprise_pinyin_fts", PINYIN_HASH_BYTES):
            conn.exec_driver_sql(
                "INSERT INTO enterprise_pinyin_fts (rowid, pinyin_text) SELECT e.id, e.pinyin_text "
                "FROM pinyin_pending p JOIN enterprise e ON e.id = p.id WHERE p.id <= ?",
                (last,),
            )
        conn.exec_driver_sql("DELETE FROM pinyin_pending WHERE id <= ?", (last,))
    return pinyin_pending(conn)


def pinyin_pending(conn: Connection) -> int:
    """How many enterprises have their pinyin still to index."""
    return int(conn.exec_driver_sql("SELECT count(*) FROM pinyin_pending").scalar_one())


# FTS5's pending-terms buffer for a catch-up step: one segment a step instead of several.
PINYIN_HASH_BYTES = 16 * 1024 * 1024
FTS_DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own default (SQLITE_FTS5 hashsize)
FtsTable = Literal["enterprise_fts", "enterprise_pinyin_fts"]


@contextlib.contextmanager
def fts_buffer(execute: Callable[[str, tuple[int]], Any], table: FtsTable, size: int) -> Iterator[None]:
    """FTS5's in-memory term buffer of ``table`` raised to ``size`` bytes for the statements
    inside, so a bulk fill writes one segment instead of merging dozens, then FTS5's default put
    back. It is a setting stored in the table, in the caller's transaction: a failure rolls it
    back with the rest. ``execute`` runs one statement: a driver cursor's or a connection's."""
    set_hash = f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?)"  # noqa: S608 - one of two names
    execute(set_hash, (size,))
    yield
    execute(set_hash, (FTS_DEFAULT_HASH_BYTES,))


def refresh_search_text(conn: Connection, ids: Iterable[int] | None = None) -> int:
    """Recompute the search texts (all rows, or the given ids); for rows written by other means."""
    e = _enterprise.c
    stmt = select(e.id, e.name, e.credit_code, e.address)
    if ids is not None:
        id_list: Sequence[int] = list(ids)
        if not id_list:
            return 0
        stmt = stmt.where(e.id.in_(id_list))
    rows = []
    for r in conn.execute(stmt):
        written, pinyin = search_parts(r[1], r[2], r[3])
        rows.append({"_id": r[0], "search_text": written, "pinyin_text": pinyin})
    if rows:
        conn.execute(
            update(_enterprise)
            .where(e.id == bindparam("_id"))
            .values(search_text=bindparam("search_text"), pinyin_text=bindparam("pinyin_text")),
            rows,
        )
    return len(rows)
