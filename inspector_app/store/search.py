"""Register search: the text each enterprise is found by, and the query the GUI runs on every keystroke.

``search_text`` holds the lower-cased name, code and address plus the pinyin (full and initials) of
the name and address, separated by a character nobody types. A term of three or more characters is
looked up in the trigram index ``enterprise_fts`` (migration 0003); one- and two-character terms,
which a trigram index cannot serve, are a LIKE scan that stops at ``limit`` rows (cheap for the
common short terms people type first). See bench/bench_search.py for the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, select, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.register.search_text import (  # the rule, shared with the office console
    _KNOWN,
    _READINGS,
    SEPARATOR,
    _single_readings,
    escape_like,
    normalize,
    pinyin_forms,
    query_terms,
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


# Terms this long go to the trigram index (migration 0003); shorter ones cannot, and are scanned.
TRIGRAM = 3
_fts = sql_table("enterprise_fts", sql_column("rowid"), sql_column("enterprise_fts"))


def _phrase(term: str) -> str:
    """A quoted FTS5 phrase: matched as a plain substring, whatever operators or quotes it holds."""
    return '"' + term.replace('"', '""') + '"'


def filters(
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> tuple[str | None, list[ColumnElement[bool]]]:
    """The phrase that drives the search through the index (the longest term, if long enough),
    and the conditions every row must also meet."""
    e = _enterprise.c
    terms = sorted(query_terms(query), key=len, reverse=True)
    driving = _phrase(terms.pop(0)) if terms and len(terms[0]) >= TRIGRAM else None
    conditions: list[ColumnElement[bool]] = []
    for term in terms:
        if len(term) >= TRIGRAM:
            matching = select(_fts.c.rowid).where(_fts.c.enterprise_fts.op("MATCH")(_phrase(term)))
            conditions.append(e.id.in_(matching))
        else:
            conditions.append(e.search_text.like(f"%{escape_like(term)}%", escape="\\"))
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
        rest.insert(
            0, _enterprise.c.id.in_(select(_fts.c.rowid).where(_fts.c.enterprise_fts.op("MATCH")(driving)))
        )
    return rest


def _from(driving: str | None, stmt: Select[Any]) -> tuple[Select[Any], ColumnElement[Any]]:
    """Rows come from the index when a term can use it, else from the table; both in id order,
    so SQLite stops as soon as ``limit`` rows are found."""
    if driving is None:
        return stmt.select_from(_enterprise), _enterprise.c.id
    joined = _fts.join(_enterprise, _enterprise.c.id == _fts.c.rowid)
    return stmt.select_from(joined).where(_fts.c.enterprise_fts.op("MATCH")(driving)), _fts.c.rowid


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
    driving, conditions = filters(query, grid=grid, category=category, status=status)
    stmt, order = _from(
        driving, select(e.id, e.credit_code, e.name, e.address, e.grid, e.category, e.resumption_status)
    )
    if conditions:
        stmt = stmt.where(and_(*conditions))
    stmt = stmt.order_by(order).offset(offset)
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
    driving, conditions = filters(query, grid=grid, category=category, status=status)
    stmt, _ = _from(driving, select(func.count()))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return int(conn.execute(stmt).scalar_one())


def refresh_search_text(conn: Connection, ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` (all rows, or the given ids); for rows written by other means."""
    e = _enterprise.c
    stmt = select(e.id, e.name, e.credit_code, e.address)
    if ids is not None:
        id_list: Sequence[int] = list(ids)
        if not id_list:
            return 0
        stmt = stmt.where(e.id.in_(id_list))
    rows = [{"_id": r[0], "search_text": search_text(r[1], r[2], r[3])} for r in conn.execute(stmt)]
    if rows:
        conn.execute(
            update(_enterprise).where(e.id == bindparam("_id")).values(search_text=bindparam("search_text")),
            rows,
        )
    return len(rows)
