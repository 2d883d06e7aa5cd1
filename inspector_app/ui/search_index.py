"""The in-memory search behind 今日任务's search box: which rows hold a term, without scanning them all.

Plain Python (no Qt): built on the storage worker with the list, asked on the GUI thread per keystroke.

Each row's stored search text is split so a term is looked for only where it can occur (``narrow``:
the ASCII runs, for pinyin, initials, codes and digits; ``wide``: the fields with Chinese). On top,
a per-character index: for a character, one byte per row saying whether the row's text holds it.
A one-character term (the first keystroke, over every row) is answered from its mask alone. Masks
of letters and digits are made with the list; other characters' masks on first use (one pass over
the rows, in C, what the search itself would have cost), and the most recently used are kept. A
longer term first drops the rows lacking one of its characters whose mask exists (the masks ANDed as
big integers, in C) when that halves the rows at least, and looks for the term in the rows left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, repeat
from operator import contains

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Made with the list: what pinyin, initials, codes and phone numbers are typed with.
PREBUILT = "abcdefghijklmnopqrstuvwxyz0123456789"
MASKS_KEPT = 96  # one byte per row each: 9.6 MB at 100,000 rows


class SearchIndex:
    """Row numbers whose search text holds a term, answered in the order of any base list."""

    def __init__(self, narrow: list[str], wide: list[str]) -> None:
        self.narrow = narrow
        self.wide = wide
        self.size = len(narrow)
        self._masks: dict[str, bytes] = {}
        self._counts: dict[str, int] = {}  # rows set in each kept mask
        self._identity = list(range(self.size))

    @classmethod
    def of(cls, texts: Sequence[str], separator: str) -> SearchIndex:
        """The index of each row's stored search text (fields joined by ``separator``).

        A term without Chinese can only match inside a run of ASCII characters: ``narrow`` keeps
        just those runs, a compact one-byte string. A term with Chinese can only match inside a
        field that has some: ``wide`` keeps just those fields. Runs and fields are joined by the
        separator, which a term never contains, so the answers are exactly those of the full text.
        """
        narrow = [t if t.isascii() else _NON_ASCII.sub(separator, t) for t in texts]
        wide = [separator.join([f for f in t.split(separator) if not f.isascii()]) for t in texts]
        index = cls(narrow, wide)
        for ch in PREBUILT:
            index.mask(ch)
        return index

    def _texts(self, term: str) -> list[str]:
        return self.narrow if term.isascii() else self.wide

    def mask(self, ch: str) -> bytes:
        """One byte per row: 1 where the row's text holds ``ch``."""
        found = self._masks.pop(ch, None)
        if found is None:
            found = bytes(map(contains, self._texts(ch), repeat(ch)))
            if len(self._masks) >= MASKS_KEPT:
                oldest = next(iter(self._masks))  # the least recently used
                del self._masks[oldest], self._counts[oldest]
            self._counts[ch] = found.count(1)
        self._masks[ch] = found  # last in the dict: the most recently used
        return found

    def _all_of(self, masks: list[bytes]) -> tuple[bytes, int]:
        """The mask of the rows set in every one of ``masks``, and how many rows that is."""
        both = int.from_bytes(masks[0], "little")
        for m in masks[1:]:
            both &= int.from_bytes(m, "little")
        # one byte per row, 0 or 1: the bits set are the rows
        return (masks[0] if len(masks) == 1 else both.to_bytes(self.size, "little")), both.bit_count()

    def matching(self, term: str, base: list[int]) -> list[int]:
        """The rows of ``base`` (in its order) whose text holds ``term``."""
        if not term:
            return list(base)
        if len(term) == 1:
            mask = self.mask(term)
            if len(base) == self.size and base == self._identity:
                return list(compress(self._identity, mask))  # every row, in register order
            return list(compress(base, map(mask.__getitem__, base)))
        rows = base
        # Masks already made narrow the rows first, when they narrow them by half or more. A
        # longer term never makes a mask: that would be a pass over every row on top of the search.
        # (only when one of them alone is in half the rows or fewer: else ANDing them rarely pays)
        known = [ch for ch in set(term) if ch in self._masks]
        if any(self._counts[ch] <= len(base) // 2 for ch in known):
            mask, count = self._all_of([self._masks[ch] for ch in known])
            if count <= len(base) // 2:
                rows = list(compress(base, map(mask.__getitem__, base)))
        # Which of the rows left hold the term in one piece?
        texts = self._texts(term)
        return list(compress(rows, map(contains, map(texts.__getitem__, rows), repeat(term))))
