"""``sync export``: the outbox of one account written to a bundle file for the office to import.

Exporting does not mark anything sent: an entry leaves the outbox only when the server has
acknowledged it, which happens on the next network sync (answered "exists") — the bundle carries
the records, not the acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.store import attachments
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync.engine import SyncEngine
from inspector_app.wire.bundle import BundleHeader, write_bundle


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    visits: int
    edits: int
    finding_events: int
    request_follow_ups: int
    files: int
    missing_files: tuple[str, ...]


def export_bundle(workspace: Workspace, account: str, target: Path) -> ExportSummary:
    engine = SyncEngine(workspace, account)
    entries = engine.open_entries()
    batch, _wire = engine.build_batch(entries)
    with workspace.session() as s:
        acct = s.get(SyncAccount, account)
        server = acct.server_url if acct is not None else ""
    shas = sorted({m["sha256"] for v in batch.visits for m in v.document.get("manifest", [])})
    present = [sha for sha in shas if attachments.verify(workspace.attachments_dir, sha)]
    header = BundleHeader(
        created_at=batch.client_time,
        account=account,
        device_id=engine.device,
        server_url=server,
        batch=batch,
        files=present,
    )
    write_bundle(target, header, lambda sha: attachments.path_for(workspace.attachments_dir, sha))
    return ExportSummary(
        path=target,
        visits=len(batch.visits),
        edits=len(batch.edits),
        finding_events=len(batch.finding_events),
        request_follow_ups=len(batch.request_follow_ups),
        files=len(present),
        missing_files=tuple(sorted(set(shas) - set(present))),
    )
