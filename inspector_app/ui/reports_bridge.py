"""Printing documents: built on the storage worker and saved as a PDF, then shown in Qt's print
preview, whose 打印 button opens the system's print dialog (its printers, copies, pages).

The preview draws the saved PDF itself (QtPdf renders each page), so what is printed is exactly the
file that was saved. QtPdf and QtPrintSupport are imported when the first document is printed, not
at start-up. Without QtPdf (a build that left it out) the PDF opens in the system viewer instead.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from inspector_app.domain.visit import VisitKind
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

TITLES = {"record": "现场检查记录", "notice": "整改通知书", "recheck": "整改复查意见书"}

# Pages are rendered at the printer's resolution up to this (an A4 page at 300 dpi is 35 MB; at a
# printer's 1200 dpi it would be 550 MB): sharp on paper, bounded in memory.
MAX_RENDER_DPI = 300


def available() -> bool:
    """Whether this build can print: looked up, not imported (ReportLab takes a few hundred ms to
    import; that is paid by the first document printed, not by the first visit opened)."""
    try:
        return all(find_spec(name) is not None for name in ("reportlab", "inspector_app.reports.api"))
    except ImportError:
        return False


def can_preview() -> bool:
    """Whether Qt's print preview can show a PDF here (QtPdf and QtPrintSupport are present)."""
    try:
        return all(find_spec(name) is not None for name in ("PySide6.QtPdf", "PySide6.QtPrintSupport"))
    except ImportError:
        return False


def build(job: Job, visit_id: str, kind: str) -> Path:
    from inspector_app.services.report_data import Reporter

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


def open_in_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def render_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint every page of ``document`` on ``printer``, each scaled to fit its paper; the count."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter

    painter = QPainter()
    if not painter.begin(printer):
        return 0
    dpi = min(printer.resolution(), MAX_RENDER_DPI)
    pages = document.pageCount()
    try:
        for n in range(pages):
            if n:
                printer.newPage()
            size = document.pagePointSize(n)  # in points (1/72 inch)
            if size.width() <= 0 or size.height() <= 0:
                continue
            area = painter.viewport()
            scale = min(area.width() / size.width(), area.height() / size.height())
            width, height = size.width() * scale, size.height() * scale
            image = document.render(n, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)))
            painter.drawImage(QRectF(area.x() + (area.width() - width) / 2,
                                     area.y() + (area.height() - height) / 2, width, height), image)
    finally:
        painter.end()
    return pages


def preview_pdf(path: Path, parent: QWidget, title: str = "") -> QPrintPreviewDialog | None:
    """Qt's print preview of the PDF at ``path`` (its 打印 button opens the system's print dialog).

    Returns the dialog (open, not modal), or None when the PDF was opened in the system viewer
    instead (no QtPdf in this build, or a file QtPdf cannot read).
    """
    if not can_preview():
        open_in_viewer(path)
        return None
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    document = QPdfDocument(parent)
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
        document.deleteLater()
        open_in_viewer(path)
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    first = document.pagePointSize(0)
    # The paper of the document (A4 for every official paper), its orientation, no extra margins:
    # the PDF's own margins are the document's.
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if first.width() > first.height()
                               else QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(tr("打印预览 — {name}").format(name=title or path.name))
    dialog.paintRequested.connect(lambda target: render_pages(document, target))
    dialog.resize(960, 640)  # within a 1280×720 laptop screen
    dialog.setProperty("pdf_path", str(path))
    dialog.finished.connect(dialog.deleteLater)
    dialog.finished.connect(document.deleteLater)
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own its printer
    _keyboard_print(dialog, printer)
    dialog.open()
    return dialog


def _keyboard_print(dialog: QPrintPreviewDialog, printer: QPrinter) -> None:
    """Ctrl+P in the preview: the system's print dialog, then print (the toolbar's 打印 is not on
    the Tab chain, so without this the keyboard could not print)."""
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewWidget

    def ask() -> None:
        system = QPrintDialog(printer, dialog)
        system.setWindowTitle(tr("打印"))
        preview = dialog.findChild(QPrintPreviewWidget)

        def accepted() -> None:
            if preview is not None:
                preview.print_()
            dialog.accept()

        system.accepted.connect(accepted)
        system.finished.connect(system.deleteLater)
        QDialog.open(system)  # QPrintDialog.open() wants a receiver: the plain window-modal open

    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), dialog)
    shortcut.activated.connect(ask)


def print_document(ctx: UiContext, visit_id: str, kind: str, parent: QWidget) -> None:
    """Build the visit's document (saved under documents/), then show it in the print preview."""
    title = tr(TITLES.get(kind, kind))
    ctx.sig_status.emit(tr("正在生成 {title}…").format(title=title))

    def opened(path: Path) -> None:
        ctx.sig_status.emit(tr("已生成 {path}").format(path=path))
        preview_pdf(path, parent, title)

    def failed(exc: BaseException) -> None:
        # open(), not the blocking warning(): the window stays live (and a test fails, not hangs)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("无法生成文书"), str(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.button(QMessageBox.StandardButton.Ok).setText(tr("确定"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("documentError")
        box.open()
        ctx.sig_status.emit(f"{tr('无法生成文书')}：{exc}")

    ctx.run(lambda job: build(job, visit_id, kind), opened, failed)
