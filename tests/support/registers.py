"""Register files built in the test's tmp_path, the way office software writes them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from inspector_app.domain.credit_code import complete

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "地址",
    "网格",
    "类别",
    "联系电话",
    "员工总数",
    "到岗人数",
    "复工状态",
]


def code(n: int) -> str:
    return complete(f"91440300MA5F{n:05d}")


def good_row(n: int, name: str | None = None) -> list[object]:
    return [
        name or f"深圳市宝龙精密五金制品有限公司{n}",
        code(n),
        f"宝龙街道宝龙大道{n}号",
        "宝龙一网格",
        "规上工业企业",
        "13912345678",
        120,
        80,
        "已复工",
    ]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", header: Sequence[str] = HEADER
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
