"""The sync engine: push the outbox, then pull the office's changes.

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

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, col, or_, select

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.domain.clock import Clock, system_clock
from inspector_app.store import attachments, tables
from inspector_app.store.sync_tables import PulledQuarantine, SyncAccount, SyncRecord
from inspector_app.store.workspace import Workspace
from inspector_app.sync import numbers
from inspector_app.sync.accounts import device_id
from inspector_app.sync.apply import apply_page
from inspector_app.sync.backoff import backoff_delay
from inspector_app.sync.client import (
    AuthExpired,
    FileRefused,
    NetworkError,
    RequestTooLarge,
    ServerRefused,
    SyncClient,
    SyncError,
    UploadRejected,
)
from inspector_app.sync.scope import begin_rescope, settle_rescope
from inspector_app.sync.tokens import TokenStore
from inspector_app.wire import (
    Change,
    ChangesPage,
    DocumentError,
    EnterpriseEdit,
    FileStatus,
    FindingEventRecord,
    ItemResult,
    ItemStatus,
    PushBatch,
    PushVisit,
    RequestFollowUpRecord,
    check_document,
    forms_held_header,
)
from inspector_app.wire.models import (
    INLINE_FILE_BYTES,
    INLINE_FILES,
    INLINE_PUSH_BYTES,
    MAX_BATCH,
    MAX_SMALL_FILES,
    SMALL_FILE_BYTES,
    VisitChange,
)

SUPPORTED = ("visit", "enterprise_change", "finding_event", "request")
# What an outbox entity is called on the wire, where it differs: a "request" entry is one follow-up.
WIRE_ENTITY = {"request": "request_follow_up"}
OPEN_STATES = ("waiting", "sending")
SMALL_REQUEST_BYTES = 2 * 1024 * 1024
MAX_CHUNK_RETRIES = 5
# A push stays under the server's body cap (16 MiB, docs/sync-protocol.md) by its bytes, not only
# by its count of records: the records' JSON and the inline files (base64: 4/3 of their bytes).
PUSH_BYTES = 12 * 1024 * 1024
_RECORD_BYTES = 1024  # a small record (an edit, a follow-up, a finding event) on the wire, at most

AbortFlag = Callable[[], bool] | threading.Event | None
_CHANGE: TypeAdapter[Any] = TypeAdapter(Change)


@dataclass(frozen=True)
class SyncProgress:
    stage: str  # push / upload / pull
    done: int
    total: int
    message: str = ""


ProgressCallback = Callable[[SyncProgress], None] | None


@dataclass
class SyncReport:
    pushed: int = 0  # records the server answered accepted, exists or merged
    sent: int = 0  # entries that left the outbox (acknowledged, files and all)
    conflicts: int = 0
    quarantined: int = 0
    still_open: int = 0  # waiting or sending after this run (missing files, cut short …)
    files_uploaded: int = 0
    bytes_uploaded: int = 0
    changes_pulled: int = 0
    pages: int = 0
    purged: int = 0
    kept_for_unsynced_work: list[str] = field(default_factory=list)
    pulled_quarantined: list[str] = field(default_factory=list)  # pulled records set aside
    clock_skew_seconds: float | None = None
    bytes_sent: int = 0
    bytes_received: int = 0
    error: str = ""
    needs_login: bool = False
    aborted: bool = False
    retry_in: float | None = None
    number_blocks_received: int | None = None  # None: the office hands out no number blocks

    @property
    def ok(self) -> bool:
        return not self.error and not self.needs_login and not self.aborted


def _aborted(flag: AbortFlag) -> bool:
    if flag is None:
        return False
    if isinstance(flag, threading.Event):
        return flag.is_set()
    return bool(flag())


def _aware(moment: datetime) -> datetime:
    # The services write UTC; SQLite hands datetimes back without their offset.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass
class _Entry:
    outbox_id: int
    entity: str
    key: str  # the id on the wire


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
        self.batch_size = batch_size
        self.chunk_size = chunk_size
        self.page_size = page_size
        # Small files inside the push of their visits, when the server offers it (one round trip).
        self.inline_files = inline_files
        self.push_bytes = push_bytes  # what one push may carry, records and inline files together
        self._batch_bytes = 0  # the records' share of the batch last built
        self.failures = 0  # consecutive failed runs: the backoff grows with them
        self.device = device_id(workspace)
        self._visit_outbox: dict[str, int] = {}
        self._held: tuple[int, str] | None = None  # (published folder's mtime, forms-held header)
        self._deferred: list[tables.Outbox] = []  # entries the last batch had no room for

    # ------------------------------------------------------------------ the run

    def sync_once(self, progress_cb: ProgressCallback = None, abort_flag: AbortFlag = None) -> SyncReport:
        report = SyncReport()
        with self.ws.session() as s:
            acct = s.get(SyncAccount, self.account)
        token = self.tokens.load(acct.server_url, self.account) if acct is not None else None
        if acct is None or token is None:
            report.needs_login = True
            report.error = f"{self.account} 尚未登录办公室服务器"
            return report
        client = SyncClient(acct.server_url, token, transport=self.transport)
        try:
            self._push(client, report, progress_cb, abort_flag)
            if not report.aborted:
                self._pull(client, report, progress_cb, abort_flag)
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
        report.still_open = self._count_open()
        with self.ws.session() as s:
            row = s.get(SyncAccount, self.account)
            if row is not None:
                row.last_error = report.error
                s.add(row)
        return report

    # ------------------------------------------------------------------ push

    def _mine(self) -> Any:
        accounts = []
        with self.ws.session() as s:
            accounts = list(s.exec(select(SyncAccount.username)))
        # Entries made before anyone logged in belong to the laptop's only account, if it has one.
        if accounts == [self.account]:
            return or_(col(tables.Outbox.account) == self.account, col(tables.Outbox.account) == "")
        return col(tables.Outbox.account) == self.account

    def open_entries(self) -> list[tables.Outbox]:
        with self.ws.session() as s:
            return list(
                s.exec(
                    select(tables.Outbox)
                    .where(
                        self._mine(),
                        col(tables.Outbox.state).in_(OPEN_STATES),
                        col(tables.Outbox.entity).in_(SUPPORTED),
                    )
                    .order_by(col(tables.Outbox.id))
                )
            )

    def _count_open(self) -> int:
        return len(self.open_entries())

    def _push(
        self, client: SyncClient, report: SyncReport, progress: ProgressCallback, abort: AbortFlag
    ) -> None:
        queue = self.open_entries()
        total, done = len(queue), 0
        inline = (
            self.inline_files
            and any(ob.entity == "visit" for ob in queue)
            and INLINE_FILES in client.features()
        )
        limit = self.batch_size  # halved for this run by each 413 (the server's cap is smaller)
        while queue:
            if _aborted(abort):
                report.aborted = True
                return
            chunk, queue = queue[:limit], queue[limit:]
            batch, wire = self.build_batch(chunk, inline_files=inline)
            queue = self._deferred + queue  # entries the batch had no room for go next
            if not wire:
                done += len(chunk) - len(self._deferred)
                continue
            # Only on a visit's first time out: a repeat may follow a push that arrived with its
            # files (its answer lost), so it asks first what the office still lacks.
            first_time = {ob.entity_id for ob in chunk if ob.entity == "visit" and ob.attempts == 0}
            files = self._inline(batch, first_time) if inline else []
            try:
                result = client.push(batch, files)
            except RequestTooLarge as exc:
                taken = chunk[: len(chunk) - len(self._deferred)]
                if files:
                    inline = False  # the files go by the upload path; the records again, alone
                elif len(taken) > 1:
                    limit = max(1, len(taken) // 2)
                else:
                    self._too_large(taken[0], exc, report)
                    done += 1
                    continue
                queue = taken + queue
                continue
            done += len(chunk) - len(self._deferred)
            report.files_uploaded += len(files)
            report.bytes_uploaded += sum(len(d) for _, d in files)
            report.clock_skew_seconds = result.clock_skew_seconds
            missing = self._apply_results(wire, result.results, result.clock_skew_seconds, report)
            if progress:
                progress(SyncProgress("push", min(done, total), total))
            if missing:
                self._upload_missing(client, missing, report, progress, abort, first_time=first_time)

    def _too_large(self, ob: tables.Outbox, exc: SyncError, report: SyncReport) -> None:
        """One record alone is over what the server takes in a push: quarantined with the reason."""
        assert ob.id is not None
        report.quarantined += 1
        with self.ws.session() as s:
            self._settle(
                s,
                ob.id,
                "quarantined",
                "too_large",
                f"记录过大，服务器不接收（{exc}）",
                missing=[],
                now=self.clock(),
            )

    def build_batch(
        self, chunk: list[tables.Outbox], *, handing_over: bool = True, inline_files: bool = False
    ) -> tuple[PushBatch, dict[tuple[str, str], _Entry]]:
        """The wire records of these entries. ``handing_over``: they are about to go to the network,
        so they become "sending" with one more attempt; a bundle export only reads them.

        ``inline_files``: the push will carry its visits' small files (``_inline``), so the batch
        also closes before the files its visits bring on their first time out would pass what one
        push carries (MAX_SMALL_FILES, INLINE_PUSH_BYTES, the push's bytes): every small file then
        travels inside a push, none by the upload path and its receipts."""
        wire: dict[tuple[str, str], _Entry] = {}
        now = self.clock()
        batch = PushBatch(client_time=_aware(now))
        self._deferred = []
        used = 0
        carried: dict[str, int] = {}  # sha → size of the files the batch's push will carry
        with self.ws.session() as s:
            for i, ob in enumerate(chunk):
                assert ob.id is not None
                size = self._entry_bytes(s, ob)
                brings = self._inline_candidates(s, ob, carried) if inline_files else {}
                if wire and (
                    self._batch_full(s, ob, batch)
                    or used + size > self.push_bytes
                    or not self._files_fit(carried, brings, used + size)
                ):
                    self._deferred = chunk[i:]
                    break
                used += size
                carried.update(brings)
                try:
                    key = self._add_record(s, ob, batch)
                except (ValueError, ValidationError, KeyError) as exc:
                    self._settle(
                        s, ob.id, "quarantined", "rejected", f"本机数据无法发送（{exc}）", missing=[], now=now
                    )
                    continue
                entity = WIRE_ENTITY.get(ob.entity, ob.entity)
                wire[(entity, key)] = _Entry(ob.id, entity, key)
                if not handing_over:
                    continue
                row = s.get(tables.Outbox, ob.id)
                assert row is not None
                # "sending": handed to the network, not yet acknowledged. A crash here is harmless:
                # the next run sends it again and the server answers "exists".
                row.state = "sending"
                row.attempts += 1
                s.add(row)
        self._batch_bytes = used
        return batch, wire

    def batches(self, entries: list[tables.Outbox]) -> list[PushBatch]:
        """All these entries as batches within the server's limits, without handing them over
        (what a bundle carries)."""
        out: list[PushBatch] = []
        queue = list(entries)
        while queue:
            chunk, queue = queue[: self.batch_size], queue[self.batch_size :]
            batch, wire = self.build_batch(chunk, handing_over=False)
            queue = self._deferred + queue
            if wire:
                out.append(batch)
        return out

    def _inline(self, batch: PushBatch, visits: set[str]) -> list[tuple[str, bytes]]:
        """Files of the batch's visits that travel inside the push: each within one chunk (a file
        that needs several keeps the resumable path), all within the push's share of bytes and
        at most the number of files a push may carry. A file
        missing here or failing its hash is left out: the upload path then quarantines its visit
        with the reason, as before."""
        root = self.ws.attachments_dir
        limit = self._inline_limit()
        # What the push's records left of its bytes, in decoded bytes (base64 takes 4/3).
        budget = min(INLINE_PUSH_BYTES, max(0, self.push_bytes - self._batch_bytes) * 3 // 4)
        out: dict[str, bytes] = {}
        for v in batch.visits:
            if v.id not in visits:
                continue
            for m in v.document.get("manifest", []):
                if len(out) >= MAX_SMALL_FILES:  # the push's cap on its files: the rest are uploaded
                    return list(out.items())
                sha, size = m.get("sha256"), m.get("size")
                if not isinstance(sha, str) or sha in out or not isinstance(size, int):
                    continue
                if size > limit or size > budget:
                    continue
                try:
                    data = attachments.path_for(root, sha).read_bytes()
                except (OSError, ValueError):
                    continue
                if hashlib.sha256(data).hexdigest() != sha:
                    continue
                out[sha] = data
                budget -= len(data)
        return list(out.items())

    def _inline_limit(self) -> int:
        """The largest file that travels inside a push: one that fits in one chunk."""
        return min(INLINE_FILE_BYTES, self.chunk_size)

    def _inline_candidates(self, s: Session, ob: tables.Outbox, carried: dict[str, int]) -> dict[str, int]:
        """The files this entry would add to its push's inline files (sha → size): a visit's, on
        its first time out only (as ``_inline`` picks them), not already carried by the batch."""
        if ob.entity != "visit" or ob.attempts != 0:
            return {}
        v = s.get(tables.Visit, ob.entity_id)
        if v is None or not v.document_json:
            return {}
        limit = self._inline_limit()
        out: dict[str, int] = {}
        for m in json.loads(v.document_json).get("manifest", []):
            sha, size = m.get("sha256"), m.get("size")
            if isinstance(sha, str) and isinstance(size, int) and size <= limit and sha not in carried:
                out[sha] = size
        return out

    def _files_fit(self, carried: dict[str, int], brings: dict[str, int], records: int) -> bool:
        """Whether a push of ``records`` bytes of records still carries all these files inline."""
        if not brings:
            return True
        files = len(carried) + len(brings)
        decoded = sum(carried.values()) + sum(brings.values())
        return (
            files <= MAX_SMALL_FILES
            and decoded <= INLINE_PUSH_BYTES
            and decoded <= max(0, self.push_bytes - records) * 3 // 4
        )

    def _entry_bytes(self, s: Session, ob: tables.Outbox) -> int:
        """About what this entry's records take in a push (a visit: its document, and its events)."""
        if ob.entity != "visit":
            return _RECORD_BYTES
        v = s.get(tables.Visit, ob.entity_id)
        document = len(v.document_json.encode()) if v is not None and v.document_json else 0
        return document + _RECORD_BYTES * (1 + len(self._visit_events(s, ob.entity_id)))

    def _batch_full(self, s: Session, ob: tables.Outbox, batch: PushBatch) -> bool:
        """Whether this entry's records would take a kind of the batch past the server's limit."""
        events = len(self._visit_events(s, ob.entity_id)) if ob.entity == "visit" else 0
        return len(batch.finding_events) + events > MAX_BATCH

    def _visit_events(self, s: Session, visit_id: str) -> list[tables.FindingEvent]:
        return list(
            s.exec(
                select(tables.FindingEvent)
                .where(tables.FindingEvent.visit_id == visit_id)
                .order_by(col(tables.FindingEvent.id))
            )
        )

    def _add_record(self, s: Session, ob: tables.Outbox, batch: PushBatch) -> str:
        """Append the entry's records to the batch; returns its id on the wire.

        A visit brings the finding events its completion made (found; recheck passed / failed):
        they travel in the same push, after it, so the office and the team leader learn that a
        finding was closed or extended by the visit that did it (docs/sync-protocol.md).
        """
        if ob.entity == "visit":
            v = s.get(tables.Visit, ob.entity_id)
            if v is None or not v.document_json:
                raise ValueError("找不到该检查记录的定稿文档")
            batch.visits.append(
                PushVisit(id=v.id, content_hash=v.content_hash, document=json.loads(v.document_json))
            )
            batch.finding_events += [self._event_record(e) for e in self._visit_events(s, v.id)]
            return v.id
        if ob.entity == "enterprise_change":
            c = s.get(tables.EnterpriseChange, int(ob.entity_id))
            if c is None:
                raise ValueError("找不到该企业信息修改")
            ent = s.get(tables.Enterprise, c.enterprise_id)
            assert ent is not None
            edit = EnterpriseEdit.model_validate(
                {
                    "id": f"{self.device}/{c.id}",
                    "credit_code": ent.credit_code,
                    "field": c.field_name,
                    "old_value": c.old_value,
                    "new_value": c.new_value,
                    "base_version": c.base_version,
                    "changed_at": _aware(c.changed_at),
                    "changed_by": c.changed_by,
                }
            )
            batch.edits.append(edit)
            return edit.id
        if ob.entity == "request":
            follow_up = self._request_follow_up(s, ob.entity_id)
            batch.request_follow_ups.append(follow_up)
            return follow_up.id
        e = s.get(tables.FindingEvent, ob.entity_id)
        if e is None:
            raise ValueError("找不到该隐患跟进记录")
        batch.finding_events.append(self._event_record(e))
        return e.id

    @staticmethod
    def _event_record(e: tables.FindingEvent) -> FindingEventRecord:
        return FindingEventRecord.model_validate(
            {
                "id": e.id,
                "finding_id": e.finding_id,
                "kind": e.kind,
                "at": _aware(e.at),
                "visit_id": e.visit_id,
                "note": e.note,
                "new_deadline": e.new_deadline,
            }
        )

    def _request_follow_up(self, s: Session, event_id: str) -> RequestFollowUpRecord:
        """A follow-up with what its request says: the server may not have the request yet."""
        fu = s.exec(select(tables.RequestFollowUp).where(tables.RequestFollowUp.event_id == event_id)).first()
        if fu is None:
            raise ValueError("找不到该诉求跟进记录")
        r = s.get(tables.EnterpriseRequest, fu.request_id)
        if r is None:
            raise ValueError("找不到该诉求")
        ent = s.get(tables.Enterprise, r.enterprise_id)
        assert ent is not None
        return RequestFollowUpRecord.model_validate(
            {
                "id": fu.event_id,
                "request_id": r.id,
                "credit_code": ent.credit_code,
                "category": r.category,
                "description": r.description,
                "visit_id": r.visit_id,
                "at": _aware(fu.at),
                "status": fu.status,
                "note": fu.note,
                "by": fu.by or self.account,
            }
        )

    def _settle(
        self,
        s: Session,
        outbox_id: int,
        state: str,
        status: str,
        reason: str,
        *,
        missing: list[str],
        now: datetime,
    ) -> None:
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

    def _apply_results(
        self,
        wire: dict[tuple[str, str], _Entry],
        results: list[ItemResult],
        skew: float,
        report: SyncReport,
    ) -> dict[str, list[str]]:
        """Record the server's answers; returns visit id → files it still lacks."""
        missing: dict[str, list[str]] = {}
        now = self.clock()
        with self.ws.session() as s:
            for r in results:
                entry = wire.get((r.entity, r.id))
                if entry is None:
                    continue  # not ours to settle (the server answered something we did not send)
                if r.status is ItemStatus.CONFLICT:
                    report.conflicts += 1
                    self._settle(
                        s, entry.outbox_id, "conflict", r.status.value, r.reason, missing=[], now=now
                    )
                elif r.status is ItemStatus.REJECTED:
                    report.quarantined += 1
                    self._settle(
                        s, entry.outbox_id, "quarantined", r.status.value, r.reason, missing=[], now=now
                    )
                else:
                    report.pushed += 1
                    if r.entity == "visit" and not r.received:
                        missing[r.id] = list(r.missing)
                        self._settle(
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
                        self._settle(
                            s, entry.outbox_id, "sent", r.status.value, r.reason, missing=[], now=now
                        )
            acct = s.get(SyncAccount, self.account)
            if acct is not None:
                acct.clock_skew_seconds = skew
                acct.last_push_at = now
                s.add(acct)
        self._visit_outbox = {e.key: e.outbox_id for e in wire.values() if e.entity == "visit"}
        return missing

    # ------------------------------------------------------------------ files

    def _upload_missing(
        self,
        client: SyncClient,
        missing: dict[str, list[str]],
        report: SyncReport,
        progress: ProgressCallback,
        abort: AbortFlag,
        *,
        first_time: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        root = self.ws.attachments_dir
        needed = sorted({sha for shas in missing.values() for sha in shas})
        # A file only visits on their first time out need starts at 0 without asking: nothing of
        # it can be on the office yet (a wrong guess costs a 409 that says the right offset).
        fresh = {sha for vid, shas in missing.items() if vid in first_time for sha in shas} - {
            sha for vid, shas in missing.items() if vid not in first_time for sha in shas
        }
        broken = {sha for sha in needed if not attachments.verify(root, sha)}
        refused: dict[str, str] = {}  # sha → why the office will never take it
        small: list[tuple[str, bytes]] = []
        done = 0

        def send_small() -> None:
            # A small file the office refused goes again alone by the chunk path, whose answer
            # tells a file it will never take (415) from one to resend.
            for sha in self._send_small(client, small, report):
                self._upload_or_refused(client, sha, report, abort, refused, fresh=False)

        for sha in needed:
            if sha in broken:
                continue
            if _aborted(abort):
                report.aborted = True
                return
            path = attachments.path_for(root, sha)
            size = path.stat().st_size
            if size <= SMALL_FILE_BYTES:
                small.append((sha, path.read_bytes()))
                if len(small) >= MAX_SMALL_FILES or sum(len(d) for _, d in small) >= SMALL_REQUEST_BYTES:
                    send_small()
                    small = []
            else:
                self._upload_or_refused(client, sha, report, abort, refused, fresh=sha in fresh)
            if report.aborted:
                return
            done += 1
            if progress:
                progress(SyncProgress("upload", done, len(needed)))
        if small:
            send_small()
        if report.aborted:
            return
        now = self.clock()
        if broken or refused:
            with self.ws.session() as s:
                for vid, shas in missing.items():
                    lost = sorted(set(shas) & broken)
                    turned_away = sorted(set(shas) & set(refused))
                    if lost:
                        report.quarantined += 1
                        self._settle(
                            s,
                            self._visit_outbox[vid],
                            "quarantined",
                            "missing_local_file",
                            f"本机的照片或签名文件缺失或损坏（{lost[0][:12]}…），无法上传",
                            missing=lost,
                            now=now,
                        )
                    elif turned_away:
                        # This visit only: the office refused one of its files, the rest goes on.
                        report.quarantined += 1
                        self._settle(
                            s,
                            self._visit_outbox[vid],
                            "quarantined",
                            "file_refused",
                            refused[turned_away[0]],
                            missing=turned_away,
                            now=now,
                        )
        settled = broken | set(refused)
        receipts = client.receipts([vid for vid, shas in missing.items() if not set(shas) & settled])
        with self.ws.session() as s:
            for rc in receipts:
                if rc.received:
                    report.sent += 1
                    self._settle(s, self._visit_outbox[rc.id], "sent", "received", "", missing=[], now=now)
                else:
                    self._settle(
                        s,
                        self._visit_outbox[rc.id],
                        "sending",
                        "incomplete",
                        f"服务器缺少 {len(rc.missing)} 个文件",
                        missing=list(rc.missing),
                        now=now,
                    )

    def _send_small(
        self, client: SyncClient, files: list[tuple[str, bytes]], report: SyncReport
    ) -> list[str]:
        """Send these small files in one request; returns those the office refused."""
        result = client.small_files(files)
        report.files_uploaded += len(result.stored)
        report.bytes_uploaded += sum(len(d) for sha, d in files if sha in set(result.stored))
        return [r.sha256 for r in result.refused if r.sha256 in {sha for sha, _ in files}]

    def _upload_or_refused(
        self,
        client: SyncClient,
        sha: str,
        report: SyncReport,
        abort: AbortFlag,
        refused: dict[str, str],
        *,
        fresh: bool,
    ) -> None:
        size = attachments.path_for(self.ws.attachments_dir, sha).stat().st_size
        try:
            self._upload_large(client, sha, size, report, abort, fresh=fresh)
        except FileRefused as exc:
            refused[sha] = f"服务器拒收文件 {sha[:12]}…：{exc}"
        except ServerRefused as exc:
            if exc.status == 413:  # over the server's largest file: it will never take it
                refused[sha] = f"服务器拒收文件 {sha[:12]}…：{exc}"
            elif exc.status != 403:
                raise
            # 403: no visit of this account awaits it any more; nothing to send, the receipt decides.

    def _upload_large(
        self, client: SyncClient, sha: str, size: int, report: SyncReport, abort: AbortFlag, *, fresh: bool
    ) -> None:
        """Resumable: ask where the server stands (unless the file is ``fresh``), continue from
        there, chunk by checked chunk."""
        if fresh:
            status = FileStatus(sha256=sha, size=None, offset=0, complete=False)
        else:
            status = client.file_status(sha)
        offset = status.offset
        retries = 0
        path = attachments.path_for(self.ws.attachments_dir, sha)
        with path.open("rb") as fh:
            while not status.complete:
                if _aborted(abort):
                    report.aborted = True
                    return
                fh.seek(offset)
                chunk = fh.read(self.chunk_size)
                try:
                    status = client.upload_chunk(sha, offset, size, chunk)
                except UploadRejected as exc:
                    retries += 1
                    if retries > MAX_CHUNK_RETRIES:
                        raise NetworkError(f"文件 {sha[:12]}… 多次上传失败：{exc}") from exc
                    status = exc.status
                else:
                    report.bytes_uploaded += len(chunk)
                offset = status.offset
        report.files_uploaded += 1

    # ------------------------------------------------------------------ pulled records set aside

    def retry_pulled(self) -> SyncReport:
        """Apply again the pulled records this account set aside (``PulledQuarantine``), from the
        change kept as received, fetching any file they lack from the office again.

        For a cause that has gone (a file the office could not give then, a form this version could
        not read before an update): a record taken now leaves the quarantine; one still refused
        stays with today's reason. ``changes_pulled`` counts those taken, ``pulled_quarantined``
        lists those still held.
        """
        report = SyncReport()
        with self.ws.session() as s:
            acct = s.get(SyncAccount, self.account)
            held = list(
                s.exec(
                    select(PulledQuarantine)
                    .where(PulledQuarantine.account == self.account)
                    .order_by(col(PulledQuarantine.id))
                )
            )
        if not held:
            return report
        token = self.tokens.load(acct.server_url, self.account) if acct is not None else None
        if acct is None or token is None:
            report.needs_login = True
            report.error = f"{self.account} 尚未登录办公室服务器"
            return report
        changes: list[Any] = []
        readable: list[int] = []
        unreadable: list[str] = []  # a change this version cannot even parse stays as it is
        for row in held:
            try:
                changes.append(_CHANGE.validate_json(row.payload_json))
            except ValidationError:
                unreadable.append(f"{row.kind} {row.key[:60]}：{row.reason[:200]}")
            else:
                assert row.id is not None
                readable.append(row.id)
        page = ChangesPage(
            changes=changes, cursor="", has_more=False, scope="", server_time=_aware(self.clock())
        )
        client = SyncClient(acct.server_url, token, transport=self.transport)
        try:
            files = self._fetch_visit_files(client, page)
        except AuthExpired as exc:
            report.needs_login, report.error = True, str(exc)
            return report
        except SyncError as exc:
            report.error = str(exc)
            return report
        finally:
            client.close()
        with self.ws.session() as s:
            for row_id in readable:
                gone = s.get(PulledQuarantine, row_id)
                if gone is not None:
                    s.delete(gone)  # taken now, or set aside again below with today's reason
            s.flush()
            effect = apply_page(
                s,
                page,
                workspace_root=self.ws.root,
                attachments_root=self.ws.attachments_dir,
                thumbs_root=self.ws.thumbnails_dir,
                my_device=self.device,
                files=files,
                now=_aware(self.clock()),
                account=self.account,
            )
        report.pulled_quarantined = unreadable + effect.quarantined
        report.changes_pulled = len(readable) - len(effect.quarantined)
        return report

    # ------------------------------------------------------------------ pull

    def _pull(
        self, client: SyncClient, report: SyncReport, progress: ProgressCallback, abort: AbortFlag
    ) -> None:
        with self.ws.session() as s:
            acct = s.get(SyncAccount, self.account)
            assert acct is not None
            cursor, scope = acct.cursor, acct.scope
        # The next page is fetched while this one is applied: on a slow link the laptop's disk work
        # hides behind the wait. A prefetched page is only a read; it is used after its predecessor
        # committed, or dropped.
        rescoped = False
        held = self._forms_held()
        with ThreadPoolExecutor(max_workers=1) as pool:
            ahead: Future[ChangesPage] | None = None
            while True:
                if _aborted(abort):
                    report.aborted = True
                    return
                page = ahead.result() if ahead is not None else client.changes(cursor, self.page_size, held)
                ahead = None
                if scope and page.scope != scope and cursor:
                    # Another team or role: what this laptop holds was chosen for the old scope.
                    # Pull again from the start; what the new scope does not assign again is purged.
                    cursor, scope, rescoped = "", page.scope, True
                    continue
                if page.has_more:
                    ahead = pool.submit(client.changes, page.cursor, self.page_size, held)
                if not self._apply_pulled(client, page, report, progress, rescoped=rescoped):
                    return
                cursor, scope, rescoped = page.cursor, page.scope, False

    def _forms_held(self) -> str:
        """The latest version of each form this laptop fills in (shipped, or published by the
        office and pulled), for the office's forms page; read again when the published folder changes."""
        folder = self.ws.forms_dir
        stamp = folder.stat().st_mtime_ns if folder.is_dir() else 0
        if self._held is None or self._held[0] != stamp:
            forms = FormLibrary.load(default_forms_dir(), strict=False)
            if folder.is_dir():
                forms = forms.overlaid(FormLibrary.load(folder, strict=False))
            try:
                value = forms_held_header({f.code: f.version for f in forms.latest()})
            except ValueError:  # a code the header cannot carry: the office is told nothing
                value = ""
            self._held = (stamp, value)
        return self._held[1]

    def _apply_pulled(
        self,
        client: SyncClient,
        page: ChangesPage,
        report: SyncReport,
        progress: ProgressCallback,
        *,
        rescoped: bool = False,
    ) -> bool:
        """Apply one page with its cursor; True when more pages follow.

        ``rescoped``: the first page of a pull started again for a new scope. The enterprises the
        old scope assigned are noted with it; those the new scope has not assigned again once the
        last page is in are purged (the note and the cursor commit together, so an interrupted
        pull goes on where it stopped).
        """
        files = self._fetch_visit_files(client, page)
        now = self.clock()
        with self.ws.session() as s:
            if rescoped:
                begin_rescope(s.connection(), self.account)
            effect = apply_page(
                s,
                page,
                workspace_root=self.ws.root,
                attachments_root=self.ws.attachments_dir,
                thumbs_root=self.ws.thumbnails_dir,
                my_device=self.device,
                files=files,
                now=_aware(now),
                account=self.account,
            )
            settle_rescope(s.connection(), self.account, page, effect)
            acct = s.get(SyncAccount, self.account)
            assert acct is not None
            acct.cursor, acct.scope, acct.last_pull_at = page.cursor, page.scope, now
            s.add(acct)
        report.pages += 1
        report.changes_pulled += len(page.changes)
        report.purged += effect.purged
        report.kept_for_unsynced_work += effect.kept_for_unsynced_work
        report.pulled_quarantined += effect.quarantined
        if progress:
            progress(
                SyncProgress(
                    "pull", report.changes_pulled, report.changes_pulled + (1 if page.has_more else 0)
                )
            )
        return page.has_more

    def _fetch_visit_files(self, client: SyncClient, page: ChangesPage) -> dict[str, bytes]:
        """Fetch the files of a leader's team visits that this laptop lacks, each checked, before the page."""
        out: dict[str, bytes] = {}
        for ch in page.changes:
            if not isinstance(ch, VisitChange):
                continue
            try:
                doc = check_document(ch.document)
            except DocumentError:
                continue  # applying the page sets this visit aside, with the reason
            for m in doc.manifest:
                sha = m.sha256
                if sha in out or attachments.path_for(self.ws.attachments_dir, sha).exists():
                    continue
                try:
                    data = client.download(sha)
                except ServerRefused:
                    continue  # the file is not to be had: the visit is set aside, the rest goes on
                if hashlib.sha256(data).hexdigest() != sha:
                    raise NetworkError(f"下载的文件 {sha[:12]}… 校验值不符")
                out[sha] = data
        return out
