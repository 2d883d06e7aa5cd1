"""Reading a register file: formats, encodings, headers and every row rule, without any database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.register import RegisterFile, RegisterFileError, read_register
from tests.support.registers import HEADER, code, good_row, write_csv, write_xlsx


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in read_register(path)[1]]


# --- formats and encodings ---------------------------------------------------------------------


def test_an_xlsx_register_reads_every_field(tmp_path: Path) -> None:
    rows, problems = read_register(write_xlsx(tmp_path / "r.xlsx", [good_row(1)]))
    assert problems == []
    e = rows[0].enterprise
    assert (e.name, e.credit_code, e.grid, e.category) == (
        "深圳市宝龙精密五金制品有限公司1",
        code(1),
        "宝龙一网格",
        "规上工业企业",
    )
    assert (e.staff_total, e.staff_on_site, e.resumption_status) == (120, 80, ResumptionStatus.RESUMED)
    assert rows[0].line == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_register_is_read_in_utf8_with_or_without_bom_and_in_gb18030(
    tmp_path: Path, encoding: str
) -> None:
    rows, problems = read_register(
        write_csv(tmp_path / "r.csv", [good_row(1), good_row(2)], encoding=encoding)
    )
    assert problems == []
    assert [r.enterprise.name for r in rows] == [
        "深圳市宝龙精密五金制品有限公司1",
        "深圳市宝龙精密五金制品有限公司2",
    ]


def test_the_format_is_decided_by_content_not_by_file_name(tmp_path: Path) -> None:
    xlsx_named_csv = write_xlsx(tmp_path / "r.csv", [good_row(1)])
    assert len(read_register(xlsx_named_csv)[0]) == 1


def test_chinese_and_english_header_spellings_are_understood(tmp_path: Path) -> None:
    header = [
        "单位名称",
        "信用代码",
        "经营地址",
        "所属网格",
        "场所类型",
        "法人",
        "电话",
        "职工人数",
        "负责队伍",
    ]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            [
                "某某小作坊",
                code(1),
                "宝龙大道1号",
                "二网格",
                "小作坊",
                "王五",
                "0755-12345678",
                5,
                "第三检查组",
            ]
        ],
        header=header,
    )
    row = read_register(path)[0][0]
    assert row.enterprise.legal_representative == "王五"
    assert row.enterprise.category == "小作坊"
    assert row.team == "第三检查组"
    english = [
        "Name",
        "Credit Code",
        "Address",
        "Grid",
        "Category",
        "Phone",
        "Staff Total",
        "Staff On Site",
        "Status",
    ]
    path = write_csv(tmp_path / "e.csv", [good_row(2)], header=english)
    assert read_register(path)[0][0].enterprise.credit_code == code(2)


def test_blank_rows_trailing_spaces_full_width_and_float_numbers_are_tolerated(tmp_path: Path) -> None:
    full_width_code = code(3).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    rows = [
        [
            " 深圳市宝龙电子有限公司\u3000",
            f" {code(1)} ",
            "宝龙大道 1 号 ",
            "宝龙一网格 ",
            "规下企业",
            "13912345678 ",
            120.0,
            80.0,
            "已复工 ",
        ],
        [None] * len(HEADER),
        ["", "", "", "", "", "", "", "", ""],
        ["全角公司", full_width_code, "", "", "", "１３９１２３４５６７８", "１２０", "", ""],
    ]
    good, problems = read_register(write_xlsx(tmp_path / "r.xlsx", rows))
    assert problems == []
    assert [r.line for r in good] == [2, 5]
    first, second = good[0].enterprise, good[1].enterprise
    assert (first.name, first.credit_code, first.grid, first.staff_total) == (
        "深圳市宝龙电子有限公司",
        code(1),
        "宝龙一网格",
        120,
    )
    assert (second.credit_code, second.phone, second.staff_total) == (code(3), "13912345678", 120)


def test_a_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宝龙街道企业复工名单（2020年2月）"])
    sheet.append(HEADER)
    sheet.append(good_row(1))
    book.save(tmp_path / "t.xlsx")
    rows, problems = read_register(tmp_path / "t.xlsx")
    assert problems == [] and rows[0].line == 3


def test_unknown_columns_are_kept_as_extra_data(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "x.xlsx",
        [[*good_row(1), 12, datetime(2020, 2, 10)]],
        header=[*HEADER, "外来人员数", "备案日期"],
    )
    extra = read_register(path)[0][0].enterprise.extra
    assert extra == {"外来人员数": "12", "备案日期": "2020-02-10 00:00:00"}


# --- malformed files ---------------------------------------------------------------------------


def test_a_truncated_xlsx_is_refused_with_the_file_name(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [good_row(i) for i in range(1, 200)]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RegisterFileError, match=r"cut\.xlsx.*XLSX"):
        read_register(cut)


def test_binary_garbage_named_csv_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "名单.csv"
    garbage.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(RegisterFileError, match=r"名单\.csv"):
        read_register(garbage)


def test_text_that_is_not_xlsx_but_named_xlsx_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("企业名称,统一社会信用代码\n", encoding="utf-8")
    with pytest.raises(RegisterFileError, match="不是有效的 XLSX"):
        read_register(fake)


def test_an_old_xls_file_is_refused_with_advice(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    with pytest.raises(RegisterFileError, match="另存为"):
        read_register(old)


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(content)
    with pytest.raises(RegisterFileError, match=r"empty\.csv.*空"):
        read_register(empty)


def test_a_header_without_data_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegisterFileError, match="没有企业数据"):
        read_register(write_csv(tmp_path / "h.csv", []))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegisterFileError, match="找不到文件"):
        read_register(tmp_path / "nowhere.xlsx")


@pytest.mark.parametrize(
    ("dropped", "missing"), [("统一社会信用代码", "统一社会信用代码"), ("企业名称", "企业名称")]
)
def test_a_file_without_the_name_or_code_column_says_which_is_missing(
    tmp_path: Path, dropped: str, missing: str
) -> None:
    header = [h for h in HEADER if h != dropped]
    index = HEADER.index(dropped)
    row = [v for i, v in enumerate(good_row(1)) if i != index]
    with pytest.raises(RegisterFileError, match=f"m.xlsx 缺少{missing}列"):
        RegisterFile(write_xlsx(tmp_path / "m.xlsx", [row], header=header))


def test_a_sheet_with_no_recognisable_header_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "n.csv", [["a", "b"]], header=["foo", "bar"])
    with pytest.raises(RegisterFileError, match="找不到表头"):
        read_register(path)


# --- row rules ---------------------------------------------------------------------------------


def test_a_bad_check_character_names_the_row_column_and_expected_character(tmp_path: Path) -> None:
    bad = code(7)[:17] + ("X" if code(7)[17] != "X" else "Y")
    rows = [good_row(i) for i in range(1, 6)]
    rows.append([*good_row(6)[:1], bad, *good_row(6)[2:]])
    assert problems_of(write_xlsx(tmp_path / "r.xlsx", rows)) == [
        f"第7行 统一社会信用代码：校验位错误（应为{code(7)[17]}，实际为{bad[17]}）"
    ]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (1, "91440300MA5F0001", "应为18位，实际为16位"),
        (1, "", "不能为空"),
        (0, "", "不能为空"),
        (5, "12345", "格式不正确（12345）"),
        (6, -3, "不能为负数"),
        (6, "十二", "应为整数"),
        (6, 12.5, "应为整数"),
        (8, "复工了", "未知的复工状态“复工了”"),
    ],
)
def test_each_field_rule_refuses_the_row_with_its_column_and_reason(
    tmp_path: Path, column: int, value: object, reason: str
) -> None:
    row = good_row(1)
    row[column] = value
    problems = problems_of(write_xlsx(tmp_path / "r.xlsx", [row]))
    assert len(problems) == 1
    assert problems[0].startswith(f"第2行 {HEADER[column]}：")
    assert reason in problems[0]


def test_more_staff_on_site_than_in_total_is_refused(tmp_path: Path) -> None:
    row = good_row(1)
    row[6], row[7] = 10, 11
    assert problems_of(write_csv(tmp_path / "r.csv", [row])) == [
        "第2行 到岗人数：到岗人数（11）不能大于员工总数（10）"
    ]


def test_a_duplicate_code_within_the_file_points_to_the_first_occurrence(tmp_path: Path) -> None:
    rows = [good_row(1), good_row(2), good_row(1, name="另一家公司")]
    good, problems = read_register(write_xlsx(tmp_path / "d.xlsx", rows))
    assert [str(p) for p in problems] == [f"第4行 统一社会信用代码：与第2行重复（{code(1)}）"]
    assert len(good) == 2


def test_every_bad_row_is_reported_not_only_the_first(tmp_path: Path) -> None:
    rows = [good_row(1), [None, "bad", None, None, None, None, None, None, None], good_row(3)]
    rows[2][6] = -1
    problems = problems_of(write_xlsx(tmp_path / "m.xlsx", rows))
    assert [p.split(" ")[0] for p in problems] == ["第3行", "第3行", "第4行"]


def test_an_xlsx_with_an_entity_bomb_is_refused_as_a_broken_file(tmp_path):
    """A "billion laughs" sheet must neither expand in memory nor crash: it is a broken file."""
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>'
        + "</worksheet>"
    )
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", bomb)
    # expat refuses the expansion, or the cap on a cell's text stops it first.
    refusal = r"炸弹\.xlsx (不完整或已损坏|第1行 第1列：单元格超过 32,767 个字符)"
    with pytest.raises(RegisterFileError, match=refusal):
        read_register(path)
