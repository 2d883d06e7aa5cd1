"""What pages share: a title bar, the refresh-on-change contract and building on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext


class Page(QWidget):
    """A screen. ``activate`` is called each time it is shown, ``on_changes`` after every op.

    Widgets are made with their parent (``QLabel(text, self)``) rather than reparented by the
    layout: under the application's style sheet every reparenting repolishes the whole subtree,
    which is most of what building a page costs.

    A page that is not on screen at start-up puts its widgets in ``build`` rather than in its
    constructor: ``build`` runs once, just before the page is first shown or when something first
    reaches for one of its widgets, so starting the app only builds the page it shows.
    """

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ctx = ctx
        self._stale = True
        self._built = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 12)
        self.layout_.setSpacing(12)
        self.header = QHBoxLayout()
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("pageTitle")
        self.header.addWidget(self.title_label)
        self.header.addStretch(1)
        self.layout_.addLayout(self.header)
        ctx.sig_changed.connect(self._changed)

    # A page on screen at start-up may leave to ``build`` what its first frame can do without
    # (a table's model and header): the window builds it one turn after that frame.
    first_frame_without_build = False

    def build(self) -> None:
        """Make the page's widgets (once; see the class comment). Nothing to do by default."""

    def scroll_body(self) -> QVBoxLayout:
        """A scrolling area under the title, for a page taller than a laptop screen allows: its
        content scrolls instead of raising the window's minimum height. Returns its layout."""
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(area)
        inner.setObjectName("page")
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 8, 0)
        body.setSpacing(self.layout_.spacing())
        area.setWidget(inner)
        self.layout_.addWidget(area, 1)
        return body

    def ensure_built(self) -> None:
        if not self._built:
            self._built = True
            self.build()

    def setVisible(self, visible: bool) -> None:
        if visible and not self.first_frame_without_build:
            self.ensure_built()  # before the first frame that shows the page
        super().setVisible(visible)

    if not TYPE_CHECKING:  # for mypy every widget exists; at run time a missing one builds the page

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") or self.__dict__.get("_built", True):
                raise AttributeError(name)
            self.ensure_built()
            return super().__getattribute__(name)

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
