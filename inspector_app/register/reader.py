"""Raw rows out of an XLSX or CSV file, whatever encoding the office's software chose.

The format is decided from the bytes, not the file name: clerks rename files freely.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse
from xml.parsers import expat

# Register files come from outside. The stdlib parsers are safe for them here: expat never fetches
# external entities, and expat >= 2.4 (Python ships 2.5+) stops entity-amplification ("billion
# laughs") documents with an error, which we report as a broken file (tests/register cover it).

Cell = Any  # what a spreadsheet cell holds: str, int, float, datetime, None …
RawRow = tuple[int, tuple[Cell, ...]]  # (line number as the user sees it, cells)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and other Office 97 files


class RegisterFileError(ValueError):
    """The file as a whole cannot be read as a register; the message names the file and the problem."""


def detect_format(path: Path) -> str:
    """ "xlsx" or "csv"; raises RegisterFileError for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except FileNotFoundError as exc:
        raise RegisterFileError(f"找不到文件 {path}") from exc
    except OSError as exc:
        raise RegisterFileError(f"无法读取文件 {path}（{exc.strerror}）") from exc
    if not head.strip():
        raise RegisterFileError(f"文件 {path} 是空的，没有任何内容")
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise RegisterFileError(
            f"文件 {path} 是旧版 Excel（.xls）格式，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入"
        )
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（文件内容不是 Excel 工作簿，可能已损坏）")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RegisterFileError(f"文件 {path} 不是文本格式的 CSV 文件（含有二进制内容）")
    return "csv"


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates: the international ones and those of Chinese Excel (27-36, 50-58).
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    EOFError,
    zlib.error,
    ParseError,
    expat.ExpatError,
    ValueError,
    IndexError,
)


def _column_index(ref: str) -> int:
    """0-based column of a cell reference: "A7" -> 0, "AB12" -> 27."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    with zf.open("xl/workbook.xml") as fh:
        sheet = next((el for _ev, el in iterparse(fh) if el.tag == f"{_NS}sheet"), None)  # noqa: S314 (see the note at the imports)
    if sheet is None:
        raise RegisterFileError("工作簿中没有工作表")
    rel_id = sheet.get(f"{_REL_NS}id")
    with zf.open("xl/_rels/workbook.xml.rels") as fh:
        for _ev, el in iterparse(fh):  # noqa: S314 (see the note at the imports)
            if el.tag == f"{_PKG_REL_NS}Relationship" and el.get("Id") == rel_id:
                target = el.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise RegisterFileError("工作簿结构不完整（找不到第一个工作表）")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    strings: list[str] = []
    si, t = f"{_NS}si", f"{_NS}t"
    with zf.open("xl/sharedStrings.xml") as fh:
        for _ev, el in iterparse(fh):  # noqa: S314 (see the note at the imports)
            if el.tag == si:
                # Rich text splits a string into runs; phonetic hints (rPh) are not part of it.
                runs = [el.find(t)] if el.find(t) is not None else [r.find(t) for r in el.iter(f"{_NS}r")]
                strings.append("".join((r.text or "") for r in runs if r is not None))
                el.clear()
    return strings


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a date (the cell holds a serial number)."""
    # openpyxl (its date rules) is imported with the first workbook read, not with this module:
    # opening a workspace imports the register package and never reads a workbook.
    from openpyxl.styles.numbers import is_date_format

    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    with zf.open("xl/styles.xml") as fh:
        in_cell_xfs = False
        for event, el in iterparse(fh, events=("start", "end")):  # noqa: S314 (see the note at the imports)
            if el.tag == f"{_NS}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and el.tag == f"{_NS}numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif event == "end" and el.tag == f"{_NS}xf" and in_cell_xfs:
                formats.append(int(el.get("numFmtId", "0")))
    return frozenset(
        i
        for i, fmt in enumerate(formats)
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt]))
    )


def _sheet_rows(  # noqa: PLR0915 (one streaming state machine reads clearer whole)
    chunks: Iterator[bytes], shared: list[str], date_styles: frozenset[int]
) -> Iterator[RawRow]:
    """Rows of a sheet XML fed in chunks: expat callbacks closing over locals (the fastest Python gets)."""
    from openpyxl.utils.datetime import from_excel

    ready: list[RawRow] = []
    cells: list[Cell] = []
    text: list[str] = []
    # [line, kind, style, collecting, in_cell]: one list so the callbacks can update it cheaply.
    st: list[Any] = [0, None, None, False, False]
    names: dict[str, str] = {}

    def local(name: str) -> str:
        # Some generators prefix the namespace ("x:c"): one dict lookup per tag on the hot path.
        found = names.get(name)
        if found is None:
            found = names[name] = name.rpartition(":")[2]
        return found

    def start(name: str, attrs: dict[str, str]) -> None:
        name = names.get(name) or local(name)
        if name == "c":
            ref = attrs.get("r")
            column = _column_index(ref) if ref else len(cells)
            if column > len(cells):
                cells.extend([None] * (column - len(cells)))
            st[1] = attrs.get("t")
            st[2] = attrs.get("s")
            text.clear()
            st[4] = True
        elif name in {"v", "t"}:
            st[3] = st[4]
        elif name == "rPh":
            st[4] = False  # a phonetic guide is not part of the value
        elif name == "row":
            number = attrs.get("r")
            st[0] = int(number) if number else st[0] + 1
            cells.clear()

    def end(name: str) -> None:
        name = names.get(name) or local(name)
        if name in {"v", "t"}:
            st[3] = False
        elif name == "c":
            cells.append(_cell_value(text, st[1], st[2], shared, date_styles, from_excel=from_excel)
                         if text else None)
            st[4] = False
        elif name == "rPh":
            st[4] = True
        elif name == "row":
            ready.append((st[0], tuple(cells)))

    def data(chunk: str) -> None:
        if st[3]:
            text.append(chunk)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    for chunk in chunks:
        parser.Parse(chunk, False)
        yield from ready
        ready.clear()
    parser.Parse(b"", True)
    yield from ready


def _cell_value(
    text: list[str], kind: str | None, style: str | None, shared: list[str], date_styles: frozenset[int],
    *, from_excel: Callable[[int | float], Any],
) -> Cell:
    value = "".join(text)
    if kind == "s":
        return shared[int(value)]
    if kind == "b":
        return value == "1"
    if kind in {"inlineStr", "str", "e", "d"}:
        return value
    number: int | float = float(value) if any(ch in value for ch in ".Ee") else int(value)
    if style is not None and int(style) in date_styles:
        return from_excel(number)
    return number


def _read_chunks(fh: IO[bytes]) -> Iterator[bytes]:
    while chunk := fh.read(1 << 20):
        yield chunk


def iter_xlsx(path: Path) -> Iterator[RawRow]:
    """Rows of the first sheet, streamed straight from the sheet XML with expat.

    openpyxl's read-only mode needs ~13 s for 100,000 rows x 14 columns (it builds a cell object
    with style and coordinate for every value) and ElementTree's iterparse ~7.5 s; expat
    callbacks do it in ~3 s, in the same flat memory. openpyxl still supplies the date rules.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（已损坏或不完整：{exc}）") from exc
    with zf:
        try:
            sheet_path = _first_sheet_path(zf)
            shared, date_styles = _shared_strings(zf), _date_styles(zf)
        except RegisterFileError as exc:
            raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（{exc}）") from exc
        except _XLSX_ERRORS as exc:
            raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（已损坏或不完整：{exc}）") from exc
        try:
            with zf.open(sheet_path) as fh:
                yield from _sheet_rows(_read_chunks(fh), shared, date_styles)
        except _XLSX_ERRORS as exc:
            # A truncated file often opens and then fails in the middle of the sheet.
            raise RegisterFileError(f"文件 {path} 不完整或已损坏，读取工作表时出错（{exc}）") from exc


def decode_text(data: bytes, path: Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # Excel's "Unicode text" export
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, which is what Chinese Excel writes by default.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RegisterFileError(
            f"文件 {path} 的编码无法识别（不是 UTF-8 也不是 GB18030/GBK），请另存为 UTF-8 CSV 或 XLSX"
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(path: Path) -> Iterator[RawRow]:
    text = decode_text(path.read_bytes(), path)
    if "\x00" in text:
        raise RegisterFileError(f"文件 {path} 不是文本格式的 CSV 文件（含有二进制内容）")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, tuple(cells)
    except csv.Error as exc:
        raise RegisterFileError(f"文件 {path} 第{reader.line_num}行不是有效的 CSV（{exc}）") from exc


def iter_raw_rows(path: Path) -> Iterator[RawRow]:
    fmt = detect_format(path)
    return iter_xlsx(path) if fmt == "xlsx" else iter_csv(path)
