"""A demo office on SQLite served in a thread, and a real Chromium (Debian's package) driving it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector_app.central.console import demo
from inspector_app.central.logic.files import FileStore
from tests.support.harness import Backend, ThreadServer, make_backend

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="module")
def office_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    backend: Backend = make_backend("sqlite", tmp_path_factory.mktemp("console"))
    srv = ThreadServer(backend)
    settings = backend.settings()
    demo.create(srv.db, FileStore(settings.files_dir, settings.uploads_dir), password=PASSWORD, days=10)
    yield srv
    srv.stop()
    shutil.rmtree(backend.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (./dev.sh test installs it)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--lang=zh-CN"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(10_000)
    yield p
    context.close()
