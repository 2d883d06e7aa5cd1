"""Applying a pulled page to the laptop: one transaction for the page and the cursor together.

A page that fails to apply leaves the cursor where it was, so the same page comes again; every
step here is an upsert or a keyed insert, so applying a page twice changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from inspector_app.batches import chunks
from inspector_app.checklist import FormError, parse_form
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus, enterprise_from
from inspector_app.store import enterprises as store
from inspector_app.store import organisation, tables
from inspector_app.store.attachments import AttachmentError
from inspector_app.store.sync_tables import PulledQuarantine, SyncRecord
from inspector_app.sync.pulled_records import (
    PulledRecordRefused,
    store_finding_event,
    store_request_follow_up,
    store_visit,
    table_of,
)
from inspector_app.sync.scope import purge_enterprise
from inspector_app.wire import ChangesPage, DocumentError, EnterpriseRecord, FormRecord
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
    ob = table_of(_T.Outbox).c
    ids = [
        int(x)
        for x in conn.execute(
            select(ob.entity_id).where(ob.entity == "enterprise_change", ob.state.in_(PENDING))
        ).scalars()
        if str(x).isdigit()
    ]
    out: dict[int, set[str]] = {}
    ch = table_of(_T.EnterpriseChange).c
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
    organisation.ensure_grids(conn, [r.grid for r in latest.values()])
    organisation.ensure_categories(conn, [r.category for r in latest.values()])
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
        # A first pull brings the whole slice: its new rows indexed in one statement, their pinyin
        # after, on the storage worker (store.enterprises.indexed_in_bulk).
        with store.indexed_in_bulk(conn, len(plain) - len(existing)):
            conn.execute(stmt, plain)
    for r in rows:
        if r["credit_code"] in guarded:
            keep = protected[existing[r["credit_code"]]]
            values = {k: v for k, v in r.items() if k not in keep and k != "credit_code"}
            conn.execute(update(ent).where(ent.c.credit_code == r["credit_code"]).values(values))
    return store.ids_by_codes(conn, list(latest))


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
        q = table_of(PulledQuarantine).c
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
        organisation.ensure_teams(conn, [m.team for m in members if m.team])
        for m in members:
            role = m.role.value if m.role.value in {"inspector", "leader"} else "inspector"
            organisation.upsert_inspector(
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
    organisation.ensure_teams(conn, {a.team for a in assigned.values()})
    stmt = sqlite_insert(organisation.ASSIGNMENT)
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
