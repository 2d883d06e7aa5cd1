"""One open workspace with its use cases: what the GUI's storage worker and the CLI hold."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.domain.clock import Clock, system_clock
from inspector_app.services.register import RegisterService
from inspector_app.services.requests import RequestService
from inspector_app.services.visits import VisitService
from inspector_app.services.worklist import WorklistService
from inspector_app.store.workspace import Workspace


@dataclass
class AppServices:
    workspace: Workspace
    forms: FormLibrary
    visits: VisitService
    worklist: WorklistService
    requests: RequestService
    register: RegisterService
    clock: Clock
    shipped_forms_dir: Path

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str],
        *,
        forms_dir: Path | None = None,
        clock: Clock = system_clock,
        account: str = "",
        create: bool = True,
    ) -> AppServices:
        ws = Workspace.open(root, create=create)
        shipped = forms_dir or default_forms_dir()
        forms = _load_forms(ws, shipped)
        return cls(
            workspace=ws,
            forms=forms,
            visits=VisitService(ws, forms, clock=clock, account=account),
            worklist=WorklistService(ws, clock=clock),
            requests=RequestService(ws, clock=clock, account=account),
            register=RegisterService(ws, clock=clock, account=account),
            clock=clock,
            shipped_forms_dir=shipped,
        )

    def reload_forms(self) -> FormLibrary:
        """Take in checklists a sync has just received, so a newly published version is used
        from the next visit on without restarting (visits keep the version they started with)."""
        self.forms = _load_forms(self.workspace, self.shipped_forms_dir)
        self.visits.forms = self.forms
        return self.forms

    def close(self) -> None:
        self.workspace.close()


def _load_forms(ws: Workspace, shipped: Path) -> FormLibrary:
    forms = FormLibrary.load(shipped)
    if ws.forms_dir.is_dir():
        # A damaged download must not stop the app: its problems are listed, the rest load.
        forms = forms.overlaid(FormLibrary.load(ws.forms_dir, strict=False))
    return forms
