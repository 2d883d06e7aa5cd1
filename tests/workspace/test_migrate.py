"""The schema's revisions, read without Alembic, are Alembic's own; opening a current workspace
does not import Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from inspector_app.store import migrate

ROOT = Path(__file__).resolve().parents[2]


def alembic_view() -> tuple[str | None, dict[str, str | None]]:
    script = ScriptDirectory.from_config(migrate.alembic_config(Path("unused.db")))
    chain = {}
    for rev in script.walk_revisions():
        down = rev.down_revision
        assert down is None or isinstance(down, str), "a merge revision: teach revision_chain"
        chain[rev.revision] = down
    return script.get_current_head(), chain


def test_head_and_chain_are_alembics() -> None:
    head, chain = alembic_view()
    assert migrate.head_revision() == head
    assert migrate.revision_chain() == chain
    assert migrate.known_revisions() == set(chain)


def test_two_heads_are_an_error_that_names_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision: str = "a"\ndown_revision: str | None = None\n', "utf-8")
    (versions / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', "utf-8")
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\n', "utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(RuntimeError, match=r"2 heads: \['b', 'c'\]"):
        migrate.head_revision()


def test_opening_a_current_workspace_does_not_import_alembic(tmp_path: Path) -> None:
    from inspector_app.store.workspace import Workspace

    Workspace.open(tmp_path / "ws", create=True).close()
    code = ("import sys; from pathlib import Path; from inspector_app.store.workspace import Workspace; "
            f"Workspace.open(Path({str(tmp_path / 'ws')!r}), create=False).close(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
