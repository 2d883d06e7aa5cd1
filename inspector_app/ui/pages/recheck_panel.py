"""复查: each open finding of the enterprise marked 已整改 (with a photo) or 未整改 (new deadline)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.finding import RecheckResult, recheck_deadline
from inspector_app.ui.i18n import tr
from inspector_app.ui.widgets.finding_editor import qdate
from inspector_app.ui.widgets.items import PhotosEditor

if TYPE_CHECKING:
    from inspector_app.services.visit_views import FindingView, RecheckMarkView


CONTROL_SPACING = 12  # px between 已整改, 未整改, 新期限 …


class RecheckCard(QFrame):
    """One finding to re-inspect. Keyboard: the card takes the focus; 1 已整改, 2 未整改, Tab goes
    to 新期限 (未整改) or 整改照片 (已整改), then 复查情况说明; Enter goes on to the next card."""

    # finding id, result, note, new deadline or None, photo path or None
    sig_mark = Signal(str, object, str, object, object)
    sig_advance = Signal()

    def __init__(self, finding: FindingView, today: date) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.finding = finding
        self.photo: Path | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(8)
        title = QLabel(finding.title)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 3)
        info = QLabel(tr("{severity}隐患　{order}　期限 {deadline}　发现于 {found}").format(
            severity=tr(finding.severity.value), order=tr(finding.order.value),
            deadline=finding.deadline.isoformat(), found=finding.found_on.isoformat()))
        info.setObjectName("muted")
        grid.addWidget(info, 1, 0, 1, 3)
        if finding.description:
            desc = QLabel(finding.description)
            desc.setWordWrap(True)
            grid.addWidget(desc, 2, 0, 1, 3)
        grid.addLayout(self._build_controls(today), 3, 0, 1, 3)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("复查情况说明"))
        grid.addWidget(self.note, 4, 0, 1, 3)
        self.state = QLabel("")
        self.state.setObjectName("muted")
        grid.addWidget(self.state, 5, 0, 1, 3)
        self._show_controls(None)
        self.fixed.clicked.connect(lambda: self._chosen(RecheckResult.RECTIFIED))
        self.not_fixed.clicked.connect(lambda: self._chosen(RecheckResult.NOT_RECTIFIED))
        self.photo_button.clicked.connect(self._pick_photo)
        self.deadline.editingFinished.connect(self._resend)
        self.note.editingFinished.connect(self._resend)
        self.note.returnPressed.connect(self.sig_advance)
        self.result: RecheckResult | None = None
        self.read_only = False
        QWidget.setTabOrder(self, self.deadline)
        QWidget.setTabOrder(self.deadline, self.photo_button)
        QWidget.setTabOrder(self.photo_button, self.note)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if not self.read_only and key in (Qt.Key.Key_1, Qt.Key.Key_2):
            button = self.fixed if key == Qt.Key.Key_1 else self.not_fixed
            button.setChecked(True)
            self._chosen(RecheckResult.RECTIFIED if key == Qt.Key.Key_1 else RecheckResult.NOT_RECTIFIED)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_advance.emit()
            return
        super().keyPressEvent(event)

    def _build_controls(self, today: date) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(CONTROL_SPACING)  # nested in the card's grid it would inherit none: buttons touched
        self.group = QButtonGroup(self)
        self.fixed = QPushButton(tr("已整改"))
        self.fixed.setObjectName("answer")
        self.fixed.setProperty("answer", "Y")
        self.not_fixed = QPushButton(tr("未整改"))
        self.not_fixed.setObjectName("answer")
        self.not_fixed.setProperty("answer", "N")
        for n, b in enumerate((self.fixed, self.not_fixed), start=1):
            b.setText(f"{b.text()}  {n}")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the card takes 1 and 2
            self.group.addButton(b)
            row.addWidget(b)
        row.addSpacing(16)
        self.photo_button = QPushButton(tr("整改照片…"))
        self.photo_label = QLabel("")
        self.photo_label.setObjectName("muted")
        self.deadline_label = QLabel(tr("新期限"))
        # The domain's default and floor: never before the original deadline (recheck_deadline).
        self.deadline = QDateEdit(qdate(recheck_deadline(self.finding.deadline, None, today)))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumDate(qdate(max(today + timedelta(days=1), self.finding.deadline)))
        for w in (self.photo_button, self.photo_label, self.deadline_label, self.deadline):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _show_controls(self, result: RecheckResult | None) -> None:
        rectified = result is RecheckResult.RECTIFIED
        self.photo_button.setVisible(rectified)
        self.photo_label.setVisible(rectified)
        self.deadline_label.setVisible(result is RecheckResult.NOT_RECTIFIED)
        self.deadline.setVisible(result is RecheckResult.NOT_RECTIFIED)

    def _chosen(self, result: RecheckResult) -> None:
        self.result = result
        self._show_controls(result)
        self._send()

    def _resend(self) -> None:
        if self.result is not None:
            self._send()

    def _send(self) -> None:
        assert self.result is not None
        d = self.deadline.date()
        new_deadline = None
        if self.result is RecheckResult.NOT_RECTIFIED:
            new_deadline = date(d.year(), d.month(), d.day())
        self.sig_mark.emit(self.finding.id, self.result, self.note.text().strip(), new_deadline, self.photo)

    def _pick_photo(self) -> None:
        chooser = PhotosEditor.choose_files
        if chooser is not None:
            files = chooser(self)
        else:
            name, _f = QFileDialog.getOpenFileName(self, tr("选择整改照片"), "",
                                                   tr("图片 (*.jpg *.jpeg *.png *.heic *.webp)"))
            files = [Path(name)] if name else []
        if files:
            self.photo = files[0]
            self.photo_label.setText(self.photo.name)
            self._resend()

    def show_mark(self, mark: RecheckMarkView | None) -> None:
        if mark is None:
            self.state.setText(tr("未复查"))
            return
        self.result = mark.result
        (self.fixed if mark.result is RecheckResult.RECTIFIED else self.not_fixed).setChecked(True)
        self._show_controls(mark.result)
        if mark.new_deadline is not None:
            self.deadline.setDate(qdate(mark.new_deadline))
        if mark.note and not self.note.hasFocus():
            self.note.setText(mark.note)
        if mark.photo:
            self.photo_label.setText(tr("已附照片"))
        self.state.setText(tr("已记录：{result}").format(result=tr(mark.result.value)))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for w in (self.fixed, self.not_fixed, self.photo_button, self.deadline, self.note):
            w.setEnabled(not read_only)


class RecheckPanel(QWidget):
    sig_mark = Signal(str, object, str, object, object)
    sig_done = Signal()  # Enter on the last card: on to the form's items

    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 8, 0)
        self.layout_.setSpacing(10)
        title = QLabel(tr("待复查隐患"))
        title.setObjectName("sectionTitle")
        self.layout_.addWidget(title)
        self.empty = QLabel(tr("该企业没有待复查的隐患"))
        self.empty.setObjectName("muted")
        self.layout_.addWidget(self.empty)
        self.cards: dict[str, RecheckCard] = {}
        self.layout_.addStretch(1)

    def set_findings(self, findings: list[FindingView], marks: dict[str, RecheckMarkView], today: date,
                     read_only: bool) -> None:
        self.empty.setVisible(not findings)
        for f in findings:
            card = self.cards.get(f.id)
            if card is None:
                card = RecheckCard(f, today)
                card.sig_mark.connect(self.sig_mark)
                card.sig_advance.connect(lambda fid=f.id: self._advance(fid))
                self.cards[f.id] = card
                self.layout_.insertWidget(self.layout_.count() - 1, card)
                card.show()
            card.show_mark(marks.get(f.id))
            card.set_read_only(read_only)

    def _advance(self, finding_id: str) -> None:
        ids = list(self.cards)
        i = ids.index(finding_id)
        if i + 1 < len(ids):
            self.cards[ids[i + 1]].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.sig_done.emit()

    def first_unmarked(self) -> RecheckCard | None:
        for card in self.cards.values():
            if card.result is None:
                return card
        return None
