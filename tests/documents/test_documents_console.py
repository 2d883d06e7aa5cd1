"""The office prints a received visit's record and orders: the same documents the laptop prints."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from inspector_app.checklist import default_forms_dir
from inspector_app.domain.authority import IssuingAuthority
from inspector_app.domain.finding import RecheckResult
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services import settings as laptop_settings
from inspector_app.services.report_data import Reporter
from tests.support.harness import Laptop, Office, ThreadServer, png
from tests.support.session import console_login, csrf_of

CODES = {
    "record": "应急检记",
    "safety_order": "应急责改",
    "site_measure": "应急现决",
    "fire_immediate": "消立改",
    "fire_deadline": "消限改",
    "epidemic_notice": "防控改",
    "recheck": "应急复查",
}
AUTHORITY = IssuingAuthority(
    full_name="深圳市龙岗区宝龙街道办事处",
    short_name="龙宝",
    doc_codes=CODES,
    authorization="《深圳市龙岗区人民政府关于宝龙街道办事处实施综合行政执法的决定》",
    review_body="深圳市龙岗区人民政府",
    court="深圳市龙岗区人民法院",
    seal_present=True,
)


def _seal() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (200, 200), (0, 0, 0, 140)).save(buf, "PNG")
    return buf.getvalue()


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def _visit_with_a_finding(laptop: Laptop, code: str) -> str:
    app, badge = laptop.app, laptop.badge()
    vid = laptop.start_draft(code)
    for key, value in {"plan": "Y", "staff": 120, "on_site": 100, "exits": "N"}.items():
        app.visits.answer(vid, key, value)
    app.visits.answer(vid, "exits_note", "二楼东侧疏散通道堆放纸箱")
    app.visits.sign(vid, inspector_role(badge), "张伟", png(11))
    app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(12))
    app.visits.complete(vid)
    return vid


def test_the_office_prints_the_record_and_orders_the_laptop_prints(
    server: ThreadServer, office: Office, tmp_path: Path
) -> None:
    seal = _seal()
    laptop = Laptop(tmp_path / "i", server.url, office.inspector)
    assert laptop.sync().ok
    with laptop.app.workspace.session() as s:
        laptop_settings.save(
            s,
            laptop_settings.DocumentSettings(
                AUTHORITY.full_name, None, AUTHORITY.short_name, dict(CODES), AUTHORITY.authorization,
                AUTHORITY.review_body, AUTHORITY.court,
            ),
        )
    (tmp_path / "seal.png").write_bytes(seal)
    laptop_settings.set_seal_image(laptop.app.workspace, tmp_path / "seal.png", now=laptop.clock())
    vid = _visit_with_a_finding(laptop, office.codes[0])
    assert laptop.sync().ok
    reporter = Reporter(laptop.app.workspace, laptop.app.forms)
    reporter.record(vid, tmp_path / "record.pdf")
    reporter.notice(vid, tmp_path / "notice.pdf")
    on_laptop = {k: _text((tmp_path / f"{k}.pdf").read_bytes()) for k in ("record", "notice")}

    console = console_login(server.url, office.admin)
    page = console.get(f"/console/visits/{vid}").text
    assert f"/console/visits/{vid}/record.pdf" in page and f"/console/visits/{vid}/notice.pdf" in page

    # Without the office's issuing authority: the laptop's refusal, naming what is missing.
    r = console.get(f"/console/visits/{vid}/record.pdf")
    assert r.status_code == 409, r.text
    assert "不能出具现场检查记录：未设置发文机关全称、发文机关简称" in r.text, r.text[-800:]
    assert "/console/documents/authority" in r.text  # where the office sets it

    # The admin sets the office's authority on its page, seal image included.
    page = console.get("/console/documents/authority").text
    assert "发文单位设置" in page and "文书代字" in page
    form = {f"code_{kind}": code for kind, code in CODES.items()}
    form |= {
        "full_name": AUTHORITY.full_name,
        "short_name": AUTHORITY.short_name,
        "authorization": AUTHORITY.authorization,
        "review_body": AUTHORITY.review_body,
        "court": AUTHORITY.court,
        "csrf": csrf_of(page),
    }
    r = console.post("/console/documents/authority", data=form, files={"seal": ("seal.png", b"not an image")})
    assert r.status_code == 422 and "印章图片无法识别" in r.text
    r = console.post("/console/documents/authority", data=form, files={"seal": ("seal.png", seal)})
    assert r.status_code == 200 and "已保存" in r.text
    assert "印章图片" not in r.text.split("各类文书能否出具")[1]  # every kind can now be issued
    assert "设置发文单位" in console.get("/console/audit").text
    # Someone not an admin may not change it.
    leader = console_login(server.url, office.leader)
    assert leader.get("/console/documents/authority").status_code == 403

    for kind in ("record", "notice"):
        r = console.get(f"/console/visits/{vid}/{kind}.pdf")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text[:300]
        at_office = _text(r.content)
        for element in (
            "（龙宝）应急检记〔",  # the record's number, fixed on the laptop at completion
            "深圳市龙岗区宝龙街道办事处",
            "二楼东侧疏散通道堆放纸箱" if kind == "record" else "责令限期整改指令书",
            "疏散通道畅通" if kind == "record" else "深圳市龙岗区人民法院",
        ):
            assert element in on_laptop[kind] and element in at_office, (kind, element)
        assert at_office == on_laptop[kind], kind  # the same document from the same data

    # A visit the office does not have, and one it has but that issued no order.
    assert console.get("/console/visits/00000000-0000-0000-0000-000000000000/record.pdf").status_code == 404
    laptop.close()


def test_the_office_prints_a_re_inspection_with_the_notice_of_the_original_visit(
    server: ThreadServer, office: Office, tmp_path: Path
) -> None:
    """The 整改复查意见书 quotes the original order's number and date from the original visit's
    document at the office, as the laptop does from its tables."""
    console = console_login(server.url, office.admin)
    page = console.get("/console/forms").text  # the office publishes the shipped re-inspection form
    recheck_form = (default_forms_dir() / "recheck.yaml").read_bytes()
    files = {"file": ("recheck.yaml", recheck_form)}
    r = console.post("/console/forms", data={"csrf": csrf_of(page)}, files=files)
    assert r.status_code == 200, r.text[-400:]
    laptop = Laptop(tmp_path / "i", server.url, office.inspector)
    assert laptop.sync().ok
    laptop.app.reload_forms()
    with laptop.app.workspace.session() as s:
        laptop_settings.save(
            s,
            laptop_settings.DocumentSettings(
                AUTHORITY.full_name, None, AUTHORITY.short_name, dict(CODES), AUTHORITY.authorization,
                AUTHORITY.review_body, AUTHORITY.court,
            ),
        )
    (tmp_path / "seal.png").write_bytes(_seal())
    laptop_settings.set_seal_image(laptop.app.workspace, tmp_path / "seal.png", now=laptop.clock())
    code = office.codes[1]
    _visit_with_a_finding(laptop, code)
    v = laptop.app.visits
    partner = office.badges[office.inspector2]  # a re-inspection needs two officers
    rid, _ = v.start_recheck(code, [laptop.badge(), partner])
    for f in v.snapshot(rid).recheck_findings:
        v.mark_finding(rid, f.id, RecheckResult.RECTIFIED, note="纸箱已清走，通道畅通")
    v.answer(rid, "new_problems_found", False)
    v.answer(rid, "recheck_opinion", "已按要求整改")
    v.answer_signature(rid, "enterprise_signature", png(21))
    v.sign(rid, inspector_role(laptop.badge()), "张伟", png(22))
    v.sign(rid, inspector_role(partner), "李娜", png(24))
    v.complete(rid)
    assert laptop.sync().ok
    reporter = Reporter(laptop.app.workspace, laptop.app.forms)
    reporter.recheck(rid, tmp_path / "recheck.pdf")
    reporter.record(rid, tmp_path / "record.pdf")

    page = console.get("/console/documents/authority").text
    form = {f"code_{kind}": c for kind, c in CODES.items()} | {
        "full_name": AUTHORITY.full_name,
        "short_name": AUTHORITY.short_name,
        "authorization": AUTHORITY.authorization,
        "review_body": AUTHORITY.review_body,
        "court": AUTHORITY.court,
        "csrf": csrf_of(page),
    }
    r = console.post("/console/documents/authority", data=form, files={"seal": ("s.png", _seal())})
    assert r.status_code == 200
    assert f"/console/visits/{rid}/recheck.pdf" in console.get(f"/console/visits/{rid}").text
    for kind in ("recheck", "record"):
        r = console.get(f"/console/visits/{rid}/{kind}.pdf")
        assert r.status_code == 200, r.text[-600:]
        on_laptop = _text((tmp_path / f"{kind}.pdf").read_bytes())
        assert "（龙宝）应急责改〔" in on_laptop  # the original order, quoted by number
        assert _text(r.content) == on_laptop, kind
    laptop.close()
