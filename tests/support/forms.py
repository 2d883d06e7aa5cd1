"""Small forms written into tmp_path, so each test shows exactly the YAML it is about."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.checklist import Form, load_form

HEADER = """\
code: test-form
version: "1.0"
kind: inspection
title: {zh: 测试表, en: Test form}
applies_to: [规上工业企业]
"""

OUTCOME = """\
outcome:
  rules:
    - when: veto_failed
      outcome: 不予复工
    - when: major_count > 0
      outcome: 责令停产整顿
    - when: finding_count > 0
      outcome: 限期整改
  default: 通过
"""


def form_text(items: str, *, header: str = HEADER, outcome: str = OUTCOME) -> str:
    """A whole form around ``items`` (YAML of the item list, written without indentation)."""
    body = textwrap.indent(textwrap.dedent(items).strip("\n"), "      ")
    return f"{header}sections:\n  - key: main\n    title: 检查内容\n    items:\n{body}\n{outcome}"


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def _write(text: str, name: str = "form.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def make_form(write: Callable[..., Path]) -> Callable[..., Form]:
    def _make(items: str, **kw: str) -> Form:
        return load_form(write(form_text(items, **kw)))

    return _make
