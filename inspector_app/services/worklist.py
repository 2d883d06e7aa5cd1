"""今日任务 and 隐患整改: what is due today and which findings are still open."""

from __future__ import annotations

from datetime import date

from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.store import worklist
from inspector_app.store.workspace import Workspace

WorkItem = worklist.WorkItem
OpenFinding = worklist.OpenFinding


class WorklistService:
    def __init__(self, workspace: Workspace, *, clock: Clock = system_clock) -> None:
        self.ws = workspace
        self.clock = clock

    def today(self) -> date:
        return local_date(self.clock())

    def due(
        self, *, team: str | None = None, grid: str | None = None, category: str | None = None
    ) -> list[WorkItem]:
        with self.ws.session() as s:
            return worklist.due_work(s, self.today(), team=team, grid=grid, category=category)

    def open_findings(
        self, *, grid: str | None = None, severity: str | None = None, enterprise: str | None = None
    ) -> list[OpenFinding]:
        with self.ws.session() as s:
            return worklist.open_findings(s, grid=grid, severity=severity, enterprise=enterprise)
