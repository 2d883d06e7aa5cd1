"""Make ``uming-gb.ttf``: AR PL UMing CN cut down to the characters official documents need.

The full ``uming.ttc`` is 21 MB (four fonts of 27,000 glyphs with bitmaps); the app only prints
simplified Chinese, so GB2312 (the 6,763 hanzi and the symbols of its rows 1-9), ASCII, the
punctuation of Chinese typesetting and every character of the shipped form definitions and of the
program's own strings are enough. Characters outside the subset are drawn from Droid Sans
Fallback, which the reports fall back to per character.

Outlines stay TrueType (``glyf``) because reportlab only embeds TrueType outlines. Bitmaps, hinting
and vertical metrics are dropped: they only matter on screens, and reportlab ignores them.

Run from the repository root after changing the forms (the result is committed):

    .venv/bin/python resources/fonts/make_subset.py [/path/to/uming.ttc]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SOURCE = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
TARGET = HERE / "uming-gb.ttf"
FONT_NUMBER = 0  # AR PL UMing CN: the simplified-Chinese glyph variants

# Typesetting marks used in Chinese documents beyond GB2312's symbol rows.
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (°, ×, ·, ±)
    (0x2010, 0x203B),  # dashes, quotes, ellipsis, ‰, ※
    (0x2116, 0x2122),  # №, ℃ neighbours, ™
    (0x2160, 0x216B),  # Roman numerals Ⅰ-Ⅻ
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x249B),  # ①-⑳, ⑴-⒇, ⒈-⒛
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # □ ■ ○ ● △ ▲ ◆
    (0x2605, 0x2606),  # ★ ☆
    (0x2610, 0x2612),  # ☐ ☑ ☒
    (0x2713, 0x2717),  # ✓ ✔ ✕ ✖ ✗
    (0x3000, 0x303F),  # CJK punctuation: 、。〈〉《》「」『』【】〔〕〖〗
    (0x3220, 0x3243),  # ㈠-㈩
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE6),  # ￠ ￡ ￥
)

# Characters common in enterprise and person names that GB2312 lacks (GBK / 通用规范汉字表).
NAME_EXTRAS = "珺昇喆堃犇琤玥琮瑄璟曌囍鑫森淼焱垚奭赟祎禕昀晞煜琨翀旻暐頔彧姮婧嫣祺炜钰瑭璐珏玙堉坤陞"


def gb2312_chars() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def text_chars(root: Path, patterns: tuple[str, ...]) -> set[str]:
    chars: set[str] = set()
    if not root.exists():
        return chars
    for pattern in patterns:
        for path in root.rglob(pattern):
            try:
                chars.update(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return {ch for ch in chars if ord(ch) >= 0x20}


def wanted_codepoints() -> set[int]:
    chars = gb2312_chars()
    chars.update(NAME_EXTRAS)
    chars |= text_chars(REPO / "forms", ("*.yaml", "*.yml", "*.json", "*.toml"))
    chars |= text_chars(REPO / "inspector_app", ("*.py",))
    points = {ord(ch) for ch in chars}
    for lo, hi in EXTRA_RANGES:
        points.update(range(lo, hi + 1))
    return points


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    font = TTFont(source, fontNumber=FONT_NUMBER, lazy=False)
    available = set(font.getBestCmap())
    unicodes = sorted(wanted_codepoints() & available)

    options = subset.Options()
    options.layout_features = ["kern", "vert", "vrt2"]
    options.hinting = False
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF ", "FFTM", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(TARGET)
    size_mb = TARGET.stat().st_size / 1e6
    print(f"{TARGET.name}: {len(unicodes)} characters, {font['maxp'].numGlyphs} glyphs, {size_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
