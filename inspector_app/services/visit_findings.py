"""A visit's findings: derived from the answers as they change, edited by the inspector, marked
已整改 / 未整改 on a re-inspection and closed or extended when it completes."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from inspector_app.checklist import Evaluation, Form
from inspector_app.domain import finding as fd
from inspector_app.domain.clock import local_date
from inspector_app.domain.visit import (
    VisitKind,
    new_id,
)
from inspector_app.services.changes import Changes
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.services.visit_core import VisitCore
from inspector_app.store import answers as answer_rows
from inspector_app.store import tables


class VisitFindings(VisitCore):
    """A visit's findings; a part of ``VisitService``."""

    def _sync_findings(
        self, s: Session, v: tables.Visit, form: Form, evaluation: Evaluation
    ) -> tuple[list[str], list[str]]:
        """A finding exists exactly while some answer derives it; the inspector's edits to it stay."""
        existing = answer_rows.finding_keys(s, v.id)
        wanted = {(d.item_key, d.option or ""): d for d in evaluation.findings}
        created: list[str] = []
        today = local_date(self.clock())
        for key, draft in wanted.items():
            if key in existing:
                continue
            order = fd.Order.DEADLINE if draft.deadline_days else fd.Order.IMMEDIATE
            f = tables.Finding(
                id=new_id(),
                visit_id=v.id,
                enterprise_id=v.enterprise_id,
                item_key=draft.item_key,
                option=draft.option or "",
                title=draft.title,
                severity=draft.severity.value,
                description=draft.description or draft.title,
                rectification=draft.rectification,
                order=order.value,
                deadline=fd.default_deadline(order, today, draft.deadline_days),
                found_on=today,
                legal_basis=draft.legal_basis,
                status=fd.FindingStatus.OPEN.value,
            )
            s.add(f)
            created.append(f.id)
        removed: list[str] = []
        for key, fid in existing.items():
            if key not in wanted:
                for photo in s.exec(select(tables.FindingPhoto).where(tables.FindingPhoto.finding_id == fid)):
                    s.delete(photo)
                s.delete(s.get(tables.Finding, fid))
                removed.append(fid)
        return created, removed

    def update_finding(
        self,
        finding_id: str,
        *,
        severity: fd.Severity | None = None,
        description: str | None = None,
        rectification: str | None = None,
        order: fd.Order | None = None,
        deadline: date | None = None,
    ) -> Changes:
        with self.ws.session() as s:
            f = s.get(tables.Finding, finding_id)
            if f is None:
                raise NotFound(f"隐患 {finding_id} 不存在")
            self._editable_visit(s, f.visit_id)
            if severity is not None:
                f.severity = severity.value
            if description is not None:
                if not description.strip():
                    raise ServiceError("隐患描述不能为空")
                f.description = description.strip()
            if rectification is not None:
                f.rectification = rectification.strip()
            new_order = order or fd.Order(f.order)
            try:
                fd.validate_order(new_order, fd.Severity(f.severity))
            except ValueError as exc:
                raise ServiceError(str(exc)) from exc
            if order is not None and deadline is None:
                deadline = fd.default_deadline(order, f.found_on, (f.deadline - f.found_on).days or None)
            if deadline is not None:
                try:
                    fd.validate_deadline(new_order, f.found_on, deadline)
                except ValueError as exc:
                    raise ServiceError(str(exc)) from exc
                f.deadline = deadline
            f.order = new_order.value
            s.add(f)
        return Changes(findings={finding_id}, visits={f.visit_id})

    def mark_finding(
        self,
        visit_id: str,
        finding_id: str,
        result: fd.RecheckResult,
        *,
        note: str = "",
        new_deadline: date | None = None,
        photo: bytes | None = None,
    ) -> Changes:
        """Record 已整改 / 未整改 for one finding; it takes effect when the re-inspection completes."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            if v.kind != VisitKind.RECHECK.value:
                raise ServiceError("只有复查才能标记隐患整改情况")
            targets = {f.id: f for f in self._recheck_targets(s, v)}
            if finding_id not in targets:
                raise NotFound(f"隐患 {finding_id} 不在本次复查范围内")
            today = local_date(self.clock())
            if result is fd.RecheckResult.NOT_RECTIFIED:
                try:  # never earlier than the deadline the notice set (domain/finding.py)
                    new_deadline = fd.recheck_deadline(targets[finding_id].deadline, new_deadline, today)
                except ValueError as exc:
                    raise ServiceError(str(exc)) from exc
            else:
                new_deadline = None
            sha = None
            if photo is not None:
                sha = self._store_file(s, photo, kind="photo", name="rectified.jpg")
                s.flush()
            row = s.get(tables.RecheckMark, (visit_id, finding_id))
            if row is None:
                row = tables.RecheckMark(
                    visit_id=visit_id, finding_id=finding_id, result=result.value, marked_at=self.clock()
                )
            row.result = result.value
            row.note = note
            row.new_deadline = new_deadline
            row.photo_sha256 = sha or row.photo_sha256
            row.marked_at = self.clock()
            s.add(row)
        return Changes(visits={visit_id}, findings={finding_id})

    def _apply_recheck(self, s: Session, v: tables.Visit, now: datetime) -> set[str]:
        """A completing re-inspection's marks take effect: 已整改 closes the finding, 未整改 keeps it
        open under a deadline; the ids of the findings touched."""
        touched: set[str] = set()
        for m in s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == v.id)):
            f = s.get(tables.Finding, m.finding_id)
            assert f is not None
            passed = m.result == fd.RecheckResult.RECTIFIED.value
            kind = fd.FindingEventKind.RECHECK_PASSED if passed else fd.FindingEventKind.RECHECK_FAILED
            status = fd.status_after(fd.FindingStatus(f.status), kind)
            s.add(
                tables.FindingEvent(
                    id=new_id(),
                    finding_id=f.id,
                    kind=kind.value,
                    at=now,
                    visit_id=v.id,
                    note=m.note,
                    new_deadline=m.new_deadline,
                )
            )
            if m.photo_sha256 and s.get(tables.FindingPhoto, (f.id, m.photo_sha256, "rectified")) is None:
                s.add(tables.FindingPhoto(finding_id=f.id, sha256=m.photo_sha256, stage="rectified"))
            f.status = status.value
            if passed:
                f.closed_by_visit_id = v.id
                f.closed_on = local_date(now)
            else:
                f.order = fd.Order.DEADLINE.value
                f.deadline = m.new_deadline or f.deadline
            s.add(f)
            touched.add(f.id)
        return touched
