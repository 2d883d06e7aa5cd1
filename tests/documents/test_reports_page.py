"""报表打印: the summary and the day's batch are built off the GUI thread, settings are kept."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QDate

from inspector_app.ui.pages.reports import ReportsPage
from tests.support.gui import TEAM


def make_page(qtbot, h) -> tuple[ReportsPage, list[Path]]:
    opened: list[Path] = []
    page = ReportsPage(h.ctx)
    page.opener = opened.append
    qtbot.addWidget(page)
    page.show()
    page.activate()
    qtbot.waitUntil(lambda: page.scope.count() > 1, timeout=10_000)
    return page, opened


def test_a_team_summary_is_generated_and_opened(qtbot, harness):
    page, opened = make_page(qtbot, harness)
    page.scope.setCurrentIndex(page.scope.findData(f"team:{TEAM}"))
    with qtbot.waitSignal(page.sig_generated, timeout=30_000) as made:
        page.summary_button.click()
    path = made.args[0]
    assert opened == [path] and page.made.count() == 1
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "检查工作" in text and TEAM in text


def test_an_end_date_before_the_start_is_refused_without_building(qtbot, harness, monkeypatch):
    page, opened = make_page(qtbot, harness)
    warnings: list[str] = []
    monkeypatch.setattr("inspector_app.ui.pages.reports.QMessageBox.warning",
                        lambda _parent, title, _text: warnings.append(title))
    page.date_to.setDate(page.date_from.date().addDays(-1))
    page.summary_button.click()
    assert warnings == ["统计期间有误"] and opened == []


def test_a_day_without_completed_records_says_so(qtbot, harness):
    from PySide6.QtWidgets import QMessageBox

    page, opened = make_page(qtbot, harness)
    page.batch_day.setDate(QDate(2020, 2, 20))
    page.batch_button.click()

    def shown() -> list[QMessageBox]:  # open, not blocking: the window stays live behind it
        return [b for b in page.findChildren(QMessageBox, "reportError") if b.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=20_000)
    box = shown()[0]
    assert "没有已完成的检查记录" in box.text() and opened == []
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"  # not Qt's English "OK"
    assert page.batch_button.isEnabled()
    box.accept()


def test_the_issuing_unit_is_saved_to_the_workspace(qtbot, harness):
    page, _ = make_page(qtbot, harness)
    page.issuing_unit.setText("宝龙街道综合行政执法队")
    page.number_prefix.setText("宝执")
    with qtbot.waitSignal(harness.ctx.sig_status, timeout=10_000,
                          check_params_cb=lambda text: text == "设置已保存"):
        page.save_button.click()
    again, _ = make_page(qtbot, harness)
    assert (again.issuing_unit.text(), again.number_prefix.text()) == ("宝龙街道综合行政执法队", "宝执")
