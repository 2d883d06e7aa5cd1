"""A workspace with one team, two inspectors and one assigned enterprise, on a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from inspector_app.domain import credit_code
from inspector_app.services.context import AppServices
from inspector_app.store import tables
from tests.support.clock import FakeClock

FORMS = Path(__file__).parent / "fixtures" / "workspace" / "forms"
CODE = credit_code.complete("91440300MA5F00001")
BADGES = ["44030012345", "44030012346"]


@dataclass
class World:
    app: AppServices
    clock: FakeClock
    code: str = CODE
    badges: tuple[str, ...] = tuple(BADGES)


def seed(app: AppServices, when: datetime) -> None:
    with app.workspace.session() as s:
        s.add(tables.Grid(name="宝龙一网格"))
        s.add(tables.Category(name="规上工业企业"))
        s.add(tables.Team(name="第一检查组"))
        s.flush()
        s.add(tables.Inspector(badge_number=BADGES[0], name="张伟", team="第一检查组"))
        s.add(tables.Inspector(badge_number=BADGES[1], name="李娜", team="第一检查组"))
        ent = tables.Enterprise(
            credit_code=CODE,
            name="深圳市宝龙精密五金制品有限公司",
            address="宝龙街道宝龙大道8号",
            grid="宝龙一网格",
            category="规上工业企业",
            staff_total=120,
            updated_at=when,
        )
        s.add(ent)
        s.flush()
        assert ent.id is not None
        s.add(
            tables.Assignment(
                enterprise_id=ent.id, team="第一检查组", visits_per_week=3, assigned_on=date(2026, 11, 1)
            )
        )


@pytest.fixture
def world(tmp_path: Path) -> World:
    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))  # 09:30 in Shenzhen
    app = AppServices.open(tmp_path / "ws", forms_dir=FORMS, clock=clock, account="张伟")
    seed(app, clock())
    yield World(app=app, clock=clock)
    app.close()
