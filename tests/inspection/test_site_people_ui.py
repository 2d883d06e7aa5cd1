"""On the 签名 · 诉求 · 完成 page the inspector types the person in charge on site (姓名, 职务,
证件号码, 联系电话) and the witness; Enter saves them, a bad value is named, and completing the
visit freezes them into its document, after which the fields are read-only."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.services import site_people
from inspector_app.store import tables
from tests.inspection.test_acceptance_visits import type_text
from tests.inspection.test_recheck_and_pages import run_job
from tests.support.gui import BADGES, Harness
from tests.support.gui_steps import complete_visit, sign_all


def type_fields(qtbot: Any, *texts: str) -> None:
    """Each text into the focused field, Tab to the next; Enter after the last."""
    for n, text in enumerate(texts):
        type_text(text)
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Return if n == len(texts) - 1 else Qt.Key.Key_Tab)


def click_into(qtbot: Any, field: Any) -> None:
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5000)


def test_site_people_typed_on_the_finish_page_are_saved_and_frozen(qtbot: Any, harness: Harness) -> None:
    window: Any = harness.window
    code = harness.codes[1]

    def answered(job: Any) -> str:
        vid, _ = job.services.visits.start(code, "ui-test", list(BADGES))
        for key, value in (("plan", "Y"), ("exits", "Y"), ("staff_total", 10), ("masks", "Y")):
            job.services.visits.answer(vid, key, value)
        return str(vid)

    vid = run_job(qtbot, harness, answered)
    page = window.visit
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        window.show_visit(vid)
    page.show_finish()
    card = page.finish.people
    assert card.isVisible() and not card.onsite_name.isReadOnly()

    # A phone that is no phone: refused, the message names the field, nothing stored.
    click_into(qtbot, card.onsite_name)
    type_fields(qtbot, "陈志强", "生产主管", "44030619800101123X", "call me")
    qtbot.waitUntil(lambda: "联系电话" in card.status.text(), timeout=10_000)
    assert run_job(qtbot, harness, lambda job: site_people.load(job.services.workspace, vid)).is_empty()

    click_into(qtbot, card.onsite_phone)
    card.onsite_phone.selectAll()
    type_fields(qtbot, "13800138000", "王小明", "宝龙社区工作站")
    qtbot.waitUntil(lambda: card.status.text() == "已保存，完成检查时写入记录", timeout=10_000)
    stored = run_job(qtbot, harness, lambda job: site_people.load(job.services.workspace, vid))
    assert (stored.onsite.name, stored.onsite.title, stored.onsite.id_number, stored.onsite.phone) == (
        "陈志强", "生产主管", "44030619800101123X", "13800138000"
    )
    assert (stored.witness.name, stored.witness.unit) == ("王小明", "宝龙社区工作站")

    sign_all(qtbot, page, enterprise_refuses=True)
    complete_visit(qtbot, page)

    def frozen(job: Any) -> dict[str, Any]:
        with job.services.workspace.session() as s:
            v = s.get(tables.Visit, vid)
            assert v is not None and v.document_json
            return dict(json.loads(v.document_json)["site_people"])

    assert run_job(qtbot, harness, frozen)["witness"] == {"name": "王小明", "unit": "宝龙社区工作站"}
    page.show_finish()
    qtbot.waitUntil(card.onsite_name.isReadOnly, timeout=10_000)
    assert card.onsite_name.text() == "陈志强" and not card.save_button.isVisible()
    assert QApplication.focusWidget() is not card.save_button
    QTest.keyClick(card.onsite_name, Qt.Key.Key_Return)  # read-only: nothing to save
