"""Opening, creating and filling workspaces: storage jobs plus the dialogs around them.

Nothing here imports the service or storage layer at module level: the app shows its window first,
and the first storage job imports them (SQLAlchemy, Alembic …) on the storage worker.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from inspector_app.services.context import AppServices


@dataclass(frozen=True)
class OpenedWorkspace:
    root: Path
    enterprises: int
    form_problems: list[str]


@dataclass(frozen=True)
class FoundWorkspace:
    root: Path
    has_data: bool


def has_data(root: Path) -> bool:
    from inspector_app.store.workspace import DB_NAME

    db = root / DB_NAME
    return db.exists() and db.stat().st_size > 0


def is_workspace_error(exc: BaseException) -> bool:
    """A workspace that cannot be opened (damaged, too new), as opposed to a bug. Never imports the
    storage layer: when it is not loaded, the failure cannot have come from it."""
    module = sys.modules.get("inspector_app.store.workspace")
    error_type = getattr(module, "WorkspaceError", None)
    return isinstance(error_type, type) and isinstance(exc, error_type)


def find_job(explicit: str | None, last: str | None) -> Callable[[Job], FoundWorkspace]:
    """A storage job: the workspace to open at start (``--workspace``, the environment variable,
    the last one used, the default folder) and whether it holds data yet."""

    def run(_job: Job) -> FoundWorkspace:
        from inspector_app.store.workspace import ENV_VAR, default_workspace_dir

        if explicit or os.environ.get(ENV_VAR):
            root = default_workspace_dir(explicit)
        elif last:
            root = Path(last)
        else:
            root = default_workspace_dir()
        return FoundWorkspace(root, has_data(root))

    return run


def open_services(root: Path, account: str, *, create: bool, clock: Clock = system_clock) -> AppServices:
    from inspector_app.services.context import AppServices
    from inspector_app.ui.sync.accounts import use_account, working_account

    services = AppServices.open(root, create=create, clock=clock, account=account)
    # New work belongs to the inspector logged in on this laptop (the one last chosen, or the only one).
    use_account(services, working_account(services.workspace, account))
    return services


def open_job(
    root: Path, account: str, *, create: bool, clock: Clock = system_clock
) -> Callable[[Job], OpenedWorkspace]:
    """A storage job that opens ``root`` and hands it to the worker (WorkspaceError propagates)."""

    def run(job: Job) -> OpenedWorkspace:
        services = open_services(root, account, create=create, clock=clock)
        job.adopt(services)
        count = services.register.count()
        return OpenedWorkspace(services.workspace.root, count, [str(p) for p in services.forms.problems])

    return run


def demo_available() -> bool:
    """Whether this build ships the demo generator (looked up, not imported: it is heavy)."""
    try:
        return find_spec("inspector_app.demo.workspace") is not None
    except ModuleNotFoundError:
        return False


def demo_job(root: Path, account: str, clock: Clock = system_clock) -> Callable[[Job], OpenedWorkspace]:
    """Create the demo workspace, then open it. DemoService.create has no progress callback yet,
    so the bar is indeterminate and cancelling only takes effect before it starts."""

    def run(job: Job) -> OpenedWorkspace:
        demo = import_module("inspector_app.demo.workspace")
        job.report(0, 0, "正在生成演示工作区…")
        job.check()
        services = open_services(root, account, create=True, clock=clock)
        try:
            demo.DemoService(services.workspace, clock=clock, forms=services.forms).create()
        except BaseException:
            services.close()
            raise
        job.adopt(services)
        count = services.register.count()
        return OpenedWorkspace(services.workspace.root, count, [str(p) for p in services.forms.problems])

    return run
