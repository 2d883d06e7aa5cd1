"""Register search: the text each enterprise is found by, and the query the GUI runs on every keystroke.

``search_text`` holds the lower-cased name, code and address plus the pinyin (full and initials) of
the name and address, separated by a character nobody types. A query is a plain ``instr`` scan over
it: measured on 100,000 enterprises it beats LIKE (which must case-fold) and needs no FTS table
(trigram FTS cannot serve the one- and two-character queries people type first). See
bench/bench_search.py for the figures.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pypinyin import Style, pinyin
from sqlalchemy import Connection, and_, bindparam, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.store import tables

SEPARATOR = "\x1f"  # the ASCII unit separator: a query never contains it, so terms never span fields
DEFAULT_LIMIT = 200

_enterprise = tables.Enterprise.__table__  # type: ignore[attr-defined]

# pypinyin takes ~70 µs per company name (phrase matching); looking each character up once and
# caching is ~50x faster and what makes a 100,000-row import fit in seconds. The cost: a polyphone
# gets its most common reading (重庆 -> zhongqing), accepted for a search aid.
_PINYIN_CACHE: dict[str, tuple[str, str]] = {}


def _char_pinyin(ch: str) -> tuple[str, str]:
    cached = _PINYIN_CACHE.get(ch)
    if cached is None:
        if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff":
            full = pinyin(ch, style=Style.NORMAL, heteronym=False, errors="ignore")
            syllable = full[0][0] if full and full[0] else ""
            cached = (syllable, syllable[:1])
        elif ch.isalnum():
            cached = (ch, ch)
        else:
            cached = ("", "")  # punctuation and blanks would only break initials apart
        _PINYIN_CACHE[ch] = cached
    return cached


def normalize(text: str) -> str:
    """What both the stored text and the query go through: half-width, lower case, no outer blanks."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def pinyin_forms(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of the text, without blanks: 宝龙街道 -> ("baolongjiedao", "bljd")."""
    full: list[str] = []
    initials: list[str] = []
    for ch in text:
        syllable, initial = _char_pinyin(ch)
        full.append(syllable)
        initials.append(initial)
    return "".join(full), "".join(initials)


def search_text(name: str, credit_code: str, address: str = "") -> str:
    name_n, address_n = normalize(name), normalize(address)
    name_full, name_initials = pinyin_forms(name_n)
    address_full, address_initials = pinyin_forms(address_n)
    return SEPARATOR.join(
        (name_n, normalize(credit_code), address_n, name_full, name_initials, address_full, address_initials)
    )


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "credit_code": self.credit_code, "name": self.name, "address": self.address,
            "grid": self.grid, "category": self.category, "status": self.status,
        }


def query_terms(query: str) -> list[str]:
    """Blank-separated terms, each of which must match: "宝龙 五金" narrows like a search box should."""
    return [t for t in normalize(query).split() if t]


def filters(
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> list[ColumnElement[bool]]:
    e = _enterprise.c
    conditions: list[ColumnElement[bool]] = [func.instr(e.search_text, t) > 0 for t in query_terms(query)]
    if grid:
        conditions.append(e.grid == grid)
    if category:
        conditions.append(e.category == category)
    if status:
        conditions.append(e.resumption_status == status)
    return conditions


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
    """Enterprises matching every term of ``query`` (name, code, address, pinyin), in register order.

    Ordered by id, which is the table's own order, so SQLite stops scanning as soon as ``limit``
    rows are found: a common one-letter query costs almost nothing, only a rare one scans it all.
    """
    e = _enterprise.c
    stmt = select(e.id, e.credit_code, e.name, e.address, e.grid, e.category, e.resumption_status)
    conditions = filters(query, grid=grid, category=category, status=status)
    if conditions:
        stmt = stmt.where(and_(*conditions))
    stmt = stmt.order_by(e.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        SearchRow(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6]) for r in conn.execute(stmt)
    ]


def count_matches(
    conn: Connection,
    query: str = "",
    *,
    grid: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> int:
    stmt = select(func.count()).select_from(_enterprise)
    conditions = filters(query, grid=grid, category=category, status=status)
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
    rows = [
        {"_id": r[0], "search_text": search_text(r[1], r[2], r[3])} for r in conn.execute(stmt)
    ]
    if rows:
        conn.execute(
            update(_enterprise).where(e.id == bindparam("_id")).values(search_text=bindparam("search_text")),
            rows,
        )
    return len(rows)
