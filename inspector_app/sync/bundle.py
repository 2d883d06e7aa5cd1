"""``sync export``: the outbox of one account written to a bundle file for the office to import.

Exporting changes nothing in the outbox (no entry becomes "sending", no attempt is counted): an
entry leaves the outbox only when the server has acknowledged it, which happens on the next network
sync (answered "exists") — the bundle carries the records, not the acknowledgement.

The bundle is signed with the key this device registered when the account logged in, so the
office can verify who it comes from; an account that never logged in here cannot export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from inspector_app.domain.clock import system_clock
from inspector_app.store import attachments
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync.accounts import device_id
from inspector_app.sync.outbox_batches import OutboxBatches
from inspector_app.sync.tokens import TokenStore
from inspector_app.wire import PushBatch
from inspector_app.wire.bundle import BundleHeader, write_bundle


class ExportRefused(Exception):
    """The bundle cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    visits: int
    edits: int
    finding_events: int
    request_follow_ups: int
    files: int
    missing_files: tuple[str, ...]


def export_bundle(
    workspace: Workspace, account: str, target: Path, *, tokens: TokenStore | None = None
) -> ExportSummary:
    tokens = tokens or TokenStore(workspace.root)
    with workspace.session() as s:
        acct = s.get(SyncAccount, account)
        server = acct.server_url if acct is not None else ""
    key = tokens.load_signing_key(server, account) if acct is not None else None
    if key is None:
        raise ExportRefused(
            f"账号 {account} 在本机没有同步包签名密钥，办公室无法核实同步包来源；"
            "请先用 inspector-app login 登录一次（需联网），之后即可离线导出"
        )
    device = device_id(workspace)
    outbox = OutboxBatches(workspace, account, device, system_clock)
    batches = outbox.all(outbox.open_entries()) or [PushBatch(client_time=datetime.now(UTC))]
    batch = batches[0]
    shas = sorted({m["sha256"] for b in batches for v in b.visits for m in v.document.get("manifest", [])})
    present = [sha for sha in shas if attachments.verify(workspace.attachments_dir, sha)]
    header = BundleHeader(
        created_at=batch.client_time,
        account=account,
        device_id=device,
        server_url=server,
        batch=batch,
        more_batches=batches[1:],
        files=present,
    )
    write_bundle(target, header, lambda sha: attachments.path_for(workspace.attachments_dir, sha), key)
    return ExportSummary(
        path=target,
        visits=sum(len(b.visits) for b in batches),
        edits=sum(len(b.edits) for b in batches),
        finding_events=sum(len(b.finding_events) for b in batches),
        request_follow_ups=sum(len(b.request_follow_ups) for b in batches),
        files=len(present),
        missing_files=tuple(sorted(set(shas) - set(present))),
    )
