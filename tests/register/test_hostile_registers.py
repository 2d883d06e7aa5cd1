"""A register file is read within caps on every dimension, whatever it holds (issue 11).

The attacks: a 1.5 KB workbook naming cell XFDZZZZZZ2, a shared-strings zip bomb, millions of
shared strings, a shared-string index of -1, a CSV line of a hundred million commas. Each is refused
whole with a message naming the file and the place, in bounded time and memory; nothing is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inspector_app.register import RegisterFileError, read_register
from inspector_app.register.reader import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_ZIP_MEMBERS,
)
from tests.support.bounded import run_bounded
from tests.support.registers import HEADER, good_row, write_csv

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (
    f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'
)


def header_row() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER)
    )
    return f'<row r="1">{cells}</row>'


def write_workbook(path: Path, rows_xml: str, *, shared: str | bytes | None = None, extra: int = 0) -> Path:
    """A minimal workbook as Excel lays it out, with the sheet's rows and shared strings as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", RELS)
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}"><sheetData>{header_row()}{rows_xml}</sheetData></worksheet>',
        )
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        for i in range(extra):
            zf.writestr(f"customXml/item{i}.xml", "")
    return path


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


FAR_CELL = f'<row r="2">{text_cell("XFDZZZZZZ2", "x")}</row>'


def refused(path: Path) -> str:
    with pytest.raises(RegisterFileError) as err:
        read_register(path)
    return str(err.value)


def read_bounded(path: Path, *, memory_mb: int = 600, seconds: float = 60) -> tuple[str, float, float]:
    """(the refusal, peak MB, seconds) of reading ``path`` in a child held to the limits."""
    outcome = run_bounded(
        f"""
        import time
        from pathlib import Path
        from inspector_app.register import RegisterFileError, read_register
        started = time.perf_counter()
        try:
            read_register(Path({str(path)!r}))
            report(refusal=None)
        except RegisterFileError as exc:
            report(refusal=str(exc), seconds=time.perf_counter() - started)
        """,
        memory_mb=memory_mb, seconds=seconds,
    )
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    return str(outcome.values["refusal"]), outcome.peak_mb, float(outcome.values["seconds"])  # type: ignore[arg-type]


def test_a_cell_far_beyond_excels_last_column_is_refused_in_bounded_memory(tmp_path):
    path = write_workbook(tmp_path / "宽.xlsx", FAR_CELL)
    assert path.stat().st_size < 2000
    refusal, peak, _ = read_bounded(path)
    assert refusal == f"文件 {path} 第2行：单元格 XFDZZZZZZ2 超出 Excel 的列范围（最多到 XFD 列）"
    assert peak < 200


def test_values_beyond_the_column_cap_are_refused_but_empty_formatted_cells_are_ignored(tmp_path):
    name, code = good_row(1)[:2]
    row = text_cell("A2", name) + text_cell("B2", code)
    padded = write_workbook(tmp_path / "padded.xlsx", f'<row r="2">{row}<c r="XFD2" s="1"/></row>')
    rows, problems = read_register(padded)
    assert [r.enterprise.credit_code for r in rows] == [code] and problems == []
    far = write_workbook(tmp_path / "far.xlsx", f'<row r="2">{row}<c r="AZZ2"><v>7</v></c></row>')
    assert refused(far) == (
        f"文件 {far} 第2行 单元格 AZZ2：超过 {MAX_COLUMNS} 列；名册只需要十几列，请删去多余的列"
    )


def test_a_shared_strings_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = b"<sst xmlns='" + _MAIN.encode() + b"'>" + b"<si><t>a</t></si>" * 12_000_000 + b"</sst>"
    path = write_workbook(tmp_path / "bomb.xlsx", "", shared=bomb)
    del bomb
    assert path.stat().st_size < 2_000_000
    refusal, peak, seconds = read_bounded(path)
    assert refusal.startswith(
        f"文件 {path} 不是有效的 XLSX 文件（共享字符串表 sharedStrings.xml 解压后有 195 MB"
    )
    assert peak < 200 and seconds < 5


def test_millions_of_shared_strings_are_refused_at_the_cap(tmp_path):
    count = MAX_SHARED_STRINGS + 1
    shared = b"<sst xmlns='" + _MAIN.encode() + b"'>" + b"<si><t>x</t></si>" * count + b"</sst>"
    path = write_workbook(tmp_path / "many.xlsx", "", shared=shared)
    del shared
    refusal, peak, seconds = read_bounded(path)
    assert refusal == (
        f"文件 {path} 不是有效的 XLSX 文件（共享字符串超过 {MAX_SHARED_STRINGS:,} 个，不像正常的名册）"
    )
    assert peak < 500 and seconds < 60


@pytest.mark.parametrize("index", ["-1", "2", "99999999999999999999"])
def test_a_shared_string_index_outside_the_table_is_refused_not_wrapped_around(tmp_path, index):
    name, code = good_row(1)[:2]
    shared = f"<sst xmlns='{_MAIN}'><si><t>{name}</t></si><si><t>{code}</t></si></sst>"
    rows = f'<row r="2"><c r="A2" t="s"><v>{index}</v></c><c r="B2" t="s"><v>1</v></c></row>'
    path = write_workbook(tmp_path / "idx.xlsx", rows, shared=shared)
    assert refused(path) == f"文件 {path} 第2行 第1列：共享字符串编号 {index[:20]} 不存在（共 2 个）"


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    long = "长" * (MAX_CELL_CHARS + 1)
    path = write_workbook(tmp_path / "long.xlsx", f'<row r="2">{text_cell("A2", long)}</row>')
    assert refused(path) == f"文件 {path} 第2行 第1列：单元格超过 {MAX_CELL_CHARS:,} 个字符"


def test_a_row_beyond_excels_last_row_is_refused(tmp_path):
    last = MAX_ROWS + 1
    path = write_workbook(tmp_path / "rows.xlsx", f'<row r="{last}"><c r="A{last}"><v>1</v></c></row>')
    assert refused(path) == f"文件 {path} 第{MAX_ROWS + 1}行：超过 {MAX_ROWS:,} 行（Excel 的上限）"


def test_a_zip_with_too_many_members_is_refused_before_they_are_listed(tmp_path):
    path = write_workbook(tmp_path / "members.xlsx", "", extra=MAX_ZIP_MEMBERS)
    assert "个压缩成员（目录" in refused(path)


def test_a_csv_line_of_a_hundred_million_commas_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "commas.csv"
    with path.open("wb") as fh:
        fh.write(",".join(HEADER).encode() + b"\n")
        for _ in range(100):
            fh.write(b"," * 1_000_000)
        fh.write(b"\n")
    refusal, peak, seconds = read_bounded(path)
    assert refusal == f"文件 {path} 第2行有 100,000,000 个字符，超过一行的上限 1,048,576"
    assert peak < 400 and seconds < 20


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.write(",".join(HEADER).encode() + b"\n")
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, the size is what counts
    assert refused(path) == f"文件 {path} 有 128 MB，超过名册文件的上限 128 MB；请分成几个文件导入"


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_pipe_a_folder_or_a_device_is_refused_without_reading(tmp_path, kind):
    path = {"fifo": tmp_path / "register.csv", "folder": tmp_path, "device": Path("/dev/zero")}[kind]
    if kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer for ever
    assert refused(path) == f"{path} 不是普通文件，无法作为名册导入"


def test_csv_columns_beyond_the_cap_are_refused_when_they_hold_values(tmp_path):
    padded = write_csv(tmp_path / "padded.csv", [[*good_row(1), *([""] * (MAX_COLUMNS + 5))]])
    rows, problems = read_register(padded)
    assert len(rows) == 1 and problems == []
    wide = write_csv(tmp_path / "wide.csv", [[*good_row(1), *([""] * MAX_COLUMNS), "x"]])
    assert refused(wide) == (
        f"文件 {wide} 第2行第{len(HEADER) + MAX_COLUMNS + 1}列："
        f"超过 {MAX_COLUMNS} 列；名册只需要十几列，请删去多余的列"
    )


def test_a_csv_cell_longer_than_excel_allows_is_refused(tmp_path):
    path = write_csv(tmp_path / "long.csv", [[good_row(1)[0] + "长" * MAX_CELL_CHARS, *good_row(1)[1:]]])
    assert refused(path) == f"文件 {path} 第2行第1列：单元格超过 {MAX_CELL_CHARS:,} 个字符"


def test_the_import_command_refuses_a_hostile_register_with_exit_1_and_no_traceback(tmp_path):
    path = write_workbook(tmp_path / "宽.xlsx", FAR_CELL)
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(tmp_path / "ws"),
         "enterprises", "import", str(path)],
        capture_output=True, check=False, text=True, encoding="utf-8", timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "XFDZZZZZZ2 超出 Excel 的列范围" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
