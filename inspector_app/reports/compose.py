"""The documents' values from the canonical visit document, with no storage at all.

The laptop (services.report_data) and the office (central.console.documents) each load what they
hold — the frozen visit document (wire.VisitDocument), the enterprise, the issuing authority, the
numbers fixed at completion and where each photo's file is — and call these functions, so both
print the same PDF from the same data. A refusal (an incomplete authority, a visit that issues no
such document) is a ReportError whose message names the visit or the missing setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from inspector_app.checklist import Form, VisitContext, visit_context
from inspector_app.domain.authority import AuthorityMissing, IssuingAuthority
from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import (
    DOC_SPECS,
    DocKind,
    Domain,
    FindingFacts,
    documents_for_visit,
    domain_of,
    format_number,
)
from inspector_app.domain.finding import Order, RecheckResult, Severity
from inspector_app.domain.visit import ENTERPRISE_ROLE, AnswerValue, VisitKind
from inspector_app.reports.data import (
    ChecklistSection,
    EnterpriseInfo,
    FindingInfo,
    InspectorInfo,
    Issuer,
    NoticeData,
    NoticeRef,
    Photo,
    RecheckData,
    RecheckLine,
    RecordData,
    ReportError,
    ServedDocument,
    SignatureInfo,
    SitePeopleInfo,
    checklist_lines,
    finding_in,
    form_edition,
    order_kind,
    recheck_date,
)
from inspector_app.wire import VisitDocument
from inspector_app.wire.models import DocFinding
from inspector_app.wire.site_people import site_people_of


class Numbered(Protocol):
    """A number fixed when the visit completed (services.documents.IssuedNumber on the laptop)."""

    @property
    def year(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def issued_on(self) -> date: ...


Numbers = Mapping[DocKind, Numbered]


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A number as the visit document carries it (key ``numbers``), so the office prints it too."""

    kind: DocKind
    year: int
    number: int
    issued_on: date
    provisional: str = ""  # set on a number given without an office block (临…)


def numbers_for_document(issued: Iterable[DocNumber | Numbered]) -> list[dict[str, object]]:
    """The ``numbers`` entry of a completed visit's document (services.documents fixes them)."""
    out: list[dict[str, object]] = []
    for n in issued:
        kind = getattr(n, "kind", None)
        if isinstance(kind, DocKind):
            entry: dict[str, object] = {
                "kind": kind.value, "year": n.year, "number": n.number, "issued_on": n.issued_on.isoformat()
            }
            if getattr(n, "provisional", ""):
                entry["provisional"] = str(getattr(n, "provisional", ""))
            out.append(entry)
    return sorted(out, key=lambda d: str(d["kind"]))


def numbers_of(doc: VisitDocument) -> dict[DocKind, DocNumber]:
    """The numbers a document carries; entries this version cannot read are left out."""
    raw = (doc.model_extra or {}).get("numbers")
    out: dict[DocKind, DocNumber] = {}
    for entry in raw if isinstance(raw, list) else []:
        try:
            kind = DocKind(entry["kind"])
            out[kind] = DocNumber(
                kind,
                int(entry["year"]),
                int(entry["number"]),
                date.fromisoformat(entry["issued_on"]),
                str(entry.get("provisional", ""))[:8],
            )
        except (KeyError, TypeError, ValueError):
            continue
    return out


@dataclass(frozen=True, slots=True)
class PhotoFile:
    """Where a cited file is and its upright size, as the holder of the files knows them."""

    path: Path
    width: int = 0
    height: int = 0
    taken_at: datetime | None = None


PhotoSource = Callable[[str], PhotoFile]


@dataclass(frozen=True, slots=True)
class FindingOrigin:
    """A finding a re-inspection judged, as the visit that found it ordered it: its notice's
    number and date come from that visit's numbers, never typed."""

    title: str
    description: str
    severity: Severity
    order: Order
    deadline: date  # the deadline its notice set (a failed re-check moves the finding's, not this)
    found_on: date
    domain: Domain
    visit_id: str
    numbers: Numbers = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything besides the document that a document prints."""

    form: Form | None
    enterprise: EnterpriseInfo
    authority: IssuingAuthority
    seal: Path | None
    numbers: Numbers
    photo: PhotoSource
    inspector_names: Mapping[str, str] = field(default_factory=dict)  # badge → name
    cache_dir: Path | None = None
    origins: Mapping[str, FindingOrigin] = field(default_factory=dict)  # finding id → origin (rechecks)


# ------------------------------------------------------------------------------ shared pieces


def issuer_of(authority: IssuingAuthority, seal: Path | None) -> Issuer:
    return Issuer(
        authority.full_name,
        seal,
        authority.short_name,
        authority.authorization,
        authority.review_body,
        authority.court,
    )


def number_text(authority: IssuingAuthority, kind: DocKind, issued: Numbered) -> str:
    """The printed number (（龙宝）应急检记〔2026〕15号); refuses naming the missing settings."""
    missing = authority.missing_for(kind)
    if missing:
        raise ReportError(str(AuthorityMissing(DOC_SPECS[kind].title, missing)))
    return format_number(
        authority.short_name,
        authority.code(kind),
        issued.year,
        issued.number,
        str(getattr(issued, "provisional", "")),
    )


def _numbers(doc: VisitDocument, src: Sources) -> Numbers:
    """The document's own numbers first (what the office received), then the holder's."""
    return {**src.numbers, **numbers_of(doc)}


def _required_number(doc: VisitDocument, src: Sources, kind: DocKind) -> tuple[str, date]:
    missing = src.authority.missing_for(kind)
    if missing:
        raise ReportError(str(AuthorityMissing(DOC_SPECS[kind].title, missing)))
    issued = _numbers(doc, src).get(kind)
    if issued is None:
        raise ReportError(f"检查 {doc.id} 的{DOC_SPECS[kind].title}没有编号（编号在完成检查时确定）")
    return number_text(src.authority, kind, issued), issued.issued_on


def document_kinds(
    form_code: str, form: Form | None, findings: Iterable[FindingFacts], *, recheck: bool
) -> tuple[DocKind, ...]:
    """The numbered documents a completed visit issues; the form names the ones it may issue."""
    domain = domain_of(form_code, form.domain if form is not None else "")
    kinds = documents_for_visit(domain, findings, recheck=recheck)
    if form is not None and form.documents:
        kinds = tuple(k for k in kinds if k in (DocKind.RECORD, DocKind.RECHECK) or k.value in form.documents)
    return kinds


def kinds_of(doc: VisitDocument, form: Form | None) -> tuple[DocKind, ...]:
    facts = [FindingFacts(f.order, f.severity == Severity.MAJOR.value) for f in doc.findings]
    return document_kinds(doc.form.code, form, facts, recheck=doc.kind == VisitKind.RECHECK.value)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _day(doc: VisitDocument) -> date:
    when = _when(doc.completed_at) or _when(doc.started_at)
    assert when is not None
    return local_date(when)


def context_of(doc: VisitDocument, category: str) -> VisitContext:
    """The context the visit service judged the completed visit in (checklist.visit_context)."""
    refused = any(
        g.role == ENTERPRISE_ROLE and not g.sha256 and bool(g.refused_reason) for g in doc.signatures
    )
    completed = _when(doc.completed_at)
    start = _when(doc.started_at)
    assert start is not None
    return visit_context(
        category=category,
        today=local_date(start),
        completed_on=local_date(completed) if completed else None,
        enterprise_refused=refused,
    )


def domain_for(doc: VisitDocument, src: Sources) -> Domain:
    """The visit's regime; a re-inspection takes the regime of the visit that found the problems."""
    if doc.kind == VisitKind.RECHECK.value:
        for m in doc.recheck:
            origin = src.origins.get(m.finding_id)
            if origin is not None:
                return origin.domain
    return domain_of(doc.form.code, src.form.domain if src.form is not None else "")


def _photo(src: Sources, sha: str, caption: str = "") -> Photo:
    f = src.photo(sha)
    return Photo(sha, f.path, f.width, f.height, caption, f.taken_at)


def _inspectors(doc: VisitDocument, src: Sources) -> tuple[InspectorInfo, ...]:
    return tuple(InspectorInfo(src.inspector_names.get(b, ""), b) for b in doc.inspectors)


def _signatures(
    doc: VisitDocument, src: Sources, inspectors: Sequence[InspectorInfo]
) -> tuple[SignatureInfo, ...]:
    rows = {g.role: g for g in doc.signatures}
    out: list[SignatureInfo] = []
    # Inspectors first, in the visit's order, then the enterprise: the order of the paper form.
    roles = [
        (f"inspector:{i.badge_number}", f"检查人员（执法证号 {i.badge_number}）", i.name) for i in inspectors
    ]
    roles.append((ENTERPRISE_ROLE, "被检查单位现场负责人", ""))
    for role, label, default_name in roles:
        g = rows.get(role)
        if g is None:
            out.append(SignatureInfo(role, label, default_name, None))
            continue
        image = src.photo(g.sha256).path if g.sha256 else None
        out.append(SignatureInfo(role, label, g.signer or default_name, image, g.refused_reason))
    return tuple(out)


def _sorted_findings(findings: Sequence[DocFinding], form: Form | None) -> list[DocFinding]:
    if form is None:
        return list(findings)
    order = {k: i for i, k in enumerate(form.items)}
    return sorted(findings, key=lambda f: (order.get(f.item_key, len(order)), f.option, f.title))


def _findings(src: Sources, rows: Iterable[DocFinding], labels: Mapping[str, str]) -> tuple[FindingInfo, ...]:
    return tuple(
        FindingInfo(
            id=f.id,
            title=f.title,
            description=f.description,
            severity=Severity(f.severity),
            order=Order(f.order),
            deadline=date.fromisoformat(f.deadline),
            found_on=date.fromisoformat(f.found_on),
            rectification=str(getattr(f, "rectification", "") or ""),
            legal_basis=f.legal_basis,
            item_label=labels.get(f.item_key, ""),
            photos=tuple(_photo(src, sha, f.title) for sha in f.photos),
        )
        for f in rows
    )


def people_of(doc: VisitDocument) -> SitePeopleInfo:
    """现场负责人 and 见证人 as the document carries them (wire/site_people.py)."""
    p = site_people_of(doc.model_extra)
    return SitePeopleInfo(
        p.onsite.name, p.onsite.title, p.onsite.id_number, p.onsite.phone, p.witness.name, p.witness.unit
    )


# ------------------------------------------------------------------------------ 现场检查记录


def record_data(
    doc: VisitDocument,
    src: Sources,
    *,
    completed: bool = True,
    assign_number: bool = True,
    blank_signatures: bool = False,
    context: VisitContext | None = None,
) -> RecordData:
    """现场检查记录 of one visit. ``completed`` is False for a draft printed before completion (its
    document is provisional: no number, no digest)."""
    form = src.form
    number = _required_number(doc, src, DocKind.RECORD)[0] if completed and assign_number else None
    answers: dict[str, AnswerValue] = dict(doc.answers)
    bad_keys = {f.item_key for f in doc.findings}
    ctx = context if context is not None else context_of(doc, src.enterprise.category)
    sections: tuple[ChecklistSection, ...] = checklist_lines(form, answers, bad_keys, context=ctx)
    labels = {ln.key: ln.label for sec in sections for ln in sec.lines}
    findings = _findings(src, _sorted_findings(doc.findings, form), labels)
    inspectors = _inspectors(doc, src)
    in_findings = {p.sha256 for f in findings for p in f.photos}
    photos = [
        _photo(src, p.sha256, labels.get(p.item_key, "")) for p in doc.photos if p.sha256 not in in_findings
    ]
    recheck: tuple[RecheckLine, ...] = ()
    if doc.kind == VisitKind.RECHECK.value:
        recheck, _ = _recheck_lines(doc, src)
        for m in doc.recheck:  # the photo of each rectification is evidence of the re-inspection
            origin = src.origins.get(m.finding_id)
            if m.photo and m.photo not in in_findings:
                photos.append(_photo(src, m.photo, f"{origin.title if origin else ''}（整改后）"))
    served: list[ServedDocument] = []
    if completed:
        numbers = _numbers(doc, src)
        for kind in kinds_of(doc, form):
            issued = numbers.get(kind)
            if kind is DocKind.RECORD or issued is None or src.authority.missing_for(kind):
                continue
            served.append(
                ServedDocument(
                    DOC_SPECS[kind].title, number_text(src.authority, kind, issued), issued.issued_on
                )
            )
    started = _when(doc.started_at)
    assert started is not None
    return RecordData(
        visit_id=doc.id,
        content_hash=doc.content_hash if completed else "",
        completed=completed,
        kind=VisitKind(doc.kind),
        form_title=str(form.title) if form is not None else doc.form.code,
        issuer=issuer_of(src.authority, src.seal),
        number=number,
        domain=domain_for(doc, src),
        enterprise=src.enterprise,
        inspectors=inspectors,
        place=doc.place,
        started_at=started,
        completed_at=_when(doc.completed_at) if completed else None,
        outcome=doc.outcome,
        sections=sections,
        findings=findings,
        requests=(),  # enterprise requests (诉求) are service records, not part of the 执法文书
        signatures=_signatures(doc, src, inspectors),
        photos=tuple(photos),
        recheck=recheck,
        cache_dir=src.cache_dir,
        blank_signatures=blank_signatures,
        served=tuple(served),
        form_edition=form_edition(form),
        people=people_of(doc),
    )


# ------------------------------------------------------------------------------ the orders served


def orders_data(doc: VisitDocument, src: Sources, *, blank_signatures: bool = False) -> list[NoticeData]:
    """Every order the completed visit issues (指令书 / 通知书 / 决定书), in serving order."""
    kinds = [k for k in kinds_of(doc, src.form) if k not in (DocKind.RECORD, DocKind.RECHECK)]
    if not kinds:
        raise ReportError(f"检查 {doc.id} 没有需要责令整改的问题，无需出具整改文书")
    return [_order(doc, src, kind, blank_signatures) for kind in kinds]


def _order(doc: VisitDocument, src: Sources, kind: DocKind, blank_signatures: bool) -> NoticeData:
    number, issued_on = _required_number(doc, src, kind)
    record_no, _ = _required_number(doc, src, DocKind.RECORD)
    rows = [f for f in doc.findings if finding_in(kind, Order(f.order), f.severity == Severity.MAJOR.value)]
    labels = {ln.key: ln.label for sec in checklist_lines(src.form, {}, set()) for ln in sec.lines}
    findings = _findings(src, _sorted_findings(rows, src.form), labels)
    inspectors = _inspectors(doc, src)
    day = _day(doc)
    return NoticeData(
        visit_id=doc.id,
        number=number,
        issued_on=issued_on,
        issuer=issuer_of(src.authority, src.seal),
        enterprise=src.enterprise,
        inspected_on=day,
        place=doc.place,
        inspectors=inspectors,
        findings=findings,
        recheck_on=recheck_date(findings, day),
        signatures=_signatures(doc, src, inspectors),
        kind=kind,
        domain=domain_for(doc, src),
        record_number=record_no,
        blank_signatures=blank_signatures,
        people=people_of(doc),
    )


# ------------------------------------------------------------------------------ 整改复查意见书


def _recheck_lines(doc: VisitDocument, src: Sources) -> tuple[tuple[RecheckLine, ...], tuple[NoticeRef, ...]]:
    """Each rechecked finding with the order that required its fix: number and date from the
    numbers of the original visit, never typed (empty when the authority cannot print them)."""
    notices: dict[tuple[str, DocKind], NoticeRef] = {}
    lines = []
    for m in doc.recheck:
        origin = src.origins.get(m.finding_id)
        if origin is None:
            continue
        order = origin.order if origin.order is not Order.ON_SITE_FIXED else Order.IMMEDIATE
        kind = order_kind(origin.domain, order, origin.severity is Severity.MAJOR)
        ref = notices.get((origin.visit_id, kind))
        if ref is None:
            issued = origin.numbers.get(kind)
            number = ""
            if issued is not None and not src.authority.missing_for(kind):
                number = number_text(src.authority, kind, issued)
            ref = NoticeRef(
                number, issued.issued_on if issued else origin.found_on, title=DOC_SPECS[kind].title
            )
            notices[(origin.visit_id, kind)] = ref
        lines.append(
            RecheckLine(
                title=origin.title,
                description=origin.description,
                severity=origin.severity,
                order=origin.order,
                deadline=origin.deadline,
                result=RecheckResult(m.result),
                note=m.note,
                new_deadline=date.fromisoformat(m.new_deadline) if m.new_deadline else None,
                notice_number=ref.number,
            )
        )
    return tuple(lines), tuple(notices.values())


def recheck_data(doc: VisitDocument, src: Sources, *, blank_signatures: bool = False) -> RecheckData:
    if doc.kind != VisitKind.RECHECK.value:
        raise ReportError(f"检查 {doc.id} 不是复查，不能出具整改复查意见书")
    number, issued_on = _required_number(doc, src, DocKind.RECHECK)
    lines, notices = _recheck_lines(doc, src)
    if not lines:
        raise ReportError(f"复查 {doc.id} 没有记录任何隐患的整改情况")
    if any(not n.number for n in notices):
        raise ReportError(f"复查 {doc.id} 所涉问题在原检查中没有出具整改文书，不能出具整改复查意见书")
    inspectors = _inspectors(doc, src)
    started = _when(doc.started_at)
    assert started is not None
    return RecheckData(
        visit_id=doc.id,
        number=number,
        issued_on=issued_on,
        issuer=issuer_of(src.authority, src.seal),
        enterprise=src.enterprise,
        rechecked_on=local_date(started),
        notices=notices,
        lines=lines,
        inspectors=inspectors,
        signatures=_signatures(doc, src, inspectors),
        blank_signatures=blank_signatures,
        place=doc.place,
        people=people_of(doc),
    )
