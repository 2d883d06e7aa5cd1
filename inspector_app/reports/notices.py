"""The documents served on the enterprise, each with its 送达回证:

- 安全生产: 责令限期整改指令书; 现场处理措施决定书 for a 重大事故隐患 (《安全生产法》2021修正 第六十五条
  第一款第（三）项: 责令暂时停产停业或者停止使用相关设施、设备 — never 责令停产整顿, a penalty).
- 消防 and 三小场所: 责令立即改正通知书 (served on the spot) / 责令限期改正通知书; a suspected
  重大火灾隐患 is sent to collective review, not decided on site.
- 防疫: 疫情防控整改通知书, without safety or fire terms.
- 整改复查意见书 for a re-inspection, citing the original order's number and date from the record.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from inspector_app.domain.enforcement import (
    CONSEQUENCE,
    DOC_SPECS,
    MAJOR_FIRE_REVIEW,
    ORDER_BASIS,
    DocKind,
    DocSpec,
    Domain,
    remedies,
)
from inspector_app.domain.finding import Order, RecheckResult
from inspector_app.reports.data import (
    InspectorInfo,
    NoticeData,
    RecheckData,
    SignatureInfo,
    SitePeopleInfo,
    violation_text,
)
from inspector_app.reports.fonts import markup
from inspector_app.reports.layout import (
    BODY,
    BODY_FLUSH,
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    CELL_LABEL,
    FRAME_WIDTH,
    SMALL,
    DocumentStart,
    build,
    fmt_date,
    hei,
    make_doc,
    para,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import Seal, signature_cell

RECHECK_TITLE = DOC_SPECS[DocKind.RECHECK].title
COPIES = "本文书一式两份，一份存档，一份交被检查单位。"
SITE_MEASURE_TEXT = (
    "上述重大事故隐患排除前或者排除过程中无法保证安全。依据{basis}的规定，本机关决定对你单位采取以下"
    "现场处理措施：责令从危险区域内撤出作业人员，暂时停止使用相关设施、设备；"
    "涉及的生产经营区域暂时停产停业。"
)
MAJOR_SAFETY_DUTY = (
    "对重大事故隐患，你单位应当依照《安全生产事故隐患排查治理暂行规定》（国家安全生产监督管理总局令第16号）"
    "第十五条的规定制定并实施事故隐患治理方案。"
)


def _numbers(indices: list[int]) -> str:
    return "、".join(str(i) for i in indices)


def _names(inspectors: tuple[InspectorInfo, ...]) -> str:
    return "、".join(i.name or i.badge_number for i in inspectors)


def _signing_block(
    inspectors: tuple[InspectorInfo, ...],
    signatures: tuple[SignatureInfo, ...],
    unit: str,
    on: date,
    seal: Path | None,
    *,
    blank: bool,
) -> list[Flowable]:
    """Inspectors (name, badge, signature), the party's receipt, then the unit and seal — kept on one
    page with the last lines of the text above them."""
    by_role = {s.role: s for s in signatures}
    w = FRAME_WIDTH
    rows: list[list[Any]] = []
    for insp in inspectors:
        sig = by_role.get(f"inspector:{insp.badge_number}")
        rows.append(
            [
                para("检查人员（签名）", CELL_LABEL),
                signature_cell(sig, blank_label=insp.name, blank=blank),
                para(f"执法证号：{insp.badge_number}", CELL),
            ]
        )
    ent = by_role.get("enterprise")
    if blank or ent is None or (ent.image is None and not ent.refused_reason):
        when = "日期：　　年　　月　　日"
    else:
        when = f"日期：{fmt_date(ent.signed_at.date() if ent.signed_at else on)}"
    rows.append(
        [para("被检查单位负责人（签收）", CELL_LABEL), signature_cell(ent, blank=blank), para(when, CELL)]
    )
    table = ruled_table(rows, [w * 0.28, w * 0.40, w * 0.32], header_rows=0)
    return [table, Spacer(1, 6), Seal(unit, on, seal)]


def _item_style() -> ParagraphStyle:
    return ParagraphStyle("notice_item", parent=BODY, firstLineIndent=0, leftIndent=24, spaceBefore=2)


def _detail_style() -> ParagraphStyle:
    return ParagraphStyle("notice_detail", parent=CELL, fontSize=11, leading=18, leftIndent=36, spaceAfter=2)


def _order_sentence(data: NoticeData, immediate: list[int], by_date: dict[date, list[int]]) -> str:
    orders = []
    verb = "改正" if data.domain in (Domain.FIRE, Domain.SMALL_VENUES) else "整改"
    if immediate:
        orders.append(f"对第{_numbers(immediate)}项，责令你单位立即{verb}")
    for deadline in sorted(by_date):
        orders.append(f"对第{_numbers(by_date[deadline])}项，责令你单位于{fmt_date(deadline)}前{verb}完毕")
    return "；".join(orders) + "。"


def notice_story(data: NoticeData) -> list[Flowable]:
    """One order document (指令书 / 通知书 / 决定书) followed by its 送达回证."""
    spec = data.spec
    story: list[Flowable] = [DocumentStart(), *title_block(data.issuer.unit, spec.title, data.number)]
    story.append(Spacer(1, 4))
    story.append(para(f"{data.enterprise.name}：", BODY_FLUSH))
    place = data.place or data.enterprise.address
    basis = f"根据{data.issuer.authorization}，" if data.issuer.authorization else ""
    story.append(
        para(
            f"{basis}本机关执法人员{_names(data.inspectors)}于{fmt_date(data.inspected_on)}对你单位"
            f"（检查场所：{place}）进行了现场检查，现场检查记录文号为{data.record_number}。"
            "经查，你单位存在下列问题：",
            BODY,
        )
    )
    immediate: list[int] = []
    by_date: dict[date, list[int]] = {}
    majors: list[int] = []
    for n, f in enumerate(data.findings, start=1):
        tag = "【重大事故隐患】" if f.major and data.domain is Domain.SAFETY else ""
        story.append(para(f"{n}. {tag}{f.fact}。", _item_style()))
        detail = []
        if f.legal_basis:
            detail.append(f"违反：{f.legal_basis}")
        if f.rectification and data.kind is not DocKind.SITE_MEASURE:
            detail.append(f"整改要求：{f.rectification}")
        if detail:
            story.append(Paragraph("<br/>".join(markup(x) for x in detail), _detail_style()))
        if f.major:
            majors.append(n)
        if f.order is Order.IMMEDIATE:
            immediate.append(n)
        else:
            by_date.setdefault(f.deadline, []).append(n)
    story.append(Spacer(1, 4))
    closing: list[Flowable] = []
    if data.kind is DocKind.SITE_MEASURE:
        closing.append(para(SITE_MEASURE_TEXT.format(basis=ORDER_BASIS[data.kind]), BODY))
        closing.append(para(MAJOR_SAFETY_DUTY + CONSEQUENCE[data.kind], BODY))
    else:
        closing.append(
            para(f"依据{ORDER_BASIS[data.kind]}的规定，" + _order_sentence(data, immediate, by_date), BODY)
        )
        if majors and data.domain is Domain.SAFETY:
            closing.append(para(MAJOR_SAFETY_DUTY, BODY))
        if majors and data.domain in (Domain.FIRE, Domain.SMALL_VENUES):
            closing.append(para(MAJOR_FIRE_REVIEW.format(items=_numbers(majors)), BODY))
        closing.append(para(CONSEQUENCE[data.kind], BODY))
        if data.kind is not DocKind.FIRE_IMMEDIATE:
            closing.append(
                para(
                    f"整改完毕后请及时报告，本机关将于{fmt_date(data.recheck_on)}起对整改情况进行复查。", BODY
                )
            )
    if spec.contestable:
        closing.append(para(remedies(spec, data.issuer.review_body, data.issuer.court), BODY))
    story += _ending(spec, data, closing, place)
    return story


def recheck_story(data: RecheckData) -> list[Flowable]:
    spec = DOC_SPECS[DocKind.RECHECK]
    story: list[Flowable] = [DocumentStart(), *title_block(data.issuer.unit, RECHECK_TITLE, data.number)]
    story.append(Spacer(1, 4))
    story.append(para(f"{data.enterprise.name}：", BODY_FLUSH))
    refs = "、".join(f"{fmt_date(n.issued_on)}作出的《{n.title}》（{n.number}）" for n in data.notices)
    story.append(
        para(
            f"本机关于{refs}责令你单位对下列问题进行整改。{fmt_date(data.rechecked_on)}，本机关执法人员"
            f"{_names(data.inspectors)}对整改情况进行了复查，复查意见如下：",
            BODY,
        )
    )
    w = FRAME_WIDTH
    rows: list[list[Any]] = [[para(h, CELL_HEAD) for h in ("序号", "存在问题", "原整改要求", "复查结果")]]
    failed: list[tuple[int, Any]] = []
    for n, line in enumerate(data.lines, start=1):
        required = "立即整改" if line.order is Order.IMMEDIATE else f"{fmt_date(line.deadline)}前整改完毕"
        problem = ("【重大】" if line.severity.value == "重大" else "") + violation_text(
            line.title, line.description
        )
        if line.result is RecheckResult.RECTIFIED:
            result_cell: Any = [para("已整改", CELL)] + ([para(line.note, CELL)] if line.note else [])
        else:
            text = "未整改" + (f"，限{fmt_date(line.new_deadline)}前整改完毕" if line.new_deadline else "")
            result_cell = [hei(text, CELL)] + ([para(line.note, CELL)] if line.note else [])
            failed.append((n, line.new_deadline))
        rows.append(
            [para(str(n), CELL_CENTER), para(problem, CELL), para(required, CELL_CENTER), result_cell]
        )
    story.append(ruled_table(rows, [w * 0.08, w * 0.50, w * 0.18, w * 0.24]))
    story.append(Spacer(1, 6))
    if not failed:
        last = para("经复查，上述问题已全部整改完毕，予以销号。", BODY)
    else:
        done = [n for n in range(1, len(data.lines) + 1) if n not in {k for k, _ in failed}]
        text = f"经复查，第{_numbers(done)}项问题已整改完毕，予以销号；" if done else "经复查，"
        parts = []
        for deadline in sorted({d for _, d in failed if d is not None}):
            parts.append(
                f"第{_numbers([k for k, d in failed if d == deadline])}项问题未整改完毕，"
                f"责令你单位于{fmt_date(deadline)}前整改完毕"
            )
        no_date = [k for k, d in failed if d is None]
        if no_date:
            parts.append(f"第{_numbers(no_date)}项问题未整改完毕，责令你单位立即整改")
        last = para(text + "；".join(parts) + "。逾期仍未整改的，本机关将依法处理。", BODY)
    closing = (
        [last, para(remedies(spec, data.issuer.review_body, data.issuer.court), BODY)] if failed else [last]
    )
    story += _ending(spec, data, closing, data.place)
    return story


def _ending(
    spec: DocSpec, data: NoticeData | RecheckData, closing: list[Flowable], place: str
) -> list[Flowable]:
    """A document's last paragraphs, the unit's signing block and copies, then its 送达回证. The last
    paragraph and the signatures share a page: never a signature block alone."""
    signing = _signing_block(
        data.inspectors,
        data.signatures,
        data.issuer.unit,
        data.issued_on,
        data.issuer.seal,
        blank=data.blank_signatures,
    )
    return [
        *closing[:-1],
        KeepTogether([closing[-1], Spacer(1, 6), *signing, para(COPIES, SMALL)]),
        *service_receipt(spec, data.number, data.enterprise.name, place, data.issued_on, people=data.people),
    ]


def service_receipt(
    spec: DocSpec, number: str, party: str, place: str, on: date, *, people: SitePeopleInfo | None = None
) -> list[Flowable]:
    """送达回证: what was served, on whom, where, how, when; the receipt or the refusal and witness.
    The person who receives it for the party and the witness are printed when the visit recorded
    them (their signatures stay for ink)."""
    w = FRAME_WIDTH
    p = people or SitePeopleInfo()
    receiver = "，".join(x for x in (p.onsite_name, p.onsite_title) if x)
    rows: list[list[Any]] = [
        [para("送达文书名称及文号", CELL_LABEL), para(f"《{spec.title}》（{number}）", CELL), "", ""],
        [
            para("受送达人", CELL_LABEL),
            para(party, CELL),
            para("代收人及职务", CELL_LABEL),
            para(receiver, CELL),
        ],
        [para("送达地点", CELL_LABEL), para(place, CELL), "", ""],
        [
            para("送达方式", CELL_LABEL),
            para("□直接送达　□留置送达　□邮寄送达　□电子送达（经受送达人同意）", CELL),
            "",
            "",
        ],
        [para("送达时间", CELL_LABEL), para(f"{on.year}年　　月　　日　　时　　分", CELL), "", ""],
        [
            para("受送达人（签名或盖章）", CELL_LABEL),
            [Spacer(1, 8 * mm)],
            para("收到时间", CELL_LABEL),
            para("　　年　　月　　日", CELL),
        ],
        [
            para("送达人（签名）", CELL_LABEL),
            [Spacer(1, 8 * mm)],
            para("执法证号", CELL_LABEL),
            para("", CELL),
        ],
        [
            para("见证人", CELL_LABEL),
            para(p.witness_name, CELL),
            para("见证人单位", CELL_LABEL),
            para(p.witness_unit, CELL),
        ],
        [
            para("见证人（签名）", CELL_LABEL),
            [Spacer(1, 8 * mm)],
            para("日期", CELL_LABEL),
            para("　　年　　月　　日", CELL),
        ],
        [
            para("拒收情况", CELL_LABEL),
            para(
                "受送达人拒绝签收的，送达人在此注明拒收事由和日期，由送达人、见证人签名，"
                "将文书留置于受送达人的住所或经营场所，视为送达。",
                CELL,
            ),
            "",
            "",
        ],
        [para("备注", CELL_LABEL), [Spacer(1, 14)], "", ""],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in (0, 2, 3, 4, 9, 10)]
    return [
        PageBreak(),
        DocumentStart(),
        *title_block("", "送达回证", None),
        ruled_table(rows, [w * 0.24, w * 0.36, w * 0.16, w * 0.24], header_rows=0, extra=spans),
    ]


def build_notice(data: NoticeData | list[NoticeData], target: str | Path | IO[bytes]) -> None:
    """One order, or all the orders a visit issues, in one file (each with its 送达回证)."""
    items = data if isinstance(data, list) else [data]
    story: list[Flowable] = []
    for n, item in enumerate(items):
        if n:
            story.append(PageBreak())
        story += notice_story(item)
    doc = make_doc(str(target) if isinstance(target, Path) else target, " ".join(i.number for i in items))
    build(doc, story)


def build_recheck(data: RecheckData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(str(target) if isinstance(target, Path) else target, f"{RECHECK_TITLE} {data.number}")
    build(doc, recheck_story(data))


__all__ = ["build_notice", "build_recheck", "notice_story", "recheck_story", "service_receipt"]
