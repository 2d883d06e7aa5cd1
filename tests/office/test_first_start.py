"""Starting the office on a fresh machine, and what the command line says when its data folder or
database cannot be used: a sentence that says what to do, never a traceback."""

from __future__ import annotations

import os
import resource
import signal
import ssl
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.harness import ROOT, free_port, new_code


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "INSPECTOR_CENTRAL_"))}
    env["HOME"] = str(home)
    return env


def _central(home: Path, *args: str, stdin: str = "", **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.central", *args],
        check=False,
        cwd=home,
        env=_env(home),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,  # type: ignore[call-overload]
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _serving(home: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector_app.central", *args, "serve", "--port", str(port)],
        cwd=home,
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                _out, err = proc.communicate(timeout=5) if proc.poll() is not None else ("", "")
                raise AssertionError(f"serve did not start: {err}")
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_with_no_options_on_a_fresh_machine_creates_a_private_data_folder_and_says_what_next(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    data = home / ".local" / "share" / "inspector-central"
    with _serving(home) as (url, proc):
        # What the stop hook of the project checks: the API description answers this machine.
        assert httpx.get(f"{url}/openapi.json").status_code == 200
    out = proc.stdout.read() if proc.stdout else ""
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
    assert url in out
    assert "users add admin --role admin" in out  # how to make the first admin
    assert str(data) in out
    assert _mode(data) == 0o700
    for name in ("central.db", "central.db-wal", "central.db-shm"):
        if (data / name).exists():
            assert _mode(data / name) == 0o600, name
    for folder in ("files", "uploads", "logs"):
        assert _mode(data / folder) == 0o700, folder
    assert _mode(data / "logs" / "access.log") == 0o600
    assert "GET /openapi.json" in (data / "logs" / "access.log").read_text(encoding="utf-8")


def test_once_an_admin_exists_serve_no_longer_asks_for_one(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    made = _central(home, "users", "add", "boss", "--role", "admin", stdin="Z8p!kq2-vN4e-Lw7\n")
    assert made.returncode == 0, made.stderr
    with _serving(home) as (_url, proc):
        pass
    assert "users add admin" not in (proc.stdout.read() if proc.stdout else "")


def test_an_existing_data_folder_open_to_others_is_made_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    first = _central(tmp_path, "--data-dir", str(data), "migrate")
    assert first.returncode == 0, first.stderr
    (data / "central.db").chmod(0o644)
    data.chmod(0o755)
    again = _central(tmp_path, "--data-dir", str(data), "users", "list")
    assert again.returncode == 0, again.stderr
    assert _mode(data) == 0o700
    assert _mode(data / "central.db") == 0o600


def test_a_data_folder_that_cannot_be_created_is_said_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = _central(tmp_path, "--data-dir", str(blocker / "data"), "users", "list")
    assert r.returncode == 3
    assert "Traceback" not in r.stderr
    assert str(blocker / "data") in r.stderr or str(blocker) in r.stderr


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """A database that cannot be written: immutable for root (who ignores modes), 0444 otherwise."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot make a file immutable here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o600)


def test_a_read_only_database_is_said_so_and_left_untouched(tmp_path):
    data = tmp_path / "data"
    assert _central(tmp_path, "--data-dir", str(data), "migrate").returncode == 0
    db = data / "central.db"
    before = db.read_bytes()
    with _read_only(db):
        r = _central(tmp_path, "--data-dir", str(data), "teams", "add", "第二检查组")
    assert r.returncode == 3, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert "只读" in r.stderr
    assert db.read_bytes() == before


def _limit_file_size(limit: int) -> None:
    # Writes past ``limit`` bytes fail (EFBIG) instead of the process being killed by SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@contextmanager
def _small_disk(where: Path, size_kb: int) -> Iterator[bool]:
    """A really small disk (tmpfs) where this test may mount one; else yields False."""
    where.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(where)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(where)], check=False)


def _register(path: Path, rows: int) -> Path:
    lines = ["统一社会信用代码,企业名称,地址,网格,员工总数"]
    lines += [
        f"{new_code()},测试企业{i}有限公司,宝龙街道{'很长的地址' * 20}{i}号,宝龙一网格,{i}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(
    data: Path, register: Path, home: Path, limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "inspector_app.central",
            "--data-dir",
            str(data),
            "enterprises",
            "import",
            str(register),
        ],
        cwd=ROOT,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=None if limit is None else (lambda: _limit_file_size(limit)),
        check=False,
    )


def _intact_and_empty(db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM enterprises").fetchone() == (0,)
    finally:
        conn.close()


def test_a_disk_that_fills_up_during_an_import_is_said_so_and_nothing_half_written(tmp_path):
    data = tmp_path / "disk" / "data"
    register = _register(tmp_path / "register.csv", 3000)
    with _small_disk(tmp_path / "disk", 900) as mounted:
        if not mounted:
            pytest.skip("no small disk can be mounted here (the file-size-limit test covers the message)")
        assert _central(tmp_path, "--data-dir", str(data), "migrate").returncode == 0
        r = _import(data, register, tmp_path)
        assert r.returncode == 3, (r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        assert "磁盘已满" in r.stderr
        _intact_and_empty(data / "central.db")


def test_a_write_refused_by_the_file_system_during_an_import_is_said_so(tmp_path):
    data = tmp_path / "data"
    assert _central(tmp_path, "--data-dir", str(data), "migrate").returncode == 0
    register = _register(tmp_path / "register.csv", 3000)
    r = _import(data, register, tmp_path, limit=(data / "central.db").stat().st_size + 64 * 1024)
    assert r.returncode == 3, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert "磁盘" in r.stderr
    _intact_and_empty(data / "central.db")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made with the cryptography package (as an office's CA would)."""
    from datetime import UTC, datetime, timedelta
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "inspector-central test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certfile, keyfile


def test_serve_with_a_certificate_answers_https_only(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    certfile, keyfile = _self_signed(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspector_app.central",
            "serve",
            "--port",
            str(port),
            "--certfile",
            str(certfile),
            "--keyfile",
            str(keyfile),
        ],
        cwd=home,
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    trust = ssl.create_default_context(cafile=str(certfile))
    try:
        deadline = time.time() + 60
        while True:
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/api/v1/health", verify=trust, timeout=1)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.time() < deadline, "serve did not start"
                time.sleep(0.2)
        assert r.status_code == 200
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(15)
    assert f"https://127.0.0.1:{port}" in (proc.stdout.read() if proc.stdout else "")


def test_serve_refuses_a_certificate_without_its_key(tmp_path):
    certfile, _keyfile = _self_signed(tmp_path)
    r = _central(tmp_path, "--data-dir", str(tmp_path / "d"), "serve", "--certfile", str(certfile))
    assert r.returncode == 1 and "--keyfile" in r.stderr
