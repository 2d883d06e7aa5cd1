"""Printing documents: built on the storage worker and saved as a PDF, then shown in Qt's print
preview, whose 打印 button opens the system's print dialog (its printers, copies, pages).

The preview draws the saved PDF itself (QtPdf renders each page, on a pool thread with a progress
box, before the preview opens), so what is printed is exactly the file that was saved. QtPdf and
QtPrintSupport are imported when the first document is printed, not at start-up. Without QtPdf
(a build that left it out) the PDF opens in the system viewer instead.
"""

from __future__ import annotations

import math
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPaintEngine
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from inspector_app.services.documents import VISIT_DOCUMENT_TITLES, PrintedDocument
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QProgressDialog

# Pages are rendered at the printer's resolution up to this (an A4 page at 300 dpi is 35 MB; at a
# printer's 1200 dpi it would be 550 MB): sharp on paper, bounded in memory.
MAX_RENDER_DPI = 300
# The preview's pages are rendered ahead, off the GUI thread, and held while it is open: at 150 dpi
# an A4 page is 8.7 MB; a long batch gets fewer dots so that all of it stays within the budget.
PREVIEW_DPI = 150
MIN_PREVIEW_DPI = 50
PREVIEW_BUDGET = 256 * 1024 * 1024
A4_BYTES_PER_DPI2 = 8.27 * 11.69 * 4


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


def build(job: Job, visit_id: str, kind: str) -> PrintedDocument:
    from inspector_app.services.report_data import Reporter

    return Reporter(job.services.workspace, job.services.forms).visit_document(visit_id, kind)


def open_in_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def render_pages(document: QPdfDocument, printer: QPrinter, pages: list[QImage] | None = None) -> int:
    """Paint every page of ``document`` on ``printer``, each scaled to fit its paper; the count.
    ``pages``: the pages already rendered (the preview's, made off the GUI thread) to draw as they
    are; without them each page is rendered here at the printer's resolution (printing)."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter

    painter = QPainter()
    if not painter.begin(printer):
        return 0
    dpi = min(printer.resolution(), MAX_RENDER_DPI)
    count = len(pages) if pages is not None else document.pageCount()
    try:
        for n in range(count):
            if n:
                printer.newPage()
            size = document.pagePointSize(n)  # in points (1/72 inch)
            if size.width() <= 0 or size.height() <= 0:
                continue
            area = painter.viewport()
            scale = min(area.width() / size.width(), area.height() / size.height())
            width, height = size.width() * scale, size.height() * scale
            image = pages[n] if pages is not None else document.render(
                n, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)))
            painter.drawImage(QRectF(area.x() + (area.width() - width) / 2,
                                     area.y() + (area.height() - height) / 2, width, height), image)
    finally:
        painter.end()
    return count


def preview_dpi(pages: int) -> int:
    """The preview's resolution: PREVIEW_DPI, lower for a long batch so that all its pages held at
    once stay within PREVIEW_BUDGET bytes (an A4 page is 387 × dpi² bytes)."""
    fits = math.sqrt(PREVIEW_BUDGET / (A4_BYTES_PER_DPI2 * max(1, pages)))
    return max(MIN_PREVIEW_DPI, min(PREVIEW_DPI, int(fits)))


class PageRenderer(QObject):
    """Renders a PDF's pages for the preview on a pool thread (its own QPdfDocument there), page by
    page with progress; the GUI thread only draws the finished images."""

    sig_progress = Signal(int, int)  # pages rendered, pages in all
    sig_done = Signal(object)  # list[QImage], or None when the file could not be read or was cancelled

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.cancelled = threading.Event()

    def start(self) -> None:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        self.cancelled.set()

    def _run(self) -> None:  # on a pool thread
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument()
        images: list[QImage] | None = []
        try:
            if document.load(str(self.path)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
                images = None
            else:
                total = document.pageCount()
                dpi = preview_dpi(total)
                for n in range(total):
                    if self.cancelled.is_set():
                        images = None
                        break
                    size = document.pagePointSize(n)
                    assert images is not None
                    images.append(document.render(n, QSize(max(1, round(size.width() / 72 * dpi)),
                                                           max(1, round(size.height() / 72 * dpi)))))
                    self.sig_progress.emit(n + 1, total)
        finally:
            document.close()
        self.sig_done.emit(images)


def _progress_box(parent: QWidget, pages: int) -> QProgressDialog:
    from PySide6.QtWidgets import QProgressDialog

    progress = QProgressDialog(tr("正在准备打印预览…"), tr("取消"), 0, pages, parent)
    progress.setObjectName("previewProgress")
    progress.setWindowTitle(tr("打印预览"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    return progress


def _printer_for(document: QPdfDocument, path: Path) -> QPrinter:
    """The paper of the document (A4 for every official paper), its orientation, no extra
    margins: the PDF's own margins are the document's."""
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    first = document.pagePointSize(0)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if first.width() > first.height()
                               else QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    return printer


def preview_pdf(path: Path, parent: QWidget, title: str = "") -> QPrintPreviewDialog | None:
    """Qt's print preview of the PDF at ``path`` (its 打印 button opens the system's print dialog).

    The pages are rendered off the GUI thread first, with a progress box (取消 stops it); the
    preview opens once they are ready and draws them. Returns the preview dialog (opened when
    ready, not modal), or None when the PDF was opened in the system viewer instead (no QtPdf in
    this build, or a file QtPdf cannot read).
    """
    if not can_preview():
        open_in_viewer(path)
        return None
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    document = QPdfDocument(parent)  # the GUI thread's copy: page sizes, and printing
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() == 0:
        document.deleteLater()
        open_in_viewer(path)
        return None
    printer = _printer_for(document, path)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(tr("打印预览 — {name}").format(name=title or path.name))
    dialog.resize(960, 640)  # within a 1280×720 laptop screen
    dialog.setProperty("pdf_path", str(path))
    dialog.finished.connect(dialog.deleteLater)
    dialog.finished.connect(document.deleteLater)
    dialog.finished.connect(lambda _result: _give_back_the_keys(parent))
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own its printer
    rendered: list[QImage] = []

    def paint(target: QPrinter) -> None:
        # The preview draws the pages rendered off the GUI thread; printing renders each page at
        # the printer's resolution (bounded by MAX_RENDER_DPI), as it goes to the printer.
        engine = target.paintEngine()
        preview = engine is not None and engine.type() is QPaintEngine.Type.Picture
        render_pages(document, target, rendered if preview and rendered else None)

    dialog.paintRequested.connect(paint)
    _keyboard_print(dialog, printer)

    progress = _progress_box(parent, document.pageCount())
    renderer = PageRenderer(path, dialog)

    def step(done: int, pages: int) -> None:
        # The label first: setValue() of a modal progress box runs the event loop.
        progress.setLabelText(tr("正在准备打印预览… 第 {n} / {m} 页").format(n=done, m=pages))
        progress.setValue(done)

    def ready(images: object) -> None:
        progress.close()
        progress.deleteLater()
        if not isinstance(images, list):  # cancelled (or unreadable there): no preview
            dialog.deleteLater()
            document.deleteLater()
            return
        rendered.extend(images)
        dialog.open()

    # Emitted on the pool thread: queued, so the progress box and the preview are touched on the
    # GUI thread only, in the order the pages were rendered.
    renderer.sig_progress.connect(step, Qt.ConnectionType.QueuedConnection)
    renderer.sig_done.connect(ready, Qt.ConnectionType.QueuedConnection)
    progress.canceled.connect(renderer.cancel)
    progress.show()
    renderer.start()
    return dialog


def _give_back_the_keys(parent: QWidget) -> None:
    """Closed preview: the window that asked for it takes the keyboard back, on the button that
    opened it (without a window manager, or with a strict one, the focus would be nowhere)."""
    had = parent.focusWidget()
    window = parent.window()
    window.activateWindow()
    if had is not None:
        had.setFocus(Qt.FocusReason.OtherFocusReason)


def _keyboard_print(dialog: QPrintPreviewDialog, printer: QPrinter) -> None:
    """Ctrl+P in the preview: the system's print dialog, then print (the toolbar's 打印 is not on
    the Tab chain, so without this the keyboard could not print)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewWidget

    from inspector_app.ui import shortcuts

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

    shortcuts.shortcut("preview_print", dialog).activated.connect(ask)


def print_document(ctx: UiContext, visit_id: str, kind: str, parent: QWidget) -> None:
    """Build the visit's document (saved under documents/), then show it in the print preview."""
    ctx.sig_status.emit(tr("正在生成 {title}…").format(title=tr(VISIT_DOCUMENT_TITLES[kind])))

    def opened(printed: PrintedDocument) -> None:
        ctx.sig_status.emit(tr("已生成 {path}").format(path=printed.path))
        preview_pdf(printed.path, parent, tr(printed.title))

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
