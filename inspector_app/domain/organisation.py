"""Grids, teams, inspectors and the visit cadence that decides which enterprise is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Inspector:
    name: str
    badge_number: str  # 执法证号
    team: str = ""


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


class DueState(StrEnum):
    NEVER_VISITED = "从未检查"
    OVERDUE = "已逾期"
    DUE = "今日应检"
    NOT_DUE = "未到期"


def due_date(last_visit: date | None, cadence: Cadence, assigned_on: date) -> date:
    if last_visit is None:
        return assigned_on
    return last_visit + timedelta(days=cadence.interval_days)


def due_state(last_visit: date | None, cadence: Cadence, assigned_on: date, today: date) -> DueState:
    due = due_date(last_visit, cadence, assigned_on)
    if due < today:
        return DueState.NEVER_VISITED if last_visit is None else DueState.OVERDUE
    if due == today:
        return DueState.DUE
    return DueState.NOT_DUE


def days_overdue(last_visit: date | None, cadence: Cadence, assigned_on: date, today: date) -> int:
    return max(0, (today - due_date(last_visit, cadence, assigned_on)).days)
