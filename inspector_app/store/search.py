"""Register search: the text each enterprise is found by, and the query the GUI runs on every keystroke.

``search_text`` holds the lower-cased name, code and address plus the pinyin (full and initials) of
the name and address, separated by a character nobody types. A term of three or more characters is
looked up in the trigram index ``enterprise_fts`` (migration 0003); one- and two-character terms,
which a trigram index cannot serve, are a LIKE scan that stops at ``limit`` rows (cheap for the
common short terms people type first). See bench/bench_search.py for the figures.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, select, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.store import tables

SEPARATOR = "\x1f"  # the ASCII unit separator: a query never contains it, so terms never span fields
DEFAULT_LIMIT = 200

_enterprise = tables.Enterprise.__table__  # type: ignore[attr-defined]

# pypinyin takes ~70 µs per company name (phrase matching); looking each character up once and
# then converting whole strings with str.translate is ~50x faster and what makes a 100,000-row
# import fit in seconds. The cost: a polyphone gets its most common reading (重庆 -> zhongqing),
# accepted for a search aid.
_FULL: dict[int, str] = {}
_INITIAL: dict[int, str] = {}
_KNOWN: set[str] = set()  # the characters already in both tables: one C set difference per text
_READINGS: dict[int, str] = {}  # pypinyin's single-character table, read on first need


def _single_readings() -> dict[int, str]:
    """pypinyin's table of single characters (code point -> readings with tones, most common first).

    Read from its data file: importing pypinyin also loads its phrase tables (a third of a second,
    every process that imports a register), which a reading per character never uses.
    """
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypinyin is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def toneless(reading: str) -> str:
    """A reading without tone marks, ü written v: "lǜ" -> "lv", as pypinyin's Style.NORMAL writes it."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _learn(chars: Iterable[str]) -> None:
    # The table is read when a character is first met: opening a workspace (whose search texts are
    # stored) never needs it. A character gets its first reading, without tones: what
    # pypinyin.pinyin(ch, style=Style.NORMAL) answers (tests/store/test_search_speed.py holds the
    # two together for every character of the table).
    if not _READINGS:
        _READINGS.update(_single_readings())
    for ch in chars:
        if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff":
            readings = _READINGS.get(ord(ch))
            syllable = toneless(readings.split(",", 1)[0]) if readings else ""
        elif ch.isalnum():
            syllable = ch
        else:
            syllable = ""  # punctuation and blanks would only break initials apart
        _FULL[ord(ch)] = syllable
        _INITIAL[ord(ch)] = syllable[:1]
        _KNOWN.add(ch)


def normalize(text: str) -> str:
    """What both the stored text and the query go through: half-width, lower case, no outer blanks."""
    if text.isascii():  # its own NFKC form (codes, pinyin): skips the normalization
        return text.lower().strip()
    return unicodedata.normalize("NFKC", text).lower().strip()


def pinyin_forms(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of the text, without blanks: 宝龙街道 -> ("baolongjiedao", "bljd")."""
    unknown = set(text) - _KNOWN
    if unknown:
        _learn(unknown)
    return text.translate(_FULL), text.translate(_INITIAL)


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


def query_terms(query: str) -> list[str]:
    """Blank-separated terms, each of which must match: "宝龙 五金" narrows like a search box should."""
    return [t for t in normalize(query).split() if t]


def _escape_like(term: str) -> str:
    # A user typing "50%" or "a_b" means those characters, not LIKE wildcards.
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
            conditions.append(e.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
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
