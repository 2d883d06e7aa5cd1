"""A pad to sign on with a mouse, a finger or a pen; exported as PNG bytes."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QFrame, QSizePolicy

INK = QColor("#0d1b2a")


class SignaturePad(QFrame):
    """Strokes are kept as paths in widget coordinates and rendered again for the PNG."""

    sig_changed = Signal()

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
