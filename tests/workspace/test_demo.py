"""The demo workspace: realistic, the same every run, and never over real work."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from inspector_app.demo.workspace import DemoRefused, DemoService
from inspector_app.domain import credit_code
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace

# Part of the full run (./dev.sh test); the fast lane (./dev.sh quick) leaves it out.
pytestmark = pytest.mark.slow

NOW = datetime(2020, 2, 25, 2, 0, tzinfo=UTC)


def make(root: Path, *, force: bool = False) -> tuple[Workspace, object]:
    ws = Workspace.open(root)
    summary = DemoService(ws, clock=lambda: NOW).create(force=force)
    return ws, summary


def scalar(ws: Workspace, stmt: object) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws, _ = make(tmp_path_factory.mktemp("demo") / "ws")
    yield ws  # type: ignore[misc]
    ws.close()


def test_the_demo_has_enough_enterprises_grids_teams_and_inspectors(demo: Workspace) -> None:
    assert scalar(demo, select(func.count()).select_from(tables.Enterprise)) >= 300
    assert scalar(demo, select(func.count(func.distinct(tables.Enterprise.grid)))) >= 6
    assert scalar(demo, select(func.count()).select_from(tables.Team)) >= 4
    assert scalar(demo, select(func.count()).select_from(tables.Assignment)) >= 300
    with demo.engine.connect() as conn:
        badges = list(conn.execute(select(tables.Inspector.badge_number)).scalars())  # type: ignore[call-overload]
        codes = list(conn.execute(select(tables.Enterprise.credit_code)).scalars())  # type: ignore[call-overload]
        categories = set(conn.execute(select(tables.Enterprise.category)).scalars())  # type: ignore[call-overload]
    assert all(len(b) == 11 and b.startswith("440300") for b in badges)
    assert all(credit_code.is_valid(c) for c in codes)
    assert len(categories) >= 4


def test_the_demo_has_visits_open_and_closed_findings_and_requests(demo: Workspace) -> None:
    assert (
        scalar(demo, select(func.count()).select_from(tables.Visit).where(tables.Visit.status == "completed"))
        > 20
    )  # type: ignore[arg-type]
    assert (
        scalar(demo, select(func.count()).select_from(tables.Finding).where(tables.Finding.status == "open"))
        > 0
    )  # type: ignore[arg-type]
    assert (
        scalar(
            demo, select(func.count()).select_from(tables.Finding).where(tables.Finding.status == "closed")
        )
        > 0
    )  # type: ignore[arg-type]
    assert scalar(demo, select(func.count()).select_from(tables.EnterpriseRequest)) > 0
    # Some enterprises are overdue: last visited long ago for their cadence, or never.
    assert (
        scalar(
            demo,
            select(func.count())
            .select_from(tables.Assignment)
            .where(col(tables.Assignment.last_visit_on).is_(None)),
        )
        > 0
    )  # type: ignore[arg-type]


def test_demo_work_never_waits_in_the_outbox(demo: Workspace) -> None:
    assert scalar(demo, select(func.count()).select_from(tables.Outbox)) == 0


def test_two_runs_make_the_same_register(tmp_path: Path, demo: Workspace) -> None:
    other, _ = make(tmp_path / "again")
    query = select(tables.Enterprise.credit_code, tables.Enterprise.name, tables.Enterprise.grid).order_by(
        tables.Enterprise.id
    )  # type: ignore[arg-type]
    with demo.engine.connect() as a, other.engine.connect() as b:
        assert a.execute(query).all() == b.execute(query).all()
        visits = select(tables.Visit.id).order_by(tables.Visit.id)  # type: ignore[arg-type]
        assert a.execute(visits).all() == b.execute(visits).all()
    other.close()


def test_it_refuses_a_workspace_with_enterprises_unless_forced(tmp_path: Path) -> None:
    ws, _ = make(tmp_path / "ws")
    with pytest.raises(DemoRefused, match="--force"):
        DemoService(ws, clock=lambda: NOW).create()
    DemoService(ws, clock=lambda: NOW).create(force=True)
    ws.close()


def test_it_refuses_even_with_force_when_visits_are_unsynced(tmp_path: Path) -> None:
    ws, _ = make(tmp_path / "ws")
    with ws.session() as s:
        s.add(tables.Outbox(entity="visit", entity_id="x", created_at=NOW))
    before = scalar(ws, select(func.count()).select_from(tables.Visit))
    with pytest.raises(DemoRefused, match="尚未同步"):
        DemoService(ws, clock=lambda: NOW).create(force=True)
    assert scalar(ws, select(func.count()).select_from(tables.Visit)) == before
    ws.close()


def test_demo_reports_progress_and_stops_when_asked(tmp_path):
    from datetime import UTC, datetime

    from inspector_app.demo.workspace import DemoService
    from inspector_app.store.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws")
    steps: list[tuple[int, str]] = []

    def progress(done: int, total: int, what: str) -> bool:
        steps.append((done, what))
        return done >= 10  # stop once the register is there

    summary = DemoService(ws, clock=lambda: datetime(2026, 11, 23, 1, tzinfo=UTC)).create(progress=progress)
    assert steps == [(0, "企业名录"), (10, "检查记录")]
    assert summary.enterprises >= 300 and summary.visits == 0
    ws.close()


def test_demo_documents_are_realistic(demo: Workspace, tmp_path: Path) -> None:
    """Signers are names, not badge numbers; 三小 premises stay within their class; most 立即整改
    findings were put right on the spot (closed, not overdue); the documents print in full."""
    import json
    import re

    from pypdf import PdfReader
    from sqlmodel import select as query

    from inspector_app.checklist import FormLibrary, default_forms_dir
    from inspector_app.services.report_data import Reporter

    with demo.session() as s:
        signers = [g.signer for g in s.exec(query(tables.Signature))]
        assert signers and not any(re.fullmatch(r"\d+", name) for name in signers)
        areas = [
            float(json.loads(a.value_json))
            for a in s.exec(query(tables.Answer).where(tables.Answer.item_key == "floor_area"))
        ]
        assert areas and all(20 <= a <= 300 for a in areas)
        orders = [f.order for f in s.exec(query(tables.Finding))]
        assert orders.count("当场整改完毕") > orders.count("立即整改")
        visit = s.exec(
            query(tables.Visit)
            .join(tables.Finding, col(tables.Finding.visit_id) == col(tables.Visit.id))
            .where(tables.Finding.order == "限期整改", tables.Visit.kind == "inspection")
        ).first()
        assert visit is not None
    reporter = Reporter(demo, FormLibrary.load(default_forms_dir()))
    reporter.record(visit.id, tmp_path / "r.pdf")
    reporter.notice(visit.id, tmp_path / "n.pdf")
    text = "".join(p.extract_text() or "" for p in PdfReader(tmp_path / "n.pdf").pages)
    assert "深圳市龙岗区宝龙街道办事处" in text and "送达回证" in text
