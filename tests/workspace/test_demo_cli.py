"""``inspector-app demo`` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Part of the full run (./dev.sh test); the fast lane (./dev.sh quick) leaves it out.
pytestmark = pytest.mark.slow


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(workspace), *args],
        capture_output=True,
        check=False,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_demo_fills_the_workspace_then_refuses_to_overwrite_it_without_force(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first = run(ws, "demo")
    assert first.returncode == 0, first.stderr
    assert "企业 320 家" in first.stdout
    listed = json.loads(run(ws, "enterprises", "list", "--format", "json", "--search", "bljd").stdout)
    assert listed and all("宝龙" in r["address"] for r in listed)
    visits = json.loads(run(ws, "visits", "list", "--format", "json").stdout)
    assert visits
    again = run(ws, "demo")
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert run(ws, "demo", "--force").returncode == 0
    out = tmp_path / "export.xlsx"
    assert run(ws, "export", "-o", str(out)).returncode == 0
    assert out.stat().st_size > 0
