"""What a sync page shows: every outbox entry with its state and the server's reason, a few words
on each record, and the pulled records this laptop set aside. The one door to the outbox's tables
for the GUI (the page and the status bar read through here; the engine writes them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import col, select

from inspector_app.domain.clock import as_utc
from inspector_app.services.changes import Changes
from inspector_app.store import tables
from inspector_app.store.sync_tables import PulledQuarantine, SyncRecord
from inspector_app.store.workspace import Workspace

if TYPE_CHECKING:
    from inspector_app.sync.report import SyncReport


@dataclass(frozen=True)
class RecordState:
    outbox_id: int
    entity: str
    entity_id: str
    account: str
    state: str
    reason: str
    missing: tuple[str, ...]
    attempts: int
    created_at: datetime


def record_states(
    workspace: Workspace, account: str | None = None, *, include_sent: bool = False
) -> list[RecordState]:
    with workspace.session() as s:
        q = select(tables.Outbox, SyncRecord).join(
            SyncRecord, col(SyncRecord.outbox_id) == col(tables.Outbox.id), isouter=True
        )
        if account is not None:
            q = q.where(col(tables.Outbox.account) == account)
        if not include_sent:
            q = q.where(col(tables.Outbox.state) != "sent")
        rows = s.exec(q.order_by(col(tables.Outbox.id))).all()
    out = []
    for ob, rec in rows:
        assert ob.id is not None
        out.append(
            RecordState(
                outbox_id=ob.id,
                entity=ob.entity,
                entity_id=ob.entity_id,
                account=ob.account,
                state=ob.state,
                reason=(rec.reason if rec is not None else "") or ob.last_error,
                missing=tuple(json.loads(rec.missing_json)) if rec is not None else (),
                attempts=ob.attempts,
                created_at=as_utc(ob.created_at),
            )
        )
    return out


def retry_quarantined(workspace: Workspace, outbox_ids: list[int]) -> Changes:
    """Put quarantined entries back in the queue (after the cause was fixed, e.g. a form published).

    The change set names the outbox when at least one entry went back, and is empty otherwise."""
    n = 0
    with workspace.session() as s:
        for oid in outbox_ids:
            row = s.get(tables.Outbox, oid)
            if row is not None and row.state == "quarantined":
                row.state = "waiting"
                s.add(row)
                n += 1
    return Changes(outbox=n > 0)


def report_changes(report: SyncReport) -> Changes:
    """What a sync run changed for the pages: the outbox always; everything when it pulled or
    purged (the engine does not say which ids, so every kind is marked changed)."""
    changes = Changes(outbox=True)
    if report.changes_pulled or report.purged:
        changes.merge(Changes.everything())
    return changes


def describe_records(
    workspace: Workspace, rows: Iterable[RecordState], form_title: Callable[[str, str], str]
) -> dict[tuple[str, str], str]:
    """A few words per outbox record, keyed by (entity, entity id): the enterprise and what it is.

    ``form_title(code, version)`` names a visit's form in the reader's language."""
    out: dict[tuple[str, str], str] = {}
    by_kind: dict[str, list[str]] = {}
    for r in rows:
        by_kind.setdefault(r.entity, []).append(r.entity_id)
    t = tables
    with workspace.session() as s:
        if by_kind.get("visit"):
            q = select(t.Visit, t.Enterprise.name).join(
                t.Enterprise, col(t.Enterprise.id) == col(t.Visit.enterprise_id)
            ).where(col(t.Visit.id).in_(by_kind["visit"]))
            for v, name in s.exec(q):
                title = form_title(v.form_code, v.form_version)
                out[("visit", v.id)] = f"{name} · {title} · {v.started_at:%m-%d}"
        ids = [int(i) for i in by_kind.get("enterprise_change", []) if i.isdigit()]
        if ids:
            q2 = select(t.EnterpriseChange.id, t.EnterpriseChange.field_name, t.Enterprise.name).join(
                t.Enterprise, col(t.Enterprise.id) == col(t.EnterpriseChange.enterprise_id)
            ).where(col(t.EnterpriseChange.id).in_(ids))
            for cid, field_name, name in s.exec(q2):
                out[("enterprise_change", str(cid))] = f"{name} · {field_name}"
        events = by_kind.get("request", [])
        if events:  # a follow-up of a 诉求: its enterprise, what was asked and the new status
            q3 = select(t.RequestFollowUp, t.EnterpriseRequest, t.Enterprise.name).join(
                t.EnterpriseRequest, col(t.EnterpriseRequest.id) == col(t.RequestFollowUp.request_id)
            ).join(
                t.Enterprise, col(t.Enterprise.id) == col(t.EnterpriseRequest.enterprise_id)
            ).where(col(t.RequestFollowUp.event_id).in_(events))
            for follow, request, name in s.exec(q3):
                asked = " ".join(request.description.split())
                asked = asked if len(asked) <= 24 else asked[:24] + "…"
                out[("request", follow.event_id)] = (
                    f"{name} · {request.category}：{asked} → {follow.status}")
        findings = by_kind.get("finding_event", [])
        if findings:
            q4 = select(t.FindingEvent.id, t.FindingEvent.kind, t.Finding.title, t.Enterprise.name).join(
                t.Finding, col(t.Finding.id) == col(t.FindingEvent.finding_id)
            ).join(
                t.Enterprise, col(t.Enterprise.id) == col(t.Finding.enterprise_id)
            ).where(col(t.FindingEvent.id).in_(findings))
            for event_id, kind, title, name in s.exec(q4):
                out[("finding_event", event_id)] = f"{name} · {title} · {kind}"
    return out


@dataclass(frozen=True)
class PulledProblem:
    """A record pulled from the office that this laptop set aside, and why."""

    kind: str
    key: str
    account: str
    reason: str
    received_at: datetime


def pulled_quarantine(workspace: Workspace) -> list[PulledProblem]:
    """What a sync page lists beside refused outbox entries: pulled records set aside."""
    with workspace.session() as s:
        rows = s.exec(select(PulledQuarantine).order_by(col(PulledQuarantine.id))).all()
    return [PulledProblem(r.kind, r.key, r.account, r.reason, as_utc(r.received_at)) for r in rows]
