"""Who makes a visit (law-enforcement officers with badges), the register's staff figures in the
visit and back, and an inspector's saved signature: the services' side of issue 10."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.checklist import FormError, FormLibrary
from inspector_app.services.context import AppServices
from inspector_app.services.errors import IncompleteVisit
from inspector_app.services.visits import OFFICERS_TARGET
from tests.services.conftest import FakeClock, World, seed

REAL_FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture
def shipped(tmp_path: Path):
    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    app = AppServices.open(tmp_path / "ws", forms_dir=REAL_FORMS, clock=clock, account="张伟")
    seed(app, clock())
    yield World(app=app, clock=clock)
    app.close()


def test_enforcement_forms_need_two_officers_and_the_resumption_check_one() -> None:
    officers = {f.code: f.officers for f in FormLibrary.load(REAL_FORMS).latest()}
    assert officers == {"work-safety": 2, "fire-safety": 2, "three-small": 2, "recheck": 2,
                        "epidemic-resumption": 1}


@pytest.mark.parametrize("value", ["two", 0, 9, "true"])
def test_a_bad_officers_count_is_refused_with_its_line(tmp_path: Path, value: object) -> None:
    text = (REAL_FORMS / "recheck.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "recheck.yaml"
    bad.write_text(text.replace("officers: 2", f"officers: {value}"), encoding="utf-8")
    with pytest.raises(FormError) as err:
        FormLibrary.load(tmp_path)
    (problem,) = err.value.problems
    assert problem.line == text.splitlines().index("officers: 2") + 1 and "officers" in problem.message


def test_a_visit_with_one_officer_where_two_are_required_cannot_complete(shipped: World) -> None:
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "fire-safety", [shipped.badges[0]])
    (first, *_rest) = visits.missing(vid)
    assert first.target == OFFICERS_TARGET
    assert "须由两名持执法证的执法人员" in first.message
    assert "张伟（执法证号 44030012345）" in first.message and "还差 1 名" in first.message
    with pytest.raises(IncompleteVisit) as refused:
        visits.complete(vid)
    assert any("执法人员不足" in m for m in refused.value.missing)
    both, _ = visits.start(shipped.code, "fire-safety", list(shipped.badges))
    assert OFFICERS_TARGET not in {m.target for m in visits.missing(both)}
    one, _ = visits.start(shipped.code, "epidemic-resumption", [shipped.badges[0]])
    assert OFFICERS_TARGET not in {m.target for m in visits.missing(one)}
