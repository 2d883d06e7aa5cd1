"""执法文书 numbers come from blocks the office hands out at sync: unique across the unit, fixed when
the visit is completed, refilled before they run out, and the office sees who used which.

A real server over HTTP and two laptops of one team, each with its own inspector."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.domain.authority import IssuingAuthority
from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DocKind
from inspector_app.services import documents
from inspector_app.store import tables
from tests.support.harness import PASSWORD, Backend, FixedClock, Laptop, ThreadServer, seed_office

AUTHORITY = IssuingAuthority(
    full_name="深圳市龙岗区宝龙街道办事处", short_name="龙宝", doc_codes={"record": "应急检记"}
)
BLOCK, REFILL_BELOW = 4, 2


@pytest.fixture(scope="module")
def small_blocks(backend: Backend) -> Iterator[ThreadServer]:
    """An office that hands out blocks of 4 and the next one when fewer than 2 are left."""
    srv = ThreadServer(backend, number_block_size=BLOCK, number_refill_below=REFILL_BELOW)
    yield srv
    srv.stop()


def _record(laptop: Laptop, vid: str) -> documents.IssuedNumber:
    with laptop.ws.session() as s:
        found = documents.find(s, vid, DocKind.RECORD)
    assert found is not None
    return found


def _warnings(laptop: Laptop) -> list[str]:
    with laptop.ws.session() as s:
        return documents.block_warnings(s, local_date(datetime.now(UTC)).year)


def _console(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=True, timeout=60)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text)
    assert csrf
    r = client.post("/console/login", data={"username": username, "password": PASSWORD, "csrf": csrf[1]})
    assert r.status_code == 200, r.text[:300]
    return client


def test_numbers_come_from_office_blocks_unique_fixed_at_completion_and_refilled(
    small_blocks: ThreadServer, backend: Backend, tmp_path: Path
) -> None:
    office = seed_office(backend)
    year = local_date(datetime.now(UTC)).year
    a = Laptop(tmp_path / "a", small_blocks.url, office.inspector)
    b = Laptop(tmp_path / "b", small_blocks.url, office.inspector2)

    # A laptop that never reached the office says so before the inspector completes anything.
    assert "尚未从办公室领取" in _warnings(a)[0]

    # At sync each laptop gets a block of every document kind; the blocks follow one another.
    assert a.sync().number_blocks_received == len(DocKind)
    assert b.sync().number_blocks_received == len(DocKind)
    assert _warnings(a) == [] and _warnings(b) == []
    a1, a2 = a.complete_visit(office.codes[0]), a.complete_visit(office.codes[1])
    b1, b2 = b.complete_visit(office.codes[1]), b.complete_visit(office.codes[2])
    assert [_record(a, v).number for v in (a1, a2)] == [1, 2]  # the office's 1–4
    assert [_record(b, v).number for v in (b1, b2)] == [5, 6]  # the office's 5–8
    assert not _record(a, a1).provisional
    assert _record(a, a1).text(AUTHORITY) == f"（龙宝）应急检记〔{year}〕1号"

    # One number left in A's block (fewer than 2): the laptop warns, naming the document.
    a3 = a.complete_visit(office.codes[2])
    assert _record(a, a3).number == 3
    assert "现场检查记录的编号仅剩1个，请尽快同步领取。" in _warnings(a)
    a4 = a.complete_visit(office.codes[0])
    assert _record(a, a4).number == 4
    assert any(w.startswith("现场检查记录的编号已用完") for w in _warnings(a))

    # Still offline, the visit completes all the same: its number is marked as the laptop's own
    # (临 and the laptop's tag), so it can never pass for, or collide with, a number of the unit.
    offline = a.complete_visit(office.codes[1])
    provisional = _record(a, offline)
    assert provisional.provisional and provisional.number == 1
    assert provisional.text(AUTHORITY) == f"（龙宝）应急检记〔{year}〕临{provisional.provisional}-1号"

    # The next sync reports the use and brings the next block, after everything handed out so far.
    report = a.sync()
    assert report.ok and report.number_blocks_received is not None and report.number_blocks_received >= 1
    assert _warnings(a) == []
    a5 = a.complete_visit(office.codes[2])
    assert _record(a, a5).number == 9  # 9–12

    # Fixed at completion: syncing, printing or asking again never changes a number, nor reuses one.
    assert a.sync().ok and b.sync().ok
    assert [_record(a, v).number for v in (a1, a2, a3, a4, a5)] == [1, 2, 3, 4, 9]
    with a.ws.session() as s:
        again = documents.issue(s, a1, DocKind.RECORD, on=local_date(datetime.now(UTC)))
    assert again.number == 1
    used = [_record(a, v).number for v in (a1, a2, a3, a4, a5)] + [_record(b, v).number for v in (b1, b2)]
    assert len(used) == len(set(used))

    # A repeated request hands nothing new out (a lost answer costs nothing).
    db = office.db
    try:
        with db.read() as conn:
            before = conn.execute(select(t.number_blocks.c.id)).all()
        assert a.sync().number_blocks_received == 0
        with db.read() as conn:
            rows = conn.execute(select(t.number_blocks)).all()
        assert len(rows) == len(before)
        # Blocks of one kind and year never overlap, whoever holds them.
        for kind in {r.kind for r in rows}:
            spans = sorted((r.first_number, r.last_number) for r in rows if r.kind == kind and r.year == year)
            assert all(prev[1] < nxt[0] for prev, nxt in itertools.pairwise(spans))
        record_a = next(r for r in rows if r.kind == "record" and r.first_number == 1)
        assert record_a.used_upto == 4  # the office heard how far A used its first block
    finally:
        db.dispose()

    # The office sees who used which: each block with its holder and the visits that used it.
    console = _console(small_blocks.url, office.admin)
    page = console.get("/console/documents/numbers")
    assert page.status_code == 200
    html = page.text
    row_a = re.search(r"<td>现场检查记录</td>\s*<td>〔\d+〕1–4</td>(.*?)</tr>", html, re.S)
    assert row_a and "张伟" in row_a[1]
    assert all(f"/console/visits/{v}" in row_a[1] for v in (a1, a2, a3, a4))
    row_b = re.search(r"<td>现场检查记录</td>\s*<td>〔\d+〕5–8</td>(.*?)</tr>", html, re.S)
    assert row_b and "李娜" in row_b[1] and f"/console/visits/{b1}" in row_b[1]
    assert f"临{provisional.provisional}-1号" in html and f"/console/visits/{offline}" in html
    assert 'id="stray-numbers"' not in html  # every plain number lies in a block
    # A team leader does not see the unit's register.
    assert _console(small_blocks.url, office.leader).get("/console/documents/numbers").status_code == 403
    for laptop in (a, b):
        laptop.close()


def test_a_laptop_synced_in_december_numbers_its_january_visits_from_the_office(
    small_blocks: ThreadServer, backend: Backend, tmp_path: Path
) -> None:
    office = seed_office(backend)
    now = datetime.now(UTC)
    december = datetime(now.year, 12, 31, 12, 0).astimezone()  # noon on the laptop, the year's last day
    clock = FixedClock((december - now).total_seconds())
    laptop = Laptop(tmp_path / "a", small_blocks.url, office.inspector, clock=clock)
    assert laptop.sync().ok
    with laptop.ws.session() as s:
        years = set(s.execute(select(tables.NumberBlock.year)).scalars())
    assert years == {now.year, now.year + 1}

    clock.offset += 2 * 86_400  # 2 January, offline
    january = laptop.complete_visit(office.codes[0])
    number = _record(laptop, january)
    assert (number.year, number.provisional) == (now.year + 1, "")  # the office's, not 临
    assert number.text(AUTHORITY) == f"（龙宝）应急检记〔{now.year + 1}〕1号"
    laptop.close()
