"""今日任务 lists an enterprise when the cadence says it is due: the worklist's SQL and the domain's
rule (``domain.organisation.due_date`` / ``days_overdue``) give the same day for every cadence,
last visit and assignment day, on every day around the boundaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.domain.credit_code import complete
from inspector_app.domain.enterprise import Enterprise
from inspector_app.domain.organisation import Cadence, days_overdue, due_date
from inspector_app.store import enterprises as store
from inspector_app.store import organisation
from inspector_app.store.worklist import due_work
from inspector_app.store.workspace import Workspace

TEAM = "宝龙一组"
DAY = date(2026, 11, 30)


@dataclass(frozen=True)
class Case:
    code: str
    visits_per_week: int
    assigned_on: date
    last_visit_on: date | None


def _cases() -> list[Case]:
    out = []
    n = 0
    for per_week in range(1, 8):
        for last in [None, *range(-21, 3)]:  # never visited, or 21 days ago … 2 days ahead
            for assigned in (-40, -3, 0, 2):  # assigned long ago, lately, today, in two days
                n += 1
                out.append(Case(
                    complete(f"91440300MC{n:07d}"), per_week, DAY + timedelta(days=assigned),
                    None if last is None else DAY + timedelta(days=last),
                ))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = Workspace.open(Path(tmp_path_factory.mktemp("cadence")) / "ws")
    with workspace.session() as s:
        conn = s.connection()
        organisation.upsert_team(conn, TEAM)
        store.insert_enterprises(conn, [
            store.enterprise_values(Enterprise(c.code, f"节奏测试第{i}号厂")) for i, c in enumerate(CASES)
        ], datetime(2026, 1, 1, tzinfo=UTC))
        ids = store.ids_by_codes(conn, [c.code for c in CASES])
        for c in CASES:
            organisation.set_assignment(conn, ids[c.code], TEAM, visits_per_week=c.visits_per_week,
                                 assigned_on=c.assigned_on, last_visit_on=c.last_visit_on)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("offset", range(-3, 9))
def test_the_worklist_lists_exactly_what_the_cadence_makes_due_and_on_the_same_day(
    ws: Workspace, offset: int
) -> None:
    today = DAY + timedelta(days=offset)
    with ws.session() as s:
        listed = {w.credit_code: w for w in due_work(s, today)}
    expected = {
        c.code: c for c in CASES
        if due_date(c.last_visit_on, Cadence(c.visits_per_week), c.assigned_on) <= today
    }
    assert set(listed) == set(expected)
    assert 0 < len(expected) < len(CASES)  # the day splits the cases: both sides are checked
    for code, c in expected.items():
        cadence = Cadence(c.visits_per_week)
        item = listed[code]
        assert item.due_on == due_date(c.last_visit_on, cadence, c.assigned_on), c
        assert item.days_overdue == days_overdue(c.last_visit_on, cadence, c.assigned_on, today), c
        assert item.reason == "例行检查"


def test_three_rounds_a_week_makes_an_enterprise_due_every_two_days(ws: Workspace) -> None:
    three = Cadence(3)
    assert due_date(DAY - timedelta(days=1), three, date(2026, 1, 1)) == DAY + timedelta(days=1)
    assert due_date(DAY - timedelta(days=2), three, date(2026, 1, 1)) == DAY
    assert due_date(None, three, DAY - timedelta(days=5)) == DAY - timedelta(days=5)
    with pytest.raises(ValueError, match="巡查频次"):
        Cadence(0)


@pytest.mark.parametrize("per_week", [0, 8, -1])
def test_a_cadence_the_domain_refuses_counts_as_daily_and_is_never_dropped(
    tmp_path: Path, per_week: int
) -> None:
    workspace = Workspace.open(tmp_path / "ws")
    code = complete("91440300MD0000001")
    try:
        with workspace.session() as s:
            conn = s.connection()
            organisation.upsert_team(conn, TEAM)
            store.insert_enterprises(conn, [store.enterprise_values(Enterprise(code, "频次异常厂"))],
                                     datetime(2026, 1, 1, tzinfo=UTC))
            (eid,) = store.ids_by_codes(conn, [code]).values()
            organisation.set_assignment(conn, eid, TEAM, visits_per_week=per_week,
                                        assigned_on=date(2026, 1, 1), last_visit_on=DAY - timedelta(days=1))
        with workspace.session() as s:
            assert [w.due_on for w in due_work(s, DAY)] == [DAY]
            assert due_work(s, DAY - timedelta(days=1)) == []
    finally:
        workspace.close()
