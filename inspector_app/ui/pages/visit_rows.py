"""One checklist item on screen: its wording, its editor, its inline error and its findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from inspector_app.ui.i18n import tr
from inspector_app.ui.widgets.finding_editor import FindingEditor
from inspector_app.ui.widgets.items import ItemEditor, editor_for

if TYPE_CHECKING:
    from inspector_app.checklist import Item
    from inspector_app.services.visit_views import FindingView


def repolish(widget: QFrame) -> None:
    """Dynamic properties only restyle after an unpolish/polish round."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class ItemRow(QFrame):
    def __init__(self, item: Item, number: str, lang: str) -> None:
        super().__init__()
        self.setObjectName("itemRow")
        self.item = item
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.number = QLabel(number)
        self.number.setObjectName("muted")
        self.number.setFixedWidth(44)
        top.addWidget(self.number)
        text = item.label.text(lang) + (" *" if item.required else "")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        top.addWidget(self.label, 1)
        if item.veto:
            veto = QLabel(tr("一票否决"))
            veto.setObjectName("badge")
            top.addWidget(veto)
        layout.addLayout(top)
        if item.hint is not None:
            hint = QLabel(item.hint.text(lang))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            hint.setContentsMargins(52, 0, 0, 0)
            layout.addWidget(hint)
        self.editor: ItemEditor = editor_for(item, lang)
        self.editor.setContentsMargins(52, 0, 0, 0)
        layout.addWidget(self.editor)
        # Where the answer came from when the inspector did not give it (the register's figure).
        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setContentsMargins(52, 0, 0, 0)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        if item.computed:
            self.editor.set_read_only(True)
            self.editor.refuse_focus()
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setContentsMargins(52, 0, 0, 0)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.findings_box = QVBoxLayout()
        self.findings_box.setContentsMargins(52, 0, 0, 0)
        layout.addLayout(self.findings_box)
        self.finding_editors: dict[str, FindingEditor] = {}
        self._current = False

    def set_number(self, number: str) -> None:
        if self.number.text() != number:
            self.number.setText(number)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_error(self, message: str) -> None:
        if self.error.text() == message:
            return
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.setProperty("invalid", bool(message))
        repolish(self)

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.setProperty("current", current)
            repolish(self)

    def set_findings(self, findings: list[FindingView], read_only: bool) -> list[FindingEditor]:
        """Show exactly these findings; returns the editors created for findings new to this row."""
        created: list[FindingEditor] = []
        wanted = {f.id for f in findings}
        for fid in list(self.finding_editors):
            if fid not in wanted:
                editor = self.finding_editors.pop(fid)
                editor.setParent(None)
                editor.deleteLater()
        for f in findings:
            existing = self.finding_editors.get(f.id)
            if existing is None:
                existing = FindingEditor()
                self.finding_editors[f.id] = existing
                self.findings_box.addWidget(existing)
                existing.show()  # a child added to a shown widget stays hidden until told
                created.append(existing)
            existing.set_finding(f, read_only)
        return created
