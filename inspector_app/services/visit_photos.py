"""Photos on a visit: added to an item or a finding, turned a quarter, removed; a photos item's
answer is always the list of its photos."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from inspector_app.checklist import (
    ItemType,
)
from inspector_app.domain.visit import (
    AnswerValue,
)
from inspector_app.services.changes import Changes, Created
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.services.visit_core import VisitCore
from inspector_app.store import answers as answer_rows
from inspector_app.store import attachments, tables


class VisitPhotos(VisitCore):
    """Photos on a visit; a part of ``VisitService``."""

    def add_photo(
        self,
        visit_id: str,
        source: Path | bytes,
        *,
        item_key: str = "",
        finding_id: str | None = None,
        name: str = "",
    ) -> str:
        data = source.read_bytes() if isinstance(source, Path) else source
        original = name or (source.name if isinstance(source, Path) else "photo")
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            if item_key and finding_id is None:
                target = self._form(v.form_code, v.form_version).items.get(item_key)
                if target is None or target.type is ItemType.SIGNATURE:
                    # A photo is evidence for an item; a signature is drawn, never a file (a photo
                    # there would print as an unlabelled 图 under 现场照片). Nothing is stored.
                    if target is None:
                        raise ServiceError(f"检查表没有检查项 {item_key}")
                    raise ServiceError(f"{target.label} 是签名项，请在签名板上签名")
            sha = self._store_file(s, data, kind="photo", name=original)
            s.flush()
            if finding_id is not None:
                f = s.get(tables.Finding, finding_id)
                if f is None or f.visit_id != v.id:
                    raise NotFound(f"本次检查没有隐患 {finding_id}")
                if s.get(tables.FindingPhoto, (finding_id, sha, "found")) is None:
                    s.add(tables.FindingPhoto(finding_id=finding_id, sha256=sha, stage="found"))
            else:
                _cite_photo(s, visit_id, sha, item_key)
                s.flush()
                self._photo_item_answer(s, v, item_key)
        return sha

    def _check_files_known(self, s: Session, value: AnswerValue) -> None:
        """A file answer must name files this workspace holds, or the visit could never be sent whole."""
        shas = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for sha in shas:
            if s.get(tables.Attachment, sha) is None:
                raise ServiceError(f"文件 {sha[:12]}… 不在本工作区，请重新添加照片或签名")

    def _photo_item_answer(self, s: Session, v: tables.Visit, item_key: str) -> None:
        """A photos item's answer is the list of its photos, so required/relevance rules see them."""
        item = self._form(v.form_code, v.form_version).items.get(item_key)
        if item is None or item.type != ItemType.PHOTOS:
            return
        shas = sorted(
            p.sha256
            for p in s.exec(
                select(tables.VisitPhoto).where(
                    tables.VisitPhoto.visit_id == v.id, tables.VisitPhoto.item_key == item_key
                )
            )
        )
        answer_rows.save_answer(s, v.id, item_key, shas or None, self.clock())

    def rotate_photo(
        self, visit_id: str, sha256: str, *, item_key: str = "", clockwise: bool = True
    ) -> Created:
        """The photo turned a quarter, stored as a new file (named by its own sha256) that takes the
        old one's place in the item's answer. The original file is never changed: a completed
        visit or another item citing it still finds the same bytes under the same name."""
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            row = _citation(s, visit_id, sha256, item_key)
            if row is None:
                raise NotFound(f"本次检查没有这张照片（{sha256[:12]}…）")
            original = attachments.path_for(self.ws.attachments_dir, sha256).read_bytes()
            turned = _quarter_turn(original, clockwise)
            sha = self._store_file(s, turned, kind="photo", name="旋转.jpg")
            s.flush()
            s.delete(row)
            _cite_photo(s, visit_id, sha, item_key)
            s.flush()
            self._photo_item_answer(s, v, item_key)
        return Created(sha, Changes(visits={visit_id}))

    def remove_photo(
        self, visit_id: str, sha256: str, *, item_key: str = "", finding_id: str | None = None
    ) -> Changes:
        with self.ws.session() as s:
            v = self._editable_visit(s, visit_id)
            if finding_id is not None:
                row = s.get(tables.FindingPhoto, (finding_id, sha256, "found"))
                if row is not None:
                    s.delete(row)
                return Changes(findings={finding_id}, visits={visit_id})
            cited = _citation(s, visit_id, sha256, item_key)
            if cited is not None:
                s.delete(cited)
            s.flush()
            self._photo_item_answer(s, v, item_key)
        return Changes(visits={visit_id})


def _citation(s: Session, visit_id: str, sha256: str, item_key: str) -> tables.VisitPhoto | None:
    """The row by which the visit's item cites the photo (one at most: the three are unique)."""
    return s.exec(
        select(tables.VisitPhoto).where(
            tables.VisitPhoto.visit_id == visit_id,
            tables.VisitPhoto.sha256 == sha256,
            tables.VisitPhoto.item_key == item_key,
        )
    ).first()


def _cite_photo(s: Session, visit_id: str, sha256: str, item_key: str) -> None:
    """The visit's item cites the photo (once, however often it is added)."""
    if _citation(s, visit_id, sha256, item_key) is None:
        s.add(tables.VisitPhoto(visit_id=visit_id, sha256=sha256, item_key=item_key))


def _quarter_turn(data: bytes, clockwise: bool) -> bytes:
    """The picture as it is seen (EXIF orientation applied) turned 90°, as a JPEG (a PNG stays PNG)."""
    import io

    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        fmt = "PNG" if img.format == "PNG" else "JPEG"
        upright = ImageOps.exif_transpose(img)
        turned = upright.transpose(Image.Transpose.ROTATE_270 if clockwise else Image.Transpose.ROTATE_90)
        if fmt == "JPEG" and turned.mode not in ("RGB", "L"):
            turned = turned.convert("RGB")
        out = io.BytesIO()
        turned.save(out, fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    return out.getvalue()
