"""The fonts of the printed documents, registered from the app's own resources, never the system's.

A document must print the same on a laptop without any Chinese font, so only the files shipped in
``resources/fonts`` are used and every font is embedded. The serif face (AR PL UMing, 宋体-like) is
a GB2312 subset; the few characters it lacks (rare name characters) are drawn from Droid Sans
Fallback, chosen per character by :func:`markup`.
"""

from __future__ import annotations

import threading
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from inspector_app.paths import fonts_dir

SERIF = "InspSerif"  # AR PL UMing CN subset (宋体 style): body and tables
SANS = "InspSans"  # Droid Sans Fallback (黑体 style): titles and headings; fallback for rare characters
HEI = SANS
SERIF_FILE = "uming-gb.ttf"
SANS_FILE = "DroidSansFallbackFull.ttf"

_lock = threading.Lock()


class FontMissingError(RuntimeError):
    """The shipped fonts are not where the installation should have put them."""


@cache
def _codepoints(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def register_fonts() -> None:
    """Register both faces once per process (reportlab's registry is global)."""
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        if SERIF in registered and SANS in registered:
            return
        folder = fonts_dir()
        for name, file in ((SERIF, SERIF_FILE), (SANS, SANS_FILE)):
            if name in registered:
                continue
            path = folder / file
            if not path.exists():
                raise FontMissingError(f"找不到字体文件 {path}，请重新安装检查工作台")
            # asciiReadable=False keeps the subset names short; subfontIndex is irrelevant for .ttf.
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> inside paragraphs would otherwise look for a bold file we do not ship; documents draw
        # emphasis with a stroked outline instead (see layout.BoldParagraph).
        pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF, italic=SERIF, boldItalic=SERIF)


def serif_has(ch: str) -> bool:
    register_fonts()
    return ord(ch) in _codepoints(SERIF)


def markup(text: object) -> str:
    """Paragraph markup for user text: XML-escaped, characters missing from the serif face switched
    to the fallback face, line breaks kept."""
    register_fonts()
    serif = _codepoints(SERIF)
    sans = _codepoints(SANS)
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            out.append(f'<font face="{SANS}">{escape("".join(pending))}</font>')
            pending.clear()

    for ch in str(text):
        if ch == "\n":
            flush()
            out.append("<br/>")
        elif ch == "\r":
            continue
        elif ord(ch) in serif or ord(ch) not in sans:
            flush()
            out.append(escape(ch))
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def markup_hei(text: object) -> str:
    """Markup for a 黑体 paragraph: Droid Sans Fallback has no Latin glyphs, so digits and Latin
    letters (and anything else it lacks) are drawn from the serif face."""
    register_fonts()
    sans = _codepoints(SANS)
    out: list[str] = []
    for ch in str(text):
        if ch == "\n":
            out.append("<br/>")
        elif ord(ch) in sans and ord(ch) > 0x2000:
            out.append(escape(ch))
        else:
            out.append(f'<font face="{SERIF}">{escape(ch)}</font>')
    return "".join(out).replace(f'</font><font face="{SERIF}">', "")
