"""Taking a hazard photo with the laptop's camera, when it has one (QtMultimedia).

Offered only where a camera exists; the dialog hands back JPEG bytes, which the caller stores
through the visit service like a photo chosen from a file. Nothing here touches the workspace.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inspector_app.ui import shortcuts
from inspector_app.ui.i18n import tr

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession

JPEG_QUALITY = 90


@cache
def cameras_available() -> bool:
    """True when the system reports at least one camera. Asked once (about 40 ms the first time,
    warmed when the app is idle); a camera plugged in later is offered after a restart."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # a build without QtMultimedia: photos come from files only
        return False
    return bool(QMediaDevices.videoInputs())


def jpeg_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs say bytes; PySide6 at run time takes the format as str.
    if not image.save(buffer, "JPEG", JPEG_QUALITY):  # type: ignore[call-overload]
        raise ValueError(tr("照片无法保存为 JPEG"))
    buffer.close()
    return bytes(data.data())


class CameraDialog(QDialog):
    """A live view and one button (or Space) to take the photo; the dialog closes on capture."""

    sig_captured = Signal(bytes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("拍照"))
        self.setMinimumSize(640, 520)
        self.photo: bytes | None = None
        self.status = QLabel(tr("正在打开摄像头…"))
        self.take = QPushButton(tr("拍照（空格）"))
        self.take.setObjectName("primary")
        shortcuts.bind(self.take, "camera_take")
        self.take.setEnabled(False)
        cancel = QPushButton(tr("取消"))
        cancel.clicked.connect(self.reject)
        self.take.clicked.connect(self._take)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.take)
        self.layout_ = QVBoxLayout(self)
        self._camera: QCamera | None = None
        self._capture: QImageCapture | None = None
        self._session: QMediaCaptureSession | None = None
        self._buttons = buttons

    def start(self) -> None:
        """Open the default camera and show its picture (separate from the constructor so that a
        test or a machine without a camera can build the dialog without touching a device)."""
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
        from PySide6.QtMultimediaWidgets import QVideoWidget

        view = QVideoWidget()
        self.layout_.addWidget(view, 1)
        self.layout_.addLayout(self._buttons)
        self._session = QMediaCaptureSession(self)
        self._camera = QCamera(QMediaDevices.defaultVideoInput(), self)
        self._capture = QImageCapture(self)
        self._session.setCamera(self._camera)
        self._session.setImageCapture(self._capture)
        self._session.setVideoOutput(view)
        self._capture.readyForCaptureChanged.connect(self.take.setEnabled)
        self._capture.imageCaptured.connect(self.captured)
        self._capture.errorOccurred.connect(lambda _id, _err, text: self.status.setText(text))
        self._camera.errorOccurred.connect(lambda _err, text: self.status.setText(text))
        self._camera.start()
        self.status.setText(tr("对准隐患部位后拍照"))

    def _take(self) -> None:
        if self._capture is not None:
            self.take.setEnabled(False)
            self._capture.capture()

    def captured(self, _request_id: int, image: QImage) -> None:
        """The camera delivered a frame: keep it as JPEG and close."""
        self.photo = jpeg_bytes(image)
        self.sig_captured.emit(self.photo)
        if self._camera is not None:
            self._camera.stop()
        self.accept()


def take_photo(parent: QWidget | None) -> bytes | None:
    """Run the camera dialog; the JPEG bytes of the photo taken, or None when cancelled."""
    dialog = CameraDialog(parent)
    dialog.start()
    return dialog.photo if dialog.exec() == QDialog.DialogCode.Accepted else None
