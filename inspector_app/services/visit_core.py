"""The ground the visit use cases share: the service's state, finding a visit, its form and
enterprise, the one context its form is evaluated in, and its findings as views."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.checklist import (
    Evaluation,
    Form,
    FormLibrary,
    VisitContext,
    visit_context,
)
from inspector_app.domain import finding as fd
from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.domain.visit import (
    ENTERPRISE_ROLE,
    AnswerValue,
    VisitLockedError,
    VisitStatus,
)
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.services.visit_views import FindingView
from inspector_app.store import answers as answer_rows
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace


class VisitCore:
    """What every visit use case stands on: the workspace, the forms, the clock and the account,
    and the lookups they share (a visit, its form, its context, its findings)."""

    def __init__(
        self,
        workspace: Workspace,
        forms: FormLibrary,
        *,
        clock: Clock = system_clock,
        account: str = "",
    ) -> None:
        self.ws = workspace
        self.forms = forms
        self.clock = clock
        self.account = account

    def context(self, visit_id: str) -> VisitContext:
        """What the visit's form rules read besides the answers (see ``checklist.visit_context``)."""
        with self.ws.session() as s:
            return self._context(s, self._visit(s, visit_id))

    def _context(self, s: Session, v: tables.Visit) -> VisitContext:
        return visit_context_of(s, v, local_date(self.clock()))

    def _evaluate(
        self, s: Session, v: tables.Visit, form: Form, answers: dict[str, AnswerValue]
    ) -> Evaluation:
        return self._context(s, v).evaluate(form, answers)

    def _form(self, code: str, version: str | None) -> Form:
        try:
            return self.forms.get(code, version)
        except KeyError as exc:
            wanted = f"{code} {version}" if version else code
            raise NotFound(f"本机没有检查表 {wanted}，请同步后再试") from exc

    def _enterprise(self, s: Session, code: str) -> tables.Enterprise:
        ent = s.exec(select(tables.Enterprise).where(tables.Enterprise.credit_code == code)).first()
        if ent is None:
            raise NotFound(f"企业 {code} 不在本机企业名录中")
        return ent

    def _inspectors(self, s: Session, badges: Iterable[str]) -> list[str]:
        out = list(dict.fromkeys(badges))
        if not out:
            raise ServiceError("至少需要一名检查人员")
        for b in out:
            if s.get(tables.Inspector, b) is None:
                raise NotFound(f"执法证号 {b} 不在检查人员名单中")
        return out

    def _visit(self, s: Session, visit_id: str) -> tables.Visit:
        v = s.get(tables.Visit, visit_id)
        if v is None:
            raise NotFound(f"检查记录 {visit_id} 不存在")
        return v

    def _editable_visit(self, s: Session, visit_id: str) -> tables.Visit:
        v = self._visit(s, visit_id)
        if v.status == VisitStatus.COMPLETED.value:
            raise VisitLockedError("该检查已完成并锁定，不能再修改")
        return v

    def _store_file(self, s: Session, data: bytes, *, kind: str, name: str) -> str:
        """Keep ``data`` in the workspace (content-addressed, with its thumbnail); its sha256."""
        return attachments.store_bytes(s, self.ws.attachments_dir, self.ws.thumbnails_dir, data,
                                       kind=kind, original_name=name, now=self.clock()).sha256

    def _answers(self, s: Session, visit_id: str) -> dict[str, AnswerValue]:
        return answer_rows.load_answers(s, visit_id)

    def _open_findings(self, s: Session, enterprise_id: int) -> list[FindingView]:
        """Findings of completed visits that no re-inspection has closed yet."""
        q = (
            select(tables.Finding)
            .join(tables.Visit, col(tables.Visit.id) == col(tables.Finding.visit_id))
            .where(
                tables.Finding.enterprise_id == enterprise_id,
                tables.Finding.status != fd.FindingStatus.CLOSED.value,
                tables.Visit.status == VisitStatus.COMPLETED.value,
            )
            .order_by(col(tables.Finding.deadline), col(tables.Finding.title))
        )
        return finding_views(s, q)

    def _recheck_targets(self, s: Session, v: tables.Visit) -> list[FindingView]:
        if v.status == VisitStatus.COMPLETED.value:
            marked = [
                m.finding_id
                for m in s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == v.id))
            ]
            return finding_views(s, select(tables.Finding).where(col(tables.Finding.id).in_(marked)))
        return self._open_findings(s, v.enterprise_id)


def finding_views(s: Session, query: Any) -> list[FindingView]:
    """The findings ``query`` selects, each with the photos taken when it was found."""
    rows = s.exec(query).all()
    photos: dict[str, list[str]] = {}
    if rows:
        for p in s.exec(
            select(tables.FindingPhoto).where(
                col(tables.FindingPhoto.finding_id).in_([r.id for r in rows]),
                tables.FindingPhoto.stage == "found",
            )
        ):
            photos.setdefault(p.finding_id, []).append(p.sha256)
    return [
        FindingView(
            id=f.id,
            item_key=f.item_key,
            option=f.option,
            title=f.title,
            severity=fd.Severity(f.severity),
            description=f.description,
            rectification=f.rectification,
            order=fd.Order(f.order),
            deadline=f.deadline,
            found_on=f.found_on,
            legal_basis=f.legal_basis,
            status=fd.FindingStatus(f.status),
            photos=tuple(sorted(photos.get(f.id, []))),
            visit_id=f.visit_id,
        )
        for f in rows
    ]


def visit_context_of(s: Session, v: tables.Visit, today: date) -> VisitContext:
    """The one context a visit's form is evaluated in, for the page, this service and the
    documents printed from it: the enterprise's category, the day the visit is judged on (a
    completed one on the day it was completed, so its record never changes) and a refusal to sign
    on record. ``today`` is the caller's clock's local date."""
    category = s.exec(
        select(tables.Enterprise.category).where(tables.Enterprise.id == v.enterprise_id)
    ).first()
    sig = s.get(tables.Signature, (v.id, ENTERPRISE_ROLE))
    return visit_context(
        category=category,
        today=today,
        completed_on=local_date(v.completed_at) if v.completed_at else None,
        enterprise_refused=sig is not None and not sig.sha256 and bool(sig.refused_reason),
    )


def row_id(value: int | None) -> int:
    assert value is not None
    return value
