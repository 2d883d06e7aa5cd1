"""Hazards (隐患) and their lifecycle: 发现 → 整改 → 复查 → 销号.

A finding is closed only by a later re-inspection (复查) that verifies it on site; an enterprise's
own report of a fix only moves it to ``rectified``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from inspector_app.domain.enterprise import TransitionError


class Severity(StrEnum):
    GENERAL = "一般"
    MAJOR = "重大"


class Order(StrEnum):
    IMMEDIATE = "立即整改"
    DEADLINE = "限期整改"
    # Corrected in the inspector's presence, with a photo of the corrected state: closed when the
    # visit completes, never served as an order and never overdue.
    ON_SITE_FIXED = "当场整改完毕"


class FindingStatus(StrEnum):
    OPEN = "open"
    RECTIFIED = "rectified"
    CLOSED = "closed"


FINDING_STATUS_LABELS = {
    FindingStatus.OPEN: "待整改",
    FindingStatus.RECTIFIED: "已报整改",
    FindingStatus.CLOSED: "已销号",
}


class RecheckResult(StrEnum):
    RECTIFIED = "已整改"
    NOT_RECTIFIED = "未整改"


class FindingEventKind(StrEnum):
    """Follow-ups are append-only events, so two laptops never overwrite each other's history."""

    FOUND = "found"
    REPORTED_RECTIFIED = "reported_rectified"
    RECHECK_PASSED = "recheck_passed"
    RECHECK_FAILED = "recheck_failed"


@dataclass(frozen=True, slots=True)
class FindingEvent:
    kind: FindingEventKind
    at: datetime
    visit_id: str | None = None
    note: str = ""
    new_deadline: date | None = None
    photos: tuple[str, ...] = ()


def default_deadline(order: Order, found_on: date, deadline_days: int | None) -> date:
    """立即整改 is due the day it is found; 限期整改 by the form's number of days (7 if unset)."""
    if order in (Order.IMMEDIATE, Order.ON_SITE_FIXED):
        return found_on
    return found_on + timedelta(days=deadline_days if deadline_days is not None else 7)


def validate_deadline(order: Order, found_on: date, deadline: date) -> None:
    if deadline < found_on:
        raise ValueError("整改期限不能早于发现日期")
    if order is Order.DEADLINE and deadline == found_on:
        raise ValueError("限期整改的期限应晚于发现当日")
    if order is Order.ON_SITE_FIXED and deadline != found_on:
        raise ValueError("当场整改完毕的隐患没有整改期限")


def validate_order(order: Order, severity: Severity) -> None:
    """A 重大 hazard is never "corrected on the spot": it needs a rectification plan and a re-inspection."""
    if order is Order.ON_SITE_FIXED and severity is Severity.MAJOR:
        raise ValueError("重大隐患不能记为当场整改完毕，应责令整改并复查")


def recheck_deadline(original: date, proposed: date | None, today: date, *, days: int = 7) -> date:
    """The new deadline a re-inspection sets for a finding it judged 未整改.

    Rechecked before the original deadline, the enterprise still has until then: the new deadline is
    never earlier than the original one (the default keeps it). Rechecked on or after the deadline,
    the default is ``days`` from today. A proposed date before the original deadline, or not after
    today, is refused.
    """
    if proposed is None:
        return original if original > today else today + timedelta(days=days)
    if proposed < original:
        raise ValueError(f"新的整改期限不能早于原整改期限（{original.isoformat()}）")
    if proposed <= today:
        raise ValueError("新的整改期限应晚于复查当日")
    return proposed


def status_after(status: FindingStatus, event: FindingEventKind) -> FindingStatus:
    """The lifecycle: events move a finding forward; a failed re-check reopens it."""
    if status is FindingStatus.CLOSED:
        raise TransitionError("已销号的隐患不能再变更")
    if event is FindingEventKind.REPORTED_RECTIFIED:
        return FindingStatus.RECTIFIED
    if event is FindingEventKind.RECHECK_PASSED:
        return FindingStatus.CLOSED
    if event is FindingEventKind.RECHECK_FAILED:
        return FindingStatus.OPEN
    raise TransitionError(f"未知的隐患事件：{event}")


def replay(events: tuple[FindingEvent, ...] | list[FindingEvent]) -> tuple[FindingStatus, date | None]:
    """Status and latest deadline from the event log, in time order (used when logs merge)."""
    status = FindingStatus.OPEN
    deadline: date | None = None
    for ev in sorted(events, key=lambda e: e.at):
        if ev.kind is FindingEventKind.FOUND:
            deadline = ev.new_deadline or deadline
            continue
        if status is FindingStatus.CLOSED:
            continue  # a late duplicate follow-up after closing changes nothing
        status = status_after(status, ev.kind)
        if ev.new_deadline is not None:
            deadline = ev.new_deadline
    return status, deadline
