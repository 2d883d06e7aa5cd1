"""Retry delays for a weak hotspot: exponential, capped, with full jitter.

Full jitter (a random delay between zero and the exponential bound) keeps fifty laptops that lost
the network together from coming back together and knocking the server over again.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(
    attempt: int, *, base: float = 1.0, cap: float = 300.0, rand: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
    bound = min(cap, base * (2 ** min(attempt, 30)))
    return float(bound * rand())


def retry_after(header: str | None) -> float | None:
    """The server's Retry-After in seconds, when it sent one we can read."""
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None
