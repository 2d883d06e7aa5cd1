"""今日任务: due by cadence, overdue first, re-inspections due when a deadline has come."""

from __future__ import annotations

from datetime import date

from tests.inspection.test_visits import filled_visit, sign_all


def test_an_assigned_enterprise_never_visited_is_due_from_its_assignment_day(world):
    (item,) = world.app.worklist.due()
    assert (item.credit_code, item.reason, item.last_visit_on) == (world.code, "例行检查", None)
    assert item.days_overdue == (date(2026, 11, 23) - date(2026, 11, 1)).days


def test_a_visit_today_takes_the_enterprise_off_the_list_until_the_cadence_comes_round(world):
    vid = filled_visit(world)
    sign_all(world, vid)
    world.app.visits.complete(vid)
    assert world.app.worklist.due() == []
    world.clock.advance(days=2)  # three rounds a week: due again two days later
    assert [i.credit_code for i in world.app.worklist.due()] == [world.code]


def test_a_finding_whose_deadline_came_puts_a_recheck_on_the_list(world):
    vid = filled_visit(world, exits="N")
    sign_all(world, vid)
    world.app.visits.complete(vid)
    world.clock.advance(days=1)
    assert world.app.worklist.due() == []
    world.clock.advance(days=6)  # the 7-day deadline has come
    (item,) = world.app.worklist.due()
    assert (item.reason, item.open_findings) == ("隐患复查", 1)


def test_the_findings_tracker_lists_open_findings_and_filters_by_severity(world):
    vid = filled_visit(world, exits="N", plan="N")
    sign_all(world, vid)
    world.app.visits.complete(vid)
    assert {f.title for f in world.app.worklist.open_findings()} == {"疏散通道畅通", "防控方案已制定"}
    assert [f.title for f in world.app.worklist.open_findings(severity="重大")] == ["防控方案已制定"]
    world.clock.advance(days=5)
    overdue = [f.title for f in world.app.worklist.open_findings() if f.overdue(world.app.worklist.today())]
    assert overdue == ["防控方案已制定"]  # 3 days for the veto item, 7 for the exits
