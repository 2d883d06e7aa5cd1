"""Screenshots of every screen, in Chinese, from the demo workspace: ``docs/screenshots/*.png``.

Run from the repository root (offscreen, with the shipped font):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_screenshots
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
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.services.context import AppServices
from inspector_app.services.demo import DemoService
from inspector_app.ui.main_window import NAV_PAGES

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 860)


def wait(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        QApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("screen did not load")
        time.sleep(0.01)
    for _ in range(20):  # let layouts and repaints settle
        QApplication.processEvents()


def shot(widget: QWidget, name: str) -> None:
    wait(lambda: True)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT))


def run_job(window: Any, fn: Callable[[Any], Any]) -> Any:
    out: list[Any] = []
    window.ctx.op(fn, out.append, out.append)
    wait(lambda: bool(out))
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def main() -> int:
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
    shot(start, f"00-start-dialog{suffix}")
    start.close()

    opened: list[Any] = []
    window.sig_workspace_opened.connect(opened.append)
    window.open_workspace(ws)
    wait(lambda: bool(opened))
    wl = window.worklist
    wait(lambda: wl.model.rowCount() > 0)
    shot(window, f"01-worklist{suffix}")
    if lang != "zh":
        app.shutdown()
        return 0
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
    shot(dialog, "06-start-visit")
    dialog.close()

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
    page.show_finish()
    for card in page.finish.cards.values():
        if card.slot.enterprise:
            continue
        card.pad.add_stroke([(30, 90), (60, 40), (90, 100), (130, 50), (170, 95), (230, 60)])
    shot(window, "08-visit-signatures")

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

    # a completed visit, read-only, and a re-inspection
    completed = run_job(window, lambda job: job.services.workspace.engine.connect().exec_driver_sql(
        "SELECT id FROM visit WHERE status='completed' AND kind='inspection' ORDER BY started_at DESC LIMIT 1"
    ).scalar())
    done.clear()
    window.show_visit(completed)
    wait(lambda: bool(done))
    shot(window, "11-visit-completed")
    page.show_finish()
    shot(window, "12-visit-completed-finish")
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
