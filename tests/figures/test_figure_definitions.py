"""The figure definitions (口径) the laptop's summary and the office console share: a known set of
rows gives the numbers the definitions say, and the console's windows are the domain's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from inspector_app.domain import figures as d

LAST = date(2026, 11, 30)  # a Monday: 本周 is this day alone; the cadence window is not


def _figure(figures: tuple[d.Figure, ...], label: str, unit: str) -> d.Figure:
    (found,) = [f for f in figures if f.label == label and f.unit == unit]
    return found


def test_periods_and_the_cadence_window() -> None:
    assert d.period_range("today", LAST) == (LAST, LAST)
    assert d.period_range("week", LAST) == (LAST, LAST)
    assert d.period_range("season", LAST) == (date(2026, 10, 1), LAST)
    assert d.coverage_window(LAST) == (date(2026, 11, 24), LAST)  # seven days, whatever the weekday
    assert d.cadence_met(2, 2) and not d.cadence_met(1, 2)
    assert d.ratio(1, 4) == 0.25 and d.ratio(0, 0) is None


def test_street_figures_of_a_known_week() -> None:
    ents = [
        d.EnterpriseRow(1, "规上工业企业", "已复工", visits_per_week=2),
        d.EnterpriseRow(2, "规上工业企业", "核查通过", visits_per_week=1),
        d.EnterpriseRow(3, "小档口", "未复工"),
    ]
    visits = [
        d.VisitRow(1, LAST - timedelta(days=6), False, "work-safety", 2),  # Tuesday last week: counts
        d.VisitRow(1, LAST, False, "work-safety", 2),
        d.VisitRow(2, LAST - timedelta(days=7), False, "work-safety", 2),  # eight days ago: not
        d.VisitRow(3, LAST, False, "three-small", 1),
        d.VisitRow(1, LAST, True, "recheck", 2),  # a 复查 is no 家次
    ]
    findings = [
        d.FindingRow(LAST - timedelta(days=6), True, "限期整改", LAST - timedelta(days=1), LAST),
        d.FindingRow(LAST, False, "当场整改完毕", LAST, LAST),  # closed on the spot, never overdue
        d.FindingRow(LAST, False, "限期整改", LAST - timedelta(days=1), None),  # overdue
        d.FindingRow(LAST - timedelta(days=7), False, "限期整改", LAST + timedelta(days=3), None),
    ]
    out = d.street_figures(ents, visits, findings, [], first=LAST, last=LAST)
    assert _figure(out, "检查", "家次").period == 2  # today's inspections, rechecks apart
    assert _figure(out, "现场指导企业", "家").period == 2
    assert _figure(out, "复查", "家次").period == 1
    assert _figure(out, "巡查覆盖率（每周规定频次）", "%").cumulative == 50.0  # 1 of the 2 with a cadence
    assert _figure(out, "整改率", "%").cumulative == 50.0  # 2 closed of 4 found, to date
    assert _figure(out, "重大隐患整改率", "%").cumulative == 100.0
    assert _figure(out, "逾期未整改隐患", "项").cumulative == 1
    assert _figure(out, "规上工业企业复工率", "%").cumulative == 50.0  # 已复工 only, not 核查通过
    assert _figure(out, "规上工业企业核查通过", "家").cumulative == 2


def test_alike_findings_each_count_by_their_own_state() -> None:
    """Findings are counted by their own state, never by comparing rows: rows alike in every field
    each count. (Comparing each major finding with the closed list made the street's 日报 over a
    season's 195,000 findings take ten minutes: bench/bench_console.py times it.)"""
    ents = [d.EnterpriseRow(1, "规上工业企业", "已复工", visits_per_week=1)]
    open_one = d.FindingRow(LAST, True, "限期整改", LAST + timedelta(days=3), None)
    closed_one = d.FindingRow(LAST, True, "限期整改", LAST + timedelta(days=3), LAST)
    out = d.street_figures(ents, [], [open_one, closed_one, open_one, closed_one, closed_one], [],
                           first=LAST, last=LAST)
    assert _figure(out, "重大隐患整改率", "%").cumulative == 60.0
    assert _figure(out, "整改率", "%").cumulative == 60.0


def test_a_counted_row_stands_for_that_many_alike_rows() -> None:
    """The office groups alike findings and documents with their count (a season is ~200,000
    findings); every figure reads a row of count n as n rows."""
    ents = [d.EnterpriseRow(1, "规上工业企业", "已复工", visits_per_week=1)]
    rows = [
        d.FindingRow(LAST, True, "限期整改", LAST - timedelta(days=3), None, collective_review=True),
        d.FindingRow(LAST - timedelta(days=1), False, "当场整改完毕", LAST, LAST - timedelta(days=1)),
        d.FindingRow(LAST, False, "立即整改", LAST + timedelta(days=3), LAST),
    ]
    docs = [
        d.DocumentRow("责令限期整改指令书", LAST),
        d.DocumentRow("现场检查记录", LAST - timedelta(days=1)),
    ]
    one_by_one = d.street_figures(ents, [], rows * 3 + rows[:1] * 2, docs * 4, first=LAST, last=LAST)
    counted = d.street_figures(
        ents,
        [],
        [replace(rows[0], count=5), replace(rows[1], count=3), replace(rows[2], count=3)],
        [replace(docs[0], count=4), replace(docs[1], count=4)],
        first=LAST,
        last=LAST,
    )
    assert counted == one_by_one
    assert _figure(counted, "发现隐患", "项").cumulative == 11
    assert _figure(counted, "涉嫌重大火灾隐患待集体讨论判定", "项").cumulative == 5
