"""现场检查记录: the on-site inspection record of one visit, and a day's records in one file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from inspector_app.domain.clock import local_date
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.data import RecordData
from inspector_app.reports.fonts import SERIF, markup
from inspector_app.reports.layout import (
    BAD_FILL,
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
    fmt_minute,
    make_doc,
    para,
    red,
    ruled_table,
    title_block,
)
from inspector_app.reports.parts import (
    enterprise_rows,
    heading,
    inspector_text,
    photo_grid,
    qr_code,
    qr_payload,
    signature_table,
    span_rows,
)

TITLE = "现场检查记录"
BADGE_NOTE = "检查人员已向被检查单位出示行政执法证件，表明身份，告知检查事项和依据。"
RESULT_MARK = {"ok": "√ ", "bad": "× ", "na": "", "info": "", "empty": ""}


def record_story(data: RecordData) -> list[Flowable]:
    story: list[Flowable] = [DocumentStart()]
    title = TITLE if data.kind is VisitKind.INSPECTION else "现场复查记录"
    story += title_block(data.issuer.unit, title, f"编号：{data.number}" if data.number else None)
    if not data.completed:
        story.append(red("草稿：检查尚未完成，本记录不作为执法文书", CELL_CENTER))
        story.append(Spacer(1, 4))
    story.append(_header_table(data))
    story += _checklist(data)
    if data.kind is VisitKind.RECHECK:
        story += _recheck(data)
    story += _findings(data)
    story += _requests(data)
    if data.photos:
        story.append(heading(f"{_next_number(data, 'photos')}、现场照片"))
        story.append(photo_grid(data.photos, data.cache_dir, columns=3))
    story += _conclusion_and_signatures(data)
    return story


def _header_table(data: RecordData) -> Table:
    w = FRAME_WIDTH
    rows = enterprise_rows(data.enterprise)
    end = data.completed_at
    if end is not None and local_date(end) == local_date(data.started_at):
        time_text = f"{fmt_minute(data.started_at)} 至 {fmt_minute(end)[-6:]}"
    elif end is not None:
        time_text = f"{fmt_minute(data.started_at)} 至 {fmt_minute(end)}"
    else:
        time_text = f"{fmt_minute(data.started_at)} 起（未完成）"
    rows += [
        [para("检查地点", CELL_LABEL), para(data.place or data.enterprise.address or "—", CELL), "", ""],
        [para("检查时间", CELL_LABEL), para(time_text, CELL), "", ""],
        [
            para("检查单位", CELL_LABEL),
            para(data.issuer.unit or "—", CELL),
            para("检查表", CELL_LABEL),
            para(data.form_title, CELL),
        ],
        [para("检查人员", CELL_LABEL), para(inspector_text(data.inspectors), CELL), "", ""],
        [para("出示证件", CELL_LABEL), para(BADGE_NOTE, CELL), "", ""],
    ]
    spans = span_rows([0, 2, 4, 5, 7, 8])
    return ruled_table(
        rows,
        [w * 0.19, w * 0.36, w * 0.15, w * 0.30],
        header_rows=0,
        label_cols=(0,),
        extra=[
            *spans,
            ("BACKGROUND", (2, 1), (2, 1), _fill()),
            ("BACKGROUND", (2, 3), (2, 3), _fill()),
            ("BACKGROUND", (2, 6), (2, 6), _fill()),
        ],
    )


def _fill() -> Any:
    from inspector_app.reports.layout import HEAD_FILL

    return HEAD_FILL


_HEADINGS = ("checklist", "recheck", "findings", "requests", "photos", "conclusion")
_NUMERALS = "一二三四五六七八九十"


def _next_number(data: RecordData, part: str) -> str:
    present = ["checklist"]
    if data.kind is VisitKind.RECHECK:
        present.append("recheck")
    present += ["findings", "requests"]
    if data.photos:
        present.append("photos")
    present.append("conclusion")
    return _NUMERALS[present.index(part)]


def _checklist(data: RecordData) -> list[Flowable]:
    out: list[Flowable] = [heading(f"{_next_number(data, 'checklist')}、检查情况")]
    if not data.sections:
        out.append(para("（本次检查无检查项目记录）", BODY_FLUSH))
        return out
    w = FRAME_WIDTH
    rows: list[list[Any]] = [
        [para("序号", CELL_HEAD), para("检查项目", CELL_HEAD), para("检查结果", CELL_HEAD)]
    ]
    extra: list[tuple[Any, ...]] = []
    for section in data.sections:
        r = len(rows)
        rows.append([para(section.title, CELL), "", ""])
        extra += [("SPAN", (0, r), (2, r)), ("BACKGROUND", (0, r), (2, r), _fill())]
        for line in section.lines:
            r = len(rows)
            mark = RESULT_MARK[line.result]
            answer: Flowable = (
                red(mark + line.answer, CELL) if line.result == "bad" else para(mark + line.answer, CELL)
            )
            rows.append([para(str(line.number), CELL_CENTER), para(line.label, CELL), answer])
            if line.result == "bad":
                extra.append(("BACKGROUND", (0, r), (-1, r), BAD_FILL))
    bad = sum(1 for s in data.sections for ln in s.lines if ln.result == "bad")
    out.append(ruled_table(rows, [w * 0.08, w * 0.62, w * 0.30], header_rows=1, extra=extra))
    total = sum(len(s.lines) for s in data.sections)
    summary = f"共检查 {total} 项，其中不符合 {bad} 项。" if bad else f"共检查 {total} 项，未发现不符合项。"
    out.append(Spacer(1, 3))
    out.append(para(summary, SMALL))
    return out


def _recheck(data: RecordData) -> list[Flowable]:
    out: list[Flowable] = [heading(f"{_next_number(data, 'recheck')}、复查情况")]
    if not data.recheck:
        out.append(para("（未记录复查结果）", BODY_FLUSH))
        return out
    w = FRAME_WIDTH
    rows: list[list[Any]] = [[para(h, CELL_HEAD) for h in ("序号", "原发现问题", "原整改期限", "复查结果")]]
    extra: list[tuple[Any, ...]] = []
    for n, line in enumerate(data.recheck, start=1):
        ok = line.result.value == "已整改"
        result = (
            para(line.result.value, CELL_CENTER)
            if ok
            else red(
                f"{line.result.value}"
                + (f"，新期限 {fmt_date(line.new_deadline)}" if line.new_deadline else ""),
                CELL,
            )
        )
        note = f"<br/>{markup(line.note)}" if line.note else ""
        rows.append(
            [
                para(str(n), CELL_CENTER),
                Paragraph(markup(line.title) + note, CELL),
                para(fmt_date(line.deadline), CELL_CENTER),
                result,
            ]
        )
        if not ok:
            extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), BAD_FILL))
    out.append(ruled_table(rows, [w * 0.08, w * 0.48, w * 0.18, w * 0.26], extra=extra))
    return out


def _findings(data: RecordData) -> list[Flowable]:
    out: list[Flowable] = [heading(f"{_next_number(data, 'findings')}、发现的问题（隐患）")]
    if not data.findings:
        out.append(para("本次检查未发现问题。", BODY_FLUSH))
        return out
    for n, f in enumerate(data.findings, start=1):
        tag = "【重大隐患】" if f.major else "【一般隐患】"
        head = (
            red(f"{n}. {tag}{f.title}", BODY_FLUSH) if f.major else para(f"{n}. {tag}{f.title}", BODY_FLUSH)
        )
        order = (
            f.order.value if f.order.value == "立即整改" else f"{f.order.value}（{fmt_date(f.deadline)}前）"
        )
        lines = [f"问题描述：{f.description}"] if f.description and f.description != f.title else []
        lines.append(f"处理：{order}")
        if f.rectification:
            lines.append(f"整改要求：{f.rectification}")
        if f.legal_basis:
            lines.append(f"依据：{f.legal_basis}")
        detail = Paragraph("<br/>".join(markup(x) for x in lines), _indented())
        block: list[Flowable] = [head, detail]
        if f.photos:
            block.append(Spacer(1, 2))
            block.append(photo_grid(f.photos, data.cache_dir, columns=3, caption_prefix=f"问题{n} "))
        # Keep the title with its first lines; photos may still move to the next page together.
        out.append(KeepTogether(block[:2]))
        out += block[2:]
        out.append(Spacer(1, 4))
    return out


def _indented() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("finding_detail", parent=CELL, fontSize=10.5, leading=16, leftIndent=18)


def _requests(data: RecordData) -> list[Flowable]:
    out: list[Flowable] = [heading(f"{_next_number(data, 'requests')}、企业诉求（困难）")]
    if not data.requests:
        out.append(para("企业未提出诉求。", BODY_FLUSH))
        return out
    w = FRAME_WIDTH
    rows: list[list[Any]] = [[para(h, CELL_HEAD) for h in ("序号", "类别", "诉求内容", "办理状态")]]
    for n, r in enumerate(data.requests, start=1):
        rows.append(
            [
                para(str(n), CELL_CENTER),
                para(r.category, CELL_CENTER),
                para(r.description, CELL),
                para(r.status, CELL_CENTER),
            ]
        )
    out.append(ruled_table(rows, [w * 0.08, w * 0.16, w * 0.60, w * 0.16]))
    return out


def _conclusion_and_signatures(data: RecordData) -> list[Flowable]:
    w = FRAME_WIDTH
    n = len(data.findings)
    if data.outcome:
        text = f"检查结论：{data.outcome}。"
    else:
        text = "检查结论：" + (f"发现问题 {n} 项，已当场告知整改要求。" if n else "未发现问题。")
    major = sum(1 for f in data.findings if f.major)
    if major:
        text += f"其中重大隐患 {major} 项。"
    block: list[Flowable] = [
        heading(f"{_next_number(data, 'conclusion')}、检查结论及签名"),
        para(text, BODY_FLUSH),
        Spacer(1, 4),
        para("被检查单位对以上记录内容核对无误（拒绝签名的，由检查人员注明情况）。", SMALL),
        Spacer(1, 3),
    ]
    day = local_date(data.completed_at or data.started_at)
    sigs = signature_table(data.signatures, day)
    qr = qr_code(qr_payload(data.visit_id, data.content_hash))
    hash_text = data.content_hash[:16] if data.content_hash else "（未完成，无摘要）"
    verify = [
        qr,
        para(f"记录编号：{data.visit_id}", SMALL),
        para(f"内容摘要：{hash_text}", SMALL),
        para("扫码可核对本记录与系统存档是否一致", SMALL),
    ]
    side = Table([[sigs, verify]], colWidths=[w * 0.70, w * 0.30])
    side.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), SERIF),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm),
            ("LEFTPADDING", (1, 0), (1, 0), 2 * mm),
        ]
    )
    # Signature table width follows its column; recompute for the narrower cell.
    sigs._argW = [w * 0.70 * f for f in (0.36, 0.38, 0.26)]
    block.append(side)
    block.append(Spacer(1, 4))
    block.append(para("本记录一式两份，一份存档，一份交被检查单位。", SMALL))
    return [CondPageBreak(70 * mm), KeepTogether(block)]


# --------------------------------------------------------------------------------- documents


def build_record(data: RecordData, target: str | Path | IO[bytes]) -> None:
    doc = make_doc(_target(target), f"{TITLE} {data.enterprise.name}")
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
    doc = make_doc(_target(target), title)
    build(doc, story)
    return sum(1 for f in story if isinstance(f, _LazyRecord))


def _target(target: str | Path | IO[bytes]) -> Any:
    return str(target) if isinstance(target, Path) else target


__all__ = ["build_batch", "build_record", "record_story"]
