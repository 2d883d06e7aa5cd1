"""Re-inspection closes a finding; the real forms render; the other pages load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from inspector_app.domain.finding import RecheckResult
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.ui.taskman import Job
from inspector_app.ui.widgets.items import PhotosEditor
from tests.support.gui import BADGES, REAL_FORMS, Harness
from tests.support.gui_steps import complete_visit, make_photo, press, sign_all, wait_saved


def completed_visit_with_finding(job: Job, code: str) -> str:
    v = job.services.visits
    vid, _ = v.start(code, "ui-test", list(BADGES))
    for key, value in (("plan", "N"), ("exits", "Y"), ("staff_total", 10), ("masks", "Y")):
        v.answer(vid, key, value)
    png = make_photo(Path(job.services.workspace.root) / "sig.png").read_bytes()
    for badge in BADGES:
        v.sign(vid, inspector_role(badge), badge, png)
    v.sign(vid, ENTERPRISE_ROLE, "王建国", refused_reason="不在场")
    v.complete(vid)
    return vid


def run_job(qtbot: Any, h: Harness, fn: Any) -> Any:
    out: list[Any] = []
    h.window.ctx.op(fn, out.append)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(out), timeout=20_000)
    return out[0]


def test_recheck_closes_a_finding(qtbot: Any, harness: Harness, tmp_path: Path) -> None:
    window: Any = harness.window
    code = harness.codes[0]
    run_job(qtbot, harness, lambda job: completed_visit_with_finding(job, code))
    recheck_id = run_job(qtbot, harness, lambda job: job.services.visits.start_recheck(code, list(BADGES)))[0]
    page = window.visit
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        window.show_visit(recheck_id)
    assert page.recheck_panel is not None
    (card,) = page.recheck_panel.cards.values()
    photo = make_photo(tmp_path / "fixed.jpg", "green")
    PhotosEditor.choose_files = staticmethod(lambda _w: [photo])  # type: ignore[assignment]
    try:
        with qtbot.waitSignal(page.sig_marked, timeout=10_000):
            QTest.mouseClick(card.fixed, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(page.sig_marked, timeout=10_000):
            QTest.mouseClick(card.photo_button, Qt.MouseButton.LeftButton)
    finally:
        PhotosEditor.choose_files = None
    snap = run_job(qtbot, harness, lambda job: job.services.visits.snapshot(recheck_id))
    mark = snap.recheck_marks[card.finding.id]
    assert mark.result is RecheckResult.RECTIFIED and mark.photo
    page.jump_to("opinion")
    press(qtbot, "ok", "Enter")
    wait_saved(qtbot, page)
    sign_all(qtbot, page)
    complete_visit(qtbot, page)
    remaining = run_job(qtbot, harness, lambda job: job.services.visits.open_findings(code))
    assert remaining == []
    # the findings tracker no longer lists it
    window.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.findings.model.rowCount() == 0 and window.findings.summary.text() != "",
                    timeout=10_000)


def test_findings_requests_register_and_enterprise_pages(qtbot: Any, harness: Harness) -> None:
    window: Any = harness.window
    code = harness.codes[1]
    vid = run_job(qtbot, harness, lambda job: completed_visit_with_finding(job, code))
    del vid
    window.nav.setCurrentRow(2)
    qtbot.waitUntil(lambda: window.findings.model.rowCount() == 1, timeout=10_000)
    window.nav.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.register.model.rowCount() == 5, timeout=10_000)
    QTest.keyClicks(window.register.search, "tldz")  # 同乐电子
    qtbot.waitUntil(lambda: window.register.model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(code)
    page = window.enterprise
    assert page.finding_model.rowCount() == 1 and page.visit_model.rowCount() == 1
    # an invalid edit is refused inline; a valid one is saved as a change
    page.fields["phone"].setText("12345")
    page.save()
    qtbot.waitUntil(lambda: "电话" in page.edit_error.text(), timeout=10_000)
    page.fields["phone"].setText("13912345678")
    with qtbot.waitSignal(page.sig_saved, timeout=10_000):
        page.save()
    ent = run_job(qtbot, harness, lambda job: job.services.register.get(code))
    assert ent.phone == "13912345678"


@pytest.mark.skipif(not (REAL_FORMS / "epidemic-resumption.yaml").exists(), reason="real forms not present")
def test_a_real_form_renders_and_relevance_works(
    qtbot: Any, harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    window: Any = harness.window
    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(REAL_FORMS))
    with qtbot.waitSignal(window.sig_workspace_opened, timeout=20_000):
        window.open_workspace(harness.root)
    code = harness.codes[0]  # 规上工业企业: the epidemic form applies
    vid = run_job(qtbot, harness,
                  lambda job: job.services.visits.start(code, "epidemic-resumption", list(BADGES)))[0]
    page = window.visit
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        window.show_visit(vid)
    window.activateWindow()
    qtbot.waitUntil(lambda: page.current_key == "mechanism_team", timeout=5000)
    assert page.rows["mechanism_leader"].isHidden()
    page.rows["mechanism_team"].editor.setFocus()
    press(qtbot, "1")
    assert not page.rows["mechanism_leader"].isHidden()
    press(qtbot, "Enter")
    assert page.current_key == "mechanism_leader"
    wait_saved(qtbot, page)
