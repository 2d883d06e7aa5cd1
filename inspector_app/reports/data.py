"""Everything a document prints, as plain values, and the pure rules that word them.

Builders are pure functions of these dataclasses (easy to test with hand-made data). Nothing in
this package reads a database: ``reports.compose`` turns a canonical visit document into these
values, and the laptop (services.report_data) and the office (central.console.documents) each
load the document their way and call it. Photos are carried as file paths with their upright size, never as
pixels, so a batch of a hundred records holds no image in memory (see ``images``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from inspector_app.checklist import Form, Item, ItemType, VisitContext, item_numbers
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, DocSpec, Domain
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.domain.figures import Figure
from inspector_app.domain.finding import FindingStatus, Order, RecheckResult, Severity
from inspector_app.domain.visit import COMPLIANCE_LABELS, AnswerValue, Compliance, VisitKind

FormSource = Callable[[str, str], Form | None]
Result = Literal["ok", "bad", "na", "info", "empty"]

APPROVED_STATUSES = frozenset({ResumptionStatus.APPROVED, ResumptionStatus.RESUMED})


class ReportError(ValueError):
    """A document that cannot be made for this visit; the message names the visit and says why."""


# ------------------------------------------------------------------------------------ values


@dataclass(frozen=True, slots=True)
class Issuer:
    unit: str  # the authority's full name
    seal: Path | None = None
    short_name: str = ""
    authorization: str = ""
    review_body: str = ""
    court: str = ""


@dataclass(frozen=True, slots=True)
class EnterpriseInfo:
    name: str
    credit_code: str
    address: str = ""
    legal_representative: str = ""
    contact: str = ""
    phone: str = ""
    category: str = ""
    grid: str = ""


@dataclass(frozen=True, slots=True)
class InspectorInfo:
    name: str
    badge_number: str


@dataclass(frozen=True, slots=True)
class Photo:
    sha256: str
    source: Path  # the original file; the printed copy is made and cached on first draw
    width: int = 0  # upright size, for the layout (0 when unknown)
    height: int = 0
    caption: str = ""
    taken_at: datetime | None = None  # when the photo reached the laptop (拍摄时间 on the evidence page)


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    number: int
    key: str
    label: str
    answer: str
    result: Result


@dataclass(frozen=True, slots=True)
class ChecklistSection:
    title: str
    lines: tuple[ChecklistLine, ...]


@dataclass(frozen=True, slots=True)
class FindingInfo:
    id: str
    title: str
    description: str
    severity: Severity
    order: Order
    deadline: date
    found_on: date
    rectification: str = ""
    legal_basis: str = ""
    item_label: str = ""
    status: FindingStatus = FindingStatus.OPEN
    photos: tuple[Photo, ...] = ()
    rectified_photos: tuple[Photo, ...] = ()

    @property
    def major(self) -> bool:
        return self.severity is Severity.MAJOR

    @property
    def fact(self) -> str:
        """The violation stated as a fact: the form's violation sentence (or the inspector's words)."""
        return violation_text(self.title, self.description, self.item_label)


@dataclass(frozen=True, slots=True)
class RequestInfo:
    category: str
    description: str
    status: str


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    role: str
    role_label: str
    signer: str
    image: Path | None
    refused_reason: str = ""
    signed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SitePeopleInfo:
    """The person in charge on site and the witness, as the visit recorded them (blank: by hand)."""

    onsite_name: str = ""
    onsite_title: str = ""
    onsite_id_number: str = ""
    onsite_phone: str = ""
    witness_name: str = ""
    witness_unit: str = ""


@dataclass(frozen=True, slots=True)
class RecordData:
    visit_id: str
    content_hash: str
    completed: bool
    kind: VisitKind
    form_title: str
    issuer: Issuer
    number: str | None
    domain: Domain
    enterprise: EnterpriseInfo
    inspectors: tuple[InspectorInfo, ...]
    place: str
    started_at: datetime
    completed_at: datetime | None
    outcome: str
    sections: tuple[ChecklistSection, ...]
    findings: tuple[FindingInfo, ...]
    requests: tuple[RequestInfo, ...]
    signatures: tuple[SignatureInfo, ...]
    photos: tuple[Photo, ...] = ()
    recheck: tuple[RecheckLine, ...] = ()
    cache_dir: Path | None = None  # where print-size copies of photos are kept
    blank_signatures: bool = False  # print empty signature boxes for wet ink
    served: tuple[ServedDocument, ...] = ()  # the documents this visit issued, for the record's foot
    form_edition: str = ""  # version and the period the checklist's content is valid for
    people: SitePeopleInfo = SitePeopleInfo()


@dataclass(frozen=True, slots=True)
class ServedDocument:
    title: str
    number: str
    issued_on: date


@dataclass(frozen=True, slots=True)
class NoticeData:
    visit_id: str
    number: str
    issued_on: date
    issuer: Issuer
    enterprise: EnterpriseInfo
    inspected_on: date
    place: str
    inspectors: tuple[InspectorInfo, ...]
    findings: tuple[FindingInfo, ...]
    recheck_on: date
    signatures: tuple[SignatureInfo, ...]
    kind: DocKind = DocKind.SAFETY_ORDER
    domain: Domain = Domain.SAFETY
    record_number: str = ""
    blank_signatures: bool = False
    people: SitePeopleInfo = SitePeopleInfo()

    @property
    def spec(self) -> DocSpec:
        return DOC_SPECS[self.kind]


@dataclass(frozen=True, slots=True)
class RecheckLine:
    title: str
    description: str
    severity: Severity
    order: Order
    deadline: date
    result: RecheckResult
    note: str = ""
    new_deadline: date | None = None
    notice_number: str = ""


@dataclass(frozen=True, slots=True)
class NoticeRef:
    number: str
    issued_on: date
    auto_issued: bool = False  # kept for callers; numbers are now fixed when the visit completes
    title: str = "责令限期整改指令书"


@dataclass(frozen=True, slots=True)
class RecheckData:
    visit_id: str
    number: str
    issued_on: date
    issuer: Issuer
    enterprise: EnterpriseInfo
    rechecked_on: date
    notices: tuple[NoticeRef, ...]
    lines: tuple[RecheckLine, ...]
    inspectors: tuple[InspectorInfo, ...]
    signatures: tuple[SignatureInfo, ...]
    domain: Domain = Domain.SAFETY
    blank_signatures: bool = False
    place: str = ""
    people: SitePeopleInfo = SitePeopleInfo()


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    in_scope: int
    inspected: int
    approved: int  # 核查通过 or 已复工 (approved to resume)
    findings: int
    resumed: int = 0  # 已复工 (actually resumed), counted apart from approval

    @property
    def resumption_rate(self) -> float | None:
        """复工率: actually resumed ÷ in scope (approval is not resumption)."""
        return None if self.in_scope == 0 else self.resumed / self.in_scope


@dataclass(frozen=True, slots=True)
class InspectorRow:
    name: str
    badge_number: str
    visits: int
    enterprises: int
    findings: int


@dataclass(frozen=True, slots=True)
class OverdueRow:
    enterprise: str
    title: str
    severity: Severity
    deadline: date
    days_overdue: int


@dataclass(frozen=True, slots=True)
class RequestRow:
    category: str
    counts: tuple[tuple[str, int], ...]  # status → count, in REQUEST_STATUSES order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True, slots=True)
class SummaryData:
    issuer: Issuer
    scope: str  # "全部" / "第三检查组" / "网格：工业一区"
    date_from: date
    date_to: date
    generated_at: datetime
    visits: int
    rechecks: int
    enterprises_in_scope: int
    enterprises_inspected: int
    approved: int
    findings_found: int
    findings_closed: int
    major_found: int
    major_closed: int
    fixed_on_site: int
    categories: tuple[CategoryRow, ...]
    inspectors: tuple[InspectorRow, ...]
    overdue: tuple[OverdueRow, ...]
    requests: tuple[RequestRow, ...]
    daily: tuple[tuple[date, int, int], ...] = field(default=())  # day, visits, findings
    street: tuple[Figure, ...] = ()  # the figures reported upward (domain.figures)

    @property
    def resumption_rate(self) -> float | None:
        return None if self.enterprises_in_scope == 0 else self.approved / self.enterprises_in_scope

    @property
    def rectification_rate(self) -> float | None:
        return None if self.findings_found == 0 else self.findings_closed / self.findings_found

    @property
    def major_rectification_rate(self) -> float | None:
        return None if self.major_found == 0 else self.major_closed / self.major_found


REQUEST_STATUSES = ("待跟进", "跟进中", "已解决")


# ------------------------------------------------------------------------------------ rules


NOT_MET = "：不符合要求"


def form_edition(form: Form | None) -> str:
    """ "2026.1版，2023年5月15日起适用": which checklist, valid for which period (traceability)."""
    if form is None:
        return ""
    text = f"{form.version}版"
    start = date.fromisoformat(form.valid_from) if form.valid_from else None
    end = date.fromisoformat(form.valid_until) if form.valid_until else None
    if start and end:
        text += f"，{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日适用"
    elif start:
        text += f"，{start.year}年{start.month}月{start.day}日起适用"
    return text


def violation_text(title: str, description: str, label: str = "") -> str:
    """The finding as a statement of fact. Forms give each item a violation sentence (the finding's
    description); older findings carry "requirement：不符合要求", printed as "未做到：requirement"."""
    text = (description or "").strip() or title
    if text.endswith(NOT_MET):
        text = "未做到" + text[: -len(NOT_MET)].split("：", 1)[0].strip()
    elif text.startswith("存在问题："):
        text = text[len("存在问题：") :]
    return text.rstrip("。；;")


def order_kind(domain: Domain, order: Order, major: bool) -> DocKind:
    """Which document orders the fix of a finding of this order in this domain."""
    if domain is Domain.SAFETY:
        return DocKind.SAFETY_ORDER
    if domain is Domain.EPIDEMIC:
        return DocKind.EPIDEMIC_NOTICE
    return DocKind.FIRE_IMMEDIATE if order is Order.IMMEDIATE else DocKind.FIRE_DEADLINE


def finding_in(kind: DocKind, order: Order, major: bool) -> bool:
    """Whether a document of this kind lists a finding (corrected-on-the-spot ones stay on the record)."""
    if order is Order.ON_SITE_FIXED:
        return False
    if kind is DocKind.SITE_MEASURE:
        return major
    if kind is DocKind.FIRE_IMMEDIATE:
        return order is Order.IMMEDIATE
    if kind is DocKind.FIRE_DEADLINE:
        return order is Order.DEADLINE
    return kind in (DocKind.SAFETY_ORDER, DocKind.EPIDEMIC_NOTICE)


def recheck_date(findings: Sequence[FindingInfo], inspected_on: date) -> date:
    """Re-inspection on the latest deadline (all items are due by then); the next day when every item
    was ordered fixed at once, so the fix is verified rather than assumed."""
    deadlines = [f.deadline for f in findings if f.order is Order.DEADLINE]
    if deadlines:
        return max(deadlines)
    return inspected_on + timedelta(days=1)


def answer_text(item: Item | None, value: AnswerValue) -> tuple[str, Result]:
    """What the paper form shows for an answer, and whether it is a non-compliance."""
    if value is None or value in ("", []):
        if item is not None and item.type is ItemType.PHOTOS:
            return "未拍照", "empty"
        return "未填写", "empty"
    if item is None:
        if isinstance(value, str) and value in {c.value for c in Compliance}:
            c = Compliance(value)
            return COMPLIANCE_LABELS[c], {"Y": "ok", "N": "bad", "NA": "na"}[c.value]  # type: ignore[return-value]
        if isinstance(value, bool):
            return ("是" if value else "否"), "info"
        if isinstance(value, list):
            return "、".join(str(v) for v in value), "info"
        return str(value), "info"
    kind = item.type
    if kind is ItemType.COMPLIANCE and isinstance(value, str) and value in {c.value for c in Compliance}:
        c = Compliance(value)
        return COMPLIANCE_LABELS[c], {"Y": "ok", "N": "bad", "NA": "na"}[c.value]  # type: ignore[return-value]
    if kind is ItemType.YESNO:
        bad = item.bad_answer is not None and value == item.bad_answer
        return ("是" if value else "否"), (
            "bad" if bad else ("ok" if item.bad_answer is not None else "info")
        )
    if kind in (ItemType.CHOICE, ItemType.MULTI):
        values = value if isinstance(value, list) else [value]
        labels = [_choice_label(item, str(v)) for v in values]
        if item.tick_list:
            return ("存在问题：" + "；".join(labels), "bad") if labels else ("未发现问题", "ok")
        return "、".join(labels), "info"
    if kind is ItemType.PHOTOS and isinstance(value, list):
        return f"照片 {len(value)} 张（见附图）", "info"
    text = str(value)
    if item.unit:
        text = f"{text} {item.unit}"
    return text, "info"


def _choice_label(item: Item, value: str) -> str:
    choice = item.choice(value)
    return str(choice.label) if choice is not None else value


def checklist_lines(
    form: Form | None,
    answers: dict[str, AnswerValue],
    bad_keys: set[str],
    *,
    category: str = "",
    today: date | None = None,
    context: VisitContext | None = None,
) -> tuple[ChecklistSection, ...]:
    """Every visible item of the form in form order, numbered as on screen (checklist.item_numbers);
    signatures are printed apart. ``context`` is the visit's (checklist.VisitContext): the same
    judgement the visit service made, a refusal to sign included; ``category``/``today`` build
    one when it is not given."""
    if form is None:
        lines = []
        for n, key in enumerate(sorted(answers), start=1):
            text, result = answer_text(None, answers[key])
            if key in bad_keys:
                result = "bad"
            lines.append(ChecklistLine(n, key, key, text, result))
        return (ChecklistSection("检查项目", tuple(lines)),) if lines else ()
    ctx = context if context is not None else VisitContext(category, today)
    ev = ctx.evaluate(form, answers) if answers else None
    visible = ev.visible if ev is not None else set(form.items)
    computed = ev.computed if ev is not None else {}
    numbers = item_numbers(form, visible)
    out = []
    for section in form.sections:
        sec_lines = []
        for item in section.items:
            if item.key not in numbers:
                continue
            value = computed.get(item.key) if item.computed else answers.get(item.key)
            text, result = answer_text(item, value)
            if item.key in bad_keys and result != "na":
                result = "bad"
            sec_lines.append(ChecklistLine(numbers[item.key], item.key, str(item.label), text, result))
        if sec_lines:
            out.append(ChecklistSection(str(section.title), tuple(sec_lines)))
    return tuple(out)


def library_source(library: object) -> FormSource:
    """Adapt a ``FormLibrary`` (anything with ``get(code, version)`` raising KeyError)."""
    get = library.get  # type: ignore[attr-defined]

    def source(code: str, version: str) -> Form | None:
        try:
            form: Form = get(code, version)
        except KeyError:
            return None
        return form

    return source
