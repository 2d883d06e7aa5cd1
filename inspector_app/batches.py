"""Long lists cut into bounded batches: one helper for the laptop's store, its sync and the
office's server alike (SQLite allows 32,766 bound parameters per statement; IN lists stay far below).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Ids per IN list on the laptop's SQLite.
SQLITE_IN = 900


def chunks(items: Sequence[T], size: int = SQLITE_IN) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]
