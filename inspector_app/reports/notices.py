"""责令限期整改通知书 and 整改复查意见书: the numbered documents served on the enterprise."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from inspector_app.domain.finding import Order, RecheckResult
from inspector_app.reports.data import InspectorInfo, NoticeData, RecheckData, SignatureInfo
from inspector_app.reports.fonts import markup
from inspector_app.reports.layout import (
    BAD_FILL,
    BODY,
    BODY_FLUSH,
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    FRAME_WIDTH,
    SIGN,
    SMALL,
    bold,
    build,
    flagged,
    fmt_date,
    make_doc,
    para,
    red,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import Seal, signature_cell

NOTICE_TITLE = "责令限期整改通知书"
RECHECK_TITLE = "整改复查意见书"
CONSEQUENCE = (
    "逾期未整改或者整改不符合要求的，本单位将依照《中华人民共和国安全生产法》《中华人民共和国消防法》"
    "等法律、法规的规定依法处理。"
)
MAJOR_DUTY = (
    "对重大事故隐患，你单位应当制定并落实整改方案，做到整改措施、责任、资金、时限和预案“五到位”；"
    "隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，暂时停产停业或者停止使用相关设施、设备。"
)
APPEAL = "如不服本通知，可以依法在六十日内申请行政复议，或者在六个月内依法提起行政诉讼。"
COPIES = "本文书一式两份，一份存档，一份交被检查单位。"


def _problem(title: str, description: str) -> str:
    """The title, then the description unless it already repeats the title (the default wording)."""
    if not description or description == title:
        return title
    if description.startswith(title):
        return description
    return f"{title}：{description}"


def _numbers(indices: list[int]) -> str:
    return "、".join(str(i) for i in indices)


def _inspector_names(inspectors: tuple[InspectorInfo, ...]) -> str:
    return "、".join(i.name or i.badge_number for i in inspectors)


def _signing_block(
    inspectors: tuple[InspectorInfo, ...],
    signatures: tuple[SignatureInfo, ...],
    unit: str,
    on: Any,
    seal: Path | None,
    *,
    enterprise_label: str,
) -> list[Flowable]:
    """Inspectors (name, badge, signature), the enterprise's receipt, then the unit and seal."""
    by_role = {s.role: s for s in signatures}
    w = FRAME_WIDTH
    rows: list[list[Any]] = []
    for insp in inspectors:
        sig = by_role.get(f"inspector:{insp.badge_number}")
        rows.append(
            [
                para("检查人员（签名）", CELL),
                signature_cell(sig, blank_label=insp.name),
                para(f"执法证号：{insp.badge_number}", CELL),
            ]
        )
    ent = by_role.get("enterprise")
    if ent is None or (ent.image is None and not ent.refused_reason):
        when = "日期：　　年　　月　　日"  # left for the enterprise to sign by hand on receipt
    else:
        when = f"日期：{fmt_date(ent.signed_at.date() if ent.signed_at else on)}"
    rows.append([para(enterprise_label, CELL), signature_cell(ent), para(when, CELL)])
    table = ruled_table(rows, [w * 0.28, w * 0.40, w * 0.32], header_rows=0, label_cols=(0,))
    return [Spacer(1, 8), KeepTogether([table, Spacer(1, 6), Seal(unit, on, seal)])]


def notice_story(data: NoticeData) -> list[Flowable]:
    story: list[Flowable] = title_block(data.issuer.unit, NOTICE_TITLE, data.number)
    story.append(Spacer(1, 4))
    story.append(bold(f"{data.enterprise.name}：", BODY_FLUSH, weight=0.25))
    intro = (
        f"{fmt_date(data.inspected_on)}，本单位检查人员{_inspector_names(data.inspectors)}"
        f"依法对你单位（地址：{data.enterprise.address or data.place or '—'}）进行了现场检查。"
        "经查，你单位存在下列问题："
    )
    story.append(para(intro, BODY))
    immediate: list[int] = []
    by_date: dict[Any, list[int]] = {}
    majors: list[int] = []
    item_style = _hanging()
    for n, f in enumerate(data.findings, start=1):
        text = f"{n}. " + ("【重大事故隐患】" if f.major else "") + _problem(f.title, f.description)
        if not text.endswith(("。", "；", "！")):
            text += "。"
        if f.order is Order.IMMEDIATE:
            order = "立即整改。"
            immediate.append(n)
        else:
            order = f"限期整改，于{fmt_date(f.deadline)}前整改完毕。"
            by_date.setdefault(f.deadline, []).append(n)
        detail = f"整改要求：{order}" + (f"{f.rectification}" if f.rectification else "")
        if f.legal_basis:
            detail += f"（依据：{f.legal_basis}）"
        if f.major:
            majors.append(n)
            story.append(red(text, item_style))
        else:
            story.append(para(text, item_style))
        story.append(Paragraph(markup(detail), _detail()))
    orders = []
    if immediate:
        orders.append(f"对第{_numbers(immediate)}项问题，责令你单位立即整改")
    for deadline in sorted(by_date):
        orders.append(f"对第{_numbers(by_date[deadline])}项问题，责令你单位于{fmt_date(deadline)}前整改完毕")
    story.append(Spacer(1, 4))
    story.append(para("；".join(orders) + "。" + CONSEQUENCE, BODY))
    if majors:
        story.append(flagged(f"第{_numbers(majors)}项为重大事故隐患。", MAJOR_DUTY))
    story.append(para(f"本单位将于{fmt_date(data.recheck_on)}起对整改情况进行复查。", BODY))
    story.append(para(APPEAL, BODY))
    story += _signing_block(
        data.inspectors,
        data.signatures,
        data.issuer.unit,
        data.issued_on,
        data.issuer.seal,
        enterprise_label="被检查单位负责人（签收）",
    )
    story.append(para(COPIES, SMALL))
    return story


def recheck_story(data: RecheckData) -> list[Flowable]:
    story: list[Flowable] = title_block(data.issuer.unit, RECHECK_TITLE, data.number)
    story.append(Spacer(1, 4))
    story.append(bold(f"{data.enterprise.name}：", BODY_FLUSH, weight=0.25))
    refs = "、".join(f"{fmt_date(n.issued_on)}《{NOTICE_TITLE}》（{n.number}）" for n in data.notices)
    story.append(
        para(
            f"本单位于{refs}责令你单位对下列问题进行整改。{fmt_date(data.rechecked_on)}，本单位检查人员"
            f"{_inspector_names(data.inspectors)}对整改情况进行了复查，复查意见如下：",
            BODY,
        )
    )
    w = FRAME_WIDTH
    rows: list[list[Any]] = [[para(h, CELL_HEAD) for h in ("序号", "存在问题", "原整改要求", "复查结果")]]
    extra: list[tuple[Any, ...]] = []
    failed: list[tuple[int, Any]] = []
    for n, line in enumerate(data.lines, start=1):
        required = "立即整改" if line.order is Order.IMMEDIATE else f"{fmt_date(line.deadline)}前整改完毕"
        tag = "【重大】" if line.severity.value == "重大" else ""
        problem = tag + _problem(line.title, line.description)
        if line.result is RecheckResult.RECTIFIED:
            done_cell = para("已整改", CELL)
            result_cell: Any = [done_cell, para(line.note, CELL)] if line.note else done_cell
        else:
            text = "未整改" + (f"，限{fmt_date(line.new_deadline)}前整改完毕" if line.new_deadline else "")
            result_cell = [red(text, CELL), para(line.note, CELL)] if line.note else red(text, CELL)
            extra.append(("BACKGROUND", (0, n), (-1, n), BAD_FILL))
            failed.append((n, line.new_deadline))
        rows.append(
            [para(str(n), CELL_CENTER), para(problem, CELL), para(required, CELL_CENTER), result_cell]
        )
    story.append(ruled_table(rows, [w * 0.08, w * 0.50, w * 0.18, w * 0.24], extra=extra))
    story.append(Spacer(1, 6))
    if not failed:
        story.append(para("经复查，上述问题已全部整改完毕，予以销号。", BODY))
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
        story.append(flagged(text + "；".join(parts) + "。", CONSEQUENCE))
    story += _signing_block(
        data.inspectors,
        data.signatures,
        data.issuer.unit,
        data.issued_on,
        data.issuer.seal,
        enterprise_label="被检查单位负责人（签收）",
    )
    story.append(para(COPIES, SMALL))
    return story


def _hanging() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("notice_item", parent=BODY, firstLineIndent=0, leftIndent=24, spaceBefore=2)


def _detail() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("notice_detail", parent=SIGN, fontSize=11, leading=18, leftIndent=36, spaceAfter=2)


def build_notice(data: NoticeData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(str(target) if isinstance(target, Path) else target, f"{NOTICE_TITLE} {data.number}")
    build(doc, notice_story(data))


def build_recheck(data: RecheckData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(str(target) if isinstance(target, Path) else target, f"{RECHECK_TITLE} {data.number}")
    build(doc, recheck_story(data))
