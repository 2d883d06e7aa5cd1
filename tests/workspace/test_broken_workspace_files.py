"""A workspace whose files are in a state no clean run leaves is refused untouched (issue 11).

A zero-length (or missing) ``inspector.db`` beside a ``-wal`` holding committed work used to be
taken for a new workspace: ``visits list`` answered an empty table, and an import created a fresh
schema and deleted the log with the committed work in it. A full disk at open was called damaged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.store.workspace import DB_NAME, Workspace, WorkspaceError
from tests.support.registers import good_row, write_csv


def cli(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(workspace), *args],
        capture_output=True, check=False, text=True, encoding="utf-8", timeout=120,
    )


def snapshot(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def orphaned_wal(tmp_path: Path) -> Path:
    """A workspace with enterprises, a transaction committed into the WAL by a process that then
    died (no checkpoint), and the main file truncated to nothing, as a bad copy or disk leaves it."""
    root = tmp_path / "ws"
    register = write_csv(tmp_path / "r.csv", [good_row(1), good_row(2)])
    imported = cli(root, "enterprises", "import", str(register))
    assert imported.returncode == 0, imported.stderr
    crash = (
        "import os, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1])\n"
        "con.execute('PRAGMA wal_autocheckpoint=0')\n"
        "con.execute(\"UPDATE enterprise SET address = '已提交的地址'\")\n"
        "con.commit()\n"
        "os._exit(0)  # killed: the WAL keeps the commit, nothing checkpoints it\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(root / DB_NAME)], check=True, timeout=60)
    wal = root / f"{DB_NAME}-wal"
    assert wal.stat().st_size > 4096
    (root / DB_NAME).write_bytes(b"")
    return root


def test_an_empty_database_beside_a_wal_with_commits_is_refused_with_exit_3_and_left_alone(orphaned_wal):
    before = snapshot(orphaned_wal)
    for args in (("visits", "list"), ("enterprises", "list"),
                 ("enterprises", "import", str(orphaned_wal.parent / "r.csv"))):
        result = cli(orphaned_wal, *args)
        assert result.returncode == 3, (args, result.stdout, result.stderr)
        assert f"{DB_NAME} 是空文件，但旁边的 {DB_NAME}-wal 还有" in result.stderr
        assert "这不是新工作区" in result.stderr and "Traceback" not in result.stderr
        assert snapshot(orphaned_wal) == before


def test_a_missing_database_beside_a_wal_with_commits_is_refused(orphaned_wal):
    (orphaned_wal / DB_NAME).unlink()
    with pytest.raises(WorkspaceError, match=f"{DB_NAME} 不存在，但旁边的 {DB_NAME}-wal 还有"):
        Workspace.open(orphaned_wal)
    assert not (orphaned_wal / DB_NAME).exists() and (orphaned_wal / f"{DB_NAME}-wal").stat().st_size > 4096


def test_an_empty_database_with_an_empty_wal_is_still_a_new_workspace(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"")
    (tmp_path / f"{DB_NAME}-wal").write_bytes(b"")
    Workspace.open(tmp_path).close()
    assert (tmp_path / DB_NAME).stat().st_size > 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1.5 MB tmpfs (needs the right to mount; skipped without it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    with (disk / "filler").open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_full_disk_is_called_a_full_disk_and_leaves_no_half_made_database(small_disk):
    fill(small_disk)
    root = small_disk / "ws"
    for _ in range(2):  # the second open must not take a half-made file for a foreign database
        result = cli(root, "visits", "list")
        assert result.returncode == 3, result.stdout + result.stderr
        assert "磁盘已满" in result.stderr, result.stderr
        assert "已损坏" not in result.stderr and "Traceback" not in result.stderr
        assert not (root / DB_NAME).exists()


def test_a_disk_that_fills_during_an_import_undoes_it_and_says_so(small_disk, tmp_path):
    root = small_disk / "ws"
    assert cli(root, "visits", "list").returncode == 0  # a new, empty workspace fits
    register = write_csv(tmp_path / "big.csv", [good_row(i) for i in range(1, 3001)])
    result = cli(root, "enterprises", "import", str(register))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("导入失败，已全部撤销，工作区保持导入前的样子：磁盘已满"), result.stderr
    assert "Traceback" not in result.stderr
    assert cli(root, "enterprises", "list", "--format", "json").stdout.strip() == "[]"
