"""``inspector-central sync import`` shows who a bundle verifiably comes from and imports it only once
the office has confirmed that author: ``--from USER`` matching it, or y at the prompt of a terminal.

Attack seen (issue 11): a bundle acted as whoever its header named. Signatures now prove the author
(tests/sync/test_trust_bundles.py); this is the office's side: it sees the name and confirms it,
and a script that does not name the author imports nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.sync.bundle import export_bundle
from tests.support.harness import ROOT, Laptop, server_visit_count


@pytest.fixture
def exported(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0], photos=1)
    bundle = tmp_path / "usb" / "push.zip"
    export_bundle(laptop.ws, office.inspector, bundle)
    yield vid, bundle
    laptop.close()


def _command(office, bundle: Path, *extra: str) -> list[str]:
    return [
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
        *extra,
    ]


def _run(office, bundle: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(office, bundle, *extra),
        stdin=subprocess.DEVNULL,  # a script: no terminal to ask on
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _on_a_terminal(office, bundle: Path, answer: str) -> tuple[int, str]:
    """The command with a terminal as its input, answering the prompt with ``answer``."""
    main, terminal = os.openpty()
    try:
        proc = subprocess.Popen(
            _command(office, bundle),
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
        )
        os.write(main, answer.encode() + b"\n")
        out, _ = proc.communicate(timeout=120)
    finally:
        os.close(main)
        os.close(terminal)
    return proc.returncode, out


def test_a_script_that_does_not_name_the_author_imports_nothing_and_is_told_how(office, exported):
    vid, bundle = exported
    done = _run(office, bundle)
    assert done.returncode == 1
    # The verified author is shown, and the refusal says what to add.
    assert office.inspector in done.stdout and "张伟" in done.stdout and "检查记录 1 条" in done.stdout
    assert f"--from {office.inspector}" in done.stderr and "未导入" in done.stderr
    assert "Traceback" not in done.stderr
    assert server_visit_count(office.backend, [vid]) == 0


def test_from_another_user_is_refused_naming_the_verified_author(office, exported):
    vid, bundle = exported
    done = _run(office, bundle, "--from", office.inspector2)
    assert done.returncode == 1
    assert office.inspector in done.stderr and office.inspector2 in done.stderr and "未导入" in done.stderr
    assert server_visit_count(office.backend, [vid]) == 0


def test_from_the_verified_author_imports(office, exported):
    vid, bundle = exported
    done = _run(office, bundle, "--from", office.inspector)
    assert done.returncode == 0, done.stderr
    assert office.inspector in done.stdout and "accepted" in done.stdout
    assert server_visit_count(office.backend, [vid]) == 1


def test_at_a_terminal_the_office_confirms_or_declines(office, exported):
    vid, bundle = exported
    code, out = _on_a_terminal(office, bundle, "n")
    assert code == 1 and "[y/N]" in out and "未导入" in out
    assert server_visit_count(office.backend, [vid]) == 0
    code, out = _on_a_terminal(office, bundle, "y")
    assert code == 0, out
    assert "张伟" in out and "accepted" in out
    assert server_visit_count(office.backend, [vid]) == 1


def test_a_file_in_a_bundle_that_is_not_an_image_is_not_stored(server, office, tmp_path):
    """The bundle's author signed it, yet a file its visit cites is no image: the visit is stored
    but not received, and the bytes never enter the office's store (as on every upload path)."""
    import hashlib
    import json
    import zipfile

    from inspector_app.domain.visit import content_hash
    from inspector_app.sync.tokens import TokenStore
    from inspector_app.wire.bundle import HEADER_NAME, SIGNATURE_NAME, sign_header
    from tests.support.harness import server_received

    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0])
    genuine = tmp_path / "genuine.zip"
    export_bundle(laptop.ws, office.inspector, genuine)
    junk = b"PK\x03\x04 an archive, not a photo " + os.urandom(16)
    sha = hashlib.sha256(junk).hexdigest()
    with zipfile.ZipFile(genuine) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    header = json.loads(members[HEADER_NAME])
    (item,) = header["batch"]["visits"]
    doc = {k: v for k, v in item["document"].items() if k != "content_hash"}
    doc["photos"] = [*doc["photos"], {"sha256": sha, "item_key": "exits"}]
    entry = {"sha256": sha, "size": len(junk), "mime": "image/jpeg", "kind": "photo"}
    doc["manifest"] = sorted([*doc["manifest"], entry], key=lambda m: m["sha256"])
    doc["content_hash"] = item["content_hash"] = content_hash(doc)
    item["document"] = doc
    header["files"] = [*header["files"], sha]
    raw = json.dumps(header, ensure_ascii=False).encode()
    key = TokenStore(laptop.root, use_keyring=False).load_signing_key(server.url, office.inspector)
    assert key is not None
    signature = json.loads(members[SIGNATURE_NAME])
    signature["signature"] = sign_header(key, raw)
    members.update({HEADER_NAME: raw, SIGNATURE_NAME: json.dumps(signature).encode(), f"files/{sha}": junk})
    bundle = tmp_path / "signed-junk.zip"
    with zipfile.ZipFile(bundle, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)

    done = _run(office, bundle, "--from", office.inspector)

    assert done.returncode == 0, done.stderr
    assert server_visit_count(office.backend, [vid]) == 1
    assert server_received(office.backend, [vid]) == set()
    assert not (office.backend.data_dir / "files" / sha[:2] / sha).exists()
    assert sorted((office.backend.data_dir / "uploads").glob("*")) == []
    laptop.close()
