"""What pages share: a title bar and the refresh-on-change contract."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext


class Page(QWidget):
    """A screen. ``activate`` is called each time it is shown, ``on_changes`` after every op."""

    def __init__(self, ctx: UiContext, title: str) -> None:
        super().__init__()
        self.setObjectName("page")
        self.ctx = ctx
        self._stale = True
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 12)
        self.layout_.setSpacing(12)
        self.header = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setObjectName("pageTitle")
        self.header.addWidget(self.title_label)
        self.header.addStretch(1)
        self.layout_.addLayout(self.header)
        ctx.sig_changed.connect(self._changed)

    def activate(self) -> None:
        if self._stale:
            self._stale = False
            self.reload()

    def reload(self) -> None:
        """Load what the page shows (through the task manager, never here on the GUI thread)."""

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes)

    def _changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and self.affected_by(changes):
            if self.isVisible():
                self.reload()
            else:
                self._stale = True
