"""Fixtures shared by the server and sync tests: one server per database backend for a module,
fresh teams and users per test. Each of those packages' conftest imports them."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.harness import (
    BACKENDS,
    Backend,
    Office,
    ThreadServer,
    drop_backend,
    make_backend,
    seed_office,
)

os.environ.setdefault("INSPECTOR_NO_KEYRING", "1")


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2 at its production cost takes ~0.1 s a hash; in-process tests make hundreds."""
    from argon2 import PasswordHasher

    from inspector_app.central.logic import auth

    saved = auth._HASHER
    auth._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._HASHER = saved


# PostgreSQL's pull watermark (pg_snapshot_xmin) is cluster-wide: a transaction open in one test's
# database holds back another test's pulls, which is right for a server but makes parallel tests
# see each other. So PostgreSQL tests take turns across xdist workers (pytest-xdist's loadgroup
# does not group under pytest 9); SQLite tests run freely.
_PG_TURN = Path(tempfile.gettempdir()) / "inspector-app-postgres-tests.lock"


@contextmanager
def postgres_turn(kind: str) -> Iterator[None]:
    """Hold the PostgreSQL turn (nothing for SQLite). Set-up and teardown of a PostgreSQL database
    or server run migrations and open transactions too, so they take the turn like tests do."""
    if kind != "postgres":
        yield
        return
    with _PG_TURN.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    with postgres_turn(request.param):
        b = make_backend(request.param, tmp_path_factory.mktemp(request.param))
    yield b
    with postgres_turn(request.param):
        drop_backend(b)


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[ThreadServer]:
    with postgres_turn(backend.kind):
        srv = ThreadServer(backend)
    yield srv
    with postgres_turn(backend.kind):
        srv.stop()


@pytest.fixture(autouse=True)
def _postgres_turn(request: pytest.FixtureRequest) -> Iterator[None]:
    if "backend" not in request.fixturenames:
        yield
        return
    with postgres_turn(request.getfixturevalue("backend").kind):
        yield


@pytest.fixture
def office(backend: Backend) -> Office:
    return seed_office(backend)


@pytest.fixture
def laptop_dir(tmp_path: Path) -> Path:
    return tmp_path
