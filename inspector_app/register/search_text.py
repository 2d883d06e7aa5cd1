"""The text an enterprise is found by, and the terms of a query: one rule for the laptop's register
search (store/search.py) and the office console's (central), so both find the same enterprises.

``search_text`` holds the lower-cased name, code and address plus the pinyin (full and initials) of
the name and address, separated by a character nobody types; every blank-separated term of a query
must be a substring of it. Plain Python (no SQL): each side stores the text and runs its own query.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

SEPARATOR = "\x1f"  # the ASCII unit separator: a query never contains it, so terms never span fields

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


def _is_han(ch: str) -> bool:
    """A Chinese character (CJK unified ideographs, extension A and the supplementary planes):
    what has a pinyin reading, and what pinyin text never holds."""
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff"


def _learn(chars: Iterable[str]) -> None:
    # The table is read when a character is first met: opening a workspace (whose search texts are
    # stored) never needs it. A character gets its first reading, without tones: what
    # pypinyin.pinyin(ch, style=Style.NORMAL) answers (tests/register/test_search_speed.py holds the
    # two together for every character of the table).
    if not _READINGS:
        _READINGS.update(_single_readings())
    for ch in chars:
        if _is_han(ch):
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
    if not _KNOWN.issuperset(text):  # no set built for the usual text, whose characters are known
        _learn(set(text) - _KNOWN)
    return text.translate(_FULL), text.translate(_INITIAL)


# The searchable form of an address, by address as written: a register repeats addresses (one
# building, one industrial road), and an import computes each distinct one once. Bounded: emptied
# when full, so a long-running process never holds more than this many.
_ADDRESS_FORMS: dict[str, tuple[str, str, str]] = {}
_ADDRESS_FORMS_MAX = 50_000


def _address_forms(address: str) -> tuple[str, str, str]:
    """(normalized address, its full pinyin, its initials)."""
    forms = _ADDRESS_FORMS.get(address)
    if forms is None:
        if len(_ADDRESS_FORMS) >= _ADDRESS_FORMS_MAX:
            _ADDRESS_FORMS.clear()
        address_n = normalize(address)
        forms = _ADDRESS_FORMS[address] = (address_n, *pinyin_forms(address_n))
    return forms


def search_parts(name: str, credit_code: str, address: str = "") -> tuple[str, str]:
    """(the written text, its pinyin): the two halves of :func:`search_text`, which the laptop
    stores and indexes apart, so an import indexes what is written at once and the pinyin after."""
    name_n = normalize(name)
    name_full, name_initials = pinyin_forms(name_n)
    address_n, address_full, address_initials = _address_forms(address)
    return (
        SEPARATOR.join((name_n, normalize(credit_code), address_n)),
        SEPARATOR.join((name_full, name_initials, address_full, address_initials)),
    )


def search_text(name: str, credit_code: str, address: str = "") -> str:
    return SEPARATOR.join(search_parts(name, credit_code, address))


def has_chinese(term: str) -> bool:
    """Whether a term holds a Chinese character: such a term can never match the pinyin half."""
    return any(map(_is_han, term))


def query_terms(query: str) -> list[str]:
    """Blank-separated terms, each of which must match: "宝龙 五金" narrows like a search box should."""
    return [t for t in normalize(query).split() if t]


def escape_like(term: str) -> str:
    """A term for LIKE ... ESCAPE "\\": a user typing "50%" or "a_b" means those characters."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(text: str, query: str) -> bool:
    """Whether a stored search text matches every term of ``query`` (the rule both queries run)."""
    return all(term in text for term in query_terms(query))
