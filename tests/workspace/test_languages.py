"""Chinese first, English complete: Qt's own dialogs speak Chinese in the Chinese UI, the shell's
labels, statuses and column titles are English in the English UI, and switching language keeps
the user on the page they were on."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox

from tests.support.gui import BADGES, Harness

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_qt_dialogs_speak_chinese_in_the_chinese_ui(qtbot: Any, harness: Harness) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "标题", "内容",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, harness.window)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Ok,
                                                              QMessageBox.StandardButton.Cancel)}
    assert texts == {"确定", "取消"}, texts


def test_switching_to_english_stays_on_the_enterprise_page_and_translates_it(
    qtbot: Any, harness: Harness
) -> None:
    window: Any = harness.window
    code = harness.codes[0]
    done: list[Any] = []
    window.ctx.op(lambda job: job.services.visits.start(code, "ui-test", list(BADGES)), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(code)

    harness.app.switch_language("en")  # type: ignore[attr-defined]
    new: Any = harness.app.window  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: new.pages.currentWidget() is new._made.get("enterprise"), timeout=10_000)
    page = new.enterprise
    qtbot.waitUntil(lambda: page.data is not None and page.code == code, timeout=10_000)
    form = page.master_form
    labels = [form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget().text() for r in range(form.rowCount())]
    assert labels and not [t for t in labels if CJK.search(t)], labels
    assert "Industry" in labels and "Staff on site" in labels
    assert not CJK.search(page.status_badge.text())
    buttons = [page.back_button.text(), page.start_button.text(), page.recheck_button.text()]
    assert not [t for t in buttons if CJK.search(t)], buttons

    # 今日任务 in English: the visit in progress, statuses translated, no column title clipped
    new.nav.setCurrentRow(0)
    worklist = new.worklist
    qtbot.waitUntil(lambda: worklist.model.rowCount() == 5, timeout=10_000)
    assert worklist.model.data(worklist.model.index(0, 1)).startswith("In progress")
    status_column = next(c for c in range(worklist.model.columnCount())
                         if worklist.model.headerData(c, Qt.Orientation.Horizontal) == "Resumption")
    assert not CJK.search(worklist.model.data(worklist.model.index(0, status_column)))
    font = QFont(worklist.table.horizontalHeader().font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    header = worklist.table.horizontalHeader()
    for c in range(worklist.model.columnCount() - 1):  # the last one stretches
        title = worklist.model.headerData(c, Qt.Orientation.Horizontal)
        assert header.sectionSize(c) >= metrics.horizontalAdvance(title) + 24, title
    assert worklist.start_button.text() == "Start inspection"
    assert not [w.text() for w in new.statusBar().findChildren(QLabel) if CJK.search(w.text())]
    new.close()
