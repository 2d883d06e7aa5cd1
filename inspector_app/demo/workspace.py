"""Making a realistic demo workspace, the same every run (fixed seed): for training, screenshots
and trying the app.

Dates are counted back from the day it is made, so "overdue" and "due today" look as they would in
the field; everything else (names, codes, who visits whom, which answers fail) comes from the seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import func, select
from sqlmodel import col

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.demo.answers import answer_all
from inspector_app.demo.images import scene_jpeg, seal_png, signature_png
from inspector_app.demo.seed import (
    DEMO_AUTHORITY,
    FORM_BY_CATEGORY,
    GRIDS,
    ON_SPOT_NOTES,
    REQUEST_TEXTS,
    SEED,
    TEAMS,
    demo_enterprises,
    person,
    site_people_of,
)
from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.domain.enterprise import Enterprise
from inspector_app.domain.finding import Order, RecheckResult, Severity
from inspector_app.domain.requests import REQUEST_CATEGORIES
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services import settings, site_people
from inspector_app.services.errors import ServiceError
from inspector_app.services.visits import RECHECK_FORM, VisitService
from inspector_app.store import attachments, organisation, tables
from inspector_app.store import enterprises as store
from inspector_app.store.workspace import Workspace


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
                seal_png(DEMO_AUTHORITY.issuing_unit),
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
                organisation.upsert_grid(conn, grid, kind=kind, sort_order=order)
            organisation.ensure_categories(conn, sorted({e.category for e in enterprises}))
            serial = 12345
            for team, leader in TEAMS:
                organisation.upsert_team(conn, team, leader=leader)
                members = [leader] + [person(rnd) for _ in range(rnd.randint(2, 3))]
                for position, name in enumerate(members):
                    badge = f"440300{serial:05d}"
                    serial += rnd.randint(1, 40)
                    role = "leader" if position == 0 else "inspector"
                    organisation.upsert_inspector(conn, badge, name, team=team, role=role)
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
                organisation.set_assignment(
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
                answer_all(
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

    @staticmethod
    def _fix_on_the_spot(visits: VisitService, vid: str, rnd: random.Random) -> None:
        """Most 立即整改 findings are put right while the inspectors are there: recorded as 当场整改完毕
        with a photo of the corrected state, so they are closed rather than overdue the next day."""
        for f in visits.snapshot(vid).findings:
            if f.order is Order.IMMEDIATE and f.severity is not Severity.MAJOR and rnd.random() < 0.75:
                visits.add_photo(vid, scene_jpeg(rnd), finding_id=f.id, name="整改后.jpg")
                visits.update_finding(
                    f.id, order=Order.ON_SITE_FIXED, rectification=rnd.choice(ON_SPOT_NOTES)
                )

    def _sign(
        self, visits: VisitService, vid: str, pair: list[str], contact: str, category: str = ""
    ) -> None:
        for badge in pair:
            name = self.names.get(badge, "")
            visits.sign(vid, inspector_role(badge), name or badge, signature_png(badge))
        visits.sign(vid, ENTERPRISE_ROLE, contact or "企业负责人", signature_png("ent"))
        site_people.save(self.workspace, vid, site_people_of(vid, contact, category))

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
        answer_all(visits=visits, vid=vid, form=form, failing=set(), rnd=rnd, clock=clock)
        self._sign(visits, vid, pair, contact)
        visits.complete(vid)
        return closed
