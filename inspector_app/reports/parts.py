"""Pieces several documents share: photos, signature blocks, the seal, the verification QR code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from inspector_app.reports import images
from inspector_app.reports.data import EnterpriseInfo, InspectorInfo, Photo, SignatureInfo
from inspector_app.reports.fonts import SERIF, markup
from inspector_app.reports.layout import (
    CELL,
    CELL_LABEL,
    FRAME_WIDTH,
    GREY,
    SIGN,
    SMALL,
    bold,
    fmt_date,
    para,
    ruled_table,
)

QR_PREFIX = "INSPREC1"


class PhotoBox(Flowable):  # type: ignore[misc]
    """One photo fitted into a box; the print copy is made only when the page is drawn, so building a
    long batch never holds more than one decoded photo."""

    def __init__(self, photo: Photo, cache_dir: Path | None, box_w: float, box_h: float) -> None:
        super().__init__()
        self.photo = photo
        self.cache_dir = cache_dir
        w, h = photo.width, photo.height
        if not (w and h):
            w, h = images.image_size(photo.source)
        if not (w and h):
            w, h = 4, 3
        scale = min(box_w / w, box_h / h)
        self.draw_w, self.draw_h = w * scale, h * scale
        self.box_w, self.box_h = box_w, box_h

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.box_w, self.box_h

    def draw(self) -> None:
        x = (self.box_w - self.draw_w) / 2
        y = (self.box_h - self.draw_h) / 2
        src = images.print_copy(self.photo.source, self.photo.sha256, self.cache_dir)
        canv = self.canv
        if src is None:
            canv.saveState()
            canv.setStrokeColor(GREY)
            canv.setDash(2, 2)
            canv.rect(x, y, self.draw_w, self.draw_h)
            canv.setFont(SIGN.fontName, 9)
            canv.setFillColor(GREY)
            canv.drawCentredString(self.box_w / 2, self.box_h / 2, "照片文件缺失")
            canv.restoreState()
            return
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(str(src) if isinstance(src, Path) else src)
        canv.drawImage(reader, x, y, self.draw_w, self.draw_h)


def photo_grid(
    photos: Sequence[Photo], cache_dir: Path | None, *, columns: int = 2, caption_prefix: str = ""
) -> Table:
    gap = 4 * mm
    cell_w = (FRAME_WIDTH - gap * (columns - 1)) / columns
    box_h = cell_w * 0.75
    rows: list[list[Any]] = []
    for start in range(0, len(photos), columns):
        chunk = list(photos[start : start + columns])
        cells: list[Any] = []
        for i, p in enumerate(chunk):
            n = start + i + 1
            cap = f"{caption_prefix}图{n}" + (f"　{p.caption}" if p.caption else "")
            cells.append([PhotoBox(p, cache_dir, cell_w - 2, box_h), para(cap, SMALL)])
        cells += [""] * (columns - len(chunk))
        rows.append(cells)
    table = Table(
        rows, colWidths=[cell_w + (gap if c < columns - 1 else 0) for c in range(columns)], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


class SignatureImage(Flowable):  # type: ignore[misc]
    def __init__(self, path: Path, max_w: float, max_h: float) -> None:
        super().__init__()
        self.path = path
        w, h = images.image_size(path)
        if not (w and h):
            w, h = 3, 1
        scale = min(max_w / w, max_h / h)
        self.w, self.h = w * scale, h * scale

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.w, self.h

    def draw(self) -> None:
        if self.path.exists():
            self.canv.drawImage(str(self.path), 0, 0, self.w, self.h, mask="auto")


def signature_cell(
    sig: SignatureInfo | None, *, blank_label: str = "（签名）", blank: bool = False
) -> list[Flowable]:
    """The signature image, the written-down refusal, or — in blank mode, for wet ink — an empty box
    with the signer's printed name under it."""
    if blank:
        name = sig.signer if sig is not None and sig.signer else ""
        return [Spacer(1, 10 * mm), para(name, SMALL)]
    if sig is None:
        return [Spacer(1, 10 * mm), para(blank_label, SMALL)]
    if sig.image is not None and sig.image.exists():
        return [SignatureImage(sig.image, 32 * mm, 8 * mm), para(sig.signer, SMALL)]
    if sig.refused_reason:
        return [para(f"{sig.signer}　拒绝签名", CELL), para(f"拒签理由：{sig.refused_reason}", SMALL)]
    name = para(sig.signer, SMALL) if sig.signer else para(blank_label, SMALL)
    return [Spacer(1, 9 * mm), name]


def signature_table(
    signatures: Sequence[SignatureInfo], signed_on: date | None, *, blank: bool = False
) -> Table:
    """One row per signer: who, the signature (or the written-down refusal), the date."""
    rows: list[list[Any]] = [[para("签名人", CELL_LABEL), para("签名", CELL_LABEL), para("日期", CELL_LABEL)]]
    for sig in signatures:
        when = sig.signed_at.date() if sig.signed_at is not None and not sig.refused_reason else signed_on
        signed = (sig.image is not None or sig.refused_reason) and not blank
        day = fmt_date(when) if signed else "　　年　　月　　日"
        if sig.role.startswith("inspector:"):
            label = (
                markup(f"检查人员 {sig.signer}") + "<br/>" + markup(f"执法证号：{sig.role.split(':', 1)[1]}")
            )
        else:
            label = markup(sig.role_label)
        rows.append([Paragraph(label, CELL), signature_cell(sig, blank=blank), para(day, CELL)])
    return ruled_table(rows, [FRAME_WIDTH * 0.34, FRAME_WIDTH * 0.40, FRAME_WIDTH * 0.26], header_rows=1)


def witness_table(*, refused: bool, name: str = "", unit: str = "") -> list[Flowable]:
    """The witness (见证人) in one row: name and work unit as recorded on site (else filled by
    hand), the signature and the date; when the party refused to sign, a line saying the witness
    attests it."""
    w = FRAME_WIDTH
    who = f"{name}（{unit}）" if name and unit else name
    row = [
        para("见证人", CELL_LABEL),
        para(who, CELL),
        para("见证人签名", CELL_LABEL),
        [Spacer(1, 8 * mm)],
        para("日期", CELL_LABEL),
        para("　　年　　月　　日", CELL),
    ]
    table = ruled_table([row], [w * 0.10, w * 0.32, w * 0.13, w * 0.16, w * 0.08, w * 0.21], header_rows=0)
    if not refused:
        return [table]
    return [table, para("被检查单位现场负责人拒绝签名，见证人在场见证。", SMALL)]


def evidence_pages(
    photos: Sequence[Photo], cache_dir: Path | None, *, place: str, photographer: str, number: str
) -> list[Flowable]:
    """附页 现场检查照片: each photo with 拍摄时间, 拍摄地点, 拍摄人 and 说明, two to a page row."""
    from reportlab.platypus import PageBreak

    from inspector_app.reports.layout import TITLE, fmt_minute, hei

    out: list[Flowable] = [PageBreak(), hei("现场检查照片（证据）附页", TITLE)]
    if number:
        # The number already opens with the unit's （简称）: no second bracket around it.
        out.append(para(f"{number} 附页", CELL))
    out.append(Spacer(1, 4))
    w = FRAME_WIDTH
    box_w = w * 0.48
    rows: list[list[Any]] = []
    for start in range(0, len(photos), 2):
        row: list[Any] = []
        for i, p in enumerate(photos[start : start + 2], start=start + 1):
            meta = [
                f"图{i}",
                f"拍摄时间：{fmt_minute(p.taken_at)}" if p.taken_at else "拍摄时间：",
                f"拍摄地点：{place}",
                f"拍摄人：{photographer}",
                f"说明：{p.caption}",
            ]
            row.append([PhotoBox(p, cache_dir, box_w - 6, box_w * 0.7), *[para(x, CELL) for x in meta]])
        row += [""] * (2 - len(row))
        rows.append(row)
    out.append(ruled_table(rows, [w * 0.5, w * 0.5], header_rows=0))
    return out


class Seal(Flowable):  # type: ignore[misc]
    """The issuing unit's name and date, right-aligned, with the seal image printed over them."""

    def __init__(self, unit: str, on: date, seal: Path | None, *, height: float = 22 * mm) -> None:
        super().__init__()
        self.unit = unit  # never empty: the loader refuses documents without the authority's name
        self.on = on
        self.seal = seal
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        right = self.width - 8 * mm
        canv.setFont(SIGN.fontName, 13)
        unit_y = self.height / 2 + 2 * mm
        date_y = unit_y - 9 * mm
        text_w = max(
            canv.stringWidth(self.unit, SIGN.fontName, 13),
            canv.stringWidth(fmt_date(self.on), SIGN.fontName, 13),
        )
        canv.drawRightString(right, unit_y, self.unit)
        canv.drawRightString(right, date_y, fmt_date(self.on))
        if self.seal is not None and self.seal.exists():
            size = 38 * mm
            cx = right - text_w / 2
            # The seal is stamped across the unit name and the date ("骑年盖月"), as on paper.
            canv.drawImage(
                str(self.seal),
                cx - size / 2,
                (unit_y + date_y) / 2 - size / 2 + 2 * mm,
                size,
                size,
                mask="auto",
                preserveAspectRatio=True,
            )


def qr_code(payload: str, size: float = 26 * mm) -> Drawing:
    widget = QrCodeWidget(payload, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    w, h = x2 - x1, y2 - y1
    drawing = Drawing(size, size, transform=[size / w, 0, 0, size / h, 0, 0])
    drawing.add(widget)
    drawing.initialFontName = SERIF  # else the renderer references an unembedded Helvetica
    return drawing


def qr_payload(visit_id: str, content_hash: str) -> str:
    """What the printed code carries: enough to find the record and check it was not altered."""
    return f"{QR_PREFIX}|{visit_id}|{content_hash or '-'}"


def enterprise_rows(ent: EnterpriseInfo) -> list[list[Any]]:
    return [
        [para("被检查单位", CELL_LABEL), para(ent.name, CELL), "", ""],
        [
            para("统一社会信用代码", CELL_LABEL),
            para(ent.credit_code, CELL),
            para("单位类别", CELL_LABEL),
            para(ent.category or "—", CELL),
        ],
        [para("地址", CELL_LABEL), para(ent.address or "—", CELL), "", ""],
        [
            Paragraph("法定代表人<br/>（负责人）", CELL_LABEL),
            para(_person(ent), CELL),
            para("联系电话", CELL_LABEL),
            para(ent.phone or "—", CELL),
        ],
    ]


def _person(ent: EnterpriseInfo) -> str:
    if ent.legal_representative and ent.contact and ent.contact != ent.legal_representative:
        return f"{ent.legal_representative}（现场负责人：{ent.contact}）"
    return ent.legal_representative or ent.contact or "—"


def inspector_text(inspectors: Sequence[InspectorInfo]) -> str:
    return "、".join(f"{i.name or '—'}（执法证号：{i.badge_number}）" for i in inspectors)


def heading(text: str, *, keep: bool = True) -> Flowable:
    """A first-level heading in 黑体; ``keep`` holds it on the page of what follows."""
    from inspector_app.reports.layout import HEADING, HEADING_LOOSE

    return bold(text, HEADING if keep else HEADING_LOOSE)


def span_rows(rows: Sequence[int], first_col: int = 1, last_col: int = 3) -> list[tuple[Any, ...]]:
    return [("SPAN", (first_col, r), (last_col, r)) for r in rows]
