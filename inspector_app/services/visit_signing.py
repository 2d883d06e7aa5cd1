"""Signatures on a visit: the inspectors' saved ones put there at the start, signing or refusing
with a reason, and the enterprise's signature kept one thing with the form's signature items."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from inspector_app.checklist import (
    Form,
    Item,
    ItemType,
)
from inspector_app.domain.enterprise import person_in_charge
from inspector_app.domain.visit import (
    ENTERPRISE_ROLE,
    inspector_role,
)
from inspector_app.services import signatures, site_people
from inspector_app.services.changes import Changes
from inspector_app.services.errors import ServiceError
from inspector_app.services.visit_findings import VisitFindings
from inspector_app.store import answers as answer_rows
from inspector_app.store import tables


def enterprise_items(form: Form) -> list[Item]:
    """The form's signature items that are the enterprise's signature (signed once for all)."""
    return [
        it for it in form.items.values() if it.type is ItemType.SIGNATURE and it.signer == ENTERPRISE_ROLE
    ]


def enterprise_may_refuse(form: Form) -> bool:
    """Where the form names the enterprise's signature, it says whether a refusal may stand for it."""
    linked = enterprise_items(form)
    return not linked or any(it.refusable for it in linked)


class VisitSigning(VisitFindings):
    """Signatures on a visit; a part of ``VisitService`` (signing re-derives the findings)."""

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
                sha = self._store_file(s, image, kind="signature", name=f"{role}.png")
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
