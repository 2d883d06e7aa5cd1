"""What the office does in the console reaches the laptops by sync, as the laptops' work reaches it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from inspector_app.domain.requests import RequestStatus
from tests.sync.harness import PASSWORD, Laptop, Office, ThreadServer, add_enterprises


def _console(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, follow_redirects=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text)
    assert csrf
    r = client.post("/console/login", data={"username": username, "password": PASSWORD, "csrf": csrf[1]})
    assert r.status_code == 200, r.text[:300]
    return client


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found[1]


def test_a_console_follow_up_and_a_grid_assignment_reach_the_team_laptops(
    server: ThreadServer, office: Office, tmp_path: Path
) -> None:
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    leader = Laptop(tmp_path / "l", server.url, office.leader)
    assert inspector.sync().ok
    code = office.codes[0]
    vid = inspector.start_draft(code)
    rid, _ = inspector.app.visits.record_request(vid, "用工招聘", "缺普工30人")
    inspector.finish_draft(vid)
    assert inspector.sync().ok

    console = _console(server.url, office.admin)
    page = console.get(f"/console/requests/{rid}").text
    assert "缺普工30人" in page  # the laptop's request reached the console
    r = console.post(
        f"/console/requests/{rid}/follow-up",
        data={"status": "跟进中", "note": "已转惠企政策组对接招聘会", "csrf": _csrf(page)},
    )
    assert r.status_code == 200 and "已转惠企政策组对接招聘会" in r.text

    # A grid given to the team in the console brings its new enterprises to the team's laptops.
    new_codes = add_enterprises(office.backend, None, 2)
    page = console.get("/console/assignments").text
    r = console.post(
        "/console/assignments/grid",
        data={"grid": "宝龙一网格", "team": office.team, "cadence": "2", "csrf": _csrf(page)},
    )
    assert r.status_code == 200

    assert leader.sync().ok and inspector.sync().ok
    (pulled,) = leader.app.requests.list(enterprise=code)
    assert pulled.status is RequestStatus.IN_PROGRESS
    assert [note for _, _, note in pulled.follow_ups] == ["已转惠企政策组对接招聘会"]
    for laptop in (inspector, leader):
        assert all(laptop.app.register.get(c) is not None for c in new_codes)
    inspector.close()
    leader.close()
