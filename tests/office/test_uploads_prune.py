"""Partial uploads a laptop gave up on are removed after a while; nothing else is."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
import uvicorn

from inspector_app.central.cli import main
from tests.support.harness import Backend

DAY = 24 * 3600


def _part(backend: Backend, name: str, age_days: float) -> Path:
    """An incomplete upload last appended to ``age_days`` ago."""
    uploads = backend.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    part = uploads / f"{hashlib.sha256(name.encode()).hexdigest()}.part"
    part.write_bytes(b"x" * 1000)
    then = time.time() - age_days * DAY
    os.utime(part, (then, then))
    return part


def _stored_file(backend: Backend, age_days: float) -> Path:
    data = os.urandom(100)
    sha = hashlib.sha256(data).hexdigest()
    path = backend.data_dir / "files" / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - age_days * DAY
    os.utime(path, (then, then))
    return path


def _cli(backend: Backend, *args: str) -> int:
    return main(["--data-dir", str(backend.data_dir), "--database-url", backend.url, *args])


def test_uploads_untouched_for_a_week_are_pruned_and_recent_ones_kept(backend, capsys):
    abandoned = _part(backend, "abandoned", age_days=8)
    in_progress = _part(backend, "in progress", age_days=6)
    complete = _stored_file(backend, age_days=30)

    assert _cli(backend, "uploads", "prune") == 0

    assert not abandoned.exists()
    assert in_progress.exists() and complete.exists()
    assert "已删除 1 个" in capsys.readouterr().out


def test_the_age_limit_is_a_number_of_days(backend):
    three_days = _part(backend, "three days", age_days=3)
    one_day = _part(backend, "one day", age_days=1)

    assert _cli(backend, "uploads", "prune", "--older-than-days", "2") == 0

    assert not three_days.exists() and one_day.exists()
    assert _cli(backend, "uploads", "prune", "--older-than-days", "-1") == 1


def test_serve_prunes_once_as_it_starts(backend, monkeypatch: pytest.MonkeyPatch):
    abandoned = _part(backend, "abandoned before a restart", age_days=10)
    recent = _part(backend, "recent", age_days=0)
    seen_at_start: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: seen_at_start.append(abandoned.exists()))

    assert _cli(backend, "serve", "--no-migrate", "--port", "1") == 0

    assert seen_at_start == [False]
    assert recent.exists()
