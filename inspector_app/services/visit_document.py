"""The canonical visit document a completed visit is frozen into: the bytes its content hash
covers, sent to the office and printed from (its shape is ``wire.VisitDocument``)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.checklist import (
    Form,
    VisitContext,
)
from inspector_app.domain.visit import (
    iso,
)
from inspector_app.services.errors import ServiceError
from inspector_app.services.visit_core import finding_views
from inspector_app.store import answers as answer_rows
from inspector_app.store import tables
from inspector_app.wire.models import DOCUMENT_SCHEMA, FILE_ANSWER_TYPES, referenced_files


def visit_document(
    s: Session, v: tables.Visit, ent: tables.Enterprise, form: Form, context: VisitContext
) -> dict[str, Any]:
    """The canonical document: only what the visit says, in a stable shape (DOCUMENT_SCHEMA);
    an answer the form hides in ``context`` is left out."""
    answers = answer_rows.load_answers(s, v.id)
    visible = context.evaluate(form, answers).visible
    findings = finding_views(s, select(tables.Finding).where(tables.Finding.visit_id == v.id))
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
