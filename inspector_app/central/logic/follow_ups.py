"""Follow-ups pushed on their own: a finding's events and an enterprise request's follow-ups.

Each is judged alone and is idempotent: the same record again answers "exists", the same id with
other content is a conflict (409) and is never overwritten. A finding event belongs to the visit
that made it, which must be on the server, visible to the pusher, and say so of the finding.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update

from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import changes
from inspector_app.central.logic.answers import conflict, reject
from inspector_app.central.logic.auth import Principal
from inspector_app.central.logic.visit_access import may_see
from inspector_app.domain.clock import as_utc
from inspector_app.domain.finding import FindingEventKind, RecheckResult
from inspector_app.domain.requests import FollowUpMark, RequestStatus, latest_follow_up
from inspector_app.wire import FindingEventRecord, ItemResult, ItemStatus, RequestFollowUpRecord, Role


def push_finding_events(
    conn: Connection, p: Principal, events: Sequence[FindingEventRecord], now: datetime
) -> list[ItemResult]:
    out: list[ItemResult] = []
    for ev in events:
        refusal = _event_refusal(conn, p, ev)
        if refusal is not None:
            out.append(reject("finding_event", ev.id, refusal[0], refusal[1]))
            continue
        team = conn.execute(select(t.visits.c.team).where(t.visits.c.id == ev.visit_id)).scalar_one()
        row = {
            "id": ev.id,
            "finding_id": ev.finding_id,
            "kind": ev.kind.value,
            "at_client": as_utc(ev.at),
            "visit_id": ev.visit_id,
            "note": ev.note,
            "new_deadline": ev.new_deadline,
            "pushed_by": p.user_id,
            "team": team,
            "received_at": now,
        }
        if insert_ignore(conn, t.finding_events, [row], "id"):
            changes.record(conn, [(changes.team_visits_bucket(team or "-"), "finding_event", ev.id)], now)
            out.append(
                ItemResult(entity="finding_event", id=ev.id, status=ItemStatus.ACCEPTED, http_status=201)
            )
            continue
        fe = t.finding_events.c
        prior = conn.execute(select(fe.finding_id, fe.kind, fe.note).where(fe.id == ev.id)).one()
        if (prior.finding_id, prior.kind, prior.note) == (ev.finding_id, ev.kind.value, ev.note):
            out.append(
                ItemResult(entity="finding_event", id=ev.id, status=ItemStatus.EXISTS, http_status=200)
            )
        else:
            out.append(
                conflict("finding_event", ev.id, "服务器上已有同一编号但内容不同的隐患跟进，未覆盖")
            )
    return out


def _event_refusal(conn: Connection, p: Principal, ev: FindingEventRecord) -> tuple[str, int] | None:
    """Why a finding event cannot be taken (reason, HTTP status), or None.

    An event belongs to the visit that made it: that visit must be on the server, visible to the
    pusher, and must itself say so of the finding (found it, or marked it at a re-inspection).
    So nobody can close or extend a finding of another team, or one that does not exist.
    """
    if ev.visit_id is None:
        return "隐患跟进须对应一次已提交的检查记录", 422
    row = conn.execute(
        select(t.visits.c.team, t.visits.c.document_json).where(t.visits.c.id == ev.visit_id)
    ).first()
    if row is None:
        return f"检查记录 {ev.visit_id} 不在服务器上，隐患跟进暂不接受", 422
    if not may_see(p, row.team, row.document_json):
        return "只能提交本人参与的检查中的隐患跟进", 403
    doc = json.loads(row.document_json)
    found = {str(f.get("id")) for f in doc.get("findings", [])}
    marked = {str(m.get("finding_id")): m.get("result") for m in doc.get("recheck", [])}
    if ev.kind is FindingEventKind.FOUND:
        ok = ev.finding_id in found
    elif ev.kind is FindingEventKind.RECHECK_PASSED:
        ok = marked.get(ev.finding_id) == RecheckResult.RECTIFIED.value
    elif ev.kind is FindingEventKind.RECHECK_FAILED:
        ok = marked.get(ev.finding_id) == RecheckResult.NOT_RECTIFIED.value
    else:
        ok = ev.finding_id in found or ev.finding_id in marked
    if not ok:
        return f"检查记录 {ev.visit_id} 中没有与该跟进相符的隐患 {ev.finding_id}", 422
    return None


# ------------------------------------------------------------------ request follow-ups


def push_request_follow_ups(
    conn: Connection, p: Principal, items: Sequence[RequestFollowUpRecord], now: datetime
) -> list[ItemResult]:
    return [_push_request_follow_up(conn, p, f, now) for f in items]


def _push_request_follow_up(
    conn: Connection, p: Principal, f: RequestFollowUpRecord, now: datetime
) -> ItemResult:
    """Append one follow-up, creating its request from what it carries if the server lacks it."""
    entity = "request_follow_up"
    office = p.role in {Role.ADMIN, Role.OFFICE}  # the console's follow-ups, for any team
    if not office and f.by != p.username:
        return reject(entity, f.id, "只能提交本人的诉求跟进", 403)
    known = conn.execute(
        select(t.enterprises.c.id, t.assignments.c.team)
        .select_from(
            t.enterprises.outerjoin(t.assignments, t.assignments.c.enterprise_id == t.enterprises.c.id)
        )
        .where(t.enterprises.c.credit_code == f.credit_code)
    ).first()
    if known is None:
        return reject(entity, f.id, f"企业 {f.credit_code} 不在办公室的企业名录中")
    if not office and known.team != p.team:
        return reject(entity, f.id, f"企业 {f.credit_code} 不由本组负责，诉求跟进未被接受", 403)
    rq, fu = t.enterprise_requests.c, t.request_follow_ups.c
    insert_ignore(
        conn,
        t.enterprise_requests,
        [
            {
                "id": f.request_id,
                "enterprise_code": f.credit_code,
                "visit_id": f.visit_id,
                "category": f.category,
                "description": f.description,
                "status": RequestStatus.PENDING.value,
                "team": p.team,
                "created_at": now,
                "updated_at": now,
            }
        ],
        "id",
    )
    request = conn.execute(
        select(rq.enterprise_code, rq.team).where(rq.id == f.request_id).with_for_update()
    ).one()
    if request.enterprise_code != f.credit_code:
        return conflict(entity, f.id, f"服务器上的同一诉求属于企业 {request.enterprise_code}，未接受")
    row = {
        "id": f.id,
        "request_id": f.request_id,
        "at_client": as_utc(f.at),
        "status": f.status.value,
        "note": f.note,
        "by": f.by,
        "pushed_by": p.user_id,
        "received_at": now,
    }
    if not insert_ignore(conn, t.request_follow_ups, [row], "id"):
        prior = conn.execute(select(fu.request_id, fu.status, fu.note).where(fu.id == f.id)).one()
        if (prior.request_id, prior.status, prior.note) == (f.request_id, f.status.value, f.note):
            return ItemResult(entity=entity, id=f.id, status=ItemStatus.EXISTS, http_status=200)
        return conflict(entity, f.id, "服务器上已有同一编号但内容不同的诉求跟进，未覆盖")
    latest = latest_follow_up(
        FollowUpMark(r.at_client, r.id, r.status)
        for r in conn.execute(select(fu.at_client, fu.id, fu.status).where(fu.request_id == f.request_id))
    )
    conn.execute(
        update(t.enterprise_requests)
        .where(rq.id == f.request_id)
        .values(status=latest.status, updated_at=now)
    )
    changes.record(conn, [(changes.team_visits_bucket(request.team or p.team or "-"), entity, f.id)], now)
    return ItemResult(entity=entity, id=f.id, status=ItemStatus.ACCEPTED, http_status=201)
