"""报表打印 › 发文单位: the 执法依据, 复议机关, 人民法院 and the 文书代字 of each kind of document are
typed on the page (not only with `inspector-app report settings`), kept, and a bad one is named."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from inspector_app.domain.enforcement import DocKind
from tests.documents.test_reports_page import make_page
from tests.inspection.test_acceptance_visits import type_text
from tests.support.gui import Harness

CODES = {"record": "应急检记", "safety_order": "应急责改", "fire_deadline": "消限改"}


def _type_into(qtbot: Any, field: Any, text: str) -> None:
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5000)
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Delete)
    type_text(text)


def test_codes_review_body_and_court_are_set_on_the_reports_page(qtbot: Any, harness: Harness) -> None:
    page, _ = make_page(qtbot, harness)
    assert set(page.doc_codes) == {k.value for k in DocKind}  # one field per kind of document
    _type_into(qtbot, page.issuing_unit, "深圳市龙岗区宝龙街道办事处")
    _type_into(qtbot, page.number_prefix, "龙宝")
    _type_into(qtbot, page.authorization, "《龙岗区人民政府关于宝龙街道实施综合行政执法的决定》")
    _type_into(qtbot, page.review_body, "深圳市龙岗区人民政府")
    _type_into(qtbot, page.court, "深圳市龙岗区人民法院")
    for kind, code in CODES.items():
        _type_into(qtbot, page.doc_codes[kind], code)
    saved = harness.ctx.sig_status  # type: ignore[attr-defined]
    with qtbot.waitSignal(saved, timeout=10_000, check_params_cb=lambda t: t == "设置已保存"):
        page.save_button.click()

    again, _ = make_page(qtbot, harness)
    qtbot.waitUntil(lambda: again.court.text() != "", timeout=10_000)
    assert again.review_body.text() == "深圳市龙岗区人民政府"
    assert again.court.text() == "深圳市龙岗区人民法院"
    assert {k: e.text() for k, e in again.doc_codes.items() if e.text()} == CODES

    # A code with brackets would break the printed number: refused, named, nothing changed.
    _type_into(qtbot, again.doc_codes["recheck"], "应急（复）")
    again.save_button.click()

    def shown() -> list[QMessageBox]:
        return [b for b in again.findChildren(QMessageBox) if b.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()), timeout=10_000)
    assert "文书代字“应急（复）”应为1至10个字，不含括号" in shown()[0].text()
    shown()[0].accept()
    third, _ = make_page(qtbot, harness)
    qtbot.waitUntil(lambda: third.court.text() != "", timeout=10_000)
    assert third.doc_codes["recheck"].text() == ""
