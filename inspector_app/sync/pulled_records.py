"""A team leader's pulled records: teammates' completed visits, finding events and request
follow-ups, each checked as the office checked it before any of it reaches the laptop's disk."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inspector_app.domain import finding as fd
from inspector_app.domain.requests import FollowUpMark, RequestStatus, latest_follow_up
from inspector_app.domain.visit import canonical_json
from inspector_app.store import attachments
from inspector_app.store import enterprises as store
from inspector_app.store import tables as _T
from inspector_app.wire import check_document
from inspector_app.wire.models import FindingEventChange, RequestFollowUpChange, VisitChange


class PulledRecordRefused(ValueError):
    """A pulled record this laptop will not take; the message says why (kept in the quarantine)."""


def table_of(model: Any) -> Any:
    """The Core table of a SQLModel class (SQLModel does not declare ``__table__`` to mypy)."""
    return model.__table__


def _when(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def store_visit(
    s: Session, ch: VisitChange, attachments_root: Path, thumbs_root: Path, files: dict[str, bytes]
) -> bool:
    """Keep a teammate's completed visit so the leader can print it; its files were fetched first."""
    doc = ch.document
    vid = str(doc.get("id", ""))
    if vid and s.get(_T.Visit, vid) is not None:
        return False
    # The document is checked as the office checked it (shape, hash, manifest = cited files)
    # before any of it reaches this laptop's database or disk.
    check_document(doc)
    code = doc["enterprise"]["credit_code"]
    ent = store.get_row(s.connection(), code)
    if ent is None:
        return False  # not on this laptop (not the team's): nothing to print it with
    for m in doc.get("manifest", []):
        sha = m["sha256"]
        if s.get(_T.Attachment, sha) is None or not attachments.path_for(attachments_root, sha).exists():
            data = files.get(sha)
            if data is None:
                raise PulledRecordRefused(f"服务器未能提供文件 {sha[:12]}…，检查记录暂不保存")
            attachments.store_bytes(
                s,
                attachments_root,
                thumbs_root,
                data,
                kind=m["kind"],
                original_name=sha[:12],
                now=_when(doc["completed_at"]) or datetime.now(),
            )
    s.flush()
    completed = _at(doc["completed_at"])
    s.add(
        _T.Visit(
            id=vid,
            enterprise_id=ent["id"],
            form_code=doc["form"]["code"],
            form_version=doc["form"]["version"],
            kind=doc["kind"],
            status="completed",
            inspectors_json=json.dumps(doc["inspectors"], ensure_ascii=False),
            place=doc["place"],
            started_at=_at(doc["started_at"]),
            completed_at=completed,
            outcome=doc["outcome"],
            content_hash=doc["content_hash"],
            document_json=canonical_json(doc).decode("utf-8"),
            created_by=ch.pushed_by,
        )
    )
    s.flush()
    for key, value in doc["answers"].items():
        s.add(
            _T.Answer(
                visit_id=vid,
                item_key=key,
                value_json=json.dumps(value, ensure_ascii=False),
                answered_at=completed,
            )
        )
    for fnd in doc["findings"]:
        s.add(
            _T.Finding(
                id=fnd["id"],
                visit_id=vid,
                enterprise_id=ent["id"],
                item_key=fnd["item_key"],
                option=fnd["option"],
                title=fnd["title"],
                severity=fnd["severity"],
                description=fnd["description"],
                order=fnd["order"],
                deadline=date.fromisoformat(fnd["deadline"]),
                found_on=date.fromisoformat(fnd["found_on"]),
                legal_basis=fnd["legal_basis"],
                status=fd.FindingStatus.OPEN.value,
            )
        )
    s.flush()
    for fnd in doc["findings"]:
        for sha in fnd["photos"]:
            s.add(_T.FindingPhoto(finding_id=fnd["id"], sha256=sha, stage="found"))
    for p in doc["photos"]:
        s.add(_T.VisitPhoto(visit_id=vid, sha256=p["sha256"], item_key=p["item_key"]))
    for g in doc["signatures"]:
        s.add(
            _T.Signature(
                visit_id=vid,
                role=g["role"],
                signer=g["signer"],
                sha256=g["sha256"],
                refused_reason=g["refused_reason"],
                signed_at=completed,
            )
        )
    for r in doc["requests"]:
        request = s.get(_T.EnterpriseRequest, r["id"])
        if request is not None:  # a follow-up pulled before its visit brought the request already
            request.visit_id = vid
            s.add(request)
            continue
        s.add(
            _T.EnterpriseRequest(
                id=r["id"],
                enterprise_id=ent["id"],
                visit_id=vid,
                category=r["category"],
                description=r["description"],
                status=RequestStatus.PENDING.value,
                created_at=completed,
                updated_at=completed,
            )
        )
    return True


def store_finding_event(s: Session, ch: FindingEventChange) -> bool:
    ev = ch.event
    finding = s.get(_T.Finding, ev.finding_id)
    if finding is None or s.get(_T.FindingEvent, ev.id) is not None:
        return False
    visit_id = ev.visit_id if ev.visit_id and s.get(_T.Visit, ev.visit_id) is not None else None
    s.add(
        _T.FindingEvent(
            id=ev.id,
            finding_id=ev.finding_id,
            kind=ev.kind.value,
            at=ev.at,
            visit_id=visit_id,
            note=ev.note,
            new_deadline=ev.new_deadline,
        )
    )
    s.flush()
    table = table_of(_T.FindingEvent)
    rows = s.connection().execute(select(table).where(table.c.finding_id == ev.finding_id)).mappings()
    events = [
        fd.FindingEvent(
            kind=fd.FindingEventKind(r["kind"]),
            at=r["at"],
            visit_id=r["visit_id"],
            note=r["note"],
            new_deadline=r["new_deadline"],
        )
        for r in rows
    ]
    status, deadline = fd.replay(events)
    finding.status = status.value
    if deadline is not None:
        finding.deadline = deadline
    s.add(finding)
    return True


def store_request_follow_up(s: Session, ch: RequestFollowUpChange) -> bool:
    """Keep a teammate's follow-up of a request (creating the request if its visit is not here)."""
    f = ch.follow_up
    conn = s.connection()
    fu = table_of(_T.RequestFollowUp).c
    if conn.execute(select(fu.id).where(fu.event_id == f.id)).first() is not None:
        return False
    ent = store.get_row(conn, f.credit_code)
    if ent is None:
        return False  # not on this laptop (not the team's)
    request = s.get(_T.EnterpriseRequest, f.request_id)
    if request is None:
        visit_id = f.visit_id if f.visit_id and s.get(_T.Visit, f.visit_id) is not None else None
        request = _T.EnterpriseRequest(
            id=f.request_id,
            enterprise_id=ent["id"],
            visit_id=visit_id,
            category=f.category,
            description=f.description,
            created_at=f.at,
            updated_at=f.at,
        )
    s.add(request)
    s.flush()
    s.add(
        _T.RequestFollowUp(
            event_id=f.id, request_id=f.request_id, at=f.at, status=f.status.value, note=f.note, by=f.by
        )
    )
    s.flush()
    latest = latest_follow_up(
        FollowUpMark(r.at, r.event_id, r.status)
        for r in conn.execute(select(fu.at, fu.event_id, fu.status).where(fu.request_id == f.request_id))
    )
    request.status = latest.status
    request.updated_at = latest.at
    s.add(request)
    return True
