"""The visit cadence that decides which enterprise is due (the worklist's SQL follows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Cadence:
    """Visits per week: 3 means an enterprise is due again two or three days after a visit."""

    visits_per_week: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.visits_per_week <= 7:
            raise ValueError("巡查频次应为每周1至7次")

    @property
    def interval_days(self) -> int:
        # Rounded down so three rounds a week really fit into a week (every 2 days).
        return max(1, 7 // self.visits_per_week)


def due_date(last_visit: date | None, cadence: Cadence, assigned_on: date) -> date:
    """When an enterprise is next due: the day it was assigned until its first visit, then the
    cadence's interval after the last one. (store.worklist computes the same in SQL.)"""
    if last_visit is None:
        return assigned_on
    return last_visit + timedelta(days=cadence.interval_days)


def days_overdue(last_visit: date | None, cadence: Cadence, assigned_on: date, today: date) -> int:
    return max(0, (today - due_date(last_visit, cadence, assigned_on)).days)
