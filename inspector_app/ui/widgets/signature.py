"""A pad to sign on with a mouse, a finger or a pen, exported as PNG bytes; and the form around it
(who signs, or a refusal with its reason) used wherever a signature is taken."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.i18n import tr

INK = QColor("#0d1b2a")


class SignaturePad(QFrame):
    """Strokes are kept as paths in widget coordinates and rendered again for the PNG."""

    sig_changed = Signal()
    sig_submit = Signal()  # Enter right after drawing: save it

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("signaturePad")
        self.setMinimumSize(QSize(320, 130))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[QPainterPath] = []
        self._current: QPainterPath | None = None
        self._read_only = False
        self._image: QImage | None = None  # a stored signature shown read-only

    # ----------------------------------------------------------------- state

    def is_empty(self) -> bool:
        return not self._strokes and self._image is None

    def showing_stored(self) -> bool:
        """Only the signature on record is shown (nothing newly drawn to save)."""
        return not self._strokes and self._image is not None

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._image = None
        self.update()
        self.sig_changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)

    def show_image(self, png: bytes) -> None:
        image = QImage()
        image.loadFromData(png)
        self._strokes.clear()
        self._image = image if not image.isNull() else None
        self.update()

    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a stroke programmatically (the scripted driver and the tests sign this way)."""
        if not points:
            return
        path = QPainterPath(QPointF(*points[0]))
        for p in points[1:]:
            path.lineTo(QPointF(*p))
        self._strokes.append(path)
        self.update()
        self.sig_changed.emit()

    def to_png(self) -> bytes:
        """The strokes on white, cropped to what was drawn with a margin, at twice the screen size."""
        bounds = QRectF()
        for path in self._strokes:
            bounds = bounds.united(path.boundingRect())
        if bounds.isNull():
            bounds = QRectF(0, 0, self.width(), self.height())
        margin = 8.0
        bounds = bounds.adjusted(-margin, -margin, margin, margin)
        scale = 2.0
        image = QImage(int(bounds.width() * scale) + 1, int(bounds.height() * scale) + 1,
                       QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        painter.translate(-bounds.topLeft())
        painter.setPen(self._pen())
        for path in self._strokes:
            painter.drawPath(path)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes, PySide wants str
        buffer.close()
        return bytes(data.data())

    @staticmethod
    def _pen() -> QPen:
        pen = QPen(INK, 2.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    # ----------------------------------------------------------------- input

    def _begin(self, pos: QPointF) -> None:
        if self._read_only:
            return
        self._image = None
        self._current = QPainterPath(pos)
        self._strokes.append(self._current)

    def _extend(self, pos: QPointF) -> None:
        if self._current is not None:
            self._current.lineTo(pos)
            self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.sig_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_submit.emit()
            return
        super().keyPressEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    # Touch arrives as synthesized mouse events unless accepted here; that is what we want.

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._image is not None:
            target = QRectF(self.rect()).adjusted(8, 8, -8, -8)
            size = self._image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), size.toSizeF()), self._image)
        painter.setPen(self._pen())
        for path in self._strokes:
            painter.drawPath(path)
        if self.is_empty():
            painter.setPen(QColor("#8c959f"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        painter.end()

    placeholder = ""


class EnterButton(QPushButton):
    """A push button that Enter presses too (outside a dialog Qt only presses on Space):
    keyboard-first, the focused button is what Enter does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.isEnabled():
            self.animateClick()
            return
        super().keyPressEvent(event)


class SignatureForm(QWidget):
    """Who signs, the pad, and — where allowed — the refusal with its reason; saved with one button.

    The finish page's signature cards and a form's signature item are both this widget, so signing
    or refusing looks and works the same wherever the inspector does it. An empty reason is said
    inline, never in a modal box.
    """

    sig_save = Signal(str, object, str)  # signer, PNG bytes or None (a refusal), refusal reason

    def __init__(self, signer: str = "", *, name_editable: bool = True, refusable: bool = False) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(tr("签名人")))
        self.name = QLineEdit(signer)
        self.name.setReadOnly(not name_editable)
        self._name_editable = name_editable
        name_row.addWidget(self.name, 1)
        self.state = QLabel(tr("未签名"))
        self.state.setObjectName("badge")
        name_row.addWidget(self.state)
        layout.addLayout(name_row)
        self.pad = SignaturePad()
        self.pad.placeholder = tr("请在此处签名")
        # Drawn with a pen or a mouse, never typed: Tab passes it by, a stroke focuses it, and
        # Enter then saves (the inspector's hand goes from the pen straight to the keyboard).
        self.pad.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.pad.sig_submit.connect(self.save)
        layout.addWidget(self.pad)
        buttons = QHBoxLayout()
        self.refusable = refusable
        self.refuse = QCheckBox(tr("拒绝签字"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("拒签理由（必填）"))
        self.reason.setMaxLength(500)
        self.reason.setVisible(False)
        buttons.addWidget(self.refuse)
        buttons.addWidget(self.reason, 1)
        buttons.addStretch(1)
        self.clear_button = EnterButton(tr("清除"))
        self.save_button = EnterButton(tr("保存签名"))
        self.save_button.setObjectName("primary")
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.refuse.setVisible(refusable)  # once in the layout: a parentless widget shown is a window
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.clear_button.clicked.connect(self.pad.clear)
        self.save_button.clicked.connect(self.save)
        self.refuse.toggled.connect(self._refuse_toggled)
        self.reason.returnPressed.connect(self.save)
        self.pad.sig_changed.connect(lambda: self.show_error(""))
        self.read_only = False

    def _refuse_toggled(self, on: bool) -> None:
        self.reason.setVisible(on)
        self.pad.setEnabled(not on)
        self.save_button.setText(tr("记录拒签") if on else tr("保存签名"))
        self.show_error("")
        if on and not self.read_only:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def save(self) -> None:
        if self.read_only:
            return
        name = self.name.text().strip()
        if not name:
            self.show_error(tr("请填写签名人姓名"))
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.refuse.isChecked():
            reason = self.reason.text().strip()
            if not reason:
                self.show_error(tr("请填写拒签理由"))
                self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            self.show_error("")
            self.sig_save.emit(name, None, reason)
        elif self.pad.is_empty() or self.pad.showing_stored():
            self.show_error(tr("请先在签名框内签名（或勾选拒绝签字并写明理由）"))
        else:
            self.show_error("")
            self.sig_save.emit(name, self.pad.to_png(), "")

    def show_signed(self, signer: str, png: bytes | None, refused_reason: str) -> None:
        """What is on record: a signature image, a refusal with its reason, or nothing yet."""
        if signer:
            self.name.setText(signer)
        if png is not None:
            self.state.setText(tr("已签名 ✓"))
            self.refuse.blockSignals(True)
            self.refuse.setChecked(False)
            self.refuse.blockSignals(False)
            self.reason.setVisible(False)
            self.pad.setEnabled(True)
            self.save_button.setText(tr("保存签名"))
            self.pad.show_image(png)
        elif refused_reason:
            self.state.setText(tr("已记录拒签"))
            self.refuse.setChecked(True)
            self.reason.setText(refused_reason)
        else:
            self.state.setText(tr("未签名"))
        self.refuse.setVisible(self.refusable and (not self.read_only or self.refuse.isChecked()))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.pad.set_read_only(read_only)
        for w in (self.clear_button, self.save_button):
            w.setVisible(not read_only)
        self.refuse.setVisible(self.refusable and (not read_only or self.refuse.isChecked()))
        self.refuse.setEnabled(not read_only)
        self.name.setReadOnly(read_only or not self._name_editable)
        self.reason.setReadOnly(read_only)
