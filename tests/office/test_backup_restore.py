"""``inspector-central backup DEST`` and ``restore SRC``: the office's database and every file it
received come back as they were, on SQLite and on PostgreSQL; a damaged backup is refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.wire import Role
from tests.support.harness import (
    PASSWORD,
    ROOT,
    Backend,
    Laptop,
    ThreadServer,
    drop_backend,
    make_backend,
    seed_office,
)


def _cli(backend: Backend, *args: str) -> subprocess.CompletedProcess[str]:
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
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def own_backend(backend: Backend, tmp_path: Path) -> Iterator[Backend]:
    """A database of this test's own, of the module's kind: a restore replaces all of it."""
    if backend.kind == "postgres" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    fresh = make_backend(backend.kind, tmp_path / "office")
    yield fresh
    drop_backend(fresh)


def _stored_files(backend: Backend) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (backend.data_dir / "files").glob("*/*")}


def _usernames(backend: Backend) -> set[str]:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            return set(conn.execute(select(t.users.c.username)).scalars())
    finally:
        db.dispose()


def test_a_backup_restores_the_database_and_the_files_of_the_office(own_backend: Backend, tmp_path: Path):
    office = seed_office(own_backend)
    srv = ThreadServer(own_backend)
    laptop = Laptop(tmp_path / "laptop", srv.url, office.inspector)
    try:
        laptop.sync()
        vid = laptop.complete_visit(office.codes[0], photos=1)
        assert laptop.sync().ok
    finally:
        laptop.close()
        srv.stop()
    files_before = _stored_files(own_backend)
    users_before = _usernames(own_backend)
    assert len(files_before) >= 3  # the photo and the two signatures

    dest = tmp_path / "backup-1"
    made = _cli(own_backend, "backup", str(dest))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == ("sqlite" if own_backend.kind == "sqlite" else "postgresql")
    assert manifest["files"] == len(files_before)
    assert oct(dest.stat().st_mode & 0o777) == oct(0o700)

    # After the backup: a user is added, and the files are lost.
    db = Database(own_backend.url)
    with db.write() as conn:
        admin.add_user(
            conn, "after-backup", PASSWORD, Role.INSPECTOR, team=office.team, badge_number="LATE-1"
        )
    db.dispose()
    shutil.rmtree(own_backend.data_dir / "files")

    refused = _cli(own_backend, "restore", str(dest))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert "after-backup" in _usernames(own_backend)  # untouched

    restored = _cli(own_backend, "restore", str(dest), "--force")
    assert restored.returncode == 0, restored.stderr
    assert _stored_files(own_backend) == files_before
    assert _usernames(own_backend) == users_before

    # The restored office serves the visit and its photo to the inspector again.
    srv = ThreadServer(own_backend)
    try:
        login = httpx.post(
            f"{srv.url}/api/v1/auth/login",
            json={"username": office.inspector, "password": PASSWORD, "device_id": str(uuid.uuid4())},
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        doc = httpx.get(f"{srv.url}/api/v1/visits/{vid}", headers=headers)
        assert doc.status_code == 200
        sha = doc.json()["manifest"][0]["sha256"]
        content = httpx.get(f"{srv.url}/api/v1/files/{sha}/content", headers=headers)
        assert hashlib.sha256(content.content).hexdigest() == sha
    finally:
        srv.stop()


def test_a_damaged_backup_is_refused_before_anything_is_replaced(own_backend: Backend, tmp_path: Path):
    office = seed_office(own_backend)
    sha_dir = own_backend.data_dir / "files" / "ab"
    sha_dir.mkdir(parents=True)
    data = b"a photo"
    sha = hashlib.sha256(data).hexdigest()
    (own_backend.data_dir / "files" / sha[:2]).mkdir(exist_ok=True)
    (own_backend.data_dir / "files" / sha[:2] / sha).write_bytes(data)
    dest = tmp_path / "backup-2"
    assert _cli(own_backend, "backup", str(dest)).returncode == 0
    (dest / "files" / sha[:2] / sha).write_bytes(b"bit rot")
    db = Database(own_backend.url)
    with db.write() as conn:
        admin.add_user(conn, "kept", PASSWORD, Role.INSPECTOR, team=office.team, badge_number="KEPT-1")
    db.dispose()
    r = _cli(own_backend, "restore", str(dest), "--force")
    assert r.returncode == 1
    assert "损坏" in r.stderr and "Traceback" not in r.stderr
    assert "kept" in _usernames(own_backend)


def test_a_backup_goes_only_into_a_new_or_empty_folder(own_backend: Backend, tmp_path: Path):
    dest = tmp_path / "occupied"
    dest.mkdir()
    (dest / "something.txt").write_text("mine")
    r = _cli(own_backend, "backup", str(dest))
    assert r.returncode == 1 and "不是空的" in r.stderr
    assert (dest / "something.txt").read_text() == "mine"
