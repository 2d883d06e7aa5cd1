"""Applying a pulled page to the laptop: one transaction for the page and the cursor together.

A page that fails to apply leaves the cursor where it was, so the same page comes again; every
step here is an upsert or a keyed insert, so applying a page twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from inspector_app.batches import chunks
from inspector_app.checklist import FormError, parse_form
from inspector_app.domain import finding as fd
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus, enterprise_from
from inspector_app.domain.requests import FollowUpMark, RequestStatus, latest_follow_up
from inspector_app.domain.visit import canonical_json
from inspector_app.store import attachments, tables
from inspector_app.store import enterprises as store
from inspector_app.store.attachments import AttachmentError
from inspector_app.store.sync_tables import PulledQuarantine, SyncRecord
from inspector_app.wire import ChangesPage, DocumentError, EnterpriseRecord, FormRecord, check_document
from inspector_app.wire.models import (
    AssignmentChange,
    EditResolutionChange,
    EnterpriseChange,
    FindingEventChange,
    FormChange,
    MemberChange,
    RequestFollowUpChange,
    UnassignmentChange,
    VisitChange,
)

PENDING = ("waiting", "sending", "conflict")
_T = tables


def _table(model: Any) -> Any:
    return model.__table__


@dataclass
class PageEffect:
    enterprises: int = 0
    assigned: int = 0
    purged: int = 0
    kept_for_unsynced_work: list[str] = field(default_factory=list)
    forms: int = 0
    visits: int = 0
    events: int = 0
    resolutions: int = 0
    request_follow_ups: int = 0
    quarantined: list[str] = field(default_factory=list)  # pulled records set aside, with the reason


def _domain(r: EnterpriseRecord) -> Enterprise:
    """A pulled record; a resumption status this version does not know reads as 未复工."""
    return enterprise_from(r.credit_code, r, r.extra, unknown_status=ResumptionStatus.NOT_RESUMED)


def pending_edit_fields(conn: Connection) -> dict[int, set[str]]:
    """Fields with a field edit not yet settled by the office: a pull must not hide the inspector's value."""
    ob = _table(_T.Outbox).c
    ids = [
        int(x)
        for x in conn.execute(
            select(ob.entity_id).where(ob.entity == "enterprise_change", ob.state.in_(PENDING))
        ).scalars()
        if str(x).isdigit()
    ]
    out: dict[int, set[str]] = {}
    ch = _table(_T.EnterpriseChange).c
    for chunk in chunks(ids):
        for r in conn.execute(select(ch.enterprise_id, ch.field_name).where(ch.id.in_(list(chunk)))):
            out.setdefault(int(r.enterprise_id), set()).add(r.field_name)
    return out


def upsert_enterprises(
    conn: Connection, records: Sequence[EnterpriseRecord], now: datetime
) -> dict[str, int]:
    """Insert or overwrite enterprises with the office's values and version; returns their local ids."""
    if not records:
        return {}
    latest = {r.credit_code: r for r in records}
    store.ensure_grids(conn, [r.grid for r in latest.values()])
    store.ensure_categories(conn, [r.category for r in latest.values()])
    rows = [
        store.enterprise_values(_domain(r)) | {"version": r.version, "updated_at": now}
        for r in latest.values()
    ]
    existing = store.ids_by_codes(conn, list(latest))
    protected = pending_edit_fields(conn) if existing else {}
    guarded = {code for code, eid in existing.items() if eid in protected}
    plain = [r for r in rows if r["credit_code"] not in guarded]
    ent = store.ENTERPRISE
    if plain:
        stmt = sqlite_insert(ent)
        columns = [c for c in plain[0] if c != "credit_code"]
        stmt = stmt.on_conflict_do_update(
            index_elements=["credit_code"], set_={c: stmt.excluded[c] for c in columns}
        )
        conn.execute(stmt, plain)
    for r in rows:
        if r["credit_code"] in guarded:
            keep = protected[existing[r["credit_code"]]]
            values = {k: v for k, v in r.items() if k not in keep and k != "credit_code"}
            conn.execute(update(ent).where(ent.c.credit_code == r["credit_code"]).values(values))
    return store.ids_by_codes(conn, list(latest))


class PulledRecordRefused(ValueError):
    """A pulled record this laptop will not take; the message says why (kept in the quarantine)."""


# What can go wrong with one pulled record whose content is bad; anything else (the disk, the
# database) still stops the page, so that the page comes again once the cause is gone.
_RECORD_FAULTS = (
    PulledRecordRefused,
    AttachmentError,
    DocumentError,
    FormError,
    KeyError,
    TypeError,
    ValueError,
)


@dataclass
class _Taker:
    """Applies pulled records one by one, each in a savepoint: a record that cannot be taken is
    undone alone and set aside (PulledQuarantine) with the reason, and the rest of the page goes on."""

    s: Session
    account: str
    now: datetime
    effect: PageEffect

    def take(self, kind: str, key: str, change: Any, step: Callable[[], bool]) -> bool:
        try:
            with self.s.begin_nested():
                return bool(step())
        except _RECORD_FAULTS as exc:
            reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError | TypeError) else str(exc)
            self._set_aside(kind, key, reason, change)
            self.effect.quarantined.append(f"{kind} {key[:60]}：{reason[:200]}")
            return False

    def _set_aside(self, kind: str, key: str, reason: str, change: Any) -> None:
        q = _table(PulledQuarantine).c
        known = select(q.id).where(q.kind == kind, q.key == key[:200], q.account == self.account)
        if self.s.connection().execute(known).first() is not None:
            return
        self.s.add(
            PulledQuarantine(
                account=self.account,
                kind=kind,
                key=key[:200],
                reason=reason[:2000],
                payload_json=change.model_dump_json(),
                received_at=self.now,
            )
        )


def apply_page(
    s: Session,
    page: ChangesPage,
    *,
    workspace_root: Path,
    attachments_root: Path,
    thumbs_root: Path,
    my_device: str,
    files: dict[str, bytes],
    now: datetime,
    account: str = "",
) -> PageEffect:
    conn = s.connection()
    effect = PageEffect()
    taker = _Taker(s, account, now, effect)
    # Resolutions first: a field the office settled is no longer protected from the office's value.
    for ch in page.changes:
        if isinstance(ch, EditResolutionChange):
            effect.resolutions += _resolution(s, ch, my_device, now)
    members = [ch.member for ch in page.changes if isinstance(ch, MemberChange)]
    if members:
        store.ensure_teams(conn, [m.team for m in members if m.team])
        for m in members:
            role = m.role.value if m.role.value in {"inspector", "leader"} else "inspector"
            store.upsert_inspector(
                conn, m.badge_number, m.display_name, team=m.team, role=role, active=m.active
            )
    for ch in page.changes:
        if isinstance(ch, FormChange):
            form = ch.form
            key = f"{form.code}@{form.version}"
            if taker.take("form", key, ch, partial(check_form_record, form)):
                effect.forms += write_form(workspace_root, form.code, form.version, form.yaml)
    # Runs of enterprise/assignment changes are applied in bulk, in page order around unassignments.
    run: list[EnterpriseChange | AssignmentChange] = []
    for ch in page.changes:
        if isinstance(ch, EnterpriseChange | AssignmentChange):
            run.append(ch)
            continue
        if isinstance(ch, UnassignmentChange):
            _flush(conn, run, effect, now)
            run = []
            if purge_enterprise(conn, ch.credit_code):
                effect.purged += 1
            else:
                effect.kept_for_unsynced_work.append(ch.credit_code)
    _flush(conn, run, effect, now)
    for ch in page.changes:
        if isinstance(ch, VisitChange):
            visit = partial(store_visit, s, ch, attachments_root, thumbs_root, files)
            effect.visits += taker.take("visit", str(ch.document.get("id", "")), ch, visit)
        elif isinstance(ch, FindingEventChange):
            effect.events += taker.take(
                "finding_event", ch.event.id, ch, partial(store_finding_event, s, ch)
            )
        elif isinstance(ch, RequestFollowUpChange):
            effect.request_follow_ups += taker.take(
                "request_follow_up", ch.follow_up.id, ch, partial(store_request_follow_up, s, ch)
            )
    return effect


def _flush(
    conn: Connection, run: list[EnterpriseChange | AssignmentChange], effect: PageEffect, now: datetime
) -> None:
    if not run:
        return
    records = [ch.enterprise if isinstance(ch, EnterpriseChange) else ch.assignment.enterprise for ch in run]
    ids = upsert_enterprises(conn, records, now)
    effect.enterprises += len({r.credit_code for r in records})
    assigned = {
        ch.assignment.enterprise.credit_code: ch.assignment for ch in run if isinstance(ch, AssignmentChange)
    }
    if not assigned:
        return
    store.ensure_teams(conn, {a.team for a in assigned.values()})
    stmt = sqlite_insert(store.ASSIGNMENT)
    stmt = stmt.on_conflict_do_update(
        index_elements=["enterprise_id"],
        set_={
            "team": stmt.excluded.team,
            "visits_per_week": stmt.excluded.visits_per_week,
            "assigned_on": stmt.excluded.assigned_on,
        },
    )
    conn.execute(
        stmt,
        [
            {
                "enterprise_id": ids[code],
                "team": a.team,
                "visits_per_week": a.visits_per_week,
                "assigned_on": a.assigned_on,
            }
            for code, a in assigned.items()
        ],
    )
    effect.assigned += len(assigned)


# ------------------------------------------------------------------ forms


def check_form_record(form: FormRecord) -> bool:
    """A pulled form is read by the loader itself before anything touches the disk: its code and
    version must be what the loader finds in it (so they pass the loader's own patterns), and its
    text must hash to the sha256 the office published."""
    if hashlib.sha256(form.yaml.encode("utf-8")).hexdigest() != form.sha256:
        raise PulledRecordRefused(f"检查表 {form.code[:64]!r} 的内容与其校验值不符")
    parsed = parse_form(form.yaml, f"{form.code[:64]}@{form.version[:32]}")
    if (parsed.code, parsed.version) != (form.code, form.version):
        raise PulledRecordRefused(
            f"检查表名 {form.code[:64]!r} 版本 {form.version[:32]!r} 与其内容"
            f"（{parsed.code} {parsed.version}）不符，未保存"
        )
    return True


def write_form(workspace_root: Path, code: str, version: str, text: str) -> int:
    """Keep a published checklist version; a version never changes, so an existing file stays."""
    folder = workspace_root / "forms"
    target = folder / f"{code}@{version}.yaml"
    # The name was checked (check_form_record); this holds even if a caller forgot to.
    if target.resolve().parent != folder.resolve() or target.name != f"{code}@{version}.yaml" or "/" in code:
        raise PulledRecordRefused(f"检查表名 {code[:64]!r}@{version[:32]!r} 会写到检查表目录之外，未保存")
    if target.exists():
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    fd_, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    with os.fdopen(fd_, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    Path(tmp).replace(target)
    return 1


# ------------------------------------------------------------------ unassignment


def unsynced_work(conn: Connection, enterprise_id: int) -> bool:
    """Drafts, or anything of this enterprise still in the outbox (any account's)."""
    v = _table(_T.Visit).c
    visit_rows = conn.execute(select(v.id, v.status).where(v.enterprise_id == enterprise_id)).all()
    if any(r.status != "completed" for r in visit_rows):
        return True
    keys: list[tuple[str, str]] = [("visit", r.id) for r in visit_rows]
    ch = _table(_T.EnterpriseChange).c
    keys += [
        ("enterprise_change", str(i))
        for i in conn.execute(select(ch.id).where(ch.enterprise_id == enterprise_id)).scalars()
    ]
    rq, fu = _table(_T.EnterpriseRequest).c, _table(_T.RequestFollowUp).c
    keys += [
        ("request", i)  # a "request" entry is one follow-up, keyed by its event id
        for i in conn.execute(
            select(fu.event_id)
            .join_from(_table(_T.RequestFollowUp), _table(_T.EnterpriseRequest))
            .where(rq.enterprise_id == enterprise_id)
        ).scalars()
    ]
    f = _table(_T.Finding).c
    fe = _table(_T.FindingEvent).c
    finding_ids = list(conn.execute(select(f.id).where(f.enterprise_id == enterprise_id)).scalars())
    for chunk in chunks(finding_ids):
        keys += [
            ("finding_event", i)
            for i in conn.execute(select(fe.id).where(fe.finding_id.in_(list(chunk)))).scalars()
        ]
    ob = _table(_T.Outbox).c
    by_entity: dict[str, list[str]] = {}
    for entity, key in keys:
        by_entity.setdefault(entity, []).append(key)
    for entity, ids in by_entity.items():
        for chunk in chunks(ids):
            pending = conn.execute(
                select(ob.id)
                .where(ob.entity == entity, ob.entity_id.in_(list(chunk)), ob.state != "sent")
                .limit(1)
            ).first()
            if pending is not None:
                return True
    return False


def purge_enterprise(conn: Connection, credit_code: str) -> bool:
    """Remove an enterprise no longer assigned, unless it has unsynced work (then only the assignment).

    Returns True when it was purged.
    """
    ent = store.ENTERPRISE
    eid = conn.execute(select(ent.c.id).where(ent.c.credit_code == credit_code)).scalar_one_or_none()
    if eid is None:
        return True
    conn.execute(delete(store.ASSIGNMENT).where(store.ASSIGNMENT.c.enterprise_id == eid))
    if unsynced_work(conn, eid):
        return False
    v, f, rq = _table(_T.Visit).c, _table(_T.Finding).c, _table(_T.EnterpriseRequest).c
    visit_ids = list(conn.execute(select(v.id).where(v.enterprise_id == eid)).scalars())
    finding_ids = list(
        conn.execute(select(f.id).where((f.enterprise_id == eid) | f.visit_id.in_(visit_ids))).scalars()
    )
    request_ids = list(
        conn.execute(select(rq.id).where((rq.enterprise_id == eid) | rq.visit_id.in_(visit_ids))).scalars()
    )

    def gone(model: Any, column: str, ids: list[Any]) -> None:
        table = _table(model)
        for chunk in chunks(ids):
            conn.execute(delete(table).where(table.c[column].in_(list(chunk))))

    gone(_T.RequestFollowUp, "request_id", request_ids)
    gone(_T.EnterpriseRequest, "id", request_ids)
    gone(_T.RecheckMark, "visit_id", visit_ids)
    gone(_T.RecheckMark, "finding_id", finding_ids)
    gone(_T.FindingPhoto, "finding_id", finding_ids)
    gone(_T.FindingEvent, "finding_id", finding_ids)
    gone(_T.FindingEvent, "visit_id", visit_ids)
    for chunk in chunks(visit_ids):
        conn.execute(
            update(_table(_T.Finding))
            .where(f.closed_by_visit_id.in_(list(chunk)))
            .values(closed_by_visit_id=None)
        )
    gone(_T.Finding, "id", finding_ids)
    for model in (_T.IssuedDocument, _T.SitePerson, _T.Signature, _T.VisitPhoto, _T.Answer):
        gone(model, "visit_id", visit_ids)
    gone(_T.Visit, "id", visit_ids)
    gone(_T.EnterpriseChange, "enterprise_id", [eid])
    conn.execute(delete(ent).where(ent.c.id == eid))
    return True


# ------------------------------------------------------------------ a new scope (team or role)


def _rescope_key(account: str) -> str:
    return f"sync.rescope:{account}"


def begin_rescope(conn: Connection, account: str) -> None:
    """Note every enterprise the old scope assigned to this laptop, as the pull starts again.

    Kept in the workspace (a setting) and committed with the page, so a pull interrupted between
    pages still finishes the job.
    """
    held = set(
        conn.execute(
            select(store.ENTERPRISE.c.credit_code).join_from(store.ENTERPRISE, store.ASSIGNMENT)
        ).scalars()
    )
    _save_rescope(conn, account, held | set(_rescope_pending(conn, account) or ()))


def _rescope_pending(conn: Connection, account: str) -> list[str] | None:
    setting = _table(_T.Setting).c
    raw = conn.execute(select(setting.value).where(setting.key == _rescope_key(account))).scalar_one_or_none()
    return None if raw is None else [str(code) for code in json.loads(raw)]


def _save_rescope(conn: Connection, account: str, codes: set[str] | None) -> None:
    table = _table(_T.Setting)
    key = _rescope_key(account)
    conn.execute(delete(table).where(table.c.key == key))
    if codes is not None:
        conn.execute(table.insert().values(key=key, value=json.dumps(sorted(codes))))


def settle_rescope(conn: Connection, account: str, page: ChangesPage, effect: PageEffect) -> None:
    """Strike what this page assigns again; after the last page, purge what is left.

    The purge rule is the one of an unassignment: an enterprise with unsynced work stays.
    """
    pending = _rescope_pending(conn, account)
    if pending is None:
        return
    assigned = {
        ch.assignment.enterprise.credit_code for ch in page.changes if isinstance(ch, AssignmentChange)
    }
    left = set(pending) - assigned
    if page.has_more:
        _save_rescope(conn, account, left)
        return
    for code in sorted(store.ids_by_codes(conn, sorted(left))):  # an unassignment may have purged some
        if purge_enterprise(conn, code):
            effect.purged += 1
        else:
            effect.kept_for_unsynced_work.append(code)
    _save_rescope(conn, account, None)


# ------------------------------------------------------------------ a team leader's visits


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
    rows = (
        s.connection()
        .execute(select(_table(_T.FindingEvent)).where(_table(_T.FindingEvent).c.finding_id == ev.finding_id))
        .mappings()
    )
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
    fu = _table(_T.RequestFollowUp).c
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


# ------------------------------------------------------------------ office decisions


def _resolution(s: Session, ch: EditResolutionChange, my_device: str, now: datetime) -> int:
    device, _, local = ch.resolution.edit_id.partition("/")
    if device != my_device:
        return 0
    outbox = s.exec(
        orm_select(_T.Outbox).where(
            col(_T.Outbox.entity) == "enterprise_change", col(_T.Outbox.entity_id) == local
        )
    ).first()
    if outbox is None:
        return 0
    outbox.state = "sent"
    s.add(outbox)
    kept = "采用了现场修改" if ch.resolution.outcome == "field" else "保留了办公室数据"
    assert outbox.id is not None
    rec = s.get(SyncRecord, outbox.id) or SyncRecord(outbox_id=outbox.id, updated_at=now)
    rec.server_status = f"resolved_{ch.resolution.outcome}"
    rec.reason = f"办公室已裁定：{kept}" + (f"（{ch.resolution.note}）" if ch.resolution.note else "")
    rec.updated_at = now
    s.add(rec)
    return 1
