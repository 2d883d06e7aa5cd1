"""A register file as validated rows: every problem of every row, with its line and column."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from inspector_app.domain import credit_code
from inspector_app.domain.enterprise import MASTER_DATA_FIELDS, Enterprise, ResumptionStatus, validate_phone
from inspector_app.register import columns
from inspector_app.register.reader import Cell, RawRow, RegisterFileError, iter_raw_rows

# A title row ("宝龙街道企业名单") or two often sits above the header.
HEADER_SEARCH_ROWS = 10

_STATUS_ALIASES: dict[str, ResumptionStatus] = {
    **{s.value: s for s in ResumptionStatus},
    **{s.name.lower().replace("_", " "): s for s in ResumptionStatus},
    **{s.name.lower(): s for s in ResumptionStatus},
    "未开工": ResumptionStatus.NOT_RESUMED,
    "已开工": ResumptionStatus.RESUMED,
}
_STATUS_CHOICES = "、".join(s.value for s in ResumptionStatus)
_TEXT_FIELDS_AND_PHONE = frozenset({
    "name", "address", "grid", "category", "industry", "size_class", "legal_representative", "contact",
    "phone",
})


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str  # the header as written in the file (or the field's label when it has no column)
    reason: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}：{self.reason}"


@dataclass(frozen=True, slots=True)
class RegisterRow:
    line: int
    enterprise: Enterprise
    team: str = ""
    # Fields that had a value in this row: a blank cell never erases what the workspace already holds.
    given: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class RowResult:
    line: int
    row: RegisterRow | None
    problems: tuple[RowProblem, ...] = ()


def cell_text(value: Cell) -> str:
    """A cell as text: 120.0 is "120", full-width blanks and trailing spaces go."""
    if type(value) is str:  # nearly every cell: checked first, this runs 1.5 million times an import
        # str.split() knows the ideographic space (U+3000) and non-breaking blanks as whitespace.
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _half_width(text: str) -> str:
    # Codes, numbers and phones are typed with a Chinese IME as often as not: "１２０", "９１４４…".
    # ASCII text is its own NFKC form: most cells skip the normalization (called 400,000 times).
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def parse_count(text: str) -> int:
    if text.isdigit() and text.isascii():  # "120": the usual cell, and always a valid count
        return int(text)
    whole, dot, zeros = text.partition(".")
    if dot and whole.isdigit() and whole.isascii() and not zeros.strip("0"):
        return int(whole)  # "120.0": a count as a spreadsheet exports a number
    norm = _half_width(text).replace(",", "").replace(" ", "").removesuffix("人")
    try:
        number = float(norm)
    except ValueError as exc:
        raise ValueError(f"应为整数，实际为“{text}”") from exc
    if not number.is_integer():
        raise ValueError(f"应为整数，实际为“{text}”")
    if number < 0:
        raise ValueError(f"不能为负数（{text}）")
    return int(number)


def parse_status(text: str) -> ResumptionStatus:
    status = _STATUS_ALIASES.get(text) or _STATUS_ALIASES.get(_half_width(text).strip().lower())
    if status is None:
        raise ValueError(f"未知的复工状态“{text}”（可选：{_STATUS_CHOICES}）")
    return status


# The order of a record's values: the register's fields as the store keeps them, the extra
# columns last (a dict). A blank cell is None there: a blank cell never erases a stored value.
RECORD_FIELDS: tuple[str, ...] = ("credit_code", *MASTER_DATA_FIELDS, "extra")
_SLOT = {key: i for i, key in enumerate(RECORD_FIELDS)}
_CODE, _NAME, _PHONE = _SLOT["credit_code"], _SLOT["name"], _SLOT["phone"]
_TOTAL, _ON_SITE, _STATUS = _SLOT["staff_total"], _SLOT["staff_on_site"], _SLOT["resumption_status"]
_EXTRA = _SLOT["extra"]


class Record(NamedTuple):
    """A valid row in its lean form (what the laptop's import writes): the values in
    :data:`RECORD_FIELDS` order, None where the cell was blank; the status as its stored text."""

    line: int
    values: tuple[Any, ...]
    team: str


class RowValidator:
    """Turns cells into a checked record; remembers codes already seen to catch duplicates in the file."""

    def __init__(self, header: tuple[str, ...], mapping: dict[int, str]) -> None:
        self.header = header
        self.mapping = mapping  # cell index -> field key
        self.extra_columns = {
            i: header[i] for i in range(len(header)) if i not in mapping and header[i]
        }
        self.column_of = {key: header[i] for i, key in mapping.items()}
        # The cells of a row in record order (the team last), picked in C: a field the file has
        # no column for picks index -1, the blank cell appended to every row.
        index_of = {key: i for i, key in mapping.items()}
        order = [index_of.get(key, -1) for key in (*RECORD_FIELDS[:_EXTRA], "team")]
        self._pick = itemgetter(*order)
        self._need = max(order) + 1  # a shorter row (a ragged CSV line) is padded with blanks
        self._seen: dict[str, int] = {}

    def column(self, key: str) -> str:
        return self.column_of.get(key) or columns.label(key)

    def _problem(self, line: int, key: str, reason: str) -> RowProblem:
        return RowProblem(line, self.column(key), reason)

    def _check_code(self, raw_code: str | None, line: int, problems: list[RowProblem]) -> str:
        if not raw_code:
            problems.append(self._problem(line, "credit_code", "不能为空"))
            return ""
        try:
            code = credit_code.validate(_half_width(raw_code))
        except credit_code.CreditCodeError as exc:
            problems.append(self._problem(line, "credit_code", str(exc).removeprefix("统一社会信用代码")))
            return ""
        first = self._seen.get(code)
        if first is not None:
            problems.append(self._problem(line, "credit_code", f"与第{first}行重复（{code}）"))
            return ""
        self._seen[code] = line
        return code

    def check(self, line: int, cells: tuple[Cell, ...]) -> Record | tuple[RowProblem, ...]:
        """The row as a :class:`Record`, or every problem it has (this runs once per row of a
        100,000-row import: plain locals and list slots, no per-row dict or closure)."""
        width = len(cells)
        if width < self._need:
            cells = (*cells, *([""] * (self._need - width)))
        # cell_text's own first case, inlined: this runs 1.4 million times an import
        texts = [" ".join(c.split()) if type(c) is str else cell_text(c) for c in self._pick((*cells, ""))]
        team = texts.pop()
        out: list[Any] = [t or None for t in texts]
        out.append(None)  # the extra columns, filled below
        problems: list[RowProblem] = []
        out[_CODE] = self._check_code(out[_CODE], line, problems)
        if out[_NAME] is None:
            problems.append(self._problem(line, "name", "不能为空"))
        phone = out[_PHONE]
        if phone is not None:
            try:
                out[_PHONE] = validate_phone(_half_width(phone)) or None
            except ValueError:
                problems.append(self._problem(line, "phone", f"格式不正确（{phone}）"))
        for slot, key in ((_TOTAL, "staff_total"), (_ON_SITE, "staff_on_site")):
            if out[slot] is not None:
                try:
                    out[slot] = parse_count(out[slot])
                except ValueError as exc:
                    out[slot] = None
                    problems.append(self._problem(line, key, str(exc)))
        if out[_STATUS] is not None:
            try:
                out[_STATUS] = parse_status(out[_STATUS]).value
            except ValueError as exc:
                problems.append(self._problem(line, "resumption_status", str(exc)))
        total, on_site = out[_TOTAL], out[_ON_SITE]
        if total is not None and on_site is not None and on_site > total:
            reason = f"到岗人数（{on_site}）不能大于员工总数（{total}）"
            problems.append(self._problem(line, "staff_on_site", reason))
        if problems:
            return tuple(problems)
        if self.extra_columns:
            extra = {}
            for index, header in self.extra_columns.items():
                if index < width:
                    text = cell_text(cells[index])
                    if text:
                        extra[header] = text
            out[_EXTRA] = extra or None
        return Record(line, tuple(out), team)

    def validate(self, line: int, cells: tuple[Cell, ...]) -> RowResult:
        checked = self.check(line, cells)
        if not isinstance(checked, Record):
            return RowResult(line, None, checked)
        return RowResult(line, register_row(checked))


def register_row(record: Record) -> RegisterRow:
    """A record as a domain enterprise (blank cells take the domain's defaults) and the fields given."""
    values: dict[str, Any] = dict(zip(RECORD_FIELDS, record.values, strict=True))
    given = frozenset(key for key, value in values.items() if value is not None)
    if record.team:
        given |= {"team"}
    extra = values.pop("extra") or {}
    status = values.pop("resumption_status")
    fields: dict[str, Any] = {
        k: ("" if v is None and k in _TEXT_FIELDS_AND_PHONE else v) for k, v in values.items()
    }
    enterprise = Enterprise(
        **fields,
        resumption_status=ResumptionStatus(status) if status is not None else ResumptionStatus.NOT_RESUMED,
        extra=extra,
    )
    return RegisterRow(record.line, enterprise, record.team, given)


def _blank(cells: tuple[Cell, ...]) -> bool:
    # Stops at the first filled cell, so a normal row costs one look.
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class RegisterFile:
    """An opened register: the header is read (and checked) at once, rows are read as they are asked for.

    Streaming keeps a 100,000-row import in flat memory; a problem deep in the file still surfaces
    as RegisterFileError from :meth:`rows`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._rows: Iterator[RawRow] = iter_raw_rows(self.path)
        self.header_line, header = self._find_header()
        mapping: dict[int, str] = {}
        for index, text in enumerate(header):
            key = columns.field_for(text)
            if key is not None and key not in mapping.values():
                mapping[index] = key
        missing = [columns.label(k) for k in columns.REQUIRED if k not in mapping.values()]
        if missing:
            self.close()
            wanted = "；".join(
                f"“{columns.label(k)}”（可用列名：{'、'.join(columns.FIELDS[k][1][:3])}）"
                for k in columns.REQUIRED if k not in mapping.values()
            )
            raise RegisterFileError(f"文件 {self.path} 缺少{'和'.join(missing)}列：需要{wanted}")
        self.validator = RowValidator(header, mapping)

    @property
    def fields(self) -> frozenset[str]:
        """The register fields the file has a column for."""
        return frozenset(self.validator.mapping.values())

    @property
    def extra_columns(self) -> list[str]:
        return list(self.validator.extra_columns.values())

    def _find_header(self) -> tuple[int, tuple[str, ...]]:
        seen_any = False
        for line, cells in self._rows:
            texts = tuple(cell_text(c) for c in cells)
            if not any(texts):
                continue
            seen_any = True
            keys = {columns.field_for(t) for t in texts if t}
            if keys & set(columns.REQUIRED):
                return line, texts
            if line >= HEADER_SEARCH_ROWS:
                break
        if not seen_any:
            raise RegisterFileError(f"文件 {self.path} 是空的，没有表头也没有数据")
        raise RegisterFileError(
            f"文件 {self.path} 找不到表头：前{HEADER_SEARCH_ROWS}行中没有“企业名称”或“统一社会信用代码”列"
        )

    def rows(self) -> Iterator[RowResult]:
        """Validated data rows in file order; blank rows are skipped."""
        validate = self.validator.validate
        for line, cells in self._data_rows():
            yield validate(line, cells)

    def records(self) -> Iterator[Record | tuple[RowProblem, ...]]:
        """Each data row in file order as a :class:`Record`, or its problems: :meth:`rows` in the
        lean form a bulk import writes (no domain object per row)."""
        check = self.validator.check
        for line, cells in self._data_rows():
            yield check(line, cells)

    def _data_rows(self) -> Iterator[RawRow]:
        any_row = False
        for line, cells in self._rows:
            if _blank(cells):
                continue
            any_row = True
            yield line, cells
        if not any_row:
            raise RegisterFileError(f"文件 {self.path} 只有表头，没有企业数据")

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> RegisterFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_register(path: Path) -> tuple[list[RegisterRow], list[RowProblem]]:
    """The whole file at once (for small files and the central server); raises RegisterFileError."""
    good: list[RegisterRow] = []
    bad: list[RowProblem] = []
    with RegisterFile(path) as register:
        for result in register.rows():
            if result.row is not None:
                good.append(result.row)
            bad.extend(result.problems)
    return good, bad
