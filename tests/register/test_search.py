"""Register search: by name, code, address and pinyin, case-insensitive, with filters and a limit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.domain.credit_code import complete
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus
from inspector_app.store import enterprises as store
from inspector_app.store import organisation
from inspector_app.store.search import (
    count_matches,
    index_pending_pinyin,
    pinyin_forms,
    pinyin_pending,
    refresh_search_text,
    search_enterprises,
    search_parts,
)
from inspector_app.store.workspace import Workspace

NOW = datetime(2020, 2, 20, tzinfo=UTC)
BAOLONG = complete("91440300MA5F00001")
YUANSHAN = complete("92440300L12345678")
CAFE = complete("91440300ABC000001")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path / "ws")
    enterprises = [
        Enterprise(
            BAOLONG,
            "深圳市宝龙精密五金制品有限公司",
            address="宝龙街道宝龙大道8号",
            grid="宝龙一网格",
            category="规上工业企业",
            resumption_status=ResumptionStatus.RESUMED,
        ),
        Enterprise(YUANSHAN, "园山小吃店", address="园山街道保安社区", grid="园山网格", category="小档口"),
        Enterprise(
            CAFE, "ＡＢＣ Coffee 咖啡馆", address="宝龙街道龙新社区", grid="宝龙一网格", category="小档口"
        ),
    ]
    with workspace.session() as s:
        conn = s.connection()
        organisation.ensure_grids(conn, [e.grid for e in enterprises])
        organisation.ensure_categories(conn, [e.category for e in enterprises])
        store.insert_enterprises(conn, [store.enterprise_values(e) for e in enterprises], NOW)
    yield workspace  # type: ignore[misc]
    workspace.close()


def codes(ws: Workspace, query: str, **kw: object) -> list[str]:
    with ws.engine.connect() as conn:
        return [r.credit_code for r in search_enterprises(conn, query, **kw)]  # type: ignore[arg-type]


def test_pinyin_forms_give_full_syllables_and_initials() -> None:
    assert pinyin_forms("宝龙街道") == ("baolongjiedao", "bljd")
    assert pinyin_forms("3m中国") == ("3mzhongguo", "3mzg")


def test_a_name_substring_finds_the_enterprise(ws: Workspace) -> None:
    assert codes(ws, "精密五金") == [BAOLONG]
    assert codes(ws, "小吃") == [YUANSHAN]


def test_pinyin_initials_find_the_name_and_the_address(ws: Workspace) -> None:
    assert codes(ws, "bljm") == [BAOLONG]  # 宝龙精密
    assert codes(ws, "bljd") == [BAOLONG, CAFE]  # 宝龙街道, in the address
    assert codes(ws, "ysxcd") == [YUANSHAN]


def test_full_pinyin_and_upper_case_find_it_too(ws: Workspace) -> None:
    assert codes(ws, "baolong") == [BAOLONG, CAFE]
    assert codes(ws, "BaoLong JingMi") == [BAOLONG]


def test_a_credit_code_prefix_or_substring_finds_it_in_any_case(ws: Workspace) -> None:
    assert codes(ws, "91440300ma5f") == [BAOLONG]
    assert codes(ws, YUANSHAN[5:12]) == [YUANSHAN]
    assert codes(ws, BAOLONG) == [BAOLONG]


def test_full_width_and_case_do_not_matter(ws: Workspace) -> None:
    assert codes(ws, "abc coffee") == [CAFE]
    assert codes(ws, "ＣＯＦＦＥＥ") == [CAFE]


def test_every_term_must_match(ws: Workspace) -> None:
    assert codes(ws, "宝龙 咖啡") == [CAFE]
    assert codes(ws, "宝龙 小吃") == []


def test_filters_and_limit_narrow_the_result(ws: Workspace) -> None:
    assert codes(ws, "", grid="宝龙一网格") == [BAOLONG, CAFE]
    assert codes(ws, "", category="小档口") == [YUANSHAN, CAFE]
    assert codes(ws, "", status="已复工") == [BAOLONG]
    assert codes(ws, "", limit=1) == [BAOLONG]
    with ws.engine.connect() as conn:
        assert count_matches(conn, "宝龙") == 2


def test_rows_carry_what_the_register_table_shows(ws: Workspace) -> None:
    with ws.engine.connect() as conn:
        row = search_enterprises(conn, "bljm")[0]
    assert (row.name, row.address, row.grid, row.category, row.status) == (
        "深圳市宝龙精密五金制品有限公司",
        "宝龙街道宝龙大道8号",
        "宝龙一网格",
        "规上工业企业",
        "已复工",
    )


def test_a_query_with_no_match_returns_nothing(ws: Workspace) -> None:
    assert codes(ws, "zzzzzz") == []


def test_search_text_can_be_rebuilt_for_rows_written_by_other_means(ws: Workspace) -> None:
    with ws.session() as s:
        s.connection().exec_driver_sql("UPDATE enterprise SET search_text = '', pinyin_text = ''")
    assert codes(ws, "bljm") == []
    with ws.session() as s:
        assert refresh_search_text(s.connection()) == 3
    assert codes(ws, "bljm") == [BAOLONG]


def test_like_wildcards_in_a_query_are_taken_literally(ws: Workspace) -> None:
    assert codes(ws, "%") == []
    assert codes(ws, "_") == []


def test_long_terms_use_the_trigram_index_and_follow_edits(ws):
    with ws.session() as s:
        conn = s.connection()
        assert [r.credit_code for r in search_enterprises(conn, "精密五金")] == [BAOLONG]
        (row,) = store.rows_by_codes(conn, [BAOLONG]).values()
        conn.exec_driver_sql(
            "UPDATE enterprise SET name = '深圳市宝龙模具有限公司', search_text = ? WHERE id = ?",
            (
                store.enterprise_values(Enterprise(BAOLONG, "深圳市宝龙模具有限公司"))["search_text"],
                row["id"],
            ),
        )
        assert search_enterprises(conn, "精密五金") == []
        assert [r.credit_code for r in search_enterprises(conn, "模具有限")] == [BAOLONG]


ODD = complete("91440300MA5F00099")
ODD_NAME = '引号"宝龙 a"b"c NEAR(宝龙 五金) 宝龙 OR 园山 * -- ; 商行'


@pytest.mark.parametrize("query", ['"宝龙', 'a"b"c', "NEAR(宝龙 五金)", "宝龙 OR 园山", "*", "-- ;"])
def test_quotes_and_full_text_operators_in_a_query_are_just_text(ws, query):
    """Quotes, NEAR(), OR, * and comments are searched for as the characters they are: they find
    the one enterprise whose name holds them, never a full-text syntax error or every row."""
    with ws.session() as s:
        store.insert_enterprises(s.connection(), [store.enterprise_values(Enterprise(ODD, ODD_NAME))], NOW)
    assert codes(ws, query) == [ODD]
    assert codes(ws, query + "x") == []  # "*" is no wildcard, OR no alternative: every term must stand


def test_several_terms_all_have_to_match_whatever_their_length(ws):
    with ws.session() as s:
        conn = s.connection()
        assert [r.credit_code for r in search_enterprises(conn, "宝龙 咖啡馆")] == [CAFE]
        assert [r.credit_code for r in search_enterprises(conn, "coffee 龙新")] == [CAFE]


def _many(start: int, n: int) -> list[dict[str, object]]:
    return [
        store.enterprise_values(Enterprise(
            complete(f"91440300MB{start + i:07d}"),
            f"横岗第{start + i}号五金厂",
            address=f"横岗街道六约路{start + i}号",
        ))
        for i in range(n)
    ]


def test_a_batch_insert_fills_the_index_in_bulk_and_leaves_the_trigger_on(ws: Workspace) -> None:
    with ws.session() as s:
        store.insert_enterprises(s.connection(), _many(0, store.BULK_ROWS), NOW)
    assert len(codes(ws, "六约路", limit=1000)) == store.BULK_ROWS
    assert codes(ws, "横岗第7号五金厂") == [complete("91440300MB0000007")]
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM fts_bulk_load").scalar_one() == 0
        check = conn.exec_driver_sql("INSERT INTO enterprise_fts(enterprise_fts) VALUES ('integrity-check')")
        check.close()
    with ws.session() as s:  # one more, alone: the trigger indexes it
        store.insert_enterprises(s.connection(), _many(500, 1), NOW)
    assert codes(ws, "横岗第500号") == [complete("91440300MB0000500")]


def test_a_batch_that_fails_leaves_neither_rows_nor_the_marker(ws: Workspace) -> None:
    rows = _many(0, store.BULK_ROWS)
    rows.append(dict(rows[0]))  # the same credit code twice: the unique constraint refuses the batch
    with pytest.raises(Exception, match="UNIQUE"), ws.session() as s:
        store.insert_enterprises(s.connection(), rows, NOW)
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM fts_bulk_load").scalar_one() == 0
    assert codes(ws, "六约路") == []


def _fts_consistent(ws: Workspace) -> None:
    """FTS5's own check of both indexes against the enterprise rows (rank 1: the content too)."""
    with ws.engine.connect() as conn:
        for table in ("enterprise_fts", "enterprise_pinyin_fts"):
            conn.exec_driver_sql(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)").close()


def test_a_batch_leaves_its_pinyin_to_index_later_and_is_found_by_pinyin_meanwhile(ws: Workspace) -> None:
    """An import indexes what is written at once and lists its rows' pinyin as pending; a pinyin
    search finds them all the same, while they are pending, while they are indexed step by step,
    and after: even those edited or removed before their turn."""
    n = store.BULK_ROWS + 10
    with ws.session() as s:
        store.insert_enterprises(s.connection(), _many(0, n), NOW)
    with ws.engine.connect() as conn:
        assert pinyin_pending(conn) == n
    everyone = [complete(f"91440300MB{i:07d}") for i in range(n)]
    assert codes(ws, "henggang", limit=1000) == everyone  # from the pending rows, scanned
    assert codes(ws, "hgjd liuyue", limit=1000) == everyone  # two pinyin terms, both long
    assert codes(ws, "hg 六约路", limit=1000) == everyone  # a short pinyin term beside a written one
    assert codes(ws, "henggang", limit=5) == everyone[:5]
    with ws.engine.connect() as conn:
        assert count_matches(conn, "henggang") == n

    with ws.session() as s:  # before its pinyin is indexed, one is renamed and one removed
        conn = s.connection()
        written, pinyin = search_parts("坪地第2号塑胶厂", everyone[2], "坪地街道")
        conn.exec_driver_sql(
            "UPDATE enterprise SET name = '坪地第2号塑胶厂', search_text = ?, pinyin_text = ? "
            "WHERE credit_code = ?",
            (written, pinyin, everyone[2]),
        )
        conn.exec_driver_sql("DELETE FROM enterprise WHERE credit_code = ?", (everyone[3],))
    left = [c for i, c in enumerate(everyone) if i not in (2, 3)]

    steps = []
    while True:
        assert codes(ws, "henggang", limit=1000) == left
        assert codes(ws, "pingdi") == [everyone[2]]
        with ws.session() as s:
            steps.append(index_pending_pinyin(s.connection(), rows=20))
        if steps[-1] == 0:
            break
    assert steps == [n - 1 - 20, n - 1 - 40, 0]  # the removed one left the list with its row
    assert codes(ws, "henggang", limit=1000) == left
    assert codes(ws, "pingdi") == [everyone[2]]
    assert codes(ws, "bljm") == [BAOLONG]  # rows written one by one were indexed at once
    _fts_consistent(ws)

    with ws.session() as s:  # indexed now: an edit and a removal keep the pinyin index in step
        conn = s.connection()
        written, pinyin = search_parts("园山第5号模具厂", everyone[5], "园山街道")
        conn.exec_driver_sql(
            "UPDATE enterprise SET search_text = ?, pinyin_text = ? WHERE credit_code = ?",
            (written, pinyin, everyone[5]),
        )
        conn.exec_driver_sql("DELETE FROM enterprise WHERE credit_code = ?", (everyone[6],))
    assert codes(ws, "yuanshandi") == [everyone[5]]
    assert len(codes(ws, "henggang", limit=1000)) == len(left) - 2
    _fts_consistent(ws)


@pytest.mark.parametrize("query", ["henggang", "hgjd liuyue", "liuyue 12", "六约路 hgjd"])
def test_a_search_never_scans_every_enterprise_for_the_pending_pinyin(ws: Workspace, query: str) -> None:
    """The pending rows are reached from their list (empty but after a bulk write): SQLite, left to
    choose, scanned every enterprise for them, 100 ms at 100,000 rows for any two-term query."""
    from sqlalchemy import select

    from inspector_app.store import search

    e = search._enterprise.c
    driving, conditions = search.filters(query)
    assert driving is not None
    with ws.engine.connect() as conn:
        for table, ident, cond in search._sources(driving):
            source = search._rows_of(table, ident)
            stmt = select(e.id).select_from(source).where(cond, *conditions).order_by(ident).limit(200)
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
            scans = [step for step in plan if step.startswith("SCAN enterprise") and "fts" not in step]
            assert not scans, plan


def test_a_first_pull_of_the_slice_is_indexed_in_bulk_and_found_by_pinyin_throughout(ws: Workspace) -> None:
    """The office's slice arriving on a laptop: its new rows are written in one statement, their
    pinyin left to the worker; the rows already there are updated and stay found."""
    from inspector_app.sync.apply import upsert_enterprises
    from inspector_app.wire.models import EnterpriseRecord

    n = store.BULK_ROWS + 5
    records = [
        EnterpriseRecord(credit_code=complete(f"91440300MC{i:07d}"), name=f"坪山第{i}号电子厂",
                         address="坪山街道")
        for i in range(n)
    ]
    records.append(EnterpriseRecord(credit_code=BAOLONG, name="深圳市宝龙精密五金制品有限公司",
                                    address="宝龙大道9号", version=2))
    with ws.session() as s:
        ids = upsert_enterprises(s.connection(), records, NOW)
    assert len(ids) == n + 1
    with ws.engine.connect() as conn:
        assert pinyin_pending(conn) == n  # the new rows; the updated one was indexed by its triggers
        assert conn.exec_driver_sql("SELECT count(*) FROM fts_bulk_load").scalar_one() == 0
    everyone = [complete(f"91440300MC{i:07d}") for i in range(n)]
    assert codes(ws, "pingshan", limit=1000) == everyone
    assert codes(ws, "宝龙大道9号") == [BAOLONG] and codes(ws, "bljm") == [BAOLONG]
    with ws.session() as s:
        while index_pending_pinyin(s.connection()):
            pass
    assert codes(ws, "pingshan", limit=1000) == everyone
    _fts_consistent(ws)
