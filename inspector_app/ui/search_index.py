"""The in-memory search behind 今日任务's search box: which rows hold a term, without scanning them all.

Plain Python (no Qt): made on the pool once the list is shown, asked on the GUI thread per keystroke.

Each row's stored search text is split so a term is looked for only where it can occur (``narrow``:
the ASCII runs, for pinyin, initials, codes and digits; ``wide``: the fields with Chinese). In
``narrow`` the short runs (initials, codes, numbers) come before the long ones (full pinyin): what
people type most, initials, is then found halfway along the text instead of at its end (a search
for "bl" over 100,000 rows: 12 -> 6 ms). On top,
two per-character indexes, made with the list:

- for each Chinese (non-ASCII) character, the rows holding it, in register order (``postings``).
  A one-character term (the first keystroke, over every row) is that list, no row looked at; a
  longer term is looked for only in the rows of its rarest character, and a term with a character
  no row has is answered at once.
- for each letter and digit, one byte per row saying whether the row's text holds it (``mask``):
  they are in most rows, where a byte per row is smaller and faster than a list of row numbers.
  An ASCII term first drops the rows lacking one of its characters (the masks ANDed as big
  integers, in C) when that halves the rows at least, and looks for the term in the rows left.
  Other characters get a mask on first use when one is needed (punctuation; a Chinese character
  in most of a narrowed list); the most recently used are kept.
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
LONG_RUN = 24  # an ASCII run longer than this goes after the short ones (full pinyin)


class SearchIndex:
    """Row numbers whose search text holds a term, answered in the order of any base list."""

    def __init__(self, narrow: list[str], wide: list[str]) -> None:
        self.narrow = narrow
        self.wide = wide
        self.size = len(narrow)
        # Each character of the wide texts -> the rows holding it, ascending: one pass over the
        # rows' character sets (~0.2 s for 20,000 rows, on the pool with the list).
        self.postings: dict[str, list[int]] = {}
        add = self.postings.setdefault
        for n, chars in enumerate(map(set, wide)):
            for ch in chars:
                add(ch, []).append(n)
        self._masks: dict[str, bytes] = {}
        self._counts: dict[str, int] = {}  # rows set in each kept mask
        self._identity = list(range(self.size))

    @classmethod
    def of(cls, texts: Sequence[str], separator: str) -> SearchIndex:
        """The index of each row's stored search text (fields joined by ``separator``).

        A term without Chinese can only match inside a run of ASCII characters: ``narrow`` keeps
        just those runs, a compact one-byte string, the runs up to ``LONG_RUN`` characters first.
        A term with Chinese can only match inside a field that has some: ``wide`` keeps just
        those fields. Runs and fields are joined by the separator, which a term never contains,
        so the answers are exactly those of the full text, in whatever order the runs are.
        """
        runs = [t if t.isascii() else _NON_ASCII.sub(separator, t) for t in texts]
        long_run = re.compile(f"[^{re.escape(separator)}]{{{LONG_RUN + 1},}}")
        narrow = [long_run.sub("", t) + separator + separator.join(long_run.findall(t)) for t in runs]
        wide = [separator.join([f for f in t.split(separator) if not f.isascii()]) for t in texts]
        index = cls(narrow, wide)
        for ch in PREBUILT:
            index.mask(ch)
        return index

    def mask(self, ch: str) -> bytes:
        """One byte per row: 1 where the row's text holds ``ch``."""
        found = self._masks.pop(ch, None)
        if found is None:
            found = bytes(map(contains, self.narrow if ch.isascii() else self.wide, repeat(ch)))
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
        if not term.isascii():
            return self._matching_wide(term, base)
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
        narrow = self.narrow
        return list(compress(rows, map(contains, map(narrow.__getitem__, rows), repeat(term))))

    def _matching_wide(self, term: str, base: list[int]) -> list[int]:
        """A term with Chinese: from the rows of its rarest character, never every row."""
        rarest = min((self.postings.get(ch, ()) for ch in set(term)), key=len)
        if not rarest:
            return []  # a character no row holds
        if len(base) == self.size and base == self._identity:  # every row, in register order
            rows: list[int] = list(rarest)
        elif len(rarest) * 2 <= len(base):  # the rarest character halves the rows at least
            holding = set(rarest)
            rows = list(compress(base, map(holding.__contains__, base)))
        elif len(term) == 1:  # in most of the rows: a byte per row is quicker than a set of them
            mask = self.mask(term)
            return list(compress(base, map(mask.__getitem__, base)))
        else:
            rows = base
        if len(term) == 1:
            return rows
        return list(compress(rows, map(contains, map(self.wide.__getitem__, rows), repeat(term))))
