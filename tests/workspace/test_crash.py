"""Killing the app mid-visit loses nothing it showed as saved, and leaves a sound database."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector_app.services.context import AppServices
from tests.support.gui import BADGES, FIXTURE_FORMS, seed

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["1", "Return", "2", "Return", "Return", "1", "2", "Return", "5", "Return", "3"]
EXPECTED = {"plan": "Y", "exits": "N", "staff_total": 12, "on_site": 5, "masks": "NA"}

pytestmark = pytest.mark.slow


def test_sigkill_keeps_every_saved_answer(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    codes = seed(ws)
    services = AppServices.open(ws, forms_dir=FIXTURE_FORMS, create=False)
    try:
        visit_id, _ = services.visits.start(codes[0], "ui-test", list(BADGES))
    finally:
        services.close()
    steps = [{"wait": "workspace"}, {"open_visit": visit_id}]
    steps += [{"key": k} for k in KEYS]
    steps += [{"idle": True}]
    script = tmp_path / "script.json"
    script.write_text(json.dumps(steps), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INSPECTOR_TEST_SCRIPT=str(script),
               INSPECTOR_FORMS_DIR=str(FIXTURE_FORMS), HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("INSPECTOR_WORKSPACE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.scripted", "--workspace", str(ws)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    saved: list[str] = []
    deadline = time.monotonic() + 90
    try:
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("SAVED "):
                saved.append(line.split()[1])
            if "masks" in saved:
                break  # kill at once: the last answer has only just been reported
    finally:
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert set(saved) >= set(EXPECTED), f"app reported {saved}; stderr:\n{err}"

    con = sqlite3.connect(ws / "inspector.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    services = AppServices.open(ws, forms_dir=FIXTURE_FORMS, create=False)
    try:
        answers = services.visits.snapshot(visit_id).answers
    finally:
        services.close()
    for key in saved:
        assert answers[key] == EXPECTED[key]
