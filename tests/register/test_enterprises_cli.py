"""The register commands run as a user runs them: a subprocess, exit codes and printed text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from inspector_app.store.workspace import Workspace
from tests.support.registers import code, good_row, write_csv, write_xlsx


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(workspace), *args],
        capture_output=True,
        check=False,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_import_then_list_as_json_csv_and_table(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = run(
        ws, "enterprises", "import", str(write_xlsx(tmp_path / "r.xlsx", [good_row(1), good_row(2)]))
    )
    assert result.returncode == 0, result.stderr
    assert "新增 2 家" in result.stdout
    listed = run(ws, "enterprises", "list", "--format", "json")
    assert listed.returncode == 0
    assert [r["credit_code"] for r in json.loads(listed.stdout)] == [code(1), code(2)]
    as_csv = run(ws, "enterprises", "list", "--format", "csv", "--search", "bljm")
    assert as_csv.stdout.startswith("\ufeffcredit_code,name")
    table = run(ws, "enterprises", "list", "--grid", "宝龙一网格", "--search", code(2)[:17])
    assert code(2) in table.stdout and code(1) not in table.stdout


def test_a_refused_import_exits_1_lists_every_bad_row_and_stores_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    rows = [good_row(i) for i in range(1, 6)]
    bad = code(6)[:17] + ("X" if code(6)[17] != "X" else "Y")
    rows.append([good_row(6)[0], bad, *good_row(6)[2:]])
    rows[1][7] = 500
    result = run(ws, "enterprises", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert result.returncode == 1
    assert "第3行 到岗人数" in result.stderr
    assert f"第7行 统一社会信用代码：校验位错误（应为{code(6)[17]}，实际为{bad[17]}）" in result.stderr
    assert "未导入任何数据" in result.stderr
    listed = run(ws, "enterprises", "list", "--format", "json")
    assert json.loads(listed.stdout) == []


def test_skip_invalid_imports_the_good_rows_and_exits_0(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    rows = [good_row(1), good_row(2)]
    rows[0][5] = "123"
    result = run(
        ws,
        "enterprises",
        "import",
        "--skip-invalid",
        str(write_csv(tmp_path / "r.csv", rows, encoding="gb18030")),
    )
    assert result.returncode == 0, result.stderr
    assert "已跳过 第2行 联系电话" in result.stderr
    assert "新增 1 家" in result.stdout


def test_a_malformed_file_exits_1_naming_the_file(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\x01\x02" * 100)
    result = run(tmp_path / "ws", "enterprises", "import", str(garbage))
    assert result.returncode == 1
    assert "garbage.csv" in result.stderr


def test_a_missing_argument_is_a_usage_error(tmp_path: Path) -> None:
    assert run(tmp_path / "ws", "enterprises", "import").returncode == 2


def test_a_workspace_that_is_not_ours_exits_3(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "inspector.db").write_bytes(b"not a database at all" * 10)
    result = run(ws, "enterprises", "list")
    assert result.returncode == 3
    assert "无法打开工作区" in result.stderr


def test_the_import_help_documents_the_exit_codes(tmp_path: Path) -> None:
    result = run(tmp_path / "ws", "enterprises", "import", "--help")
    assert result.returncode == 0
    for status in ("0", "1", "2", "3"):
        assert f"  {status}  " in result.stdout


def test_visits_list_and_export_write_two_sheets_with_chinese_headers(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    imported = run(ws, "enterprises", "import", str(write_xlsx(tmp_path / "r.xlsx", [good_row(1)])))
    assert imported.returncode == 0, imported.stderr
    listed = run(ws, "visits", "list", "--format", "json", "--enterprise", code(1))
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    out = tmp_path / "out.xlsx"
    result = run(ws, "export", "-o", str(out), "--from", "2020-02-01", "--to", "2020-02-29")
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["检查记录", "隐患"]
    assert book["检查记录"]["C1"].value == "企业名称"
    assert book["隐患"].freeze_panes == "A2"
    assert run(ws, "export", "-o", str(tmp_path / "x.csv")).returncode == 2
    assert run(ws, "export", "-o", str(out), "--from", "2020/02/01").returncode == 2


def test_import_keeps_the_workspace_readable_by_the_app(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    imported = run(ws, "enterprises", "import", str(write_xlsx(tmp_path / "r.xlsx", [good_row(1)])))
    assert imported.returncode == 0, imported.stderr
    opened = Workspace.open(ws, create=False)
    opened.close()
