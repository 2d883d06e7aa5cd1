"""Opening, creating and filling workspaces: storage jobs plus the dialogs around them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.services.context import AppServices
from inspector_app.store.workspace import DB_NAME
from inspector_app.ui.taskman import Job


@dataclass(frozen=True)
class OpenedWorkspace:
    root: Path
    enterprises: int
    form_problems: list[str]


def has_data(root: Path) -> bool:
    db = root / DB_NAME
    return db.exists() and db.stat().st_size > 0


def open_services(root: Path, account: str, *, create: bool, clock: Clock = system_clock) -> AppServices:
    return AppServices.open(root, create=create, clock=clock, account=account)


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
    try:
        import_module("inspector_app.services.demo")
    except ModuleNotFoundError:
        return False
    return True


def demo_job(root: Path, account: str, clock: Clock = system_clock) -> Callable[[Job], OpenedWorkspace]:
    """Create the demo workspace, then open it. DemoService.create has no progress callback yet,
    so the bar is indeterminate and cancelling only takes effect before it starts."""

    def run(job: Job) -> OpenedWorkspace:
        demo = import_module("inspector_app.services.demo")
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
