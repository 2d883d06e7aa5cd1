"""完成检查并锁定's last question: the outcome, the findings and the officers, at a readable width.

A QMessageBox sizes itself to its longest word, so the findings wrapped into a narrow column; this
dialog is as wide as the text needs up to what the screen allows, and a long list of findings
scrolls inside it. Enter confirms (the default button has the focus), Esc goes back to the visit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.i18n import tr

READABLE_WIDTH = 640  # px: a finding with its severity and deadline on one line
MARGIN = 80  # px left to the screen around the dialog


class ConfirmCompletion(QDialog):
    def __init__(self, parent: QWidget, outcome: str, findings: list[str], officers: str,
                 note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("confirmComplete")
        self.setWindowTitle(tr("完成检查并锁定"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        heading = QLabel(tr("确认完成并锁定本次检查？"))
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.outcome = QLabel(outcome)
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.findings = QListWidget()
        self.findings.setObjectName("confirmFindings")
        self.findings.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.findings.setWordWrap(True)
        self.findings.addItems(findings)
        self.findings.setVisible(bool(findings))
        rows = sum(self.findings.sizeHintForRow(i) for i in range(self.findings.count()))
        self.findings.setFixedHeight(min(max(rows, 40) + 8, 260))  # a long list scrolls inside
        title = QLabel(tr("隐患：") if findings else note)
        title.setVisible(bool(title.text()))
        layout.addWidget(title)
        layout.addWidget(self.findings)
        self.officers = QLabel(officers)
        self.officers.setWordWrap(True)
        layout.addWidget(self.officers)
        warning = QLabel(tr("完成后本次检查将锁定，不能再修改。"))
        warning.setObjectName("error")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        buttons = QDialogButtonBox()
        accept, reject = QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole
        self.yes: QPushButton = buttons.addButton(tr("确认完成并锁定"), accept)
        self.yes.setObjectName("primary")
        self.back: QPushButton = buttons.addButton(tr("返回修改"), reject)
        self.yes.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        screen = parent.screen().availableGeometry() if parent.screen() is not None else None
        width = READABLE_WIDTH if screen is None else min(READABLE_WIDTH, screen.width() - MARGIN)
        self.setMinimumWidth(width)
        self._lines = [outcome, *([tr("隐患："), *findings] if findings else [note] if note else []),
                       officers, warning.text()]

    def text(self) -> str:
        """Everything the inspector is asked to confirm, line by line."""
        return "\n".join(line for line in self._lines if line)
