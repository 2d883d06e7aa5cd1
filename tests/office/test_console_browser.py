"""The office console in a real browser: what an office worker does, on a demo office.

Figures are checked against a scan of the stored visit documents (not the read model the console
counts from), so a projection that drifts from the documents fails here. Set
CONSOLE_SCREENSHOTS=DIR to also save a 1366×768 screenshot of every page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from inspector_app.central.console import figures
from inspector_app.central.db import tables as t
from inspector_app.central.logic.auth import now_utc
from inspector_app.domain.clock import local_date
from inspector_app.register.search_text import pinyin_forms
from tests.support.console import PASSWORD
from tests.support.harness import ThreadServer

SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def login(page: Any, url: str, user: str = "admin") -> None:
    page.goto(f"{url}/console/overview")
    assert "/console/login" in page.url  # no session: the login page first
    shot(page, "01-login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/console/overview"))


def from_documents(srv: ThreadServer, period: str = "season") -> dict[str, int]:
    """家次, 家 and findings raised in the period, by reading every stored visit document."""
    today = local_date(now_utc())
    start, end = figures.period_range(period, today)
    visits, homes, raised = 0, set(), 0
    with srv.db.read() as conn:
        for raw in conn.execute(select(t.visits.c.document_json)).scalars():
            doc = json.loads(raw)
            day = local_date(datetime.fromisoformat(doc["completed_at"]))
            if doc["kind"] != "recheck" and start <= day <= end:
                visits += 1
                homes.add(doc["enterprise"]["credit_code"])
            raised += sum(1 for f in doc["findings"] if start <= date.fromisoformat(f["found_on"]) <= end)
    return {"visits": visits, "homes": len(homes), "raised": raised}


def figure(page: Any, name: str) -> int:
    return int(page.locator(f"[data-figure={name}] b").inner_text())


def figure_text(page: Any, name: str) -> str:
    return str(page.locator(f"[data-figure={name}] b").inner_text())


def test_office_day(office_server: ThreadServer, page: Any, tmp_path: Path) -> None:
    url = office_server.url
    login(page, url)
    shot(page, "02-overview-today")

    # 总览 for the season matches the documents; each figure drills down to its list.
    page.click("text=本季")
    expected = from_documents(office_server)
    assert figure(page, "visits") == expected["visits"] > 0
    assert figure(page, "homes") == expected["homes"]
    assert figure(page, "raised") == expected["raised"] > 0
    with office_server.db.read() as conn:  # the open counts the projection keeps, against the findings
        f = t.console_findings.c
        overdue = conn.execute(
            select(func.count()).where(f.status != "closed", f.deadline < local_date(now_utc()))
        ).scalar_one()
    assert figure(page, "overdue") == overdue > 0
    shot(page, "03-overview-season")
    page.click("[data-figure=raised]")
    page.wait_for_url(re.compile(r"/console/findings"))
    assert f"{expected['raised']} 条" in page.locator("h1").inner_text()
    page.click("text=逾期")
    shot(page, "04-findings-overdue")

    page.locator("table.list tbody tr td:nth-child(2) a").first.click()  # the finding's visit
    page.wait_for_url(re.compile(r"/console/visits/[0-9a-f-]{36}$"))
    assert page.locator("text=检查项与回答").count() == 1
    assert page.locator("article.finding").count() >= 1
    assert page.locator(".sigs img").count() == 2  # both signatures, served by the console
    assert page.locator(".sigs img").first.evaluate("img => img.naturalWidth") > 0
    shot(page, "06-visit")
    page.click("text=企业页面")
    # The click starts the navigation; the page is read once it has loaded (not the one leaving).
    page.wait_for_url(re.compile(r"/console/enterprises/[^/]+$"))
    page.wait_for_load_state()
    assert page.locator("h2", has_text="隐患").count() == 1
    assert page.locator("h2", has_text="检查记录").count() == 1
    shot(page, "07-enterprise")
    page.goto(f"{url}/console/overview?period=season")
    page.click("[data-figure=visits]")
    assert f"{expected['visits']} 家次" in page.locator("h1").inner_text()
    shot(page, "05-visits")

    # A register with a bad row is refused with the row report; nothing is imported.
    register = tmp_path / "名录.csv"
    register.write_text(
        "统一社会信用代码,企业名称,网格,类别\n91440300MA5FXXXX1A,深圳市宝龙测试五金有限公司,宝龙一网格,规下企业\n"
        "123,坏行公司,宝龙一网格,规下企业\n",
        encoding="utf-8",
    )
    page.goto(f"{url}/console/enterprises")
    shot(page, "08-enterprises")
    page.set_input_files("input[type=file]", str(register))
    page.click("text=上传并导入")
    report = page.locator("#row-report").inner_text()
    assert "第3行" in report
    shot(page, "09-import-report")

    # A request is routed to a sub-group and followed up; the follow-up is what the laptops pull.
    page.goto(f"{url}/console/requests")
    shot(page, "10-requests")
    page.locator("table.list tbody tr td a[href*='/console/requests/']").first.click()
    page.select_option("select[name=group]", "惠企政策")
    page.click("button:has-text('分派')")
    page.fill("textarea[name=note]", "已联系区人社局，安排下周招聘对接会")
    page.select_option("select[name=status]", "跟进中")
    page.click("text=记录跟进")
    assert "已联系区人社局" in page.locator("#follow-ups").inner_text()
    assert page.locator("#request-status").inner_text() == "跟进中"
    assert "惠企政策" in page.locator("dl").inner_text()
    shot(page, "11-request")
    with office_server.db.read() as conn:
        kinds = set(conn.execute(select(t.change_log.c.kind)).scalars())
    assert "request_follow_up" in kinds

    # The audit trail shows who did it.
    page.goto(f"{url}/console/audit")
    trail = page.locator("#audit").inner_text()
    assert "诉求跟进" in trail and "诉求分派" in trail and "admin" in trail
    shot(page, "12-audit")
    for path, name in (
        ("assignments", "13-assignments"),
        ("users", "14-users"),
        ("forms", "15-forms"),
        ("conflicts", "17-conflicts"),
    ):
        page.goto(f"{url}/console/{path}")
        shot(page, name)
    # The demo's incomplete record from a laptop is shown to the reviewers with the server's reason.
    refused = page.locator("#refused").inner_text()  # the last page above: conflicts and refusals
    assert "未填写" in refused and "未接受" in refused

    # Which version each laptop holds, as it reported at its last pull; an old one stands out.
    page.goto(f"{url}/console/forms")
    in_use = page.locator("#versions-in-use").inner_text()
    assert "leader1" in in_use and "2026.2" in in_use
    assert page.locator("#versions-in-use .bad").all_inner_texts() == ["2026.1"]

    # A form file over its limit is refused in the browser, before it is sent, in plain words.
    page.goto(f"{url}/console/forms")
    page.set_input_files(
        "input[type=file]", {"name": "big.yaml", "mimeType": "text/yaml", "buffer": b"#" * (1024 * 1024 + 1)}
    )
    alert = page.locator("[data-upload-error]")
    assert alert.is_visible() and "文件超过 1 MB，未上传" in alert.inner_text()
    page.click("text=校验并发布")
    assert alert.is_visible()  # still this page: the browser did not send it


def test_team_leader_sees_own_team_and_cannot_change(office_server: ThreadServer, page: Any) -> None:
    login(page, office_server.url, "leader1")
    assert "第一检查组" in page.locator(".who").inner_text()
    page.goto(f"{office_server.url}/console/findings?team=第二检查组")
    teams = {t.inner_text() for t in page.locator("table.list tbody tr td:nth-child(5)").all()}
    assert teams <= {"第一检查组"}
    page.goto(f"{office_server.url}/console/users")
    assert "只有管理员" in page.content()


def test_english(office_server: ThreadServer, page: Any) -> None:
    login(page, office_server.url)
    page.click("text=English")
    page.wait_for_load_state()
    nav = page.locator("header nav").inner_text()
    assert "Overview" in nav and "总览" not in nav
    shot(page, "16-overview-english")
    # At 1366 wide the English overview's tables fit their panels: nothing scrolls sideways.
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.scroll')].map(d => d.scrollWidth - d.clientWidth)"
    )
    assert overflow and max(overflow) <= 0


def test_the_register_is_searched_by_pinyin_as_on_the_laptop(office_server: ThreadServer, page: Any) -> None:
    """Typing an enterprise's pinyin initials (or its full pinyin) in the register's search box
    finds it, by the laptop's own rule (register.search_text)."""
    with office_server.db.read() as conn:
        name = conn.execute(select(t.enterprises.c.name).order_by(t.enterprises.c.id).limit(1)).scalar_one()
    initials = pinyin_forms(name)[1]  # 深圳市宝龙鑫嘉… → szsblxj…
    full = pinyin_forms(name[3:7])[0]  # the part after 深圳市, in full: baolongxinjia
    login(page, office_server.url)
    page.goto(f"{office_server.url}/console/enterprises")
    for typed in (initials[:7], full):
        page.fill("input[name=q]", typed)
        page.press("input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"q="))
        assert name in page.locator("table.list tbody").inner_text(), typed
    shot(page, "18-enterprises-pinyin")
    page.fill("input[name=q]", "zzzzqqqxxj")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"q=zzzzqqqxxj"))
    assert name not in page.locator("table.list tbody").inner_text()


def report_row(text: str, label: str, unit: str) -> list[str]:
    """A row of the report's table of figures (pdftotext -layout): 本期, 累计, 较前一日."""
    found = re.search(
        rf"^\s*\d+\s+{re.escape(label)}\s+{re.escape(unit)}\s+(\S+)\s+(\S+)\s+(\S+)\s*$", text, re.M
    )
    assert found, label
    return list(found.groups())


def test_the_daily_report_pdf_carries_the_figures_of_the_overview(
    office_server: ThreadServer, page: Any, tmp_path: Path
) -> None:
    """日报 PDF of the street, printed by the console through the laptop's report, with the same
    definitions (domain.figures) as the 总览 beside it and as a scan of the visit documents."""
    login(page, office_server.url)
    shown = {
        k: figure_text(page, k)
        for k in ("visits", "homes", "raised", "rate", "major_rate", "overdue", "cadence")
    }
    expected = from_documents(office_server, "today")
    assert int(shown["visits"]) == expected["visits"] > 0 and int(shown["homes"]) == expected["homes"]
    assert int(shown["raised"]) == expected["raised"] > 0
    link = page.locator("a[data-report=pdf]")
    assert link.inner_text() == "日报 PDF"
    response = page.context.request.get(office_server.url + str(link.get_attribute("href")))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "daily.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "检查工作日报" in text and "统计范围：全街道" in text
    assert report_row(text, "检查", "家次")[0] == shown["visits"]
    assert report_row(text, "现场指导企业", "家")[0] == shown["homes"]
    assert report_row(text, "发现隐患", "项")[0] == shown["raised"]
    assert report_row(text, "整改率", "%")[1] == shown["rate"]
    assert report_row(text, "重大隐患整改率", "%")[1] == shown["major_rate"]
    assert report_row(text, "逾期未整改隐患", "项")[1] == shown["overdue"]
    assert report_row(text, "巡查覆盖率（每周规定频次）", "%")[1] == shown["cadence"]
    if SHOTS:  # the report's first page, as the office prints it
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(Path(SHOTS) / "19-daily-report")],
            check=True,
        )
    shot(page, "02-overview-today")
