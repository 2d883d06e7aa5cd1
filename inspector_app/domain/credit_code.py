"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character."""

from __future__ import annotations

from operator import mul

# The code alphabet leaves out I, O, Z, S and V so they are never confused with digits.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_CHARS = frozenset(ALPHABET)
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


class CreditCodeError(ValueError):
    """A credit code that is not well formed; the message says what is wrong, in Chinese."""


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"check_character needs {LENGTH - 1} characters, got {len(first17)}")
    # map() in C rather than a generator: an import checks 100,000 codes
    total = sum(map(mul, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    """Upper-case and strip the full-width spaces and blanks that spreadsheets carry."""
    return code.strip().replace("\u3000", "").replace(" ", "").upper()


def validate(code: str) -> str:
    """Return the normalized code, or raise CreditCodeError saying why it is not valid."""
    norm = normalize(code)
    if len(norm) != LENGTH:
        raise CreditCodeError(f"统一社会信用代码应为18位，实际为{len(norm)}位")
    if not _CHARS.issuperset(norm):
        bad = next(ch for ch in norm if ch not in _CHARS)
        raise CreditCodeError(f"统一社会信用代码含非法字符“{bad}”")
    expected = check_character(norm[:17])
    if norm[17] != expected:
        raise CreditCodeError(f"统一社会信用代码校验位错误（应为{expected}，实际为{norm[17]}）")
    return norm


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def complete(first17: str) -> str:
    """A full code from its first 17 characters (used to make demo and test data)."""
    return first17 + check_character(first17)
