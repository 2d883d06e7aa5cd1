"""Time as the app sees it. Services take a clock so tests can set the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A moment in UTC. A naive moment is UTC already: that is how the stores keep them (SQLite
    hands datetimes back without their offset), on the laptop and on the office's server alike."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_time(moment: datetime) -> datetime:
    """A moment on the inspector's clock. A naive moment is UTC: that is how the store keeps them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def local_date(moment: datetime) -> date:
    """The inspector's calendar day: what "due today" and deadlines are counted in."""
    return local_time(moment).date()
