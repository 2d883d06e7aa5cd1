"""Visits (检查) and the canonical document that freezes a completed one.

The canonical form is what the content hash covers, what the QR code on a printed record carries
and what sync sends: so it must be byte-for-byte stable across machines and versions.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class VisitStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class VisitKind(StrEnum):
    INSPECTION = "inspection"  # 检查
    RECHECK = "recheck"  # 复查


class Compliance(StrEnum):
    YES = "Y"
    NO = "N"
    NOT_APPLICABLE = "NA"


class Outcome(StrEnum):
    """What a completed visit concludes, in enforcement language. Forms choose among these.

    Never a penalty the inspector cannot impose on site: 责令停产整顿 is an administrative penalty; the
    on-site measure is 责令暂时停产停业 / 停止使用相关设施、设备 (《安全生产法》2021修正 第六十五条),
    served as a 现场处理措施决定书. A suspected 重大火灾隐患 is decided by collective review, not here.
    """

    NO_HAZARD = "未发现事故隐患"
    SITE_MEASURE = "发现重大事故隐患，采取现场处理措施"
    RECTIFY_BY_DEADLINE = "责令限期整改"
    NO_FIRE_VIOLATION = "未发现消防安全违法行为"
    FIRE_REVIEW = "发现涉嫌重大火灾隐患，报请集体讨论判定"
    FIRE_CORRECT = "责令改正"
    APPROVED = "准予复工"
    REFUSED = "不予复工"
    EPIDEMIC_RECTIFY = "限期整改"


# Outcomes no form may produce (older forms and visits are printed through enforcement.outcome_wording).
FORBIDDEN_OUTCOMES: frozenset[str] = frozenset({"责令停产整顿", "通过"})


COMPLIANCE_LABELS = {Compliance.YES: "符合", Compliance.NO: "不符合", Compliance.NOT_APPLICABLE: "不适用"}

# What an answer may hold. Decimals travel as strings so the hash never depends on float printing.
AnswerValue = str | int | bool | list[str] | None


# Signature roles on a visit: the enterprise's person in charge signs once for all; each inspector
# signs as "inspector:<badge>".
ENTERPRISE_ROLE = "enterprise"


def inspector_role(badge: str) -> str:
    return f"inspector:{badge}"


def new_id() -> str:
    return str(uuid.uuid4())


class VisitLockedError(RuntimeError):
    """A completed visit is immutable; any attempt to change it raises this."""


def normalize_value(value: Any) -> AnswerValue:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value  # type: ignore[no-any-return]


def canonical_json(document: dict[str, Any]) -> bytes:
    """Sorted keys, no insignificant blanks, UTF-8: the same bytes on every machine."""
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_hash(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k != "content_hash"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def iso(dt: datetime | None) -> str | None:
    """Timestamps in the canonical form: ISO 8601 to the second, with the offset kept."""
    return None if dt is None else dt.replace(microsecond=0).isoformat()
