"""Fuzzing the register readers: any file is rows and row problems, or a RegisterFileError (issue 11).

Bounded: a fixed number of examples from a fixed seed, each with a deadline; the files are small,
and the caps under test keep each read cheap whatever the file claims about itself.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from inspector_app.register import RegisterFileError, read_register
from tests.support.registers import HEADER, good_row, write_xlsx

FUZZ = settings(
    max_examples=120, deadline=timedelta(seconds=3), derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)
CSV_PIECES = [
    ",", ";", "\t", "|", '"', "\n", "\r\n", "\r", '=HYPERLINK("x")', "@", "-", "91440300MA5F00001",
    "企业名称", "统一社会信用代码", "深圳市宝龙", "１２０", "\x00", "\ufeff", " ", "已复工", "9" * 40,
]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.fixture(scope="module")
def sound_xlsx(folder: Path) -> bytes:
    return write_xlsx(folder / "sound.xlsx", [good_row(i) for i in range(1, 4)]).read_bytes()


def read(path: Path) -> None:
    """The reader's contract: rows and problems, or a RegisterFileError naming the file."""
    try:
        rows, problems = read_register(path)
    except RegisterFileError as exc:
        assert str(path) in str(exc) or "文件" in str(exc), str(exc)
        return
    assert all(r.enterprise.credit_code for r in rows) and all(p.line >= 1 for p in problems)


@FUZZ
@seed(21)
@given(st.binary(max_size=3000))
def test_any_bytes_named_csv_or_xlsx_are_read_or_refused(folder, data):
    for name in ("fuzz.csv", "fuzz.xlsx"):
        path = folder / name
        path.write_bytes(data)
        read(path)


@FUZZ
@seed(22)
@given(
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    st.lists(st.lists(st.sampled_from(CSV_PIECES), max_size=30), max_size=20),
)
def test_a_csv_of_register_pieces_is_read_or_refused(folder, encoding, lines):
    text = ",".join(HEADER) + "\n" + "\n".join("".join(line) for line in lines)
    path = folder / "pieces.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    read(path)


@FUZZ
@seed(23)
@given(st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1, max_size=8))
def test_a_workbook_with_damaged_bytes_is_read_or_refused(folder, sound_xlsx, edits):
    data = bytearray(sound_xlsx)
    for where, junk in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    path = folder / "damaged.xlsx"
    path.write_bytes(bytes(data))
    read(path)


XML_PIECES = [
    '<c r="XFDZZZZZZ2">', '<c r="A2" t="s"><v>-1</v></c>', '<c r="B2" t="s"><v>99</v></c>', "<row>",
    '<row r="99999999999">', "</row>", "<v>", "</v>", '<c t="inlineStr"><is><t>', "</t></is></c>",
    "<![CDATA[x]]>", "&amp;", "&#0;", "&#x1F600;", '<c s="999"><v>45000</v></c>', '<c t="b"><v>1</v></c>',
    '<c t="e"><v>#N/A</v></c>', "<v>1e400</v>", "<v>abc</v>", '<x:c r="C2">', "<!--", "-->", "<",
]


@FUZZ
@seed(24)
@given(st.lists(st.sampled_from(XML_PIECES), max_size=40))
def test_a_workbook_whose_sheet_holds_any_xml_is_read_or_refused(folder, sound_xlsx, pieces):
    """The sheet's rows replaced by pieces of markup, valid and not, in a sound zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sound_xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _sep, rest = data.partition(b"</row>")  # keep the header row
                tail = rest[rest.rfind(b"</sheetData>") :]
                data = head + b"</row>" + "".join(pieces).encode() + tail
            dst.writestr(info, data)
    path = folder / "markup.xlsx"
    path.write_bytes(out.getvalue())
    read(path)
