"""The pull side: the office's changes page by page, each applied with the cursor after it in one
commit (an interrupted pull resumes there), the next page fetched while this one is applied; the
files of a leader's team visits fetched and checked before their page; and the pulled records set
aside, applied again on demand."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, col, select

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.domain.clock import Clock, as_utc
from inspector_app.store import attachments
from inspector_app.store.sync_tables import PulledQuarantine, SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync.apply import PageEffect, apply_page
from inspector_app.sync.client import NetworkError, ServerRefused, SyncClient
from inspector_app.sync.report import AbortFlag, ProgressCallback, SyncProgress, SyncReport, aborted
from inspector_app.sync.scope import begin_rescope, settle_rescope
from inspector_app.wire import Change, ChangesPage, DocumentError, check_document, forms_held_header
from inspector_app.wire.models import VisitChange

_CHANGE: TypeAdapter[Any] = TypeAdapter(Change)


class Puller:
    def __init__(
        self, workspace: Workspace, account: str, device: str, clock: Clock, *, page_size: int = 5000
    ) -> None:
        self.ws = workspace
        self.account = account
        self.device = device
        self.clock = clock
        self.page_size = page_size
        self._held: tuple[int, str] | None = None  # (published folder's mtime, forms-held header)

    def pull(
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
                if aborted(abort):
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
            effect = self._apply(s, page, files, now)
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

    def _apply(self, s: Session, page: ChangesPage, files: dict[str, bytes], now: datetime) -> PageEffect:
        """A page applied to this workspace, as this device and account (a page fetched in turn, or
        records set aside fetched again)."""
        return apply_page(
            s,
            page,
            workspace_root=self.ws.root,
            attachments_root=self.ws.attachments_dir,
            thumbs_root=self.ws.thumbnails_dir,
            my_device=self.device,
            files=files,
            now=as_utc(now),
            account=self.account,
        )

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

    # ------------------------------------------------------------------ pulled records set aside

    def set_aside(self) -> list[PulledQuarantine]:
        """The pulled records this account set aside, oldest first."""
        with self.ws.session() as s:
            return list(
                s.exec(
                    select(PulledQuarantine)
                    .where(PulledQuarantine.account == self.account)
                    .order_by(col(PulledQuarantine.id))
                )
            )

    def retry(self, client: SyncClient, held: list[PulledQuarantine], report: SyncReport) -> None:
        """Apply these set-aside records again from the change kept as received, fetching any file
        they lack from the office again (``SyncEngine.retry_pulled``). A record taken now leaves the
        quarantine; one still refused stays with today's reason. ``changes_pulled`` counts those
        taken, ``pulled_quarantined`` lists those still held."""
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
            changes=changes, cursor="", has_more=False, scope="", server_time=as_utc(self.clock())
        )
        files = self._fetch_visit_files(client, page)
        with self.ws.session() as s:
            for row_id in readable:
                gone = s.get(PulledQuarantine, row_id)
                if gone is not None:
                    s.delete(gone)  # taken now, or set aside again below with today's reason
            s.flush()
            effect = self._apply(s, page, files, self.clock())
        report.pulled_quarantined = unreadable + effect.quarantined
        report.changes_pulled = len(readable) - len(effect.quarantined)
