"""``inspector-central demo``: a living demo office, the same every run (fixed seed).

The server may not import the laptop's demo (services/), so this seeder speaks the wire format:
it builds frozen visit documents from the published forms — answers evaluated by the checklist
engine, so findings, deadlines and outcomes are the forms' own — and stores them through the
server's push path, as the teams' laptops would, which also projects the console's read model.
Dates count back from today, so "today", "this week" and "overdue" look as in the field.
"""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import Connection, func, select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import admin, audit, auth, device_forms, edits, follow_ups, push
from inspector_app.central.logic.files import FileStore, register_file
from inspector_app.checklist import (
    Evaluation,
    Form,
    FormLibrary,
    Item,
    ItemType,
    default_forms_dir,
    evaluate,
    form_files,
)
from inspector_app.domain import credit_code
from inspector_app.domain.authority import EXAMPLE_AUTHORITY
from inspector_app.domain.clock import local_date
from inspector_app.domain.enterprise import ResumptionStatus, resumption_after_visit
from inspector_app.domain.finding import FindingEventKind, RecheckResult
from inspector_app.domain.requests import REQUEST_CATEGORIES
from inspector_app.domain.visit import content_hash
from inspector_app.wire import EnterpriseEdit, FindingEventRecord, PushVisit, Role
from inspector_app.wire.models import DOCUMENT_SCHEMA, FILE_ANSWER_TYPES, referenced_files

SEED = 20200210
GRIDS = (
    ("宝龙一网格", "宝龙"),
    ("宝龙二网格", "宝龙"),
    ("园山工业网格", "园山"),
    ("龙岗建筑工地网格", "龙岗"),
    ("南湾居住区网格", "南湾"),
    ("坪地出租屋网格", "坪地"),
    ("横岗商业网格", "横岗"),
)
TEAMS = ("第一检查组", "第二检查组", "第三检查组", "第四检查组", "第五检查组")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "建华", "志强", "海燕", "国庆", "文博")
BRAND = "鑫华宏盛达丰泰隆恒兴通利源嘉永金瑞博"
TRADES = (
    ("精密五金制品", "金属制品业", "规上工业企业", "work-safety"),
    ("电子科技", "计算机、通信和其他电子设备制造业", "规上工业企业", "work-safety"),
    ("塑胶制品", "橡胶和塑料制品业", "规下企业", "fire-safety"),
    ("服装", "纺织服装、服饰业", "规下企业", "fire-safety"),
    ("建筑工程", "房屋建筑业", "建筑工地", "work-safety"),
    ("便利店", "零售业", "小档口", "three-small"),
    ("快餐店", "餐饮业", "小档口", "three-small"),
    ("网吧", "娱乐业", "小娱乐场所", "three-small"),
)
VENUE_TYPES = {"小档口": "shop", "小娱乐场所": "venue", "小作坊": "workshop"}
RESUMPTION_WAITING = {
    ResumptionStatus.FILED.value,
    ResumptionStatus.UNDER_REVIEW.value,
    ResumptionStatus.NEEDS_RECTIFICATION.value,
}
SUB_GROUPS = ("综合组", "惠企政策", "防疫指导", "困难协调")
REQUEST_TEXTS = (
    "复工后普工缺口约30人，希望协助对接劳务市场",
    "口罩仅够三天使用，请求协调采购渠道",
    "原材料运输车辆通行证办理缓慢",
    "希望了解疫情期间厂房租金减免政策",
    "咨询稳岗补贴申领条件",
)


@dataclass
class Media:
    """The demo's images, stored once, by sha256 with their sizes."""

    signatures: dict[str, int]
    scenes: dict[str, int]


@dataclass
class DemoSummary:
    enterprises: int
    visits: int
    findings: int
    users: list[tuple[str, str, str]]  # username, role, password

    def lines(self) -> list[str]:
        out = [
            f"示范办公室已建立：企业 {self.enterprises} 家，"
            f"检查记录 {self.visits} 条，隐患 {self.findings} 条"
        ]
        out += [f"  {u}（{r}）密码 {p}" for u, r, p in self.users]
        return out


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


def _scribble(rnd: random.Random) -> bytes:
    img = Image.new("RGB", (240, 90), "white")
    draw = ImageDraw.Draw(img)
    x, y = 14, 45
    for _ in range(14):
        nx, ny = min(226, x + rnd.randint(8, 22)), max(12, min(78, y + rnd.randint(-26, 26)))
        draw.line((x, y, nx, ny), fill=(20, 30, 80), width=3)
        x, y = nx, ny
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _scene(rnd: random.Random) -> bytes:
    """A plain picture standing in for a site photo: a wall, a doorway and a red extinguisher."""
    img = Image.new("RGB", (320, 240), (rnd.randint(170, 210), rnd.randint(170, 200), rnd.randint(150, 190)))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 170, 320, 240), fill=(120, 110, 100))
    x = rnd.randint(30, 200)
    draw.rectangle((x, 60, x + 70, 170), fill=(90, 70, 50))
    ex = rnd.randint(10, 280)
    draw.rectangle((ex, 120, ex + 18, 168), fill=(200, 30, 30))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _candidates(
    item: Item, key: str, rnd: random.Random, *, category: str, bad_rate: float, day: date, media: Media
) -> list[Any]:
    """Values an inspector would give this item, most likely first; the next ones are tried if the
    form's constraints refuse one (e.g. 隔离人数 at most 返岗人数)."""
    kind = item.type
    low = int(item.min) if item.min is not None else 0
    high = int(item.max) if item.max is not None else low + 300
    if kind is ItemType.COMPLIANCE:
        return ["N" if rnd.random() < bad_rate else "Y", "Y"]
    if kind is ItemType.YESNO:
        good = not item.bad_answer if item.bad_answer is not None else True
        return [(not good) if rnd.random() < bad_rate else good, good]
    if kind is ItemType.INTEGER:
        return [rnd.randint(low, min(high, low + 20)), low, min(high, max(low, 1))]
    if kind is ItemType.DECIMAL:
        return [f"{rnd.uniform(max(low, 3), min(high, max(low, 3) + 5)):.1f}", str(low), str(high)]
    if kind is ItemType.DATE:
        past, future = day - timedelta(days=rnd.randint(20, 160)), day + timedelta(days=rnd.randint(90, 900))
        return [past.isoformat(), future.isoformat(), day.isoformat()]
    if kind is ItemType.CHOICE:
        if key == "venue_type" and category in VENUE_TYPES:
            return [VENUE_TYPES[category]]
        return [c.value for c in item.choices]
    if kind is ItemType.MULTI:
        if item.tick_list:
            return [[rnd.choice(item.choices).value] if rnd.random() < bad_rate * 4 else [], []]
        return [[item.choices[0].value]] if item.choices else [[]]
    if kind is ItemType.TEXT:
        return [_person(rnd) if "人" in item.label.zh else "已现场核实，情况正常"]
    if kind is ItemType.PHOTOS:
        scenes = sorted(media.scenes)
        return [rnd.sample(scenes, min(len(scenes), max(low, 1)))]
    assert kind is ItemType.SIGNATURE
    return [rnd.choice(sorted(media.signatures))]


def _mostly_sound(
    form: Form,
    answers: dict[str, Any],
    ev: Evaluation,
    rnd: random.Random,
    *,
    category: str,
    bad_rate: float,
    day: date,
    media: Media,
) -> tuple[dict[str, Any], Evaluation]:
    """A finding that follows from a value (an expired certificate, fewer certified operators than
    operators) is kept only at the demo's rate of problems; otherwise another plausible value is
    chosen (another candidate, or a value of the same type given elsewhere on the form)."""
    chosen = {ItemType.COMPLIANCE, ItemType.MULTI, ItemType.YESNO}  # their rate is set when answered
    for key in sorted({d.item_key for d in ev.findings}):
        item = form.items.get(key)
        if item is None or item.type in chosen or key not in answers or rnd.random() < bad_rate:
            continue
        others = [v for k, v in answers.items() if k != key and form.items[k].type is item.type]
        alternatives = _candidates(item, key, rnd, category=category, bad_rate=bad_rate, day=day, media=media)
        for alt in [*alternatives, *others]:
            trial = {**answers, key: alt}
            again = evaluate(form, trial, category=category, today=day)
            if (
                not again.errors
                and not again.missing_required
                and key not in {d.item_key for d in again.findings}
            ):
                answers, ev = trial, again
                break
    return answers, ev


def _answer(
    form: Form, category: str, rnd: random.Random, bad_rate: float, *, day: date, media: Media
) -> tuple[dict[str, Any], dict[str, str], Evaluation]:
    """A complete record of ``form``, as the laptop would only let an inspector finish one: every
    visible compliance item and every visible required item answered, values within the form's
    constraints, evaluated on the visit's day by the checklist engine (as the server re-evaluates
    it). Returns the visible answers, which of them are files, and the evaluation."""
    answers: dict[str, Any] = {}
    tried: dict[str, list[Any]] = {}
    ev = evaluate(form, answers, category=category, today=day)
    for _round in range(4 * len(form.items) + 8):
        wanted = [
            k
            for k in form.eval_order or tuple(form.items)
            if k in ev.visible
            and not form.items[k].computed
            and k not in answers
            and (
                form.items[k].required or form.items[k].type is ItemType.COMPLIANCE or form.items[k].tick_list
            )
        ]
        for key in ev.errors:
            answers.pop(key, None)  # refused by a constraint: its next candidate is tried below
        wanted += [k for k in ev.errors if k not in wanted]
        if not wanted:
            break
        for key in wanted:
            if key not in tried:
                tried[key] = _candidates(
                    form.items[key], key, rnd, category=category, bad_rate=bad_rate, day=day, media=media
                )
            if tried[key]:
                answers[key] = tried[key].pop(0)
        ev = evaluate(form, answers, category=category, today=day)
    if ev.errors or ev.missing_required:
        raise admin.AdminError(f"示范数据无法填完检查表 {form.code}：{ev.errors or ev.missing_required}")
    answers, ev = _mostly_sound(
        form, answers, ev, rnd, category=category, bad_rate=bad_rate, day=day, media=media
    )
    values = {k: v for k, v in ev.values.items() if k in ev.visible}
    file_answers = {
        k: form.items[k].type.value
        for k, v in values.items()
        if v is not None and form.items[k].type.value in FILE_ANSWER_TYPES
    }
    return values, file_answers, ev


def create(
    db: Database,
    files: FileStore,
    *,
    password: str = "demo-pass-2026",  # noqa: S107 - the demo accounts' documented password
    days: int = 35,
) -> DemoSummary:
    rnd = random.Random(SEED)
    today = local_date(auth.now_utc())
    library = FormLibrary.load(default_forms_dir())
    with db.write() as conn:
        if conn.execute(select(func.count()).select_from(t.visits)).scalar_one():
            raise admin.AdminError("数据库中已有检查记录：示范数据只能建在新的办公室数据库中")
        for path in form_files([default_forms_dir()]):
            code, version, _new = admin.publish_form(conn, path)
            audit.record(conn, audit.FORM_PUBLISHED, actor=audit.LOCAL_ACTOR, subject=f"{code}@{version}")
        users = _people(conn, password)
        ents = _enterprises(conn, rnd)
        audit.record(
            conn,
            audit.REGISTER_IMPORTED,
            actor=audit.LOCAL_ACTOR,
            subject="示范名录",
            detail=f"新增 {len(ents)}",
        )
        for name in SUB_GROUPS:
            insert_ignore(
                conn, t.console_sub_groups, [{"name": name, "created_at": auth.now_utc()}], "name"
            )
    media = _media(db, files, rnd, users)
    forms = {
        code: library.get(code)
        for code in ("work-safety", "fire-safety", "three-small", "recheck", "epidemic-resumption")
    }
    visits = findings = 0
    open_findings: list[dict[str, Any]] = []
    last_seen: dict[str, date] = {}
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue  # Sundays off
        with db.write() as conn:
            for team_index, team in enumerate(TEAMS):
                p = users[team]
                mine = [e for e in ents if e["team_index"] == team_index]
                for n, ent in enumerate(_todays_round(rnd, mine, last_seen)):
                    last_seen[ent["code"]] = day
                    doc = _inspection(rnd, forms, ent, p, day=day, n=n, media=media)
                    findings += len(doc["findings"])
                    open_findings += [
                        {**f, "code": ent["code"], "name": ent["name"], "category": ent["category"]}
                        | {"team": team, "visit_id": doc["id"]}
                        for f in doc["findings"]
                    ]
                    _push(conn, p, doc, media)
                    visits += 1
                waiting = [e for e in mine if e["status"] in RESUMPTION_WAITING]
                for n, ent in enumerate(rnd.sample(waiting, min(len(waiting), rnd.randint(0, 2)))):
                    doc = _resumption(
                        rnd, forms["epidemic-resumption"], ent, p, day=day, n=12 + n, media=media
                    )
                    _push(conn, p, doc, media)
                    visits += 1
                due = [
                    f for f in open_findings if f["team"] == team and date.fromisoformat(f["deadline"]) <= day
                ]
                for n, group in enumerate(_by_enterprise(due)[: rnd.randint(2, 5)]):
                    passed = [f for f in group if rnd.random() < 0.8]
                    doc = _recheck(rnd, forms["recheck"], group, passed, p, day=day, n=n, media=media)
                    _push(conn, p, doc, media)
                    visits += 1
                    done = {f["id"] for f in group}
                    open_findings = [f for f in open_findings if f["id"] not in done or f not in passed]
                    open_findings = [f for f in open_findings if f["id"] not in {g["id"] for g in passed}]
            _report_fixes(conn, rnd, users, open_findings, day)
            _audit_day(conn, rnd, users, day)
    with db.write() as conn:
        _conflicting_edits(conn, users, ents)
        _refused_visit(conn, rnd, forms["work-safety"], ents=ents, users=users, today=today, media=media)
        _laptops_report_forms(conn, library, users)
        _authority(conn)
    return DemoSummary(
        len(ents),
        visits,
        findings,
        [
            ("admin", "管理员", password),
            ("office", "办公室", password),
            ("viewer", "只读", password),
            ("leader1", "第一检查组组长", password),
        ],
    )


def _media(db: Database, files: FileStore, rnd: random.Random, users: dict[str, auth.Principal]) -> Media:
    """The signatures and scene photos the demo's visits cite, stored as uploads would store them."""
    media = Media({}, {})
    with db.write() as conn:
        for kind, images in (
            ("signatures", [_scribble(rnd) for _ in range(8)]),
            ("scenes", [_scene(rnd) for _ in range(6)]),
        ):
            for data in images:
                sha = hashlib.sha256(data).hexdigest()
                getattr(media, kind)[sha] = len(data)
                files.put_whole(sha, data)
                # Every demo inspector cites these images, so each one holds them (as an upload would).
                for holder in users.values():
                    register_file(conn, sha, len(data), auth.now_utc(), holder.user_id)
    return media


def _cadence(grid_index: int) -> int:
    """Rounds a week: twice for the street's first grid (its key enterprises), once elsewhere."""
    return 2 if grid_index == 0 else 1


def _todays_round(
    rnd: random.Random, mine: list[dict[str, Any]], last_seen: dict[str, date]
) -> list[dict[str, Any]]:
    """A team's inspections of the day: its worklist's week of rounds (each enterprise's cadence)
    spread over six working days, a little short or over, those seen longest ago first."""
    week = sum(int(e["cadence"]) for e in mine)
    count = min(len(mine), max(1, round(week / 6 * rnd.uniform(0.85, 1.05))))
    order = sorted(mine, key=lambda e: (last_seen.get(e["code"], date.min), rnd.random()))
    return order[:count]


def _by_enterprise(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in items:
        groups.setdefault(f["code"], []).append(f)
    return list(groups.values())


def _authority(conn: Connection) -> None:
    """The office's issuing authority, so the demo prints complete documents and its 日报."""
    from inspector_app.central.console.documents import save_authority  # it imports the routes

    save_authority(conn, EXAMPLE_AUTHORITY, None)


def _laptops_report_forms(conn: Connection, library: FormLibrary, users: dict[str, auth.Principal]) -> None:
    """What each leader's laptop reported with its last pull (as a real pull records it): all hold
    the published versions but the last team's, which has not upgraded its fire-safety form yet."""
    held = {f.code: f.version for f in library.latest()}
    for i, p in enumerate(users.values()):
        mine = dict(held)
        if i == len(users) - 1 and "fire-safety" in mine:
            mine["fire-safety"] = "2026.1"
        device_forms.record(conn, p, mine, auth.now_utc(), device_name=f"{p.display_name}的笔记本")


def _people(conn: Connection, password: str) -> dict[str, auth.Principal]:
    admin.add_user(conn, "admin", password, Role.ADMIN, display_name="系统管理员", badge_number="A0001")
    # The console's own accounts: no laptop, no team, no badge (the sync API refuses them).
    admin.add_user(conn, "office", password, Role.OFFICE, display_name="安监办 何敏")
    admin.add_user(conn, "viewer", password, Role.VIEWER, display_name="指挥部 罗军")
    out: dict[str, auth.Principal] = {}
    rnd = random.Random(SEED + 1)
    for i, team in enumerate(TEAMS, start=1):
        admin.ensure_team(conn, team)
        badge = f"44030{i}0001"
        leader_name = _person(rnd)
        admin.add_user(
            conn,
            f"leader{i}",
            password,
            Role.LEADER,
            team=team,
            display_name=leader_name,
            badge_number=badge,
        )
        for j in range(2, 4):
            admin.add_user(
                conn,
                f"inspector{i}{j}",
                password,
                Role.INSPECTOR,
                team=team,
                display_name=_person(rnd),
                badge_number=f"44030{i}000{j}",
            )
        uid = conn.execute(select(t.users.c.id).where(t.users.c.username == f"leader{i}")).scalar_one()
        out[team] = auth.Principal(int(uid), f"leader{i}", leader_name, badge, Role.LEADER, team, 0, "demo")
    return out


def _enterprises(conn: Connection, rnd: random.Random) -> list[dict[str, Any]]:
    now = auth.now_utc()
    rows, out = [], []
    for i in range(240):
        grid, area = GRIDS[i % len(GRIDS)]
        word, industry, category, form = rnd.choice(TRADES)
        code = credit_code.complete("91440300" + "".join(rnd.choice(credit_code.ALPHABET) for _ in range(9)))
        name = f"深圳市{area}{rnd.choice(BRAND)}{rnd.choice(BRAND)}{word}有限公司"
        status = rnd.choices(list(ResumptionStatus), weights=[10, 8, 5, 10, 4, 55, 3])[0]
        rows.append(
            {
                "credit_code": code,
                "name": name,
                "address": f"深圳市龙岗区{area}街道工业大道{rnd.randint(1, 388)}号",
                "grid": grid,
                "category": category,
                "industry": industry,
                "size_class": "",
                "legal_representative": _person(rnd),
                "contact": _person(rnd),
                "phone": f"139{rnd.randint(10_000_000, 99_999_999)}",
                "staff_total": rnd.randint(5, 300),
                "staff_on_site": None,
                "resumption_status": status.value,
                "extra_json": "{}",
                "version": 1,
                "updated_at": now,
            }
        )
        out.append(
            {
                "code": code,
                "name": name,
                "category": category,
                "form": form,
                "team_index": (i % len(GRIDS)) % len(TEAMS),
                "cadence": _cadence(i % len(GRIDS)),
                "status": status.value,
                "phone": rows[-1]["phone"],
            }
        )
    conn.execute(t.enterprises.insert(), rows)
    for grid_index, (grid, _area) in enumerate(GRIDS):
        team = TEAMS[grid_index % len(TEAMS)]
        admin.add_grid(conn, grid, None)
        conn.execute(t.grids.update().where(t.grids.c.name == grid).values(team=team))
        ids = list(conn.execute(select(t.enterprises.c.id).where(t.enterprises.c.grid == grid)).scalars())
        admin.assign(conn, team, [int(i) for i in ids], _cadence(grid_index))
    return out


def _moment(day: date, n: int) -> tuple[str, str]:
    """Office hours on the local clock; today's visits all finished before now."""
    start = datetime.combine(day, time(8, 30)).astimezone() + timedelta(minutes=17 * n)
    now = auth.now_utc().astimezone()
    if start + timedelta(minutes=25) > now:
        start = now - timedelta(minutes=30 + 7 * n)
    start = start.replace(microsecond=0)
    return start.isoformat(), (start + timedelta(minutes=25)).isoformat()


def _base(
    ent_code: str,
    ent_name: str,
    form: Form,
    p: auth.Principal,
    *,
    day: date,
    n: int,
    media: Media,
    rnd: random.Random,
) -> dict[str, Any]:
    started, completed = _moment(day, n)
    sig_a, sig_b = rnd.sample(sorted(media.signatures), 2)
    return {
        "schema": DOCUMENT_SCHEMA,
        "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
        "kind": form.kind.value,
        "enterprise": {"credit_code": ent_code, "name": ent_name},
        "form": {"code": form.code, "version": form.version},
        "inspectors": [p.badge_number, p.badge_number[:-1] + "2"],
        "place": "企业生产经营场所",
        "started_at": started,
        "completed_at": completed,
        "answers": {},
        "findings": [],
        "recheck": [],
        "photos": [],
        "requests": [],
        "signatures": [
            {"role": "检查人员", "signer": p.display_name, "sha256": sig_a, "refused_reason": ""},
            {"role": "企业负责人", "signer": _person(rnd), "sha256": sig_b, "refused_reason": ""},
        ],
        "manifest": [],
    }


def _inspection(
    rnd: random.Random,
    forms: dict[str, Form],
    ent: dict[str, Any],
    p: auth.Principal,
    *,
    day: date,
    n: int,
    media: Media,
) -> dict[str, Any]:
    form = forms[ent["form"]]
    doc = _base(ent["code"], ent["name"], form, p, day=day, n=n, media=media, rnd=rnd)
    doc["answers"], doc["file_answers"], ev = _answer(form, ent["category"], rnd, 0.035, day=day, media=media)
    doc["outcome"] = ev.outcome
    for draft in ev.findings:
        deadline = day + timedelta(days=draft.deadline_days or 0)
        doc["findings"].append(
            {
                "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                "item_key": draft.item_key,
                "option": draft.option or "",
                "title": draft.title,
                "severity": draft.severity.value,
                "description": draft.description,
                "rectification": draft.rectification,
                "order": draft.order.value,
                "deadline": deadline.isoformat(),
                "found_on": day.isoformat(),
                "legal_basis": draft.legal_basis,
                "photos": [rnd.choice(sorted(media.scenes))] if rnd.random() < 0.6 else [],
            }
        )
    if rnd.random() < 0.08:
        cat = rnd.choice(REQUEST_CATEGORIES[:6])
        doc["requests"].append(
            {
                "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                "category": cat,
                "description": rnd.choice(REQUEST_TEXTS),
            }
        )
    return doc


def _recheck(
    rnd: random.Random,
    form: Form,
    group: list[dict[str, Any]],
    passed: list[dict[str, Any]],
    p: auth.Principal,
    *,
    day: date,
    n: int,
    media: Media,
) -> dict[str, Any]:
    doc = _base(group[0]["code"], group[0]["name"], form, p, day=day, n=20 + n, media=media, rnd=rnd)
    ok = {f["id"] for f in passed}
    doc["recheck"] = [
        {
            "finding_id": f["id"],
            "result": (RecheckResult.RECTIFIED if f["id"] in ok else RecheckResult.NOT_RECTIFIED).value,
            "note": "" if f["id"] in ok else "仍未整改，责令限期完成",
            "new_deadline": None if f["id"] in ok else (day + timedelta(days=5)).isoformat(),
            "photo": None,
        }
        for f in group
    ]
    doc["answers"], doc["file_answers"], ev = _answer(
        form, group[0]["category"], rnd, 0.0, day=day, media=media
    )
    doc["outcome"] = ev.outcome
    for f in group:
        if f["id"] not in ok:
            f["deadline"] = (day + timedelta(days=5)).isoformat()
    return doc


def _push(conn: Connection, p: auth.Principal, doc: dict[str, Any], media: Media) -> None:
    _seal(doc, media)
    (result,) = push.push_visits(
        conn,
        p,
        [PushVisit(id=doc["id"], content_hash=doc["content_hash"], document=doc)],
        auth.now_utc(),
        None,
    )
    if result.status.value not in {"accepted", "exists"}:
        raise admin.AdminError(f"示范检查记录未被接受：{result.reason}")


def _seal(doc: dict[str, Any], media: Media) -> None:
    """The manifest by the rule the laptop and the server share (every file the document cites),
    then the content hash, as the laptop freezes a completed visit."""
    doc["manifest"] = [
        {"sha256": sha, "size": media.signatures[sha], "mime": "image/png", "kind": "signature"}
        if sha in media.signatures
        else {"sha256": sha, "size": media.scenes[sha], "mime": "image/jpeg", "kind": "photo"}
        for sha in sorted(referenced_files(doc))
    ]
    doc["content_hash"] = content_hash(doc)


def _report_fixes(
    conn: Connection,
    rnd: random.Random,
    users: dict[str, auth.Principal],
    open_findings: list[dict[str, Any]],
    day: date,
) -> None:
    """Some enterprises report a fix before the re-inspection (a finding event, not a visit)."""
    for f in open_findings:
        if not f.get("reported") and rnd.random() < 0.06:
            f["reported"] = True
            at = datetime.combine(day, time(16, 0), tzinfo=UTC)
            (result,) = follow_ups.push_finding_events(
                conn,
                users[f["team"]],
                [
                    FindingEventRecord(
                        id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                        finding_id=f["id"],
                        kind=FindingEventKind.REPORTED_RECTIFIED,
                        visit_id=f["visit_id"],
                        at=at,
                        note="企业报告已整改",
                    )
                ],
                auth.now_utc(),
            )
            if result.status.value not in {"accepted", "exists"}:
                raise admin.AdminError(f"示范隐患跟进未被接受：{result.reason}")


def _resumption(
    rnd: random.Random, form: Form, ent: dict[str, Any], p: auth.Principal, *, day: date, n: int, media: Media
) -> dict[str, Any]:
    """A 复工核查: the server moves the enterprise's status by the domain's rule when it stores it."""
    doc = _base(ent["code"], ent["name"], form, p, day=day, n=n, media=media, rnd=rnd)
    doc["answers"], doc["file_answers"], ev = _answer(form, ent["category"], rnd, 0.02, day=day, media=media)
    doc["outcome"] = ev.outcome
    new = resumption_after_visit(ResumptionStatus(ent["status"]), form.code, ev.outcome)
    ent["status"] = new.value
    return doc


def _conflicting_edits(
    conn: Connection, users: dict[str, auth.Principal], ents: list[dict[str, Any]]
) -> None:
    """Two phone numbers corrected on site after the office had changed them: for the reviewers."""
    for ent in ents[:2]:
        team = TEAMS[ent["team_index"]]
        edits.push_edits(
            conn,
            users[team],
            [
                EnterpriseEdit(
                    id=f"demo/{ent['code']}/phone",
                    credit_code=ent["code"],
                    field="phone",
                    old_value="0755-28900000",
                    new_value="0755-28" + ent["phone"][-6:],
                    base_version=1,
                    changed_at=auth.now_utc(),
                    changed_by=users[team].username,
                )
            ],
            auth.now_utc(),
        )


def _refused_visit(
    conn: Connection,
    rnd: random.Random,
    form: Form,
    *,
    ents: list[dict[str, Any]],
    users: dict[str, auth.Principal],
    today: date,
    media: Media,
) -> None:
    """A record from a laptop whose answers fall short of the published form (a required item left
    out): the server refuses it, and the reviewers see it with its reason."""
    ent = next(e for e in ents if e["form"] == form.code)
    p = users[TEAMS[ent["team_index"]]]
    doc = _base(ent["code"], ent["name"], form, p, day=today, n=3, media=media, rnd=rnd)
    answers, doc["file_answers"], ev = _answer(form, ent["category"], rnd, 0.0, day=today, media=media)
    required = [
        k for k in answers if form.items[k].required and form.items[k].type is not ItemType.COMPLIANCE
    ]
    doc["answers"] = {k: v for k, v in answers.items() if k != required[0]}
    doc["file_answers"] = {k: v for k, v in doc["file_answers"].items() if k in doc["answers"]}
    doc["outcome"] = ev.outcome
    _seal(doc, media)
    (result,) = push.push_visits(
        conn,
        p,
        [PushVisit(id=doc["id"], content_hash=doc["content_hash"], document=doc)],
        auth.now_utc(),
        None,
    )
    if result.status.value != "rejected":
        raise admin.AdminError("示范的不完整检查记录应被拒收")


def _audit_day(conn: Connection, rnd: random.Random, users: dict[str, auth.Principal], day: date) -> None:
    """The audit trail of a field day as the server writes it: each team's laptop signs in and
    pushes at the end of the day; now and then someone mistypes a password first."""
    for i, (team, p) in enumerate(users.items(), start=1):
        at = datetime.combine(day, time(17, 20)).astimezone().astimezone(UTC) + timedelta(minutes=3 * i)
        address = f"10.20.{i}.{11 + i}"
        if at > auth.now_utc():
            continue
        if rnd.random() < 0.08:
            audit.record(
                conn,
                audit.LOGIN_FAILED,
                ok=False,
                subject=p.username,
                address=address,
                detail="密码错误",
                at=at,
            )
        audit.record_own(conn, audit.LOGIN, p.username, address=address, detail=f"{team} 笔记本", at=at)
        audit.record(
            conn,
            audit.PUSH,
            actor=p.username,
            address=address,
            detail="POST /api/v1/push → 200",
            at=at + timedelta(minutes=1),
        )
