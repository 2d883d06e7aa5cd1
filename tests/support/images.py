"""Images for tests, as bytes: a photo a camera might take, a drawn signature, small distinct PNGs."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def jpeg(size: tuple[int, int] = (1600, 1200), color: str = "#3A7", orientation: int = 1) -> bytes:
    """A photo with a white block (so a rotation shows) and its EXIF orientation tag."""
    img = Image.new("RGB", size, color)
    d = ImageDraw.Draw(img)
    d.rectangle([size[0] // 10, size[1] // 10, size[0] // 2, size[1] // 3], fill="#FFF")
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    return buf.getvalue()


def signature_png() -> bytes:
    """A stroke on a transparent pad, as the signature pad saves it."""
    img = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(10, 80), (90, 20), (170, 85), (290, 25)], fill=(0, 0, 80, 255), width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def png(seed: int, size: tuple[int, int] = (120, 48)) -> bytes:
    """A small distinct PNG (a signature)."""
    buf = io.BytesIO()
    img = Image.new("RGB", size, "white")
    img.putpixel((seed % size[0], (seed // size[0]) % size[1]), (seed % 256, 0, 0))
    img.save(buf, "PNG")
    return buf.getvalue()


def photo(seed: int, side: int = 640) -> bytes:
    """A JPEG of noise: large (~300-600 KB) and incompressible, like a real photo's bytes."""
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rnd.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92)
    return buf.getvalue()
