"""The architecture and style rules are part of the suite: a violation fails the build."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_imports_point_one_way():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", "inspector_app", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # about a minute; the full run (./dev.sh test) has it, the fast lane does not
def test_mypy_strict_passes():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
