"""Sync in the desktop app, against a real ``inspector-central serve`` process on 127.0.0.1 (SQLite).

Log in through the dialog, complete a visit, press 立即同步: the waiting count drops to 0 and the
同步 page shows the visit as sent. The server stopping, a wrong password and the network coming
back are each seen the way the inspector sees them.

Set ``INSPECTOR_SHOTS_DIR`` to also write the sync page and the login dialog as screenshots.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.ui.main_window import NAV_PAGES
from inspector_app.ui.sync.login_dialog import LoginDialog
from inspector_app.ui.sync.states import LoginAnswer, SyncOutcome, SyncState
from tests.support.harness import (
    FORMS,
    PASSWORD,
    Backend,
    Office,
    ProcessServer,
    drop_backend,
    make_backend,
    png,
    seed_office,
    server_received,
)

# Part of the full run (./dev.sh test); the fast lane (./dev.sh quick) leaves it out.
pytestmark = pytest.mark.slow

Reachability = QNetworkInformation.Reachability
SYNC_TIMEOUT = 20_000


@dataclass
class Central:
    backend: Backend
    server: ProcessServer


@dataclass
class App:
    window: Any
    application: Any
    root: Path

    @property
    def sync(self) -> Any:
        return self.window.sync


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    backend = make_backend("sqlite", tmp_path_factory.mktemp("central"))
    server = ProcessServer(backend)
    yield Central(backend, server)
    server.stop()
    drop_backend(backend)


@pytest.fixture
def office(central: Central, monkeypatch: pytest.MonkeyPatch) -> Office:
    """A fresh team with its users; cheap hashes (the server process verifies them as they are)."""
    from argon2 import PasswordHasher

    from inspector_app.central.logic import auth

    monkeypatch.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return seed_office(central.backend)


@pytest.fixture
def app(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The app on a new, empty workspace: nobody logged in yet."""
    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    monkeypatch.setenv("INSPECTOR_NO_KEYRING", "1")  # tokens go to the workspace file, never the real keyring
    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(FORMS))  # the form the office publishes
    root = tmp_path / "ws"
    qapp = make_application([])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    args = type("Args", (), {"lang": "zh", "workspace": str(root)})()
    application = Application(args, qapp)  # type: ignore[arg-type]
    # QSettings(organisation, application) is the native format, which the conftest's setPath does
    # not redirect: these tests store an account and a server, so they keep a settings file of their own.
    application.ctx.settings = application.settings = QSettings(str(tmp_path / "settings.ini"),
                                                                QSettings.Format.IniFormat)
    application.ctx.account = ""
    window = application.build_window()
    qtbot.addWidget(window)
    window.resize(1366, 860)
    window.show()
    qtbot.waitExposed(window)
    window.sync.online_jitter = 0.0
    with qtbot.waitSignal(window.sig_workspace_opened, timeout=20_000):
        window.open_workspace(root, create=True)
    yield App(window, application, root)
    window.sync.stop()
    application.shutdown()


def log_in(qtbot: Any, app: App, server_url: str, user: str) -> SyncOutcome:
    """Through the controller, as the dialog does; a login is followed by a first sync (the pull)."""
    answers: list[LoginAnswer] = []
    with qtbot.waitSignal(app.sync.sig_finished, timeout=SYNC_TIMEOUT) as first:
        app.sync.login(server_url, user, PASSWORD, answers.append)
    assert answers and answers[0].ok, answers
    outcome: SyncOutcome = first.args[0]
    assert outcome.state is SyncState.OK, outcome
    return outcome


_seeds = itertools.count(1)


def complete_visit(qtbot: Any, app: App, office: Office, user: str) -> str:
    """A visit done through the services on the storage worker (the UI's own path)."""
    badge = office.badges[user]
    seed = next(_seeds) * 1000  # every visit signs with its own pictures (files are shared by hash)
    code = office.codes[0]
    done: list[Any] = []

    def run(job: Any) -> Any:
        v = job.services.visits
        vid, _ = v.start(code, "mini-check", [badge])
        for key, value in {"plan": "Y", "staff": 120, "on_site": 100, "exits": "N"}.items():
            v.answer(vid, key, value)
        for f in v.snapshot(vid).findings:
            v.update_finding(f.id, description="通道堆放杂物")
        v.sign(vid, inspector_role(badge), "张伟", png(seed))
        v.sign(vid, ENTERPRISE_ROLE, "王建国", png(seed + 500))
        return v.complete(vid), vid  # what completing changed, then the visit's id

    app.window.ctx.op(run, done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert not isinstance(done[0], BaseException), done[0]
    return str(done[0][1])


def lose_a_file(root: Path, visit_id: str) -> None:
    """Delete one file of a completed visit from the laptop (a disk fault)."""
    from inspector_app.store import attachments

    with sqlite3.connect(root / "inspector.db") as con:
        (doc,) = con.execute("SELECT document_json FROM visit WHERE id = ?", (visit_id,)).fetchone()
    sha = json.loads(doc)["manifest"][0]["sha256"]
    attachments.path_for(root / "attachments", sha).unlink()


def show_sync_page(qtbot: Any, app: App) -> Any:
    page = app.window.sync_page
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        if app.window.pages.currentWidget() is page:
            page.reload()
        else:
            app.window.nav.setCurrentRow(NAV_PAGES.index("sync_page"))
    return page


def row_of(page: Any, entity_id: str) -> Any:
    return next(r for r in page.shown_rows() if r.entity_id == entity_id)


def shoot(widget: Any, name: str) -> None:
    folder = os.environ.get("INSPECTOR_SHOTS_DIR")
    if folder:
        for _ in range(20):
            QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


# ---------------------------------------------------------------------------------------------


def test_login_dialog_then_sync_now_sends_the_visit(qtbot: Any, central: Central, office: Office,
                                                    app: App) -> None:
    window, sync = app.window, app.sync
    assert window.sync_status.account_button.text() == "登录…"
    window.show_login()
    dialog = window.findChild(LoginDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.server_edit.setText(central.server.url.removeprefix("http://"))  # the scheme is added
    dialog.user_edit.setText(office.inspector)
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as first, \
            qtbot.waitSignal(dialog.sig_logged_in, timeout=SYNC_TIMEOUT):
        QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert first.args[0].state is SyncState.OK and first.args[0].pulled > 0  # the team's enterprises
    qtbot.waitUntil(lambda: window.findChild(LoginDialog) is None, timeout=5000)  # accepted, then deleted
    assert window.sync_status.account_button.text() == "张伟"
    assert window.ctx.account == office.inspector

    vid = complete_visit(qtbot, app, office, office.inspector)
    qtbot.waitUntil(lambda: window.sync_status.waiting_label.text() == "待同步 1 条", timeout=10_000)

    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as run:
        QTest.mouseClick(window.sync_status.sync_button, Qt.MouseButton.LeftButton)
    outcome: SyncOutcome = run.args[0]
    assert outcome.state is SyncState.OK and outcome.sent == 1, outcome
    qtbot.waitUntil(lambda: window.sync_status.waiting_label.text() == "已全部同步", timeout=10_000)
    assert window.sync_status.state_label.text().startswith("上次同步 ")
    assert server_received(central.backend, [vid]) == {vid}

    page = show_sync_page(qtbot, app)
    row = row_of(page, vid)
    assert (row.state, row.account) == ("sent", office.inspector)  # the visit is the logged-in inspector's
    assert office.inspector in page.account_label.text()
    page.state_box.setCurrentIndex(page.state_box.findData("waiting"))
    assert page.shown_rows() == []
    page.state_box.setCurrentIndex(0)

    # a record the laptop cannot send whole is quarantined, stands out, and blocks nothing else
    broken = complete_visit(qtbot, app, office, office.inspector)
    lose_a_file(app.root, broken)
    fine = complete_visit(qtbot, app, office, office.inspector)
    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as run:
        QTest.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert (run.args[0].sent, run.args[0].quarantined) == (1, 1), run.args[0]
    later = complete_visit(qtbot, app, office, office.inspector)
    page = show_sync_page(qtbot, app)
    states = {r.entity_id: r.state for r in page.shown_rows()}
    assert states == {vid: "sent", fine: "sent", broken: "quarantined", later: "waiting"}
    assert page.shown_rows()[0].entity_id == broken  # stuck records come first
    assert "缺失或损坏" in page.shown_rows()[0].reason
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert page.model.data(page.model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    shoot(window, "14-sync")


def test_server_gone_says_unreachable_and_backs_off(qtbot: Any, central: Central, office: Office,
                                                    app: App) -> None:
    server = ProcessServer(central.backend)  # its own server: this test stops it
    try:
        log_in(qtbot, app, server.url, office.inspector2)
        vid = complete_visit(qtbot, app, office, office.inspector2)
    finally:
        server.stop()
    window, sync = app.window, app.sync
    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as run:
        window.sync_action.trigger()  # the menu action (Ctrl+Shift+S)
    outcome: SyncOutcome = run.args[0]
    assert outcome.state is SyncState.UNREACHABLE, outcome
    assert window.sync_status.state_label.text() == "服务器无法连接"
    assert sync.backing_off and outcome.retry_in is not None and outcome.retry_in >= 5
    assert "自动重试" in window.sync_status.state_label.toolTip()
    qtbot.waitUntil(lambda: window.sync_status.waiting_label.text() == "待同步 1 条", timeout=10_000)
    # still on the laptop, not acknowledged: sent again (and answered "exists") when the server is back
    assert row_of(show_sync_page(qtbot, app), vid).state in ("waiting", "sending")
    # an automatic trigger waits for the backoff instead of hammering the server
    sync.request_sync()
    assert not sync.running


@pytest.mark.parametrize("how", ["click", "enter"])
def test_wrong_password_is_said_plainly_and_nothing_is_kept(qtbot: Any, central: Central, office: Office,
                                                            app: App, how: str) -> None:
    window = app.window
    window.show_login()
    dialog = window.findChild(LoginDialog)
    dialog.server_edit.setText(central.server.url)
    dialog.user_edit.setText(office.inspector)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.password_edit.setFocus()
    qtbot.waitUntil(dialog.password_edit.hasFocus, timeout=5000)
    QTest.keyClicks(dialog.password_edit, "not the password")
    with qtbot.waitSignal(dialog.sig_failed, timeout=SYNC_TIMEOUT) as failed:
        if how == "click":
            QTest.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        else:  # Enter in the password field: the dialog stays open and says why
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert failed.args[0] == "登录失败：用户名或密码错误"
    assert dialog.isVisible() and dialog.message.text() == failed.args[0]
    assert dialog.password_edit.hasFocus() or QApplication.focusWidget() is None
    shoot(dialog, "15-login")
    assert app.sync.accounts == [] and window.ctx.account == ""
    assert not (app.root / "sync-tokens.json").exists()
    assert window.ctx.settings.value("sync/server_url") is None
    assert window.sync_status.account_button.text() == "登录…"
    dialog.reject()


def test_network_coming_back_starts_a_sync(qtbot: Any, central: Central, office: Office, app: App) -> None:
    sync, window = app.sync, app.window
    log_in(qtbot, app, central.server.url, office.leader)
    sync.on_reachability_changed(Reachability.Disconnected)
    assert window.sync_status.state_label.text() == "离线"
    sync.request_sync()  # the timer while offline: nothing happens
    assert not sync.running
    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as run:
        sync.on_reachability_changed(Reachability.Online)  # as QNetworkInformation would call it
    assert run.args[0].state is SyncState.OK
    assert window.sync_status.state_label.text().startswith("上次同步 ")


def test_revoked_login_offers_the_login_dialog(qtbot: Any, central: Central, office: Office,
                                               app: App) -> None:
    from inspector_app.central.db.engine import Database
    from inspector_app.central.logic import auth

    sync, window = app.sync, app.window
    log_in(qtbot, app, central.server.url, office.inspector)
    db = Database(central.backend.url)
    try:
        with db.write() as conn:
            assert auth.revoke_device(conn, office.inspector) >= 1
    finally:
        db.dispose()
    with qtbot.waitSignal(sync.sig_finished, timeout=SYNC_TIMEOUT) as run:
        sync.sync_now()
    assert run.args[0].state is SyncState.EXPIRED and not sync.backing_off
    assert window.sync_status.state_label.text() == "登录已失效"
    assert window.sync_status.account_button.text() == "重新登录…"
    sync.request_sync()  # automatic triggers wait for the login instead of asking again
    assert not sync.running
    QTest.mouseClick(window.sync_status.account_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(LoginDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.user_edit.text() == office.inspector and dialog.server_edit.text() == central.server.url
    dialog.reject()
