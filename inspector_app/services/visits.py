"""Visits: start, answer item by item, record findings and signatures, complete and freeze.

Every call is one transaction committed durably before it returns, so an answer the inspector has
seen accepted survives a crash or a pulled plug. A completed visit is frozen into its canonical
document (the bytes its content hash covers), written to the outbox in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.checklist import (
    AnswerError,
    Evaluation,
    Form,
    FormLibrary,
    Item,
    ItemType,
    VisitContext,
    coerce,
    implied_choices,
    visit_context,
)
from inspector_app.domain import finding as fd
from inspector_app.domain.authority import AuthorityMissing
from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.domain.enforcement import DocKind
from inspector_app.domain.enterprise import ResumptionStatus, person_in_charge, resumption_after_visit

# Re-exported for the visit page; their home is domain.visit.
from inspector_app.domain.visit import ENTERPRISE_ROLE as ENTERPRISE_ROLE  # noqa: PLC0414
from inspector_app.domain.visit import (
    AnswerValue,
    VisitKind,
    VisitLockedError,
    VisitStatus,
    canonical_json,
    content_hash,
    iso,
    new_id,
)
from inspector_app.domain.visit import inspector_role as inspector_role  # noqa: PLC0414
from inspector_app.services import documents, figures, settings, signatures, site_people
from inspector_app.services.changes import Changes, Created
from inspector_app.services.errors import IncompleteVisit, Missing, NotFound, ServiceError
from inspector_app.store import answers as answer_rows
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace
from inspector_app.wire.models import FILE_ANSWER_TYPES, referenced_files

DOCUMENT_SCHEMA = 1
RECHECK_FORM = "recheck"
RECHECK_NOTICE_ITEM = "notice_number"  # the re-inspection form's 原整改文书文号, prefilled from the record
def enterprise_items(form: Form) -> list[Item]:
    """The form's signature items that are the enterprise's signature (signed once for all)."""
    return [
        it for it in form.items.values() if it.type is ItemType.SIGNATURE and it.signer == ENTERPRISE_ROLE
    ]


def enterprise_may_refuse(form: Form) -> bool:
    """Where the form names the enterprise's signature, it says whether a refusal may stand for it."""
    linked = enterprise_items(form)
    return not linked or any(it.refusable for it in linked)


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


@dataclass(frozen=True)
class FindingView:
    id: str
    item_key: str
    option: str
    title: str
    severity: fd.Severity
    description: str
    rectification: str
    order: fd.Order
    deadline: date
    found_on: date
    legal_basis: str
    status: fd.FindingStatus
    photos: tuple[str, ...]
    visit_id: str


@dataclass(frozen=True)
class SignatureView:
    role: str
    signer: str
    sha256: str | None
    refused_reason: str


@dataclass(frozen=True)
class RecheckMarkView:
    finding_id: str
    result: fd.RecheckResult
    note: str
    new_deadline: date | None
    photo: str | None


@dataclass
class VisitSnapshot:
    """Everything a visit screen, a report or a test needs to show one visit."""

    id: str
    enterprise_code: str
    enterprise_name: str
    form: Form
    kind: VisitKind
    status: VisitStatus
    inspectors: list[str]
    place: str
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, AnswerValue]
    evaluation: Evaluation
    findings: list[FindingView]
    signatures: list[SignatureView]
    photos: dict[str, list[str]]  # item key → sha256 list ("" for the visit as a whole)
    outcome: str
    content_hash: str
    # For a re-inspection: the enterprise's findings to mark and what was said of each.
    recheck_findings: list[FindingView] = field(default_factory=list)
    recheck_marks: dict[str, RecheckMarkView] = field(default_factory=dict)
    # What the form's rules read besides the answers; the page evaluates with exactly this.
    context: VisitContext = field(default_factory=VisitContext)
    # The register's figures for the form's items that carry one (item key → value): a prefilled
    # answer still equal to it is shown as such.
    register_figures: dict[str, int] = field(default_factory=dict)

    @property
    def locked(self) -> bool:
        return self.status is VisitStatus.COMPLETED


@dataclass(frozen=True)
class VisitSummary:
    """One line of an enterprise's visit history."""

    id: str
    form_code: str
    form_title: str
    kind: VisitKind
    status: VisitStatus
    started_at: datetime
    completed_at: datetime | None
    outcome: str
    inspectors: str  # names, joined for display


@dataclass
class AnswerResult:
    evaluation: Evaluation
    changes: Changes
    new_findings: list[str]  # ids of findings this answer derived (the UI opens the editor on them)


@dataclass
class CompleteResult:
    content_hash: str
    outcome: str
    changes: Changes
    # The register's figures the visit updated (员工总数, 到岗人数 …): old and new.
    register: list[figures.FigureChange] = field(default_factory=list)


class VisitService:
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
            if kind is VisitKind.RECHECK and not self._open_findings(s, _id(ent.id)):
                raise ServiceError(f"{ent.name} 没有待复查的隐患，无需复查")
            vid = visit_id or new_id()
            s.add(
                tables.Visit(
                    id=vid,
                    enterprise_id=_id(ent.id),
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
        visit_ids = sorted({f.visit_id for f in self._open_findings(s, _id(enterprise_id))})
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

    def _presign(self, s: Session, visit_id: str, badges: list[str]) -> None:
        """Each inspector who saved a signature (their explicit choice) comes signed with it; the
        finish page shows it and can take it back (``unsign``)."""
        names = {i.badge_number: i.name for i in s.exec(select(tables.Inspector))}
        for badge in badges:
            sha = signatures.saved_sha(s, badge)
            if sha is not None:
                s.add(tables.Signature(visit_id=visit_id, role=inspector_role(badge), signer=names[badge],
                                       sha256=sha, signed_at=self.clock()))

    # ----------------------------------------------------------------- saved signatures

    def remember_signature(self, badge: str, png: bytes) -> str:
        """Save ``png`` as this inspector's signature for later visits and documents."""
        return signatures.save(self.ws, badge, png, self.clock())

    def forget_signature(self, badge: str) -> None:
        signatures.forget(self.ws, badge)

    def inspector_signature(self, badge: str) -> bytes | None:
        """The inspector's saved signature (PNG) or None: documents print it for that inspector."""
        return signatures.inspector_signature(self.ws, badge)

    def unsign(self, visit_id: str, role: str) -> Changes:
        """Take back a signature on a visit still open (a saved one put there, or one drawn)."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            row = s.get(tables.Signature, (visit_id, role))
            if row is not None:
                s.delete(row)
                if role == ENTERPRISE_ROLE:
                    form = self._form(v.form_code, v.form_version)
                    for it in enterprise_items(form):
                        answer_rows.save_answer(s, v.id, it.key, None, self.clock())
        return Changes(visits={visit_id})

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
            findings = self._findings(s, select(tables.Finding).where(tables.Finding.visit_id == visit_id))
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
            return self._open_findings(s, _id(ent.id))

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

    # ----------------------------------------------------------------- findings

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

    # ----------------------------------------------------------------- photos and signatures

    def add_photo(
        self,
        visit_id: str,
        source: Path | bytes,
        *,
        item_key: str = "",
        finding_id: str | None = None,
        name: str = "",
    ) -> str:
        data = source.read_bytes() if isinstance(source, Path) else source
        original = name or (source.name if isinstance(source, Path) else "photo")
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            if item_key and finding_id is None:
                target = self._form(v.form_code, v.form_version).items.get(item_key)
                if target is None or target.type is ItemType.SIGNATURE:
                    # A photo is evidence for an item; a signature is drawn, never a file (a photo
                    # there would print as an unlabelled 图 under 现场照片). Nothing is stored.
                    if target is None:
                        raise ServiceError(f"检查表没有检查项 {item_key}")
                    raise ServiceError(f"{target.label} 是签名项，请在签名板上签名")
            stored = attachments.store_bytes(
                s,
                self.ws.attachments_dir,
                self.ws.thumbnails_dir,
                data,
                kind="photo",
                original_name=original,
                now=self.clock(),
            )
            s.flush()
            if finding_id is not None:
                f = s.get(tables.Finding, finding_id)
                if f is None or f.visit_id != v.id:
                    raise NotFound(f"本次检查没有隐患 {finding_id}")
                if s.get(tables.FindingPhoto, (finding_id, stored.sha256, "found")) is None:
                    s.add(tables.FindingPhoto(finding_id=finding_id, sha256=stored.sha256, stage="found"))
            else:
                _cite_photo(s, visit_id, stored.sha256, item_key)
                s.flush()
                self._photo_item_answer(s, v, item_key)
        return stored.sha256

    def _check_files_known(self, s: Session, value: AnswerValue) -> None:
        """A file answer must name files this workspace holds, or the visit could never be sent whole."""
        shas = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for sha in shas:
            if s.get(tables.Attachment, sha) is None:
                raise ServiceError(f"文件 {sha[:12]}… 不在本工作区，请重新添加照片或签名")

    def _photo_item_answer(self, s: Session, v: tables.Visit, item_key: str) -> None:
        """A photos item's answer is the list of its photos, so required/relevance rules see them."""
        item = self._form(v.form_code, v.form_version).items.get(item_key)
        if item is None or item.type != ItemType.PHOTOS:
            return
        shas = sorted(
            p.sha256
            for p in s.exec(
                select(tables.VisitPhoto).where(
                    tables.VisitPhoto.visit_id == v.id, tables.VisitPhoto.item_key == item_key
                )
            )
        )
        answer_rows.save_answer(s, v.id, item_key, shas or None, self.clock())

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
            sha = attachments.store_bytes(
                s,
                self.ws.attachments_dir,
                self.ws.thumbnails_dir,
                image,
                kind="signature",
                original_name=f"{item_key}.png",
                now=self.clock(),
            ).sha256
        return self.answer(visit_id, item_key, sha)

    def _enterprise_signer(self, s: Session, v: tables.Visit) -> str:
        row = s.get(tables.Signature, (v.id, ENTERPRISE_ROLE))
        if row is not None and row.signer:
            return row.signer
        ent = s.get(tables.Enterprise, v.enterprise_id)
        recorded = site_people.onsite_name(s, v.id)
        if ent is not None:
            recorded = person_in_charge(recorded, ent.contact or "", ent.legal_representative or "")
        name = recorded
        return name or "企业负责人"

    def enterprise_signer(self, visit_id: str) -> str:
        """The name the enterprise's signature card starts with (the person in charge on site)."""
        with self.ws.session() as s:
            return self._enterprise_signer(s, self._visit(s, visit_id))

    def _enterprise_signed(self, s: Session, v: tables.Visit, form: Form, sha: str | None) -> None:
        """Keep the enterprise's signature and the form's enterprise signature items one thing."""
        row = s.get(tables.Signature, (v.id, ENTERPRISE_ROLE))
        if sha is None:
            if row is not None and row.sha256:
                s.delete(row)
        else:
            if row is None:
                row = tables.Signature(visit_id=v.id, role=ENTERPRISE_ROLE, signed_at=self.clock(),
                                       signer=self._enterprise_signer(s, v))
            row.sha256 = sha
            row.refused_reason = ""
            row.signed_at = self.clock()
            s.add(row)
        for it in enterprise_items(form):
            answer_rows.save_answer(s, v.id, it.key, sha, self.clock())

    def rotate_photo(
        self, visit_id: str, sha256: str, *, item_key: str = "", clockwise: bool = True
    ) -> Created:
        """The photo turned a quarter, stored as a new file (named by its own sha256) that takes the
        old one's place in the item's answer. The original file is never changed: a completed
        visit or another item citing it still finds the same bytes under the same name."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            row = s.exec(
                select(tables.VisitPhoto).where(
                    tables.VisitPhoto.visit_id == visit_id,
                    tables.VisitPhoto.sha256 == sha256,
                    tables.VisitPhoto.item_key == item_key,
                )
            ).first()
            if row is None:
                raise NotFound(f"本次检查没有这张照片（{sha256[:12]}…）")
            original = attachments.path_for(self.ws.attachments_dir, sha256).read_bytes()
            stored = attachments.store_bytes(
                s,
                self.ws.attachments_dir,
                self.ws.thumbnails_dir,
                _quarter_turn(original, clockwise),
                kind="photo",
                original_name="旋转.jpg",
                now=self.clock(),
            )
            s.flush()
            s.delete(row)
            _cite_photo(s, visit_id, stored.sha256, item_key)
            s.flush()
            self._photo_item_answer(s, v, item_key)
        return Created(stored.sha256, Changes(visits={visit_id}))

    def remove_photo(
        self, visit_id: str, sha256: str, *, item_key: str = "", finding_id: str | None = None
    ) -> Changes:
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            if finding_id is not None:
                row = s.get(tables.FindingPhoto, (finding_id, sha256, "found"))
                if row is not None:
                    s.delete(row)
                return Changes(findings={finding_id}, visits={visit_id})
            for p in s.exec(
                select(tables.VisitPhoto).where(
                    tables.VisitPhoto.visit_id == visit_id,
                    tables.VisitPhoto.sha256 == sha256,
                    tables.VisitPhoto.item_key == item_key,
                )
            ):
                s.delete(p)
            s.flush()
            self._photo_item_answer(s, v, item_key)
        return Changes(visits={visit_id})

    def sign(
        self,
        visit_id: str,
        role: str,
        signer: str,
        image: bytes | None = None,
        *,
        refused_reason: str = "",
    ) -> Changes:
        """A signature image, or a refusal with its reason (written down, as the law asks)."""
        if image is None and not refused_reason.strip():
            raise ServiceError("未签名时须写明拒签理由")
        if not signer.strip():
            raise ServiceError("签名人姓名不能为空")
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            allowed = {ENTERPRISE_ROLE} | {inspector_role(b) for b in json.loads(v.inspectors_json)}
            if role not in allowed:
                raise ServiceError(f"签名角色 {role} 不属于本次检查")
            form = self._form(v.form_code, v.form_version)
            if image is None and (role != ENTERPRISE_ROLE or not enterprise_may_refuse(form)):
                raise ServiceError("本检查表要求签名，不能以拒签代替")
            sha = None
            if image is not None:
                sha = attachments.store_bytes(
                    s,
                    self.ws.attachments_dir,
                    self.ws.thumbnails_dir,
                    image,
                    kind="signature",
                    original_name=f"{role}.png",
                    now=self.clock(),
                ).sha256
                s.flush()
            row = s.get(tables.Signature, (visit_id, role))
            if row is None:
                row = tables.Signature(visit_id=visit_id, role=role, signed_at=self.clock())
            row.signer = signer.strip()
            row.sha256 = sha
            row.refused_reason = "" if image is not None else refused_reason.strip()
            row.signed_at = self.clock()
            s.add(row)
            changes = Changes(visits={visit_id})
            if role == ENTERPRISE_ROLE and enterprise_items(form):
                for it in enterprise_items(form):
                    answer_rows.save_answer(s, v.id, it.key, sha, self.clock())
                s.flush()
                evaluation = self._evaluate(s, v, form, self._answers(s, v.id))
                created, removed = self._sync_findings(s, v, form, evaluation)
                changes.findings |= set(created) | set(removed)
        return changes

    # ----------------------------------------------------------------- re-inspection

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
                sha = attachments.store_bytes(
                    s,
                    self.ws.attachments_dir,
                    self.ws.thumbnails_dir,
                    photo,
                    kind="photo",
                    original_name="rectified.jpg",
                    now=self.clock(),
                ).sha256
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

    # ----------------------------------------------------------------- complete

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

    def _apply_recheck(self, s: Session, v: tables.Visit, now: datetime) -> set[str]:
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

    def _document(self, s: Session, v: tables.Visit, ent: tables.Enterprise) -> dict[str, Any]:
        """The canonical document: only what the visit says, in a stable shape (DOCUMENT_SCHEMA)."""
        form = self._form(v.form_code, v.form_version)
        answers = self._answers(s, v.id)
        visible = self._evaluate(s, v, form, answers).visible
        findings = self._findings(s, select(tables.Finding).where(tables.Finding.visit_id == v.id))
        sigs = s.exec(
            select(tables.Signature)
            .where(tables.Signature.visit_id == v.id)
            .order_by(col(tables.Signature.role))
        ).all()
        photos = s.exec(
            select(tables.VisitPhoto)
            .where(tables.VisitPhoto.visit_id == v.id)
            .order_by(col(tables.VisitPhoto.item_key), col(tables.VisitPhoto.sha256))
        ).all()
        marks = s.exec(
            select(tables.RecheckMark)
            .where(tables.RecheckMark.visit_id == v.id)
            .order_by(col(tables.RecheckMark.finding_id))
        ).all()
        requests = s.exec(
            select(tables.EnterpriseRequest)
            .where(tables.EnterpriseRequest.visit_id == v.id)
            .order_by(col(tables.EnterpriseRequest.id))
        ).all()
        kept = {k: val for k, val in sorted(answers.items()) if k in visible}
        document: dict[str, Any] = {
            "schema": DOCUMENT_SCHEMA,
            "id": v.id,
            "kind": v.kind,
            "enterprise": {"credit_code": ent.credit_code, "name": ent.name},
            "form": {"code": v.form_code, "version": v.form_version},
            "inspectors": json.loads(v.inspectors_json),
            "place": v.place,
            "started_at": iso(v.started_at),
            "completed_at": iso(v.completed_at),
            "outcome": v.outcome,
            "answers": kept,
            # Which answers are files: the document alone tells every reader what makes it whole.
            "file_answers": {
                k: form.items[k].type.value
                for k, val in kept.items()
                if val is not None and k in form.items and form.items[k].type.value in FILE_ANSWER_TYPES
            },
            "findings": [
                {
                    "id": f.id,
                    "item_key": f.item_key,
                    "option": f.option,
                    "title": f.title,
                    "severity": f.severity.value,
                    "description": f.description,
                    "rectification": f.rectification,
                    "order": f.order.value,
                    "deadline": f.deadline.isoformat(),
                    "found_on": f.found_on.isoformat(),
                    "legal_basis": f.legal_basis,
                    "photos": sorted(f.photos),
                }
                for f in sorted(findings, key=lambda x: (x.item_key, x.option))
            ],
            "recheck": [
                {
                    "finding_id": m.finding_id,
                    "result": m.result,
                    "note": m.note,
                    "new_deadline": m.new_deadline.isoformat() if m.new_deadline else None,
                    "photo": m.photo_sha256,
                }
                for m in marks
            ],
            "photos": [{"sha256": p.sha256, "item_key": p.item_key} for p in photos],
            "signatures": [
                {"role": g.role, "signer": g.signer, "sha256": g.sha256, "refused_reason": g.refused_reason}
                for g in sigs
            ],
            "requests": [
                {"id": r.id, "category": r.category, "description": r.description} for r in requests
            ],
        }
        # The manifest is derived from the document by the rule the server applies to decide
        # "received" (wire.referenced_files): every file it cites, wherever it cites it.
        manifest = []
        for sha in sorted(referenced_files(document)):
            a = s.get(tables.Attachment, sha)
            if a is None:
                raise ServiceError(f"文件 {sha[:12]}… 不在本工作区，请重新添加照片或签名")
            manifest.append({"sha256": sha, "size": a.size, "mime": a.mime, "kind": a.kind})
        document["manifest"] = manifest
        return document

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

    # ----------------------------------------------------------------- helpers

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

    def _answers(self, s: Session, visit_id: str) -> dict[str, AnswerValue]:
        return answer_rows.load_answers(s, visit_id)

    def _findings(self, s: Session, query: Any) -> list[FindingView]:
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
        return self._findings(s, q)

    def _recheck_targets(self, s: Session, v: tables.Visit) -> list[FindingView]:
        if v.status == VisitStatus.COMPLETED.value:
            marked = [
                m.finding_id
                for m in s.exec(select(tables.RecheckMark).where(tables.RecheckMark.visit_id == v.id))
            ]
            return self._findings(s, select(tables.Finding).where(col(tables.Finding.id).in_(marked)))
        return self._open_findings(s, v.enterprise_id)


def _cite_photo(s: Session, visit_id: str, sha256: str, item_key: str) -> None:
    """The visit's item cites the photo (once, however often it is added)."""
    cited = s.exec(
        select(tables.VisitPhoto).where(
            tables.VisitPhoto.visit_id == visit_id,
            tables.VisitPhoto.sha256 == sha256,
            tables.VisitPhoto.item_key == item_key,
        )
    ).first()
    if cited is None:
        s.add(tables.VisitPhoto(visit_id=visit_id, sha256=sha256, item_key=item_key))


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


def _quarter_turn(data: bytes, clockwise: bool) -> bytes:
    """The picture as it is seen (EXIF orientation applied) turned 90°, as a JPEG (a PNG stays PNG)."""
    import io

    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        fmt = "PNG" if img.format == "PNG" else "JPEG"
        upright = ImageOps.exif_transpose(img)
        turned = upright.transpose(Image.Transpose.ROTATE_270 if clockwise else Image.Transpose.ROTATE_90)
        if fmt == "JPEG" and turned.mode not in ("RGB", "L"):
            turned = turned.convert("RGB")
        out = io.BytesIO()
        turned.save(out, fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    return out.getvalue()


def _id(value: int | None) -> int:
    assert value is not None
    return value
