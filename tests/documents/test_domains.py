"""Each domain's documents printed from the shipped checklists, read back as text: the titles,
elements and wording the official formats require, and the absence of the wrong terms."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from inspector_app.checklist import ItemType, default_forms_dir, item_numbers
from inspector_app.domain import credit_code
from inspector_app.domain.finding import Order, RecheckResult
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services import settings
from inspector_app.services.context import AppServices
from inspector_app.services.errors import ServiceError
from inspector_app.services.report_data import Reporter
from inspector_app.store import tables
from tests.documents.test_documents import CODES_BY_KIND
from tests.support.clock import FakeClock
from tests.support.images import jpeg, signature_png

BADGES = ("44030012345", "44030012346")
NAMES = ("张伟", "李娜")
PREMISES = {
    "规上工业企业": ("深圳市龙宝精密五金制品有限公司", "龙岗区宝龙街道宝龙社区宝龙五路8号"),
    "小娱乐场所": ("龙岗区宝龙星空KTV", "龙岗区宝龙街道同乐社区振业路12号二楼"),
    "小档口": ("龙岗区宝龙百佳便利店", "龙岗区宝龙街道龙新社区龙新路33号一楼"),
    "建筑工地": (
        "宝龙科技城三期项目（中建三局第一建设工程有限责任公司）",
        "龙岗区宝龙街道宝荷路与宝龙一路交汇处",
    ),
}


def compact(pdf: Path) -> str:
    return re.sub(r"\s+", "", "\n".join(p.extract_text() or "" for p in PdfReader(pdf).pages))


@dataclass
class Site:
    app: AppServices
    clock: FakeClock
    root: Path
    codes: dict[str, str]

    def reporter(self) -> Reporter:
        return Reporter(self.app.workspace, self.app.forms)

    def inspect(self, category: str, form: str, bad: dict[str, object]) -> str:
        """Fill the shipped form as an inspector would: ``bad`` answers, every other required item
        answered compliant, signatures, then complete."""
        v = self.app.visits
        vid, _ = v.start(self.codes[category], form, list(BADGES))
        for key, value in bad.items():
            v.answer(vid, key, value)
        the_form = self.app.forms.get(form)
        for _round in range(6):
            missing = [m for m in v.missing(vid) if m.target in the_form.items]
            if not missing:
                break
            for m in missing:
                item = the_form.items[m.target]
                if item.type is ItemType.PHOTOS:
                    v.add_photo(vid, jpeg(), item_key=item.key)
                elif item.type is ItemType.SIGNATURE:
                    v.answer_signature(vid, item.key, signature_png())
                else:
                    v.answer(vid, item.key, compliant(item, category))
        for b, n in zip(BADGES, NAMES, strict=True):
            v.sign(vid, inspector_role(b), n, signature_png())
        v.sign(vid, ENTERPRISE_ROLE, "陈志强", signature_png())
        self.clock.advance(minutes=80)
        v.complete(vid)
        self.clock.advance(minutes=20)
        return vid


def compliant(item, category: str) -> object:
    if item.type is ItemType.COMPLIANCE:
        return "Y"
    if item.type is ItemType.YESNO:
        return False if item.bad_answer is None else not item.bad_answer
    if item.type in (ItemType.INTEGER, ItemType.DECIMAL):
        return max(int(item.min or 0), 2) if item.max is None or item.max >= 2 else int(item.max)
    if item.type is ItemType.CHOICE:
        wanted = {"小娱乐场所": "venue", "小档口": "shop", "小作坊": "workshop", "出租屋": "rental"}.get(
            category
        )
        values = [c.value for c in item.choices]
        return wanted if wanted in values else values[0]
    if item.type is ItemType.MULTI:
        return []
    if item.type is ItemType.DATE:
        return "2026-01-10"
    return "无"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    clock = FakeClock(datetime(2026, 11, 20, 1, 30, tzinfo=UTC))
    app = AppServices.open(tmp_path / "ws", forms_dir=default_forms_dir(), clock=clock, account="张伟")
    codes = {}
    with app.workspace.session() as s:
        for b, n in zip(BADGES, NAMES, strict=True):
            s.add(tables.Inspector(badge_number=b, name=n))
        for i, (category, (name, address)) in enumerate(PREMISES.items(), start=1):
            s.add(tables.Category(name=category))
            code = credit_code.complete(f"9144030{i:010d}")
            codes[category] = code
            s.add(
                tables.Enterprise(
                    credit_code=code,
                    name=name,
                    address=address,
                    category=category,
                    legal_representative="陈志强",
                    contact="杨娜",
                    phone="13800138000",
                    updated_at=clock(),
                )
            )
    with app.workspace.session() as s:
        settings.save(
            s,
            settings.DocumentSettings(
                "深圳市龙岗区宝龙街道办事处",
                None,
                "龙宝",
                dict(CODES_BY_KIND),
                "《深圳市龙岗区人民政府关于宝龙街道办事处实施综合行政执法的决定》",
                "深圳市龙岗区人民政府",
                "深圳市龙岗区人民法院",
            ),
        )
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (200, 200), (0, 0, 0, 120)).save(seal)
    settings.set_seal_image(app.workspace, seal, now=clock())
    yield Site(app, clock, tmp_path / "ws", codes)
    app.close()


REMEDY = "可在六十日内向深圳市龙岗区人民政府申请行政复议，或者在六个月内向深圳市龙岗区人民法院提起行政诉讼"


def test_fire_documents(site: Site, tmp_path: Path) -> None:
    vid = site.inspect(
        "规上工业企业",
        "fire-safety",
        {"exit_signs": "N", "exits_clear": "N", "flammables_with_people": "N", "public_venue": False},
    )
    out = tmp_path / "fire.pdf"
    numbers = site.reporter().notice(vid, out)
    assert "《责令立即改正通知书》（龙宝）消立改〔2026〕1号" in numbers
    assert "《责令限期改正通知书》（龙宝）消限改〔2026〕1号" in numbers
    text = compact(out)
    for expected in (
        "责令立即改正通知书",
        "责令限期改正通知书",
        "疏散指示标志损坏、缺失或者指示方向错误",  # the violation as a fact
        "占用、堵塞、封闭疏散通道、安全出口",
        "《中华人民共和国消防法》（2021年修正）第二十八条",
        "涉嫌构成重大火灾隐患",
        "集体讨论",
        "GB35181-2025",
        REMEDY,
        "送达回证",
    ):
        assert expected in text, expected
    for absent in ("重大事故隐患", "停产整顿", "不停止", "五到位", "撤出作业人员", "：不符合要求", "第1号"):
        assert absent not in text, absent
    record = tmp_path / "fire-record.pdf"
    site.reporter().record(vid, record)
    rtext = compact(record)
    assert "发现的消防安全违法行为和火灾隐患" in rtext and "【涉嫌重大火灾隐患，提请集体讨论判定】" in rtext
    assert "依法对被检查单位遵守消防法律、法规情况进行消防监督检查" in rtext
    assert "消防安全检查表，2026.2版，2025年11月1日起适用" in rtext  # which checklist, valid when
    # The suspected major fire hazard waits for the office's collective review, and the summary says so.
    summary = site.reporter().loader.summary(date(2026, 11, 20), date(2026, 11, 20))
    [review] = [f for f in summary.street if f.label == "涉嫌重大火灾隐患待集体讨论判定"]
    assert review.cumulative == 1


def test_safety_documents_for_a_factory(site: Site, tmp_path: Path) -> None:
    vid = site.inspect(
        "规上工业企业", "work-safety", {"hazard_ledger": "N", "dust_present": True, "dust_building": "N"}
    )
    out = tmp_path / "safety.pdf"
    site.reporter().notice(vid, out)
    text = compact(out)
    for expected in (
        "责令限期整改指令书",
        "现场处理措施决定书",
        "未建立隐患排查治理台账，未定期开展事故隐患排查",
        "【重大事故隐患】粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内",
        "《工贸企业重大事故隐患判定标准》（应急管理部令第10号，2023年5月15日起施行）第十一条第（一）项",
        "第六十五条第一款第（三）项",
        "暂时停止使用相关设施、设备",
        REMEDY,
        "不停止本决定的执行",
    ):
        assert expected in text, expected
    assert "停产整顿" not in text and "2017" not in text


def test_construction_site_is_checked_with_its_own_rows(site: Site, tmp_path: Path) -> None:
    vid = site.inspect("建筑工地", "work-safety", {"cs_cranes": "N"})
    out = tmp_path / "cs-record.pdf"
    site.reporter().record(vid, out)
    text = compact(out)
    assert "建筑起重机械未经验收合格即投入使用，或者未按规定办理使用登记" in text
    assert "粉尘" not in text and "液氨" not in text


def test_epidemic_notice_uses_no_safety_or_fire_terms(site: Site, tmp_path: Path) -> None:
    vid = site.inspect("规上工业企业", "epidemic-resumption", {"entry_log": "N", "mechanism_team": "N"})
    out = tmp_path / "epi.pdf"
    site.reporter().notice(vid, out)
    text = compact(out)
    for expected in (
        "疫情防控整改通知书",
        "出入口未落实人员车辆登记、测温、消毒",
        "《中华人民共和国传染病防治法》（2025年修订）",
    ):
        assert expected in text, expected
    for absent in ("重大事故隐患", "隐患", "安全生产法", "消防法", "五到位", "撤出作业人员", "停产"):
        assert absent not in text, absent
    record = tmp_path / "epi-record.pdf"
    site.reporter().record(vid, record)
    rtext = compact(record)
    assert "不予复工" in rtext and "检查结论：通过" not in rtext and "重大事故隐患" not in rtext


def test_small_venue_documents_and_the_venue_type(site: Site, tmp_path: Path) -> None:
    with pytest.raises(ServiceError):
        vid, _ = site.app.visits.start(site.codes["小娱乐场所"], "three-small", list(BADGES))
        site.app.visits.answer(vid, "venue_type", "shop")  # a KTV is not checked as a shop
        site.app.visits.complete(vid)
    vid = site.inspect(
        "小娱乐场所", "three-small", {"venue_type": "venue", "venue_problems": ["routes_blocked"]}
    )
    out = tmp_path / "small.pdf"
    site.reporter().notice(vid, out)
    text = compact(out)
    assert "责令" in text and "疏散通道堵塞" in text and "存在问题：" not in text
    assert "重大事故隐患" not in text


def test_corrected_on_the_spot_closes_and_needs_a_photo(site: Site, tmp_path: Path) -> None:
    v = site.app.visits
    vid, _ = v.start(site.codes["小档口"], "fire-safety", list(BADGES))
    [fid] = v.answer(vid, "exits_clear", "N").new_findings
    v.update_finding(fid, order=Order.ON_SITE_FIXED)
    assert any("整改后照片" in m.message for m in v.missing(vid))
    v.add_photo(vid, jpeg(), finding_id=fid)
    assert not any("整改后照片" in m.message for m in v.missing(vid))


def test_a_recheck_before_the_deadline_keeps_the_original_deadline(site: Site, tmp_path: Path) -> None:
    vid = site.inspect("规上工业企业", "fire-safety", {"exit_signs": "N", "public_venue": False})
    site.clock.advance(days=3)  # before the 7-day deadline
    v = site.app.visits
    rid, _ = v.start_recheck(site.codes["规上工业企业"], list(BADGES))
    [target] = v.snapshot(rid).recheck_findings
    with pytest.raises(ServiceError, match="不能早于原整改期限"):
        v.mark_finding(
            rid, target.id, RecheckResult.NOT_RECTIFIED, new_deadline=target.deadline - timedelta(days=1)
        )
    v.mark_finding(rid, target.id, RecheckResult.NOT_RECTIFIED, note="标志灯未更换")
    assert v.snapshot(rid).recheck_marks[target.id].new_deadline == target.deadline
    assert target.deadline == date(2026, 11, 27) and vid


def test_a_fire_recheck_is_recorded_in_fire_terms(site: Site, tmp_path: Path) -> None:
    site.inspect("规上工业企业", "fire-safety", {"exit_signs": "N", "public_venue": False})
    site.clock.advance(days=8)
    v = site.app.visits
    rid, _ = v.start_recheck(site.codes["规上工业企业"], list(BADGES))
    for f in v.snapshot(rid).recheck_findings:
        v.mark_finding(rid, f.id, RecheckResult.RECTIFIED, note="已更换疏散指示标志")
    form = site.app.forms.get(v.snapshot(rid).form.code)
    for key, item in form.items.items():
        if item.type is ItemType.SIGNATURE:
            v.answer_signature(rid, key, signature_png())
        elif item.required and item.type is not ItemType.PHOTOS:
            v.answer(rid, key, compliant(item, "规上工业企业"))
    for b, n in zip(BADGES, NAMES, strict=True):
        v.sign(rid, inspector_role(b), n, signature_png())
    v.sign(rid, ENTERPRISE_ROLE, "陈志强", signature_png())
    v.complete(rid)
    out = tmp_path / "recheck-record.pdf"
    site.reporter().record(rid, out)
    text = compact(out)
    assert "现场复查记录" in text
    assert "消防安全违法行为和火灾隐患" in text and "事故隐患" not in text
    opinion = tmp_path / "opinion.pdf"
    site.reporter().recheck(rid, opinion)
    assert "2026年11月20日作出的《责令限期改正通知书》（（龙宝）消限改〔2026〕1号）" in compact(opinion)


# ---- documents are made from the visit's frozen document, judged in the visit's own context

REFUSAL = "负责人外出，现场人员拒绝签名"


def refused_recheck(site: Site) -> str:
    """A fire re-inspection whose person in charge refuses to sign (the form then asks why)."""
    site.inspect("规上工业企业", "fire-safety", {"exit_signs": "N", "public_venue": False})
    site.clock.advance(days=8)
    v = site.app.visits
    rid, _ = v.start_recheck(site.codes["规上工业企业"], list(BADGES))
    for f in v.snapshot(rid).recheck_findings:
        v.mark_finding(rid, f.id, RecheckResult.RECTIFIED, note="已更换疏散指示标志")
    v.sign(rid, ENTERPRISE_ROLE, "陈志强", refused_reason=REFUSAL)
    form = site.app.forms.get(v.snapshot(rid).form.code)
    for key, item in form.items.items():
        if item.type is ItemType.SIGNATURE and item.signer != "enterprise":
            v.answer_signature(rid, key, signature_png())
        elif item.required and item.type not in (ItemType.PHOTOS, ItemType.SIGNATURE):
            v.answer(rid, key, compliant(item, "规上工业企业"))
    v.answer(rid, "signature_refused", REFUSAL)
    for b, n in zip(BADGES, NAMES, strict=True):
        v.sign(rid, inspector_role(b), n, signature_png())
    v.complete(rid)
    return rid


def test_a_refused_recheck_record_prints_the_refusal_item_numbered_as_on_screen(
    site: Site, tmp_path: Path
) -> None:
    rid = refused_recheck(site)
    snap = site.app.visits.snapshot(rid)
    numbers = item_numbers(snap.form, snap.evaluation.visible)
    assert "signature_refused" in numbers  # shown on screen because the refusal is on record
    data = site.reporter().loader.record(rid)
    printed = {ln.key: ln.number for sec in data.sections for ln in sec.lines}
    assert printed == numbers
    out = tmp_path / "record.pdf"
    site.reporter().record(rid, out)
    text = compact(out)
    assert "拒绝签字情况说明" in text and re.sub(r"\s+", "", REFUSAL) in text


def test_a_record_prints_the_frozen_document_not_later_edits_of_the_tables(
    site: Site, tmp_path: Path
) -> None:
    """What was completed is what prints: a table row changed afterwards (here a finding's wording)
    does not change the record, and the record matches the document the office received."""
    vid = site.inspect("规上工业企业", "fire-safety", {"exit_signs": "N", "public_venue": False})
    before = tmp_path / "before.pdf"
    site.reporter().record(vid, before)
    with site.app.workspace.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
        for f in s.exec(tables.Finding.__table__.select().where(tables.Finding.visit_id == vid)):
            row = s.get(tables.Finding, f.id)
            row.description = "事后改写的问题描述"
            s.add(row)
    after = tmp_path / "after.pdf"
    site.reporter().record(vid, after)
    assert "事后改写" not in compact(after)
    assert compact(after) == compact(before)
    assert all(re.sub(r"\s+", "", f["description"])[:12] in compact(after) for f in doc["findings"])
    assert date.fromisoformat(doc["findings"][0]["found_on"])
