"""Accepting what laptops push: visits, enterprise edits, finding and request follow-ups.

Each record is judged alone, so one the server cannot accept is answered "rejected" with its
reason (the laptop quarantines it) and the rest of the batch goes through. Every answer is
idempotent: pushing the same record again answers "exists"; the same id with other content is a
conflict (409) and is never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Connection, Table, and_, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.batches import chunks
from inspector_app.central.console import projection as console_projection  # office console read model
from inspector_app.central.console import refusals as console_refusals  # office console: refused visits
from inspector_app.central.db import tables as t
from inspector_app.central.logic import changes, visit_rules
from inspector_app.central.logic.auth import Principal
from inspector_app.domain.clock import as_utc
from inspector_app.domain.enterprise import ResumptionStatus, resumption_after_visit
from inspector_app.domain.finding import FindingEventKind, RecheckResult
from inspector_app.domain.requests import FollowUpMark, RequestStatus, latest_follow_up
from inspector_app.domain.visit import canonical_json
from inspector_app.wire import (
    DocumentError,
    EnterpriseEdit,
    FindingEventRecord,
    ItemResult,
    ItemStatus,
    PushBatch,
    PushVisit,
    RequestFollowUpRecord,
    Role,
    VisitDocument,
    VisitReceipt,
    check_document,
)

INT_FIELDS = frozenset({"staff_total", "staff_on_site"})
_CHUNK = 500


def _insert(conn: Connection, table: Table) -> Any:
    return pg_insert(table) if conn.dialect.name == "postgresql" else sqlite_insert(table)


# The statements a push runs are built once, with bound parameters, not per request: building and
# keying a statement costs more CPU than SQLite takes to run it, and a push runs some twenty.
def _many(name: str) -> BindParameter[Any]:
    """A parameter that takes a list (``IN (…)``, expanded when run)."""
    return bindparam(name, expanding=True)


@cache
def _insert_ignore_stmt(dialect: str, table: Table, key: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing().returning(table.c[key])


@cache
def _insert_new_stmt(dialect: str, table: Table) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], key: str) -> set[Any]:
    """Insert rows whose key is new; returns the keys this statement inserted.

    A concurrent transaction inserting the same key makes PostgreSQL wait for it and then skip
    the row: the caller re-reads those keys instead of failing on a unique violation.
    """
    if not rows:
        return set()
    stmt = _insert_ignore_stmt(conn.dialect.name, table, key)
    return {r[0] for r in conn.execute(stmt, list(rows))}


_e, _a, _u, _v, _vf, _h = (
    t.enterprises.c, t.assignments.c, t.users.c, t.visits.c, t.visit_files.c, t.file_holders.c
)
_KNOWN = (
    select(_e.credit_code, _e.category, _e.grid, _a.team)
    .select_from(t.enterprises.outerjoin(t.assignments, _a.enterprise_id == _e.id))
    .where(_e.credit_code.in_(_many("codes")))
)
_PEOPLE = select(_u.badge_number).where(_u.badge_number.in_(_many("badges")), _u.disabled.is_(False))
_STORED = select(_v.id, _v.content_hash).where(_v.id.in_(_many("ids")))
# FOR UPDATE (PostgreSQL): two visits of one enterprise pushed at once apply one after the other.
_RESUMPTION = (
    select(_e.id, _e.resumption_status).where(_e.credit_code == bindparam("code")).with_for_update()
)
_MISSING = (
    select(_vf.visit_id, _vf.sha256)
    .select_from(
        t.visit_files.join(t.visits, _v.id == _vf.visit_id).outerjoin(
            t.file_holders, and_(_h.sha256 == _vf.sha256, _h.user_id == _v.pushed_by)
        )
    )
    .where(_vf.visit_id.in_(_many("ids")), _h.sha256.is_(None))
)
_RECEIVED = (
    update(t.visits)
    .where(_v.id.in_(_many("ids")), _v.received_at.is_(None))
    .values(received_at=bindparam("at"))
    .returning(_v.id, _v.team)
)
_CITING = select(_vf.visit_id).where(_vf.sha256.in_(_many("shas")))
_AWAITED = (
    select(_vf.sha256)
    .distinct()
    .join_from(t.visit_files, t.visits, _v.id == _vf.visit_id)
    .where(_vf.sha256.in_(_many("shas")), _v.pushed_by == bindparam("user_id"))
)


def _reject(entity: str, ident: str, reason: str, http: int = 422) -> ItemResult:
    return ItemResult(
        entity=entity,
        id=ident,
        status=ItemStatus.REJECTED,
        http_status=http,
        reason=reason,
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
            out[i] = _reject("visit", item.id, str(exc))
            continue
        if doc.content_hash != item.content_hash:
            out[i] = _reject("visit", item.id, "提交的校验值与文档不一致")
        elif p.role is not Role.ADMIN and p.badge_number not in doc.inspectors:
            out[i] = _reject("visit", item.id, "只能提交本人参与的检查记录", 403)
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
    for chunk in chunks(list(new_rows.values()), _CHUNK):
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
    for chunk in chunks(files_rows, _CHUNK):
        conn.execute(_insert_new_stmt(conn.dialect.name, t.visit_files), list(chunk))
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
    return _reject("visit", item.id, f"检查记录过大（{size:,} 字节，每条至多 {cap:,} 字节），未接收", 413)


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
    for chunk in chunks(codes, _CHUNK):
        known.update({r.credit_code: r for r in conn.execute(_KNOWN, {"codes": list(chunk)})})
    badges = sorted({b for c in candidates.values() for b in c.doc.inspectors})
    people: set[str] = set()
    for chunk in chunks(badges, _CHUNK):
        people |= set(conn.execute(_PEOPLE, {"badges": list(chunk)}).scalars())
    for i in list(candidates):
        c = candidates[i]
        doc = c.doc
        form = visit_rules.published_form(conn, doc.form.code, doc.form.version)
        ent = known.get(doc.enterprise.credit_code)
        strangers = [b for b in doc.inspectors if b not in people]
        if form is None:
            unpublished = f"检查表 {doc.form.code} 版本 {doc.form.version} 未在办公室发布"
            out[i] = _reject("visit", doc.id, unpublished)
        elif ent is None:
            out[i] = _reject("visit", doc.id, f"企业 {doc.enterprise.credit_code} 不在办公室的企业名录中")
        elif p.role is not Role.ADMIN and ent.team != p.team:
            not_ours = f"企业 {doc.enterprise.credit_code} 不由本组（{p.team or '无'}）负责，记录未被接受"
            out[i] = _reject("visit", doc.id, not_ours, 403)
        elif strangers:
            out[i] = _reject("visit", doc.id, f"检查人员证件号 {strangers[0]} 不是办公室登记的在职人员", 403)
        else:
            try:
                c.judgement = visit_rules.judge(
                    form, doc, ent.category or "", declares_files="file_answers" in c.item.document
                )
            except visit_rules.VisitRefused as exc:
                out[i] = _reject("visit", doc.id, str(exc))
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
    for chunk in chunks(list(ids), _CHUNK):
        out.update({r.id: r.content_hash for r in conn.execute(_STORED, {"ids": list(chunk)})})
    return out


def missing_files(conn: Connection, visit_ids: Sequence[str]) -> dict[str, list[str]]:
    """Manifest files each visit still lacks: those its pusher has not shown the bytes of.

    Another user's upload of the same file does not count: citing a sha256 one never held makes a
    visit neither received nor a way to download that file.
    """
    out: dict[str, list[str]] = {}
    for chunk in chunks(list(visit_ids), _CHUNK):
        for r in conn.execute(_MISSING, {"ids": list(chunk)}):
            out.setdefault(r.visit_id, []).append(r.sha256)
    return out


def mark_received(conn: Connection, visit_ids: Sequence[str], now: datetime) -> list[str]:
    """Stamp visits whose files are all here; the team leader's pull learns of them from then on."""
    done: list[str] = []
    for chunk in chunks(list(visit_ids), _CHUNK):
        rows = conn.execute(_RECEIVED, {"ids": list(chunk), "at": now}).all()
        changes.record(conn, [(changes.team_visits_bucket(r.team or "-"), "visit", r.id) for r in rows], now)
        done += [r.id for r in rows]
    return done


def visits_citing(conn: Connection, shas: Sequence[str]) -> list[str]:
    """The visits whose files include one of ``shas``."""
    ids: set[str] = set()
    for chunk in chunks(list(shas), _CHUNK):
        ids.update(conn.execute(_CITING, {"shas": list(chunk)}).scalars())
    return sorted(ids)


def visits_completed_by_file(conn: Connection, sha: str, now: datetime) -> list[str]:
    return visits_completed_by_files(conn, [sha], now)


def visits_completed_by_files(conn: Connection, shas: Sequence[str], now: datetime) -> list[str]:
    """Stamp every visit citing one of these files whose files are now all here."""
    ids = visits_citing(conn, shas)
    missing = missing_files(conn, ids)
    return mark_received(conn, [i for i in ids if not missing.get(i)], now)


def receipt(conn: Connection, visit_id: str) -> VisitReceipt | None:
    row = conn.execute(
        select(t.visits.c.content_hash, t.visits.c.received_at).where(t.visits.c.id == visit_id)
    ).first()
    if row is None:
        return None
    lacking = sorted(missing_files(conn, [visit_id]).get(visit_id, []))
    return VisitReceipt(
        id=visit_id,
        content_hash=row.content_hash,
        received=not lacking,
        missing=lacking,
        received_at=row.received_at,
    )


# ------------------------------------------------------------------ enterprise edits


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def parse_field(field: str, value: str | None) -> Any:
    """The column value of an edit's text; ValueError with a message when it is not valid."""
    if field in INT_FIELDS:
        if value is None or value == "":
            return None
        number = int(value)
        if number < 0:
            raise ValueError("人数不能为负数")
        return number
    if field == "resumption_status":
        return ResumptionStatus(value or "").value
    if field == "name" and not (value or "").strip():
        raise ValueError("企业名称不能为空")
    return value or ""


def push_edits(
    conn: Connection, p: Principal, edits: Sequence[EnterpriseEdit], now: datetime
) -> list[ItemResult]:
    return [_push_edit(conn, p, e, now) for e in edits]


def _push_edit(conn: Connection, p: Principal, e: EnterpriseEdit, now: datetime) -> ItemResult:
    ee = t.enterprise_edits.c
    prior = conn.execute(select(t.enterprise_edits).where(ee.id == e.id)).mappings().first()
    if prior is not None:
        return _repeat_edit(conn, e, dict(prior))
    ent = (
        conn.execute(select(t.enterprises).where(t.enterprises.c.credit_code == e.credit_code))
        .mappings()
        .first()
    )
    if ent is None:
        return _reject("enterprise_change", e.id, f"企业 {e.credit_code} 不在办公室的企业名录中")
    if p.role is not Role.ADMIN:
        team = conn.execute(
            select(t.assignments.c.team).where(t.assignments.c.enterprise_id == ent["id"])
        ).scalar_one_or_none()
        if team is None or team != p.team:
            return _reject("enterprise_change", e.id, "该企业已不由本组负责，修改未被接受", 403)
        if e.changed_by not in ("", p.username):
            return _reject("enterprise_change", e.id, "只能提交本人的企业信息修改", 403)
    try:
        value = parse_field(e.field, e.new_value)
    except ValueError as exc:
        return _reject("enterprise_change", e.id, f"{e.field} 的新值无效（{exc}）")
    current = as_text(ent[e.field])
    # A three-way merge per field: the edit applies when the field still holds what the inspector
    # saw. Edits to other fields since then do not matter; another edit of this field does.
    applies = current == e.old_value or current == as_text(value)
    status = "applied" if applies else "conflict"
    row = {
        "id": e.id,
        "enterprise_id": ent["id"],
        "field": e.field,
        "old_value": e.old_value,
        "new_value": e.new_value,
        "base_version": e.base_version,
        "changed_at_client": e.changed_at,
        # Who changed it is the authenticated pusher (an admin may carry a field worker's name).
        "changed_by": e.changed_by if p.role is Role.ADMIN else p.username,
        "pushed_by": p.user_id,
        "received_at": now,
        "status": status,
        "note": "" if applies else f"办公室当前值为“{current or ''}”",
    }
    if not insert_ignore(conn, t.enterprise_edits, [row], "id"):
        prior = conn.execute(select(t.enterprise_edits).where(ee.id == e.id)).mappings().one()
        return _repeat_edit(conn, e, dict(prior))
    if not applies:
        return ItemResult(
            entity="enterprise_change",
            id=e.id,
            status=ItemStatus.CONFLICT,
            http_status=409,
            reason=f"该字段在办公室已被改为“{current or ''}”，待办公室裁定",
        )
    if current != as_text(value):
        set_field(conn, int(ent["id"]), e.credit_code, e.field, value=value, now=now)
    return ItemResult(entity="enterprise_change", id=e.id, status=ItemStatus.MERGED, http_status=200)


def set_field(
    conn: Connection, enterprise_id: int, credit_code: str, field: str, *, value: Any, now: datetime
) -> None:
    c = t.enterprises.c
    conn.execute(
        update(t.enterprises)
        .where(c.id == enterprise_id)
        .values({field: value, "version": c.version + 1, "updated_at": now})
    )
    changes.record_enterprise(conn, enterprise_id, credit_code, now)


def _repeat_edit(conn: Connection, e: EnterpriseEdit, prior: dict[str, Any]) -> ItemResult:
    code = conn.execute(
        select(t.enterprises.c.credit_code).where(t.enterprises.c.id == prior["enterprise_id"])
    ).scalar_one()
    same = (code, prior["field"], prior["old_value"], prior["new_value"]) == (
        e.credit_code,
        e.field,
        e.old_value,
        e.new_value,
    )
    if not same:
        return ItemResult(
            entity="enterprise_change",
            id=e.id,
            status=ItemStatus.CONFLICT,
            http_status=409,
            reason="服务器上已有同一编号但内容不同的修改，未覆盖",
        )
    if prior["status"] == "conflict":
        return ItemResult(
            entity="enterprise_change",
            id=e.id,
            status=ItemStatus.CONFLICT,
            http_status=409,
            reason=f"待办公室裁定（{prior['note']}）",
        )
    return ItemResult(
        entity="enterprise_change", id=e.id, status=ItemStatus.EXISTS, http_status=200, reason=prior["status"]
    )


# ------------------------------------------------------------------ finding follow-ups


def push_finding_events(
    conn: Connection, p: Principal, events: Sequence[FindingEventRecord], now: datetime
) -> list[ItemResult]:
    out: list[ItemResult] = []
    for ev in events:
        refusal = _event_refusal(conn, p, ev)
        if refusal is not None:
            out.append(_reject("finding_event", ev.id, refusal[0], refusal[1]))
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
                ItemResult(
                    entity="finding_event",
                    id=ev.id,
                    status=ItemStatus.CONFLICT,
                    http_status=409,
                    reason="服务器上已有同一编号但内容不同的隐患跟进，未覆盖",
                )
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
    if not _may_see(p, row.team, row.document_json):
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
        return _reject(entity, f.id, "只能提交本人的诉求跟进", 403)
    known = conn.execute(
        select(t.enterprises.c.id, t.assignments.c.team)
        .select_from(
            t.enterprises.outerjoin(t.assignments, t.assignments.c.enterprise_id == t.enterprises.c.id)
        )
        .where(t.enterprises.c.credit_code == f.credit_code)
    ).first()
    if known is None:
        return _reject(entity, f.id, f"企业 {f.credit_code} 不在办公室的企业名录中")
    if not office and known.team != p.team:
        return _reject(entity, f.id, f"企业 {f.credit_code} 不由本组负责，诉求跟进未被接受", 403)
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
        return ItemResult(
            entity=entity,
            id=f.id,
            status=ItemStatus.CONFLICT,
            http_status=409,
            reason=f"服务器上的同一诉求属于企业 {request.enterprise_code}，未接受",
        )
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
        return ItemResult(
            entity=entity,
            id=f.id,
            status=ItemStatus.CONFLICT,
            http_status=409,
            reason="服务器上已有同一编号但内容不同的诉求跟进，未覆盖",
        )
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


def receipts(conn: Connection, p: Principal, visit_ids: Sequence[str]) -> list[VisitReceipt]:
    """Receipts of the visits the caller may see, in two queries per chunk whatever their number."""
    out: list[VisitReceipt] = []
    v = t.visits.c
    for chunk in chunks(list(visit_ids), _CHUNK):
        rows = conn.execute(
            select(v.id, v.content_hash, v.received_at, v.team, v.document_json).where(v.id.in_(list(chunk)))
        ).all()
        seen = [r for r in rows if _may_see(p, r.team, r.document_json)]
        missing = missing_files(conn, [r.id for r in seen])
        for r in seen:
            lacking = sorted(missing.get(r.id, []))
            out.append(
                VisitReceipt(
                    id=r.id,
                    content_hash=r.content_hash,
                    received=not lacking,
                    missing=lacking,
                    received_at=r.received_at,
                )
            )
    return out


def _may_see(p: Principal, team: str | None, document_json: str) -> bool:
    if p.role is Role.ADMIN or (p.role is Role.LEADER and team == p.team):
        return True
    return p.badge_number in json.loads(document_json).get("inspectors", [])


def visit_document(conn: Connection, visit_id: str) -> dict[str, Any] | None:
    raw = conn.execute(select(t.visits.c.document_json).where(t.visits.c.id == visit_id)).scalar_one_or_none()
    return None if raw is None else dict(json.loads(raw))


def visible_visit(conn: Connection, p: Principal, visit_id: str) -> bool:
    """Admins see all; a leader the team's visits; an inspector the visits it took part in."""
    row = conn.execute(
        select(t.visits.c.team, t.visits.c.document_json).where(t.visits.c.id == visit_id)
    ).first()
    if row is None:
        return False
    return _may_see(p, row.team, row.document_json)


def awaited_from(conn: Connection, p: Principal, sha: str) -> bool:
    """Whether a visit the caller pushed cites this file: the only files the office takes from
    anyone (no storage for bytes nothing needs, however many)."""
    return sha in awaited_among(conn, p, [sha])


def awaited_among(conn: Connection, p: Principal, shas: Sequence[str]) -> set[str]:
    """Those of ``shas`` that a visit the caller pushed cites (see :func:`awaited_from`)."""
    found: set[str] = set()
    for chunk in chunks(list(shas), _CHUNK):
        found.update(conn.execute(_AWAITED, {"shas": list(chunk), "user_id": p.user_id}).scalars())
    return found


def file_visible(conn: Connection, p: Principal, sha: str) -> bool:
    """A file is visible through a visit the caller may see whose pusher holds that file."""
    if p.role is Role.ADMIN:
        return True
    vf, v, h = t.visit_files, t.visits, t.file_holders
    rows = conn.execute(
        select(v.c.team, v.c.document_json)
        .select_from(
            vf.join(v, v.c.id == vf.c.visit_id).join(
                h, and_(h.c.sha256 == vf.c.sha256, h.c.user_id == v.c.pushed_by)
            )
        )
        .where(vf.c.sha256 == sha)
    ).all()
    return any(_may_see(p, r.team, r.document_json) for r in rows)
