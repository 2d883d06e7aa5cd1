"""Enterprise requests and difficulties (诉求/困难) recorded at a visit and followed up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inspector_app.domain.clock import as_utc

REQUEST_CATEGORIES: tuple[str, ...] = (
    "用工招聘",
    "资金融资",
    "原材料供应",
    "物流运输",
    "防疫物资",
    "政策咨询",
    "租金减免",
    "审批办证",
    "其他",
)


class RequestStatus(StrEnum):
    PENDING = "待跟进"
    IN_PROGRESS = "跟进中"
    RESOLVED = "已解决"


REQUEST_TRANSITIONS = {
    RequestStatus.PENDING: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.RESOLVED}),
    RequestStatus.RESOLVED: frozenset({RequestStatus.IN_PROGRESS}),  # reopened when it comes back
}


@dataclass(frozen=True, slots=True)
class FollowUpMark:
    """What decides a request's status: one follow-up's time as recorded, its id and status."""

    at: datetime
    id: str
    status: str


def latest_follow_up(follow_ups: Iterable[FollowUpMark]) -> FollowUpMark:
    """A request's status is that of its latest follow-up, whatever order they arrive in: the one
    recorded last, ties going to the greater id, so the laptop and the office always agree."""
    return max(follow_ups, key=lambda f: (as_utc(f.at), f.id))
