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
#
# Size is the other attack: a 1.5 KB workbook naming cell XFDZZZZZZ2, a zip member that inflates to
# gigabytes, thirty million shared strings, a CSV line of a hundred million commas. Every dimension
# below is capped far above a real register (100,000 enterprises: ~25 MB of CSV, ~60 MB of sheet XML,
# 14 columns) and a file beyond a cap is refused whole, with the place and the cap in the message,
# before its content is held in memory.
MAX_FILE_BYTES = 128 * 1024 * 1024  # the file as it sits on disk (CSV, or the XLSX zip)
MAX_ZIP_MEMBERS = 1000  # an XLSX from Excel or WPS holds a dozen or two
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
MAX_SHEET_BYTES = 512 * 1024 * 1024  # the first sheet's XML, uncompressed (it is streamed)
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024  # sharedStrings.xml, uncompressed (it is kept in memory)
MAX_SHARED_STRINGS = 2_000_000
MAX_PART_BYTES = 16 * 1024 * 1024  # workbook.xml, its relationships, styles.xml
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1024  # a register has 14 fields; Excel allows 16,384 columns (XFD), empty ones are ignored
MAX_EXCEL_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of a cell
MAX_LINE_CHARS = 1024 * 1024  # one physical line of a CSV

Cell = Any  # what a spreadsheet cell holds: str, int, float, datetime, None …
RawRow = tuple[int, tuple[Cell, ...]]  # (line number as the user sees it, cells)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and other Office 97 files


class RegisterFileError(ValueError):
    """The file as a whole cannot be read as a register; the message names the file and the problem."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def detect_format(path: Path) -> str:
    """ "xlsx" or "csv"; raises RegisterFileError for anything else."""
    if path.exists() and not path.is_file():
        # A folder, a device or a pipe: reading one could block or never end.
        raise RegisterFileError(f"{path} 不是普通文件，无法作为名册导入")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
            size = fh.seek(0, io.SEEK_END)
    except FileNotFoundError as exc:
        raise RegisterFileError(f"找不到文件 {path}") from exc
    except OSError as exc:
        raise RegisterFileError(f"无法读取文件 {path}（{exc.strerror}）") from exc
    if size > MAX_FILE_BYTES:
        raise RegisterFileError(
            f"文件 {path} 有 {_mb(size)}，超过名册文件的上限 {_mb(MAX_FILE_BYTES)}；请分成几个文件导入"
        )
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
    """0-based column of a cell reference: "A7" -> 0, "AB12" -> 27; beyond Excel's XFD a cap error."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
            if index > MAX_EXCEL_COLUMNS:
                raise RegisterFileError(f"单元格 {ref[:20]} 超出 Excel 的列范围（最多到 XFD 列）")
        else:
            break
    return index - 1


class _Limited(io.RawIOBase):
    """A zip member read no further than a cap: the size in the zip header can lie, the cap cannot."""

    def __init__(self, fh: IO[bytes], cap: int, what: str) -> None:
        super().__init__()
        self._fh, self._left, self._cap, self._what = fh, cap, cap, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            cap = _mb(self._cap)
            raise RegisterFileError(f"{self._what}解压后超过 {cap}，不像正常的名册（可能是压缩炸弹）")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _open_member(zf: zipfile.ZipFile, name: str, cap: int, what: str) -> IO[bytes]:
    info = zf.getinfo(name)
    if info.file_size > cap:
        raise RegisterFileError(f"{what}解压后有 {_mb(info.file_size)}，超过上限 {_mb(cap)}")
    return io.BufferedReader(_Limited(zf.open(info), cap, what), 1 << 20)


def _check_zip_directory(path: Path) -> None:
    """Refuse a zip with too many members before zipfile builds an object for each of them.

    The end-of-central-directory record (the last 22 bytes, or before a comment of up to 64 KB)
    gives the member count and the directory's size.
    """
    with path.open("rb") as fh:
        end = fh.seek(0, io.SEEK_END)
        fh.seek(max(0, end - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return  # not found: zipfile reports the file as broken
    members = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    if members > MAX_ZIP_MEMBERS or directory > MAX_ZIP_DIRECTORY_BYTES:
        raise RegisterFileError(
            f"文件 {path} 含有 {members} 个压缩成员（目录 {directory:,} 字节），不像 Excel 工作簿"
            f"（上限 {MAX_ZIP_MEMBERS} 个）"
        )


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    with _open_member(zf, "xl/workbook.xml", MAX_PART_BYTES, "workbook.xml ") as fh:
        sheet = next((el for _ev, el in iterparse(fh) if el.tag == f"{_NS}sheet"), None)  # noqa: S314 (see the note at the imports)
    if sheet is None:
        raise RegisterFileError("工作簿中没有工作表")
    rel_id = sheet.get(f"{_REL_NS}id")
    with _open_member(zf, "xl/_rels/workbook.xml.rels", MAX_PART_BYTES, "workbook.xml.rels ") as fh:
        for _ev, el in iterparse(fh):  # noqa: S314 (see the note at the imports)
            if el.tag == f"{_PKG_REL_NS}Relationship" and el.get("Id") == rel_id:
                target = el.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise RegisterFileError("工作簿结构不完整（找不到第一个工作表）")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    """The shared-string table, read with expat callbacks like the sheet (ElementTree would build,
    then clear, an element for each of up to two million strings)."""
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    # [inside <si>, collecting text, inside a phonetic guide <rPh>]
    st = [False, False, False]

    def start(name: str, _attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "si":
            parts.clear()
            st[0] = True
        elif name == "t":
            # Rich text splits a string into runs (<r><t>); a phonetic guide (<rPh><t>) is not part of it.
            st[1] = st[0] and not st[2]
        elif name == "rPh":
            st[2] = True

    def end(name: str) -> None:
        name = name.rpartition(":")[2]
        if name == "t":
            st[1] = False
        elif name == "rPh":
            st[2] = False
        elif name == "si":
            strings.append("".join(parts)[: MAX_CELL_CHARS + 1])
            st[0] = False
            if len(strings) > MAX_SHARED_STRINGS:
                raise RegisterFileError(f"共享字符串超过 {MAX_SHARED_STRINGS:,} 个，不像正常的名册")

    def data(text: str) -> None:
        if st[1]:
            parts.append(text)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    what = "共享字符串表 sharedStrings.xml "
    with _open_member(zf, "xl/sharedStrings.xml", MAX_SHARED_STRINGS_BYTES, what) as fh:
        for chunk in _read_chunks(fh):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
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
    with _open_member(zf, "xl/styles.xml", MAX_PART_BYTES, "styles.xml ") as fh:
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
    # [line, kind, style, collecting, in_cell, ref beyond MAX_COLUMNS or None, characters, rows]:
    # one list so the callbacks can update it cheaply.
    st: list[Any] = [0, None, None, False, False, None, 0, 0]
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
            try:
                column = _column_index(ref) if ref else len(cells)
            except RegisterFileError as exc:
                raise RegisterFileError(f"第{st[0]}行：{exc}") from None
            if column >= MAX_COLUMNS:
                st[5] = ref or f"第{column + 1}列"  # read, and refused only if it holds a value
            elif column > len(cells):
                cells.extend([None] * (column - len(cells)))
            st[1] = attrs.get("t")
            st[2] = attrs.get("s")
            text.clear()
            st[4] = True
            st[6] = 0
        elif name in {"v", "t"}:
            st[3] = st[4]
        elif name == "rPh":
            st[4] = False  # a phonetic guide is not part of the value
        elif name == "row":
            number = attrs.get("r")
            st[0] = int(number) if number and len(number) < 10 else st[0] + 1
            st[7] += 1
            if st[0] > MAX_ROWS or st[7] > MAX_ROWS:
                raise RegisterFileError(f"第{st[0]}行：超过 {MAX_ROWS:,} 行（Excel 的上限）")
            cells.clear()

    def end(name: str) -> None:
        name = names.get(name) or local(name)
        if name in {"v", "t"}:
            st[3] = False
        elif name == "c":
            if st[5] is not None:
                if text and "".join(text).strip():
                    raise RegisterFileError(
                        f"第{st[0]}行 单元格 {st[5]}：超过 {MAX_COLUMNS} 列；名册只需要十几列，请删去多余的列"
                    )
                st[5] = None
            else:
                try:
                    cells.append(_cell_value(text, st[1], st[2], shared, date_styles, from_excel=from_excel)
                                 if text else None)
                except RegisterFileError as exc:
                    raise RegisterFileError(f"第{st[0]}行 第{len(cells) + 1}列：{exc}") from None
            st[4] = False
        elif name == "rPh":
            st[4] = True
        elif name == "row":
            ready.append((st[0], tuple(cells)))

    def data(chunk: str) -> None:
        if st[3]:
            text.append(chunk)
            st[6] += len(chunk)
            if st[6] > MAX_CELL_CHARS:
                where = f"第{st[0]}行 第{len(cells) + 1}列"
                raise RegisterFileError(f"{where}：单元格超过 {MAX_CELL_CHARS:,} 个字符")

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
        index = int(value)
        if not 0 <= index < len(shared):
            raise RegisterFileError(f"共享字符串编号 {value[:20]} 不存在（共 {len(shared)} 个）")
        found = shared[index]
        if len(found) > MAX_CELL_CHARS:
            raise RegisterFileError(f"单元格超过 {MAX_CELL_CHARS:,} 个字符")
        return found
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
        _check_zip_directory(path)
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（已损坏或不完整：{exc}）") from exc
    with zf:
        if len(zf.infolist()) > MAX_ZIP_MEMBERS:  # the directory's count can lie; the list cannot
            raise RegisterFileError(f"文件 {path} 含有 {len(zf.infolist())} 个压缩成员，不像 Excel 工作簿")
        try:
            sheet_path = _first_sheet_path(zf)
            shared, date_styles = _shared_strings(zf), _date_styles(zf)
        except RegisterFileError as exc:
            raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（{exc}）") from exc
        except _XLSX_ERRORS as exc:
            raise RegisterFileError(f"文件 {path} 不是有效的 XLSX 文件（已损坏或不完整：{exc}）") from exc
        try:
            with _open_member(zf, sheet_path, MAX_SHEET_BYTES, "工作表 ") as fh:
                yield from _sheet_rows(_read_chunks(fh), shared, date_styles)
        except RegisterFileError as exc:
            raise RegisterFileError(f"文件 {path} {exc}") from exc
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


def _bounded_lines(text: str, path: Path, record_chars: list[int]) -> Iterator[str]:
    """The lines of ``text`` for csv, each refused beyond MAX_LINE_CHARS before csv splits it;
    ``record_chars`` counts the characters handed to csv since the caller last reset it.

    Slices of the one decoded text: io.StringIO would first copy it into a buffer of four bytes
    a character (400 MB for 100 MB of commas).
    """
    find, end, pos, number = text.find, len(text), 0, 1
    while pos < end:
        stop = find("\n", pos, pos + MAX_LINE_CHARS + 1)
        if stop < 0:
            if end - pos > MAX_LINE_CHARS:
                newline = find("\n", pos)
                length = (newline if newline >= 0 else end) - pos
                raise RegisterFileError(
                    f"文件 {path} 第{number}行有 {length:,} 个字符，超过一行的上限 {MAX_LINE_CHARS:,}"
                )
            stop = end - 1
        record_chars[0] += stop + 1 - pos
        yield text[pos : stop + 1]
        pos = stop + 1
        number += 1


def iter_csv(path: Path) -> Iterator[RawRow]:
    with path.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)  # detect_format checked the size; a growing file stops here
    if len(data) > MAX_FILE_BYTES:
        raise RegisterFileError(f"文件 {path} 超过名册文件的上限 {_mb(MAX_FILE_BYTES)}")
    text = decode_text(data, path)
    del data
    if "\n" not in text:
        text = text.replace("\r", "\n")  # lines ended by CR alone (old Mac Excel)
    if "\x00" in text:
        raise RegisterFileError(f"文件 {path} 不是文本格式的 CSV 文件（含有二进制内容）")
    newline = text.find("\n", 0, MAX_LINE_CHARS)
    first_line = text[: newline if newline >= 0 else MAX_LINE_CHARS]
    record_chars = [0]
    reader = csv.reader(_bounded_lines(text, path, record_chars), delimiter=_delimiter(first_line))
    try:
        for line, parsed in enumerate(reader, start=1):
            cells = parsed
            if line > MAX_ROWS:
                raise RegisterFileError(f"文件 {path} 超过 {MAX_ROWS:,} 行（Excel 的上限），请分成几个文件")
            if len(cells) > MAX_COLUMNS:
                _check_wide_row(path, reader.line_num, cells)
                cells = cells[:MAX_COLUMNS]
            if record_chars[0] > MAX_CELL_CHARS:  # only so long a record can hold an over-long cell
                _check_long_cells(path, reader.line_num, cells)
            record_chars[0] = 0
            yield line, tuple(cells)
    except csv.Error as exc:
        raise RegisterFileError(f"文件 {path} 第{reader.line_num}行不是有效的 CSV（{exc}）") from exc


def _check_wide_row(path: Path, line: int, cells: list[str]) -> None:
    # Exports pad rows with empty cells to the widest row; values out there are not a register.
    for i in range(MAX_COLUMNS, len(cells)):
        if cells[i].strip():
            raise RegisterFileError(
                f"文件 {path} 第{line}行第{i + 1}列：超过 {MAX_COLUMNS} 列；名册只需要十几列，请删去多余的列"
            )


def _check_long_cells(path: Path, line: int, cells: list[str]) -> None:
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            where = f"文件 {path} 第{line}行第{i + 1}列"
            raise RegisterFileError(f"{where}：单元格超过 {MAX_CELL_CHARS:,} 个字符")


def iter_raw_rows(path: Path) -> Iterator[RawRow]:
    fmt = detect_format(path)
    return iter_xlsx(path) if fmt == "xlsx" else iter_csv(path)
