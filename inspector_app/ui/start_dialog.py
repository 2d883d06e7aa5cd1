"""The first start: no workspace with data yet. Offer the demo, a new empty one, or an existing folder.

The demo and the new workspace both go to the folder the app was started for (``--workspace DIR``,
the environment variable or the default folder): the same command then reopens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.i18n import tr


@dataclass(frozen=True)
class StartChoice:
    class Kind(Enum):
        DEMO = "demo"
        NEW = "new"
        OPEN = "open"

    kind: Kind
    root: Path


class StartDialog(QDialog):
    sig_chosen = Signal(object)  # StartChoice, once a choice is made

    def __init__(self, default_root: Path, demo_available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("欢迎使用街道检查工作台"))
        self.setMinimumWidth(560)
        self.default_root = default_root
        self.choice: StartChoice | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel(tr("还没有工作区"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        text = QLabel(tr("工作区保存企业名录、检查记录和照片，全部在本机，离线可用。请选择："))
        text.setWordWrap(True)
        layout.addWidget(text)
        where = QLabel(tr("工作区文件夹：{path}").format(path=default_root))
        where.setObjectName("muted")
        where.setWordWrap(True)
        layout.addWidget(where)
        self.demo_button = QPushButton(tr("在此生成演示工作区（含示例企业和检查记录）"))
        self.demo_button.setObjectName("primary")
        self.demo_button.setEnabled(demo_available)
        self.new_button = QPushButton(tr("在此新建空工作区"))
        self.open_button = QPushButton(tr("打开已有工作区…"))
        for b in (self.demo_button, self.new_button, self.open_button):
            b.setMinimumHeight(44)
            layout.addWidget(b)
        if not demo_available:
            note = QLabel(tr("（本版本不含演示数据）"))
            note.setObjectName("hint")
            layout.addWidget(note)
        self.demo_button.clicked.connect(lambda: self._done(StartChoice.Kind.DEMO, default_root))
        self.new_button.clicked.connect(lambda: self._done(StartChoice.Kind.NEW, default_root))
        self.open_button.clicked.connect(self._open)
        (self.demo_button if demo_available else self.new_button).setFocus()

    def _done(self, kind: StartChoice.Kind, root: Path) -> None:
        self.choice = StartChoice(kind, root)
        self.accept()
        self.sig_chosen.emit(self.choice)

    def _open(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择工作区文件夹"))
        if folder:
            self._done(StartChoice.Kind.OPEN, Path(folder))

