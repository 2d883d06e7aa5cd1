"""A realistic demo workspace, the same every run (fixed seed): for training, screenshots and trying the app.

Dates are counted back from the day it is made, so "overdue" and "due today" look as they would in
the field; everything else (names, codes, who visits whom, which answers fail) comes from the seed.
"""

from __future__ import annotations

import contextlib
import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from PIL import Image, ImageDraw
from sqlalchemy import func, select
from sqlmodel import col

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.checklist.model import Form, ItemType
from inspector_app.domain import credit_code
from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus
from inspector_app.domain.finding import Order, RecheckResult, Severity
from inspector_app.domain.requests import REQUEST_CATEGORIES
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services import settings, site_people
from inspector_app.services.errors import ServiceError
from inspector_app.services.visits import RECHECK_FORM, VisitService
from inspector_app.store import attachments, tables
from inspector_app.store import enterprises as store
from inspector_app.store.workspace import Workspace

SEED = 20200210
ENTERPRISES = 320

# (grid, kind, street area used in names and addresses)
GRIDS: tuple[tuple[str, str, str], ...] = (
    ("宝龙一网格", "工业", "宝龙"),
    ("宝龙二网格", "工业", "宝龙"),
    ("园山工业网格", "工业", "园山"),
    ("龙岗建筑工地网格", "建筑工地", "龙岗"),
    ("南湾居住区网格", "居住区", "南湾"),
    ("坪地出租屋网格", "出租屋", "坪地"),
    ("横岗商业网格", "工业", "横岗"),
)
TEAMS: tuple[tuple[str, str], ...] = (
    ("第一检查组", "陈志强"),
    ("第二检查组", "刘海涛"),
    ("第三检查组", "黄丽萍"),
    ("第四检查组", "周建华"),
    ("第五检查组", "吴国栋"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
    "国庆",
    "小红",
    "文博",
)
BRAND = "鑫华宏盛达丰泰隆恒兴通利源嘉永金瑞博"
TRADES: tuple[tuple[str, str, str], ...] = (
    # (word in the name, industry, category)
    ("精密五金制品", "金属制品业", "规上工业企业"),
    ("电子科技", "计算机、通信和其他电子设备制造业", "规上工业企业"),
    ("塑胶制品", "橡胶和塑料制品业", "规上工业企业"),
    ("模具", "专用设备制造业", "规下企业"),
    ("包装材料", "造纸和纸制品业", "规下企业"),
    ("服装", "纺织服装、服饰业", "规下企业"),
    ("光电", "电气机械和器材制造业", "规上工业企业"),
    ("印刷", "印刷和记录媒介复制业", "小作坊"),
    ("食品", "食品制造业", "小作坊"),
    ("建筑工程", "房屋建筑业", "建筑工地"),
)
SHOPS: tuple[tuple[str, str], ...] = (
    ("便利店", "小档口"),
    ("小吃店", "小档口"),
    ("五金店", "小档口"),
    ("理发店", "个体工商户"),
    ("网吧", "小娱乐场所"),
    ("KTV", "小娱乐场所"),
    ("快餐店", "小档口"),
    ("出租屋", "出租屋"),
)
ROADS = (
    "宝龙大道",
    "宝龙一路",
    "宝龙二路",
    "园山路",
    "龙岗大道",
    "南湾路",
    "坪地大道",
    "横岗路",
    "工业大道",
    "清水路",
)
FORM_BY_CATEGORY = {
    "规上工业企业": "work-safety",
    "规下企业": "fire-safety",
    "建筑工地": "work-safety",
    "小档口": "three-small",
    "小作坊": "three-small",
    "小娱乐场所": "three-small",
}
REQUEST_TEXTS = {
    "用工招聘": "复工后普工缺口约30人，希望协助对接劳务市场",
    "防疫物资": "口罩仅够三天使用，请求协调采购渠道",
    "物流运输": "原材料运输车辆通行证办理缓慢",
    "租金减免": "希望了解疫情期间厂房租金减免政策",
    "资金融资": "流动资金紧张，咨询贴息贷款",
    "政策咨询": "咨询稳岗补贴申领条件",
}


# The issuing authority a street office would publish (an example, not a real authorization).
DEMO_AUTHORITY = settings.DocumentSettings(
    "深圳市龙岗区宝龙街道办事处",
    None,
    "龙宝",
    {
        "record": "应急检记",
        "safety_order": "应急责改",
        "site_measure": "应急现决",
        "fire_immediate": "消立改",
        "fire_deadline": "消限改",
        "epidemic_notice": "防控改",
        "recheck": "应急复查",
    },
    "《深圳市龙岗区人民政府关于宝龙街道办事处实施综合行政执法事项的决定》（示例）",
    "深圳市龙岗区人民政府",
    "深圳市龙岗区人民法院",
)
# Venue type of the 三小 form by enterprise category (the form refuses a type that does not match).
VENUE_TYPES = {"小档口": "shop", "小作坊": "workshop", "小娱乐场所": "venue", "出租屋": "rental"}
# Plausible sizes: a 三小 place stays within its class (≤ 300 / 250 / 200 m²).
AREAS = {"小档口": (25, 180), "小作坊": (60, 240), "小娱乐场所": (60, 190), "出租屋": (40, 160)}
ON_SPOT_NOTES = ("已当场清理通道", "已当场更换", "已当场整改完毕")


class DemoRefused(ServiceError):
    """The workspace already holds real work the demo would overwrite."""


# (done, total, what is being made) -> True to stop
Progress = Callable[[int, int, str], bool]


@dataclass
class DemoSummary:
    enterprises: int = 0
    grids: int = 0
    teams: int = 0
    inspectors: int = 0
    visits: int = 0
    findings: int = 0
    closed_findings: int = 0
    requests: int = 0
    skipped: list[str] = field(default_factory=list)  # what could not be made, and why

    def lines(self) -> list[str]:
        out = [
            f"企业 {self.enterprises} 家，网格 {self.grids} 个，检查组 {self.teams} 个，"
            f"检查人员 {self.inspectors} 名",
            f"已完成检查 {self.visits} 次，隐患 {self.findings} 条（已销号 {self.closed_findings} 条），"
            f"诉求 {self.requests} 件",
        ]
        return out + [f"未生成：{s}" for s in self.skipped]


class _DemoClock:
    """The visit service's clock, moved by the demo to when each visit happened."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _signature_png(text: str) -> bytes:
    image = Image.new("RGB", (240, 90), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(20, 60), (80, 25), (130, 65), (200, 30)], fill="black", width=3)
    draw.text((20, 70), text.encode("ascii", "ignore").decode() or "sign", fill="black")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _seal_png(unit: str) -> bytes:
    """A stand-in seal (a ring and a star; the real seal image is the office's): red, as seals are."""
    image = Image.new("RGBA", (300, 300), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, 290, 290], outline=(200, 20, 20, 220), width=10)
    star = [
        (150, 95),
        (163, 135),
        (205, 135),
        (171, 160),
        (184, 200),
        (150, 176),
        (116, 200),
        (129, 160),
        (95, 135),
        (137, 135),
    ]
    draw.polygon(star, fill=(200, 20, 20, 220))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _scene_jpeg(rnd: random.Random) -> bytes:
    """A plain photo stand-in: a few coloured blocks, different per call but fixed by the seed."""
    image = Image.new("RGB", (320, 240), tuple(rnd.randint(120, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rnd.randint(0, 260), rnd.randint(0, 180)
        draw.rectangle([x, y, x + 60, y + 60], fill=tuple(rnd.randint(0, 255) for _ in range(3)))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


def demo_enterprises(rnd: random.Random, count: int = ENTERPRISES) -> list[Enterprise]:
    out: list[Enterprise] = []
    used: set[str] = set()
    for i in range(count):
        grid, kind, area = GRIDS[i % len(GRIDS)]
        if kind in {"工业", "建筑工地"} and rnd.random() < 0.8:
            word, industry, category = rnd.choice(TRADES if kind == "工业" else TRADES[-1:])
            name = f"深圳市{area}{rnd.choice(BRAND)}{rnd.choice(BRAND)}{word}有限公司"
            size = "规上" if category == "规上工业企业" else rnd.choice(["规下", "小微"])
            total = rnd.randint(30, 600) if size == "规上" else rnd.randint(5, 80)
            prefix = "91440300"
        else:
            word, category = rnd.choice(SHOPS)
            industry, size, total = "批发和零售业", "小微", rnd.randint(1, 12)
            name = f"{area}{rnd.choice(['老王', '佳佳', '顺心', '好运', '阿强', '同乐'])}{word}"
            prefix = "92440300"  # 个体工商户 codes start with 92
        while name in used:
            name = (
                name.replace("有限公司", f"{rnd.choice(ROADS)[:2]}分公司")
                if "有限公司" in name
                else (f"{name}（{rnd.choice(ROADS)}店）")
            )
        used.add(name)
        body = "".join(rnd.choice(credit_code.ALPHABET) for _ in range(9))
        status = rnd.choices(list(ResumptionStatus), weights=[10, 8, 5, 10, 4, 55, 3])[0]
        out.append(
            Enterprise(
                credit_code=credit_code.complete(prefix + body),
                name=name,
                address=f"深圳市龙岗区{area}街道{rnd.choice(ROADS)}{rnd.randint(1, 388)}号",
                grid=grid,
                category=category,
                industry=industry,
                size_class=size,
                legal_representative=_person(rnd),
                contact=_person(rnd),
                phone=f"1{rnd.choice('3589')}{rnd.randint(0, 999_999_999):09d}",
                staff_total=total,
                staff_on_site=rnd.randint(0, total),
                resumption_status=status,
            )
        )
    return out


class DemoService:
    def __init__(
        self, workspace: Workspace, *, clock: Clock = system_clock, forms: FormLibrary | None = None
    ) -> None:
        self.workspace = workspace
        self.clock = clock
        self.forms = forms
        self.names: dict[str, str] = {}  # badge → inspector's name, for the signatures

    def check_can_create(self, *, force: bool) -> None:
        with self.workspace.engine.connect() as conn:
            enterprises = store.count_enterprises(conn)
            unsynced = conn.execute(
                select(func.count())
                .select_from(tables.Outbox)
                .where(col(tables.Outbox.entity) == "visit", col(tables.Outbox.state) != "sent")
            ).scalar_one()
        if unsynced:
            raise DemoRefused(
                f"工作区有 {unsynced} 条尚未同步的检查记录，不能用演示数据覆盖（即使使用 --force）"
            )
        if enterprises and not force:
            raise DemoRefused(f"工作区已有 {enterprises} 家企业；如确需用演示数据覆盖，请加 --force")

    def create(self, *, force: bool = False, progress: Progress | None = None) -> DemoSummary:
        """Build the demo; ``progress(done, total, what)`` is told each step and may return True
        to stop (the register stays; visits made so far stay, as in a real workspace)."""
        self.check_can_create(force=force)
        report = progress or (lambda done, total, what: False)
        rnd = random.Random(SEED)
        today = local_date(self.clock())
        summary = DemoSummary()
        self._wipe()
        enterprises = demo_enterprises(rnd)
        report(0, 100, "企业名录")
        badges = self._register(rnd, enterprises, today, summary)
        self._authority()
        if report(10, 100, "检查记录"):
            return summary
        try:
            forms = self.forms or FormLibrary.load(default_forms_dir())
        except Exception as exc:  # the demo still has its register without the forms
            summary.skipped.append(f"检查记录（检查表无法加载：{exc}）")
            return summary
        self._visits(
            rnd=rnd,
            enterprises=enterprises,
            badges=badges,
            forms=forms,
            today=today,
            summary=summary,
            report=report,
        )
        # Demo work must never reach the office: nothing of it waits in the outbox.
        with self.workspace.session() as s:
            s.connection().execute(cast(Any, tables.Outbox).__table__.delete())
        return summary

    def _wipe(self) -> None:
        """Empty the register and everything hanging off it (only reached when nothing is unsynced)."""
        order = (
            tables.RequestFollowUp,
            tables.EnterpriseRequest,
            tables.IssuedDocument,
            tables.SitePerson,
            tables.RecheckMark,
            tables.FindingEvent,
            tables.FindingPhoto,
            tables.Finding,
            tables.Signature,
            tables.VisitPhoto,
            tables.Answer,
            tables.Visit,
            tables.EnterpriseChange,
            tables.Assignment,
            tables.Outbox,
            tables.Enterprise,
            tables.Inspector,
            tables.Team,
            tables.Grid,
            tables.Category,
        )
        with self.workspace.session() as s:
            conn = s.connection()
            for table in order:
                conn.execute(cast(Any, table).__table__.delete())

    def _authority(self) -> None:
        """The issuing authority and seal, so the demo prints complete documents."""
        with self.workspace.session() as s:
            settings.save(s, DEMO_AUTHORITY)
            seal = attachments.store_bytes(
                s,
                self.workspace.attachments_dir,
                self.workspace.thumbnails_dir,
                _seal_png(DEMO_AUTHORITY.issuing_unit),
                kind="seal",
                original_name="印章.png",
                now=self.clock(),
            )
            s.flush()
            current = settings.load(s)
            settings.save(
                s, settings.DocumentSettings(current.issuing_unit, seal.sha256, current.number_prefix)
            )

    def _register(
        self, rnd: random.Random, enterprises: list[Enterprise], today: date, summary: DemoSummary
    ) -> dict[str, list[str]]:
        now = self.clock()
        badges: dict[str, list[str]] = {}
        with self.workspace.session() as s:
            conn = s.connection()
            for order, (grid, kind, _area) in enumerate(GRIDS):
                store.upsert_grid(conn, grid, kind=kind, sort_order=order)
            store.ensure_categories(conn, sorted({e.category for e in enterprises}))
            serial = 12345
            for team, leader in TEAMS:
                store.upsert_team(conn, team, leader=leader)
                members = [leader] + [_person(rnd) for _ in range(rnd.randint(2, 3))]
                for position, name in enumerate(members):
                    badge = f"440300{serial:05d}"
                    serial += rnd.randint(1, 40)
                    role = "leader" if position == 0 else "inspector"
                    store.upsert_inspector(conn, badge, name, team=team, role=role)
                    self.names[badge] = name
                    badges.setdefault(team, []).append(badge)
            store.insert_enterprises(conn, [store.enterprise_values(e) for e in enterprises], now)
            ids = store.ids_by_codes(conn, [e.credit_code for e in enterprises])
            for index, e in enumerate(enterprises):
                team = TEAMS[(index // 16) % len(TEAMS)][0]
                cadence = 3 if e.category in {"规上工业企业", "建筑工地"} else rnd.choice([1, 2, 3])
                # A working street: most were seen within their cadence, some slipped (overdue),
                # a few are new on the list and not visited yet.
                interval = max(1, 7 // cadence)
                roll = rnd.random()
                assigned_on = today - timedelta(days=30)
                if roll < 0.08:
                    last = None
                    assigned_on = today - timedelta(days=rnd.randint(0, 3))
                elif roll < 0.2:
                    last = today - timedelta(days=interval + rnd.randint(1, 6))
                else:
                    last = today - timedelta(days=rnd.randint(0, interval))
                store.set_assignment(
                    conn,
                    ids[e.credit_code],
                    team,
                    visits_per_week=cadence,
                    assigned_on=assigned_on,
                    last_visit_on=last,
                )
        summary.enterprises, summary.grids, summary.teams = len(enterprises), len(GRIDS), len(TEAMS)
        summary.inspectors = sum(len(b) for b in badges.values())
        return badges

    def _visits(
        self,
        *,
        rnd: random.Random,
        enterprises: list[Enterprise],
        badges: dict[str, list[str]],
        forms: FormLibrary,
        today: date,
        summary: DemoSummary,
        report: Progress,
    ) -> None:
        clock = _DemoClock(self.clock())
        visits = VisitService(self.workspace, forms, clock=clock, account="demo")
        team_of_index = {i: TEAMS[(i // 16) % len(TEAMS)][0] for i in range(len(enterprises))}
        picked = rnd.sample(range(len(enterprises)), 60)
        rechecks: list[tuple[str, list[str], int, str]] = []
        for n, index in enumerate(picked):
            if report(10 + 85 * n // len(picked), 100, "检查记录"):
                return
            e = enterprises[index]
            form_code = FORM_BY_CATEGORY.get(e.category, "fire-safety")
            if e.category in ("规上工业企业", "规下企业") and n % 4 == 1:
                form_code = "epidemic-resumption"  # the resumption check, besides the safety rounds
            try:
                form = forms.get(form_code)
            except Exception:  # a form missing from this build: fall back to the first inspection form
                form = next(f for f in forms.latest() if f.kind == "inspection")
            days_ago = 1 + n % 14
            clock.now = datetime.combine(today - timedelta(days=days_ago), time(9, 30)).astimezone(UTC)
            pair = rnd.sample(badges[team_of_index[index]], 2)
            try:
                visit_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                vid, _ = visits.start(e.credit_code, form.code, pair, visit_id=visit_id)
                failing = {k for k in form.items if rnd.random() < 0.06}
                self._answer_all(
                    visits=visits,
                    vid=vid,
                    form=form,
                    failing=failing,
                    rnd=rnd,
                    clock=clock,
                    category=e.category,
                )
                self._fix_on_the_spot(visits, vid, rnd)
                if n % 7 == 0:
                    category = rnd.choice(list(REQUEST_TEXTS))
                    assert category in REQUEST_CATEGORIES
                    visits.record_request(vid, category, REQUEST_TEXTS[category])
                    summary.requests += 1
                self._sign(visits, vid, pair, e.contact, e.category)
                clock.now += timedelta(minutes=rnd.randint(35, 75))
                visits.complete(vid)
            except ServiceError as exc:
                summary.skipped.append(f"{e.name} 的检查（{exc}）")
                continue
            summary.visits += 1
            found = [f.id for f in visits.snapshot(vid).findings]
            summary.findings += len(found)
            if found and days_ago > 7 and rnd.random() < 0.6:
                rechecks.append((e.credit_code, pair, days_ago, e.contact))
        for code, pair, days_ago, contact in rechecks:
            clock.now = datetime.combine(today - timedelta(days=days_ago - 7), time(15, 0)).astimezone(UTC)
            try:
                summary.closed_findings += self._recheck(
                    visits=visits, code=code, pair=pair, forms=forms, rnd=rnd, clock=clock, contact=contact
                )
                summary.visits += 1
            except ServiceError as exc:
                summary.skipped.append(f"{code} 的复查（{exc}）")

    def _answer_all(
        self,
        *,
        visits: VisitService,
        vid: str,
        form: Form,
        failing: set[str],
        rnd: random.Random,
        clock: _DemoClock,
        category: str = "",
    ) -> None:
        given: dict[str, Any] = {}  # numbers answered so far, so the staff figures agree
        for key in form.eval_order or tuple(form.items):
            item = form.items[key]
            if item.computed:
                continue
            value = self._value(item, key in failing, rnd, clock)
            total = int(given.get("staff_total") or 0)
            back = int(given.get("staff_returned") or 0)
            if key == "staff_returned" and total:
                value = int(total * rnd.uniform(0.6, 0.97))
            elif key in ("staff_outside_city", "staff_key_regions", "staff_isolated") and back:
                share = {"staff_outside_city": 0.35, "staff_key_regions": 0.05, "staff_isolated": 0.03}[key]
                value = int(back * share * rnd.uniform(0.5, 1.0))
            elif key == "masks_count" and back:
                value = back * 2 * rnd.randint(2, 10)
            if key == "venue_type" and category in VENUE_TYPES:
                value = VENUE_TYPES[category]
            elif key == "floor_area" and category in AREAS:
                value = str(rnd.randint(*AREAS[category]))
            elif key == "shop_sleepers":  # one night watch at most, unless the tick list says otherwise
                value = 3 if "shop_problems" in failing else rnd.randint(0, 1)
            elif key == "floors":  # a small venue: one to three floors (derived: no new draw)
                value = 1 + int(value) % 3
            elif key == "staff_on_site" and form.code == "three-small":  # a few people, not dozens
                value = 2 + int(value) % 12
            elif key in ("staff_total", "extinguisher_count"):
                value = rnd.randint(30, 400) if key == "staff_total" else rnd.randint(4, 24)
            if item.type is ItemType.SIGNATURE:
                _try(visits.answer_signature, vid, key, _signature_png("signed"))
            elif item.type is ItemType.PHOTOS:
                if item.required:
                    with contextlib.suppress(ServiceError):
                        visits.add_photo(vid, _scene_jpeg(rnd), item_key=key, name="现场照片.jpg")
            elif value is not None:
                _try(visits.answer, vid, key, value)
                given[key] = value

    @staticmethod
    def _value(item: Any, bad: bool, rnd: random.Random, clock: _DemoClock) -> Any:
        kind = item.type
        if kind is ItemType.COMPLIANCE:
            return "N" if bad else "Y"
        if kind is ItemType.YESNO:
            if item.bad_answer is None:
                return False
            return item.bad_answer if bad else not item.bad_answer
        if kind in {ItemType.INTEGER, ItemType.DECIMAL}:
            low = int(item.min) if item.min is not None else 0
            high = int(item.max) if item.max is not None else max(low, 50)
            number = rnd.randint(low, max(low, min(high, low + 50)))
            return number if kind is ItemType.INTEGER else str(number)
        if kind is ItemType.TEXT:
            return "现场已核实" if (item.max_length or 50) >= 5 else "是"
        if kind is ItemType.CHOICE:
            return item.choices[0].value if item.choices else None
        if kind is ItemType.MULTI:
            if item.tick_list:
                return [item.choices[0].value] if bad and item.choices else []
            return [item.choices[0].value] if item.choices else []
        if kind is ItemType.DATE:
            return local_date(clock.now).isoformat()
        return None  # photos: a demo has none

    @staticmethod
    def _fix_on_the_spot(visits: VisitService, vid: str, rnd: random.Random) -> None:
        """Most 立即整改 findings are put right while the inspectors are there: recorded as 当场整改完毕
        with a photo of the corrected state, so they are closed rather than overdue the next day."""
        for f in visits.snapshot(vid).findings:
            if f.order is Order.IMMEDIATE and f.severity is not Severity.MAJOR and rnd.random() < 0.75:
                visits.add_photo(vid, _scene_jpeg(rnd), finding_id=f.id, name="整改后.jpg")
                visits.update_finding(
                    f.id, order=Order.ON_SITE_FIXED, rectification=rnd.choice(ON_SPOT_NOTES)
                )

    def _sign(
        self, visits: VisitService, vid: str, pair: list[str], contact: str, category: str = ""
    ) -> None:
        for badge in pair:
            name = self.names.get(badge, "")
            visits.sign(vid, inspector_role(badge), name or badge, _signature_png(badge))
        visits.sign(vid, ENTERPRISE_ROLE, contact or "企业负责人", _signature_png("ent"))
        site_people.save(self.workspace, vid, _site_people(vid, contact, category))

    def _recheck(
        self,
        *,
        visits: VisitService,
        code: str,
        pair: list[str],
        forms: FormLibrary,
        rnd: random.Random,
        clock: _DemoClock,
        contact: str = "",
    ) -> int:
        open_findings = visits.open_findings(code)
        visit_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        vid, _ = visits.start(code, RECHECK_FORM, pair, visit_id=visit_id)
        closed = 0
        for finding in open_findings:
            result = RecheckResult.RECTIFIED if rnd.random() < 0.7 else RecheckResult.NOT_RECTIFIED
            rectified = result is RecheckResult.RECTIFIED
            # No new deadline given: the rule keeps the original one if it has not come yet.
            note = "已按要求整改完毕" if rectified else "尚未整改完毕"
            visits.mark_finding(vid, finding.id, result, note=note)
            closed += result is RecheckResult.RECTIFIED
        form = forms.get(visits.snapshot(vid).form.code)
        self._answer_all(visits=visits, vid=vid, form=form, failing=set(), rnd=rnd, clock=clock)
        self._sign(visits, vid, pair, contact)
        visits.complete(vid)
        return closed


SITE_TITLES = {
    "建筑工地": ("项目经理", "项目安全员", "施工员"),
    "小档口": ("店长", "经营者"),
    "小娱乐场所": ("店长", "值班经理"),
    "出租屋": ("房东", "物业管理员"),
    "": ("生产主管", "行政经理", "安全主任", "厂长", "办公室主任"),
}
# Witnesses from outside the inspecting unit: the community's staff or the park's management.
WITNESSES = (("黄丽萍", "宝龙社区工作站"), ("吴建华", "龙东社区工作站"), ("刘海燕", "同乐工业园管理处"))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(rnd: random.Random) -> str:
    """A made-up 居民身份证号码 of Shenzhen's Longgang district, with a valid check character."""
    born = f"{rnd.randint(1965, 1998)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
    body = f"440307{born}{rnd.randint(100, 999)}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _site_people(vid: str, contact: str, category: str = "") -> site_people.SitePeopleInput:
    """The person in charge met on site (the register's contact), and now and then a witness.
    Drawn from the visit id, so adding them changed none of the demo's other figures."""
    rnd = random.Random(vid)
    witness = rnd.choice(WITNESSES) if rnd.random() < 0.3 else ("", "")
    if not contact:
        return site_people.SitePeopleInput("", "", "", "", *witness)
    title = rnd.choice(SITE_TITLES.get(category, SITE_TITLES[""]))
    phone = f"13{rnd.randint(0, 9)}{rnd.randint(10_000_000, 99_999_999)}"
    return site_people.SitePeopleInput(contact, title, _id_number(rnd), phone, *witness)


def _try(action: Callable[..., object], *args: object) -> None:
    # An item that is not relevant for this enterprise refuses an answer; the demo just moves on.
    with contextlib.suppress(ServiceError):
        action(*args)
