"""诉求/困难: recorded at a visit, followed up until resolved, each step kept."""

import pytest

from inspector_app.domain.requests import RequestStatus
from inspector_app.services.errors import ServiceError


def test_a_request_is_followed_up_to_resolution_with_every_step_kept(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    rid, _ = world.app.visits.record_request(vid, "用工招聘", "缺普工30人")
    world.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "已对接人社局招聘会")
    world.app.requests.follow_up(rid, RequestStatus.RESOLVED, "已招到28人")
    (req,) = world.app.requests.list(enterprise=world.code)
    assert req.status is RequestStatus.RESOLVED
    assert [note for _, _, note in req.follow_ups] == ["已对接人社局招聘会", "已招到28人"]


def test_an_empty_request_is_refused(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ServiceError, match="诉求内容不能为空"):
        world.app.visits.record_request(vid, "其他", "  ")
