"""今日任务 keeps a visit in progress in view: on top, as 进行中, naming the visit to resume."""

from __future__ import annotations

from tests.inspection.test_visits import filled_visit, sign_all


def test_a_started_visit_is_listed_first_as_in_progress_until_it_is_completed(world):
    vid = filled_visit(world)
    (item,) = world.app.worklist.due()  # listed once, not once as due and once as a draft
    assert (item.credit_code, item.reason, item.draft_visit_id) == (world.code, "进行中", vid)
    assert item.in_progress and item.draft_started_at is not None
    sign_all(world, vid)
    world.app.visits.complete(vid)
    assert world.app.worklist.due() == []


def test_a_draft_stays_listed_when_the_enterprise_is_not_due(world):
    first = filled_visit(world)
    sign_all(world, first)
    world.app.visits.complete(first)
    assert world.app.worklist.due() == []  # visited today: not due
    second = filled_visit(world)  # a second visit the same day, left unfinished
    (item,) = world.app.worklist.due()
    assert (item.reason, item.draft_visit_id, item.days_overdue) == ("进行中", second, 0)
