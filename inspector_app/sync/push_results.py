"""What becomes of an outbox entry once it left: the office's answer to a push, written down
(docs/sync-protocol.md). An entry is "sent" only once the office committed it and, for a visit,
holds every file of its manifest; "sending" until then; "quarantined" or "conflict" with the reason,
neither blocking the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from inspector_app.domain.clock import Clock
from inspector_app.store import tables
from inspector_app.store.sync_tables import SyncAccount, SyncRecord
from inspector_app.store.workspace import Workspace
from inspector_app.sync.client import SyncError
from inspector_app.sync.report import SyncReport
from inspector_app.wire import ItemResult, ItemStatus


@dataclass
class Entry:
    """An outbox entry as it went out in a push."""

    outbox_id: int
    entity: str
    key: str  # the id on the wire


Sent = dict[tuple[str, str], Entry]  # (entity, id on the wire) → the entry that sent it


def settle(
    s: Session,
    outbox_id: int,
    state: str,
    status: str,
    reason: str,
    *,
    missing: list[str],
    now: datetime,
) -> None:
    """The entry's state, with the office's answer and what it still lacks kept beside it."""
    row = s.get(tables.Outbox, outbox_id)
    assert row is not None
    row.state = state
    row.last_error = reason if state != "sent" else ""
    s.add(row)
    rec = s.get(SyncRecord, outbox_id) or SyncRecord(outbox_id=outbox_id, updated_at=now)
    rec.server_status = status
    rec.reason = reason
    rec.missing_json = json.dumps(missing)
    rec.updated_at = now
    s.add(rec)


def apply_results(
    ws: Workspace,
    account: str,
    clock: Clock,
    *,
    wire: Sent,
    results: list[ItemResult],
    skew: float,
    report: SyncReport,
) -> dict[str, list[str]]:
    """Record the server's answers; returns visit id → files it still lacks."""
    missing: dict[str, list[str]] = {}
    now = clock()
    with ws.session() as s:
        for r in results:
            entry = wire.get((r.entity, r.id))
            if entry is None:
                continue  # not ours to settle (the server answered something we did not send)
            if r.status is ItemStatus.CONFLICT:
                report.conflicts += 1
                settle(s, entry.outbox_id, "conflict", r.status.value, r.reason, missing=[], now=now)
            elif r.status is ItemStatus.REJECTED:
                report.quarantined += 1
                settle(s, entry.outbox_id, "quarantined", r.status.value, r.reason, missing=[], now=now)
            else:
                report.pushed += 1
                if r.entity == "visit" and not r.received:
                    missing[r.id] = list(r.missing)
                    settle(
                        s,
                        entry.outbox_id,
                        "sending",
                        r.status.value,
                        f"服务器缺少 {len(r.missing)} 个文件",
                        missing=list(r.missing),
                        now=now,
                    )
                else:
                    report.sent += 1
                    settle(s, entry.outbox_id, "sent", r.status.value, r.reason, missing=[], now=now)
        acct = s.get(SyncAccount, account)
        if acct is not None:
            acct.clock_skew_seconds = skew
            acct.last_push_at = now
            s.add(acct)
    return missing


def too_large(ws: Workspace, clock: Clock, ob: tables.Outbox, exc: SyncError, report: SyncReport) -> None:
    """One record alone is over what the server takes in a push: quarantined with the reason."""
    assert ob.id is not None
    report.quarantined += 1
    with ws.session() as s:
        settle(
            s, ob.id, "quarantined", "too_large", f"记录过大，服务器不接收（{exc}）", missing=[], now=clock()
        )
