"""Who syncs: the accounts known on this laptop, logging in with the office server, and choosing
which inspector is working (the sync controller's part that deals with accounts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, SignalInstance

from inspector_app.ui.context import UiContext
from inspector_app.ui.sync.run import BUSY_RETRY_MS, EngineSlot, check_login
from inspector_app.ui.sync.states import LoginAnswer, SyncState
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from inspector_app.store.workspace import Workspace
    from inspector_app.sync.accounts import AccountInfo

SETTINGS_SERVER = "sync/server_url"
SETTINGS_ACCOUNT = "account"  # what UiContext reads: the inspector last chosen on this laptop


class SyncAccounts:
    """Mixed into ``SyncController``, which holds the state named here and runs the syncs."""

    ctx: UiContext
    sig_accounts_changed: SignalInstance
    _workspace: Workspace | None
    _slot: EngineSlot
    _accounts: list[AccountInfo]
    _account: str
    _failures: int
    _busy: bool
    _offline: bool
    _retry: QTimer
    _soon: QTimer

    if TYPE_CHECKING:  # defined by SyncController
        def _cancel_run(self) -> None: ...
        def _run_sync(self) -> None: ...
        def _storage_failed(self, exc: BaseException) -> None: ...
        def _update(self, **fields: Any) -> None: ...

    @property
    def account(self) -> AccountInfo | None:
        return next((a for a in self._accounts if a.username == self._account), None)

    @property
    def accounts(self) -> list[AccountInfo]:
        return list(self._accounts)

    def server_url(self) -> str:
        acct = self.account
        if acct is not None:
            return acct.server_url
        return str(self.ctx.settings.value(SETTINGS_SERVER, "") or "")

    def login(self, server_url: str, username: str, password: str,
              on_result: Callable[[LoginAnswer], None]) -> None:
        """Check the password with the server (on the pool); on success this inspector is working."""
        ws = self._workspace
        if ws is None:
            # Just opened: ``start`` is still queued on the storage worker. Ask again behind it.
            self.ctx.run(lambda job: job.services.workspace,
                         lambda _ws: self._login_ready(server_url, username, password, on_result),
                         lambda exc: on_result(LoginAnswer(False, str(exc) or type(exc).__name__)))
            return
        self._login_ready(server_url, username, password, on_result)

    def _login_ready(self, server_url: str, username: str, password: str,
                     on_result: Callable[[LoginAnswer], None]) -> None:
        ws = self._workspace
        if ws is None:
            on_result(LoginAnswer(False, "没有打开的工作区"))
            return

        def run(_job: Job) -> LoginAnswer:
            return check_login(ws, server_url, username, password)

        def done(answer: LoginAnswer) -> None:
            if answer.ok:
                self.ctx.remember(SETTINGS_SERVER, server_url)
                self._failures = 0
                self._retry.stop()
                self._choose(answer.username, then_sync=True)
            on_result(answer)

        def failed(exc: BaseException) -> None:
            on_result(LoginAnswer(False, str(exc) or type(exc).__name__))

        self.ctx.tasks.run_in_pool(run, done, failed)

    def switch_account(self, username: str) -> None:
        """Choose who is working on this laptop (their token is already kept: no password)."""
        if username != self._account:
            self._choose(username, then_sync=True)

    def _choose(self, username: str, *, then_sync: bool) -> None:
        self.ctx.account = username
        self.ctx.remember(SETTINGS_ACCOUNT, username)
        self._cancel_run()
        self._slot = EngineSlot()

        def run(job: Job) -> list[AccountInfo]:
            from inspector_app.ui.sync.accounts import known_accounts, use_account

            use_account(job.services, username)
            return known_accounts(job.services.workspace)

        def done(accounts: list[AccountInfo]) -> None:
            self._set_accounts(accounts, username)
            acct = self.account
            self._update(account=acct, state=self._idle_state(), error="", retry_at=None,
                         last_success=acct.last_pull_at if acct is not None else None)
            if then_sync:
                if self._busy:
                    self._soon.start(BUSY_RETRY_MS)
                else:
                    self._run_sync()

        self.ctx.run(run, done, self._storage_failed)

    def _refresh_accounts(self) -> None:
        def done(accounts: list[AccountInfo]) -> None:
            self._set_accounts(accounts, self._account)
            self._update(account=self.account)

        def run(job: Job) -> list[AccountInfo]:
            from inspector_app.ui.sync.accounts import known_accounts

            return known_accounts(job.services.workspace)

        self.ctx.run(run, done, lambda _exc: None, key="sync-accounts")

    def _set_accounts(self, accounts: list[AccountInfo], current: str) -> None:
        self._accounts = accounts
        self._account = current
        self.sig_accounts_changed.emit(list(accounts))

    def _idle_state(self) -> SyncState:
        acct = self.account
        if acct is None:
            return SyncState.NO_ACCOUNT
        if not acct.has_token:
            return SyncState.EXPIRED
        if self._offline:
            return SyncState.OFFLINE
        return SyncState.OK if acct.last_pull_at is not None else SyncState.IDLE
