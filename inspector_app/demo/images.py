"""Stand-in pictures for the demo: signatures, the seal and scene photos (drawn, never real)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def signature_png(text: str) -> bytes:
    image = Image.new("RGB", (240, 90), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(20, 60), (80, 25), (130, 65), (200, 30)], fill="black", width=3)
    draw.text((20, 70), text.encode("ascii", "ignore").decode() or "sign", fill="black")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def seal_png(unit: str) -> bytes:
    """A stand-in seal (a ring and a star; the real seal image is the office's): red, as seals are."""
    image = Image.new("RGBA", (300, 300), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, 290, 290], outline=(200, 20, 20, 220), width=10)
    star = [
        (150, 95),
        (163, 135),
        (205, 135),
        (171, 160),
        (184, 200),
        (150, 176),
        (116, 200),
        (129, 160),
        (95, 135),
        (137, 135),
    ]
    draw.polygon(star, fill=(200, 20, 20, 220))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def scene_jpeg(rnd: random.Random) -> bytes:
    """A plain photo stand-in: a few coloured blocks, different per call but fixed by the seed."""
    image = Image.new("RGB", (320, 240), tuple(rnd.randint(120, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rnd.randint(0, 260), rnd.randint(0, 180)
        draw.rectangle([x, y, x + 60, y + 60], fill=tuple(rnd.randint(0, 255) for _ in range(3)))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=70)
    return buf.getvalue()
