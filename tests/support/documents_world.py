"""A workspace with real visits made through the visit service, on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.domain import credit_code
from inspector_app.domain.finding import RecheckResult
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services import site_people
from inspector_app.services.context import AppServices
from inspector_app.services.report_data import Reporter
from inspector_app.services.site_people import SitePeopleInput
from inspector_app.store import tables
from tests.support.clock import FakeClock
from tests.support.images import jpeg, signature_png

FORMS = Path(__file__).parent / "fixtures" / "documents" / "forms"
BADGES = ("44030012345", "44030012346", "44030099999")
CODES = [credit_code.complete(f"9144030{n:010d}") for n in range(1, 4)]


@dataclass
class World:
    app: AppServices
    clock: FakeClock
    root: Path

    def reporter(self) -> Reporter:
        return Reporter(self.app.workspace, self.app.forms)

    def inspect(
        self,
        code: str = CODES[0],
        *,
        bad: tuple[str, ...] = ("exits", "ledger"),
        photos: int = 1,
        refuse: bool = False,
        request: str | None = "复工后缺少熟练工约30人，希望协助对接人力资源市场",
        badges: tuple[str, ...] = BADGES[:2],
        note: str = "",
        people: SitePeopleInput | None = None,
    ) -> str:
        v = self.app.visits
        vid, _ = v.start(code, "report-site", list(badges))
        for key in ("exits", "extinguishers", "ledger", "drills"):
            result = v.answer(vid, key, "N" if key in bad else "Y")
            for fid in result.new_findings:
                for k in range(photos):
                    v.add_photo(
                        vid,
                        jpeg(color=["#3A7", "#A73", "#37A"][k % 3], orientation=6 if k else 1),
                        finding_id=fid,
                    )
        v.answer(vid, "extinguisher_count", 6)
        if note:
            v.answer(vid, "note", note)
        if request:
            v.record_request(vid, "用工招聘", request)
        names = {BADGES[0]: "张伟", BADGES[1]: "李娜", BADGES[2]: "王强"}
        for b in badges:
            v.sign(vid, inspector_role(b), names[b], signature_png())
        if refuse:
            v.sign(vid, ENTERPRISE_ROLE, "陈志强", refused_reason="负责人认为问题已整改，拒绝签名")
        else:
            v.sign(vid, ENTERPRISE_ROLE, "陈志强", signature_png())
        if people is not None:
            site_people.save(self.app.workspace, vid, people)
        self.clock.advance(minutes=95)
        v.complete(vid)
        self.clock.advance(minutes=30)
        return vid

    def recheck(self, code: str = CODES[0], *, fail: int = 1) -> str:
        v = self.app.visits
        vid, _ = v.start_recheck(code, list(BADGES[:2]))
        targets = v.snapshot(vid).recheck_findings
        for n, f in enumerate(targets):
            if n < fail:
                v.mark_finding(
                    vid,
                    f.id,
                    RecheckResult.NOT_RECTIFIED,
                    note="仅部分整改",
                    new_deadline=self.clock().date() + timedelta(days=7),
                )
            else:
                v.mark_finding(vid, f.id, RecheckResult.RECTIFIED, note="已清理完毕")
        v.answer(vid, "opinion", "部分整改")
        for b, name in zip(BADGES[:2], ("张伟", "李娜"), strict=True):
            v.sign(vid, inspector_role(b), name, signature_png())
        v.sign(vid, ENTERPRISE_ROLE, "陈志强", signature_png())
        self.clock.advance(minutes=40)
        v.complete(vid)
        return vid


def seed(app: AppServices, when: datetime) -> None:
    with app.workspace.session() as s:
        for g in ("工业一区", "居住二区"):
            s.add(tables.Grid(name=g))
        for c in ("规上工业企业", "小档口"):
            s.add(tables.Category(name=c))
        s.add(tables.Team(name="第一检查组"))
        s.add(tables.Team(name="第二检查组"))
        s.flush()
        s.add(tables.Inspector(badge_number=BADGES[0], name="张伟", team="第一检查组"))
        s.add(tables.Inspector(badge_number=BADGES[1], name="李娜", team="第一检查组"))
        s.add(tables.Inspector(badge_number=BADGES[2], name="王强", team="第二检查组"))
        names = ["深圳市珺玥精密五金制品有限公司", "福永凤凰便利店", "宝安区新桥小食店"]
        for n, code in enumerate(CODES):
            ent = tables.Enterprise(
                credit_code=code,
                name=names[n],
                address=f"福永街道凤凰第{n + 3}工业区A栋",
                grid="工业一区" if n == 0 else "居住二区",
                category="规上工业企业" if n == 0 else "小档口",
                legal_representative="陈志强",
                phone="13800138000",
                updated_at=when,
            )
            s.add(ent)
            s.flush()
            assert ent.id is not None
            s.add(
                tables.Assignment(
                    enterprise_id=ent.id,
                    team="第一检查组" if n < 2 else "第二检查组",
                    assigned_on=date(2026, 3, 1),
                )
            )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FakeClock(datetime(2026, 3, 2, 1, 5, tzinfo=UTC))
    app = AppServices.open(tmp_path / "ws", forms_dir=FORMS, clock=clock, account="张伟")
    seed(app, clock())
    yield World(app=app, clock=clock, root=tmp_path / "ws")
    app.close()
