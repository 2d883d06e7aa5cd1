"""Accepting what laptops push: a batch of visits, enterprise edits, finding and request follow-ups.

Each record is judged alone, so one the server cannot accept is answered "rejected" with its
reason (the laptop quarantines it) and the rest of the batch goes through. Every answer is
idempotent: pushing the same record again answers "exists"; the same id with other content is a
conflict (409) and is never overwritten. The visits are judged here; edits in ``edits.py``,
follow-ups in ``follow_ups.py``, what makes a visit received in ``receipts.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from inspector_app.batches import chunks
from inspector_app.central.console import projection as console_projection  # office console read model
from inspector_app.central.console import refusals as console_refusals  # office console: refused visits
from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import CHUNK, insert_ignore, insert_new, many
from inspector_app.central.logic import visit_rules
from inspector_app.central.logic.answers import reject
from inspector_app.central.logic.auth import Principal
from inspector_app.central.logic.edits import push_edits, set_field
from inspector_app.central.logic.follow_ups import push_finding_events, push_request_follow_ups
from inspector_app.central.logic.receipts import mark_received, missing_files, visits_citing
from inspector_app.domain.enterprise import ResumptionStatus, resumption_after_visit
from inspector_app.domain.requests import RequestStatus
from inspector_app.domain.visit import canonical_json
from inspector_app.wire import (
    DocumentError,
    ItemResult,
    ItemStatus,
    PushBatch,
    PushVisit,
    Role,
    VisitDocument,
    check_document,
)

_e, _a, _u, _v = t.enterprises.c, t.assignments.c, t.users.c, t.visits.c
_KNOWN = (
    select(_e.credit_code, _e.category, _e.grid, _a.team)
    .select_from(t.enterprises.outerjoin(t.assignments, _a.enterprise_id == _e.id))
    .where(_e.credit_code.in_(many("codes")))
)
_PEOPLE = select(_u.badge_number).where(_u.badge_number.in_(many("badges")), _u.disabled.is_(False))
_STORED = select(_v.id, _v.content_hash).where(_v.id.in_(many("ids")))
# FOR UPDATE (PostgreSQL): two visits of one enterprise pushed at once apply one after the other.
_RESUMPTION = (
    select(_e.id, _e.resumption_status).where(_e.credit_code == bindparam("code")).with_for_update()
)


@dataclass
class _Candidate:
    item: PushVisit
    doc: VisitDocument
    judgement: visit_rules.Judgement | None = None
    team: str | None = None  # the team the enterprise is assigned to: whose leader receives it
    grid: str = ""
    category: str = ""


# Files whose bytes came with the push (feature ``inline_files``): called in the push's transaction
# once its visits are stored, it makes the pusher hold those a visit of theirs awaits and returns
# their sha256s, so that the visits they complete are answered received in the same pass.
Arrived = Callable[[Connection], Sequence[str]]


def push(
    conn: Connection,
    p: Principal,
    batch: PushBatch,
    now: datetime,
    skew: float,
    *,
    max_visit_bytes: int | None = None,
    arrived: Arrived | None = None,
) -> list[ItemResult]:
    results = push_visits(conn, p, batch.visits, now, skew, max_visit_bytes=max_visit_bytes, arrived=arrived)
    results += push_edits(conn, p, batch.edits, now)
    results += push_finding_events(conn, p, batch.finding_events, now)
    results += push_request_follow_ups(conn, p, batch.request_follow_ups, now)
    return results


# ------------------------------------------------------------------ visits


def push_visits(
    conn: Connection,
    p: Principal,
    items: Sequence[PushVisit],
    now: datetime,
    skew: float | None,
    *,
    max_visit_bytes: int | None = None,
    arrived: Arrived | None = None,
) -> list[ItemResult]:
    out: dict[int, ItemResult] = {}
    candidates: dict[int, _Candidate] = {}
    for i, item in enumerate(items):
        if (too_big := _oversized(item, max_visit_bytes)) is not None:
            out[i] = too_big
            continue
        try:
            doc = check_document(item.document, item.id)
        except DocumentError as exc:
            out[i] = reject("visit", item.id, str(exc))
            continue
        if doc.content_hash != item.content_hash:
            out[i] = reject("visit", item.id, "提交的校验值与文档不一致")
        elif p.role is not Role.ADMIN and p.badge_number not in doc.inspectors:
            out[i] = reject("visit", item.id, "只能提交本人参与的检查记录", 403)
        else:
            candidates[i] = _Candidate(item, doc)
    if candidates:
        _check_references(conn, p, candidates, out)
    ids = sorted({c.item.id for c in candidates.values()})
    stored = _stored_hashes(conn, ids)
    new_rows: dict[str, dict[str, Any]] = {}
    for c in candidates.values():
        if c.item.id not in stored and c.item.id not in new_rows:
            new_rows[c.item.id] = _visit_row(c, p, now, skew)
    inserted: set[str] = set()
    for chunk in chunks(list(new_rows.values()), CHUNK):
        inserted |= insert_ignore(conn, t.visits, chunk, "id")
    lost_race = [vid for vid in new_rows if vid not in inserted]
    stored.update(_stored_hashes(conn, lost_race))
    files_rows = [
        {"visit_id": vid, "sha256": m.sha256, "size": m.size}
        for i, c in candidates.items()
        if (vid := c.item.id) in inserted
        for m in c.doc.manifest
    ]
    # An older laptop's document cites files through answers without listing them; they are
    # awaited all the same (size unknown: the document does not say it).
    files_rows += [
        {"visit_id": vid, "sha256": sha, "size": 0}
        for c in candidates.values()
        if (vid := c.item.id) in inserted and c.judgement is not None
        for sha in sorted(c.judgement.undeclared_files)
    ]
    for chunk in chunks(files_rows, CHUNK):
        insert_new(conn, t.visit_files, chunk)
    accepted: dict[str, _Candidate] = {}
    for c in candidates.values():
        if c.item.id in inserted:
            accepted.setdefault(c.item.id, c)
    for c in accepted.values():
        _visit_accepted(conn, c, now)
    console_projection.project_visits(  # office console read model
        conn,
        [c.doc for c in accepted.values()],
        placed={vid: (c.team, c.grid, c.category) for vid, c in accepted.items()},
    )
    # The files that came with the push are held now; every visit they complete is stamped
    # received with this push's own (one pass over the visits to check).
    came = list(arrived(conn)) if arrived is not None else []
    check = ids + sorted(set(visits_citing(conn, came)) - set(ids))
    missing = missing_files(conn, check)
    mark_received(conn, [vid for vid in check if not missing.get(vid)], now)
    stored.update({vid: row["content_hash"] for vid, row in new_rows.items() if vid in inserted})
    out.update(_answers(candidates, inserted, stored, missing))
    results = [out[i] for i in range(len(items))]
    console_refusals.record(conn, p, items, results, now)  # office console: refusals, for its reviewers
    return results


def _answers(
    candidates: dict[int, _Candidate],
    inserted: set[str],
    stored: dict[str, str],
    missing: dict[str, list[str]],
) -> dict[int, ItemResult]:
    """The answer to each visit that reached the database: new (the first of its id in the batch),
    already there with the same content, or a conflict; received once none of its files is missing."""
    out: dict[int, ItemResult] = {}
    seen_new: set[str] = set()
    for i, c in candidates.items():
        vid = c.item.id
        if vid in inserted and vid not in seen_new:
            seen_new.add(vid)
            status, http, reason = ItemStatus.ACCEPTED, 201, ""
        elif stored.get(vid) == c.doc.content_hash:
            status, http, reason = ItemStatus.EXISTS, 200, "服务器已有该记录"
        else:
            status, http, reason = (
                ItemStatus.CONFLICT,
                409,
                "服务器上已有同一编号但内容不同的检查记录，未覆盖",
            )
        lacking = sorted(missing.get(vid, ())) if status is not ItemStatus.CONFLICT else []
        out[i] = ItemResult(
            entity="visit",
            id=vid,
            status=status,
            http_status=http,
            reason=reason,
            received=status is not ItemStatus.CONFLICT and not lacking,
            missing=lacking,
        )
    return out


def _oversized(item: PushVisit, cap: int | None) -> ItemResult | None:
    """The cap of a visit on its own (PUT /visits) holds inside a batch too: a visit over it is
    refused alone, and the rest of the batch goes on."""
    if cap is None:
        return None
    size = visit_bytes(item)
    if size <= cap:
        return None
    return reject("visit", item.id, f"检查记录过大（{size:,} 字节，每条至多 {cap:,} 字节），未接收", 413)


def visit_bytes(item: PushVisit) -> int:
    """The size of a pushed visit as JSON (what PUT /visits/{id} would carry for it)."""
    return len(json.dumps(item.document, ensure_ascii=False, separators=(",", ":")).encode())


def _check_references(
    conn: Connection, p: Principal, candidates: dict[int, _Candidate], out: dict[int, ItemResult]
) -> None:
    """Judge each visit against the office's own data: its published form, the register, the
    assignment of its enterprise to the pusher's team, the people it names. What the laptop says
    of its outcome is checked, never taken (visit_rules.judge)."""
    codes = sorted({c.doc.enterprise.credit_code for c in candidates.values()})
    known: dict[str, Any] = {}
    for chunk in chunks(codes, CHUNK):
        known.update({r.credit_code: r for r in conn.execute(_KNOWN, {"codes": list(chunk)})})
    badges = sorted({b for c in candidates.values() for b in c.doc.inspectors})
    people: set[str] = set()
    for chunk in chunks(badges, CHUNK):
        people |= set(conn.execute(_PEOPLE, {"badges": list(chunk)}).scalars())
    for i in list(candidates):
        c = candidates[i]
        doc = c.doc
        form = visit_rules.published_form(conn, doc.form.code, doc.form.version)
        ent = known.get(doc.enterprise.credit_code)
        strangers = [b for b in doc.inspectors if b not in people]
        if form is None:
            unpublished = f"检查表 {doc.form.code} 版本 {doc.form.version} 未在办公室发布"
            out[i] = reject("visit", doc.id, unpublished)
        elif ent is None:
            out[i] = reject("visit", doc.id, f"企业 {doc.enterprise.credit_code} 不在办公室的企业名录中")
        elif p.role is not Role.ADMIN and ent.team != p.team:
            not_ours = f"企业 {doc.enterprise.credit_code} 不由本组（{p.team or '无'}）负责，记录未被接受"
            out[i] = reject("visit", doc.id, not_ours, 403)
        elif strangers:
            out[i] = reject("visit", doc.id, f"检查人员证件号 {strangers[0]} 不是办公室登记的在职人员", 403)
        else:
            try:
                c.judgement = visit_rules.judge(
                    form, doc, ent.category or "", declares_files="file_answers" in c.item.document
                )
            except visit_rules.VisitRefused as exc:
                out[i] = reject("visit", doc.id, str(exc))
            else:
                c.team, c.grid, c.category = ent.team or p.team, ent.grid or "", ent.category or ""
                continue
        del candidates[i]


def _visit_accepted(conn: Connection, c: _Candidate, now: datetime) -> None:
    """What a newly stored visit does beyond itself, as on the laptop that completed it.

    Its requests (诉求) are recorded, and a resumption check moves the enterprise's resumption
    status by the same domain rule the laptop applied, with the outcome the office computed from
    the answers (the team's other laptops pull the change). A repeat is "exists" and does nothing.
    """
    doc = c.doc
    assert c.judgement is not None
    rows = [
        {
            "id": r.id,
            "enterprise_code": doc.enterprise.credit_code,
            "visit_id": doc.id,
            "category": r.category,
            "description": r.description,
            "status": RequestStatus.PENDING.value,
            "team": c.team,
            "created_at": now,
            "updated_at": now,
        }
        for r in doc.requests
    ]
    insert_ignore(conn, t.enterprise_requests, rows, "id")  # a follow-up may have brought it first
    ent = conn.execute(_RESUMPTION, {"code": doc.enterprise.credit_code}).first()
    if ent is None:
        return
    current = ResumptionStatus(ent.resumption_status)
    new = resumption_after_visit(current, doc.form.code, c.judgement.outcome)
    if new is not current:
        set_field(
            conn, int(ent.id), doc.enterprise.credit_code, "resumption_status", value=new.value, now=now
        )


def _visit_row(c: _Candidate, p: Principal, now: datetime, skew: float | None) -> dict[str, Any]:
    return {
        "id": c.item.id,
        "content_hash": c.doc.content_hash,
        # The canonical bytes: what the laptop hashed, byte for byte.
        "document_json": canonical_json(c.item.document).decode("utf-8"),
        "enterprise_code": c.doc.enterprise.credit_code,
        "form_code": c.doc.form.code,
        "form_version": c.doc.form.version,
        "team": c.team,
        "pushed_by": p.user_id,
        "completed_at_client": c.doc.completed_at,
        "pushed_at": now,
        "clock_skew_seconds": skew,
        "received_at": None,
    }


def _stored_hashes(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in chunks(list(ids), CHUNK):
        out.update({r.id: r.content_hash for r in conn.execute(_STORED, {"ids": list(chunk)})})
    return out


