"""The figures a street office reports upward, with one definition each (口径).

The one home of the definitions: the laptop's summary computes them here over plain rows
(``street_figures``), and the office console counts the same things with queries on its read
model using the windows and predicates below (``period_range``, ``coverage_window``,
``cadence_met``, ``closed_by``, ``overdue_on``, ``ratio``), so both print the same numbers.
Conventions, printed with every summary (``DEFINITIONS``):

- 家 counts distinct enterprises; 家次 counts visits (an enterprise visited three times is 1 家,
  3 家次); 人次 counts inspectors per visit.
- 本期 is the reporting period; 累计 is everything up to the period's last day, 24:00
  ("截至X月X日24时"); 较前一日 is the last day's figure minus the day before's.
- 规上工业企业复工率 and 在建项目复工率 are read from the register's resumption status (已复工)
  as it stands when the summary is made; 核查通过 (approval) is counted apart from 已复工 (actual
  resumption).
- 整改率 = findings closed by re-inspection (or corrected on the spot) ÷ findings found, both
  counted up to the period's end, whenever they were found; the period's 销号 counts closures in the
  period, so re-inspections of earlier findings show up.
- 逾期未整改 = findings not closed by the period's end whose deadline is before it (never one
  corrected on the spot).
- 巡查覆盖率 = enterprises with a cadence (visits per week on the worklist) inspected at least that
  often in the 7 days to the period's end ÷ enterprises with a cadence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

SMALL_VENUE_CATEGORIES = frozenset({"小档口", "小作坊", "小娱乐场所", "出租屋", "个体工商户"})
ABOVE_SCALE_INDUSTRY = "规上工业企业"
CONSTRUCTION = "建筑工地"
RESUMED = "已复工"
APPROVED = frozenset({"核查通过", "已复工"})
EPIDEMIC_FORM = "epidemic-resumption"
ON_SITE_FIXED = "当场整改完毕"


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    id: int
    category: str
    resumption_status: str
    staff_total: int | None = None
    staff_on_site: int | None = None
    visits_per_week: int | None = None  # the cadence, when the enterprise is on a worklist


@dataclass(frozen=True, slots=True)
class VisitRow:
    enterprise_id: int
    day: date
    recheck: bool
    form_code: str
    inspectors: int
    answers: Mapping[str, object] = field(default_factory=dict)  # daily_report, staff_isolated


@dataclass(frozen=True, slots=True)
class FindingRow:
    """Findings alike in every fact the figures read (``count`` of them: the office groups them)."""

    found_on: date
    major: bool
    order: str
    deadline: date
    closed_on: date | None
    collective_review: bool = False  # a suspected 重大火灾隐患, for the office's collective review
    count: int = 1


@dataclass(frozen=True, slots=True)
class DocumentRow:
    title: str
    issued_on: date
    count: int = 1


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    unit: str
    period: float | None  # None: the figure has no period value (a snapshot or a rate to date)
    cumulative: float | None
    change: float | None = None

    def text(self, value: float | None) -> str:
        if value is None:
            return "/"
        if self.unit == "%":
            return f"{value:.1f}%"
        return f"{int(value)}"


DEFINITIONS = (
    "口径说明：“家”为不重复计算的企业（场所）数，“家次”为检查次数，“人次”为每次检查的检查人员数之和；"
    "“本期”为统计期间，“累计”为截至统计期末日24时；“较前一日”为期末日数值减前一日数值。"
    "规上工业企业复工率、在建项目复工率按企业名录中“已复工”状态计算（制表时状态），"
    "“核查通过”与“已复工”分别统计。整改率＝截至期末已销号（复查销号或当场整改完毕）隐患数÷截至期末发现隐患数；"
    "本期销号含以前各期发现、本期复查销号的隐患。隔离观察人数取各企业最近一次防疫核查所填人数之和。"
    "巡查覆盖率＝近7日检查次数达到规定频次的企业数÷有规定频次的企业数。“/”表示该指标无此口径。"
)


PERIODS = ("today", "week", "season")
COVERAGE_DAYS = 7


def period_range(period: str, today: date) -> tuple[date, date]:
    """本期 as the office picks it: 今日 is today; 本周 is Monday to today; 本季 is the calendar
    quarter to today."""
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "season":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    return today, today


def coverage_window(last: date) -> tuple[date, date]:
    """The days whose inspections count toward 巡查覆盖率 on ``last``: the 7 days ending on it."""
    return last - timedelta(days=COVERAGE_DAYS - 1), last


def cadence_met(inspections: int, visits_per_week: int) -> bool:
    """An enterprise is covered when its inspections in the window reach its cadence."""
    return inspections >= visits_per_week


def closed_by(closed_on: date | None, last: date) -> bool:
    """销号 by the period's end (by re-inspection, or on the spot on the day found)."""
    return closed_on is not None and closed_on <= last


def overdue_on(closed_on: date | None, deadline: date, order: str, last: date) -> bool:
    """逾期未整改 on ``last``: not closed by then, past its deadline, not corrected on the spot."""
    return not closed_by(closed_on, last) and deadline < last and order != ON_SITE_FIXED


def ratio(part: int, whole: int) -> float | None:
    """A rate as a fraction (0.5 is 50%); None where there is nothing to divide by (shown "/")."""
    return None if whole == 0 else part / whole


def _rate(part: int, whole: int) -> float | None:
    value = ratio(part, whole)
    return None if value is None else value * 100.0


def street_figures(
    enterprises: Sequence[EnterpriseRow],
    visits: Sequence[VisitRow],
    findings: Sequence[FindingRow],
    documents: Sequence[DocumentRow],
    *,
    first: date,
    last: date,
) -> tuple[Figure, ...]:
    """The 2020 street-office figures for the period ``first``–``last`` and cumulatively to ``last``.

    ``visits`` come in the order they were completed: of an enterprise's epidemic checks on its
    latest day, the last one given is the one whose answers count."""
    ents = {e.id: e for e in enterprises}
    small = {e.id for e in enterprises if e.category in SMALL_VENUE_CATEGORIES}
    above = {e.id for e in enterprises if e.category == ABOVE_SCALE_INDUSTRY}
    sites = {e.id for e in enterprises if e.category == CONSTRUCTION}
    start = date.min

    def window(lo: date, hi: date) -> list[VisitRow]:
        return [v for v in visits if lo <= v.day <= hi]

    def counts(lo: date, hi: date) -> dict[str, float]:
        vs = window(lo, hi)
        inspections = [v for v in vs if not v.recheck]
        fs = [f for f in findings if lo <= f.found_on <= hi]
        closed = (f for f in findings if f.closed_on is not None and lo <= f.closed_on <= hi)
        return {
            "guided": len({v.enterprise_id for v in inspections}),
            "visits": len(inspections),
            "rechecks": sum(1 for v in vs if v.recheck),
            "turnout": sum(v.inspectors for v in vs),
            "above_guided": len({v.enterprise_id for v in inspections if v.enterprise_id in above}),
            "small_ents": len({v.enterprise_id for v in inspections if v.enterprise_id in small}),
            "small_visits": sum(1 for v in inspections if v.enterprise_id in small),
            "found": sum(f.count for f in fs),
            "major": sum(f.count for f in fs if f.major),
            "on_spot": sum(f.count for f in fs if f.order == ON_SITE_FIXED),
            "closed": sum(f.count for f in closed),
            "documents": sum(d.count for d in documents if lo <= d.issued_on <= hi),
        }

    period = counts(first, last)
    total = counts(start, last)
    today = counts(last, last)
    before = counts(last - timedelta(days=1), last - timedelta(days=1))

    def counted(label: str, unit: str, key: str) -> Figure:
        return Figure(label, unit, period[key], total[key], today[key] - before[key])

    found_to_date = [f for f in findings if f.found_on <= last]
    closed_to_date = [f for f in found_to_date if closed_by(f.closed_on, last)]
    majors_to_date = [f for f in found_to_date if f.major]
    overdue = [f for f in found_to_date if overdue_on(f.closed_on, f.deadline, f.order, last)]
    latest_epidemic = _latest(
        v for v in visits if v.form_code == EPIDEMIC_FORM and v.day <= last and not v.recheck
    )
    staff_total = sum(e.staff_total or 0 for e in enterprises if e.staff_on_site is not None)
    staff_on_site = sum(e.staff_on_site or 0 for e in enterprises if e.staff_total is not None)
    week = window(*coverage_window(last))
    per_week: dict[int, int] = defaultdict(int)
    for v in week:
        if not v.recheck:
            per_week[v.enterprise_id] += 1
    cadenced = [e for e in enterprises if e.visits_per_week]
    covered = sum(1 for e in cadenced if cadence_met(per_week[e.id], e.visits_per_week or 0))
    out = [
        counted("现场指导企业", "家", "guided"),
        counted("检查", "家次", "visits"),
        counted("复查", "家次", "rechecks"),
        counted("出动检查人员", "人次", "turnout"),
        counted("现场指导规上工业企业复工", "家", "above_guided"),
        Figure(
            "规上工业企业核查通过", "家", None, sum(1 for i in above if ents[i].resumption_status in APPROVED)
        ),
        Figure(
            "规上工业企业已复工", "家", None, sum(1 for i in above if ents[i].resumption_status == RESUMED)
        ),
        Figure(
            "规上工业企业复工率",
            "%",
            None,
            _rate(sum(1 for i in above if ents[i].resumption_status == RESUMED), len(above)),
        ),
        Figure(
            "在建项目复工率",
            "%",
            None,
            _rate(sum(1 for i in sites if ents[i].resumption_status == RESUMED), len(sites)),
        ),
        counted("检查“三小”场所", "家", "small_ents"),
        counted("检查“三小”场所", "家次", "small_visits"),
        Figure(
            "“三小”场所已复工（营业）",
            "家",
            None,
            sum(1 for i in small if ents[i].resumption_status == RESUMED),
        ),
        Figure("返岗人数", "人", None, staff_on_site),
        Figure("到岗率", "%", None, _rate(staff_on_site, staff_total)),
        Figure(
            "落实日报告企业",
            "家",
            None,
            sum(1 for v in latest_epidemic.values() if v.answers.get("daily_report") == "Y"),
        ),
        Figure(
            "隔离观察人数",
            "人",
            None,
            sum(_int(v.answers.get("staff_isolated")) for v in latest_epidemic.values()),
        ),
        Figure("巡查覆盖率（每周规定频次）", "%", None, _rate(covered, len(cadenced))),
        counted("发现隐患", "项", "found"),
        counted("其中重大隐患", "项", "major"),
        counted("当场整改完毕", "项", "on_spot"),
        counted("整改销号", "项", "closed"),
        Figure("整改率", "%", None, _rate(_count(closed_to_date), _count(found_to_date))),
        Figure(
            "重大隐患整改率",
            "%",
            None,
            _rate(_count(f for f in majors_to_date if closed_by(f.closed_on, last)), _count(majors_to_date)),
        ),
        Figure("逾期未整改隐患", "项", None, _count(overdue)),
        Figure(
            "涉嫌重大火灾隐患待集体讨论判定",
            "项",
            None,
            _count(f for f in found_to_date if f.collective_review and not closed_by(f.closed_on, last)),
        ),
        counted("出具执法文书", "件", "documents"),
    ]
    for title, n_period, n_total in documents_by_title(documents, first, last):
        out.append(Figure(f"　其中{title}", "件", n_period, n_total))
    return tuple(out)


def documents_by_title(
    documents: Iterable[DocumentRow], first: date, last: date
) -> list[tuple[str, int, int]]:
    period: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for d in documents:
        if d.issued_on <= last:
            total[d.title] += d.count
            if d.issued_on >= first:
                period[d.title] += d.count
    return [(t, period[t], total[t]) for t in sorted(total, key=lambda t: -total[t])]


def _count(findings: Iterable[FindingRow]) -> int:
    return sum(f.count for f in findings)


def _latest(visits: Iterable[VisitRow]) -> dict[int, VisitRow]:
    out: dict[int, VisitRow] = {}
    for v in sorted(visits, key=lambda v: v.day):
        out[v.enterprise_id] = v
    return out


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
