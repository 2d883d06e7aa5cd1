"""When a sync runs, where, and what the status bar and the 同步 page are told.

Triggers: the network coming back (``on_reachability_changed``, wired to QNetworkInformation, then a
cheap probe of the server's health endpoint, because "online" does not mean the office is
reachable), a timer while online (``sync/interval_minutes``, 5 by default), after a login, and on
demand (``sync_now``). A failed run is retried after the engine's backoff (exponential with full
jitter, or the server's Retry-After); a run can be cancelled.

Where: the engine does its own database sessions (short units of work on the workspace's
thread-safe connection pool) between network calls, so a run goes on the task manager's pool, never
on the GUI thread and never on the storage worker (a slow hotspot must not hold up saving answers).
A process-wide lock keeps two runs from ever overlapping, whichever window started them.

What runs on the pool is in ``run``; accounts and logging in in ``sync_accounts``; what the
controller tells its listeners in ``states``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from inspector_app.services.changes import Changes
from inspector_app.sync.backoff import backoff_delay
from inspector_app.ui.context import UiContext
from inspector_app.ui.sync.run import (
    BUSY_RETRY_MS,
    EngineSlot,
    SyncBusy,
    outcome_of,
    probe_server,
    queue_counts,
    run_once,
)
from inspector_app.ui.sync.states import SyncOutcome, SyncState, SyncStatus
from inspector_app.ui.sync.sync_accounts import SyncAccounts
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

    from inspector_app.store.workspace import Workspace
    from inspector_app.sync.accounts import AccountInfo
    from inspector_app.sync.report import SyncReport

SETTINGS_INTERVAL = "sync/interval_minutes"
SETTINGS_STARTUP_DELAY = "sync/startup_delay_seconds"
DEFAULT_INTERVAL_MINUTES = 5.0
DEFAULT_STARTUP_DELAY = 10.0
MIN_RETRY_SECONDS = 5.0


@dataclass
class _Loaded:
    workspace: Workspace
    account: str
    accounts: list[AccountInfo]
    waiting: int
    stuck: int


class SyncController(SyncAccounts, QObject):
    sig_state_changed = Signal(object)  # SyncStatus
    sig_progress = Signal(int, int, str)  # done, total, stage (push / upload / pull)
    sig_finished = Signal(object)  # SyncOutcome
    sig_accounts_changed = Signal(object)  # list[AccountInfo]
    sig_login_requested = Signal()  # something asks for the login dialog
    _sig_worker_progress = Signal(str, int, int)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._workspace: Workspace | None = None
        self._slot = EngineSlot()
        self._accounts: list[AccountInfo] = []
        self._account = ""
        self._status = SyncStatus()
        self._abort: threading.Event | None = None
        self._busy = False  # a probe or a run is under way
        self._failures = 0
        self._reach: object = None  # the last QNetworkInformation.Reachability (None: never told)
        self._offline = False
        self._started = False
        self._stopped = False
        self.online_jitter = 3.0  # seconds: laptops that regain the network together spread out
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.request_sync)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._auto)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._auto)
        self._sig_worker_progress.connect(self._on_worker_progress)
        ctx.sig_changed.connect(self._changed)

    # ----------------------------------------------------------------- what others read

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._busy

    @property
    def backing_off(self) -> bool:
        return self._retry.isActive()

    def interval_minutes(self) -> float:
        try:
            value = float(str(self.ctx.settings.value(SETTINGS_INTERVAL, DEFAULT_INTERVAL_MINUTES)))
        except ValueError:
            value = DEFAULT_INTERVAL_MINUTES
        return max(0.5, value)

    def startup_delay(self) -> float:
        try:
            return float(str(self.ctx.settings.value(SETTINGS_STARTUP_DELAY, DEFAULT_STARTUP_DELAY)))
        except ValueError:
            return DEFAULT_STARTUP_DELAY

    # ----------------------------------------------------------------- life cycle

    def start(self, on_ready: Callable[[], None] | None = None) -> None:
        """The workspace is open: learn who is working, then sync by itself from now on."""
        self._cancel_run()
        self._slot = EngineSlot()
        self._failures = 0
        self._retry.stop()
        self._stopped = False

        def run(job: Job) -> _Loaded:
            from inspector_app.ui.sync.accounts import known_accounts

            services = job.services
            waiting, stuck = queue_counts(job)
            return _Loaded(services.workspace, services.visits.account,
                           known_accounts(services.workspace), waiting, stuck)

        def done(loaded: _Loaded) -> None:
            if self._stopped:
                return
            self._workspace = loaded.workspace
            self.ctx.account = loaded.account  # who the services stamp new work with
            self._set_accounts(loaded.accounts, loaded.account)
            self._started = True
            acct = self.account
            self._update(waiting=loaded.waiting, stuck=loaded.stuck, account=acct,
                         last_success=acct.last_pull_at if acct is not None else None,
                         state=self._idle_state())
            self._timer.start(int(self.interval_minutes() * 60_000))
            if acct is not None and acct.has_token:
                self._soon.start(int(self.startup_delay() * 1000))
            if on_ready is not None:
                on_ready()

        self.ctx.run(run, done, self._storage_failed)

    def stop(self) -> None:
        """The window closes: stop the timers and cancel a run (it stops at its next step)."""
        self._stopped = True
        for t in (self._timer, self._retry, self._soon):
            t.stop()
        self._cancel_run()

    def _storage_failed(self, exc: BaseException) -> None:
        self._update(state=SyncState.ERROR, error=str(exc) or type(exc).__name__)

    # ----------------------------------------------------------------- triggers

    @Slot()
    def sync_now(self) -> None:
        """The 立即同步 button: runs at once, whatever the backoff says."""
        if not self._started or self._busy:
            return
        acct = self.account
        if acct is None or not acct.has_token:
            self._update(state=SyncState.NO_ACCOUNT if acct is None else SyncState.EXPIRED)
            self.sig_login_requested.emit()
            return
        self._retry.stop()
        self._run_sync()

    @Slot()
    def request_sync(self) -> None:
        """An automatic trigger (the timer): skipped while offline, backing off or already busy."""
        if self._retry.isActive():
            return
        self._auto()

    @Slot(object)
    def on_reachability_changed(self, reach: QNetworkInformation.Reachability) -> None:
        """QNetworkInformation says the network changed: probe the office soon if it came back."""
        from PySide6.QtNetwork import QNetworkInformation  # loaded already by whoever calls this

        before, self._reach = self._reach, reach
        self._offline = reach == QNetworkInformation.Reachability.Disconnected
        if self._offline:
            self._soon.stop()
            if not self._busy and self._started:
                self._update(state=SyncState.OFFLINE)
            return
        if before == reach or not self._started:
            return
        # Local/Site count too: the office server may be on a LAN without internet.
        self._retry.stop()
        self._soon.start(int(random.random() * self.online_jitter * 1000))

    @Slot()
    def _auto(self) -> None:
        if not self._started or self._busy or self._stopped:
            return
        if self._offline:
            self._update(state=SyncState.OFFLINE)
            return
        acct = self.account
        if acct is None or not acct.has_token or self._status.state is SyncState.EXPIRED:
            return  # the status bar already offers the login; retrying cannot help
        self._probe_then_sync(acct.server_url)

    def _probe_then_sync(self, server_url: str) -> None:
        self._busy = True

        def probe(_job: Job) -> str:
            return probe_server(server_url)

        def done(problem: str) -> None:
            self._busy = False
            if self._stopped:
                return
            if problem:
                self._failed_run(SyncOutcome(SyncState.UNREACHABLE, problem))
            else:
                self._run_sync()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._failed_run(SyncOutcome(SyncState.UNREACHABLE, str(exc)))

        self.ctx.tasks.run_in_pool(probe, done, failed)

    # ----------------------------------------------------------------- the run

    def _run_sync(self) -> None:
        ws, account = self._workspace, self._account
        if ws is None or not account:
            return
        self._busy = True
        abort = threading.Event()
        self._abort = abort
        slot, clock, emit = self._slot, self.ctx.clock, self._sig_worker_progress.emit

        def run(_job: Job) -> SyncReport:
            return run_once(ws, account, slot=slot, clock=clock, emit=emit, abort=abort)

        self._update(state=SyncState.SYNCING, stage="", done=0, total=0, error="", retry_at=None)
        self.ctx.tasks.run_in_pool(run, self._run_done, self._run_failed)

    @Slot(str, int, int)
    def _on_worker_progress(self, stage: str, done: int, total: int) -> None:
        if self._busy and not self._stopped:
            self._update(stage=stage, done=done, total=total)
            self.sig_progress.emit(done, total, stage)

    def cancel(self) -> None:
        """Stop the run at its next step (a chunk or a page: what arrived is kept)."""
        if self._abort is not None:
            self._abort.set()

    def _cancel_run(self) -> None:
        self.cancel()

    def _run_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._abort = None
        if isinstance(exc, SyncBusy):
            self._soon.start(BUSY_RETRY_MS)
            return
        self._failed_run(SyncOutcome(SyncState.ERROR, str(exc) or type(exc).__name__))

    def _run_done(self, report: SyncReport) -> None:
        self._busy = False
        self._abort = None
        outcome = outcome_of(report)
        from inspector_app.sync.status import report_changes  # loaded already: the run used it

        changes = report_changes(report)
        if report.changes_pulled or report.purged:
            # Checklists the office published arrive with a pull: the next visit can use them.
            self.ctx.run(lambda job: job.services.reload_forms())
        self.ctx.notify(changes)  # the pages reload what the pull touched; the waiting count follows
        if self._stopped:
            return
        if outcome.state is SyncState.OK:
            self._failures = 0
            self._update(state=SyncState.OK, last_success=self.ctx.clock(), error="", retry_at=None,
                         stage="", done=0, total=0)
            self.sig_finished.emit(outcome)
            self._refresh_accounts()
            return
        self._failed_run(outcome, retry_in=report.retry_in)

    def _failed_run(self, outcome: SyncOutcome, *, retry_in: float | None = None) -> None:
        """Show what went wrong in short words and, where waiting helps, retry after a backoff."""
        state = outcome.state
        if state is SyncState.UNREACHABLE and self._offline:
            state = SyncState.OFFLINE
        retry_at = None
        if state in (SyncState.UNREACHABLE, SyncState.OFFLINE, SyncState.ERROR):
            delay = retry_in if retry_in is not None else backoff_delay(self._failures)
            delay = max(MIN_RETRY_SECONDS, delay)
            self._failures += 1
            self._retry.start(int(delay * 1000))
            retry_at = self.ctx.clock() + timedelta(seconds=delay)
            outcome = replace(outcome, retry_in=delay)
        if state is SyncState.EXPIRED:
            self._refresh_accounts()
        self._update(state=state, error=outcome.error, retry_at=retry_at, stage="", done=0, total=0)
        self.sig_finished.emit(replace(outcome, state=state))

    # ----------------------------------------------------------------- the waiting count

    def _changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.outbox and self._started:
            self.refresh_waiting()

    def refresh_waiting(self) -> None:
        self.ctx.run(queue_counts, lambda n: self._update(waiting=n[0], stuck=n[1]), lambda _exc: None,
                     key="sync-waiting")

    # ----------------------------------------------------------------- status

    def _update(self, **fields: Any) -> None:
        self._status = replace(self._status, **fields)
        self.sig_state_changed.emit(self._status)
