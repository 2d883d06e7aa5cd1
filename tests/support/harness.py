"""A real office server on 127.0.0.1 (thread or process), its database (SQLite or PostgreSQL),
and laptops made with the real services: what every sync and central test stands on."""

from __future__ import annotations

import itertools
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn

from inspector_app.central.api.app import create_app
from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain import credit_code
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services.context import AppServices
from inspector_app.store.workspace import Workspace
from inspector_app.sync.accounts import login
from inspector_app.sync.engine import SyncEngine
from inspector_app.sync.report import SyncReport
from inspector_app.sync.tokens import TokenStore
from inspector_app.wire import Role
from tests.support.images import photo, png

ROOT = Path(__file__).resolve().parents[2]
FORMS = Path(__file__).parent / "fixtures" / "sync" / "forms"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"
_codes = itertools.count(random.randrange(1_000_000, 8_000_000))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_code() -> str:
    return credit_code.complete(f"91440300MA{next(_codes):07d}")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


# ------------------------------------------------------------------ databases


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def create_pg_database() -> str:
    import psycopg

    name = f"central_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Backend:
    kind: str  # sqlite / postgres
    url: str
    data_dir: Path
    pg_name: str | None = None

    def settings(self, **kw: object) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.url, **kw)  # type: ignore[arg-type]


def make_backend(kind: str, tmp: Path) -> Backend:
    data_dir = tmp / f"central-{kind}"
    data_dir.mkdir(parents=True, exist_ok=True)
    if kind == "postgres":
        if not postgres_available():
            pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
        name = create_pg_database()
        backend = Backend(kind, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", data_dir, name)
    else:
        backend = Backend(kind, f"sqlite:///{data_dir / 'central.db'}", data_dir)
    migrate.upgrade(backend.url)
    return backend


def drop_backend(backend: Backend) -> None:
    if backend.pg_name:
        drop_pg_database(backend.pg_name)
    shutil.rmtree(backend.data_dir, ignore_errors=True)


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


# ------------------------------------------------------------------ servers


class ThreadServer:
    """uvicorn in a thread of the test process, on a free loopback port."""

    def __init__(self, backend: Backend, **settings: object) -> None:
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = Database(backend.url)
        app = create_app(backend.settings(**settings), db=self.db)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.db.dispose()


class ProcessServer:
    """``inspector-central serve`` in its own process: what the kill tests kill. ``module`` is what
    ``python -m`` runs (tests.support.crashing_central: a server that dies before committing a push)."""

    def __init__(self, backend: Backend, *, env: dict[str, str] | None = None, workers: int = 1,
                 module: str = "inspector_app.central") -> None:
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                module,
                "--database-url",
                backend.url,
                "--data-dir",
                str(backend.data_dir),
                "serve",
                "--port",
                str(self.port),
                "--no-migrate",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                # Ended first: reading the stderr of a server still running would wait forever.
                self.stop()
                raise RuntimeError(
                    f"server did not start: {self.proc.stderr.read() if self.proc.stderr else ''}"
                )
            time.sleep(0.05)

    def wait_exit(self, timeout: float = 10) -> int:
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ------------------------------------------------------------------ the office


@dataclass
class Office:
    """A team with its people, enterprises and the published form, made on the server's database."""

    backend: Backend
    team: str
    inspector: str
    inspector2: str
    leader: str
    admin: str
    codes: list[str]
    badges: dict[str, str] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return Database(self.backend.url)


def seed_office(backend: Backend, *, enterprises: int = 3) -> Office:
    db = Database(backend.url)
    team = unique("第一检查组")
    names = {k: unique(k) for k in ("insp", "insp2", "lead", "admin")}
    badges = {n: f"B{uuid.uuid4().hex[:10]}" for n in names.values()}
    try:
        people = (  # (key, role, display name, team): the admin belongs to no team
            ("insp", Role.INSPECTOR, "张伟", team),
            ("insp2", Role.INSPECTOR, "李娜", team),
            ("lead", Role.LEADER, "王组长", team),
            ("admin", Role.ADMIN, "管理员", None),
        )
        with db.write() as conn:
            for key, role, shown, in_team in people:
                admin.add_user(conn, names[key], PASSWORD, role, team=in_team,
                               badge_number=badges[names[key]], display_name=shown)
            for form in sorted(FORMS.glob("*.yaml")):
                admin.publish_form(conn, form)
        codes = add_enterprises(backend, team, enterprises)
    finally:
        db.dispose()
    return Office(backend, team, names["insp"], names["insp2"], names["lead"], names["admin"], codes, badges)


def add_enterprises(backend: Backend, team: str | None, count: int, tmp: Path | None = None) -> list[str]:
    """Import a register file with the server's importer (the desktop's reader)."""
    codes = [new_code() for _ in range(count)]
    folder = tmp or backend.data_dir
    path = folder / f"register-{uuid.uuid4().hex[:6]}.csv"
    lines = ["统一社会信用代码,企业名称,地址,网格,员工总数"]
    lines += [f"{c},测试企业{c[-6:]}有限公司,宝龙街道{i}号,宝龙一网格,{10 + i}" for i, c in enumerate(codes)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = Database(backend.url)
    try:
        with db.write() as conn:
            summary = admin.import_enterprises(conn, path, team=team)
        assert not summary.problems, summary.problems
    finally:
        db.dispose()
    path.unlink()
    return codes


# ------------------------------------------------------------------ laptops


class FixedClock:
    def __init__(self, offset_seconds: float = 0) -> None:
        self.offset = offset_seconds

    def __call__(self) -> datetime:
        from datetime import timedelta

        return datetime.now(UTC) + timedelta(seconds=self.offset)


class Laptop:
    """A workspace with a logged-in inspector; visits are made with the real VisitService."""

    _seq = itertools.count(1)

    def __init__(
        self,
        root: Path,
        server_url: str,
        username: str,
        *,
        clock: FixedClock | None = None,
        transport: httpx.BaseTransport | None = None,
        **engine_kw: object,
    ) -> None:
        self.root = root
        self.username = username
        self.clock = clock or FixedClock()
        self.ws = Workspace.open(root)
        self.tokens = TokenStore(root, use_keyring=False)
        self.server_url = server_url
        self.transport = transport
        login(self.ws, server_url, username, PASSWORD, tokens=self.tokens, transport=transport)
        self.engine = SyncEngine(
            self.ws, username, tokens=self.tokens, transport=transport, clock=self.clock, **engine_kw
        )  # type: ignore[arg-type]
        self._app: AppServices | None = None

    def relogin(self) -> None:
        login(self.ws, self.server_url, self.username, PASSWORD, tokens=self.tokens, transport=self.transport)

    def sync(self, **kw: object) -> SyncReport:
        return self.engine.sync_once(**kw)  # type: ignore[arg-type]

    @property
    def app(self) -> AppServices:
        if self._app is None:
            self._app = AppServices.open(
                self.root, forms_dir=self.root / "forms", account=self.username, clock=self.clock
            )
        return self._app

    def badge(self) -> str:
        from inspector_app.sync.accounts import get_account

        acct = get_account(self.ws, self.username)
        assert acct is not None
        return acct.badge_number

    def complete_visit(
        self,
        code: str,
        *,
        photos: int = 0,
        photo_side: int = 640,
        visit_id: str | None = None,
        staff: int = 120,
    ) -> str:
        app = self.app
        badge = self.badge()
        vid, _ = app.visits.start(code, "mini-check", [badge], visit_id=visit_id)
        for key, value in {"plan": "Y", "staff": staff, "on_site": 100, "exits": "N"}.items():
            app.visits.answer(vid, key, value)
        snap = app.visits.snapshot(vid)
        for f in snap.findings:
            app.visits.update_finding(f.id, description="通道堆放杂物")
        n = next(self._seq) * 1000 + random.randrange(1000)
        for i in range(photos):
            app.visits.add_photo(vid, photo(n + i, photo_side), item_key="exits")
        app.visits.sign(vid, inspector_role(badge), "张伟", png(n))
        app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(n + 500))
        app.visits.complete(vid)
        return vid

    def finish_draft(self, vid: str) -> None:
        """Answer, sign and complete a draft started with :meth:`start_draft` (no findings)."""
        app, badge = self.app, self.badge()
        for key, value in {"plan": "Y", "staff": 120, "on_site": 100, "exits": "Y"}.items():
            app.visits.answer(vid, key, value)
        n = next(self._seq) * 1000 + random.randrange(1000)
        app.visits.sign(vid, inspector_role(badge), "张伟", png(n))
        app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(n + 500))
        app.visits.complete(vid)

    def start_draft(self, code: str) -> str:
        vid, _ = self.app.visits.start(code, "mini-check", [self.badge()])
        return vid

    def outbox_states(self) -> dict[str, str]:
        from sqlmodel import select

        from inspector_app.store import tables

        with self.ws.session() as s:
            return {o.entity_id: o.state for o in s.exec(select(tables.Outbox))}

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
        self.ws.close()


def server_visit_count(backend: Backend, ids: list[str] | None = None) -> int:
    from sqlalchemy import func, select

    from inspector_app.central.db import tables as t

    db = Database(backend.url)
    try:
        with db.read() as conn:
            stmt = select(func.count()).select_from(t.visits)
            if ids is not None:
                stmt = stmt.where(t.visits.c.id.in_(ids))
            return int(conn.execute(stmt).scalar_one())
    finally:
        db.dispose()


def server_received(backend: Backend, ids: list[str]) -> set[str]:
    from sqlalchemy import select

    from inspector_app.central.db import tables as t

    db = Database(backend.url)
    try:
        with db.read() as conn:
            return set(
                conn.execute(
                    select(t.visits.c.id).where(t.visits.c.id.in_(ids), t.visits.c.received_at.is_not(None))
                ).scalars()
            )
    finally:
        db.dispose()


def answer_for(item: object, today: str, attempt: int = 0) -> object:
    """A valid, compliant answer for any item type, read from the item's definition."""
    from inspector_app.checklist import ItemType

    kind = item.type  # type: ignore[attr-defined]
    if kind is ItemType.COMPLIANCE:
        return "Y"
    if kind is ItemType.YESNO:
        bad = item.bad_answer  # type: ignore[attr-defined]
        return not bad if bad is not None else True
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        low = item.min  # type: ignore[attr-defined]
        return int(low) if low is not None else 1
    if kind is ItemType.CHOICE:
        return item.choices[0].value  # type: ignore[attr-defined]
    if kind is ItemType.MULTI:
        return [] if item.tick_list else [item.choices[0].value]  # type: ignore[attr-defined]
    if kind is ItemType.DATE:
        # Today first; a date the form's constraints refuse is tried again later, then earlier.
        return [today, "2099-12-31", "2000-01-01"][attempt % 3]
    return "情况正常"


def fill_required(app: AppServices, vid: str, *, signature_items: bytes | None = None) -> None:
    """Answer every required item the form shows (discovered from the form), as an inspector would:
    photos items get a photo, signature items the given image; until nothing is missing."""
    from inspector_app.checklist import ItemType

    snap = app.visits.snapshot(vid)
    form = snap.form
    today = datetime.now(UTC).date().isoformat()
    for attempt in range(10):
        keys = [m.target for m in app.visits.missing(vid) if m.target in form.items]
        if not keys:
            return
        for key in keys:
            item = form.items[key]
            if item.type is ItemType.PHOTOS:
                app.visits.add_photo(vid, photo(hash(key) % 10_000, 200), item_key=key)
            elif item.type is ItemType.SIGNATURE:
                app.visits.answer_signature(vid, key, signature_items or png(hash(key) % 5000))
            else:
                app.visits.answer(vid, key, answer_for(item, today, attempt))
    raise AssertionError(f"could not fill {vid}: {app.visits.missing(vid)}")
