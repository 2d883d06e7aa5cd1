"""The central server on each database backend; fresh teams and users per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.harness import (
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


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    b = make_backend(request.param, tmp_path_factory.mktemp(request.param))
    yield b
    drop_backend(b)


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[ThreadServer]:
    srv = ThreadServer(backend)
    yield srv
    srv.stop()


@pytest.fixture
def office(backend: Backend) -> Office:
    return seed_office(backend)


@pytest.fixture
def laptop_dir(tmp_path: Path) -> Path:
    return tmp_path
