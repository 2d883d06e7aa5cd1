"""Printing a visit's documents: built on the storage worker, opened with the system PDF viewer."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.domain.visit import VisitKind
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

TITLES = {"record": "现场检查记录", "notice": "整改通知书", "recheck": "整改复查意见书"}


def available() -> bool:
    """Whether this build can print: looked up, not imported (ReportLab takes a few hundred ms to
    import; that is paid by the first document printed, not by the first visit opened)."""
    try:
        return all(find_spec(name) is not None for name in ("reportlab", "inspector_app.reports.api"))
    except ImportError:
        return False


def build(job: Job, visit_id: str, kind: str) -> Path:
    from inspector_app.reports.api import Reporter

    services = job.services
    reporter = Reporter(services.workspace, services.forms)
    if kind == "notice" and services.visits.snapshot(visit_id).kind is VisitKind.RECHECK:
        kind = "recheck"
    target = services.workspace.root / "documents" / f"{TITLES[kind]}-{visit_id[:8]}.pdf"
    if kind == "record":
        reporter.record(visit_id, target)
    elif kind == "notice":
        reporter.notice(visit_id, target)
    else:
        reporter.recheck(visit_id, target)
    return target


def print_document(ctx: UiContext, visit_id: str, kind: str, parent: QWidget) -> None:
    ctx.sig_status.emit(tr("正在生成 {title}…").format(title=tr(TITLES.get(kind, kind))))

    def opened(path: Path) -> None:
        ctx.sig_status.emit(tr("已生成 {path}").format(path=path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def failed(exc: BaseException) -> None:
        QMessageBox.warning(parent, tr("无法生成文书"), str(exc))

    ctx.run(lambda job: build(job, visit_id, kind), opened, failed)
