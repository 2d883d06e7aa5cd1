"""Guessing passwords gets slower and then stops; every login, good or bad, is in the audit trail
an admin reads with ``inspector-central audit``; sessions end when they should."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import httpx

from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin, audit
from inspector_app.wire import Role
from tests.support.harness import PASSWORD, ROOT, Backend, Office, ThreadServer

API = "/api/v1"


def _try(url: str, username: str, password: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{url}{API}/auth/login",
        json={"username": username, "password": password, "device_id": str(uuid.uuid4())},
        # The client's address as the office's reverse proxy forwards it (docs/deployment.md).
        headers={"X-Forwarded-For": address},
    )


def _cli(backend: Backend, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "inspector_app.central",
            "--data-dir",
            str(backend.data_dir),
            "--database-url",
            backend.url,
            *args,
        ],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _entries(backend: Backend, **kw: object) -> list[audit.AuditEntry]:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            return audit.entries(conn, **kw)  # type: ignore[arg-type]
    finally:
        db.dispose()


def test_200_wrong_admin_passwords_lock_the_account_and_the_right_one_then_waits(server, office: Office):
    """The attack: 200 wrong admin passwords, then the right one: all answered, no delay, no lockout."""
    address = "198.51.100.10"
    answers = [_try(server.url, office.admin, f"guess-{i}", address).status_code for i in range(200)]
    # Five free tries, then each further one waits twice as long as the one before (2 s, 4 s, 8 s …).
    assert answers[:6] == [401] * 5 + [429]
    assert set(answers) == {401, 429}
    guesses = answers.count(401)
    assert guesses <= 10
    # The right password right after a failure, inside the doubled wait that failure began (on a
    # loaded machine the wait in force may run out between the last guess and the right one).
    for _ in range(600):
        if _try(server.url, office.admin, "one-more-guess", address).status_code == 401:
            guesses += 1
            break
        time.sleep(0.25)
    right = _try(server.url, office.admin, PASSWORD, address)
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) >= 1
    # From anywhere: the account is what is locked.
    assert _try(server.url, office.admin, PASSWORD, "198.51.100.99").status_code == 429

    throttled = _entries(office.backend, action=audit.LOGIN_THROTTLED, user=office.admin, limit=1000)
    failed = _entries(office.backend, action=audit.LOGIN_FAILED, user=office.admin, limit=1000)
    assert len(failed) == guesses and all(e.address == address and not e.ok for e in failed)
    # Held-off attempts are recorded once a minute per account and address (a flood of them
    # must not fill the disk): here one from each of the two addresses.
    assert sorted(e.address for e in throttled) == sorted([address, "198.51.100.99"])

    # The admin, on the server's machine, reads the trail and lets the real user in again.
    trail = _cli(office.backend, "audit", "--user", office.admin, "--failed", "--format", "json")
    assert trail.returncode == 0, trail.stderr
    rows = json.loads(trail.stdout)
    assert {r["action"] for r in rows} == {audit.LOGIN_FAILED, audit.LOGIN_THROTTLED}
    assert rows[0]["address"] == "198.51.100.99"
    unlocked = _cli(office.backend, "users", "unlock", office.admin)
    assert unlocked.returncode == 0, unlocked.stderr
    assert _try(server.url, office.admin, PASSWORD, address).status_code == 200
    assert _entries(office.backend, action=audit.LOGIN, user=office.admin)[0].address == address
    # The same trail over the API, for admins (the console shows it).
    token = _try(server.url, office.admin, PASSWORD, address).json()["token"]
    page = httpx.get(
        f"{server.url}{API}/admin/audit",
        params={"user": office.admin, "action": "login", "limit": 3},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert page.status_code == 200
    assert [r["action"] for r in page.json()] == [audit.LOGIN, audit.LOGIN, audit.LOGIN_UNLOCKED]
    log = (office.backend.data_dir / "logs" / "access.log").read_text(encoding="utf-8")
    assert '198.51.100.10 - "POST /api/v1/auth/login" 429' in log


def test_each_failure_past_the_free_ones_doubles_the_wait_and_a_good_login_clears_it(backend, office: Office):
    srv = ThreadServer(backend, login_free_failures=2, login_backoff_seconds=0.5)
    address = "198.51.100.20"
    try:
        assert [_try(srv.url, office.inspector, "bad", address).status_code for _ in range(2)] == [401, 401]
        assert _try(srv.url, office.inspector, PASSWORD, address).status_code == 429  # wait 0.5 s
        time.sleep(0.6)
        assert _try(srv.url, office.inspector, "bad", address).status_code == 401  # now wait 1 s
        time.sleep(0.6)
        assert _try(srv.url, office.inspector, PASSWORD, address).status_code == 429
        time.sleep(0.6)
        assert _try(srv.url, office.inspector, PASSWORD, address).status_code == 200
        # A good login starts the count again.
        assert [_try(srv.url, office.inspector, "bad", address).status_code for _ in range(2)] == [401, 401]
    finally:
        srv.stop()


def test_one_address_guessing_many_accounts_is_held_off_and_others_are_not(backend, office: Office):
    srv = ThreadServer(backend, login_address_failures=10)
    guesser, colleague = "198.51.100.30", "198.51.100.31"
    try:
        answers = [_try(srv.url, f"user{i}", "password1", guesser).status_code for i in range(12)]
        assert answers[:10] == [401] * 10
        assert answers[10:] == [429, 429]
        assert _try(srv.url, office.leader, PASSWORD, guesser).status_code == 429
        assert _try(srv.url, office.leader, PASSWORD, colleague).status_code == 200
    finally:
        srv.stop()


def _token(url: str, username: str) -> str:
    r = _try(url, username, PASSWORD, "192.0.2.1")
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def _me(url: str, token: str) -> int:
    return httpx.get(f"{url}{API}/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_logout_all_ends_every_device_of_the_caller_only(server, office: Office):
    laptop, phone = _token(server.url, office.inspector), _token(server.url, office.inspector)
    colleague = _token(server.url, office.inspector2)
    r = httpx.post(f"{server.url}{API}/auth/logout-all", headers={"Authorization": f"Bearer {laptop}"})
    assert r.status_code == 200 and r.json()["revoked"] == 2
    assert (_me(server.url, laptop), _me(server.url, phone), _me(server.url, colleague)) == (401, 401, 200)
    assert _entries(office.backend, action=audit.LOGOUT_ALL, user=office.inspector)


def test_a_new_password_ends_every_session_that_knew_the_old_one(server, office: Office):
    token = _token(server.url, office.leader)
    changed = _cli(office.backend, "users", "passwd", office.leader, stdin="a brand new passphrase\n")
    assert changed.returncode == 0, changed.stderr
    assert _me(server.url, token) == 401
    assert _try(server.url, office.leader, PASSWORD, "192.0.2.1").status_code == 401
    assert _try(server.url, office.leader, "a brand new passphrase", "192.0.2.1").status_code == 200
    assert _entries(office.backend, action=audit.PASSWORD_CHANGED, user=office.leader)[0].actor.startswith(
        audit.LOCAL_ACTOR
    )


def test_a_disabled_user_stays_logged_out_when_enabled_again(server, office: Office):
    token = _token(server.url, office.inspector2)
    assert _cli(office.backend, "users", "disable", office.inspector2).returncode == 0
    assert _me(server.url, token) == 403
    assert _cli(office.backend, "users", "enable", office.inspector2).returncode == 0
    assert _me(server.url, token) == 401  # the old session does not come back
    assert _me(server.url, _token(server.url, office.inspector2)) == 200


def test_weak_admin_passwords_are_refused_with_the_reason(office: Office):
    """The attack: `password` and `12345678` were accepted for admins."""
    name = f"boss{uuid.uuid4().hex[:6]}"
    for weak, reason in (
        ("password", "至少 12 位"),
        ("12345678", "至少 12 位"),
        (f"{name}-and-more", "用户名"),
    ):
        r = _cli(office.backend, "users", "add", name, "--role", "admin", stdin=weak + "\n")
        assert r.returncode == 1, (weak, r.stdout)
        assert reason in r.stderr, (weak, r.stderr)
    db = Database(office.backend.url)
    try:
        for weak in ("123456789012", "aaaaaaaaaaaaaaa", "qwertyuiop", "Password123!", "abcdefghijklmn"):
            with db.write() as conn:
                try:
                    admin.add_user(conn, name, weak, Role.ADMIN)
                    raise AssertionError(f"{weak} accepted for an admin")
                except admin.AdminError:
                    pass
    finally:
        db.dispose()
    r = _cli(office.backend, "users", "add", name, "--role", "admin", stdin="Tea-kettle by the 3rd window\n")
    assert r.returncode == 0, r.stderr
    assert _entries(office.backend, action=audit.USER_ADDED, user=name)


def test_a_badge_is_required_unique_and_never_the_username(office: Office):
    """The attack: a user given another's badge read and pushed that inspector's visits."""
    newcomer = f"new{uuid.uuid4().hex[:6]}"
    db = Database(office.backend.url)
    try:
        with db.write() as conn:
            try:
                admin.add_user(conn, newcomer, PASSWORD, Role.INSPECTOR, team=office.team)
                raise AssertionError("an inspector without a badge was accepted")
            except admin.AdminError as exc:
                assert "执法证号" in str(exc)
        taken = office.badges[office.inspector]
        with db.write() as conn:
            try:
                admin.add_user(conn, newcomer, PASSWORD, Role.INSPECTOR, team=office.team, badge_number=taken)
                raise AssertionError("a second user was given an inspector's badge")
            except admin.AdminError as exc:
                assert office.inspector in str(exc)
    finally:
        db.dispose()
    r = _cli(office.backend, "users", "badge", office.inspector2, office.badges[office.inspector])
    assert r.returncode == 1 and office.inspector in r.stderr
    fresh = f"B{uuid.uuid4().hex[:8]}"
    assert _cli(office.backend, "users", "badge", office.inspector2, fresh).returncode == 0
