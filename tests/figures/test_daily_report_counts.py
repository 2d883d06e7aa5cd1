"""The office's 日报 counts findings and documents in SQL, alike rows grouped with their count; what
it prints must equal the definitions (domain.figures) applied to every visit and finding one by one.

The read model is filled with every kind of row the figures tell apart: the four forms, inspections
and re-inspections, the three orders, 一般 and 重大 findings open, closed in and after the period,
overdue ones, an enterprise visited and since removed from the register, and two epidemic checks of
one enterprise on its latest day.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector_app.central.console.daily_report import summary_data
from inspector_app.central.console.figures import Scope
from inspector_app.central.db import migrate
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain import credit_code
from inspector_app.domain import figures as d
from inspector_app.domain.enforcement import DOC_SPECS, FindingFacts, documents_for_visit, domain_of
from inspector_app.reports.data import Issuer
from inspector_app.wire import Role

FORMS = ("work-safety", "fire-safety", "three-small", "epidemic-resumption")
ORDERS = ("立即整改", "限期整改", "当场整改完毕")
LAST = date(2026, 11, 30)
FIRST = date(2026, 11, 24)


def seed(db: Database, rnd: random.Random) -> None:
    now = datetime.now(UTC)
    with db.write() as conn:
        admin.add_user(conn, "admin", "daily-report-pass-1", Role.ADMIN, badge_number="A1")
        uid = conn.execute(select(t.users.c.id)).scalar_one()
        codes = [credit_code.complete(f"9144030{i:010d}") for i in range(40)]
        conn.execute(
            t.enterprises.insert(),
            [
                {
                    "credit_code": code,
                    "name": f"测试企业{i}",
                    "address": "",
                    "grid": f"网格{i % 4}",
                    "category": ("规上工业企业", "建筑工地", "小档口", "规下企业")[i % 4],
                    "industry": "",
                    "size_class": "",
                    "legal_representative": "",
                    "contact": "",
                    "phone": "",
                    "resumption_status": rnd.choice(("已复工", "核查通过", "未复工")),
                    "extra_json": "{}",
                    "version": 1,
                    "updated_at": now,
                }
                for i, code in enumerate(codes[:-1])  # the last one was visited, then removed
            ],
        )
        v_rows, cv_rows, vi_rows, f_rows = [], [], [], []
        for n in range(600):
            code = codes[n % len(codes)]
            form = FORMS[n % 4]
            day = LAST - timedelta(days=rnd.randrange(20))
            if n == 0 or n == 4:  # two epidemic checks of one enterprise on its latest day
                code, form, day = codes[0], "epidemic-resumption", LAST
            recheck = rnd.random() < 0.2
            vid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            team = f"第{n % 3 + 1:02d}检查组"
            answers = {"daily_report": rnd.choice("YN"), "staff_isolated": rnd.randrange(5)}
            v_rows.append(
                {
                    "id": vid,
                    "content_hash": "0" * 64,
                    "document_json": json.dumps({"answers": answers if form == FORMS[3] else {}}),
                    "enterprise_code": code,
                    "form_code": form,
                    "form_version": "1",
                    "team": team,
                    "pushed_by": uid,
                    "completed_at_client": day.isoformat(),
                    "pushed_at": now,
                    "received_at": now,
                }
            )
            findings = 0 if recheck else rnd.choice((0, 1, 2, 3))
            cv_rows.append(
                {
                    "visit_id": vid,
                    "enterprise_code": code,
                    "team": team,
                    "grid": f"网格{n % 4}",
                    "category": "",
                    "form_code": "recheck" if recheck else form,
                    "kind": "recheck" if recheck else "inspection",
                    "outcome": "",
                    "visit_day": day,
                    "completed_at": f"{day.isoformat()}T{8 + n // 60:02d}:{n % 60:02d}:00+08:00",
                    "inspectors": "、".join(f"{team}-{k}" for k in range(rnd.randrange(1, 3))),
                    "findings": findings,
                }
            )
            for k in range(rnd.randrange(1, 3)):
                vi_rows.append(
                    {"visit_id": vid, "badge_number": f"{team}-{k}", "visit_day": day, "team": team}
                )
            for _ in range(findings):
                order = rnd.choice(ORDERS)
                closed = (
                    day
                    if order == "当场整改完毕"
                    else rnd.choice((None, day + timedelta(days=rnd.randrange(12))))
                )
                f_rows.append(
                    {
                        "finding_id": str(uuid.uuid4()),
                        "visit_id": vid,
                        "enterprise_code": code,
                        "team": team,
                        "grid": f"网格{n % 4}",
                        "severity": rnd.choice(("一般", "一般", "重大")),
                        "title": rnd.choice(("消防通道堵塞", "灭火器过期", "未戴口罩")),
                        "order_kind": order,
                        "found_on": day,
                        "deadline": day + timedelta(days=rnd.randrange(0, 10)),
                        "status": "open" if closed is None else "closed",
                        "rectified_on": closed,
                        "closed_on": closed,
                        "closed_by_visit": None,
                    }
                )
        conn.execute(t.visits.insert(), v_rows)
        conn.execute(t.console_visits.insert(), cv_rows)
        conn.execute(t.console_visit_inspectors.insert(), vi_rows)
        conn.execute(t.console_findings.insert(), f_rows)


def one_by_one(db: Database, scope: Scope) -> tuple[tuple[d.Figure, ...], int, int, int]:
    """The street figures, 发现隐患 and 销号 of the period and the overdue count, reading every
    visit and finding of the read model as it stands."""
    with db.read() as conn:
        ents = conn.execute(select(t.enterprises)).all()
        visits = conn.execute(select(t.console_visits).order_by(t.console_visits.c.completed_at)).all()
        findings = conn.execute(select(t.console_findings)).all()
        docs = dict(conn.execute(select(t.visits.c.id, t.visits.c.document_json)).all())
    ids = {e.credit_code: e.id for e in ents}
    for v in visits:
        ids.setdefault(v.enterprise_code, -len(ids) - 1)
    form_of = {v.visit_id: v.form_code for v in visits}
    facts = defaultdict(list)
    for f in findings:
        facts[f.visit_id].append(FindingFacts(f.order_kind, f.severity == "重大"))
    street = d.street_figures(
        [
            d.EnterpriseRow(e.id, e.category, e.resumption_status, e.staff_total, e.staff_on_site)
            for e in ents
        ],
        [
            d.VisitRow(
                ids[v.enterprise_code],
                v.visit_day,
                v.kind == "recheck",
                v.form_code,
                len(v.inspectors.split("、")),
                json.loads(docs[v.visit_id])["answers"],
            )
            for v in visits
        ],
        [
            d.FindingRow(
                f.found_on,
                f.severity == "重大",
                f.order_kind,
                f.deadline,
                f.closed_on,
                f.severity == "重大" and form_of[f.visit_id] in ("fire-safety", "three-small"),
            )
            for f in findings
        ],
        [
            d.DocumentRow(DOC_SPECS[kind].title, v.visit_day)
            for v in visits
            for kind in documents_for_visit(
                domain_of(v.form_code), facts[v.visit_id], recheck=v.kind == "recheck"
            )
        ],
        first=scope.start,
        last=scope.end,
    )
    found = [f for f in findings if scope.start <= f.found_on <= scope.end]
    closed = [f for f in found if d.closed_by(f.closed_on, scope.end)]
    overdue = [f for f in findings if d.overdue_on(f.closed_on, f.deadline, f.order_kind, scope.end)]
    return street, len(found), len(closed), len(overdue)


@pytest.mark.parametrize("first", [LAST, FIRST, LAST - timedelta(days=40)], ids=["day", "week", "season"])
def test_the_daily_report_counts_as_the_definitions_do_row_by_row(tmp_path: Path, first: date) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    migrate.upgrade(url)
    db = Database(url)
    seed(db, random.Random(15))
    scope = Scope(first, LAST)
    street, found, closed, overdue = one_by_one(db, scope)
    with db.read() as conn:
        data = summary_data(conn, scope, issuer=Issuer("宝龙街道办事处"), now=datetime.now().astimezone())
    db.dispose()
    assert data.street == street
    assert (data.findings_found, data.findings_closed) == (found, closed) and found > 0 and closed > 0
    assert len(data.overdue) == overdue > 0
    by_label = {(f.label, f.unit): f for f in street}
    # The seed reaches every figure the grouping could get wrong.
    assert by_label[("涉嫌重大火灾隐患待集体讨论判定", "项")].cumulative
    assert by_label[("复查", "家次")].cumulative and by_label[("当场整改完毕", "项")].cumulative
    assert by_label[("落实日报告企业", "家")].cumulative is not None
    assert any(f.label.startswith("　其中") for f in street)
