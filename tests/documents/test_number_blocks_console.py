"""文书编号登记 in a real browser: the office sees each block of numbers it handed out, who holds
it on which laptop, how far it is used, and opens the visits that used its numbers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.harness import PASSWORD, Laptop, ThreadServer, make_backend, seed_office


@pytest.fixture(scope="module")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    backend = make_backend("sqlite", tmp_path_factory.mktemp("numbers"))
    srv = ThreadServer(backend, number_block_size=10, number_refill_below=3)
    yield srv
    srv.stop()
    shutil.rmtree(backend.data_dir, ignore_errors=True)


def test_the_office_sees_who_holds_and_who_used_which_numbers(
    office_server: ThreadServer, page: Any, tmp_path: Path
) -> None:
    office = seed_office(office_server.backend)
    laptop = Laptop(tmp_path / "a", office_server.url, office.inspector)
    assert laptop.sync().ok
    used = [laptop.complete_visit(office.codes[n]) for n in range(2)]
    assert laptop.sync().ok  # the visits go up, and how far the block was used with them

    page.goto(f"{office_server.url}/console/documents/numbers")
    page.fill("input[name=username]", office.admin)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{office_server.url}/console/documents/numbers")
    row = page.locator("#number-blocks tr", has_text="现场检查记录").first
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[0] == "现场检查记录" and cells[1].endswith("1–10")
    assert cells[2].startswith("张伟")  # the holder, by name
    assert cells[5] == "2"  # used up to 2
    links = row.locator("a")
    assert links.count() == 2 and links.first.inner_text().startswith("1号")
    links.first.click()
    page.wait_for_url(re.compile(rf"/console/visits/{used[0]}"))
    laptop.close()
