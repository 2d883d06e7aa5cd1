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

from inspector_app.reports.data import SummaryData
from inspector_app.reports.fonts import SERIF
from inspector_app.reports.layout import (
    BAD_FILL,
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
    make_doc,
    para,
    red,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import heading

BAR_COLOURS = (colors.HexColor("#4472C4"), colors.HexColor("#70AD47"), colors.HexColor("#C00000"))
DEFINITIONS = (
    "口径说明：检查次数不含复查；核查通过/已复工指本期检查结论为“通过”或企业状态为“核查通过”“已复工”的企业；"
    "复工率 = 核查通过/已复工企业数 ÷ 范围内企业数；"
    "整改率 = 本期发现且截至期末已销号的隐患数 ÷ 本期发现隐患数；"
    "逾期未整改指截至期末未销号且已过整改期限的隐患（含以前各期发现的）。"
)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


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


def _figures(data: SummaryData) -> Flowable:
    w = FRAME_WIDTH
    cells = [
        ("检查次数", f"{data.visits}"),
        ("复查次数", f"{data.rechecks}"),
        ("范围内企业", f"{data.enterprises_in_scope}"),
        ("检查企业数", f"{data.enterprises_inspected}"),
        ("核查通过/已复工", f"{data.approved}"),
        ("复工率", pct(data.resumption_rate)),
        ("发现隐患", f"{data.findings_found}"),
        ("已整改销号", f"{data.findings_closed}"),
        ("整改率", pct(data.rectification_rate)),
        ("现场立即整改", f"{data.fixed_on_site}"),
        ("重大隐患", f"{data.major_found}"),
        ("重大隐患已整改", f"{data.major_closed}"),
        ("重大隐患整改率", pct(data.major_rectification_rate)),
        ("逾期未整改", f"{len(data.overdue)}"),
    ]
    rows: list[list[Any]] = []
    for i in range(0, len(cells), 3):
        row: list[Any] = []
        for label, value in cells[i : i + 3]:
            row += [para(label, CELL_LABEL), para(value, CELL_CENTER)]
        row += [""] * (6 - len(row))
        rows.append(row)
    extra: list[tuple[Any, ...]] = [
        ("BACKGROUND", (c, 0), (c, -1), colors.HexColor("#EDEDED")) for c in (0, 2, 4)
    ]
    if data.overdue:
        extra.append(("BACKGROUND", (3, 4), (3, 4), BAD_FILL))
    return ruled_table(rows, [w * 0.19, w * 0.14] * 3, header_rows=0, extra=extra)


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
    legend.colorNamePairs = list(zip(BAR_COLOURS, ("检查企业", "核查通过/已复工", "发现隐患"), strict=True))
    drawing.add(legend)
    drawing.add(String(12 * mm, height - 4 * mm, "各类别企业检查情况", fontName=SERIF, fontSize=9))
    return drawing


def _short(name: str) -> str:
    return name if len(name) <= 6 else name[:6] + "…"


def summary_story(data: SummaryData) -> list[Flowable]:
    w = FRAME_WIDTH
    story: list[Flowable] = title_block(data.issuer.unit, title_for(data), None)
    story.append(para(f"统计范围：{data.scope}　　统计期间：{_period(data)}", SUBTITLE))
    story.append(para(f"制表时间：{data.generated_at.strftime('%Y-%m-%d %H:%M')}", SUBTITLE))
    story.append(Spacer(1, 6))
    story.append(heading("一、主要数据"))
    story.append(_figures(data))
    story.append(Spacer(1, 6))
    story.append(KeepTogether([heading("二、分类别情况"), category_chart(data)]))
    rows: list[list[Any]] = [
        [
            para(h, CELL_HEAD)
            for h in ("企业类别", "范围内企业", "检查企业", "核查通过/已复工", "复工率", "发现隐患")
        ]
    ]
    for c in data.categories:
        rows.append(
            [
                para(c.category, CELL),
                para(str(c.in_scope), CELL_RIGHT),
                para(str(c.inspected), CELL_RIGHT),
                para(str(c.approved), CELL_RIGHT),
                para(pct(c.resumption_rate), CELL_RIGHT),
                para(str(c.findings), CELL_RIGHT),
            ]
        )
    if len(rows) == 1:
        rows.append([para("（无）", CELL), "", "", "", "", ""])
    story.append(ruled_table(rows, [w * 0.28, w * 0.14, w * 0.13, w * 0.17, w * 0.13, w * 0.15]))

    story.append(heading("三、检查人员工作量"))
    rows = [[para(h, CELL_HEAD) for h in ("序号", "姓名", "执法证号", "检查次数", "检查企业", "发现隐患")]]
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
                red(o.severity.value, CELL_CENTER)
                if o.severity.value == "重大"
                else para(o.severity.value, CELL_CENTER)
            )
            rows.append(
                [
                    para(str(n), CELL_CENTER),
                    para(o.enterprise, CELL),
                    para(o.title, CELL),
                    level,
                    para(o.deadline.isoformat(), CELL_CENTER),
                    para(str(o.days_overdue), CELL_RIGHT),
                ]
            )
        story.append(
            ruled_table(rows, [w * 0.07, w * 0.30, w * 0.30, w * 0.08, w * 0.14, w * 0.11], extra=extra)
        )
    story.append(Spacer(1, 8))
    story.append(para(DEFINITIONS, SMALL))
    return story


def build_summary(data: SummaryData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(str(target) if isinstance(target, Path) else target, f"{title_for(data)} {_period(data)}")
    build(doc, summary_story(data))
