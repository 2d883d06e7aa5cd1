"""The printed documents: text, numbers, fonts, pages and layout, checked as a reader would."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from inspector_app.cli.main import main as cli_main
from inspector_app.reports import data as rdata
from inspector_app.reports.data import ReportError
from inspector_app.reports.layout import PAGE_HEIGHT, PAGE_WIDTH
from inspector_app.reports.notices import build_notice
from inspector_app.reports.record import build_record
from inspector_app.reports.summary import build_summary
from inspector_app.services import documents, settings
from inspector_app.services.documents import DocKind
from inspector_app.store.workspace import Workspace
from tests.reports import handmade
from tests.reports.conftest import BADGES, CODES, World


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def compact(pdf: Path) -> str:
    return re.sub(r"\s+", "", text_of(pdf))


def set_unit(world: World, unit: str = "福永街道综合行政执法队", prefix: str = "福执") -> None:
    with world.app.workspace.session() as s:
        settings.save(s, settings.DocumentSettings(unit, None, prefix))


# ------------------------------------------------------------------ record


def test_record_prints_the_visit(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(refuse=True, note="二楼仓库堆放大量纸箱")
    out = tmp_path / "record.pdf"
    data = world.reporter().record(vid, out)
    text = compact(out)
    for expected in (
        "福永街道综合行政执法队",
        "现场检查记录",
        "福执检记〔2026〕第1号",
        "深圳市珺玥精密五金制品有限公司",
        CODES[0],
        "陈志强",
        "13800138000",
        "张伟",
        BADGES[0],
        "李娜",
        BADGES[1],
        "出示行政执法证件",
        "疏散通道、安全出口保持畅通",
        "不符合",
        "符合",
        "6具",
        "【重大隐患】",
        "限期整改",
        "复工后缺少熟练工约30人",
        "拒绝签名",
        "负责人认为问题已整改",
        "第1页共",
        vid,
    ):
        assert expected in text, expected
    assert data.content_hash and data.content_hash[:16] in text
    # Start and end to the minute (the machine's local time).
    assert re.search(r"\d{2}时\d{2}分至\d{2}时\d{2}分", text)


def test_record_number_is_kept_on_reprint(world: World, tmp_path: Path) -> None:
    vid = world.inspect()
    first = world.reporter().record(vid, tmp_path / "a.pdf").number
    second = world.reporter().record(vid, tmp_path / "b.pdf").number
    assert first == second == "检记〔2026〕第1号"


def test_record_embeds_every_font_and_pages_are_not_blank(world: World, tmp_path: Path) -> None:
    vid = world.inspect(photos=2)
    out = tmp_path / "r.pdf"
    world.reporter().record(vid, out)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # emb sub uni
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(out).pages)
    for png in pages:
        with Image.open(png) as img:
            lo, _hi = img.convert("L").getextrema()
            assert lo < 100, f"{png.name} is blank"


def test_photos_are_downscaled_upright_and_cached(world: World, tmp_path: Path) -> None:
    vid = world.inspect(bad=("exits",), photos=2)
    out = tmp_path / "r.pdf"
    world.reporter().record(vid, out)
    cached = list((world.root / "thumbnails" / "print").rglob("*.jpg"))
    assert len(cached) == 2
    for p in cached:
        with Image.open(p) as img:
            assert max(img.size) <= 1000
    # The second photo was taken with EXIF orientation 6 (rotated): printed upright, portrait.
    sizes = sorted(Image.open(p).size for p in cached)
    assert sizes == [(750, 1000), (1000, 750)]
    assert out.stat().st_size < 1_500_000


def test_qr_code_carries_visit_id_and_hash(world: World, tmp_path: Path) -> None:
    from inspector_app.reports.parts import qr_payload

    vid = world.inspect()
    data = world.app.visits.snapshot(vid)
    assert qr_payload(vid, data.content_hash) == f"INSPREC1|{vid}|{data.content_hash}"


def test_long_text_wraps_inside_the_page(tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    build_record(handmade.record(tmp_path, long=True, findings=3, photos_per_finding=1), out)
    reader = PdfReader(out)
    positions: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            positions.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert positions
    for x, y in positions:
        assert 0 <= x <= PAGE_WIDTH - 40, (x, y)  # nothing runs off the right margin
        assert 0 <= y <= PAGE_HEIGHT
    assert "夜间值班人员不掌握消防设施的使用方法" in compact(out)


def test_checklist_table_splits_with_repeated_header(tmp_path: Path) -> None:
    out = tmp_path / "many.pdf"
    build_record(handmade.record(tmp_path, items=80, findings=0), out)
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages]
    with_items = [t for t in texts if "检查项目" in t and "疏散通道" in t]
    assert len(with_items) >= 2
    for t in with_items:
        assert "序号检查项目检查结果" in t  # the header row repeats on each page


def test_draft_record_is_marked_and_unnumbered(world: World, tmp_path: Path) -> None:
    vid, _ = world.app.visits.start(CODES[1], "report-site", [BADGES[0]])
    world.app.visits.answer(vid, "exits", "N")
    out = tmp_path / "draft.pdf"
    world.reporter().record(vid, out)
    text = compact(out)
    assert "草稿" in text and "检记〔" not in text


def test_unknown_visit_is_refused(world: World, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no-such-visit"):
        world.reporter().record("no-such-visit", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ------------------------------------------------------------------ notice and recheck


def test_notice_lists_findings_with_orders_and_deadlines(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(bad=("exits", "extinguishers", "ledger"))
    out = tmp_path / "n.pdf"
    number = world.reporter().notice(vid, out)
    assert number == "福执责改〔2026〕第1号"
    text = compact(out)
    for expected in (
        "责令限期整改通知书",
        number,
        "深圳市珺玥精密五金制品有限公司：",
        "经查，你单位存在下列问题：",
        "1.【重大事故隐患】疏散通道",
        "立即整改",
        "2026年3月9日前整改完毕",
        "2026年3月17日前整改完毕",
        "逾期未整改",
        "第1项为重大事故隐患",
        "复查",
        "执法证号：44030012345",
        "执法证号：44030012346",
        "福永街道综合行政执法队",
    ):
        assert expected in text, expected
    # The re-inspection date is the latest deadline.
    assert "本单位将于2026年3月17日起对整改情况进行复查" in text


def test_notice_refused_without_findings(world: World, tmp_path: Path) -> None:
    vid = world.inspect(bad=())
    with pytest.raises(ReportError, match=f"{vid}.*没有发现隐患"):
        world.reporter().notice(vid, tmp_path / "n.pdf")


def test_notice_prints_the_seal(world: World, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    def images(pdf: Path) -> set[str]:
        return {img.name for page in PdfReader(pdf).pages for img in page.images}

    set_unit(world)
    vid = world.inspect()
    world.reporter().notice(vid, tmp_path / "plain.pdf")
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (200, 200), (200, 0, 0, 160)).save(seal)
    sha = settings.set_seal_image(world.app.workspace, seal, now=datetime(2026, 3, 1, tzinfo=UTC))
    with world.app.workspace.session() as s:
        assert settings.load(s).seal_sha256 == sha
    world.reporter().notice(vid, tmp_path / "sealed.pdf")
    assert len(images(tmp_path / "sealed.pdf")) == len(images(tmp_path / "plain.pdf")) + 1


def test_recheck_document(world: World, tmp_path: Path) -> None:
    vid = world.inspect(bad=("exits", "ledger"))
    reporter = world.reporter()
    notice_no = reporter.notice(vid, tmp_path / "n.pdf")
    world.clock.advance(days=7)
    rid = world.recheck(fail=1)
    out = tmp_path / "r.pdf"
    result = reporter.recheck(rid, out)
    assert result.number == "复查〔2026〕第1号"
    assert not result.notices[0].auto_issued
    text = compact(out)
    for expected in (
        "整改复查意见书",
        result.number,
        notice_no,
        "2026年3月2日",
        "已整改",
        "未整改",
        "限2026年3月16日前整改完毕",
        "张伟",
        "李娜",
    ):
        assert expected in text, expected


def test_recheck_numbers_the_notice_when_it_was_never_printed(world: World, tmp_path: Path) -> None:
    vid = world.inspect()
    world.clock.advance(days=7)
    rid = world.recheck(fail=0)
    with pytest.raises(ReportError, match="尚未出具"):
        world.reporter().recheck(rid, tmp_path / "r.pdf", auto_issue_notice=False)
    result = world.reporter().recheck(rid, tmp_path / "r.pdf")
    assert result.notices[0].auto_issued
    # Printing the notice afterwards shows the number the opinion already quoted.
    assert world.reporter().notice(vid, tmp_path / "n.pdf") == result.notices[0].number
    assert "上述问题已全部整改完毕" in compact(tmp_path / "r.pdf")


def test_recheck_refused_for_an_inspection(world: World, tmp_path: Path) -> None:
    vid = world.inspect()
    with pytest.raises(ReportError, match="不是复查"):
        world.reporter().recheck(vid, tmp_path / "r.pdf")


# ------------------------------------------------------------------ numbers


def test_numbers_are_unique_per_unit_kind_and_year_and_survive_reopen(world: World) -> None:
    a = world.inspect(CODES[0])
    b = world.inspect(CODES[1])
    ws = world.app.workspace
    conf = settings.DocumentSettings("甲街道", None, "")
    with ws.session() as s:
        na = documents.issue(s, a, DocKind.NOTICE, conf, on=date(2026, 3, 2))
        nb = documents.issue(s, b, DocKind.NOTICE, conf, on=date(2026, 3, 2))
        other = documents.issue(
            s, b, DocKind.NOTICE, settings.DocumentSettings("乙街道"), on=date(2026, 3, 2)
        )
        rec = documents.issue(s, a, DocKind.RECORD, conf, on=date(2026, 3, 2))
    assert (na.number, nb.number, rec.number) == (1, 2, 1)
    assert other.number == 2  # the visit already has its notice number: it is not numbered again
    root = ws.root
    world.app.close()
    reopened = Workspace.open(root, create=False)
    try:
        with reopened.session() as s:
            again = documents.issue(s, a, DocKind.NOTICE, conf, on=date(2026, 3, 5))
            assert again == na
            c_visit = documents.find(s, b, DocKind.NOTICE, conf)
            assert c_visit is not None and c_visit.number == 2
            # A new year starts a new sequence.
            new_year = documents.issue(s, a, DocKind.RECHECK, conf, on=date(2027, 1, 4))
            assert new_year.number == 1 and new_year.text == "复查〔2027〕第1号"
    finally:
        reopened.close()
        world.app.workspace = Workspace.open(root)


# ------------------------------------------------------------------ summary and batch


def test_summary_figures(world: World, tmp_path: Path) -> None:
    v1 = world.inspect(CODES[0], bad=("exits", "ledger"))
    world.inspect(CODES[1], bad=())
    world.inspect(CODES[2], bad=("extinguishers",), badges=(BADGES[2],))
    world.clock.advance(days=7)
    world.recheck(CODES[0], fail=1)
    loader = rdata.ReportLoader(world.app.workspace, rdata.library_source(world.app.forms))
    s = loader.summary(date(2026, 3, 1), date(2026, 3, 14))
    assert (s.visits, s.rechecks, s.enterprises_inspected, s.enterprises_in_scope) == (3, 1, 3, 3)
    assert (s.findings_found, s.findings_closed, s.major_found, s.major_closed) == (3, 1, 1, 0)
    assert s.rectification_rate == pytest.approx(1 / 3)
    assert s.approved == 1  # the second enterprise passed
    assert {c.category: (c.in_scope, c.inspected) for c in s.categories} == {
        "规上工业企业": (1, 1),
        "小档口": (2, 2),
    }
    names = {i.name: i.visits for i in s.inspectors}
    assert names == {"张伟": 3, "李娜": 3, "王强": 1}
    assert s.requests[0].category == "用工招聘" and s.requests[0].total == 3
    # The immediate-order extinguisher finding (due 3月2日) is overdue by the end of the range.
    assert any(o.title and o.days_overdue > 0 for o in s.overdue)
    team = loader.summary(date(2026, 3, 1), date(2026, 3, 14), team="第二检查组")
    assert (team.visits, team.findings_found, [i.name for i in team.inspectors]) == (1, 1, ["王强"])
    grid = loader.summary(date(2026, 3, 1), date(2026, 3, 14), grid="工业一区")
    assert (grid.visits, grid.enterprises_in_scope) == (1, 1)
    out = tmp_path / "s.pdf"
    build_summary(s, out)
    text = compact(out)
    for expected in (
        "检查工作情况统计",
        "整改率",
        "33.3%",
        "复工率",
        "张伟",
        "王强",
        "用工招聘",
        "逾期未整改",
    ):
        assert expected in text, expected
    assert v1


def test_summary_overdue_table_splits_with_repeated_header(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from inspector_app.domain.finding import Severity

    rows = tuple(
        rdata.OverdueRow(
            f"企业{n}号有限公司" + "（分公司）" * (n % 3),
            f"隐患{n}：安全出口堵塞" * (1 + n % 2),
            Severity.MAJOR if n % 7 == 0 else Severity.GENERAL,
            date(2026, 3, 1),
            5,
        )
        for n in range(120)
    )
    s = rdata.SummaryData(
        issuer=rdata.Issuer("福永街道"),
        scope="全部企业",
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 8),
        generated_at=datetime(2026, 3, 8, tzinfo=UTC),
        visits=10,
        rechecks=1,
        enterprises_in_scope=20,
        enterprises_inspected=10,
        approved=8,
        findings_found=12,
        findings_closed=9,
        major_found=2,
        major_closed=1,
        fixed_on_site=3,
        categories=(rdata.CategoryRow("小档口", 20, 10, 8, 12),),
        inspectors=(),
        overdue=rows,
        requests=(),
    )
    out = tmp_path / "s.pdf"
    build_summary(s, out)
    texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(out).pages]
    assert texts[0].startswith("福永街道检查工作周报") or "检查工作周报" in texts[0]
    overdue_pages = [t for t in texts if "隐患119" in t or "企业60号" in t or "企业1号" in t]
    assert len(overdue_pages) >= 2
    for t in overdue_pages:
        assert "序号企业名称隐患等级整改期限逾期天数" in t


def test_batch_puts_each_record_on_new_pages(world: World, tmp_path: Path) -> None:
    ids = [world.inspect(code) for code in CODES]
    out = tmp_path / "batch.pdf"
    assert world.reporter().batch(date(2026, 3, 2), out) == 3
    reader = PdfReader(out)
    starts = [i for i, p in enumerate(reader.pages) if "现场检查记录" in (p.extract_text() or "")[:80]]
    assert len(starts) == 3
    footers = [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages]
    # Each record numbers its own pages.
    assert sum(1 for t in footers if "第1页共" in t) == 3
    assert all(vid in compact(out) for vid in ids)


def test_batch_of_an_empty_day(world: World, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    assert world.reporter().batch(date(2026, 3, 1), out) == 0
    assert "没有已完成的检查记录" in compact(out)


# ------------------------------------------------------------------ CLI


def test_cli_report_commands(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.reports.conftest import FORMS

    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(FORMS))
    with_findings = world.inspect(CODES[0])
    clean = world.inspect(CODES[1], bad=())
    ws = ["--workspace", str(world.root)]
    assert cli_main([*ws, "report", "record", with_findings, "-o", str(tmp_path / "r.pdf")]) == 0
    assert cli_main([*ws, "report", "notice", with_findings, "-o", str(tmp_path / "n.pdf")]) == 0
    assert "责改〔2026〕第1号" in capsys.readouterr().out
    assert cli_main([*ws, "report", "notice", clean, "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert clean in err and "没有发现隐患" in err
    assert cli_main([*ws, "report", "record", "nope", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "nope" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert (
        cli_main(
            [
                *ws,
                "report",
                "summary",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-07",
                "--team",
                "第一检查组",
                "-o",
                str(tmp_path / "s.pdf"),
            ]
        )
        == 0
    )
    assert cli_main([*ws, "report", "batch", "--date", "2026-03-02", "-o", str(tmp_path / "b.pdf")]) == 0
    assert "共 2 份" in capsys.readouterr().out
    for name in ("r", "n", "s", "b"):
        assert (tmp_path / f"{name}.pdf").stat().st_size > 1000


def test_pure_notice_builder(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    build_notice(handmade.notice(tmp_path), out)
    assert "福执责改〔2026〕第3号" in compact(out)


def test_fonts_come_from_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector_app.paths import fonts_dir
    from inspector_app.reports import fonts

    assert (fonts_dir() / fonts.SERIF_FILE).exists()
    assert fonts.serif_has("街") and fonts.serif_has("〔")
    # A character outside GB2312 is drawn from the fallback face rather than as an empty box.
    assert fonts.SANS in fonts.markup("𠀾") or not fonts.serif_has("𠀾")
    assert timedelta  # keep the import for readers of the dates above
