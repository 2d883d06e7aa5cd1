"""What a sync run does off the GUI thread: one run of the engine under the process-wide lock,
its report read as an outcome, the counts of what waits, and checking a login with the server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from inspector_app.domain.clock import Clock
    from inspector_app.store.workspace import Workspace
    from inspector_app.sync.engine import SyncEngine
    from inspector_app.sync.report import SyncProgress, SyncReport
from inspector_app.ui.sync.states import LoginAnswer, SyncOutcome, SyncState

PROBE_TIMEOUT = 5.0
BUSY_RETRY_MS = 2000  # another run holds the lock (a window being replaced): try again after this
SYNC_LOCK = threading.Lock()


def queue_counts(job: Job) -> tuple[int, int]:
    """(waiting to be sent, stuck: quarantined or in conflict), on the storage worker."""
    from inspector_app.sync.status import record_states

    records = record_states(job.services.workspace)  # every account's, the sent ones left out
    stuck = sum(1 for r in records if r.state in ("quarantined", "conflict"))
    return job.services.visits.waiting_to_sync(), stuck


class SyncBusy(Exception):
    """Another run holds the sync lock (a window being replaced): try again shortly."""


class EngineSlot:
    """The engine of the current workspace and account, kept between runs (its failure count
    drives the backoff). Touched only by the run that holds the sync lock."""

    def __init__(self) -> None:
        self.engine: SyncEngine | None = None


def _is_network_error(message: str) -> bool:
    # The engine's report carries the message only; these are the client's NetworkError texts.
    return message.startswith(("无法连接", "服务器暂时不可用")) or "多次上传失败" in message


def run_once(
    ws: Workspace, account: str, *, slot: EngineSlot, clock: Clock,
    emit: Callable[[str, int, int], object], abort: threading.Event,
) -> SyncReport:
    """One run of the engine for ``account``, on the pool; SyncBusy when another run holds the
    lock. The slot's engine is kept while the workspace and the account stay the same."""
    from inspector_app.sync.engine import SyncEngine

    if not SYNC_LOCK.acquire(blocking=False):
        raise SyncBusy
    try:
        engine = slot.engine
        if engine is None or engine.account != account or engine.ws is not ws:
            engine = slot.engine = SyncEngine(ws, account, clock=clock)

        def progress(p: SyncProgress) -> None:
            emit(p.stage, p.done, p.total)

        return engine.sync_once(progress, abort)
    finally:
        SYNC_LOCK.release()


def probe_server(server_url: str) -> str:
    """Whether the office answers its health endpoint (on the pool): "" when it does, else why not.
    "Online" does not mean the office is reachable."""
    import httpx

    from inspector_app.wire import API_PREFIX

    try:
        resp = httpx.get(f"{server_url.rstrip('/')}{API_PREFIX}/health", timeout=PROBE_TIMEOUT)
    except httpx.HTTPError as exc:
        return f"无法连接办公室服务器 {server_url}（{type(exc).__name__}）"
    return "" if resp.status_code == 200 else f"服务器暂时不可用（{resp.status_code}）"


def outcome_of(report: SyncReport) -> SyncOutcome:
    """The state a run's report amounts to, with its figures."""
    if report.aborted:
        state = SyncState.CANCELLED
    elif report.needs_login:
        state = SyncState.EXPIRED
    elif report.error:
        state = SyncState.UNREACHABLE if _is_network_error(report.error) else SyncState.ERROR
    else:
        state = SyncState.OK
    return SyncOutcome(state, report.error, report.pushed, report.sent, report.changes_pulled,
                       report.conflicts, report.quarantined, report.still_open, report.retry_in)


def check_login(ws: Workspace, server_url: str, username: str, password: str) -> LoginAnswer:
    """Log in with the server (on the pool): the account kept on this laptop, or why not."""
    from inspector_app.sync.accounts import login
    from inspector_app.sync.client import AuthExpired, NetworkError, SyncError

    try:
        acct = login(ws, server_url, username, password)
    except AuthExpired as exc:
        return LoginAnswer(False, str(exc) or "用户名或密码错误")
    except NetworkError as exc:
        return LoginAnswer(False, str(exc))
    except SyncError as exc:
        return LoginAnswer(False, f"服务器拒绝登录：{exc}")
    return LoginAnswer(True, "", acct.username, acct.display_name, acct.token_store)
