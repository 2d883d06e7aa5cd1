"""The office export: completed visits and their findings, two sheets with Chinese headers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector_app.services.errors import ServiceError
from inspector_app.services.export import FINDING_COLUMNS, VISIT_COLUMNS, export_workbook, list_visits
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace
from tests.support.registers import code

DAY = datetime(2020, 2, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path / "ws")
    with workspace.session() as s:
        s.add(tables.Inspector(badge_number="44030012345", name="张伟"))
        ent = tables.Enterprise(credit_code=code(1), name="深圳市宝龙精密五金制品有限公司", updated_at=DAY)
        s.add(ent)
        s.flush()
        for n, (status, when) in enumerate(
            [("completed", DAY), ("completed", DAY + timedelta(days=10)), ("draft", DAY)]
        ):
            s.add(
                tables.Visit(
                    id=f"v{n}",
                    enterprise_id=ent.id,
                    form_code="fire-safety",
                    form_version="1",
                    status=status,
                    started_at=when,
                    completed_at=when + timedelta(hours=1),
                    inspectors_json='["44030012345"]',
                )
            )
        s.flush()
        s.add(
            tables.Finding(
                id="f0",
                visit_id="v0",
                enterprise_id=ent.id,
                item_key="exits",
                title="疏散通道堵塞",
                deadline=DAY.date() + timedelta(days=7),
                found_on=DAY.date(),
            )
        )
        s.add(
            tables.Finding(
                id="f2",
                visit_id="v2",
                enterprise_id=ent.id,
                item_key="exits",
                title="草稿中的隐患",
                deadline=DAY.date(),
                found_on=DAY.date(),
            )
        )
    yield workspace  # type: ignore[misc]
    workspace.close()


def test_the_workbook_has_a_visit_sheet_and_a_finding_sheet_with_frozen_chinese_headers(
    ws: Workspace, tmp_path: Path
) -> None:
    summary = export_workbook(ws, tmp_path / "out.xlsx")
    assert (summary.visits, summary.findings) == (2, 1)  # drafts are not the office's yet
    book = load_workbook(tmp_path / "out.xlsx")
    visits, findings = book["检查记录"], book["隐患"]
    assert [c.value for c in visits[1]] == [h for _k, h, _w in VISIT_COLUMNS]
    assert [c.value for c in findings[1]] == [h for _k, h, _w in FINDING_COLUMNS]
    assert visits.freeze_panes == findings.freeze_panes == "A2"
    assert visits.column_dimensions["C"].width == 36
    assert findings["F2"].value == "疏散通道堵塞" and findings["L2"].value == "待整改"
    assert "张伟(44030012345)" in [c.value for c in visits[2]]


def test_dates_limit_visits_by_start_and_findings_by_date_found(ws: Workspace, tmp_path: Path) -> None:
    summary = export_workbook(ws, tmp_path / "o.xlsx", date_from=date(2020, 2, 25), date_to=date(2020, 3, 31))
    assert (summary.visits, summary.findings) == (1, 0)


def test_an_inverted_date_range_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError):
        export_workbook(ws, tmp_path / "o.xlsx", date_from=date(2020, 3, 1), date_to=date(2020, 2, 1))


def test_visits_are_listed_newest_first_and_by_enterprise(ws: Workspace) -> None:
    rows = list_visits(ws, enterprise_code=code(1))
    assert rows[0]["id"] == "v1"
    assert rows[-1]["findings"] in {0, 1}
    assert list_visits(ws, enterprise_code=code(2)) == []
