"""诉求跟进 and 同步 show what was asked in words: the request's text in full view, statuses in the
order of the workflow, and a follow-up on the 同步 page named by its enterprise, not by a UUID."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from inspector_app.domain.requests import RequestStatus
from inspector_app.ui.main_window import NAV_PAGES
from tests.ui.conftest import BADGES, Harness

ASKED = "口罩和消毒液储备不足，希望街道协调采购渠道"


def run(qtbot: Any, window: Any, fn: Any) -> Any:
    out: list[Any] = []
    window.ctx.op(fn, out.append, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    assert not isinstance(out[0], BaseException), out[0]
    return out[0]


def test_a_request_is_readable_followed_in_workflow_order_and_named_on_the_sync_page(
    qtbot: Any, harness: Harness
) -> None:
    window: Any = harness.window
    code = harness.codes[0]

    def record(job: Any) -> Any:
        vid, _ = job.services.visits.start(code, "ui-test", list(BADGES))
        return job.services.visits.record_request(vid, "防疫物资", ASKED)

    rid, _ = run(qtbot, window, record)
    page = window.requests
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        window.nav.setCurrentRow(NAV_PAGES.index("requests"))
    row = page.model.view_row_of(lambda r: r.id == rid)
    texts = [page.model.data(page.model.index(row, c)) for c in range(page.model.columnCount())]
    assert ASKED in texts
    column = texts.index(ASKED)
    # wide enough to read, not "口…": the column shows at least a dozen characters
    assert page.table.columnWidth(column) >= page.fontMetrics().horizontalAdvance(ASKED[:12])
    assert page.table.columnViewportPosition(column) < page.table.viewport().width() // 2

    assert not page.next_status.isVisible() and not page.follow_button.isVisible()  # none chosen yet
    page.table.setFocus()
    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # the row chosen by keyboard
    page._select()
    assert page.next_status.isVisible() and page.follow_button.isEnabled()
    offered = [page.next_status.itemData(i) for i in range(page.next_status.count())]
    assert offered == ["待跟进", "跟进中", "已解决"]  # the workflow's order
    filter_order = [page.status_box.itemData(i) for i in range(1, page.status_box.count())]
    assert filter_order == [s.value for s in RequestStatus] == ["待跟进", "跟进中", "已解决"]

    run(qtbot, window, lambda job: job.services.requests.follow_up(rid, RequestStatus.IN_PROGRESS,
                                                                     "已联系供应商"))
    sync = window.sync_page
    with qtbot.waitSignal(sync.sig_loaded, timeout=10_000):
        window.nav.setCurrentRow(NAV_PAGES.index("sync_page"))
    (shown,) = [r for r in sync.shown_rows() if r.entity == "request"]
    assert shown.what.startswith("深圳市宝龙精密五金制品有限公司 · 防疫物资：口罩和消毒液")
    assert shown.entity_id not in shown.what
