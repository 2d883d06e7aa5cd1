"""The demo's seed data: the register it invents (names, codes, grids, teams, trades), the issuing
authority it prints under, and what it writes into visits. Fixed by ``SEED``: the same every run."""

from __future__ import annotations

import random

from inspector_app.domain import credit_code
from inspector_app.domain.authority import EXAMPLE_AUTHORITY
from inspector_app.domain.enterprise import Enterprise, ResumptionStatus
from inspector_app.services import settings, site_people

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


# The issuing authority the demo street office publishes (the office's demo publishes the same).
DEMO_AUTHORITY = settings.DocumentSettings.of(EXAMPLE_AUTHORITY)
# Venue type of the 三小 form by enterprise category (the form refuses a type that does not match).
VENUE_TYPES = {"小档口": "shop", "小作坊": "workshop", "小娱乐场所": "venue", "出租屋": "rental"}
# Plausible sizes: a 三小 place stays within its class (≤ 300 / 250 / 200 m²).
AREAS = {"小档口": (25, 180), "小作坊": (60, 240), "小娱乐场所": (60, 190), "出租屋": (40, 160)}
ON_SPOT_NOTES = ("已当场清理通道", "已当场更换", "已当场整改完毕")


def person(rnd: random.Random) -> str:
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
                legal_representative=person(rnd),
                contact=person(rnd),
                phone=f"1{rnd.choice('3589')}{rnd.randint(0, 999_999_999):09d}",
                staff_total=total,
                staff_on_site=rnd.randint(0, total),
                resumption_status=status,
            )
        )
    return out


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


def id_number(rnd: random.Random) -> str:
    """A made-up 居民身份证号码 of Shenzhen's Longgang district, with a valid check character."""
    born = f"{rnd.randint(1965, 1998)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
    body = f"440307{born}{rnd.randint(100, 999)}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def site_people_of(vid: str, contact: str, category: str = "") -> site_people.SitePeopleInput:
    """The person in charge met on site (the register's contact), and now and then a witness.
    Drawn from the visit id, so adding them changed none of the demo's other figures."""
    rnd = random.Random(vid)
    witness = rnd.choice(WITNESSES) if rnd.random() < 0.3 else ("", "")
    if not contact:
        return site_people.SitePeopleInput("", "", "", "", *witness)
    title = rnd.choice(SITE_TITLES.get(category, SITE_TITLES[""]))
    phone = f"13{rnd.randint(0, 9)}{rnd.randint(10_000_000, 99_999_999)}"
    return site_people.SitePeopleInput(contact, title, id_number(rnd), phone, *witness)

