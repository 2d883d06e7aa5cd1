"""The console's login has the API login's defences, and the office reads one audit trail.

Over HTTP on SQLite and PostgreSQL: a run of wrong passwords in the console holds the account off
(429, Retry-After, a Chinese message saying how long), every attempt is in the server's audit
trail, and the audit page shows a laptop's login and push beside the console's own changes,
filtered by kind, user and outcome.
"""

from __future__ import annotations

import re
import uuid

import httpx

from inspector_app.central.logic import admin
from inspector_app.wire import Role
from tests.office.test_read_model import _push, _token
from tests.support.harness import PASSWORD, Office, ThreadServer
from tests.support.session import console_login, csrf_of


def _login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    page = client.get("/console/login").text
    return client.post(
        "/console/login", data={"username": username, "password": password, "csrf": csrf_of(page)}
    )


def _audit_rows(console: httpx.Client, **params: str) -> list[str]:
    html = console.get("/console/audit", params=params).text
    body = re.search(r'<table class="list dense" id="audit">.*?</table>', html, re.S)
    assert body
    rows = re.findall(r'<tr class[^>]*data-action="([^"]+)">(.*?)</tr>', body[0], re.S)
    return [f"{action} {re.sub(r'<[^>]+>', ' ', cells)}" for action, cells in rows]


def test_wrong_passwords_in_the_console_hold_the_account_off_and_are_audited(
    server: ThreadServer, office: Office
) -> None:
    name = f"staff{uuid.uuid4().hex[:6]}"
    with office.db.write() as conn:
        admin.add_user(
            conn, name, PASSWORD, Role.LEADER, team=office.team, badge_number=f"L{uuid.uuid4().hex[:9]}"
        )
    browser = httpx.Client(base_url=server.url)
    for _ in range(5):  # the free failures (Settings.login_free_failures)
        r = _login(browser, name, "wrong password!")
        assert r.status_code == 401
    r = _login(browser, name, PASSWORD)  # even the right password waits: the check comes first
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert "账号暂时锁定" in r.text and "后可再试" in r.text

    console = console_login(server.url, office.admin)
    failed = _audit_rows(console, user=name, failed="1")
    assert sum(row.startswith("login.failed ") for row in failed) == 5
    assert any(row.startswith("login.throttled ") and "登录被暂停" in row for row in failed)
    assert all("控制台" in row for row in failed if row.startswith("login.failed "))


def test_one_trail_holds_laptop_logins_pushes_and_console_changes(
    server: ThreadServer, office: Office
) -> None:
    console = console_login(server.url, office.admin)  # the admin has the trail open …
    token = _token(server.url, office.inspector)  # … while a laptop signs in …
    assert _push(server.url, token) == []  # … and pushes (an empty batch is still a push)
    # Read right after the answer: the push's line is committed with the push, not after it.
    pushed = _audit_rows(console, user=office.inspector, group="sync.push")
    assert pushed and "同步推送" in pushed[0] and "0 条" in pushed[0]
    page = console.get("/console/requests").text
    group = f"综合组{uuid.uuid4().hex[:4]}"
    r = console.post("/console/sub-groups", data={"name": group, "csrf": csrf_of(page)})
    assert r.status_code == 200

    mine = _audit_rows(console, user=office.inspector)
    assert any(row.startswith("login ") and "设备" in row for row in mine)  # the API's login entry
    assert any(row.startswith("sync.push ") and "同步推送" in row for row in mine)
    everything = _audit_rows(console)
    assert any("新增诉求分组" in row and group in row for row in everything)
    only_console = _audit_rows(console, group="console")
    assert only_console and all(row.startswith("console.") for row in only_console)
    logins = _audit_rows(console, group="login", user=office.admin)
    assert logins and all(row.startswith(("login", "logout")) for row in logins)
    assert any("127.0.0.1" in row for row in logins)  # where from


def test_only_an_admin_reads_the_trail(server: ThreadServer, office: Office) -> None:
    leader = console_login(server.url, office.leader)
    r = leader.get("/console/audit")
    assert r.status_code == 403 and "只有管理员" in r.text
