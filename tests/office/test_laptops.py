"""What the office does in the console reaches the laptops by sync, as the laptops' work reaches it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx

from inspector_app.domain.requests import RequestStatus
from tests.support.harness import FORMS, PASSWORD, Laptop, Office, ThreadServer, add_enterprises
from tests.support.session import console_login, csrf_of


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

    console = console_login(server.url, office.admin)
    page = console.get(f"/console/requests/{rid}").text
    assert "缺普工30人" in page  # the laptop's request reached the console
    r = console.post(
        f"/console/requests/{rid}/follow-up",
        data={"status": "跟进中", "note": "已转惠企政策组对接招聘会", "csrf": csrf_of(page)},
    )
    assert r.status_code == 200 and "已转惠企政策组对接招聘会" in r.text

    # A grid given to the team in the console brings its new enterprises to the team's laptops.
    new_codes = add_enterprises(office.backend, None, 2)
    page = console.get("/console/assignments").text
    r = console.post(
        "/console/assignments/grid",
        data={"grid": "宝龙一网格", "team": office.team, "cadence": "2", "csrf": csrf_of(page)},
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


def test_each_laptop_reports_the_form_versions_it_holds_and_the_forms_page_shows_them(
    server: ThreadServer, office: Office, tmp_path: Path
) -> None:
    laptop = Laptop(tmp_path / "i", server.url, office.inspector)
    assert laptop.sync().ok
    console = console_login(server.url, office.admin)

    def holds() -> str:
        page = console.get("/console/forms").text
        section = re.search(r'<section class="panel" id="versions-in-use">.*?</section>', page, re.S)
        assert section
        rows = re.findall(r"<tr><td>(.*?)</tr>", section[0], re.S)
        (mine,) = [r for r in rows if r.startswith(f"{office.inspector}</td>")]
        return mine

    assert "2026.2" in holds()  # the shipped forms, as the laptop said at its pull
    # The office publishes a new version of a form: until the laptop has it, its cell is marked.
    version = f"9.{uuid.uuid4().int % 10_000}"
    text = (FORMS / "mini.yaml").read_text(encoding="utf-8").replace('version: "1"', f'version: "{version}"')
    page = console.get("/console/forms").text
    r = console.post(
        "/console/forms", data={"csrf": csrf_of(page)}, files={"file": ("mini.yaml", text.encode())}
    )
    assert r.status_code == 200 and "已发布" in r.text
    assert version not in holds()
    assert laptop.sync().ok  # the pull brings the form …
    assert laptop.sync().ok  # … and the next one reports it
    assert f">{version}</span>" in holds() and f'class="bad">{version}' not in holds()
    laptop.close()


def test_office_staff_and_viewers_use_the_console_and_the_sync_api_refuses_them(
    server: ThreadServer, office: Office
) -> None:
    console = console_login(server.url, office.admin)
    names = {role: f"{role}{uuid.uuid4().hex[:6]}" for role in ("office", "viewer")}
    for role, name in names.items():
        page = console.get("/console/users").text
        r = console.post(  # no team, no badge: the console's own accounts
            "/console/users",
            data={"username": name, "password": PASSWORD, "role": role, "csrf": csrf_of(page)},
        )
        assert r.status_code == 200, r.text[:300]
    users = console.get("/console/users").text
    assert "办公室（仅控制台）" in users and "只读（仅控制台）" in users

    staff = console_login(server.url, names["office"])
    page = staff.get("/console/assignments").text  # office staff assign the teams their slices
    for form, refusal in (
        ({"grid": "宝龙一网格", "team": "第九十九检查组"}, "没有检查组“第九十九检查组”"),
        ({"codes": office.codes[0], "team": "第九十九检查组"}, "没有检查组“第九十九检查组”"),
    ):
        path = "/console/assignments/grid" if "grid" in form else "/console/assignments/enterprises"
        r = staff.post(path, data=form | {"csrf": csrf_of(page)})
        assert r.status_code == 422 and refusal in r.text
    r = staff.post(
        "/console/assignments/enterprises",
        data={"codes": office.codes[0], "team": office.team, "cadence": "2", "csrf": csrf_of(page)},
    )
    assert r.status_code == 200 and "分片分配" in r.text
    # … and keep the forms, the issuing authority and the 诉求 sub-groups; users stay the admin's.
    nav = staff.get("/console/overview").text
    assert 'href="/console/forms"' in nav and 'href="/console/documents/authority"' in nav
    assert 'href="/console/users"' not in nav
    assert staff.get("/console/documents/authority").status_code == 200
    assert staff.get("/console/users").status_code == 403
    viewer = console_login(server.url, names["viewer"])
    assert viewer.get("/console/overview").status_code == 200
    page = viewer.get("/console/assignments").text
    r = viewer.post(
        "/console/assignments/grid", data={"grid": "宝龙一网格", "team": office.team, "csrf": csrf_of(page)}
    )
    assert r.status_code == 403 and "无权" in r.text  # a viewer reads, never changes
    assert viewer.get("/console/documents/authority").status_code == 403

    for name in names.values():
        r = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": name, "password": PASSWORD, "device_id": str(uuid.uuid4())},
        )
        assert r.status_code == 403 and "只能使用办公室控制台" in r.json()["detail"]
    # Even the console's own session token is no key to the sync API.
    token = staff.cookies.get("console_session")
    assert token
    bearer = {"Authorization": f"Bearer {token}"}
    for method, path in (
        ("GET", "/changes"),
        ("POST", "/push"),
        ("POST", "/receipts"),
        ("GET", "/admin/audit"),
    ):
        r = httpx.request(method, f"{server.url}/api/v1{path}", headers=bearer, json={})
        assert r.status_code == 403 and "只能使用办公室控制台" in r.json()["detail"], path
