"""``inspector-app forms check`` run as a subprocess, as office staff and CI run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.forms import form_text

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "forms", "check", *args],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def test_the_shipped_forms_pass_and_the_command_exits_0():
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("5 份检查表通过校验")


def test_a_broken_form_is_listed_line_by_line_and_the_command_exits_1(tmp_path):
    bad = tmp_path / "fire.yaml"
    bad.write_text(form_text("""
        - key: exits_clear
          type: yesno2
          label: 疏散通道畅通
        - key: count
          type: integer
          label: 数量
          min: 5
          max: 1
    """), encoding="utf-8")
    result = run(str(bad))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].endswith(
        'fire.yaml:11: item "exits_clear": unknown type "yesno2" '
        "(one of compliance, yesno, integer, decimal, text, choice, multi, date, photos, signature)"
    )
    assert 'fire.yaml:17: item "count": bad range: min 5 is greater than max 1' in lines[1]
    assert lines[-1] == "2 个错误"


def test_the_forms_folder_can_be_overridden_by_the_environment(tmp_path):
    (tmp_path / "one.yaml").write_text(form_text("- {key: a, type: text, label: 甲}"), encoding="utf-8")
    result = run(env={"INSPECTOR_FORMS_DIR": str(tmp_path)})
    assert result.returncode == 0 and result.stdout.strip() == "1 份检查表通过校验"


def test_a_folder_without_forms_is_refused(tmp_path):
    result = run(str(tmp_path))
    assert result.returncode == 1 and "没有找到检查表文件" in result.stdout
