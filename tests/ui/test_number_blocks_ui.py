"""The 同步 page tells the inspector when the office's document numbers are missing or running low,
before a visit completed offline would get a provisional (临) number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DocKind
from inspector_app.store import tables
from inspector_app.ui.main_window import NAV_PAGES
from tests.ui.conftest import Harness


def _open_sync_page(qtbot: Any, window: Any) -> Any:
    page = window.sync_page
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        if window.nav.currentRow() == NAV_PAGES.index("sync_page"):
            page.reload()
        else:
            window.nav.setCurrentRow(NAV_PAGES.index("sync_page"))
    return page


def test_the_sync_page_warns_when_no_office_numbers_are_held_or_few_are_left(
    qtbot: Any, harness: Harness
) -> None:
    window: Any = harness.window
    year = local_date(datetime.now(UTC)).year
    page = _open_sync_page(qtbot, window)
    assert page.numbers_label.isVisible()
    assert page.numbers_label.text().startswith(f"尚未从办公室领取{year}年的文书编号")

    # Blocks as a sync stores them: plenty of every kind but 3 record numbers left.
    def receive(blocks: list[tuple[str, int, int]]) -> None:
        def store(job: Any) -> None:
            with job.services.workspace.session() as s:
                for n, (kind, first, last) in enumerate(blocks):
                    s.add(tables.NumberBlock(
                        office_id=len(kind) * 1000 + first + n, account="", kind=kind, year=year,
                        first=first, last=last, received_at=datetime.now(UTC),
                    ))

        out: list[Any] = []
        window.ctx.op(store, out.append, out.append)
        qtbot.waitUntil(lambda: bool(out), timeout=10_000)
        assert not isinstance(out[0], BaseException), out[0]

    receive([(k.value, 1, 3 if k is DocKind.RECORD else 50) for k in DocKind])
    page = _open_sync_page(qtbot, window)
    assert page.numbers_label.isVisible()
    assert page.numbers_label.text() == "现场检查记录的编号仅剩3个，请尽快同步领取。"

    receive([("record", 51, 100)])
    page = _open_sync_page(qtbot, window)
    assert not page.numbers_label.isVisible()
