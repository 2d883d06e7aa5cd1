"""Suite-wide hooks.

``tests/known_failures.txt`` lists the tests that fail on main after the merge of the parallel
branches of the 2026-11-30 session, each with the issue that owns its repair. They still run: each is
marked as an expected failure (not strict), so the report shows XFAIL while broken and XPASS once
mended. The list is a debt to pay first, not a place to park new failures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_LIST = Path(__file__).with_name("known_failures.txt")


def _known() -> dict[str, str]:
    known: dict[str, str] = {}
    if not _LIST.exists():
        return known
    for raw in _LIST.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        nodeid, _, reason = line.partition("  # ")
        known[nodeid.strip()] = reason.strip() or "known failure after the 2026-11-30 merge"
    return known


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    known = _known()
    for item in items:
        reason = known.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
            # Some of them hang on a modal wait: a minute is plenty for any that passes.
            item.add_marker(pytest.mark.timeout(60))
