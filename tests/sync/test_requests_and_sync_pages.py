"""诉求跟进 and 同步 show what was asked in words: the request's text in full view, statuses in the
order of the workflow, and a follow-up on the 同步 page named by its enterprise, not by a UUID."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from inspector_app.domain.requests import RequestStatus
from inspector_app.ui.main_window import NAV_PAGES
from tests.support.gui import BADGES, Harness

ASKED = "口罩和消毒液储备不足，希望街道协调采购渠道"


def run(qtbot: Any, window: Any, fn: Any, *, changes: bool = True) -> Any:
    """``fn`` on the storage worker, as a use case (its change set broadcast) or a plain job."""
    out: list[Any] = []
    (window.ctx.op if changes else window.ctx.run)(fn, out.append, out.append)
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


def test_the_sync_page_lists_a_pulled_record_set_aside_with_its_reason(
    qtbot: Any, harness: Harness
) -> None:
    """A checklist from the office whose text does not match its checksum is set aside by the pull
    (apply_page, as a sync runs it); the 同步 page then lists it with the reason, and the outbox
    table above it is unaffected."""
    from datetime import UTC, datetime

    from inspector_app.sync.apply import apply_page
    from inspector_app.wire.models import ChangesPage, FormChange, FormRecord

    window: Any = harness.window
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    forged = FormRecord(code="fire-safety", version="99", sha256="0" * 64, yaml="code: fire-safety\n")
    page_of_changes = ChangesPage(changes=[FormChange(form=forged)], cursor="1.1", has_more=False,
                                  scope="team", server_time=now)

    def pull(job: Any) -> Any:
        ws = job.services.workspace
        with ws.session() as s:
            effect = apply_page(s, page_of_changes, workspace_root=ws.root,
                                attachments_root=ws.attachments_dir, thumbs_root=ws.thumbnails_dir,
                                my_device="this-laptop", files={}, now=now, account="zhangwei")
        return effect.quarantined

    assert len(run(qtbot, window, pull, changes=False)) == 1
    sync = window.sync_page
    assert not sync.set_aside_table.isVisible()
    with qtbot.waitSignal(sync.sig_loaded, timeout=10_000):
        window.nav.setCurrentRow(NAV_PAGES.index("sync_page"))
    (held,) = sync.set_aside_rows()
    assert (held.kind, held.key, held.account) == ("form", "fire-safety@99", "zhangwei")
    assert "校验值不符" in held.reason
    assert sync.set_aside_table.isVisible() and sync.set_aside_title.text() == "接收时搁置的记录（1 条）"
    model = sync.set_aside_model
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert shown[:3] == ["检查表", "fire-safety@99", "zhangwei"]
    assert "检查表 'fire-safety' 的内容与其校验值不符" in shown[3]
    assert sync.shown_rows() == []  # nothing of this laptop's own work was touched

