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
        forms = FormLibrary.load(forms_dir or default_forms_dir())
        if ws.forms_dir.is_dir():
            # A damaged download must not stop the app: its problems are listed, the rest load.
            forms = forms.overlaid(FormLibrary.load(ws.forms_dir, strict=False))
        return cls(
            workspace=ws,
            forms=forms,
            visits=VisitService(ws, forms, clock=clock, account=account),
            worklist=WorklistService(ws, clock=clock),
            requests=RequestService(ws, clock=clock, account=account),
            register=RegisterService(ws, clock=clock, account=account),
            clock=clock,
        )

    def close(self) -> None:
        self.workspace.close()
