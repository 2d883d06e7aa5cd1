"""The 同步 page tells the inspector when the office's document numbers are missing or running low,
before a visit completed offline would get a provisional (临) number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DocKind
from inspector_app.store import tables
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.ui.main_window import NAV_PAGES
from tests.support.gui import Harness


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

    def in_workspace(fn: Any) -> None:
        out: list[Any] = []
        window.ctx.op(lambda job: fn(job.services.workspace), out.append, out.append)
        qtbot.waitUntil(lambda: bool(out), timeout=10_000)
        assert not isinstance(out[0], BaseException), out[0]

    def login(ws: Any) -> None:  # what `inspector-app login` leaves in the workspace
        with ws.session() as s:
            s.add(SyncAccount(username="zhangwei", server_url="http://office.invalid"))

    def receive(blocks: list[tuple[str, int, int]]) -> None:  # what a sync stores
        def store(ws: Any) -> None:
            with ws.session() as s:
                for n, (kind, first, last) in enumerate(blocks):
                    s.add(tables.NumberBlock(
                        office_id=len(kind) * 1000 + first + n, account="zhangwei", kind=kind, year=year,
                        first=first, last=last, received_at=datetime.now(UTC),
                    ))

        in_workspace(store)

    # A laptop working alone numbers on its own: nothing to warn about.
    page = _open_sync_page(qtbot, window)
    assert not page.numbers_label.isVisible()

    # Once it belongs to an office, it says it holds none of the office's numbers yet.
    in_workspace(login)
    page = _open_sync_page(qtbot, window)
    assert page.numbers_label.isVisible()
    assert page.numbers_label.text().startswith(f"尚未从办公室领取{year}年的文书编号")

    # Plenty of every kind but 3 record numbers left.
    receive([(k.value, 1, 3 if k is DocKind.RECORD else 50) for k in DocKind])
    page = _open_sync_page(qtbot, window)
    assert page.numbers_label.isVisible()
    assert page.numbers_label.text() == "现场检查记录的编号仅剩3个，请尽快同步领取。"

    receive([("record", 51, 100)])
    page = _open_sync_page(qtbot, window)
    assert not page.numbers_label.isVisible()
