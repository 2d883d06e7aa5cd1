"""现场检查记录: the on-site inspection record of one visit, and a day's records in one file.

Elements after the 执法文书 formats (应急管理部 安全生产执法文书式样; 消防监督检查记录): the issuing
authority and number, 事由和目的, the premises inspected apart from the registered address, the
person in charge on site with 职务, 证件号 and phone in their own cells, the inspectors and the note
that their badges were shown, the checklist, the problems stated as facts, "以上记录属实" with the
party's signature (and a signature line at the foot of every page), the witness and the refusal
path, the documents served, and the evidence photos on their own page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from inspector_app.domain.clock import local_date
from inspector_app.domain.enforcement import DOMAIN_LABELS, PURPOSE, Domain, outcome_wording
from inspector_app.domain.enterprise import person_in_charge
from inspector_app.domain.finding import Order
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.data import FindingInfo, RecordData
from inspector_app.reports.fonts import SERIF, markup
from inspector_app.reports.layout import (
    BODY_FLUSH,
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    CELL_LABEL,
    FRAME_WIDTH,
    MARGIN_LEFT,
    PAGE_WIDTH,
    SMALL,
    DocumentStart,
    build,
    fmt_date,
    fmt_minute,
    hei,
    make_doc,
    para,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import (
    evidence_pages,
    heading,
    inspector_text,
    qr_code,
    qr_payload,
    signature_table,
    witness_table,
)

TITLE = "现场检查记录"
BADGE_NOTE = "检查人员已向被检查单位出示行政执法证件，表明身份，告知检查事项和依据。"
RESULT_MARK = {"ok": "", "bad": "×", "na": "", "info": "", "empty": ""}
TRUE_RECORD = "以上记录属实。"
_NUMERALS = "一二三四五六七八九十"
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])\s*"
)

HAZARD_WORDS = {
    Domain.SAFETY: ("事故隐患", "【重大事故隐患】"),
    Domain.FIRE: ("消防安全违法行为和火灾隐患", "【涉嫌重大火灾隐患，提请集体讨论判定】"),
    Domain.SMALL_VENUES: ("消防安全违法行为和火灾隐患", "【涉嫌重大火灾隐患，提请集体讨论判定】"),
    Domain.EPIDEMIC: ("疫情防控措施不落实的问题", ""),
}


def _numeral(n: int) -> str:
    return _NUMERALS[n - 1] if n <= 10 else str(n)


def record_story(data: RecordData) -> list[Flowable]:
    story: list[Flowable] = [DocumentStart()]
    title = TITLE if data.kind is VisitKind.INSPECTION else "现场复查记录"
    story += title_block(data.issuer.unit, title, data.number)
    if not data.completed:
        story.append(hei("草稿：检查尚未完成，本记录不作为执法文书", CELL_CENTER))
        story.append(Spacer(1, 4))
    story.append(_header_table(data))
    parts: list[Callable[[str], list[Flowable]]] = [lambda n: _checklist(data, n)]
    if data.kind is VisitKind.RECHECK:
        parts.append(lambda n: _recheck(data, n))
    parts.append(lambda n: _findings(data, n))
    for i, part in enumerate(parts, start=1):
        story += part(_numeral(i))
    story += _conclusion_and_signatures(data, _numeral(len(parts) + 1))
    photos = [p for f in data.findings for p in (*f.photos, *f.rectified_photos)] + list(data.photos)
    if photos:
        story += evidence_pages(
            photos,
            data.cache_dir,
            place=data.place or data.enterprise.address,
            photographer=_names(data),
            number=data.number or "",
        )
    return story


def _names(data: RecordData) -> str:
    return "、".join(i.name or i.badge_number for i in data.inspectors)


def _header_table(data: RecordData) -> Table:
    w = FRAME_WIDTH
    ent = data.enterprise
    end = data.completed_at
    if end is not None and local_date(end) == local_date(data.started_at):
        time_text = f"{fmt_minute(data.started_at)} 至 {fmt_minute(end)[-6:]}"
    elif end is not None:
        time_text = f"{fmt_minute(data.started_at)} 至 {fmt_minute(end)}"
    else:
        time_text = f"{fmt_minute(data.started_at)} 起（未完成）"
    people = data.people
    # The person recorded on site; else the register's contact (his title and ID are left for ink).
    onsite = person_in_charge(people.onsite_name, ent.contact, ent.legal_representative)
    onsite_phone = people.onsite_phone or ent.phone
    rows: list[list[Any]] = [
        [para("被检查单位", CELL_LABEL), para(ent.name, CELL), "", ""],
        [
            para("统一社会信用代码", CELL_LABEL),
            para(ent.credit_code, CELL),
            para("单位类别", CELL_LABEL),
            para(ent.category, CELL),
        ],
        [para("注册地址", CELL_LABEL), para(ent.address, CELL), "", ""],
        [para("检查场所", CELL_LABEL), para(data.place or ent.address, CELL), "", ""],
        [
            para("法定代表人", CELL_LABEL),
            para(ent.legal_representative, CELL),
            para("联系电话", CELL_LABEL),
            para(ent.phone if ent.contact in ("", ent.legal_representative) else "", CELL),
        ],
        [
            para("现场负责人", CELL_LABEL),
            para(onsite, CELL),
            para("职务", CELL_LABEL),
            para(people.onsite_title, CELL),
        ],
        [
            para("证件号码", CELL_LABEL),
            para(people.onsite_id_number, CELL),
            para("联系电话", CELL_LABEL),
            para(onsite_phone, CELL),
        ],
        [para("检查时间", CELL_LABEL), para(time_text, CELL), "", ""],
        [para("检查机关", CELL_LABEL), para(data.issuer.unit, CELL), "", ""],
        [para("检查人员", CELL_LABEL), para(inspector_text(data.inspectors), CELL), "", ""],
        [
            para("事由和目的", CELL_LABEL),
            para(
                f"{PURPOSE[data.domain]}（{data.form_title}"
                + (f"，{data.form_edition}" if data.form_edition else "")
                + "）",
                CELL,
            ),
            "",
            "",
        ],
        [para("检查依据", CELL_LABEL), para(data.issuer.authorization, CELL), "", ""],
        [para("出示证件", CELL_LABEL), para(BADGE_NOTE, CELL), "", ""],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in (0, 2, 3, 7, 8, 9, 10, 11, 12)]
    return ruled_table(rows, [w * 0.22, w * 0.34, w * 0.14, w * 0.30], header_rows=0, extra=spans)


def _section_title(title: str) -> str:
    return _LEADING_NUMBER.sub("", title)


def _checklist(data: RecordData, numeral: str) -> list[Flowable]:
    out: list[Flowable] = []
    head = heading(f"{numeral}、检查情况")
    if not data.sections:
        return [KeepTogether([head, para("（本次检查无检查项目记录）", BODY_FLUSH)])]
    w = FRAME_WIDTH
    rows: list[list[Any]] = [
        [para("序号", CELL_HEAD), para("检查项目", CELL_HEAD), para("检查结果", CELL_HEAD)]
    ]
    extra: list[tuple[Any, ...]] = []
    for k, section in enumerate(data.sections, start=1):
        r = len(rows)
        # The form's own section numbers would nest under this heading; renumber the visible ones.
        rows.append([hei(f"（{_numeral(k)}）{_section_title(section.title)}", CELL), "", ""])
        extra += [("SPAN", (0, r), (2, r))]
        for line in section.lines:
            mark = RESULT_MARK[line.result]
            answer = hei(f"{mark} {line.answer}", CELL) if line.result == "bad" else para(line.answer, CELL)
            rows.append([para(str(line.number), CELL_CENTER), para(line.label, CELL), answer])
    bad = sum(1 for s in data.sections for ln in s.lines if ln.result == "bad")
    total = sum(len(s.lines) for s in data.sections)
    summary = f"共检查 {total} 项，其中不符合 {bad} 项（标“×”）。" if bad else f"共检查 {total} 项，均符合。"
    table = ruled_table(rows, [w * 0.08, w * 0.62, w * 0.30], header_rows=1, extra=extra)
    # The table splits across pages; the heading only needs room for itself and a few rows below it
    # (a keep-with-next group would push the whole table to the next page and leave page 1 blank).
    out.append(CondPageBreak(40 * mm))
    out.append(heading(f"{numeral}、检查情况", keep=False))
    out.append(table)
    out.append(Spacer(1, 3))
    out.append(para(summary, SMALL))
    return out


def _recheck(data: RecordData, numeral: str) -> list[Flowable]:
    head = heading(f"{numeral}、复查情况")
    if not data.recheck:
        return [KeepTogether([head, para("（未记录复查结果）", BODY_FLUSH)])]
    w = FRAME_WIDTH
    rows: list[list[Any]] = [
        [para(h, CELL_HEAD) for h in ("序号", "原责令整改的问题", "原整改期限", "复查结果")]
    ]
    for n, line in enumerate(data.recheck, start=1):
        ok = line.result.value == "已整改"
        text = line.result.value + (
            f"，限{fmt_date(line.new_deadline)}前整改完毕" if line.new_deadline else ""
        )
        result = para(text, CELL_CENTER) if ok else hei(text, CELL)
        note = f"<br/>{markup(line.note)}" if line.note else ""
        ref = f"<br/>{markup('（' + line.notice_number + '）')}" if line.notice_number else ""
        rows.append(
            [
                para(str(n), CELL_CENTER),
                Paragraph(markup(line.title) + ref + note, CELL),
                para(fmt_date(line.deadline), CELL_CENTER),
                result,
            ]
        )
    return [head, ruled_table(rows, [w * 0.08, w * 0.48, w * 0.18, w * 0.26])]


def finding_line(n: int, f: FindingInfo, domain: Domain) -> str:
    major_tag = HAZARD_WORDS[domain][1] if f.major else ""
    if f.order is Order.ON_SITE_FIXED:
        order = "已当场整改完毕，附整改后照片"
    elif f.order is Order.IMMEDIATE:
        order = "责令立即整改"
    else:
        order = f"责令限期整改，{fmt_date(f.deadline)}前整改完毕"
    return f"{n}. {major_tag}{f.fact}。（{order}）"


def _findings(data: RecordData, numeral: str) -> list[Flowable]:
    words = HAZARD_WORDS[data.domain][0]
    head = heading(f"{numeral}、发现的{words}")
    if not data.findings:
        return [KeepTogether([head, para(f"本次检查未发现{words}。", BODY_FLUSH)])]
    out: list[Flowable] = []
    for n, f in enumerate(data.findings, start=1):
        lines = [finding_line(n, f, data.domain)]
        if f.legal_basis:
            lines.append(f"违反：{f.legal_basis}")
        if f.photos:
            lines.append(f"证据：照片{len(f.photos)}张（见照片附页）")
        block = Paragraph("<br/>".join(markup(x) for x in lines), _indented())
        out.append(KeepTogether([head, block]) if n == 1 else block)
    return out


def _indented() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        "finding_detail", parent=CELL, fontSize=11, leading=17, leftIndent=12, firstLineIndent=0, spaceAfter=3
    )


def conclusion_text(data: RecordData) -> str:
    n = len(data.findings)
    fixed = sum(1 for f in data.findings if f.order is Order.ON_SITE_FIXED)
    words = HAZARD_WORDS[data.domain][0]
    text = f"{outcome_wording(data.outcome)}。" if data.outcome else ""
    if n:
        text += f"本次检查发现{words}{n}项"
        text += f"，其中当场整改完毕{fixed}项。" if fixed else "。"
    elif not text:
        text = f"本次检查未发现{words}。"
    if data.served:
        # One document a line: a number's closing brackets then "；" would otherwise start a line.
        text += "已出具：" + "".join(f"\n《{d.title}》{d.number}" for d in data.served)
    return text


def _conclusion_and_signatures(data: RecordData, numeral: str) -> list[Flowable]:
    w = FRAME_WIDTH
    block: list[Flowable] = [
        heading(f"{numeral}、检查小结"),
        para(conclusion_text(data), BODY_FLUSH),
        Spacer(1, 4),
        para(
            TRUE_RECORD + "被检查单位现场负责人核对后签名；拒绝签名的，由检查人员注明情况，并由见证人签名。",
            CELL,
        ),
        Spacer(1, 3),
    ]
    day = local_date(data.completed_at or data.started_at)
    sigs = signature_table(data.signatures, day, blank=data.blank_signatures)
    qr = qr_code(qr_payload(data.visit_id, data.content_hash))
    hash_text = data.content_hash[:16] if data.content_hash else "（未完成，无摘要）"
    verify = [
        qr,
        para(f"记录编号：{data.visit_id}", SMALL),
        para(f"内容摘要：{hash_text}", SMALL),
        para("扫码可核对本记录与系统存档是否一致", SMALL),
    ]
    side = Table([[sigs, verify]], colWidths=[w * 0.72, w * 0.28])
    side.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SERIF),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
            ("LEFTPADDING", (1, 0), (1, 0), 2 * mm),
        ]
    )
    sigs._argW = [w * 0.72 * f for f in (0.36, 0.38, 0.26)]
    block.append(side)
    block.append(Spacer(1, 4))
    refused = any(s.refused_reason for s in data.signatures if s.role == "enterprise")
    block += witness_table(refused=refused, name=data.people.witness_name, unit=data.people.witness_unit)
    block.append(Spacer(1, 3))
    block.append(para("本记录一式两份，一份存档，一份交被检查单位。", SMALL))
    # The heading, the summary and the signatures stay together with the text above when they fit.
    return [CondPageBreak(90 * mm), KeepTogether(block)]


def _page_foot(canv: Canvas, doc: Any) -> None:
    """A signature line on every page: the party confirms each page of the record (骑缝/逐页签名)."""
    canv.saveState()
    canv.setFont(SERIF, 9)
    y = 19 * mm
    canv.drawString(MARGIN_LEFT, y, "被检查单位现场负责人（签名）：")
    canv.drawString(PAGE_WIDTH / 2 + 10 * mm, y, "检查人员（签名）：")
    canv.restoreState()


# --------------------------------------------------------------------------------- documents


def build_record(data: RecordData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(_target(target), f"{TITLE} {data.enterprise.name}", on_page=_page_foot)
    build(doc, record_story(data))


class _LazyRecord(Flowable):  # type: ignore[misc]
    """Stands in for one record until the page it starts on is reached, then loads it: a batch holds
    one record's data at a time instead of the whole day's."""

    def __init__(self, load: Callable[[], RecordData]) -> None:
        super().__init__()
        self._load = load

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 1  # never fits: the frame asks to split, which loads

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return record_story(self._load())


def build_batch(
    loaders: Iterable[Callable[[], RecordData]],
    target: str | Path | IO[bytes],
    *,
    title: str = "现场检查记录汇编",
) -> int:
    """All records in one file, each on a fresh page and numbered "第 N 页 共 M 页" on its own."""
    story: list[Flowable] = []
    for load in loaders:
        if story:
            story.append(PageBreak())
        story.append(_LazyRecord(load))
    if not story:
        story.append(para("当日没有已完成的检查记录。", BODY_FLUSH))
    doc = make_doc(_target(target), title, on_page=_page_foot)
    build(doc, story)
    return sum(1 for f in story if isinstance(f, _LazyRecord))


def _target(target: str | Path | IO[bytes]) -> Any:
    return str(target) if isinstance(target, Path) else target


__all__ = ["DOMAIN_LABELS", "build_batch", "build_record", "conclusion_text", "finding_line", "record_story"]
