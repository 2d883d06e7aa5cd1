"""打印…: a document made is saved as a PDF and shown in Qt's print preview, which draws the saved
file's pages (QtPdf) and prints them through the system's printers; here it prints to a PDF file,
the way a "print to file" printer would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

from inspector_app.ui import reports_bridge
from inspector_app.ui.main_window import NAV_PAGES
from tests.support.gui import TEAM, Harness


def shown_preview(window: Any) -> Any:
    shown = [d for d in window.findChildren(QPrintPreviewDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_a_report_made_opens_the_print_preview_and_prints_every_page(
    qtbot: Any, harness: Harness, tmp_path: Path
) -> None:
    assert reports_bridge.can_preview()  # QtPdf and QtPrintSupport are part of the app
    window: Any = harness.window
    page = window.reports
    window.nav.setCurrentRow(NAV_PAGES.index("reports"))
    qtbot.waitUntil(lambda: page.scope.count() > 1, timeout=10_000)
    page.scope.setCurrentIndex(page.scope.findData(f"team:{TEAM}"))
    with qtbot.waitSignal(page.sig_generated, timeout=30_000) as made:
        page.summary_button.click()
    saved: Path = made.args[0]
    assert saved.is_file() and saved.parent == harness.root / "documents"  # saved as before
    pages = len(PdfReader(saved).pages)

    # the pages are rendered off the GUI thread first; the preview opens with them
    qtbot.waitUntil(lambda: shown_preview(window) is not None, timeout=30_000)
    dialog = shown_preview(window)
    assert saved.name in dialog.windowTitle()
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == pages, timeout=10_000)

    printer = dialog.printer()
    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    preview.print_()
    printed = PdfReader(out)
    assert len(printed.pages) == pages
    # the paper is the document's own (A4, 595 × 842 pt, give or take a point)
    box = printed.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3
    # Ctrl+P: the system's print dialog (its printers), from the keyboard
    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtTest import QTest

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    QTest.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in dialog.findChildren(QPrintDialog)), timeout=5000)
    for system in dialog.findChildren(QPrintDialog):
        system.reject()
    dialog.reject()

    # 打印… on the list prints a document made again
    page.made.setCurrentRow(0)
    page.print_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QPrintPreviewDialog)),
                    timeout=10_000)
    for d in window.findChildren(QPrintPreviewDialog):
        d.reject()


def test_the_days_batch_prints_the_same_way(qtbot: Any, harness: Harness) -> None:
    from tests.inspection.test_recheck_and_pages import completed_visit_with_finding

    window: Any = harness.window
    code = harness.codes[0]
    done: list[Any] = []
    window.ctx.op(lambda job: completed_visit_with_finding(job, code), done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert isinstance(done[0], str), done[0]
    page = window.reports

    def issuing_authority(job: Any) -> None:  # the official records need it (as the office sets it)
        from inspector_app.services import settings
        from tests.documents.test_documents import CODES_BY_KIND

        with job.services.workspace.session() as s:
            settings.save(s, settings.DocumentSettings(
                "宝龙街道办事处", None, "龙宝", dict(CODES_BY_KIND),
                "《深圳市龙岗区人民政府关于街道综合行政执法的授权决定》", "深圳市龙岗区人民政府",
                "深圳市龙岗区人民法院"))

    saved_settings: list[Any] = []
    window.ctx.op(issuing_authority, saved_settings.append, saved_settings.append)
    qtbot.waitUntil(lambda: bool(saved_settings), timeout=10_000)
    window.nav.setCurrentRow(NAV_PAGES.index("reports"))
    qtbot.waitUntil(lambda: page.scope.count() > 1, timeout=10_000)
    failed: list[str] = []
    window.ctx.sig_status.connect(failed.append)
    with qtbot.waitSignal(page.sig_generated, timeout=60_000, raising=False) as made:
        page.batch_button.click()  # today: the visit just completed
    assert made.signal_triggered, failed  # a failure is shown, never a blocking box
    saved: Path = made.args[0]
    pages = len(PdfReader(saved).pages)
    qtbot.waitUntil(lambda: shown_preview(window) is not None, timeout=30_000)
    dialog = shown_preview(window)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == pages, timeout=10_000)
    dialog.reject()


def test_the_preview_pages_are_rendered_off_the_gui_thread_with_progress(
    qtbot: Any, harness: Harness, tmp_path: Path
) -> None:
    """A long document does not freeze the window: its pages are rendered on a pool thread, a
    progress box counts them, and the preview then only draws the finished pages."""
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "长文书.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    for n in range(12):
        canvas.drawString(72, 760, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    threads: list[int] = []
    original = reports_bridge.PageRenderer._run

    def spied(self: Any) -> None:  # the real renderer, noting the thread it ran on
        threads.append(threading.get_ident())
        original(self)

    reports_bridge.PageRenderer._run = spied  # type: ignore[method-assign]
    window: Any = harness.window
    steps: list[tuple[int, int]] = []
    try:
        dialog = reports_bridge.preview_pdf(pdf, window, "长文书")
        assert dialog is not None and not dialog.isVisible()  # not before its pages are ready
        renderer = dialog.findChild(reports_bridge.PageRenderer)
        progress = window.findChild(QProgressDialog, "previewProgress")
        assert progress is not None and progress.isVisible() and progress.maximum() == 12
        labels: list[str] = []
        renderer.sig_progress.connect(lambda done, total: (steps.append((done, total)),
                                                           labels.append(progress.labelText())),
                                      Qt.ConnectionType.QueuedConnection)
        qtbot.waitUntil(dialog.isVisible, timeout=30_000)
    finally:
        reports_bridge.PageRenderer._run = original  # type: ignore[method-assign]
    assert threads and threads[0] != threading.get_ident()  # not the GUI thread
    assert steps and steps[-1] == (12, 12)
    # The box counts the pages as they come, on the GUI thread and in order (both slots queued).
    pattern = re.compile(r"正在准备打印预览… 第 (\d+) / 12 页")
    counted = [int(m[1]) for label in labels if (m := pattern.fullmatch(label))]
    assert counted == list(range(1, 13))
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == 12, timeout=10_000)
    printer = dialog.printer()  # printing renders at the printer's resolution, every page
    out = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    preview.print_()
    assert len(PdfReader(out).pages) == 12
    dialog.reject()
    QApplication.processEvents()


def test_cancelling_the_preview_progress_opens_no_preview(
    qtbot: Any, harness: Harness, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QProgressDialog, QPushButton
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "doc.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    for _ in range(100):
        canvas.showPage()
    canvas.save()
    window: Any = harness.window
    dialog = reports_bridge.preview_pdf(pdf, window)
    assert dialog is not None
    renderer = dialog.findChild(reports_bridge.PageRenderer)
    progress = window.findChild(QProgressDialog, "previewProgress")
    (cancel,) = progress.findChildren(QPushButton)
    assert cancel.text() == "取消"
    with qtbot.waitSignal(renderer.sig_done, timeout=30_000) as finished:
        QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert finished.args[0] is None  # stopped long before the 100th page …
    qtbot.wait(50)
    assert shown_preview(window) is None  # … and no preview opens
