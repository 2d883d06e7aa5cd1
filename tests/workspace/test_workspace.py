"""Opening a workspace never damages it: bad files are refused, old schemas backed up then migrated."""

from __future__ import annotations

import sqlite3

import pytest

from inspector_app.store import migrate
from inspector_app.store.workspace import DB_NAME, Workspace, WorkspaceError, default_workspace_dir


def test_a_new_workspace_is_created_with_wal_and_foreign_keys(tmp_path):
    ws = Workspace.open(tmp_path / "ws")
    with ws.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert (tmp_path / "ws" / "attachments").is_dir()
    ws.close()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"PK\x03\x04 this is a zip, not ours")
    with pytest.raises(WorkspaceError, match="文件头不符"):
        Workspace.open(tmp_path)
    assert (tmp_path / DB_NAME).read_bytes().startswith(b"PK")


def test_a_damaged_database_is_refused_and_left_alone(tmp_path):
    ws = Workspace.open(tmp_path)
    ws.close()
    db = tmp_path / DB_NAME
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # scribble over a b-tree page
    db.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(tmp_path)
    assert str(db) in str(err.value)
    assert db.read_bytes() == bytes(data)


def test_a_database_from_a_newer_version_is_refused_without_writing(tmp_path):
    ws = Workspace.open(tmp_path)
    ws.close()
    db = tmp_path / DB_NAME
    with sqlite3.connect(db) as con:
        con.execute("UPDATE alembic_version SET version_num='9999_future'")
    before = db.read_bytes()
    with pytest.raises(WorkspaceError, match=r"更新版本.*9999_future"):
        Workspace.open(tmp_path)
    assert db.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    with sqlite3.connect(tmp_path / DB_NAME) as con:
        con.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(WorkspaceError, match="缺少版本信息"):
        Workspace.open(tmp_path)


def test_an_older_schema_is_backed_up_then_migrated(tmp_path, monkeypatch):
    ws = Workspace.open(tmp_path)
    ws.close()
    # Pretend the code base has one more revision than the file: the file is "behind".
    known = migrate.known_revisions() | {"9999_next"}
    monkeypatch.setattr(migrate, "head_revision", lambda: "9999_next")
    monkeypatch.setattr(migrate, "known_revisions", lambda: known)
    upgraded = []
    monkeypatch.setattr(migrate, "upgrade", lambda path, revision="head": upgraded.append(path))
    Workspace.open(tmp_path).close()
    backups = list((tmp_path / "backups").glob("inspector-*.db"))
    assert len(backups) == 1 and upgraded == [tmp_path / DB_NAME]
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_opening_without_create_refuses_an_empty_folder(tmp_path):
    with pytest.raises(WorkspaceError, match="不是工作区"):
        Workspace.open(tmp_path, create=False)


def test_the_workspace_folder_comes_from_the_flag_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSPECTOR_WORKSPACE", str(tmp_path / "env"))
    assert default_workspace_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert default_workspace_dir(None) == tmp_path / "env"
    monkeypatch.delenv("INSPECTOR_WORKSPACE")
    assert default_workspace_dir(None).name == "workspace"
