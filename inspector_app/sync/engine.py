"""The sync engine: one run pushes the outbox, then pulls the office's changes, then exchanges the
blocks of 执法文书 numbers. The parts: batches of the outbox (``outbox_batches``), the office's
answers written down (``push_results``), the files a visit still lacks (``uploads``), the pull
(``pull``); what a run reports (``report``).

Guarantees (docs/sync-protocol.md):

* An outbox entry becomes "sent" only after the server committed and acknowledged it, and for a
  visit only once every file of its manifest has arrived with a checked sha256. Until then the
  entry stays "sending" and the files stay on the laptop (they always do: they are the record).
* Every push is idempotent, so a lost answer, a killed process or a repeated batch only cost a
  repeat: the server answers "exists".
* A record the server refuses is "quarantined" with the reason, a same-id-other-content or a
  same-field edit is "conflict"; neither blocks the rest.
* A pulled page and the cursor after it commit together; an interrupted pull resumes there.
"""

from __future__ import annotations

import httpx

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync import numbers
from inspector_app.sync.accounts import device_id
from inspector_app.sync.backoff import backoff_delay
from inspector_app.sync.client import (
    AuthExpired,
    NetworkError,
    RequestTooLarge,
    ServerRefused,
    SyncClient,
    SyncError,
)
from inspector_app.sync.outbox_batches import PUSH_BYTES, OutboxBatches
from inspector_app.sync.pull import Puller
from inspector_app.sync.push_results import apply_results, too_large
from inspector_app.sync.report import AbortFlag, ProgressCallback, SyncProgress, SyncReport, aborted
from inspector_app.sync.tokens import TokenStore
from inspector_app.sync.uploads import FileUploads
from inspector_app.wire.models import INLINE_FILES


class SyncEngine:
    def __init__(
        self,
        workspace: Workspace,
        account: str,
        *,
        tokens: TokenStore | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = system_clock,
        batch_size: int = 200,
        chunk_size: int = 256 * 1024,
        page_size: int = 5000,
        inline_files: bool = True,
        push_bytes: int = PUSH_BYTES,
    ) -> None:
        self.ws = workspace
        self.account = account
        self.tokens = tokens or TokenStore(workspace.root)
        self.transport = transport
        self.clock = clock
        # Small files inside the push of their visits, when the server offers it (one round trip).
        self.inline_files = inline_files
        self.failures = 0  # consecutive failed runs: the backoff grows with them
        self.device = device_id(workspace)
        self.outbox = OutboxBatches(
            workspace,
            account,
            self.device,
            clock,
            batch_size=batch_size,
            chunk_size=chunk_size,
            push_bytes=push_bytes,
        )
        self.uploads = FileUploads(workspace, clock, chunk_size=chunk_size)
        self.puller = Puller(workspace, account, self.device, clock, page_size=page_size)

    def _client(self, report: SyncReport) -> SyncClient | None:
        """A client with this account's token; None (and the report says so) before a login."""
        with self.ws.session() as s:
            acct = s.get(SyncAccount, self.account)
        token = self.tokens.load(acct.server_url, self.account) if acct is not None else None
        if acct is None or token is None:
            report.needs_login = True
            report.error = f"{self.account} 尚未登录办公室服务器"
            return None
        return SyncClient(acct.server_url, token, transport=self.transport)

    # ------------------------------------------------------------------ the run

    def sync_once(self, progress_cb: ProgressCallback = None, abort_flag: AbortFlag = None) -> SyncReport:
        report = SyncReport()
        client = self._client(report)
        if client is None:
            return report
        try:
            self._push(client, report, progress_cb, abort_flag)
            if not report.aborted:
                self.puller.pull(client, report, progress_cb, abort_flag)
            if not report.aborted:  # the office's blocks of 执法文书 numbers (sync/numbers.py)
                report.number_blocks_received = numbers.exchange(self.ws, client, self.account, self.clock)
        except AuthExpired as exc:
            report.needs_login = True
            report.error = str(exc)
        except NetworkError as exc:
            report.error = str(exc)
            report.retry_in = exc.retry_in if exc.retry_in is not None else backoff_delay(self.failures)
        except (ServerRefused, SyncError) as exc:
            report.error = str(exc)
            report.retry_in = backoff_delay(self.failures)
        finally:
            report.bytes_sent, report.bytes_received = client.bytes_sent, client.bytes_received
            client.close()
        self.failures = self.failures + 1 if report.error else 0
        report.still_open = len(self.outbox.open_entries())
        with self.ws.session() as s:
            row = s.get(SyncAccount, self.account)
            if row is not None:
                row.last_error = report.error
                s.add(row)
        return report

    def _push(
        self, client: SyncClient, report: SyncReport, progress: ProgressCallback, abort: AbortFlag
    ) -> None:
        queue = self.outbox.open_entries()
        total, done = len(queue), 0
        inline = (
            self.inline_files
            and any(ob.entity == "visit" for ob in queue)
            and INLINE_FILES in client.features()
        )
        limit = self.outbox.batch_size  # halved for this run by each 413 (the server's cap is smaller)
        while queue:
            if aborted(abort):
                report.aborted = True
                return
            chunk, queue = queue[:limit], queue[limit:]
            batch = self.outbox.build(chunk, inline_files=inline)
            queue = batch.deferred + queue  # entries the batch had no room for go next
            taken = chunk[: len(chunk) - len(batch.deferred)]
            if not batch.sent:
                done += len(taken)
                continue
            # Only on a visit's first time out: a repeat may follow a push that arrived with its
            # files (its answer lost), so it asks first what the office still lacks.
            first_time = {ob.entity_id for ob in taken if ob.entity == "visit" and ob.attempts == 0}
            files = self.outbox.inline_files(batch, first_time) if inline else []
            try:
                result = client.push(batch.records, files)
            except RequestTooLarge as exc:
                if files:
                    inline = False  # the files go by the upload path; the records again, alone
                elif len(taken) > 1:
                    limit = max(1, len(taken) // 2)
                else:
                    too_large(self.ws, self.clock, taken[0], exc, report)
                    done += 1
                    continue
                queue = taken + queue
                continue
            done += len(taken)
            report.files_uploaded += len(files)
            report.bytes_uploaded += sum(len(d) for _, d in files)
            report.clock_skew_seconds = result.clock_skew_seconds
            missing = apply_results(
                self.ws,
                self.account,
                self.clock,
                wire=batch.sent,
                results=result.results,
                skew=result.clock_skew_seconds,
                report=report,
            )
            if progress:
                progress(SyncProgress("push", min(done, total), total))
            if missing:
                outbox_ids = {e.key: e.outbox_id for e in batch.sent.values() if e.entity == "visit"}
                self.uploads.upload_missing(
                    client, missing, outbox_ids, report, progress=progress, abort=abort, first_time=first_time
                )

    # ------------------------------------------------------------------ pulled records set aside

    def retry_pulled(self) -> SyncReport:
        """Apply again the pulled records this account set aside (``PulledQuarantine``), fetching
        any file they lack from the office again: for a cause that has gone (a file the office
        could not give then, a form this version could not read before an update)."""
        report = SyncReport()
        held = self.puller.set_aside()
        if not held:
            return report
        client = self._client(report)
        if client is None:
            return report
        try:
            self.puller.retry(client, held, report)
        except AuthExpired as exc:
            report.needs_login, report.error = True, str(exc)
        except SyncError as exc:
            report.error = str(exc)
        finally:
            client.close()
        return report
