"""The outbox as pushes: which entries are open, and batches of their wire records within every
limit the office sets on one push (records per kind, bytes, inline files), with the small files
that travel inside (protocol feature ``inline_files``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, or_, select

from inspector_app.domain.clock import Clock, as_utc
from inspector_app.store import attachments, tables
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync.push_results import Entry, Sent, settle
from inspector_app.wire import EnterpriseEdit, FindingEventRecord, PushBatch, PushVisit, RequestFollowUpRecord
from inspector_app.wire.models import INLINE_FILE_BYTES, INLINE_PUSH_BYTES, MAX_BATCH, MAX_SMALL_FILES

SUPPORTED = ("visit", "enterprise_change", "finding_event", "request")
# What an outbox entity is called on the wire, where it differs: a "request" entry is one follow-up.
WIRE_ENTITY = {"request": "request_follow_up"}
OPEN_STATES = ("waiting", "sending")
# A push stays under the server's body cap (16 MiB, docs/sync-protocol.md) by its bytes, not only
# by its count of records: the records' JSON and the inline files (base64: 4/3 of their bytes).
PUSH_BYTES = 12 * 1024 * 1024
_RECORD_BYTES = 1024  # a small record (an edit, a follow-up, a finding event) on the wire, at most


@dataclass
class Batch:
    """One push's records, the entries they came from, and the entries it had no room for."""

    records: PushBatch
    sent: Sent
    deferred: list[tables.Outbox] = field(default_factory=list)  # these go next
    records_bytes: int = 0  # about what the records take on the wire


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What a visit's outbox entry sends, read once per batch (other entries: nothing)."""

    visit: tables.Visit | None = None
    document: dict[str, Any] | None = None  # its frozen document, parsed
    document_bytes: int = 0
    events: tuple[tables.FindingEvent, ...] = ()  # the finding events its completion made
    problem: ValueError | None = None  # why its document would not parse


class OutboxBatches:
    def __init__(
        self,
        workspace: Workspace,
        account: str,
        device: str,
        clock: Clock,
        *,
        batch_size: int = 200,
        chunk_size: int = 256 * 1024,
        push_bytes: int = PUSH_BYTES,
    ) -> None:
        self.ws = workspace
        self.account = account
        self.device = device
        self.clock = clock
        self.batch_size = batch_size
        self.chunk_size = chunk_size
        self.push_bytes = push_bytes  # what one push may carry, records and inline files together

    def _mine(self) -> Any:
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

    def build(
        self, chunk: list[tables.Outbox], *, handing_over: bool = True, inline_files: bool = False
    ) -> Batch:
        """The wire records of these entries. ``handing_over``: they are about to go to the network,
        so they become "sending" with one more attempt; a bundle export only reads them.

        ``inline_files``: the push will carry its visits' small files (``inline_files``), so the
        batch also closes before the files its visits bring on their first time out would pass what
        one push carries (MAX_SMALL_FILES, INLINE_PUSH_BYTES, the push's bytes): every small file
        then travels inside a push, none by the upload path and its receipts."""
        now = self.clock()
        batch = Batch(PushBatch(client_time=as_utc(now)), {})
        carried: dict[str, int] = {}  # sha → size of the files the batch's push will carry
        with self.ws.session() as s:
            for i, ob in enumerate(chunk):
                assert ob.id is not None
                loaded = self._load(s, ob)
                size = self._entry_bytes(loaded)
                brings = self._inline_candidates(ob, loaded, carried) if inline_files else {}
                used = batch.records_bytes + size
                if batch.sent and (
                    self._batch_full(loaded, batch.records)
                    or used > self.push_bytes
                    or not self._files_fit(carried, brings, used)
                ):
                    batch.deferred = chunk[i:]
                    break
                batch.records_bytes = used
                carried.update(brings)
                try:
                    key = self._add_record(s, ob, batch.records, loaded)
                except (ValueError, ValidationError, KeyError) as exc:
                    settle(
                        s, ob.id, "quarantined", "rejected", f"本机数据无法发送（{exc}）", missing=[], now=now
                    )
                    continue
                entity = WIRE_ENTITY.get(ob.entity, ob.entity)
                batch.sent[(entity, key)] = Entry(ob.id, entity, key)
                if not handing_over:
                    continue
                row = s.get(tables.Outbox, ob.id)
                assert row is not None
                # "sending": handed to the network, not yet acknowledged. A crash here is harmless:
                # the next run sends it again and the server answers "exists".
                row.state = "sending"
                row.attempts += 1
                s.add(row)
        return batch

    def all(self, entries: list[tables.Outbox]) -> list[PushBatch]:
        """All these entries as batches within the server's limits, without handing them over
        (what a bundle carries)."""
        out: list[PushBatch] = []
        queue = list(entries)
        while queue:
            chunk, queue = queue[: self.batch_size], queue[self.batch_size :]
            batch = self.build(chunk, handing_over=False)
            queue = batch.deferred + queue
            if batch.sent:
                out.append(batch.records)
        return out

    # ------------------------------------------------------------------ files inside the push

    def inline_files(self, batch: Batch, visits: set[str]) -> list[tuple[str, bytes]]:
        """Files of the batch's visits that travel inside the push: each within one chunk (a file
        that needs several keeps the resumable path), all within the push's share of bytes and
        at most the number of files a push may carry. A file
        missing here or failing its hash is left out: the upload path then quarantines its visit
        with the reason, as before."""
        root = self.ws.attachments_dir
        limit = self._inline_limit()
        # What the push's records left of its bytes, in decoded bytes (base64 takes 4/3).
        budget = min(INLINE_PUSH_BYTES, max(0, self.push_bytes - batch.records_bytes) * 3 // 4)
        out: dict[str, bytes] = {}
        for v in batch.records.visits:
            if v.id not in visits:
                continue
            for m in v.document.get("manifest", []):
                if len(out) >= MAX_SMALL_FILES:  # one visit citing more than a push carries
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

    def _inline_candidates(
        self, ob: tables.Outbox, loaded: _Loaded, carried: dict[str, int]
    ) -> dict[str, int]:
        """The files this entry would add to its push's inline files (sha → size): a visit's, on
        its first time out only (as the push picks them), not already carried by the batch."""
        if ob.attempts != 0 or loaded.document is None:
            return {}
        limit = self._inline_limit()
        out: dict[str, int] = {}
        for m in loaded.document.get("manifest", []):
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

    # ------------------------------------------------------------------ the records

    def _load(self, s: Session, ob: tables.Outbox) -> _Loaded:
        """A visit entry's row, document and events, read once for sizing, inline files and the
        record itself."""
        if ob.entity != "visit":
            return _Loaded()
        v = s.get(tables.Visit, ob.entity_id)
        events = tuple(self._visit_events(s, ob.entity_id))
        if v is None or not v.document_json:
            return _Loaded(v, events=events)
        raw = len(v.document_json.encode())
        try:
            return _Loaded(v, json.loads(v.document_json), raw, events)
        except ValueError as exc:  # quarantined with the reason when its record is made
            return _Loaded(v, None, raw, events, exc)

    @staticmethod
    def _entry_bytes(loaded: _Loaded) -> int:
        """About what this entry's records take in a push (a visit: its document, and its events)."""
        return loaded.document_bytes + _RECORD_BYTES * (1 + len(loaded.events))

    @staticmethod
    def _batch_full(loaded: _Loaded, batch: PushBatch) -> bool:
        """Whether this entry's records would take a kind of the batch past the server's limit."""
        return len(batch.finding_events) + len(loaded.events) > MAX_BATCH

    def _visit_events(self, s: Session, visit_id: str) -> list[tables.FindingEvent]:
        return list(
            s.exec(
                select(tables.FindingEvent)
                .where(tables.FindingEvent.visit_id == visit_id)
                .order_by(col(tables.FindingEvent.id))
            )
        )

    def _add_record(self, s: Session, ob: tables.Outbox, batch: PushBatch, loaded: _Loaded) -> str:
        """Append the entry's records to the batch; returns its id on the wire.

        A visit brings the finding events its completion made (found; recheck passed / failed):
        they travel in the same push, after it, so the office and the team leader learn that a
        finding was closed or extended by the visit that did it (docs/sync-protocol.md).
        """
        if ob.entity == "visit":
            v = loaded.visit
            if v is None or not v.document_json:
                raise ValueError("找不到该检查记录的定稿文档")
            if loaded.document is None:
                raise loaded.problem or ValueError("找不到该检查记录的定稿文档")
            batch.visits.append(PushVisit(id=v.id, content_hash=v.content_hash, document=loaded.document))
            batch.finding_events += [self._event_record(e) for e in loaded.events]
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
                    "changed_at": as_utc(c.changed_at),
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
                "at": as_utc(e.at),
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
                "at": as_utc(fu.at),
                "status": fu.status,
                "note": fu.note,
                "by": fu.by or self.account,
            }
        )
