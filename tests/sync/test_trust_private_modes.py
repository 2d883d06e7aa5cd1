"""A laptop's workspace is readable by its owner alone (issue 11: inspector.db was 0644, its folder
0755, on a laptop shared by several accounts).

The folder and its folders are 0700; the database with its -wal and -shm, the file keeping the
login token and the bundle-signing key, and every photo, signature and thumbnail are 0600. A
workspace made before (world-readable) is tightened when it is opened again.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from inspector_app.store.workspace import Workspace
from inspector_app.sync.tokens import FILE_NAME
from tests.support.harness import Laptop

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _everything(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


def _private(root: Path) -> dict[str, str]:
    """Every path under the workspace whose mode lets anyone but its owner in, with that mode."""
    return {
        str(p.relative_to(root)): oct(_mode(p))
        for p in _everything(root)
        if _mode(p) & 0o077 or _mode(p) != (0o700 if p.is_dir() else 0o600)
    }


def test_a_workspace_in_use_is_its_owners_alone(server, office, tmp_path):
    root = tmp_path / "ws"
    laptop = Laptop(root, server.url, office.inspector)  # logs in: the token and key go to a file
    assert laptop.sync().ok  # the forms and the register
    laptop.complete_visit(office.codes[0], photos=1)
    assert laptop.sync().ok
    names = {p.name for p in root.iterdir()}
    assert {"inspector.db", "inspector.db-wal", "inspector.db-shm", FILE_NAME} <= names
    assert any(p.is_file() for p in (root / "attachments").rglob("*"))
    assert _private(root) == {}


def test_an_older_world_readable_workspace_is_tightened_when_opened(server, office, tmp_path):
    root = tmp_path / "ws"
    laptop = Laptop(root, server.url, office.inspector)
    assert laptop.sync().ok
    laptop.complete_visit(office.codes[0], photos=1)
    laptop.ws.close()
    for p in _everything(root):  # what an earlier version left
        p.chmod(0o755 if p.is_dir() else 0o644)
    assert _private(root)
    Workspace.open(root).close()
    assert _private(root) == {}


def test_a_new_workspace_folder_is_private_from_its_first_open(tmp_path):
    old = os.umask(0o022)
    try:
        ws = Workspace.open(tmp_path / "new" / "ws")
    finally:
        os.umask(old)
    ws.close()
    assert _mode(tmp_path / "new" / "ws") == 0o700
    assert _mode(tmp_path / "new" / "ws" / "inspector.db") == 0o600
