"""The camera is offered only where one exists, and a captured frame becomes a stored JPEG photo."""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtGui import QColor, QImage

from inspector_app.ui.widgets import camera


def test_without_a_camera_none_is_offered(monkeypatch):
    from PySide6.QtMultimedia import QMediaDevices

    monkeypatch.setattr(QMediaDevices, "videoInputs", staticmethod(lambda: []))
    assert camera.cameras_available() is False


def test_a_captured_frame_closes_the_dialog_with_jpeg_bytes(qtbot):
    dialog = camera.CameraDialog()  # not started: no device is touched
    qtbot.addWidget(dialog)
    frame = QImage(640, 480, QImage.Format.Format_RGB32)
    frame.fill(QColor("orange"))
    with qtbot.waitSignal(dialog.sig_captured) as got:
        dialog.captured(1, frame)
    photo = Image.open(io.BytesIO(got.args[0]))
    assert (photo.format, photo.size) == ("JPEG", (640, 480))
    assert dialog.photo == got.args[0] and dialog.result() == dialog.DialogCode.Accepted


def test_a_photo_taken_with_the_camera_is_stored_on_the_finding(qtbot, harness, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from inspector_app.ui.widgets import finding_editor
    from tests.support.gui_steps import press, start_visit_direct

    frame = QImage(320, 240, QImage.Format.Format_RGB32)
    frame.fill(QColor("red"))
    monkeypatch.setattr(finding_editor, "cameras_available", lambda: True)
    monkeypatch.setattr(finding_editor, "take_photo", lambda _parent: camera.jpeg_bytes(frame))
    page = harness.window.visit
    start_visit_direct(qtbot, harness, harness.codes[2])
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as opened:
        press(qtbot, "2")
    editor = page.finding_editor(opened.args[0])
    assert editor.camera_button.isVisibleTo(editor)
    QTest.mouseClick(editor.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.findings[0].photos) == 1, timeout=10_000)
