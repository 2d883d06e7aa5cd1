"""Photos on the visit page: added to an item or a finding, removed, shown large and turned."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
)

from inspector_app.services.changes import Changes, Created
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.services.visit_views import FindingView

from inspector_app.ui.pages.visit_answers import VisitAnswers
from inspector_app.ui.pages.visit_load import read_thumbnails


class VisitPhotos(VisitAnswers):
    """Photos on the visit page; a part of ``VisitPage``."""

    def _add_finding_photos(self, finding_id: str, files: list[Path | bytes]) -> None:
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, list[FindingView]]:
            for f in files:  # paths of chosen files, or the bytes of a photo just taken
                source = f if isinstance(f, bytes) else Path(f)
                job.services.visits.add_photo(visit_id, source, finding_id=finding_id, name="拍照.jpg")
            findings = job.services.visits.snapshot(visit_id).findings
            return Changes(findings={finding_id}, visits={visit_id}), findings

        self.ctx.op(run, self._findings_updated)

    def _add_item_photos(self, key: str, files: list[Path | bytes]) -> None:
        visit_id = self.visit_id
        given = self.answers.get(key)
        current = [str(s) for s in given] if isinstance(given, list) else []

        def run(job: Job) -> tuple[list[str], dict[str, bytes]]:
            shas = [
                job.services.visits.add_photo(
                    visit_id, f if isinstance(f, bytes) else Path(f), item_key=key, name="拍照.jpg"
                )
                for f in files
            ]
            return list(dict.fromkeys([*current, *shas])), read_thumbnails(job, shas)

        self.ctx.run(run, lambda r: self._photos_changed(key, *r), self._photo_failed)

    def _photos_changed(self, key: str, shas: list[str], thumbs: dict[str, bytes]) -> None:
        """The service has stored the photos and answered the item with them."""
        from inspector_app.ui.widgets.items import PhotosEditor

        if self.data is not None:
            self.data.thumbs.update(thumbs)
        row = self.rows.get(key)
        if row is not None and isinstance(row.editor, PhotosEditor):
            row.editor.set_images(thumbs)
            row.editor.set_value(shas)
        if shas:
            self.answers[key] = shas
        else:
            self.answers.pop(key, None)
        self._evaluate()
        self._refresh_missing()
        self.sig_saved.emit(key)

    def _photo_failed(self, exc: BaseException) -> None:
        # A refused file (not an image, too large …) is never attached: say why, keep the rest.
        self.ctx.sig_status.emit(str(exc))
        self.ctx.tasks.sig_error.emit(str(exc))

    def _remove_item_photo(self, key: str, sha: str) -> None:
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, tuple[list[str], dict[str, bytes]]]:
            changes = job.services.visits.remove_photo(visit_id, sha, item_key=key)
            value = job.services.visits.snapshot(visit_id).answers.get(key)
            return changes, (([str(x) for x in value] if isinstance(value, list) else []), {})

        self.ctx.op(run, lambda r: self._photos_changed(key, *r[1]), self._photo_failed)

    def preview_photo(self, sha: str, key: str = "") -> None:
        from inspector_app.store import attachments

        def run(job: Job) -> bytes:
            return attachments.path_for(job.services.workspace.attachments_dir, sha).read_bytes()

        self.ctx.run(run, lambda data: self._show_preview(data, sha, key), self._photo_failed)

    def rotate_photo(self, key: str, sha: str) -> None:
        """向右旋转: a turned copy replaces the photo in the item's answer; the preview shows it."""
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Created, tuple[list[str], dict[str, bytes]]]:
            turned = job.services.visits.rotate_photo(visit_id, sha, item_key=key)
            value = job.services.visits.snapshot(visit_id).answers.get(key)
            shas = [str(x) for x in value] if isinstance(value, list) else []
            return turned, (shas, read_thumbnails(job, [turned.id]))

        def done(result: tuple[Created, tuple[list[str], dict[str, bytes]]]) -> None:
            turned, (shas, thumbs) = result
            new = turned.id
            if self.preview_dialog is not None:
                self.preview_dialog.close()
            self._photos_changed(key, shas, thumbs)
            self.sig_photo_rotated.emit(new)
            self.preview_photo(new, key)

        self.ctx.op(run, done, self._photo_failed)

    def _show_preview(self, data: bytes, sha: str = "", key: str = "") -> None:
        from PySide6.QtGui import QImage, QPixmap
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        from inspector_app.ui import shortcuts

        image = QImage.fromData(data)
        # The photo as it stands (EXIF orientation applied), scaled to fit a laptop screen.
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("查看照片"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if not image.isNull():
            label.setPixmap(QPixmap.fromImage(image).scaled(
                1000, 560, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        else:
            label.setText(tr("无法显示这张照片"))
        layout.addWidget(label)
        buttons = QDialogButtonBox()
        if key and sha and not self.locked:
            rotate = buttons.addButton(tr("向右旋转 90°（R）"), QDialogButtonBox.ButtonRole.ActionRole)
            shortcuts.bind(rotate, "photo_rotate")
            rotate.setObjectName("rotatePhoto")
            rotate.clicked.connect(lambda: self.rotate_photo(key, sha))
        close = buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        self.preview_dialog = dialog
        dialog.open()
