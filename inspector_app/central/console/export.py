"""The 总览 as a workbook (the street's 日报/周报 in XLSX): the same figures and definitions as the page.

Every cell goes through ``register.sheets.sheet_value``: a team, grid, category or person named like
a formula ("=HYPERLINK(…)") is written as the text it is, never run by Excel or WPS.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from inspector_app.central.console.figures import Scope
from inspector_app.domain.figures import DEFINITIONS
from inspector_app.register.sheets import sheet_value

HEADER = PatternFill("solid", fgColor="E6EEF8")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _append(ws: Any, row: list[Any]) -> None:
    ws.append([sheet_value(v) for v in row])


def _table(ws: Any, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    _append(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER
    for row in rows:
        _append(ws, row)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"


def overview_workbook(data: dict[str, Any], scope: Scope, today: date, issuer: str) -> bytes:
    wb = Workbook()
    ws = wb.create_sheet("总览")
    wb.remove(wb.worksheets[0])
    days = (scope.end - scope.start).days + 1
    title = "检查工作日报" if days == 1 else "检查工作周报" if days <= 7 else "检查工作情况统计"
    where = scope.team or scope.grid or "全街道"
    _append(ws, [f"{title}（{where}）"])
    ws["A1"].font = Font(bold=True, size=14)
    _append(ws, [f"统计期间：{scope.start} 至 {scope.end}；制表：{issuer}；制表日期：{today}"])
    ws.append([])
    v, f, e, c = data["visits"], data["findings"], data["enterprises"], data["cadence"]
    rows = [
        ["检查家数（家）", v["homes"]],
        ["检查家次", v["visits"]],
        ["复查家次", v["rechecks"]],
        ["复工率", _pct(e["rate"]), f"{e['resumed']} / {e['total']}"],
        *[[f"复工率（{cat}）", _pct(rate)] for cat, rate in e["key_rates"].items()],
        ["发现隐患（条）", f["raised"], f"其中重大 {f['major_raised']}"],
        ["已报整改（条）", f["rectified"]],
        ["已销号（条）", f["closed"]],
        ["整改率", _pct(f["rate"]), f"累计销号 {f['closed_to_date']} / 累计发现 {f['found_to_date']}"],
        [
            "重大隐患整改率",
            _pct(f["major_rate"]),
            f"累计 {f['major_closed_to_date']} / {f['major_found_to_date']}",
        ],
        ["逾期未整改（条）", f["overdue"]],
        ["未销号（条）", f["open"]],
        ["未解决诉求（件）", data["requests_open"]],
        ["巡查覆盖率（近7日）", _pct(c["rate"]), f"达标 {c['met']} / {c['assigned']} 家"],
    ]
    _table(ws, ["指标", "数值", "说明"], rows, [22, 14, 30])
    ws.freeze_panes = None
    ws.append([])
    _append(ws, [DEFINITIONS])
    ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True)
    teams = wb.create_sheet("各检查组")
    _table(
        teams,
        ["检查组", "检查家次", "检查家数", "发现隐患", "逾期未整改"],
        [[r["team"], r["visits"], r["homes"], r["raised"], r["overdue"]] for r in data["teams"]],
        [16, 12, 12, 12, 12],
    )
    cats = wb.create_sheet("企业类别与复工状态")
    _table(
        cats,
        ["类别", *e["statuses"], "合计", "复工率"],
        [
            [r["category"], *[r["counts"].get(s, 0) for s in e["statuses"]], r["total"], _pct(r["rate"])]
            for r in e["by_category"]
        ],
        [16] + [10] * (len(e["statuses"]) + 2),
    )
    people = wb.create_sheet("检查人员")
    _table(
        people,
        ["执法证号", "姓名", "检查组", "参与检查"],
        [[r["badge"], r["name"], r["team"], r["visits"]] for r in data["inspectors"]],
        [16, 12, 16, 12],
    )
    daily = wb.create_sheet("每日")
    _table(
        daily,
        ["日期", "检查家次", "发现隐患"],
        [[d["day"].isoformat(), d["visits"], d["findings"]] for d in data["series"]],
        [14, 12, 12],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
