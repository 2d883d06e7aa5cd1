"""Photos at print resolution, upright, cached by content hash.

A 12-megapixel photo printed 8 cm wide needs about 800 pixels; embedding the original would make a
record tens of megabytes and slow to build. The print copy is made once (JPEG draft decoding reads
the file at 1/2, 1/4 or 1/8 scale, so a 12 MP photo decodes in a few milliseconds) and kept in the
workspace's ``thumbnails/print`` folder under the photo's sha256, so reprints cost nothing.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

PRINT_LONG_SIDE = 1000  # pixels: ~300 dpi at the 8 cm a photo is printed
JPEG_QUALITY = 80


def cached_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / "print" / sha256[:2] / f"{sha256}-{PRINT_LONG_SIDE}.jpg"


def _downscale(source: Path) -> bytes:
    with Image.open(source) as img:
        if img.format == "JPEG":
            img.draft("RGB", (PRINT_LONG_SIDE, PRINT_LONG_SIDE))
        upright = ImageOps.exif_transpose(img)
        upright.thumbnail((PRINT_LONG_SIDE, PRINT_LONG_SIDE), Image.Resampling.LANCZOS)
        if upright.mode not in ("RGB", "L"):
            background = Image.new("RGB", upright.size, "white")
            alpha = upright.convert("RGBA").getchannel("A")
            background.paste(upright.convert("RGB"), mask=alpha)
            upright = background
        buf = io.BytesIO()
        upright.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return buf.getvalue()


def print_copy(source: Path, sha256: str, cache_dir: Path | None) -> Path | io.BytesIO | None:
    """The print copy of a photo: a cached file, or bytes when there is no cache; None if unreadable."""
    if cache_dir is not None:
        target = cached_path(cache_dir, sha256)
        if target.exists():
            return target
    try:
        data = _downscale(source)
    except (FileNotFoundError, UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    if cache_dir is None:
        return io.BytesIO(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a second window printing at the same time never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".print-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(target)
    except OSError:
        return io.BytesIO(data)  # a read-only workspace still prints
    return target


def image_size(source: Path) -> tuple[int, int]:
    """Upright size without decoding pixels (for photos whose size the store does not know)."""
    try:
        with Image.open(source) as img:
            w, h = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (FileNotFoundError, UnidentifiedImageError, OSError):
        return 0, 0
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)
