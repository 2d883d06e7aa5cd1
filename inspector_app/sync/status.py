"""What a sync page shows: every outbox entry of an account with its state and the server's reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from inspector_app.store import tables
from inspector_app.store.sync_tables import PulledQuarantine, SyncRecord
from inspector_app.store.workspace import Workspace

STATE_LABELS = {
    "waiting": "等待发送",
    "sending": "发送中（未确认）",
    "sent": "已送达",
    "quarantined": "已隔离（服务器不接受）",
    "conflict": "冲突（待办公室处理）",
}


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

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


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
                created_at=ob.created_at,
            )
        )
    return out


def counts(workspace: Workspace, account: str | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in record_states(workspace, account, include_sent=True):
        out[r.state] = out.get(r.state, 0) + 1
    return out


def retry_quarantined(workspace: Workspace, outbox_ids: list[int]) -> int:
    """Put quarantined entries back in the queue (after the cause was fixed, e.g. a form published)."""
    n = 0
    with workspace.session() as s:
        for oid in outbox_ids:
            row = s.get(tables.Outbox, oid)
            if row is not None and row.state == "quarantined":
                row.state = "waiting"
                s.add(row)
                n += 1
    return n


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
    return [PulledProblem(r.kind, r.key, r.account, r.reason, r.received_at) for r in rows]
