"""Visits: start, answer item by item, read back; the service every screen and command holds.

Every call is one transaction committed durably before it returns, so an answer the inspector has
seen accepted survives a crash or a pulled plug. The service is assembled from one module per part
of a visit: ``visit_core`` (lookups and context), ``visit_findings``, ``visit_signing``,
``visit_photos`` and ``visit_completion`` (freezing into ``visit_document``); the shapes it returns
are in ``visit_views``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.checklist import AnswerError, ItemType, coerce, implied_choices, visit_context
from inspector_app.domain import finding as fd
from inspector_app.domain.authority import AuthorityMissing
from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DocKind
from inspector_app.domain.visit import ENTERPRISE_ROLE, AnswerValue, VisitKind, VisitStatus, new_id
from inspector_app.services import documents, figures, settings
from inspector_app.services.changes import Changes, Created
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.services.visit_completion import VisitCompletion
from inspector_app.services.visit_core import finding_views, row_id
from inspector_app.services.visit_photos import VisitPhotos
from inspector_app.services.visit_signing import VisitSigning
from inspector_app.services.visit_views import (
    AnswerResult,
    FindingView,
    RecheckMarkView,
    SignatureView,
    VisitSnapshot,
    VisitSummary,
)
from inspector_app.store import answers as answer_rows
from inspector_app.store import tables

RECHECK_FORM = "recheck"
RECHECK_NOTICE_ITEM = "notice_number"  # the re-inspection form's 原整改文书文号, prefilled from the record


class VisitService(VisitSigning, VisitPhotos, VisitCompletion):
    """The visit use cases, one object: its parts are in the modules named above."""

    # ----------------------------------------------------------------- start

    def start(
        self,
        enterprise_code: str,
        form_code: str,
        inspectors: Iterable[str],
        *,
        place: str = "",
        visit_id: str | None = None,
    ) -> Created:
        """Start an inspection visit with the newest version of a form; the version is pinned."""
        form = self._form(form_code, None)
        kind = VisitKind.RECHECK if form.kind == "recheck" else VisitKind.INSPECTION
        with self.ws.session() as s:
            ent = self._enterprise(s, enterprise_code)
            badges = self._inspectors(s, inspectors)
            if kind is VisitKind.RECHECK and not self._open_findings(s, row_id(ent.id)):
                raise ServiceError(f"{ent.name} 没有待复查的隐患，无需复查")
            vid = visit_id or new_id()
            s.add(
                tables.Visit(
                    id=vid,
                    enterprise_id=row_id(ent.id),
                    form_code=form.code,
                    form_version=form.version,
                    kind=kind.value,
                    status=VisitStatus.DRAFT.value,
                    inspectors_json=json.dumps(badges),
                    place=place or ent.address,
                    started_at=self.clock(),
                    created_by=self.account,
                )
            )
            s.flush()
            self._presign(s, vid, badges)
            # The register's figures are the defaults of the matching items (shown as prefilled),
            # and so is a choice the category leaves alone (场所类型 of a KTV: 小娱乐场所).
            context = visit_context(category=ent.category, today=local_date(self.clock()))
            prefilled: dict[str, AnswerValue] = {**implied_choices(form, context)}
            prefilled.update(figures.prefill(form, ent))
            if kind is VisitKind.RECHECK and RECHECK_NOTICE_ITEM in form.items:
                served = self._served_numbers(s, ent.id)
                if served:
                    prefilled[RECHECK_NOTICE_ITEM] = served
            for key, value in prefilled.items():
                answer_rows.save_answer(s, vid, key, value, self.clock())
        return Created(vid, Changes(visits={vid}, enterprises={enterprise_code}))

    def _served_numbers(self, s: Session, enterprise_id: int | None) -> str:
        """The numbers of the orders served with the findings a re-inspection is for, as printed:
        the inspector reads them off the record instead of typing them. "" when the unit's short
        name or 文书代字 is not set (the number could not be printed either)."""
        authority = settings.load(s).authority()
        visit_ids = sorted({f.visit_id for f in self._open_findings(s, row_id(enterprise_id))})
        numbers: list[str] = []
        for visit_id in visit_ids:
            for issued in documents.issued_for(s, visit_id):
                if issued.kind in (DocKind.RECORD, DocKind.RECHECK):
                    continue
                try:
                    numbers.append(issued.text(authority))
                except AuthorityMissing:
                    return ""
        return "；".join(numbers)[:60]

    def start_recheck(self, enterprise_code: str, inspectors: Iterable[str]) -> Created:
        return self.start(enterprise_code, RECHECK_FORM, inspectors)

    # ----------------------------------------------------------------- read

    def snapshot(self, visit_id: str) -> VisitSnapshot:
        with self.ws.session() as s:
            v = self._visit(s, visit_id)
            ent = s.get(tables.Enterprise, v.enterprise_id)
            assert ent is not None
            form = self._form(v.form_code, v.form_version)
            answers = self._answers(s, visit_id)
            findings = finding_views(s, select(tables.Finding).where(tables.Finding.visit_id == visit_id))
            sigs = s.exec(select(tables.Signature).where(tables.Signature.visit_id == visit_id)).all()
            photos: dict[str, list[str]] = {}
            for p in s.exec(select(tables.VisitPhoto).where(tables.VisitPhoto.visit_id == visit_id)).all():
                photos.setdefault(p.item_key, []).append(p.sha256)
            recheck_findings: list[FindingView] = []
            marks: dict[str, RecheckMarkView] = {}
            if v.kind == VisitKind.RECHECK.value:
                recheck_findings = self._recheck_targets(s, v)
                for m in s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == visit_id)):
                    marks[m.finding_id] = RecheckMarkView(
                        m.finding_id, fd.RecheckResult(m.result), m.note, m.new_deadline, m.photo_sha256
                    )
            context = self._context(s, v)
            return VisitSnapshot(
                id=v.id,
                enterprise_code=ent.credit_code,
                enterprise_name=ent.name,
                form=form,
                kind=VisitKind(v.kind),
                status=VisitStatus(v.status),
                inspectors=json.loads(v.inspectors_json),
                place=v.place,
                started_at=v.started_at,
                completed_at=v.completed_at,
                answers=answers,
                evaluation=context.evaluate(form, answers),
                findings=findings,
                signatures=[SignatureView(g.role, g.signer, g.sha256, g.refused_reason) for g in sigs],
                photos=photos,
                outcome=v.outcome,
                content_hash=v.content_hash,
                recheck_findings=recheck_findings,
                recheck_marks=marks,
                context=context,
                register_figures=figures.prefill(form, ent),
            )

    def history(self, enterprise_code: str) -> list[VisitSummary]:
        """The enterprise's visits, newest first."""
        with self.ws.session() as s:
            ent = self._enterprise(s, enterprise_code)
            rows = s.exec(
                select(tables.Visit)
                .where(tables.Visit.enterprise_id == ent.id)
                .order_by(col(tables.Visit.started_at).desc())
            ).all()
            names = {i.badge_number: i.name for i in s.exec(select(tables.Inspector))}
        out = []
        for v in rows:
            try:
                title = self.forms.get(v.form_code, v.form_version).title.zh
            except KeyError:
                title = v.form_code  # a form this laptop no longer has still names its visits
            crew = "、".join(names.get(b, b) for b in json.loads(v.inspectors_json))
            out.append(
                VisitSummary(
                    v.id,
                    v.form_code,
                    title,
                    VisitKind(v.kind),
                    VisitStatus(v.status),
                    v.started_at,
                    v.completed_at,
                    v.outcome,
                    crew,
                )
            )
        return out

    def waiting_to_sync(self) -> int:
        """Changes written on this laptop that the office has not acknowledged yet."""
        with self.ws.session() as s:
            return len(
                s.exec(
                    select(tables.Outbox.id).where(col(tables.Outbox.state).in_(("waiting", "sending")))
                ).all()
            )

    def open_findings(self, enterprise_code: str) -> list[FindingView]:
        with self.ws.session() as s:
            ent = self._enterprise(s, enterprise_code)
            return self._open_findings(s, row_id(ent.id))

    # ----------------------------------------------------------------- answer
    def answer(self, visit_id: str, item_key: str, raw: Any) -> AnswerResult:
        """Validate, store durably, re-evaluate and keep derived findings in step with the answers."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            form = self._form(v.form_code, v.form_version)
            item = form.items.get(item_key)
            if item is None:
                raise NotFound(f"检查表 {form.code} 没有检查项 {item_key}")
            try:
                value = coerce(item, raw)
            except AnswerError as exc:
                raise ServiceError(f"{item.label}：{exc}") from exc
            if item.type in (ItemType.PHOTOS, ItemType.SIGNATURE):
                self._check_files_known(s, value)
            if item.signer == ENTERPRISE_ROLE:
                self._enterprise_signed(s, v, form, value if isinstance(value, str) else None)
            answer_rows.save_answer(s, visit_id, item_key, value, self.clock())
            answers = answer_rows.load_answers(s, visit_id)
            evaluation = self._evaluate(s, v, form, answers)
            created, removed = self._sync_findings(s, v, form, evaluation)
        changes = Changes(visits={visit_id}, findings=set(created) | set(removed))
        return AnswerResult(evaluation=evaluation, changes=changes, new_findings=created)

    def answer_signature(
        self, visit_id: str, item_key: str, image: bytes | None, *, signer: str = "", refused_reason: str = ""
    ) -> AnswerResult:
        """A signature item of the form: stored, then answered by sha. The enterprise's signature item
        is the visit's enterprise signature: signing (or refusing, where the form allows) goes
        through ``sign`` and answers every such item at once."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            form = self._form(v.form_code, v.form_version)
            item = form.items.get(item_key)
            if item is None or item.type != ItemType.SIGNATURE:
                raise ServiceError(f"{item_key} 不是签名项")
            if item.signer == ENTERPRISE_ROLE:
                name = signer.strip() or self._enterprise_signer(s, v)
            elif image is None:
                raise ServiceError(f"{item.label}：请签名")
        if item.signer == ENTERPRISE_ROLE:
            changes = self.sign(visit_id, ENTERPRISE_ROLE, name, image, refused_reason=refused_reason)
            with self.ws.session() as s:
                v = self._visit(s, visit_id)
                evaluation = self._evaluate(s, v, form, self._answers(s, visit_id))
            return AnswerResult(evaluation=evaluation, changes=changes, new_findings=[])
        assert image is not None
        with self.ws.session() as s:
            sha = self._store_file(s, image, kind="signature", name=f"{item_key}.png")
        return self.answer(visit_id, item_key, sha)

    # ----------------------------------------------------------------- requests

    def record_request(self, visit_id: str, category: str, description: str) -> Created:
        if not description.strip():
            raise ServiceError("诉求内容不能为空")
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            now = self.clock()
            rid = new_id()
            s.add(
                tables.EnterpriseRequest(
                    id=rid,
                    enterprise_id=v.enterprise_id,
                    visit_id=v.id,
                    category=category,
                    description=description.strip(),
                    created_at=now,
                    updated_at=now,
                )
            )
        return Created(rid, Changes(requests={rid}, visits={visit_id}))
