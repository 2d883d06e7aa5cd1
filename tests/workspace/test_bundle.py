"""The Linux bundle: built by installer/build_linux.sh, unpacked from its tarball into a folder
without the project or a Python on PATH, and its --version and --self-test run there.

One build serves the whole module (about a minute on the 2-core CI box); the figures it measures
are printed (run with -s to see them) and recorded in installer/README.md.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import time
from dataclasses import dataclass
from importlib.metadata import version as dist_version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build_linux.sh"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("installer-bundle")]

# Generous limits that still catch a regression: a Qt module or the server stack pulled back in.
MAX_BUNDLE_MIB = 260
MAX_SELF_TEST_SECONDS = 30.0


@dataclass
class Built:
    tarball: Path
    app: Path  # the unpacked copy's folder
    build_seconds: float
    figures: dict[str, str]

    @property
    def exe(self) -> Path:
        return self.app / "inspector-app"

    @property
    def internal(self) -> Path:
        return self.app / "_internal"


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """What a laptop has: no virtualenv, no PYTHONPATH, no display (the self-test goes offscreen)."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    proc = subprocess.run(
        [str(BUILD), "--dist", str(out / "dist"), "--work", str(out / "work"), "--no-smoke"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
    )
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-4000:]
    tarball = Path(proc.stdout.strip().splitlines()[-1])
    unpack = out / "laptop"
    with tarfile.open(tarball) as tar:
        tar.extractall(unpack, filter="tar")
    (app,) = unpack.iterdir()
    figures = dict(
        line.split(" ", 1)
        for line in (out / "dist" / "build-figures.txt").read_text().splitlines()
        if " " in line
    )
    print(f"\nbuild {seconds:.1f} s, {figures}")
    return Built(tarball=tarball, app=app, build_seconds=seconds, figures=figures)


def test_the_tarball_is_named_after_the_package_version(built: Built):
    v = dist_version("inspector-app")
    assert built.tarball.name == f"inspector-app-{v}-linux-{os.uname().machine}.tar.gz"
    assert built.app.name == built.tarball.name.removesuffix(".tar.gz")
    assert (built.app / "VERSION.txt").read_text().startswith(f"inspector-app {v}\n")


def test_the_bundle_reports_its_version_without_python(built: Built, tmp_path: Path):
    proc = subprocess.run(
        check=False,
        args=[str(built.exe), "--version"],
        env=bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"inspector-app {dist_version('inspector-app')}"


def test_the_frozen_self_test_passes(built: Built, tmp_path: Path):
    started = time.monotonic()
    proc = subprocess.run(
        check=False,
        args=[str(built.exe), "--self-test"],
        env=bare_env(tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    wall = time.monotonic() - started
    print(f"\nfrozen self-test {wall:.2f} s wall\n{proc.stdout}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "(frozen build, linux)" in lines[1]
    assert all(line.startswith(("✔", "检查工作台自检", "自检通过")) for line in lines), proc.stdout
    for words in (
        "检查表 / checklists",
        "临时工作区 / scratch workspace",
        "中文 PDF",
        "主窗口 / main window",
    ):
        assert any(words in line for line in lines), words
    assert wall < MAX_SELF_TEST_SECONDS
    # The scratch workspace is gone and the user's real one was never created.
    assert not (tmp_path / ".local" / "share" / "inspector-app").exists()


def test_the_frozen_self_test_names_a_broken_installation(built: Built, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run(
        check=False,
        args=[str(built.exe), "--self-test"],
        env=bare_env(tmp_path, INSPECTOR_RESOURCES=str(empty)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1
    assert any(line.startswith("✘ 资源文件 / resources") for line in proc.stdout.splitlines()), proc.stdout


def test_the_bundle_carries_resources_forms_and_migrations(built: Built):
    inside = built.internal
    assert (inside / "resources" / "fonts" / "uming-gb.ttf").is_file()
    assert (inside / "resources" / "fonts" / "DroidSansFallbackFull.ttf").is_file()
    assert (inside / "resources" / "fonts" / "LICENSE-ARPHICPL.txt").is_file()  # licences travel with fonts
    shipped = sorted(p.name for p in (ROOT / "forms").glob("*.yaml"))
    assert shipped and sorted(p.name for p in (inside / "forms").glob("*.yaml")) == shipped
    versions = inside / "inspector_app" / "store" / "migrations" / "versions"
    assert sorted(p.name for p in versions.glob("*.py")) == sorted(
        p.name for p in (ROOT / "inspector_app" / "store" / "migrations" / "versions").glob("*.py")
    )
    assert (inside / "inspector_app" / "store" / "migrations" / "env.py").is_file()
    i18n = ROOT / "resources" / "i18n"
    for qm in i18n.glob("*.qm"):
        assert (inside / "resources" / "i18n" / qm.name).is_file()
    # the print preview draws PDFs with QtPdf; printing needs QtPrintSupport and Qt's Chinese dialogs
    names = {p.name for p in inside.rglob("*")}
    for wanted in ("QtPdf.abi3.so", "libQt6Pdf.so.6", "QtPrintSupport.abi3.so", "qtbase_zh_CN.qm"):
        assert wanted in names, wanted


def test_the_bundle_leaves_out_what_the_laptop_never_runs(built: Built):
    names = {p.name for p in built.internal.rglob("*")}
    # libQt6Qml/Quick ship since the camera: Qt's FFmpeg media plugin links them. Their Python
    # modules (QtQml, QtQuick) stay out: nothing of ours imports them.
    for unwanted in (
        "libQt6WebEngineCore.so.6",
        "libQt6Designer.so.6",
        "QtQml.abi3.so",
        "QtQuick.abi3.so",
    ):
        assert unwanted not in names, unwanted
    tops = {p.name for p in built.internal.iterdir()}
    for unwanted in (
        "fastapi",
        "uvicorn",
        "psycopg",
        "psycopg_binary",
        "pytest",
        "_pytest",
        "hypothesis",
        "mypy",
        "tests",
        "bench",
        "PyInstaller",
        "tkinter",
    ):
        assert unwanted not in tops, unwanted
    qt_translations = built.internal / "PySide6" / "Qt" / "translations"
    if qt_translations.is_dir():
        assert all("zh_CN" in p.name for p in qt_translations.iterdir())
    # PyInstaller links duplicate Qt libraries with symlinks: count each file once.
    size_mib = (
        sum(p.stat().st_size for p in built.app.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    )
    print(f"\nbundle {size_mib:.0f} MiB, tarball {built.tarball.stat().st_size / 2**20:.0f} MiB")
    assert size_mib < MAX_BUNDLE_MIB
