"""Completing a visit: what still stands in the way, then freezing it: outcome, findings opened
or closed, the register's figures, the numbers issued, the canonical document and its outbox entry."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from inspector_app.checklist import Evaluation, Form
from inspector_app.domain import finding as fd
from inspector_app.domain.clock import local_date
from inspector_app.domain.enterprise import ResumptionStatus, resumption_after_visit
from inspector_app.domain.visit import (
    ENTERPRISE_ROLE,
    VisitKind,
    VisitStatus,
    canonical_json,
    content_hash,
    inspector_role,
    new_id,
)
from inspector_app.services import documents, figures, site_people
from inspector_app.services.changes import Changes
from inspector_app.services.errors import IncompleteVisit, Missing
from inspector_app.services.visit_document import visit_document
from inspector_app.services.visit_findings import VisitFindings
from inspector_app.services.visit_signing import enterprise_items
from inspector_app.services.visit_views import CompleteResult
from inspector_app.store import answers as answer_rows
from inspector_app.store import tables

OFFICERS_TARGET = "officers"  # Missing.target of "not enough law-enforcement officers"
_COUNT_ZH = {1: "一", 2: "两", 3: "三", 4: "四"}


def officers_shortfall(form: Form, crew: list[tuple[str, str]]) -> str:
    """What is missing when the form needs more law-enforcement officers than ``crew`` (badge,
    name) holds, naming those present with their badge numbers; "" when there are enough."""
    if len(crew) >= form.officers:
        return ""
    need = _COUNT_ZH.get(form.officers, str(form.officers))
    present = "、".join(f"{name}（执法证号 {badge}）" for badge, name in crew) or "无"
    more = form.officers - len(crew)
    return (f"执法人员不足：{form.title.zh}须由{need}名持执法证的执法人员检查，"
            f"本次只有 {len(crew)} 名：{present}，还差 {more} 名")


class VisitCompletion(VisitFindings):
    """Completing a visit; a part of ``VisitService``."""

    def missing(self, visit_id: str) -> list[Missing]:
        """Everything that still stands between this visit and completing it, with where to fix it."""
        with self.ws.session() as s:
            v = self._visit(s, visit_id)
            return self._missing(s, v, self._form(v.form_code, v.form_version))

    def _missing(self, s: Session, v: tables.Visit, form: Form) -> list[Missing]:
        answers = self._answers(s, v.id)
        ev = self._evaluate(s, v, form, answers)
        out = [
            Missing(k, f"未填写：{form.items[k].label}") for k in ev.missing_required if k not in ev.errors
        ]
        out += [
            Missing(k, f"{form.items[k].label}：{msg}") for k, msg in ev.errors.items() if k in form.items
        ]
        for f in s.exec(select(tables.Finding).where(tables.Finding.visit_id == v.id)):
            if not f.description.strip():
                out.append(Missing(f"finding:{f.id}", f"隐患“{f.title}”缺少描述"))
            if f.order == fd.Order.ON_SITE_FIXED.value and s.exec(
                select(tables.FindingPhoto).where(tables.FindingPhoto.finding_id == f.id)
            ).first() is None:
                out.append(Missing(f"finding:{f.id}", f"隐患“{f.title}”当场整改完毕，需附整改后照片"))
        if v.kind == VisitKind.RECHECK.value:
            marked = {
                m.finding_id
                for m in s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == v.id))
            }
            out += [
                Missing(f"recheck:{f.id}", f"未复查：{f.title}")
                for f in self._recheck_targets(s, v)
                if f.id not in marked
            ]
        signed = {g.role for g in s.exec(select(tables.Signature).where(tables.Signature.visit_id == v.id))}
        names = {i.badge_number: i.name for i in s.exec(select(tables.Inspector))}
        crew = [(b, names.get(b, b)) for b in json.loads(v.inspectors_json)]
        short = officers_shortfall(form, crew)
        if short:
            out.insert(0, Missing(OFFICERS_TARGET, short))
        for badge in json.loads(v.inspectors_json):
            role = inspector_role(badge)
            if role not in signed:
                out.append(Missing(f"signature:{role}", f"检查人员 {names.get(badge, badge)} 未签名"))
        # A form's enterprise signature item says it already (its own label, one entry).
        said = any(it.key in ev.missing_required for it in enterprise_items(form))
        if ENTERPRISE_ROLE not in signed and not said:
            out.append(Missing(f"signature:{ENTERPRISE_ROLE}", "企业负责人未签名（或未记录拒签理由）"))
        return out

    def complete(self, visit_id: str) -> CompleteResult:
        """Freeze the visit: outcome, canonical document and hash, findings opened, outbox entry."""
        now = self.clock()
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            form = self._form(v.form_code, v.form_version)
            missing = self._missing(s, v, form)
            if missing:
                raise IncompleteVisit(missing)
            ev = self._evaluate(s, v, form, self._answers(s, v.id))
            # Computed values (到岗率 …) are part of the record: frozen with the answers, so the
            # document and everything printed from it show what the inspector saw.
            for key, value in ev.computed.items():
                answer_rows.save_answer(s, v.id, key, value, now)
            ent = s.get(tables.Enterprise, v.enterprise_id)
            assert ent is not None
            v.status = VisitStatus.COMPLETED.value
            v.completed_at = now
            v.outcome = ev.outcome
            changes = Changes(visits={v.id}, enterprises={ent.credit_code}, outbox=True)
            for f in s.exec(select(tables.Finding).where(tables.Finding.visit_id == v.id)):
                s.add(
                    tables.FindingEvent(
                        id=new_id(),
                        finding_id=f.id,
                        kind=fd.FindingEventKind.FOUND.value,
                        at=now,
                        visit_id=v.id,
                        new_deadline=f.deadline,
                    )
                )
                changes.findings.add(f.id)
                if f.order == fd.Order.ON_SITE_FIXED.value:  # verified corrected in the inspectors' presence
                    s.add(tables.FindingEvent(id=new_id(), finding_id=f.id, at=now, visit_id=v.id,
                                              kind=fd.FindingEventKind.RECHECK_PASSED.value, note=f.order))
                    f.status, f.closed_by_visit_id = fd.FindingStatus.CLOSED.value, v.id
                    f.closed_on = local_date(now)
                    s.add(f)
            if v.kind == VisitKind.RECHECK.value:
                changes.findings |= self._apply_recheck(s, v, now)
            register = self._update_enterprise(s, v, ent, form, ev=ev, now=now)
            assignment = s.get(tables.Assignment, v.enterprise_id)
            if assignment is not None:
                day = local_date(v.started_at)
                if assignment.last_visit_on is None or assignment.last_visit_on < day:
                    assignment.last_visit_on = day
                    s.add(assignment)
                changes.assignments = True
            s.flush()
            issued = documents.number_on_completion(s, v.id, form, local_date(now))  # fixed now, not at print
            document = self._document(s, v, ent)
            document["numbers"] = documents.for_document(issued)  # the office prints the same numbers
            document.update(site_people.for_document(s, v.id))  # 现场负责人 and 见证人, when recorded
            v.content_hash = content_hash(document)
            document["content_hash"] = v.content_hash
            v.document_json = canonical_json(document).decode("utf-8")
            s.add(v)
            s.add(tables.Outbox(entity="visit", entity_id=v.id, account=v.created_by, created_at=now))
        return CompleteResult(content_hash=v.content_hash, outcome=v.outcome, changes=changes,
                              register=register)

    def _update_enterprise(
        self, s: Session, v: tables.Visit, ent: tables.Enterprise, form: Form, *,
        ev: Evaluation, now: datetime,
    ) -> list[figures.FigureChange]:
        """What a completed visit changes in the register: the resumption status it decides, and
        the staff figures the inspectors recorded (员工总数, 到岗人数), sent to the office."""
        current = ResumptionStatus(ent.resumption_status)
        new = resumption_after_visit(current, v.form_code, ev.outcome)
        register = figures.register_update(form, self._answers(s, v.id), ev, ent)
        figures.apply(s, ent, register, now, v.created_by or self.account)
        if new is not current or register:
            ent.resumption_status = new.value
            ent.version += 1
            ent.updated_at = now
            s.add(ent)
        return register

    def _document(self, s: Session, v: tables.Visit, ent: tables.Enterprise) -> dict[str, Any]:
        """The canonical document of the visit as it stands (see ``visit_document``)."""
        return visit_document(s, v, ent, self._form(v.form_code, v.form_version), self._context(s, v))
