from datetime import date, datetime, timedelta

import pytest

from inspector_app.domain.enterprise import (
    Enterprise,
    TransitionError,
    advance_resumption,
    validate_phone,
)
from inspector_app.domain.enterprise import (
    ResumptionStatus as S,
)
from inspector_app.domain.finding import (
    FindingEvent,
    FindingStatus,
    Order,
    default_deadline,
    replay,
    status_after,
)
from inspector_app.domain.finding import (
    FindingEventKind as K,
)


def test_resumption_follows_the_filing_path():
    status = S.NOT_RESUMED
    for step in (S.FILED, S.UNDER_REVIEW, S.NEEDS_RECTIFICATION, S.APPROVED, S.RESUMED):
        status = advance_resumption(status, step)
    assert status is S.RESUMED


def test_resumption_cannot_skip_the_review():
    with pytest.raises(TransitionError, match="不能从“未复工”变为“已复工”"):
        advance_resumption(S.NOT_RESUMED, S.RESUMED)


def test_any_enterprise_can_close():
    assert all(advance_resumption(s, S.CLOSED) is S.CLOSED for s in S if s is not S.CLOSED)


def test_staff_on_site_cannot_exceed_the_total():
    e = Enterprise(credit_code="x", name="某厂", staff_total=10, staff_on_site=12)
    assert ("staff_on_site", "到岗人数不能大于员工总数") in e.problems()


@pytest.mark.parametrize("phone", ["13800138000", "0755-26612345", "020-87654321-123", "26612345"])
def test_mobile_and_landline_numbers_are_accepted(phone):
    assert validate_phone(phone)


@pytest.mark.parametrize("phone", ["1380013800", "abc", "12345"])
def test_malformed_phone_numbers_are_refused(phone):
    with pytest.raises(ValueError, match="电话号码格式不正确"):
        validate_phone(phone)


def test_immediate_orders_are_due_the_same_day_and_deadline_orders_after_the_form_days():
    found = date(2026, 11, 23)
    assert default_deadline(Order.IMMEDIATE, found, 15) == found
    assert default_deadline(Order.DEADLINE, found, 15) == date(2026, 12, 8)


def test_a_finding_closes_only_after_a_passed_recheck():
    assert status_after(FindingStatus.OPEN, K.REPORTED_RECTIFIED) is FindingStatus.RECTIFIED
    assert status_after(FindingStatus.RECTIFIED, K.RECHECK_FAILED) is FindingStatus.OPEN
    assert status_after(FindingStatus.RECTIFIED, K.RECHECK_PASSED) is FindingStatus.CLOSED
    with pytest.raises(TransitionError):
        status_after(FindingStatus.CLOSED, K.RECHECK_FAILED)


def test_replaying_events_out_of_order_gives_the_same_status_and_ignores_late_duplicates():
    t = datetime(2026, 11, 1, 9)
    events = [
        FindingEvent(K.FOUND, t, new_deadline=date(2026, 11, 8)),
        FindingEvent(K.RECHECK_FAILED, t + timedelta(days=8), new_deadline=date(2026, 11, 15)),
        FindingEvent(K.RECHECK_PASSED, t + timedelta(days=15)),
        FindingEvent(K.RECHECK_FAILED, t + timedelta(days=16)),
    ]
    assert replay(list(reversed(events))) == (FindingStatus.CLOSED, date(2026, 11, 15))
