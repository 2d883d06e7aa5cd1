"""Enterprise requests and difficulties (诉求/困难) recorded at a visit and followed up."""

from __future__ import annotations

from enum import StrEnum

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
