"""The import use case and field edits: all or nothing, updates by code, changes kept for the office."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from inspector_app.register import RECORD_FIELDS
from inspector_app.services import register as register_service
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.services.register import ImportFileError, ImportRefused, RegisterService
from inspector_app.store import enterprises as store
from inspector_app.store import organisation, tables
from inspector_app.store.workspace import Workspace
from tests.support.registers import HEADER, code, good_row, write_csv, write_xlsx

START = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path / "ws")
    yield workspace  # type: ignore[misc]
    workspace.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(ws: Workspace, clock: Clock) -> RegisterService:
    return RegisterService(ws, clock=clock, account="44030012345")


def schema(ws: Workspace) -> list[tuple[str, str]]:
    with ws.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master ORDER BY name").all())


def count(ws: Workspace, table: type) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_import_stores_every_row_and_creates_unknown_grids_categories_and_teams(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    rows = [[*good_row(i), f"第{i % 2 + 1}检查组"] for i in range(1, 5)]
    rows[0][3], rows[0][4] = "园山二网格", "自定义类别"
    report = service.import_file(write_xlsx(tmp_path / "r.xlsx", rows, header=[*HEADER, "负责队伍"]))
    assert (report.inserted, report.updated, report.committed) == (4, 0, True)
    assert count(ws, tables.Enterprise) == 4
    assert sorted(report.created_grids) == ["园山二网格", "宝龙一网格"]
    assert "自定义类别" in report.created_categories
    assert sorted(report.created_teams) == ["第1检查组", "第2检查组"]
    assert count(ws, tables.Assignment) == 4
    assert report.changes.register and report.changes.assignments
    stored = service.get(code(1))
    assert stored is not None and stored.grid == "园山二网格"


def test_a_bad_check_character_refuses_the_whole_file_and_names_the_row(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "first.xlsx", [good_row(100)]))
    before = count(ws, tables.Enterprise), count(ws, tables.Grid)
    rows = [good_row(i) for i in range(1, 6)]
    rows.append([*good_row(6)[:1], code(6)[:17] + "0" if code(6)[17] != "0" else "1", *good_row(6)[2:]])
    rows.append([*good_row(7)[:3], "全新网格", *good_row(7)[4:]])
    with pytest.raises(ImportRefused) as refused:
        service.import_file(write_xlsx(tmp_path / "r.xlsx", rows))
    assert [str(p).split("：")[0] for p in refused.value.report.problems] == ["第7行 统一社会信用代码"]
    assert not refused.value.report.committed
    assert (count(ws, tables.Enterprise), count(ws, tables.Grid)) == before


def test_refusal_holds_even_when_the_bad_row_comes_after_many_batches(
    service: RegisterService, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_service, "BATCH_SIZE", 3)
    rows = [good_row(i) for i in range(1, 11)]
    rows[9][7] = 999
    with pytest.raises(ImportRefused):
        service.import_file(write_csv(tmp_path / "r.csv", rows))
    assert count(ws, tables.Enterprise) == 0


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    rows = [good_row(1), good_row(2), good_row(3)]
    rows[1][5] = "电话"
    report = service.import_file(write_xlsx(tmp_path / "r.xlsx", rows), skip_invalid=True)
    assert (report.inserted, report.refused_rows, report.committed) == (2, 1, True)
    assert [str(p) for p in report.problems] == ["第3行 联系电话：格式不正确（电话）"]
    assert count(ws, tables.Enterprise) == 2
    assert "跳过不合格 1 行" in report.summary()


def test_a_crash_midway_leaves_nothing_half_written(
    service: RegisterService, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_service, "BATCH_SIZE", 2)
    calls = {"n": 0}
    real = register_service.store.RegisterWriter.insert

    def failing(self: object, *args: object, **kw: object) -> list[int]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk unplugged")
        return real(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(register_service.store.RegisterWriter, "insert", failing)
    before = schema(ws)
    with pytest.raises(OSError, match="disk unplugged"):
        service.import_file(write_csv(tmp_path / "r.csv", [good_row(i) for i in range(1, 9)]))
    assert count(ws, tables.Enterprise) == 0
    assert count(ws, tables.Grid) == 0
    assert schema(ws) == before  # the indexes a first import sets aside are back


def test_a_malformed_file_raises_an_import_file_error_and_changes_nothing(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    whole = write_xlsx(tmp_path / "w.xlsx", [good_row(i) for i in range(1, 300)]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[:-200])
    with pytest.raises(ImportFileError, match=r"cut\.xlsx"):
        service.import_file(tmp_path / "cut.xlsx")
    assert count(ws, tables.Enterprise) == 0


def test_reimport_updates_by_credit_code_bumps_the_version_and_keeps_visits(
    service: RegisterService, ws: Workspace, clock: Clock, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1), good_row(2)]))
    with ws.session() as s:
        ent = s.exec(select(tables.Enterprise).where(col(tables.Enterprise.credit_code) == code(1))).one()[0]
        s.add(tables.Visit(id="v-1", enterprise_id=ent.id, form_code="f", form_version="1", started_at=START))
        first_id = ent.id
    clock.now = START + timedelta(days=1)
    changed = good_row(1, name="深圳市宝龙精密五金制品有限公司（更名）")
    changed[2] = ""  # a blank cell never erases what the workspace holds
    report = service.import_file(write_xlsx(tmp_path / "b.xlsx", [changed, good_row(2), good_row(3)]))
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    with ws.session() as s:
        ent = s.exec(select(tables.Enterprise).where(col(tables.Enterprise.credit_code) == code(1))).one()[0]
        assert ent.id == first_id
        assert ent.name == "深圳市宝龙精密五金制品有限公司（更名）"
        assert ent.address == "宝龙街道宝龙大道1号"
        assert ent.version == 2
        assert ent.updated_at == clock.now
        assert "更名" in ent.search_text
        unchanged = s.exec(
            select(tables.Enterprise).where(col(tables.Enterprise.credit_code) == code(2))
        ).one()[0]
        assert unchanged.version == 1
        visit = s.get(tables.Visit, "v-1")
        assert visit is not None and visit.enterprise_id == first_id


def test_columns_absent_from_the_file_keep_their_stored_values(
    service: RegisterService, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1)]))
    service.import_file(
        write_csv(tmp_path / "b.csv", [["新名称", code(1)]], header=["企业名称", "统一社会信用代码"])
    )
    stored = service.get(code(1))
    assert stored is not None
    assert (stored.name, stored.grid, stored.staff_total) == ("新名称", "宝龙一网格", 120)


def test_imported_rows_are_searchable_at_once(service: RegisterService, tmp_path: Path) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1), good_row(2)]))
    assert [r.credit_code for r in service.search("bljm")] == [code(1), code(2)]
    assert [r.credit_code for r in service.search(code(2)[:17].lower())] == [code(2)]


def test_a_reimport_search_finds_the_new_name_not_the_old_and_leaves_unchanged_rows_findable(
    service: RegisterService, tmp_path: Path
) -> None:
    service.import_file(write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]))
    renamed = good_row(1, name="深圳市同乐电子科技有限公司")
    report = service.import_file(write_csv(tmp_path / "b.csv", [renamed, good_row(2)]))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert [r.credit_code for r in service.search("tldzkj")] == [code(1)]  # the new name's initials
    assert [r.credit_code for r in service.search("同乐电子")] == [code(1)]
    assert [r.credit_code for r in service.search("精密五金")] == [code(2)]  # the old name is gone
    assert [r.credit_code for r in service.search("bljm")] == [code(2)]


def test_a_reimport_moves_enterprises_to_their_new_team_and_reports_it_only_then(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    header = [*HEADER, "负责队伍"]

    def teams_file(name: str, team1: str) -> Path:
        return write_csv(tmp_path / name, [[*good_row(1), team1], [*good_row(2), "一组"]], header=header)

    assert service.import_file(teams_file("a.csv", "一组")).changes.assignments
    moved = service.import_file(teams_file("b.csv", "二组"))
    assert moved.changes.assignments and moved.unchanged == 2
    assert not service.import_file(teams_file("c.csv", "二组")).changes.assignments
    with ws.session() as s:
        teams = dict(s.connection().exec_driver_sql(
            "SELECT e.credit_code, a.team FROM assignment a JOIN enterprise e ON e.id = a.enterprise_id"
        ).all())
    assert teams == {code(1): "二组", code(2): "一组"}


def test_a_first_import_leaves_the_schema_and_the_connection_settings_as_they_were(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    before = schema(ws)
    with ws.engine.connect() as conn:
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    service.import_file(write_csv(tmp_path / "a.csv", [good_row(i) for i in range(1, 40)]))
    assert schema(ws) == before  # the category, grid and status indexes were rebuilt, not lost
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == cache
        assert conn.exec_driver_sql("SELECT count(*) FROM fts_bulk_load").scalar_one() == 0
        plan = " ".join(str(r) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM enterprise WHERE grid = '宝龙一网格'"
        ).all())
    assert "ix_enterprise_grid" in plan


def test_new_enterprises_take_ids_in_file_order_above_the_stored_ones(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    service.import_file(write_csv(tmp_path / "a.csv", [good_row(5), good_row(3)]))
    service.import_file(write_csv(tmp_path / "b.csv", [good_row(9), good_row(3), good_row(1)]))
    with ws.engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT credit_code, id FROM enterprise").all())
    assert [ids[code(n)] for n in (5, 3, 9, 1)] == [1, 2, 3, 4]
    assert [r.credit_code for r in service.search("宝龙大道9号")] == [code(9)]


def test_a_reimport_adds_new_extra_columns_to_the_stored_ones_and_keeps_the_rest(
    service: RegisterService, tmp_path: Path
) -> None:
    service.import_file(write_csv(tmp_path / "a.csv", [[*good_row(1), "12"]], header=[*HEADER, "外来人员数"]))
    report = service.import_file(
        write_csv(tmp_path / "b.csv", [[*good_row(1), "2020-02-10"]], header=[*HEADER, "备案日期"])
    )
    assert (report.updated, report.unchanged) == (1, 0)
    stored = service.get(code(1))
    assert stored is not None and stored.extra == {"外来人员数": "12", "备案日期": "2020-02-10"}
    again = service.import_file(tmp_path / "b.csv")
    assert (again.updated, again.unchanged) == (0, 1)


def test_an_updated_row_keeps_its_time_written_as_an_edit_writes_it(
    service: RegisterService, ws: Workspace, clock: Clock, tmp_path: Path
) -> None:
    service.import_file(write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]))
    clock.now = START + timedelta(days=1)
    service.import_file(write_csv(tmp_path / "b.csv", [good_row(1, name="更名厂")]))
    service.edit(code(2), {"name": "改名厂"})
    with ws.engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("SELECT credit_code, updated_at FROM enterprise").all())
    assert stored[code(1)] == stored[code(2)]  # one text for one time, whichever path wrote it


def test_an_import_dates_its_assignments_by_the_inspectors_calendar_day(
    service: RegisterService, ws: Workspace, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time as systime

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    systime.tzset()
    try:
        clock.now = datetime(2020, 2, 20, 18, 30, tzinfo=UTC)  # 02:30 on the 21st in Shenzhen
        with_team = write_csv(tmp_path / "a.csv", [[*good_row(1), "一组"]], header=[*HEADER, "负责队伍"])
        service.import_file(with_team)
    finally:
        monkeypatch.delenv("TZ")
        systime.tzset()
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT assigned_on FROM assignment").scalar_one() == "2020-02-21"


def test_a_record_lines_up_with_the_stored_columns() -> None:
    # The import lays a file's values over a stored row slot by slot.
    assert tuple(k.replace("extra", "extra_json") for k in RECORD_FIELDS) == store.DATA_COLUMNS


# --- field edits -------------------------------------------------------------------------------


def test_a_field_edit_is_kept_as_changes_with_an_outbox_row_each(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1)]))
    changes = service.edit(
        code(1), {"phone": "0755-88889999", "staff_on_site": 90, "contact": "赵六"}, changed_by="44030012345"
    )
    assert changes.enterprises == {code(1)} and changes.outbox
    with ws.session() as s:
        rows = s.exec(select(tables.EnterpriseChange).order_by(tables.EnterpriseChange.field_name)).all()
        recorded = [(r[0].field_name, r[0].old_value, r[0].new_value, r[0].base_version) for r in rows]
        outbox = s.exec(select(tables.Outbox)).all()
        assert {(o[0].entity, o[0].account) for o in outbox} == {("enterprise_change", "44030012345")}
        assert sorted(o[0].entity_id for o in outbox) == sorted(str(r[0].id) for r in rows)
    assert recorded == [
        ("contact", "", "赵六", 1),
        ("phone", "13912345678", "0755-88889999", 1),
        ("staff_on_site", "80", "90", 1),
    ]
    assert service.version(code(1)) == 2


def test_an_edit_that_breaks_a_rule_changes_nothing(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1)]))
    for values in (
        {"staff_on_site": 500},
        {"phone": "abc"},
        {"name": " "},
        {"resumption_status": "未复工"},
        {"credit_code": code(2)},
    ):
        with pytest.raises(ServiceError):
            service.edit(code(1), values)
    assert count(ws, tables.EnterpriseChange) == 0 and count(ws, tables.Outbox) == 0
    with pytest.raises(NotFound):
        service.edit(code(9), {"contact": "x"})


def test_an_edit_that_changes_nothing_records_nothing(
    service: RegisterService, ws: Workspace, tmp_path: Path
) -> None:
    service.import_file(write_xlsx(tmp_path / "a.xlsx", [good_row(1)]))
    assert not service.edit(code(1), {"staff_total": 120})
    assert count(ws, tables.EnterpriseChange) == 0


def test_list_rows_filter_by_grid_and_search(service: RegisterService, tmp_path: Path) -> None:
    rows = [good_row(1), good_row(2)]
    rows[1][3] = "园山网格"
    service.import_file(write_xlsx(tmp_path / "a.xlsx", rows))
    assert [r["credit_code"] for r in service.list_rows(grid="园山网格")] == [code(2)]
    assert [r["credit_code"] for r in service.list_rows(search="宝龙大道1号")] == [code(1)]


def test_the_crew_to_choose_from_is_the_active_inspectors_of_a_team(tmp_path):
    from datetime import UTC, datetime

    from inspector_app.services.register import InspectorInfo, RegisterService
    from inspector_app.store.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws")
    with ws.engine.begin() as conn:
        organisation.ensure_teams(conn, ["一组", "二组"])
        organisation.upsert_inspector(conn, "440301", "张伟", team="一组")
        organisation.upsert_inspector(conn, "440302", "李娜", team="二组")
        organisation.upsert_inspector(conn, "440303", "王强", team="一组", active=False)
    service = RegisterService(ws, clock=lambda: datetime(2026, 11, 23, tzinfo=UTC))
    assert service.inspectors(team="一组") == [InspectorInfo("440301", "张伟", "一组")]
    assert {i.name for i in service.inspectors()} == {"张伟", "李娜"}
    ws.close()
