"""The laptop's side of the documents: read the workspace, hand the pure builders what they print.

A completed visit is printed from its frozen document (``Visit.document_json``) — the very JSON the
office receives — plus the enterprise, the workspace's issuing authority, the numbers fixed at
completion and the files; ``reports.compose`` makes the values, ``reports.api`` the files. A draft
is printed from a provisional document built by the visit service's one builder. The summary is a
query over the period's rows. Nothing here writes: numbers are fixed by ``VisitService.complete``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from inspector_app.checklist import Form, FormLibrary
from inspector_app.domain.authority import IssuingAuthority
from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, Domain, domain_of
from inspector_app.domain.enterprise import PASSED_OUTCOMES, ResumptionStatus
from inspector_app.domain.figures import (
    DocumentRow,
    EnterpriseRow,
    Figure,
    FindingRow,
    VisitRow,
    street_figures,
)
from inspector_app.domain.finding import FindingStatus, Order, Severity
from inspector_app.domain.visit import VisitKind, VisitStatus
from inspector_app.reports import api
from inspector_app.reports.compose import (
    FindingOrigin,
    PhotoFile,
    Sources,
    issuer_of,
    orders_data,
    recheck_data,
    record_data,
)
from inspector_app.reports.data import (
    APPROVED_STATUSES,
    REQUEST_STATUSES,
    CategoryRow,
    EnterpriseInfo,
    InspectorRow,
    Issuer,
    NoticeData,
    NoticeRef,
    OverdueRow,
    RecheckData,
    RecordData,
    ReportError,
    RequestRow,
    SummaryData,
    violation_text,
)
from inspector_app.services import documents, settings, site_people
from inspector_app.services.documents import VISIT_DOCUMENT_TITLES, PrintedDocument
from inspector_app.services.visit_core import visit_context_of
from inspector_app.services.visits import VisitService
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace
from inspector_app.wire import VisitDocument

__all__ = ["RecheckResult", "ReportLoader", "Reporter"]


def enterprise_info(e: tables.Enterprise) -> EnterpriseInfo:
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


class ReportLoader:
    """Reads one workspace for the document builders; ``forms`` resolves a visit's form version."""

    def __init__(self, workspace: Workspace, forms: FormLibrary) -> None:
        self.ws = workspace
        self.forms = forms

    # -- shared pieces

    def _settings(self, s: Session) -> tuple[IssuingAuthority, Path | None]:
        conf = settings.load(s)
        authority = conf.authority()
        seal = settings.seal_path(self.ws, conf)
        if seal is None:
            authority = dataclasses.replace(authority, seal_present=False)
        return authority, seal

    def _issuer(self, s: Session) -> Issuer:
        return issuer_of(*self._settings(s))

    def _form(self, code: str, version: str) -> Form | None:
        try:
            return self.forms.get(code, version)
        except KeyError:
            return None

    def _visit(self, s: Session, visit_id: str) -> tables.Visit:
        v = s.get(tables.Visit, visit_id)
        if v is None:
            raise ReportError(f"检查记录 {visit_id} 不存在")
        return v

    def _photo_file(self, sha: str) -> PhotoFile:
        with self.ws.session() as s:
            a = s.get(tables.Attachment, sha)
        path = attachments.path_for(self.ws.attachments_dir, sha)
        if a is None:
            return PhotoFile(path)
        return PhotoFile(path, a.width, a.height, a.created_at)

    def _numbers(self, s: Session, visit_id: str) -> dict[DocKind, documents.IssuedNumber]:
        out: dict[DocKind, documents.IssuedNumber] = {}
        for kind in DocKind:
            found = documents.find(s, visit_id, kind)
            if found is not None:
                out[kind] = found
        return out

    def _domain(self, s: Session, v: tables.Visit) -> Domain:
        form = self._form(v.form_code, v.form_version)
        return domain_of(v.form_code, form.domain if form is not None else "")

    def _origins(self, s: Session, doc: VisitDocument) -> dict[str, FindingOrigin]:
        """The findings a re-inspection judged, as the visits that found them ordered them."""
        out: dict[str, FindingOrigin] = {}
        for m in doc.recheck:
            f = s.get(tables.Finding, m.finding_id)
            if f is None:
                continue
            origin = s.get(tables.Visit, f.visit_id)
            out[f.id] = FindingOrigin(
                title=f.title,
                description=f.description,
                severity=Severity(f.severity),
                order=Order(f.order),
                deadline=_original_deadline(s, f),
                found_on=f.found_on,
                domain=self._domain(s, origin) if origin is not None else Domain.SAFETY,
                visit_id=f.visit_id,
                numbers=self._numbers(s, f.visit_id),
            )
        return out

    def _load(self, s: Session, visit_id: str) -> tuple[tables.Visit, VisitDocument, Sources]:
        v = self._visit(s, visit_id)
        ent = s.get(tables.Enterprise, v.enterprise_id)
        if ent is None:
            raise ReportError(f"企业 #{v.enterprise_id} 不存在")
        if v.document_json:
            raw = json.loads(v.document_json)
        else:  # a draft: the provisional document, by the one builder of the document
            try:
                raw = VisitService(self.ws, self.forms)._document(s, v, ent)
            except Exception as exc:
                raise ReportError(f"检查 {visit_id} 的草稿无法打印：{exc}") from exc
            raw.update(site_people.for_document(s, v.id))  # as complete() will freeze them
            raw["content_hash"] = "0" * 64
            raw["completed_at"] = raw.get("completed_at") or ""
        try:
            doc = VisitDocument.model_validate(raw)
        except ValueError as exc:
            raise ReportError(f"检查 {visit_id} 的记录文档无法读取：{exc}") from exc
        authority, seal = self._settings(s)
        names = {i.badge_number: i.name for i in s.exec(select(tables.Inspector))}
        src = Sources(
            form=self._form(v.form_code, v.form_version),
            enterprise=enterprise_info(ent),
            authority=authority,
            seal=seal,
            numbers=self._numbers(s, v.id),
            photo=self._photo_file,
            inspector_names={b: names.get(b, "") for b in doc.inspectors},
            cache_dir=self.ws.thumbnails_dir,
            origins=self._origins(s, doc) if v.kind == VisitKind.RECHECK.value else {},
        )
        return v, doc, src

    # -- the documents of one visit

    def record(
        self, visit_id: str, *, assign_number: bool = True, blank_signatures: bool = False
    ) -> RecordData:
        with self.ws.session() as s:
            v, doc, src = self._load(s, visit_id)
            completed = v.status == VisitStatus.COMPLETED.value
            context = visit_context_of(s, v, local_date(v.completed_at or v.started_at))
        return record_data(
            doc,
            src,
            completed=completed,
            assign_number=assign_number,
            blank_signatures=blank_signatures,
            context=context,
        )

    def orders(self, visit_id: str, *, blank_signatures: bool = False) -> list[NoticeData]:
        with self.ws.session() as s:
            v, doc, src = self._load(s, visit_id)
            if v.status != VisitStatus.COMPLETED.value:
                raise ReportError(f"检查 {visit_id} 尚未完成，完成后才能出具执法文书")
        return orders_data(doc, src, blank_signatures=blank_signatures)

    def notice(self, visit_id: str, kind: DocKind | None = None) -> NoticeData:
        for data in self.orders(visit_id):
            if kind is None or data.kind is kind:
                return data
        raise ReportError(f"检查 {visit_id} 不出具{DOC_SPECS[kind].title if kind else '整改文书'}")

    def recheck(
        self, visit_id: str, *, auto_issue_notice: bool = True, blank_signatures: bool = False
    ) -> RecheckData:
        with self.ws.session() as s:
            v, doc, src = self._load(s, visit_id)
            if v.kind != VisitKind.RECHECK.value:
                raise ReportError(f"检查 {visit_id} 不是复查，不能出具整改复查意见书")
            if v.status != VisitStatus.COMPLETED.value:
                raise ReportError(f"复查 {visit_id} 尚未完成，完成后才能出具整改复查意见书")
        return recheck_data(doc, src, blank_signatures=blank_signatures)

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
            issuer = self._issuer(s)
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
                select(tables.Visit)
                .where(col(tables.Visit.started_at) < end, tables.Visit.status == VisitStatus.COMPLETED.value)
                .order_by(col(tables.Visit.completed_at))  # as street_figures takes them
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


@dataclasses.dataclass(frozen=True, slots=True)
class RecheckResult:
    number: str
    notices: tuple[NoticeRef, ...]


class Reporter:
    """The documents as the GUI and the CLI ask for them: load, build, write the file.

    ``forms`` is the workspace's library (AppServices.forms: the shipped forms with the office's
    overlay), so a visit made with a form the office published prints its labels, whoever asks."""

    def __init__(self, workspace: Workspace, forms: FormLibrary) -> None:
        self.loader = ReportLoader(workspace, forms)

    def visit_document(self, visit_id: str, asked: str) -> PrintedDocument:
        """What a visit's print button asks for (``record``, ``notice`` or ``recheck``), written to
        the workspace's documents/ folder as 〈title〉-〈visit〉.pdf. The notice of a re-inspection is
        its 整改复查意见书: a re-inspection serves its opinion, never an order of its own."""
        kind = asked
        if asked == "notice":
            with self.loader.ws.session() as s:
                visit = s.get(tables.Visit, visit_id)
                if visit is not None and visit.kind == VisitKind.RECHECK.value:
                    kind = "recheck"
        title = VISIT_DOCUMENT_TITLES[kind]
        target = self.loader.ws.root / "documents" / f"{title}-{visit_id[:8]}.pdf"
        if kind == "record":
            self.record(visit_id, target)
        elif kind == "notice":
            self.notice(visit_id, target)
        else:
            self.recheck(visit_id, target)
        return PrintedDocument(target, title)

    def record(self, visit_id: str, target: Path, *, blank_signatures: bool = False) -> RecordData:
        """现场检查记录; ``blank_signatures`` leaves the signature boxes empty for wet ink."""
        data = self.loader.record(visit_id, blank_signatures=blank_signatures)
        api.write_record(data, target)
        return data

    def notice(self, visit_id: str, target: Path, *, blank_signatures: bool = False) -> str:
        """Every order the visit issues (指令书 / 通知书 / 决定书), each with its 送达回证, in one file;
        returns their numbers."""
        data = self.loader.orders(visit_id, blank_signatures=blank_signatures)
        return api.write_orders(data, target)

    def recheck(
        self, visit_id: str, target: Path, *, auto_issue_notice: bool = True, blank_signatures: bool = False
    ) -> RecheckResult:
        data = self.loader.recheck(
            visit_id, auto_issue_notice=auto_issue_notice, blank_signatures=blank_signatures
        )
        api.write_recheck(data, target)
        return RecheckResult(data.number, data.notices)

    def summary(
        self,
        date_from: date,
        date_to: date,
        target: Path,
        *,
        team: str | None = None,
        grid: str | None = None,
    ) -> None:
        api.write_summary(self.loader.summary(date_from, date_to, team=team, grid=grid), target)

    def batch(self, day: date, target: Path) -> int:
        ids = self.loader.visits_of_day(day)
        api.write_batch([functools.partial(self.loader.record, vid) for vid in ids], target, day)
        return len(ids)
