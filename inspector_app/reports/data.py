"""Everything a document prints, loaded from the store into plain values.

Builders are pure functions of these dataclasses (easy to test with hand-made data); only this
module reads the database. Photos are carried as file paths with their upright size, never as
pixels, so a batch of a hundred records holds no image in memory (see ``images``).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from sqlmodel import Session, col, select

from inspector_app.checklist import Form, Item, ItemType, evaluate
from inspector_app.domain.authority import AuthorityMissing, IssuingAuthority
from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, DocSpec, Domain, domain_of
from inspector_app.domain.enterprise import PASSED_OUTCOMES, ResumptionStatus
from inspector_app.domain.figures import (
    DocumentRow,
    EnterpriseRow,
    Figure,
    FindingRow,
    VisitRow,
    street_figures,
)
from inspector_app.domain.finding import FindingStatus, Order, RecheckResult, Severity
from inspector_app.domain.visit import COMPLIANCE_LABELS, AnswerValue, Compliance, VisitKind, VisitStatus
from inspector_app.services import documents, settings
from inspector_app.services.documents import IssuedNumber
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace

FormSource = Callable[[str, str], Form | None]
Result = Literal["ok", "bad", "na", "info", "empty"]

APPROVED_STATUSES = frozenset({ResumptionStatus.APPROVED, ResumptionStatus.RESUMED})
ENTERPRISE_ROLE = "enterprise"


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


# ------------------------------------------------------------------------------------ loading


class ReportLoader:
    """Reads one workspace for the document builders. ``forms`` resolves a visit's form version."""

    def __init__(self, workspace: Workspace, forms: FormSource | None = None) -> None:
        self.ws = workspace
        self.forms = forms

    # -- shared pieces

    def _settings(self, s: Session) -> tuple[IssuingAuthority, Issuer]:
        conf = settings.load(s)
        authority = conf.authority()
        seal = settings.seal_path(self.ws, conf)
        if seal is None:
            authority = dataclasses.replace(authority, seal_present=False)
        issuer = Issuer(
            conf.issuing_unit,
            seal,
            authority.short_name,
            authority.authorization,
            authority.review_body,
            authority.court,
        )
        return authority, issuer

    def _number(
        self, s: Session, authority: IssuingAuthority, v: tables.Visit, kind: DocKind
    ) -> IssuedNumber:
        """The number fixed when the visit completed (given now for visits completed before that rule),
        refused with the missing settings named when the authority is incomplete."""
        missing = authority.missing_for(kind)
        if missing:
            raise ReportError(str(AuthorityMissing(DOC_SPECS[kind].title, missing)))
        return documents.issue(s, v.id, kind, on=local_date(v.completed_at or v.started_at))

    def _visit(self, s: Session, visit_id: str) -> tables.Visit:
        v = s.get(tables.Visit, visit_id)
        if v is None:
            raise ReportError(f"检查记录 {visit_id} 不存在")
        return v

    def _enterprise(self, s: Session, enterprise_id: int) -> EnterpriseInfo:
        e = s.get(tables.Enterprise, enterprise_id)
        if e is None:
            raise ReportError(f"企业 #{enterprise_id} 不存在")
        return EnterpriseInfo(
            name=e.name,
            credit_code=e.credit_code,
            address=e.address,
            legal_representative=e.legal_representative,
            contact=e.contact,
            phone=e.phone,
            category=e.category or "",
            grid=e.grid or "",
        )

    def _inspectors(self, s: Session, v: tables.Visit) -> tuple[InspectorInfo, ...]:
        out = []
        for badge in json.loads(v.inspectors_json):
            row = s.get(tables.Inspector, badge)
            out.append(InspectorInfo(row.name if row is not None else "", badge))
        return tuple(out)

    def _photo(self, s: Session, sha: str, caption: str = "") -> Photo:
        a = s.get(tables.Attachment, sha)
        return Photo(
            sha256=sha,
            source=attachments.path_for(self.ws.attachments_dir, sha),
            width=a.width if a is not None else 0,
            height=a.height if a is not None else 0,
            caption=caption,
            taken_at=a.created_at if a is not None else None,
        )

    def _signatures(
        self, s: Session, v: tables.Visit, inspectors: Sequence[InspectorInfo]
    ) -> tuple[SignatureInfo, ...]:
        rows = {g.role: g for g in s.exec(select(tables.Signature).where(tables.Signature.visit_id == v.id))}
        out: list[SignatureInfo] = []
        # Inspectors first, in the visit's order, then the enterprise: the order of the paper form.
        roles = [
            (f"inspector:{i.badge_number}", f"检查人员（执法证号 {i.badge_number}）", i.name)
            for i in inspectors
        ]
        roles.append((ENTERPRISE_ROLE, "被检查单位现场负责人", ""))
        for role, label, default_name in roles:
            g = rows.get(role)
            if g is None:
                out.append(SignatureInfo(role, label, default_name, None))
                continue
            image = attachments.path_for(self.ws.attachments_dir, g.sha256) if g.sha256 else None
            out.append(
                SignatureInfo(role, label, g.signer or default_name, image, g.refused_reason, g.signed_at)
            )
        return tuple(out)

    def _findings(
        self, s: Session, rows: Iterable[tables.Finding], labels: dict[str, str]
    ) -> tuple[FindingInfo, ...]:
        rows = list(rows)
        photos: dict[tuple[str, str], list[str]] = defaultdict(list)
        if rows:
            for p in s.exec(
                select(tables.FindingPhoto)
                .where(col(tables.FindingPhoto.finding_id).in_([r.id for r in rows]))
                .order_by(col(tables.FindingPhoto.sha256))
            ):
                photos[(p.finding_id, p.stage)].append(p.sha256)
        return tuple(
            FindingInfo(
                id=f.id,
                title=f.title,
                description=f.description,
                severity=Severity(f.severity),
                order=Order(f.order),
                deadline=f.deadline,
                found_on=f.found_on,
                rectification=getattr(f, "rectification", "") or "",
                legal_basis=f.legal_basis,
                item_label=labels.get(f.item_key, ""),
                status=FindingStatus(f.status),
                photos=tuple(self._photo(s, sha, f.title) for sha in photos[(f.id, "found")]),
                rectified_photos=tuple(
                    self._photo(s, sha, f"{f.title}（整改后）") for sha in photos[(f.id, "rectified")]
                ),
            )
            for f in rows
        )

    def _form(self, v: tables.Visit) -> Form | None:
        if self.forms is None:
            return None
        return self.forms(v.form_code, v.form_version)

    def _domain(self, v: tables.Visit, form: Form | None, s: Session | None = None) -> Domain:
        """The visit's regime; a re-inspection takes the regime of the visit that found the problems."""
        if v.kind == VisitKind.RECHECK.value and s is not None:
            mark = s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == v.id)).first()
            f = s.get(tables.Finding, mark.finding_id) if mark is not None else None
            origin = s.get(tables.Visit, f.visit_id) if f is not None else None
            if origin is not None and origin.kind != VisitKind.RECHECK.value:
                return self._domain(origin, self._form(origin))
        return domain_of(v.form_code, form.domain if form is not None else "")

    # -- 现场检查记录

    def record(
        self, visit_id: str, *, assign_number: bool = True, blank_signatures: bool = False
    ) -> RecordData:
        with self.ws.session() as s:
            v = self._visit(s, visit_id)
            authority, issuer = self._settings(s)
            completed = v.status == VisitStatus.COMPLETED.value
            number: str | None = None
            if completed and assign_number:
                number = self._number(s, authority, v, DocKind.RECORD).text(authority)
            form = self._form(v)
            answers = {
                a.item_key: json.loads(a.value_json)
                for a in s.exec(select(tables.Answer).where(tables.Answer.visit_id == v.id))
            }
            finding_rows = s.exec(
                select(tables.Finding)
                .where(tables.Finding.visit_id == v.id)
                .order_by(
                    col(tables.Finding.found_on), col(tables.Finding.item_key), col(tables.Finding.option)
                )
            ).all()
            bad_keys = {f.item_key for f in finding_rows}
            ent_row = s.get(tables.Enterprise, v.enterprise_id)
            sections = checklist_lines(
                form,
                answers,
                bad_keys,
                category=(ent_row.category or "") if ent_row else "",
                today=local_date(v.completed_at or v.started_at),
            )
            labels = {ln.key: ln.label for sec in sections for ln in sec.lines}
            findings = self._findings(s, _sort_by_form(finding_rows, form), labels)
            inspectors = self._inspectors(s, v)
            in_findings = {p.sha256 for f in findings for p in f.photos}
            visit_photos = tuple(
                self._photo(s, p.sha256, labels.get(p.item_key, ""))
                for p in s.exec(
                    select(tables.VisitPhoto)
                    .where(tables.VisitPhoto.visit_id == v.id)
                    .order_by(col(tables.VisitPhoto.id))
                )
                if p.sha256 not in in_findings
            )
            recheck = self._recheck_lines(s, v) if v.kind == VisitKind.RECHECK.value else ()
            served: list[ServedDocument] = []
            if completed:
                for kind in documents.kinds_for(s, v, form):
                    issued = documents.find(s, v.id, kind)
                    if kind is DocKind.RECORD or issued is None or authority.missing_for(kind):
                        continue
                    served.append(
                        ServedDocument(DOC_SPECS[kind].title, issued.text(authority), issued.issued_on)
                    )
            return RecordData(
                visit_id=v.id,
                content_hash=v.content_hash,
                completed=completed,
                kind=VisitKind(v.kind),
                form_title=str(form.title) if form is not None else v.form_code,
                issuer=issuer,
                number=number,
                domain=self._domain(v, form, s),
                enterprise=self._enterprise(s, v.enterprise_id),
                inspectors=inspectors,
                place=v.place,
                started_at=v.started_at,
                completed_at=v.completed_at,
                outcome=v.outcome,
                sections=sections,
                findings=findings,
                requests=(),  # enterprise requests (诉求) are service records, not part of the 执法文书
                signatures=self._signatures(s, v, inspectors),
                photos=visit_photos,
                recheck=recheck,
                cache_dir=self.ws.thumbnails_dir,
                blank_signatures=blank_signatures,
                served=tuple(served),
                form_edition=form_edition(form),
            )

    # -- the orders served on the enterprise (指令书 / 通知书 / 决定书)

    def orders(self, visit_id: str, *, blank_signatures: bool = False) -> list[NoticeData]:
        """Every order the completed visit issues, in serving order."""
        with self.ws.session() as s:
            v = self._visit(s, visit_id)
            if v.status != VisitStatus.COMPLETED.value:
                raise ReportError(f"检查 {visit_id} 尚未完成，完成后才能出具执法文书")
            form = self._form(v)
            kinds = [k for k in documents.kinds_for(s, v, form) if k not in (DocKind.RECORD, DocKind.RECHECK)]
            if not kinds:
                raise ReportError(f"检查 {visit_id} 没有需要责令整改的问题，无需出具整改文书")
            return [self._order(s, v, form, kind, blank_signatures) for kind in kinds]

    def notice(self, visit_id: str, kind: DocKind | None = None) -> NoticeData:
        found = self.orders(visit_id)
        for data in found:
            if kind is None or data.kind is kind:
                return data
        raise ReportError(f"检查 {visit_id} 不出具{DOC_SPECS[kind].title if kind else '整改文书'}")

    def _order(
        self, s: Session, v: tables.Visit, form: Form | None, kind: DocKind, blank_signatures: bool
    ) -> NoticeData:
        authority, issuer = self._settings(s)
        issued = self._number(s, authority, v, kind)
        record_no = self._number(s, authority, v, DocKind.RECORD).text(authority)
        rows = s.exec(select(tables.Finding).where(tables.Finding.visit_id == v.id)).all()
        rows = [f for f in rows if finding_in(kind, Order(f.order), f.severity == Severity.MAJOR.value)]
        labels = {ln.key: ln.label for sec in checklist_lines(form, {}, set()) for ln in sec.lines}
        findings = self._findings(s, _sort_by_form(rows, form), labels)
        inspectors = self._inspectors(s, v)
        day = local_date(v.completed_at or v.started_at)
        return NoticeData(
            visit_id=v.id,
            number=issued.text(authority),
            issued_on=issued.issued_on,
            issuer=issuer,
            enterprise=self._enterprise(s, v.enterprise_id),
            inspected_on=day,
            place=v.place,
            inspectors=inspectors,
            findings=findings,
            recheck_on=recheck_date(findings, day),
            signatures=self._signatures(s, v, inspectors),
            kind=kind,
            domain=self._domain(v, form),
            record_number=record_no,
            blank_signatures=blank_signatures,
        )

    # -- 整改复查意见书

    def _recheck_lines(self, s: Session, v: tables.Visit) -> tuple[RecheckLine, ...]:
        lines, _ = self._recheck_lines_and_notices(s, v, None)
        return lines

    def _recheck_lines_and_notices(
        self, s: Session, v: tables.Visit, authority: IssuingAuthority | None
    ) -> tuple[tuple[RecheckLine, ...], tuple[NoticeRef, ...]]:
        """Each rechecked finding with the order that required its fix: number and date from the
        record of the original visit, never typed."""
        marks = s.exec(
            select(tables.RecheckMark)
            .where(tables.RecheckMark.visit_id == v.id)
            .order_by(col(tables.RecheckMark.marked_at))
        ).all()
        notices: dict[tuple[str, DocKind], NoticeRef] = {}
        lines = []
        for m in marks:
            f = s.get(tables.Finding, m.finding_id)
            if f is None:
                continue
            origin = s.get(tables.Visit, f.visit_id)
            kind = order_kind(
                self._domain(origin, self._form(origin)) if origin is not None else Domain.SAFETY,
                Order(f.order) if f.order != Order.ON_SITE_FIXED.value else Order.IMMEDIATE,
                f.severity == Severity.MAJOR.value,
            )
            ref = notices.get((f.visit_id, kind))
            if ref is None:
                issued = documents.find(s, f.visit_id, kind)
                number = ""
                if issued is not None and authority is not None and not authority.missing_for(kind):
                    number = issued.text(authority)
                ref = NoticeRef(
                    number, issued.issued_on if issued else f.found_on, title=DOC_SPECS[kind].title
                )
                notices[(f.visit_id, kind)] = ref
            lines.append(
                RecheckLine(
                    title=f.title,
                    description=f.description,
                    severity=Severity(f.severity),
                    order=Order(f.order),
                    deadline=_original_deadline(s, f),
                    result=RecheckResult(m.result),
                    note=m.note,
                    new_deadline=m.new_deadline,
                    notice_number=ref.number,
                )
            )
        return tuple(lines), tuple(notices.values())

    def recheck(
        self, visit_id: str, *, auto_issue_notice: bool = True, blank_signatures: bool = False
    ) -> RecheckData:
        with self.ws.session() as s:
            v = self._visit(s, visit_id)
            if v.kind != VisitKind.RECHECK.value:
                raise ReportError(f"检查 {visit_id} 不是复查，不能出具整改复查意见书")
            if v.status != VisitStatus.COMPLETED.value:
                raise ReportError(f"复查 {visit_id} 尚未完成，完成后才能出具整改复查意见书")
            authority, issuer = self._settings(s)
            issued = self._number(s, authority, v, DocKind.RECHECK)
            lines, notices = self._recheck_lines_and_notices(s, v, authority)
            if not lines:
                raise ReportError(f"复查 {visit_id} 没有记录任何隐患的整改情况")
            if any(not n.number for n in notices):
                raise ReportError(
                    f"复查 {visit_id} 所涉问题在原检查中没有出具整改文书，不能出具整改复查意见书"
                )
            inspectors = self._inspectors(s, v)
            return RecheckData(
                visit_id=v.id,
                number=issued.text(authority),
                issued_on=issued.issued_on,
                issuer=issuer,
                enterprise=self._enterprise(s, v.enterprise_id),
                rechecked_on=local_date(v.started_at),
                notices=notices,
                lines=lines,
                inspectors=inspectors,
                signatures=self._signatures(s, v, inspectors),
                blank_signatures=blank_signatures,
            )

    # -- batch

    def visits_of_day(self, day: date) -> list[str]:
        start, end = _day_bounds(day, day)
        with self.ws.session() as s:
            rows = s.exec(
                select(tables.Visit.id)
                .where(
                    col(tables.Visit.started_at) >= start,
                    col(tables.Visit.started_at) < end,
                    tables.Visit.status == VisitStatus.COMPLETED.value,
                )
                .order_by(col(tables.Visit.started_at), col(tables.Visit.id))
            ).all()
        # started_at is stored as UTC-naive or aware depending on the writer: filter exactly.
        return list(rows)

    # -- summary

    def summary(  # noqa: PLR0915 - one pass over the period's rows; splitting it would re-read them
        self,
        date_from: date,
        date_to: date,
        *,
        team: str | None = None,
        grid: str | None = None,
        now: datetime | None = None,
    ) -> SummaryData:
        if date_to < date_from:
            raise ReportError("结束日期早于开始日期")
        start, end = _day_bounds(date_from, date_to)
        with self.ws.session() as s:
            _, issuer = self._settings(s)
            inspectors = {i.badge_number: i for i in s.exec(select(tables.Inspector))}
            if team is not None and s.get(tables.Team, team) is None:
                raise ReportError(f"检查组 {team} 不存在")
            if grid is not None and s.get(tables.Grid, grid) is None:
                raise ReportError(f"网格 {grid} 不存在")
            ents = {_eid(e.id): e for e in s.exec(select(tables.Enterprise))}
            team_badges = {b for b, i in inspectors.items() if i.team == team} if team else set()
            scope_ids: set[int]
            if grid is not None:
                scope_ids = {eid for eid, e in ents.items() if e.grid == grid}
            elif team is not None:
                scope_ids = set(
                    s.exec(select(tables.Assignment.enterprise_id).where(tables.Assignment.team == team))
                )
            else:
                scope_ids = set(ents)
            visits = [
                v
                for v in s.exec(
                    select(tables.Visit).where(
                        col(tables.Visit.started_at) >= start,
                        col(tables.Visit.started_at) < end,
                        tables.Visit.status == VisitStatus.COMPLETED.value,
                    )
                )
                if _in_scope(v, grid, team, team_badges, ents)
            ]
            visit_ids = {v.id for v in visits}
            if team is not None:  # a team also answers for enterprises it visited outside its list
                scope_ids |= {v.enterprise_id for v in visits}
            findings = [
                f
                for f in s.exec(
                    select(tables.Finding)
                    .join(tables.Visit, col(tables.Visit.id) == col(tables.Finding.visit_id))
                    .where(
                        tables.Visit.status == VisitStatus.COMPLETED.value,
                        col(tables.Finding.found_on) <= date_to,
                    )
                )
                if f.enterprise_id in scope_ids
            ]
            found = [f for f in findings if f.visit_id in visit_ids]
            closed = [f for f in found if _closed_by(f, date_to)]
            overdue = sorted(
                (
                    OverdueRow(
                        ents[f.enterprise_id].name,
                        violation_text(f.title, f.description),
                        Severity(f.severity),
                        f.deadline,
                        (date_to - f.deadline).days,
                    )
                    for f in findings
                    if not _closed_by(f, date_to)
                    and f.deadline < date_to
                    and f.order != Order.ON_SITE_FIXED.value
                ),
                key=lambda r: (-r.days_overdue, r.enterprise, r.title),
            )
            requests = [
                r
                for r in s.exec(
                    select(tables.EnterpriseRequest).where(
                        col(tables.EnterpriseRequest.created_at) >= start,
                        col(tables.EnterpriseRequest.created_at) < end,
                    )
                )
                if r.enterprise_id in scope_ids
                and (r.visit_id is None or r.visit_id in visit_ids or team is None)
            ]
            street = self._street(s, scope_ids, ents, findings, date_from=date_from, date_to=date_to, end=end)
        latest_outcome: dict[int, tuple[datetime, str]] = {}
        for v in visits:
            prev = latest_outcome.get(v.enterprise_id)
            if prev is None or v.started_at > prev[0]:
                latest_outcome[v.enterprise_id] = (v.started_at, v.outcome)
        inspected = set(latest_outcome)
        approved = {
            eid
            for eid in inspected
            if latest_outcome[eid][1] in PASSED_OUTCOMES or ents[eid].resumption_status in APPROVED_STATUSES
        }
        approved_in_scope = {
            eid for eid in scope_ids if eid in approved or ents[eid].resumption_status in APPROVED_STATUSES
        }
        cat_scope = Counter(ents[e].category or "未分类" for e in scope_ids)
        cat_inspected = Counter(ents[e].category or "未分类" for e in inspected)
        cat_approved = Counter(ents[e].category or "未分类" for e in approved_in_scope)
        cat_findings = Counter(ents[f.enterprise_id].category or "未分类" for f in found)
        cat_resumed = Counter(
            ents[e].category or "未分类"
            for e in scope_ids
            if ents[e].resumption_status == ResumptionStatus.RESUMED
        )
        categories = tuple(
            CategoryRow(c, cat_scope[c], cat_inspected[c], cat_approved[c], cat_findings[c], cat_resumed[c])
            for c in sorted(set(cat_scope) | set(cat_inspected), key=lambda c: (-cat_scope[c], c))
        )
        per_visits: Counter[str] = Counter()
        per_ents: dict[str, set[int]] = defaultdict(set)
        per_findings: Counter[str] = Counter()
        findings_by_visit = Counter(f.visit_id for f in found)
        for v in visits:
            for badge in json.loads(v.inspectors_json):
                if team is not None and badge not in team_badges:
                    continue
                per_visits[badge] += 1
                per_ents[badge].add(v.enterprise_id)
                per_findings[badge] += findings_by_visit[v.id]
        inspector_rows = tuple(
            InspectorRow(
                inspectors[b].name if b in inspectors else b,
                b,
                per_visits[b],
                len(per_ents[b]),
                per_findings[b],
            )
            for b in sorted(per_visits, key=lambda b: (-per_visits[b], b))
        )
        req_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for r in requests:
            req_counts[r.category][r.status] += 1
        request_rows = tuple(
            RequestRow(cat, tuple((st, req_counts[cat][st]) for st in REQUEST_STATUSES))
            for cat in sorted(req_counts, key=lambda c: (-sum(req_counts[c].values()), c))
        )
        day_visits = Counter(local_date(v.started_at) for v in visits)
        day_findings = Counter(f.found_on for f in found)
        daily = tuple(
            (d, day_visits[d], day_findings[d])
            for d in (date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1))
        )
        scope = f"检查组：{team}" if team else (f"网格：{grid}" if grid else "全部企业")
        return SummaryData(
            issuer=issuer,
            scope=scope,
            date_from=date_from,
            date_to=date_to,
            generated_at=now or datetime.now().astimezone(),
            visits=sum(1 for v in visits if v.kind != VisitKind.RECHECK.value),
            rechecks=sum(1 for v in visits if v.kind == VisitKind.RECHECK.value),
            enterprises_in_scope=len(scope_ids),
            enterprises_inspected=len(inspected),
            approved=len(approved_in_scope),
            findings_found=len(found),
            findings_closed=len(closed),
            major_found=sum(1 for f in found if f.severity == Severity.MAJOR.value),
            major_closed=sum(1 for f in closed if f.severity == Severity.MAJOR.value),
            fixed_on_site=sum(
                1 for f in found if f.order == Order.IMMEDIATE.value and _closed_by(f, date_to)
            ),
            categories=categories,
            inspectors=inspector_rows,
            overdue=tuple(overdue),
            requests=request_rows,
            daily=daily,
            street=street,
        )

    def _street(
        self,
        s: Session,
        scope_ids: set[int],
        ents: dict[int, tables.Enterprise],
        findings: list[tables.Finding],
        *,
        date_from: date,
        date_to: date,
        end: datetime,
    ) -> tuple[Figure, ...]:
        """Rows for domain.figures: the whole history up to the period's end, for the scope."""
        cadence = {a.enterprise_id: a.visits_per_week for a in s.exec(select(tables.Assignment))}
        enterprise_rows = [
            EnterpriseRow(
                eid,
                ents[eid].category or "",
                ents[eid].resumption_status,
                ents[eid].staff_total,
                ents[eid].staff_on_site,
                cadence.get(eid),
            )
            for eid in scope_ids
        ]
        visits = [
            v
            for v in s.exec(
                select(tables.Visit).where(
                    col(tables.Visit.started_at) < end, tables.Visit.status == VisitStatus.COMPLETED.value
                )
            )
            if v.enterprise_id in scope_ids
        ]
        wanted = ("daily_report", "staff_isolated")
        answers: dict[str, dict[str, object]] = defaultdict(dict)
        epidemic = [v.id for v in visits if v.form_code == "epidemic-resumption"]
        if epidemic:
            for a in s.exec(
                select(tables.Answer).where(
                    col(tables.Answer.visit_id).in_(epidemic), col(tables.Answer.item_key).in_(wanted)
                )
            ):
                answers[a.visit_id][a.item_key] = json.loads(a.value_json)
        visit_rows = [
            VisitRow(
                v.enterprise_id,
                local_date(v.started_at),
                v.kind == VisitKind.RECHECK.value,
                v.form_code,
                len(json.loads(v.inspectors_json)),
                answers.get(v.id, {}),
            )
            for v in visits
        ]
        form_of = {v.id: v.form_code for v in visits}
        finding_rows = [
            FindingRow(
                f.enterprise_id,
                f.found_on,
                f.severity == Severity.MAJOR.value,
                f.order,
                f.deadline,
                f.closed_on if f.status == FindingStatus.CLOSED.value else None,
                f.severity == Severity.MAJOR.value
                and domain_of(form_of.get(f.visit_id, "")) in (Domain.FIRE, Domain.SMALL_VENUES),
            )
            for f in findings
        ]
        ids = [v.id for v in visits]
        docs = (
            [
                DocumentRow(DOC_SPECS[DocKind(d.kind)].title, d.issued_on)
                for d in s.exec(
                    select(tables.IssuedDocument).where(col(tables.IssuedDocument.visit_id).in_(ids))
                )
                if d.kind in {k.value for k in DocKind}
            ]
            if ids
            else []
        )
        return street_figures(enterprise_rows, visit_rows, finding_rows, docs, first=date_from, last=date_to)


# ------------------------------------------------------------------------------------ helpers


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local midnight to local midnight, in UTC: the days as the inspectors lived them."""
    start = datetime.combine(first, time.min).astimezone().astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min).astimezone().astimezone(UTC)
    return start, end


def _closed_by(f: tables.Finding, day: date) -> bool:
    return f.status == FindingStatus.CLOSED.value and (f.closed_on is None or f.closed_on <= day)


def _eid(value: int | None) -> int:
    assert value is not None  # rows read back from the database always have their key
    return value


def _in_scope(
    v: tables.Visit,
    grid: str | None,
    team: str | None,
    team_badges: set[str],
    ents: dict[int, tables.Enterprise],
) -> bool:
    if grid is not None:
        return ents[v.enterprise_id].grid == grid
    if team is not None:
        return bool(team_badges & set(json.loads(v.inspectors_json)))
    return True


def _original_deadline(s: Session, f: tables.Finding) -> date:
    """The deadline the notice set: the FOUND event keeps it even after a failed re-check moved it."""
    ev = s.exec(
        select(tables.FindingEvent).where(
            tables.FindingEvent.finding_id == f.id, tables.FindingEvent.kind == "found"
        )
    ).first()
    return ev.new_deadline if ev is not None and ev.new_deadline is not None else f.deadline


def _sort_by_form(rows: Sequence[tables.Finding], form: Form | None) -> list[tables.Finding]:
    if form is None:
        return list(rows)
    order = {k: i for i, k in enumerate(form.items)}
    return sorted(rows, key=lambda f: (order.get(f.item_key, len(order)), f.option, f.title))


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
) -> tuple[ChecklistSection, ...]:
    """Every visible item of the form in form order, numbered through; signatures are printed apart."""
    if form is None:
        lines = []
        for n, key in enumerate(sorted(answers), start=1):
            text, result = answer_text(None, answers[key])
            if key in bad_keys:
                result = "bad"
            lines.append(ChecklistLine(n, key, key, text, result))
        return (ChecklistSection("检查项目", tuple(lines)),) if lines else ()
    # The same judgement the visit service made: the enterprise's category and the visit's day.
    ev = evaluate(form, answers, category=category, today=today) if answers else None
    visible = ev.visible if ev is not None else set(form.items)
    computed = ev.computed if ev is not None else {}
    out = []
    n = 0
    for section in form.sections:
        sec_lines = []
        for item in section.items:
            if item.type is ItemType.SIGNATURE or item.key not in visible:
                continue
            n += 1
            value = computed.get(item.key) if item.computed else answers.get(item.key)
            text, result = answer_text(item, value)
            if item.key in bad_keys and result != "na":
                result = "bad"
            sec_lines.append(ChecklistLine(n, item.key, str(item.label), text, result))
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
