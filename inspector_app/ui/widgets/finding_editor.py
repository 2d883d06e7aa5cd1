"""The finding (隐患) editor shown under a non-compliant item: severity, wording, order (立即整改 /
限期整改 / 当场整改完毕), deadline, photos (with a thumbnail of the first).

It emits what the inspector changed; the visit page saves it (VisitService.update_finding).
当场整改完毕 is for a problem put right while the inspectors are there: it needs a photo of the
corrected state (the visit cannot complete without it) and is never served as an order.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from inspector_app.domain.finding import Order, Severity
from inspector_app.store import attachments
from inspector_app.ui.i18n import tr
from inspector_app.ui.widgets.camera import cameras_available, take_photo
from inspector_app.ui.widgets.items import choose_photos

if TYPE_CHECKING:
    from inspector_app.services.visit_views import FindingView
    from inspector_app.ui.context import UiContext
    from inspector_app.ui.taskman import Job

THUMB = 56  # px, as the photo items' thumbnails


class _TextBox(QPlainTextEdit):
    """A text box that says when the inspector leaves it: that is when its text is saved.
    Enter also leaves it (the finding is done, the checklist goes on); Shift+Enter breaks a line."""

    sig_left = Signal()
    sig_done = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.sig_left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.sig_left.emit()
            self.sig_done.emit()
            return
        super().keyPressEvent(event)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class FindingEditor(QFrame):
    """Keyboard: it opens with the description focused (the form's wording, ready to amend);
    Tab goes description → 隐患等级 → 立即/限期/当场整改完毕 → 期限 → 照片, Enter in the description or Esc
    anywhere says the finding is done (``sig_done``) and the checklist goes on."""

    sig_update = Signal(str, object)  # finding id, {field: value} for VisitService.update_finding
    sig_add_photos = Signal(str, object)  # finding id, list[Path]
    sig_done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("findingEditor")
        self.finding: FindingView | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.title = QLabel("")
        self.title.setObjectName("error")
        self.title.setWordWrap(True)
        grid.addWidget(self.title, 0, 0, 1, 4)

        grid.addWidget(QLabel(tr("隐患等级")), 1, 0)
        self.severity = QComboBox()
        for s in Severity:
            self.severity.addItem(tr(s.value), s.value)
        grid.addWidget(self.severity, 1, 1)

        grid.addWidget(QLabel(tr("整改要求")), 1, 2)
        order_row = QHBoxLayout()
        order_row.setSpacing(16)
        self.order_group = QButtonGroup(self)
        self.immediate = QRadioButton(tr("立即整改"))
        self.deadline_order = QRadioButton(tr("限期整改"))
        self.on_site = QRadioButton(tr("当场整改完毕"))
        self.on_site.setToolTip(tr("检查人员在场时已改正：须附整改后照片，不再出具整改文书"))
        self.order_group.addButton(self.immediate)
        self.order_group.addButton(self.deadline_order)
        self.order_group.addButton(self.on_site)
        order_row.addWidget(self.immediate)
        order_row.addWidget(self.deadline_order)
        order_row.addWidget(self.on_site)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        order_row.addWidget(self.deadline)
        order_row.addStretch(1)
        grid.addLayout(order_row, 1, 3)

        self._build_lower(grid)
        self._loading = False
        self._thumb_sha: str | None = None
        self._thumb_cache: dict[str, bytes] = {}
        self.severity.activated.connect(
            lambda _i: self._emit({"severity": Severity(self.severity.currentData())}))
        self.immediate.clicked.connect(lambda: self._emit({"order": Order.IMMEDIATE}))
        self.deadline_order.clicked.connect(lambda: self._emit({"order": Order.DEADLINE}))
        self.on_site.clicked.connect(lambda: self._emit({"order": Order.ON_SITE_FIXED}))
        self.deadline.editingFinished.connect(self._deadline_changed)
        self.description.sig_left.connect(self._description_left)
        self.description.sig_done.connect(self.sig_done)
        self.photo_button.clicked.connect(self._pick_photos)

    def focus_chain(self) -> list[QWidget]:
        """The editor's fields in the order Tab visits them."""
        return [self.description, self.severity, self.immediate, self.deadline_order, self.on_site,
                self.deadline, self.photo_button]

    def take_focus(self) -> None:
        self.description.setFocus(Qt.FocusReason.TabFocusReason)
        self.description.moveCursor(QTextCursor.MoveOperation.End)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.sig_left_all()
            self.sig_done.emit()
            return
        super().keyPressEvent(event)

    def sig_left_all(self) -> None:
        self._description_left()

    def _build_lower(self, grid: QGridLayout) -> None:
        grid.addWidget(QLabel(tr("隐患描述")), 2, 0)
        self.description = _TextBox()
        self.description.setFixedHeight(64)
        self.description.setTabChangesFocus(True)
        grid.addWidget(self.description, 2, 1, 1, 3)

        self.photo_button = QPushButton(tr("添加隐患照片…"))
        self.photo_label = QLabel("")
        self.photo_label.setObjectName("muted")
        self.basis = QLabel("")
        self.basis.setObjectName("hint")
        self.basis.setWordWrap(True)
        self.camera_button = QPushButton(tr("拍照…"))
        self.camera_button.setVisible(cameras_available())
        self.camera_button.clicked.connect(self._take_photo)
        self.thumb = QLabel("")  # the finding's first photo, small: the inspector sees what is attached
        self.thumb.setObjectName("photoThumb")
        self.thumb.setFixedSize(THUMB + 4, THUMB + 4)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setVisible(False)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.thumb)
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.camera_button)
        photo_row.addWidget(self.photo_label)
        photo_row.addStretch(1)
        grid.addLayout(photo_row, 3, 1, 1, 3)
        grid.addWidget(self.basis, 4, 1, 1, 3)
        grid.setColumnStretch(3, 1)

    def set_finding(self, finding: FindingView, read_only: bool = False) -> None:
        self._loading = True
        self.finding = finding
        self.title.setText(tr("隐患：{title}").format(title=finding.title))
        self.severity.setCurrentIndex(max(0, self.severity.findData(finding.severity.value)))
        {Order.IMMEDIATE: self.immediate, Order.DEADLINE: self.deadline_order,
         Order.ON_SITE_FIXED: self.on_site}[finding.order].setChecked(True)
        self.deadline.setMinimumDate(qdate(finding.found_on))
        self.deadline.setDate(qdate(finding.deadline))
        self.deadline.setEnabled(finding.order is Order.DEADLINE and not read_only)
        if self.description.toPlainText() != finding.description:
            self.description.setPlainText(finding.description)
        n = len(finding.photos)
        fixed = finding.order is Order.ON_SITE_FIXED
        self.photo_button.setText(tr("添加整改后照片…") if fixed else tr("添加隐患照片…"))
        if fixed and not n:
            self.photo_label.setText(tr("当场整改完毕须附整改后照片"))
        else:
            self.photo_label.setText(tr("已有 {n} 张照片").format(n=n) if n else tr("暂无照片"))
        self._show_thumbnail(finding.photos[-1] if n else None)
        basis = finding.legal_basis
        self.basis.setText(tr("依据：{basis}").format(basis=basis) if basis else "")
        for w in (self.severity, self.immediate, self.deadline_order, self.on_site, self.photo_button):
            w.setEnabled(not read_only)
        self.description.setReadOnly(read_only)
        self._loading = False

    def _show_thumbnail(self, sha: str | None) -> None:
        """The photo's thumbnail, read off the GUI thread through the page that holds the editor."""
        self._thumb_sha = sha
        if sha is None:
            self.thumb.clear()
            self.thumb.setVisible(False)
            return
        if sha in self._thumb_cache:
            self._set_thumb(sha, self._thumb_cache[sha])
            return
        ctx = self._host_ctx()
        if ctx is None:
            return

        def read(job: Job) -> bytes | None:
            path = attachments.thumbnail_path(job.services.workspace.thumbnails_dir, sha)
            return path.read_bytes() if path.exists() else None

        ctx.run(read, lambda data: self._set_thumb(sha, data))

    def _set_thumb(self, sha: str, data: bytes | None) -> None:
        if data is None:
            return
        self._thumb_cache[sha] = data
        if sha != self._thumb_sha:
            return  # another photo is first by now
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            self.thumb.setPixmap(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
            self.thumb.setVisible(True)

    def _host_ctx(self) -> UiContext | None:
        w = self.parentWidget()
        while w is not None:
            ctx = getattr(w, "ctx", None)
            if ctx is not None and hasattr(ctx, "run"):
                return ctx  # type: ignore[no-any-return]
            w = w.parentWidget()
        return None

    def _emit(self, values: dict[str, object]) -> None:
        if not self._loading and self.finding is not None:
            self.sig_update.emit(self.finding.id, values)

    def _deadline_changed(self) -> None:
        d = self.deadline.date()
        self._emit({"deadline": date(d.year(), d.month(), d.day())})

    def _description_left(self) -> None:
        if self.finding is not None and self.description.toPlainText().strip() != self.finding.description:
            self._emit({"description": self.description.toPlainText()})

    def _take_photo(self) -> None:
        if self.finding is None:
            return
        photo = take_photo(self)
        if photo is not None:
            self.sig_add_photos.emit(self.finding.id, [photo])

    def _pick_photos(self) -> None:
        if self.finding is None:
            return
        files = choose_photos(self)
        if files:
            self.sig_add_photos.emit(self.finding.id, files)
