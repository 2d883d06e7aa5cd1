"""Hand-made document data: builders are pure functions, so most layout tests need no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from inspector_app.domain.enforcement import DocKind, Domain
from inspector_app.domain.finding import Order, RecheckResult, Severity
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.data import (
    ChecklistLine,
    ChecklistSection,
    EnterpriseInfo,
    FindingInfo,
    InspectorInfo,
    Issuer,
    NoticeData,
    NoticeRef,
    Photo,
    RecheckData,
    RecheckLine,
    RecordData,
    RequestInfo,
    SignatureInfo,
)

LONG = (
    "二楼成品仓库东侧安全出口被堆放的纸箱和货架完全堵塞，疏散通道宽度不足0.8米，"
    "应急照明灯三处损坏，现场员工称该出口已封闭两个月以上，夜间值班人员不掌握消防设施的使用方法。"
) * 3


ISSUER = Issuer(
    "宝龙街道办事处",
    None,
    "龙宝",
    "《深圳市龙岗区人民政府关于街道综合行政执法的授权决定》",
    "深圳市龙岗区人民政府",
    "深圳市龙岗区人民法院",
)


def make_photo(
    path: Path, size: tuple[int, int] = (1600, 1200), color: str = "#3A7", orientation: int = 1
) -> Photo:
    img = Image.new("RGB", size, color)
    d = ImageDraw.Draw(img)
    d.rectangle([size[0] // 10, size[1] // 10, size[0] // 2, size[1] // 2], fill="#FFF")
    d.line([0, 0, size[0], size[1]], fill="#000", width=max(2, size[0] // 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=85, exif=exif.tobytes())
    w, h = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size
    import hashlib

    return Photo(hashlib.sha256(path.read_bytes()).hexdigest(), path, w, h)


def make_signature(path: Path, text: str = "Zhang") -> Path:
    img = Image.new("RGBA", (400, 140), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.line([(20, 100), (120, 30), (200, 110), (300, 40), (380, 90)], fill=(10, 10, 60, 255), width=6)
    img.save(path, "PNG")
    return path


ENTERPRISE = EnterpriseInfo(
    name="深圳市珺玥精密五金制品有限公司",
    credit_code="91440300MA5FXXXX1X",
    address="宝安区福永街道凤凰第三工业区A栋3楼",
    legal_representative="陈志强",
    contact="刘明",
    phone="13800138000",
    category="规上工业企业",
    grid="工业一区",
)
INSPECTORS = (InspectorInfo("张伟", "44030012345"), InspectorInfo("李娜", "44030067890"))


def record(
    tmp: Path,
    *,
    findings: int = 2,
    photos_per_finding: int = 2,
    items: int = 12,
    long: bool = False,
    refused: bool = True,
) -> RecordData:
    lines = []
    for i in range(items):
        result = "bad" if i % 5 == 3 else ("na" if i % 7 == 6 else "ok")
        answer = {"ok": "符合", "bad": "不符合", "na": "不适用"}[result]
        label = f"检查项目{i + 1}：疏散通道、安全出口保持畅通，未锁闭、未堵塞" + (
            "（含夜间值守情况）" * 6 if long and i == 2 else ""
        )
        lines.append(ChecklistLine(i + 1, f"item{i}", label, answer, result))  # type: ignore[arg-type]
    sections = (
        ChecklistSection("一、消防安全", tuple(lines[: items // 2])),
        ChecklistSection("二、安全生产", tuple(lines[items // 2 :])),
    )
    fs = []
    for n in range(findings):
        ph = tuple(
            make_photo(tmp / f"f{n}-{k}.jpg", color=["#3A7", "#A73", "#37A"][k % 3])
            for k in range(photos_per_finding)
        )
        fs.append(
            FindingInfo(
                id=f"f{n}",
                title=f"安全出口堵塞{n + 1}",
                description=LONG if long else "东侧安全出口被纸箱堵塞。",
                severity=Severity.MAJOR if n == 0 else Severity.GENERAL,
                order=Order.DEADLINE if n % 2 == 0 else Order.IMMEDIATE,
                deadline=date(2026, 3, 9) if n % 2 == 0 else date(2026, 3, 2),
                found_on=date(2026, 3, 2),
                rectification="清理杂物，恢复安全出口畅通。",
                legal_basis="《中华人民共和国消防法》第二十八条",
                photos=ph,
            )
        )
    sig = make_signature(tmp / "sig.png")
    sigs = (
        SignatureInfo(
            "inspector:44030012345",
            "检查人员（执法证号 44030012345）",
            "张伟",
            sig,
            signed_at=datetime(2026, 3, 2, 2, 40, tzinfo=UTC),
        ),
        SignatureInfo(
            "inspector:44030067890",
            "检查人员（执法证号 44030067890）",
            "李娜",
            sig,
            signed_at=datetime(2026, 3, 2, 2, 40, tzinfo=UTC),
        ),
        SignatureInfo(
            "enterprise",
            "企业负责人",
            "陈志强",
            None if refused else sig,
            "认为问题已当场整改，不同意记录" if refused else "",
        ),
    )
    return RecordData(
        visit_id="3f6c1c2e-0000-4000-8000-000000000001",
        content_hash="ab" * 32,
        completed=True,
        kind=VisitKind.INSPECTION,
        form_title="消防安全检查表（三小场所）",
        issuer=ISSUER,
        number="（龙宝）应急检记〔2026〕12号",
        domain=Domain.SMALL_VENUES,
        enterprise=ENTERPRISE,
        inspectors=INSPECTORS,
        place="凤凰第三工业区A栋",
        started_at=datetime(2026, 3, 2, 1, 5, tzinfo=UTC),
        completed_at=datetime(2026, 3, 2, 2, 40, tzinfo=UTC),
        outcome="责令限期改正",
        sections=sections,
        findings=tuple(fs),
        requests=(
            RequestInfo("用工招聘", "复工后缺少熟练工约30人，希望街道协助对接人力资源市场。", "待跟进"),
            RequestInfo("防疫物资", "口罩储备仅够三天。", "跟进中"),
        ),
        signatures=sigs,
        cache_dir=tmp / "thumbs",
    )


def notice(tmp: Path, record_data: RecordData | None = None, *, seal: Path | None = None) -> NoticeData:
    r = record_data or record(tmp)
    return NoticeData(
        visit_id=r.visit_id,
        number="（龙宝）消限改〔2026〕3号",
        issued_on=date(2026, 3, 2),
        issuer=Issuer(
            ISSUER.unit, seal, ISSUER.short_name, ISSUER.authorization, ISSUER.review_body, ISSUER.court
        ),
        enterprise=r.enterprise,
        inspected_on=date(2026, 3, 2),
        place=r.place,
        inspectors=r.inspectors,
        findings=r.findings,
        recheck_on=date(2026, 3, 9),
        signatures=r.signatures,
        kind=DocKind.FIRE_DEADLINE,
        domain=Domain.SMALL_VENUES,
        record_number=r.number or "",
    )


def recheck(tmp: Path) -> RecheckData:
    r = record(tmp, photos_per_finding=0)
    lines = (
        RecheckLine(
            "安全出口堵塞1",
            "东侧安全出口被纸箱堵塞。",
            Severity.MAJOR,
            Order.DEADLINE,
            date(2026, 3, 9),
            RecheckResult.RECTIFIED,
            "已清理",
            None,
            "（龙宝）消限改〔2026〕3号",
        ),
        RecheckLine(
            "应急照明损坏",
            "三处应急照明灯损坏。",
            Severity.GENERAL,
            Order.DEADLINE,
            date(2026, 3, 9),
            RecheckResult.NOT_RECTIFIED,
            "仅更换一处",
            date(2026, 3, 16),
            "（龙宝）消限改〔2026〕3号",
        ),
    )
    return RecheckData(
        visit_id="v2",
        number="（龙宝）应急复查〔2026〕1号",
        issued_on=date(2026, 3, 10),
        issuer=r.issuer,
        enterprise=r.enterprise,
        rechecked_on=date(2026, 3, 10),
        notices=(NoticeRef("（龙宝）消限改〔2026〕3号", date(2026, 3, 2), title="责令限期改正通知书"),),
        lines=lines,
        inspectors=r.inspectors,
        signatures=r.signatures,
    )
