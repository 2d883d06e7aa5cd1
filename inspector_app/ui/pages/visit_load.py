"""What opening a visit reads on the storage worker (the snapshot, the crew, signatures and
thumbnails), and ``warm``, which imports what a visit page needs before the first one opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING

from inspector_app.domain.clock import local_date
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.services.visit_views import VisitSnapshot


# What a visit needs beyond the page itself, heaviest first: the checklist engine and the service
# layer (already imported by the storage worker once a workspace is open), then the item widgets.
VISIT_MODULES = (
    "inspector_app.checklist",
    "inspector_app.services.visits",
    "inspector_app.ui.widgets.items",
    "inspector_app.ui.widgets.finding_editor",
    "inspector_app.ui.widgets.signature",
    "inspector_app.ui.pages.visit_rows",
    "inspector_app.ui.pages.visit_finish",
    "inspector_app.ui.pages.recheck_panel",
)


def warm() -> None:
    """Import what opening a visit needs, so the first one opens as fast as the next ones."""
    for name in VISIT_MODULES:
        import_module(name)
    from inspector_app.ui.widgets.camera import cameras_available

    cameras_available()


@dataclass
class VisitData:
    snapshot: VisitSnapshot
    crew: dict[str, str]  # badge → name
    signer_default: str
    signature_png: dict[str, bytes]
    requests: list[str]
    today: date
    printable: bool
    item_png: dict[str, bytes] = field(default_factory=dict)  # signature item key → its image
    thumbs: dict[str, bytes] = field(default_factory=dict)  # photo sha256 → thumbnail JPEG


def load_visit(job: Job, visit_id: str) -> VisitData:
    from inspector_app.store import attachments

    services = job.services
    snap = services.visits.snapshot(visit_id)
    crew = {i.badge: i.name for i in services.register.inspectors()}
    signer = services.visits.enterprise_signer(visit_id)
    def image(sha: str) -> bytes | None:
        path = attachments.path_for(services.workspace.attachments_dir, sha)
        return path.read_bytes() if path.exists() else None

    pngs: dict[str, bytes] = {}
    for sig in snap.signatures:
        png = image(sig.sha256) if sig.sha256 else None
        if png is not None:
            pngs[sig.role] = png
    item_png: dict[str, bytes] = {}
    photo_shas: list[str] = []
    for key, item in snap.form.items.items():
        sha = snap.answers.get(key)
        if item.type.value == "signature" and isinstance(sha, str):
            png = image(sha)
            if png is not None:
                item_png[key] = png
        elif item.type.value == "photos" and isinstance(sha, list):
            photo_shas += [str(x) for x in sha]
    requests = [f"【{r.category}】{r.description}"
                for r in services.requests.list(enterprise=snap.enterprise_code) if r.visit_id == visit_id]
    return VisitData(snap, crew, signer, pngs, requests, local_date(services.clock()), _reports_available(),
                     item_png, read_thumbnails(job, photo_shas))


def read_thumbnails(job: Job, shas: list[str]) -> dict[str, bytes]:
    from inspector_app.store import attachments

    out: dict[str, bytes] = {}
    root = job.services.workspace.thumbnails_dir
    for sha in shas:
        path = attachments.thumbnail_path(root, sha)
        if path.exists():
            out[sha] = path.read_bytes()
    return out


def _reports_available() -> bool:
    from inspector_app.ui import reports_bridge

    return reports_bridge.available()
