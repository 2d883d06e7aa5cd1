"""The enterprise register and its resumption lifecycle.

未复工 → 已备案 → 核查中 → 核查通过 / 需整改 → 已复工, and 停业 from anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ResumptionStatus(StrEnum):
    NOT_RESUMED = "未复工"
    FILED = "已备案"
    UNDER_REVIEW = "核查中"
    APPROVED = "核查通过"
    NEEDS_RECTIFICATION = "需整改"
    RESUMED = "已复工"
    CLOSED = "停业"


_S = ResumptionStatus
# 停业 can happen from any state and an enterprise can restart its filing from 停业.
RESUMPTION_TRANSITIONS: dict[ResumptionStatus, frozenset[ResumptionStatus]] = {
    _S.NOT_RESUMED: frozenset({_S.FILED, _S.CLOSED}),
    _S.FILED: frozenset({_S.UNDER_REVIEW, _S.NOT_RESUMED, _S.CLOSED}),
    _S.UNDER_REVIEW: frozenset({_S.APPROVED, _S.NEEDS_RECTIFICATION, _S.CLOSED}),
    _S.NEEDS_RECTIFICATION: frozenset({_S.UNDER_REVIEW, _S.APPROVED, _S.CLOSED}),
    _S.APPROVED: frozenset({_S.RESUMED, _S.NEEDS_RECTIFICATION, _S.CLOSED}),
    _S.RESUMED: frozenset({_S.NEEDS_RECTIFICATION, _S.CLOSED}),
    _S.CLOSED: frozenset({_S.NOT_RESUMED, _S.FILED}),
}


class TransitionError(ValueError):
    """A lifecycle step that the rules do not allow."""


def advance_resumption(current: ResumptionStatus, target: ResumptionStatus) -> ResumptionStatus:
    if target == current:
        return current
    if target not in RESUMPTION_TRANSITIONS[current]:
        raise TransitionError(f"复工状态不能从“{current}”变为“{target}”")
    return target


# Mainland mobile numbers and landlines with an optional area code and extension.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8}(-\d{1,6})?)$")


def validate_phone(phone: str) -> str:
    norm = phone.strip().replace(" ", "").replace("－", "-")
    if norm and not _PHONE.match(norm):
        raise ValueError(f"电话号码格式不正确：{phone}")
    return norm


# The categories are data (the office adds its own); these are the ones the field uses most.
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "规上工业企业",
    "规下企业",
    "建筑工地",
    "小档口",
    "小作坊",
    "小娱乐场所",
    "个体工商户",
    "出租屋",
    "商场市场",
    "学校",
    "酒店",
)
SIZE_CLASSES: tuple[str, ...] = ("规上", "限上", "规下", "小微")


# The master data an office keeps and an inspector may correct in the field; the credit code is the
# key and never changes. Import, edits, sync and the server all speak of these fields.
MASTER_DATA_FIELDS: tuple[str, ...] = (
    "name",
    "address",
    "grid",
    "category",
    "industry",
    "size_class",
    "legal_representative",
    "contact",
    "phone",
    "staff_total",
    "staff_on_site",
    "resumption_status",
)


def master_data(source: Mapping[str, Any] | object) -> dict[str, Any]:
    """The master-data fields of a row (a mapping) or a record (attributes), by name: the one
    field list (``MASTER_DATA_FIELDS``) drives every mapper between the stores, the wire and here."""
    if isinstance(source, Mapping):
        return {f: source[f] for f in MASTER_DATA_FIELDS}
    return {f: getattr(source, f) for f in MASTER_DATA_FIELDS}


def enterprise_from(
    credit_code: str,
    source: Mapping[str, Any] | object,
    extra: Mapping[str, str] | None = None,
    *,
    unknown_status: ResumptionStatus | None = None,
) -> Enterprise:
    """An Enterprise from a store row or a wire record. A resumption status this version does not
    know raises ValueError, or becomes ``unknown_status`` when one is given (a pulled record)."""
    data = master_data(source)
    data["grid"] = data["grid"] or ""
    data["category"] = data["category"] or ""
    try:
        data["resumption_status"] = ResumptionStatus(data["resumption_status"])
    except ValueError:
        if unknown_status is None:
            raise
        data["resumption_status"] = unknown_status
    return Enterprise(credit_code=credit_code, **data, extra=dict(extra or {}))


@dataclass(frozen=True, slots=True)
class Enterprise:
    credit_code: str
    name: str
    address: str = ""
    grid: str = ""
    category: str = ""
    industry: str = ""
    size_class: str = ""
    legal_representative: str = ""
    contact: str = ""
    phone: str = ""
    staff_total: int | None = None
    staff_on_site: int | None = None
    resumption_status: ResumptionStatus = ResumptionStatus.NOT_RESUMED
    extra: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[tuple[str, str]]:
        """Rule violations as (field, message); empty when the record is sound."""
        out: list[tuple[str, str]] = []
        if not self.name.strip():
            out.append(("name", "企业名称不能为空"))
        for attr, label in (("staff_total", "员工总数"), ("staff_on_site", "到岗人数")):
            value = getattr(self, attr)
            if value is not None and value < 0:
                out.append((attr, f"{label}不能为负数"))
        if (
            self.staff_total is not None
            and self.staff_on_site is not None
            and self.staff_on_site > self.staff_total
        ):
            out.append(("staff_on_site", "到岗人数不能大于员工总数"))
        return out


# The on-site check whose outcome moves the resumption status, and the outcomes that count as passed.
# The laptop applies the rule when a visit is completed, the office server when it accepts the visit.
RESUMPTION_FORMS: frozenset[str] = frozenset({"epidemic-resumption"})
PASSED_OUTCOMES: frozenset[str] = frozenset({"通过", "准予复工", "核查通过"})


def resumption_after_inspection(current: ResumptionStatus, passed: bool) -> ResumptionStatus:
    """What an on-site resumption check does to the status: passing approves, failing sends it back.

    A check on an enterprise that never filed still counts: the visit is the verification.
    停业 is the office's decision and no visit changes it.
    """
    if current is ResumptionStatus.CLOSED:
        return current
    if passed:
        return current if current is ResumptionStatus.RESUMED else ResumptionStatus.APPROVED
    return ResumptionStatus.NEEDS_RECTIFICATION


def resumption_after_visit(current: ResumptionStatus, form_code: str, outcome: str) -> ResumptionStatus:
    """The status after a completed visit: only a resumption check changes it (see above)."""
    if form_code not in RESUMPTION_FORMS:
        return current
    return resumption_after_inspection(current, outcome in PASSED_OUTCOMES)


def person_in_charge(recorded: str, contact: str, legal_representative: str) -> str:
    """Who answers for the enterprise on site (现场负责人), signs its part of a record and is named
    as such: the person recorded at the visit, else the register's contact, else its legal
    representative. The record, the signature card and the service all ask this one rule."""
    return recorded or contact or legal_representative
