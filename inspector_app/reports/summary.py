"""检查工作情况统计: the daily or weekly figures a team or grid reports upward."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from inspector_app.domain.figures import DEFINITIONS as FIGURE_DEFINITIONS
from inspector_app.domain.figures import Figure
from inspector_app.reports.data import SummaryData
from inspector_app.reports.fonts import SERIF
from inspector_app.reports.layout import (
    BODY_FLUSH,
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    CELL_LABEL,
    CELL_RIGHT,
    FRAME_WIDTH,
    SMALL,
    SUBTITLE,
    build,
    fmt_date,
    hei,
    make_doc,
    para,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import heading

# Official reports print in black: the bars are shades of grey.
BAR_COLOURS = (colors.HexColor("#404040"), colors.HexColor("#8C8C8C"), colors.HexColor("#D0D0D0"))
DEFINITIONS = FIGURE_DEFINITIONS


def pct(value: float | None) -> str:
    return "/" if value is None else f"{value * 100:.1f}%"


def cn_time(value: object) -> str:
    """制表时间 in Chinese form: 2026年11月30日10时05分."""
    from datetime import datetime

    assert isinstance(value, datetime)
    return f"{value.year}年{value.month}月{value.day}日{value.hour:02d}时{value.minute:02d}分"


def as_of(data: SummaryData) -> str:
    return f"截至{data.date_to.month}月{data.date_to.day}日24时"


def street_table(data: SummaryData) -> Flowable:
    """The figures reported upward: 本期, 累计 to the period's end, and the change on the day before."""
    w = FRAME_WIDTH
    rows: list[list[Any]] = [
        [_head(h) for h in ("序号", "指标", "单位", "本期", f"累计（{as_of(data)}）", "较前一日")]
    ]
    for n, f in enumerate(data.street, start=1):
        change = "/" if f.change is None else (f"{int(f.change):+d}" if f.change else "0")
        rows.append(
            [
                para(str(n), CELL_CENTER),
                para(f.label, CELL),
                para(f.unit, CELL_CENTER),
                para(f.text(f.period), CELL_RIGHT),
                para(f.text(f.cumulative), CELL_RIGHT),
                para(change, CELL_RIGHT),
            ]
        )
    return ruled_table(rows, [w * 0.07, w * 0.37, w * 0.07, w * 0.11, w * 0.25, w * 0.13])


def sign_off(data: SummaryData) -> Flowable:
    w = FRAME_WIDTH
    rows = [
        [
            para("填报单位", CELL_LABEL),
            para(data.issuer.unit, CELL),
            para("制表时间", CELL_LABEL),
            para(cn_time(data.generated_at), CELL),
        ],
        [para("审核人", CELL_LABEL), para("", CELL), para("联系电话", CELL_LABEL), para("", CELL)],
    ]
    return ruled_table(rows, [w * 0.15, w * 0.40, w * 0.15, w * 0.30], header_rows=0)


def _head(text: str) -> Any:
    """A column head whose unit (in brackets) goes on its own line when it does not fit: never a
    "（" left at a line's end or "家）" starting the next."""
    name, bracket, unit = text.partition("（")
    if not bracket or not name:
        return para(text, CELL_HEAD)
    return [para(name, CELL_HEAD), para(bracket + unit, CELL_HEAD)]


def figures_of(data: SummaryData) -> tuple[Figure, ...]:
    return data.street


def title_for(data: SummaryData) -> str:
    days = (data.date_to - data.date_from).days + 1
    if days == 1:
        return "检查工作日报"
    if days == 7:
        return "检查工作周报"
    return "检查工作情况统计"


def _period(data: SummaryData) -> str:
    if data.date_from == data.date_to:
        return fmt_date(data.date_from)
    return f"{fmt_date(data.date_from)}至{fmt_date(data.date_to)}"


def category_chart(data: SummaryData, width: float = FRAME_WIDTH, height: float = 62 * mm) -> Drawing:
    """Grouped bars per category: enterprises inspected, approved, findings."""
    cats = list(data.categories)[:12] or []
    drawing = Drawing(width, height)
    drawing.initialFontName = SERIF
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 16 * mm
    chart.width, chart.height = width - 50 * mm, height - 24 * mm
    values = [
        [c.inspected for c in cats] or [0],
        [c.approved for c in cats] or [0],
        [c.findings for c in cats] or [0],
    ]
    chart.data = values
    chart.categoryAxis.categoryNames = [_short(c.category) for c in cats] or ["—"]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 0 if len(cats) <= 6 else 30
    chart.categoryAxis.labels.boxAnchor = "n" if len(cats) <= 6 else "ne"
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(v) for v in values] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 8)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.barLabels.fontName = SERIF
    chart.barLabels.fontSize = 6
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 5
    for i, colour in enumerate(BAR_COLOURS):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 34 * mm, height - 10 * mm
    legend.fontName = SERIF
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = list(
        zip(BAR_COLOURS, ("检查企业（家）", "核查通过（家）", "发现隐患（项）"), strict=True)
    )
    drawing.add(legend)
    drawing.add(String(12 * mm, height - 4 * mm, "各类别企业检查情况", fontName=SERIF, fontSize=9))
    return drawing


def _short(name: str) -> str:
    return name if len(name) <= 6 else name[:6] + "…"


def summary_story(data: SummaryData) -> list[Flowable]:
    w = FRAME_WIDTH
    story: list[Flowable] = title_block(data.issuer.unit, title_for(data), None)
    story.append(para(f"统计范围：{data.scope}　　统计期间：{_period(data)}", SUBTITLE))
    story.append(para(f"数据{as_of(data)}　　制表时间：{cn_time(data.generated_at)}", SUBTITLE))
    story.append(Spacer(1, 6))
    # The table may run onto the next page; a keep-with-next heading would carry all of it over.
    story.append(heading("一、主要数据", keep=False))
    story.append(street_table(data))
    story.append(Spacer(1, 3))
    story.append(para(DEFINITIONS, SMALL))
    story.append(Spacer(1, 6))
    story.append(KeepTogether([heading("二、分类别情况"), category_chart(data)]))
    rows: list[list[Any]] = [
        [
            _head(h)
            for h in (
                "企业类别",
                "范围内（家）",
                "检查（家）",
                "核查通过（家）",
                "已复工（家）",
                "复工率",
                "发现隐患（项）",
            )
        ]
    ]
    for c in data.categories:
        rows.append(
            [
                para(c.category, CELL),
                para(str(c.in_scope), CELL_RIGHT),
                para(str(c.inspected), CELL_RIGHT),
                para(str(c.approved), CELL_RIGHT),
                para(str(c.resumed), CELL_RIGHT),
                para(pct(c.resumption_rate), CELL_RIGHT),
                para(str(c.findings), CELL_RIGHT),
            ]
        )
    if len(rows) == 1:
        rows.append([para("（无）", CELL), "", "", "", "", "", ""])
    story.append(ruled_table(rows, [w * 0.22, w * 0.12, w * 0.11, w * 0.15, w * 0.13, w * 0.12, w * 0.15]))

    story.append(heading("三、检查人员工作量"))
    rows = [
        [
            _head(h)
            for h in ("序号", "姓名", "执法证号", "检查（家次）", "检查企业（家）", "发现隐患（项）")
        ]
    ]
    for n, i in enumerate(data.inspectors, start=1):
        rows.append(
            [
                para(str(n), CELL_CENTER),
                para(i.name, CELL),
                para(i.badge_number, CELL),
                para(str(i.visits), CELL_RIGHT),
                para(str(i.enterprises), CELL_RIGHT),
                para(str(i.findings), CELL_RIGHT),
            ]
        )
    if len(rows) == 1:
        rows.append([para("（本期无检查）", CELL), "", "", "", "", ""])
    story.append(ruled_table(rows, [w * 0.08, w * 0.20, w * 0.26, w * 0.15, w * 0.15, w * 0.16]))

    story.append(heading("四、企业诉求办理情况"))
    from inspector_app.reports.data import REQUEST_STATUSES

    rows = [[para(h, CELL_HEAD) for h in ("诉求类别", *REQUEST_STATUSES, "合计")]]
    for r in data.requests:
        rows.append(
            [para(r.category, CELL)]
            + [para(str(n), CELL_RIGHT) for _, n in r.counts]
            + [para(str(r.total), CELL_RIGHT)]
        )
    if len(rows) == 1:
        rows.append([para("（本期无诉求）", CELL), "", "", "", ""])
    story.append(ruled_table(rows, [w * 0.32, w * 0.17, w * 0.17, w * 0.17, w * 0.17]))

    story.append(heading("五、逾期未整改隐患"))
    if not data.overdue:
        story.append(para("截至期末无逾期未整改隐患。", BODY_FLUSH))
    else:
        rows = [[para(h, CELL_HEAD) for h in ("序号", "企业名称", "隐患", "等级", "整改期限", "逾期天数")]]
        extra: list[tuple[Any, ...]] = []
        for n, o in enumerate(data.overdue, start=1):
            level = (
                hei(o.severity.value, CELL_CENTER)
                if o.severity.value == "重大"
                else para(o.severity.value, CELL_CENTER)
            )
            rows.append(
                [
                    para(str(n), CELL_CENTER),
                    para(o.enterprise, CELL),
                    para(o.title, CELL),
                    level,
                    para(fmt_date(o.deadline), CELL_CENTER),
                    para(str(o.days_overdue), CELL_RIGHT),
                ]
            )
        story.append(
            ruled_table(rows, [w * 0.07, w * 0.30, w * 0.30, w * 0.08, w * 0.14, w * 0.11], extra=extra)
        )
    story.append(Spacer(1, 8))
    story.append(KeepTogether([sign_off(data)]))
    return story


def build_summary(data: SummaryData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(str(target) if isinstance(target, Path) else target, f"{title_for(data)} {_period(data)}")
    build(doc, summary_story(data))


def build_summary_xlsx(data: SummaryData, target: Path) -> None:
    """The same figures as a workbook the office can forward or merge: one sheet of figures with the
    definitions and the sign-off, one of overdue findings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from inspector_app.register.sheets import sheet_value

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    ws = wb.create_sheet("主要数据")
    ws.append([f"{data.issuer.unit}{title_for(data)}"])
    ws.append([f"统计范围：{data.scope}", f"统计期间：{_period(data)}", f"数据{as_of(data)}"])
    ws.append(["序号", "指标", "单位", "本期", f"累计（{as_of(data)}）", "较前一日"])
    for n, f in enumerate(data.street, start=1):
        ws.append(
            [
                n,
                f.label,
                f.unit,
                _cell(f, f.period),
                _cell(f, f.cumulative),
                "/" if f.change is None else int(f.change),
            ]
        )
    ws.append([])
    ws.append([DEFINITIONS])
    ws.append(["填报单位", sheet_value(data.issuer.unit), "审核人", "", "联系电话", ""])
    ws.append(["制表时间", cn_time(data.generated_at)])
    ws["A1"].font = Font(bold=True, size=14)
    for column, width in zip("ABCDEF", (8, 34, 8, 12, 22, 12), strict=True):
        ws.column_dimensions[column].width = width
    ws.cell(ws.max_row - 2, 1).alignment = Alignment(wrap_text=True)
    overdue = wb.create_sheet("逾期未整改隐患")
    overdue.append(["序号", "企业名称", "隐患", "等级", "整改期限", "逾期天数"])
    for n, o in enumerate(data.overdue, start=1):
        # Names and titles come from the register and the forms: formula-like text stays text.
        overdue.append([n, sheet_value(o.enterprise), sheet_value(o.title), o.severity.value,
                        fmt_date(o.deadline), o.days_overdue])
    wb.save(target)


def _cell(f: Figure, value: float | None) -> object:
    if value is None:
        return "/"
    return round(value, 1) if f.unit == "%" else int(value)
