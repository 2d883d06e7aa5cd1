"""Page, styles and flowables shared by every document: A4, official-document conventions.

After GB/T 9704-2012 where it applies: A4, text block 156 × 225 mm (top margin 37 mm, left 28 mm),
title in 二号 (22 pt) centred, the number centred under it, first-level headings in 黑体, body in
the 宋体 face (仿宋 is not available under a redistributable licence that reportlab can embed —
see resources/fonts/README.md), black text only, tables with ruled borders, signature blocks
kept with the text above them, and "第 N 页 共 M 页" centred in the footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from inspector_app.domain.clock import local_time
from inspector_app.reports.fonts import HEI, SERIF, markup, markup_hei, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
MARGIN_TOP = 30 * mm  # 37 mm in GB/T 9704 for 公文; forms keep 30 mm to hold the header table on page 1
MARGIN_BOTTOM = 28 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Official documents print in black only; emphasis is the 黑体 face and the × mark, never colour.
RED = colors.black
GREY = colors.black
RULE = colors.black
HEAD_FILL = colors.white
BAD_FILL = colors.white

register_fonts()

# Chinese line breaking (避头): reportlab's CJK wrap keeps its ALL_CANNOT_START characters off the
# start of a line but the list lacks the full-width Chinese punctuation; without them a line can
# begin with "，" or "：". The list is read from the paragraph module at wrap time.
_NO_LINE_START = "，：；？！）》”’〉』」、。"
for _module in (_rl_paragraph, _rl_textsplit):  # multi-fragment and single-fragment paragraphs
    _module.ALL_CANNOT_START += "".join(ch for ch in _NO_LINE_START if ch not in _module.ALL_CANNOT_START)

TITLE = ParagraphStyle("title", fontName=HEI, fontSize=22, leading=32, alignment=TA_CENTER, spaceAfter=4)
SUBTITLE = ParagraphStyle("subtitle", fontName=SERIF, fontSize=12, leading=18, alignment=TA_CENTER)
UNIT = ParagraphStyle("unit", fontName=SERIF, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=2)
DOCNO = ParagraphStyle("docno", fontName=SERIF, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=6)
BODY = ParagraphStyle(
    "body",
    fontName=SERIF,
    fontSize=12,
    leading=21,
    alignment=TA_JUSTIFY,
    firstLineIndent=24,
    wordWrap="CJK",
)
BODY_FLUSH = ParagraphStyle("body_flush", parent=BODY, firstLineIndent=0)
HEADING = ParagraphStyle(
    "heading",
    fontName=HEI,
    fontSize=13,
    leading=20,
    spaceBefore=8,
    spaceAfter=4,
    wordWrap="CJK",
    keepWithNext=1,
)
HEADING_LOOSE = ParagraphStyle("heading_loose", parent=HEADING, keepWithNext=0)
CELL = ParagraphStyle("cell", fontName=SERIF, fontSize=10, leading=14, alignment=TA_LEFT, wordWrap="CJK")
CELL_CENTER = ParagraphStyle("cell_center", parent=CELL, alignment=TA_CENTER)
CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=TA_RIGHT)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, alignment=TA_CENTER)
CELL_LABEL = ParagraphStyle("cell_label", parent=CELL, alignment=TA_CENTER, textColor=colors.black)
CELL_BAD = ParagraphStyle("cell_bad", parent=CELL_CENTER, textColor=RED)
SMALL = ParagraphStyle(
    "small", fontName=SERIF, fontSize=9, leading=12, textColor=colors.black, wordWrap="CJK"
)
SIGN = ParagraphStyle("sign", fontName=SERIF, fontSize=11, leading=18, wordWrap="CJK")
SIGN_RIGHT = ParagraphStyle("sign_right", parent=SIGN, alignment=TA_RIGHT)


class BoldParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph drawn with a thin outline stroke: the shipped 宋体 face has no bold weight, and
    fill-then-stroke (text render mode 2) is how printers fake one without a second font file."""

    def __init__(self, text: str, style: ParagraphStyle, *, weight: float = 0.35, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        self._weight = weight

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(self._weight)
        canv.setStrokeColor(self.style.textColor)
        canv.setLineJoin(1)
        # Text objects only emit "Tr" when the mode changes from what they believe (0), so a mode
        # set in the graphics state here survives into the paragraph's text objects.
        canv._code.append("2 Tr")
        super().draw()
        canv._code.append("0 Tr")
        canv.restoreState()


def para(text: object, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(markup(text), style)


_hei_styles: dict[str, ParagraphStyle] = {}


def hei(text: object, style: ParagraphStyle = CELL) -> Paragraph:
    """Emphasis as official documents make it: the 黑体 face, black (no colour, no faked bold)."""
    hei_style = _hei_styles.get(style.name)
    if hei_style is None:
        hei_style = _hei_styles[style.name] = ParagraphStyle(f"{style.name}_hei", parent=style, fontName=HEI)
    return Paragraph(markup_hei(text), hei_style)


def bold(text: object, style: ParagraphStyle = CELL, weight: float = 0.35) -> Paragraph:
    return hei(text, style)


def red(text: object, style: ParagraphStyle = CELL_BAD) -> Paragraph:
    """Kept for older callers: a non-compliance is printed in 黑体, black."""
    return hei(text, style)


def flagged(flag: str, rest: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph whose opening words are printed in 黑体."""
    return Paragraph(f'<font face="{HEI}">{markup_hei(flag)}</font>{markup(rest)}', style)


def fmt_date(d: date | None) -> str:
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def fmt_minute(dt: datetime | None) -> str:
    if dt is None:
        return ""
    local = local_time(dt)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour:02d}时{local.minute:02d}分"


def title_block(unit: str, title: str, number: str | None) -> list[Flowable]:
    out: list[Flowable] = []
    if unit:
        out.append(para(unit, UNIT))
    out.append(Paragraph(markup_hei(title), TITLE))
    out.append(para(number or "", DOCNO) if number else Spacer(1, 6))
    return out


def ruled_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
    label_cols: Sequence[int] = (),
) -> Table:
    """A table with full rules; header rows repeat on every page the table runs onto."""
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=header_rows, hAlign="CENTER")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),  # empty filler cells would pull in Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.0, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL))
    for col in label_cols:
        style.append(("BACKGROUND", (col, 0), (col, -1), HEAD_FILL))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds each page until the end so the footer can say "共 M 页".

    Pages are grouped into documents by :class:`DocumentStart` markers, so a batch of records
    numbers each record's pages on their own, as if printed one by one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The default Helvetica would be referenced (unembedded) by every page otherwise.
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = SERIF
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._group_starts: list[int] = []
        self.footer_hook: Callable[[Canvas, int], None] | None = None

    def mark_document_start(self) -> None:
        self._group_starts.append(len(self._pages))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        starts = sorted(set(self._group_starts) | {0})
        bounds = [*starts, len(self._pages)]
        for g in range(len(starts)):
            first, end = bounds[g], bounds[g + 1]
            for index in range(first, end):
                self.__dict__.update(self._pages[index])
                self._draw_footer(index - first + 1, end - first)
                super().showPage()
        super().save()

    def _draw_footer(self, page: int, total: int) -> None:
        self.saveState()
        self.setFont(SERIF, 10)
        self.setFillColor(colors.black)
        self.drawCentredString(PAGE_WIDTH / 2, 12 * mm, f"第 {page} 页 共 {total} 页")
        self.restoreState()


class DocumentStart(Flowable):  # type: ignore[misc]
    """Zero-size marker: the page it lands on starts a new document in the footer's numbering."""

    width = height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        mark = getattr(self.canv, "mark_document_start", None)
        if mark is not None:
            mark()


def make_doc(
    target: Any, title: str, *, on_page: Callable[[Canvas, Any], None] | None = None
) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="检查工作台",
        creator="inspector-app",
        invariant=True,  # same data, same bytes: reprints can be compared
        initialFontName=SERIF,
    )
    frame = Frame(
        MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body"
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page or _no_decoration)])
    return doc


def _no_decoration(canv: Canvas, doc: Any) -> None:
    return None


def build(doc: BaseDocTemplate, story: list[Flowable]) -> None:
    doc.build(story, canvasmaker=NumberedCanvas)
