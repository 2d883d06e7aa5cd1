"""Content-addressed files (photos, signatures): a file's name is the sha256 of its bytes.

The original bytes are kept untouched (the hash is what sync and the printed QR code vouch for);
the thumbnail is made upright from the EXIF orientation, once, when the file arrives.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session

from inspector_app.store import tables

THUMBNAIL_SIZE = (320, 320)
MAX_BYTES = 40 * 1024 * 1024  # a 12-megapixel JPEG is 3-8 MB; anything this large is not a photo


class AttachmentError(ValueError):
    """A file that cannot be stored as a photo or signature; the message says which and why."""


_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    mime: str
    size: int
    width: int
    height: int


def path_for(root: Path, sha256: str) -> Path:
    # Names come from documents that crossed the network: only a sha256 may become a path.
    if not _SHA256.match(sha256):
        raise AttachmentError(f"文件编号 {sha256[:70]!r} 不是 sha256 校验值")
    return root / sha256[:2] / sha256


def thumbnail_path(thumbs_root: Path, sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise AttachmentError(f"文件编号 {sha256[:70]!r} 不是 sha256 校验值")
    return thumbs_root / sha256[:2] / f"{sha256}.jpg"


def _write_atomically(target: Path, data: bytes) -> None:
    """Write, flush to disk, then rename: a pulled plug leaves either no file or the whole file."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the file itself: mkstemp's 0600
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _inspect_image(data: bytes, name: str) -> tuple[str, Image.Image]:
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise AttachmentError(f"{name} 不是可识别的图片文件（{exc}）") from exc
    mime = Image.MIME.get(img.format or "", "application/octet-stream")
    if mime not in {"image/jpeg", "image/png", "image/webp", "image/bmp", "image/gif", "image/tiff"}:
        raise AttachmentError(f"{name} 的格式 {img.format} 不支持，请使用 JPEG 或 PNG")
    return mime, img


def store_bytes(
    session: Session,
    attachments_root: Path,
    thumbs_root: Path,
    data: bytes,
    *,
    kind: str,
    original_name: str,
    now: datetime,
) -> StoredFile:
    """Store image bytes once; storing the same bytes again returns the same record."""
    if len(data) > MAX_BYTES:
        raise AttachmentError(f"{original_name} 太大（{len(data) // 1_048_576} MB），单个文件不能超过 40 MB")
    sha = hashlib.sha256(data).hexdigest()
    existing = session.get(tables.Attachment, sha)
    target = path_for(attachments_root, sha)
    if existing is not None and target.exists():
        return StoredFile(sha, existing.mime, existing.size, existing.width, existing.height)
    mime, img = _inspect_image(data, original_name)
    upright = ImageOps.exif_transpose(img)
    _write_atomically(target, data)
    _write_thumbnail(thumbs_root, sha, upright)
    if existing is None:
        session.add(
            tables.Attachment(
                sha256=sha,
                kind=kind,
                mime=mime,
                size=len(data),
                width=upright.width,
                height=upright.height,
                original_name=original_name,
                created_at=now,
            )
        )
    return StoredFile(sha, mime, len(data), upright.width, upright.height)


def _write_thumbnail(thumbs_root: Path, sha: str, upright: Image.Image) -> None:
    thumb = upright.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb, mask=thumb.getchannel("A") if "A" in thumb.getbands() else None)
        thumb = background
    buf = io.BytesIO()
    thumb.save(buf, "JPEG", quality=82)
    _write_atomically(thumbnail_path(thumbs_root, sha), buf.getvalue())


def verify(attachments_root: Path, sha256: str) -> bool:
    """True when the file is there and its bytes still hash to its name."""
    p = path_for(attachments_root, sha256)
    if not p.exists():
        return False
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest() == sha256
