"""Screenshots of every screen, in Chinese, from the demo workspace: ``docs/screenshots/*.png``.

Every shot is the whole 1366×768 laptop screen the app is made for: a dialog is shown over the
window, where it opens. Run from the repository root (offscreen, with the shipped font):

    QT_QPA_PLATFORM=offscreen .venv/bin/docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.demo.workspace import DemoService
from inspector_app.services.context import AppServices
from inspector_app.ui.main_window import NAV_PAGES

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)  # the laptop screen the app is made for (issue 10)


def wait(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        QApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("screen did not load")
        time.sleep(0.01)
    for _ in range(20):  # let layouts and repaints settle
        QApplication.processEvents()


def shot(widget: QWidget, name: str, over: QWidget | None = None) -> None:
    """``widget`` as the user sees it: a dialog is drawn over ``over`` (the window) where it opens,
    centred on it as a window manager would place it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    wait(lambda: True)
    path = OUT / f"{name}.png"
    if over is None:
        image = widget.grab()
    else:
        image = over.grab()
        top = widget.grab()
        painter = QPainter(image)
        where = QPoint((image.width() - top.width()) // 2, (image.height() - top.height()) // 2)
        painter.drawPixmap(where, top)
        painter.setPen(QColor("#57606a"))
        painter.drawRect(where.x(), where.y(), top.width() - 1, top.height() - 1)
        painter.end()
    image.save(str(path))
    print("wrote", path.relative_to(ROOT), f"{image.width()}×{image.height()}")


def run_job(window: Any, fn: Callable[[Any], Any]) -> Any:
    out: list[Any] = []
    window.ctx.op(fn, out.append, out.append)
    wait(lambda: bool(out))
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def main() -> int:  # noqa: PLR0915  (one screen after another, in the order of the docs)
    tmp = Path(tempfile.mkdtemp(prefix="inspector-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    ws = tmp / "demo"
    services = AppServices.open(ws)
    DemoService(services.workspace, forms=services.forms).create()
    services.close()
    OUT.mkdir(parents=True, exist_ok=True)

    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.start_dialog import StartDialog
    from inspector_app.ui.style import STYLESHEET
    from inspector_app.ui.sync.status_widget import SyncStatusWidget

    qapp = make_application(sys.argv[:1])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    lang = os.environ.get("SHOT_LANG", "zh")
    args = type("Args", (), {"lang": lang, "workspace": str(ws)})()
    app = Application(args, qapp)  # type: ignore[arg-type]
    window: Any = app.build_window()
    window.resize(*SIZE)
    window.show()
    window.start_background()  # what the app does after its first frame: the sync status and more
    wait(lambda: window.statusBar().findChild(SyncStatusWidget) is not None)
    suffix = "" if lang == "zh" else f"-{lang}"

    start = StartDialog(tmp / "workspace", True, window)
    start.show()
    shot(start, f"00-start-dialog{suffix}", over=window)
    start.close()

    opened: list[Any] = []
    window.sig_workspace_opened.connect(opened.append)
    window.open_workspace(ws)
    wait(lambda: bool(opened))
    wl = window.worklist
    wait(lambda: wl.model.rowCount() > 0)
    shot(window, f"01-worklist{suffix}")  # visits in progress (进行中) first
    if lang != "zh":
        app.shutdown()
        return 0
    window.show_shortcuts()
    from inspector_app.ui.shortcuts import ShortcutsDialog

    help_dialog = window.findChild(ShortcutsDialog)
    shot(help_dialog, "17-shortcuts-help", over=window)
    help_dialog.close()
    for ch in "宝龙":
        wl.search.insert(ch)
    wait(lambda: wl.count_label.text().startswith("显示") and wl.state().query == "宝龙")
    shot(window, "02-worklist-search")
    wl.search.clear()

    window.nav.setCurrentRow(1)
    wait(lambda: window.register.model.rowCount() > 0)
    shot(window, "03-register")

    code = wl.model.row(0).credit_code
    # an enterprise with history: the first one with open findings, else the first due
    for i in range(wl.model.rowCount()):
        if wl.model.row(i).open_findings:
            code = wl.model.row(i).credit_code
            break
    loaded: list[bool] = []
    window.enterprise.sig_loaded.connect(lambda: loaded.append(True))
    window.show_enterprise(code)
    wait(lambda: bool(loaded))
    shot(window, "04-enterprise")
    window.enterprise.tabs.setCurrentIndex(1)
    shot(window, "05-enterprise-visits")

    # a fresh visit with the epidemic form on an enterprise it applies to
    target = run_job(window, lambda job: next(
        (r.credit_code for r in job.services.register.search("", limit=400)
         if job.services.forms.for_category(r.category)), code))
    category_forms = run_job(window, lambda job: [
        f.code for f in job.services.forms.for_category(job.services.register.get(target).category)])
    form = "epidemic-resumption" if "epidemic-resumption" in category_forms else category_forms[0]

    badges = run_job(window, lambda job: [i.badge for i in job.services.register.inspectors()][:2])
    from inspector_app.ui.widgets.start_visit import StartVisitDialog

    dialog = StartVisitDialog(window.ctx, target, window)
    dialog.show()
    wait(lambda: bool(dialog.crew))
    shot(dialog, "06-start-visit", over=window)
    dialog.close()
    # an enterprise with a visit in progress: the dialog offers to resume it
    drafted = next((wl.model.row(i).credit_code for i in range(wl.model.rowCount())
                    if wl.model.row(i).draft_visit_id), None)
    if drafted is not None:
        resume = StartVisitDialog(window.ctx, drafted, window)
        resume.show()
        wait(lambda: bool(resume.crew))
        shot(resume, "18-start-visit-resume", over=window)
        resume.close()

    vid = run_job(window, lambda job: job.services.visits.start(target, form, badges))[0]
    page = window.visit
    done: list[bool] = []
    page.sig_loaded.connect(lambda: done.append(True))
    window.show_visit(vid)
    wait(lambda: bool(done))
    first_keys = list(page.visible_keys())[:3]
    for key, value in zip(first_keys, ("Y", "N", "Y"), strict=False):
        if page.form.items[key].type.value == "compliance":
            page.rows.get(key) and page.rows[key].editor.set_value(value)
            page.answer(key, value)
    wait(lambda: page.pending == 0)
    if page.current_key:
        page.jump_to(first_keys[0])
    shot(window, "07-visit-checklist")
    signature_items = [k for k in page.visible_keys() if page.form.items[k].type.value == "signature"]
    if signature_items:  # the form's own signature item: a pad, or the refusal
        page.jump_to(signature_items[0])
        editor = page.rows[signature_items[0]].editor
        pad = getattr(getattr(editor, "form", None), "pad", None)
        if pad is not None:
            pad.add_stroke([(30, 60), (70, 20), (110, 70), (150, 30), (200, 65), (260, 35)])
        shot(window, "19-visit-signature-item")
    page.show_finish()
    for card in page.finish.cards.values():
        if card.slot.enterprise:
            continue
        card.pad.add_stroke([(30, 90), (60, 40), (90, 100), (130, 50), (170, 95), (230, 60)])
    shot(window, "08-visit-signatures")
    page._confirm_completion()  # what 完成检查并锁定 asks once nothing is missing
    confirm = page.confirm_box
    if confirm is not None:
        confirm.show()
        shot(confirm, "20-visit-complete-confirm", over=window)
        confirm.done(0)

    # the findings tracker and the requests
    window.nav.setCurrentRow(2)
    wait(lambda: window.findings.summary.text() != "")
    shot(window, "09-findings")
    window.nav.setCurrentRow(3)
    wait(lambda: window.requests.model.rowCount() > 0)
    window.requests.table.selectRow(0)
    window.requests._select()
    shot(window, "10-requests")
    window.nav.setCurrentRow(NAV_PAGES.index("reports"))
    wait(lambda: window.reports.scope.count() > 1)
    window.reports.issuing_unit.setText("宝龙街道综合行政执法队")
    shot(window, "16-reports")
    window.nav.setCurrentRow(NAV_PAGES.index("sync_page"))
    loaded_sync: list[bool] = []
    window.sync_page.sig_loaded.connect(lambda: loaded_sync.append(True))
    window.sync_page.reload()
    wait(lambda: bool(loaded_sync))
    shot(window, "14-sync")
    window.show_login()
    from inspector_app.ui.sync.login_dialog import LoginDialog

    login = window.findChild(LoginDialog)
    if login is not None:
        shot(login, "15-login", over=window)
        login.reject()

    # a completed visit, read-only, and a re-inspection
    completed = run_job(window, lambda job: job.services.workspace.engine.connect().exec_driver_sql(
        "SELECT id FROM visit WHERE status='completed' AND kind='inspection' ORDER BY started_at DESC LIMIT 1"
    ).scalar())
    window.nav.setCurrentRow(0)  # as a visit is opened: from 今日任务
    done.clear()
    window.show_visit(completed)
    wait(lambda: bool(done))
    shot(window, "11-visit-completed")
    page.show_finish()
    shot(window, "12-visit-completed-finish")
    from inspector_app.ui import reports_bridge

    record = run_job(window, lambda job: reports_bridge.build(job, completed, "record"))
    preview = reports_bridge.preview_pdf(record, window, "现场检查记录")
    if preview is not None:
        wait(preview.isVisible)
        shot(preview, "21-print-preview", over=window)
        preview.done(0)
    with_findings = run_job(window, lambda job: [
        f.enterprise_code for f in job.services.worklist.open_findings()][:1])
    if with_findings:
        rid = run_job(window, lambda job: job.services.visits.start_recheck(with_findings[0], badges))[0]
        done.clear()
        window.show_visit(rid)
        wait(lambda: bool(done))
        page.nav.setCurrentRow(0)
        shot(window, "13-recheck")
    window.nav.setCurrentRow(0)
    app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
