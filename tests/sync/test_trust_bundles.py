"""A sync bundle proves its author: the office imports it only as the account whose device signed it.

Attacks seen (issue 11): a bundle whose header said ``account: admin`` (or any user, or a revoked
one) was accepted by ``inspector-central sync import``: a visit with inspectors ["NOBODY"] stored
as pushed by admin, another team's enterprise renamed. And a 3 MB bundle unpacked to 4.3 GB.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import auth
from inspector_app.central.logic.bundles import import_bundle, verify_bundle
from inspector_app.central.logic.files import FileStore
from inspector_app.sync.bundle import ExportRefused, export_bundle
from inspector_app.sync.tokens import TokenStore
from inspector_app.wire.bundle import (
    HEADER_NAME,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    SIGNATURE_NAME,
    BundleError,
    new_signing_key,
    sign_header,
)
from tests.support.harness import ROOT, Laptop, add_enterprises, server_visit_count


def _store(backend) -> FileStore:
    return FileStore(backend.data_dir / "files", backend.data_dir / "uploads")


def _import(backend, path: Path, **kw):
    """The answers to the bundle's visits (the finding events they brought are answered too)."""
    db = Database(backend.url)
    try:
        return [r for r in import_bundle(db, _store(backend), path, **kw) if r.entity == "visit"]
    finally:
        db.dispose()


def _rewrite(src: Path, dst: Path, header_edit=None, *, resign_key: bytes | None = None, drop_sig=False):
    """Copy a bundle, changing its header (as an attacker with a text editor would)."""
    with zipfile.ZipFile(src) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    header = json.loads(members[HEADER_NAME])
    if header_edit:
        header_edit(header)
    raw = json.dumps(header, ensure_ascii=False).encode()
    members[HEADER_NAME] = raw
    if resign_key is not None:
        sig = json.loads(members[SIGNATURE_NAME])
        sig.update(account=header["account"], device_id=header["device_id"])
        sig["signature"] = sign_header(resign_key, raw)
        members[SIGNATURE_NAME] = json.dumps(sig).encode()
    if drop_sig:
        members.pop(SIGNATURE_NAME)
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    return dst


def _enterprise_name(backend, code: str) -> str:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            return str(
                conn.execute(
                    select(t.enterprises.c.name).where(t.enterprises.c.credit_code == code)
                ).scalar_one()
            )
    finally:
        db.dispose()


@pytest.fixture
def exported(server, office, tmp_path):
    """An inspector's genuine bundle with one visit (and the laptop, for further forgeries)."""
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0], photos=1)
    bundle = tmp_path / "usb" / "push.zip"
    export_bundle(laptop.ws, office.inspector, bundle)
    yield laptop, vid, bundle
    laptop.close()


def test_the_office_sees_who_a_genuine_bundle_is_from_before_importing_it(office, exported):
    _laptop, vid, bundle = exported
    db = Database(office.backend.url)
    author = verify_bundle(db, bundle)
    db.dispose()
    assert (author.username, author.team, author.visits) == (office.inspector, office.team, 1)
    assert office.inspector in author.describe() and "张伟" in author.describe()
    with pytest.raises(BundleError, match="不是确认的"):
        _import(office.backend, bundle, expect_account=office.inspector2)
    assert server_visit_count(office.backend, [vid]) == 0
    (result,) = _import(office.backend, bundle, expect_account=office.inspector)
    assert result.status.value == "accepted" and result.received


def test_a_header_renamed_to_admin_or_another_user_is_refused(office, exported, tmp_path):
    _laptop, vid, bundle = exported
    for account in (office.admin, office.inspector2, office.leader):
        forged = _rewrite(bundle, tmp_path / f"as-{account}.zip", lambda h, a=account: h.update(account=a))
        with pytest.raises(BundleError, match=r"签名|登记"):
            _import(office.backend, forged)
    assert server_visit_count(office.backend, [vid]) == 0


def test_a_bundle_changed_after_signing_is_refused(office, exported, tmp_path):
    _laptop, _vid, bundle = exported
    other_team = add_enterprises(office.backend, None, 1)[0]
    before = _enterprise_name(office.backend, other_team)

    def rename(h):
        h["batch"]["edits"].append(
            {
                "id": "forged/1",
                "credit_code": other_team,
                "field": "name",
                "old_value": before,
                "new_value": "被篡改的企业名称",
                "base_version": 1,
                "changed_at": "2026-11-30T08:00:00+00:00",
                "changed_by": "",
            }
        )

    with pytest.raises(BundleError, match="签名无效"):
        _import(office.backend, _rewrite(bundle, tmp_path / "renamed.zip", rename))
    assert _enterprise_name(office.backend, other_team) == before


def test_a_bundle_signed_with_a_key_nobody_registered_or_unsigned_is_refused(office, exported, tmp_path):
    _laptop, vid, bundle = exported
    stranger_key, _public = new_signing_key()
    with pytest.raises(BundleError, match="签名无效"):
        _import(office.backend, _rewrite(bundle, tmp_path / "stranger.zip", resign_key=stranger_key))
    with pytest.raises(BundleError, match="没有签名"):
        _import(office.backend, _rewrite(bundle, tmp_path / "unsigned.zip", drop_sig=True))
    assert server_visit_count(office.backend, [vid]) == 0


def test_a_user_signing_a_bundle_in_another_users_name_is_refused(server, office, exported, tmp_path):
    _laptop, _vid, bundle = exported
    other = Laptop(tmp_path / "other", server.url, office.inspector2)
    key = other.tokens.load_signing_key(server.url, office.inspector2)
    assert key is not None

    def as_colleague_on_my_device(h):
        h["device_id"] = other.engine.device  # the colleague's own device, key and all

    forged = _rewrite(bundle, tmp_path / "colleague.zip", as_colleague_on_my_device, resign_key=key)
    with pytest.raises(BundleError, match=r"签名无效|登记"):
        _import(office.backend, forged)
    other.close()


def test_an_admins_bundle_is_refused_even_when_genuine(server, office, tmp_path):
    laptop = Laptop(tmp_path / "admin", server.url, office.admin)
    from inspector_app.services.register import RegisterService

    laptop.sync()
    code = add_enterprises(office.backend, office.team, 1)[0]
    laptop.sync()
    RegisterService(laptop.ws, account=office.admin).edit(code, {"name": "管理员改的名字"})
    bundle = tmp_path / "admin.zip"
    export_bundle(laptop.ws, office.admin, bundle)
    with pytest.raises(BundleError, match="管理员"):
        _import(office.backend, bundle)
    assert _enterprise_name(office.backend, code) != "管理员改的名字"
    laptop.close()


def test_a_bundle_from_a_revoked_device_is_refused_through_the_office_command(office, exported):
    laptop, vid, bundle = exported
    db = Database(office.backend.url)
    with db.write() as conn:
        auth.revoke_device(conn, office.inspector, laptop.engine.device)
    db.dispose()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "inspector_app.central",
            "--database-url",
            office.backend.url,
            "--data-dir",
            str(office.backend.data_dir),
            "sync",
            "import",
            str(bundle),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    assert "已被注销" in done.stderr and "Traceback" not in done.stderr
    assert server_visit_count(office.backend, [vid]) == 0


def test_an_account_that_never_logged_in_here_cannot_export(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    laptop.complete_visit(office.codes[0])
    bare = TokenStore(tmp_path / "elsewhere", use_keyring=False)
    with pytest.raises(ExportRefused, match="login"):
        export_bundle(laptop.ws, office.inspector, tmp_path / "b.zip", tokens=bare)
    laptop.close()


def test_files_a_bundle_carries_but_no_visit_cites_are_not_stored(office, exported, tmp_path):
    _laptop, _vid, bundle = exported
    junk = b"not cited by anything" * 10
    import hashlib

    sha = hashlib.sha256(junk).hexdigest()
    padded = tmp_path / "padded.zip"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(padded, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, zin.read(name))
        zout.writestr(f"files/{sha}", junk)
    (result,) = _import(office.backend, padded)
    assert result.received
    assert not (office.backend.data_dir / "files" / sha[:2] / sha).exists()


# ------------------------------------------------------------------ bombs


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_zip_bomb_is_refused_by_its_directory_in_bounded_time_and_memory(office, exported, tmp_path):
    _laptop, _vid, bundle = exported
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            zout.writestr(name, zin.read(name))
        zeros = io.BytesIO(bytes(MAX_MEMBER_BYTES + 1))
        zout.writestr("files/" + "0" * 64, zeros.getvalue())
    assert bomb.stat().st_size < 1024 * 1024
    before, started = _peak_rss_mb(), time.perf_counter()
    with pytest.raises(BundleError, match="超过上限"):
        _import(office.backend, bomb)
    assert time.perf_counter() - started < 5
    assert _peak_rss_mb() - before < 64


def test_a_bundle_of_too_many_members_is_refused(office, exported, tmp_path):
    _laptop, _vid, bundle = exported
    crowd = tmp_path / "crowd.zip"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(crowd, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, zin.read(name))
        for i in range(MAX_MEMBERS):
            zout.writestr(f"files/x{i}", b"")
    with pytest.raises(BundleError, match="超过上限"):
        _import(office.backend, crowd)


def test_the_export_command_leaves_the_outbox_as_it_was(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0])
    env = {**os.environ, "INSPECTOR_NO_KEYRING": "1"}
    command = [sys.executable, "-m", "inspector_app.cli", "--workspace", str(laptop.root)]
    done = subprocess.run(
        [*command, "sync", "export", str(tmp_path / "b.zip")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    from sqlmodel import select as orm_select

    from inspector_app.store import tables

    with laptop.ws.session() as s:
        (entry,) = s.exec(orm_select(tables.Outbox).where(tables.Outbox.entity_id == vid)).all()
    assert (entry.state, entry.attempts) == ("waiting", 0)
    laptop.close()


def test_a_bundle_of_more_records_than_one_push_holds_carries_them_all(server, office, tmp_path):
    from inspector_app.services.register import RegisterService
    from inspector_app.wire.models import MAX_BATCH

    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    register = RegisterService(laptop.ws, account=office.inspector)
    for i in range(MAX_BATCH + 20):
        register.edit(office.codes[i % len(office.codes)], {"staff_total": 100 + i})
    bundle = tmp_path / "long-offline.zip"

    summary = export_bundle(laptop.ws, office.inspector, bundle)

    assert summary.edits == MAX_BATCH + 20
    db = Database(office.backend.url)
    try:
        results = import_bundle(db, _store(office.backend), bundle)
    finally:
        db.dispose()
    assert len([r for r in results if r.entity == "enterprise_change"]) == MAX_BATCH + 20
    assert {r.status.value for r in results} <= {"merged", "conflict"}
    laptop.close()
