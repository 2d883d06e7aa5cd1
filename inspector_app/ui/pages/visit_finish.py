"""The last page of a visit: signatures (or a refusal), the people met on site (现场负责人 with
职务, 证件号码 and phone; 见证人), 诉求/困难, and completing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.requests import REQUEST_CATEGORIES
from inspector_app.services import site_people
from inspector_app.services.site_people import SitePeopleInput
from inspector_app.ui.i18n import tr
from inspector_app.ui.widgets.signature import EnterButton, SignatureForm

if TYPE_CHECKING:
    from inspector_app.services.visit_views import SignatureView
    from inspector_app.ui.context import UiContext
    from inspector_app.wire.site_people import SitePeople


@dataclass(frozen=True)
class SignerSlot:
    role: str
    title: str  # "检查人员 张伟（执法证号 …）" or "企业负责人"
    signer: str  # default name
    enterprise: bool
    refusable: bool = True  # the enterprise may refuse, with a reason, where the form allows it


class SignatureCard(QFrame):
    sig_sign = Signal(str, str, object, str)  # role, signer, png bytes or None, refusal reason
    sig_unsign = Signal(str)  # role: the signature on record is taken back (清除)

    def __init__(self, slot: SignerSlot) -> None:
        super().__init__()
        self.setObjectName("card")
        self.slot = slot
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(slot.title)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        # inspectors sign; only the enterprise may refuse, and only where the form allows it
        self.form = SignatureForm(slot.signer, name_editable=slot.enterprise,
                                  refusable=slot.enterprise and slot.refusable)
        layout.addWidget(self.form)
        self.pad = self.form.pad
        self.name = self.form.name
        self.state = self.form.state
        self.refuse = self.form.refuse
        self.reason = self.form.reason
        self.clear_button = self.form.clear_button
        self.save_button = self.form.save_button
        self.form.sig_save.connect(
            lambda signer, png, reason: self.sig_sign.emit(slot.role, signer, png, reason))
        # An inspector may keep this signature for later visits and documents: only when asked.
        self.remember: QCheckBox | None = None
        if not slot.enterprise:
            self.remember = QCheckBox(tr("保存为我的签名，以后文书自动使用"))
            layout.addWidget(self.remember)
        self.clear_button.clicked.connect(self._cleared)

    def _cleared(self) -> None:
        """清除 on a signature already on record (a saved one put there, or one saved before)."""
        if self.state.text() == tr("已签名 ✓") and not self.form.read_only:
            self.sig_unsign.emit(self.slot.role)

    def save(self) -> None:
        self.form.save()

    def show_signature(self, view: SignatureView | None, png: bytes | None) -> None:
        if view is None:
            self.form.show_signed("", None, "")
        else:
            self.form.show_signed(view.signer, png if view.sha256 else None, view.refused_reason)

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        if self.remember is not None:
            self.remember.setVisible(not read_only)


class SitePeopleCard(QFrame):
    """现场负责人 (姓名, 职务, 证件号码, 联系电话) and 见证人 (姓名, 工作单位); Enter in any field saves."""

    sig_save = Signal(object)  # SitePeopleInput

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        grid = QFormLayout()
        self.onsite_name = self._field(grid, tr("现场负责人"), tr("姓名"), 30)
        self.onsite_title = self._field(grid, tr("职务"), tr("如：生产主管"), 30)
        self.onsite_id = self._field(grid, tr("证件号码"), tr("居民身份证或其他证件号码"), 30)
        self.onsite_phone = self._field(grid, tr("联系电话"), "", 20)
        self.witness_name = self._field(grid, tr("见证人"), tr("姓名（当事人拒绝签名或拒收文书时填写）"), 30)
        self.witness_unit = self._field(grid, tr("见证人工作单位"), tr("如：社区工作站"), 60)
        layout.addLayout(grid)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.save_button = EnterButton(tr("保存现场人员"))
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self._save)
        self.edited = False  # typed into since last shown: a late load must not overwrite it
        for edit in self.edits():
            edit.returnPressed.connect(self._save)
            edit.textEdited.connect(self._typed)

    def _typed(self) -> None:
        self.edited = True

    @staticmethod
    def _field(grid: QFormLayout, label: str, placeholder: str, limit: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(limit)
        grid.addRow(label, edit)
        return edit

    def edits(self) -> list[QLineEdit]:
        return [self.onsite_name, self.onsite_title, self.onsite_id, self.onsite_phone,
                self.witness_name, self.witness_unit]

    def values(self) -> SitePeopleInput:
        return SitePeopleInput(
            self.onsite_name.text(), self.onsite_title.text(), self.onsite_id.text(),
            self.onsite_phone.text(), self.witness_name.text(), self.witness_unit.text(),
        )

    def _save(self) -> None:
        if not self.onsite_name.isReadOnly():
            self.sig_save.emit(self.values())

    def show_people(self, people: SitePeople, *, saved: bool = False) -> None:
        """What is stored; while the inspector is typing, only after a save of what was typed."""
        if self.edited and not saved:
            return
        values = (people.onsite.name, people.onsite.title, people.onsite.id_number, people.onsite.phone,
                  people.witness.name, people.witness.unit)
        for edit, value in zip(self.edits(), values, strict=True):
            edit.setText(value)
        self.edited = False

    def show_saved(self) -> None:
        self.status.setObjectName("muted")
        self.status.setText(tr("已保存，完成检查时写入记录"))
        self.status.setStyleSheet("")

    def show_error(self, message: str) -> None:
        self.status.setObjectName("error")
        self.status.setText(message)
        self.status.setStyleSheet("")  # re-polish with the new object name

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.edits():
            edit.setReadOnly(read_only)
        self.save_button.setVisible(not read_only)
        if read_only:
            self.status.setText("")


class FinishPanel(QWidget):
    sig_sign = Signal(str, str, object, str)
    sig_unsign = Signal(str)  # role
    sig_request = Signal(str, str)  # category, description
    sig_complete = Signal()
    sig_jump = Signal(str)  # item key
    sig_print = Signal(str)  # document kind

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(12)
        title = QLabel(tr("签名"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(10)
        layout.addLayout(self.cards_box)
        self.cards: dict[str, SignatureCard] = {}

        people_title = QLabel(tr("现场负责人与见证人"))
        people_title.setObjectName("sectionTitle")
        layout.addWidget(people_title)
        self.people = SitePeopleCard()
        layout.addWidget(self.people)
        self.people.sig_save.connect(self._save_people)
        self._people_of = ""  # the visit whose people the card shows

        self._build_requests(layout)
        self._build_complete(layout)
        layout.addStretch(1)

    def _build_requests(self, layout: QVBoxLayout) -> None:
        req_title = QLabel(tr("企业诉求/困难"))
        req_title.setObjectName("sectionTitle")
        layout.addWidget(req_title)
        req_card = QFrame()
        req_card.setObjectName("card")
        req_layout = QVBoxLayout(req_card)
        req_layout.setContentsMargins(16, 12, 16, 12)
        row = QHBoxLayout()
        self.req_category = QComboBox()
        for c in REQUEST_CATEGORIES:
            self.req_category.addItem(tr(c), c)
        self.req_text = QLineEdit()
        self.req_text.setPlaceholderText(tr("企业提出的诉求或困难"))
        self.req_button = EnterButton(tr("记录诉求"))
        row.addWidget(self.req_category)
        row.addWidget(self.req_text, 1)
        row.addWidget(self.req_button)
        req_layout.addLayout(row)
        self.req_list = QLabel(tr("本次未记录诉求"))
        self.req_list.setObjectName("muted")
        self.req_list.setWordWrap(True)
        req_layout.addWidget(self.req_list)
        layout.addWidget(req_card)
        self.req_button.clicked.connect(self._request)
        self.req_text.returnPressed.connect(self._request)

    def _build_complete(self, layout: QVBoxLayout) -> None:
        done_title = QLabel(tr("完成检查"))
        done_title.setObjectName("sectionTitle")
        layout.addWidget(done_title)
        done_card = QFrame()
        done_card.setObjectName("card")
        done_layout = QVBoxLayout(done_card)
        done_layout.setContentsMargins(16, 12, 16, 12)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        done_layout.addWidget(self.outcome)
        self.missing_title = QLabel(tr("尚缺以下内容（点击跳转）："))
        self.missing_title.setObjectName("error")
        self.missing_title.setVisible(False)
        layout.insertWidget(0, self.missing_title)  # at the top of the page: seen without scrolling
        self.missing = QListWidget()
        self.missing.setVisible(False)
        self.missing.setMinimumHeight(120)
        self.missing.setMaximumHeight(200)  # a long list scrolls, the signatures stay in view
        layout.insertWidget(1, self.missing)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        self.print_record = EnterButton(tr("打印检查记录"))
        self.print_notice = EnterButton(tr("打印整改通知书"))
        self.print_record.setVisible(False)
        self.print_notice.setVisible(False)
        self.complete_button = EnterButton(tr("完成检查并锁定"))
        self.complete_button.setObjectName("primary")
        done_row.addWidget(self.print_record)
        done_row.addWidget(self.print_notice)
        done_row.addWidget(self.complete_button)
        done_layout.addLayout(done_row)
        layout.addWidget(done_card)
        self.complete_button.clicked.connect(self.sig_complete)
        self.missing.itemActivated.connect(self._jump)
        self.missing.itemClicked.connect(self._jump)
        self.print_record.clicked.connect(lambda: self.sig_print.emit("record"))
        self.print_notice.clicked.connect(lambda: self.sig_print.emit("notice"))

    def set_slots(self, slots: list[SignerSlot]) -> None:
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards.clear()
        for slot in slots:
            card = SignatureCard(slot)
            card.sig_sign.connect(self.sig_sign)
            card.sig_unsign.connect(self.sig_unsign)
            self.cards_box.addWidget(card)
            card.show()
            self.cards[slot.role] = card

    def _request(self) -> None:
        text = self.req_text.text().strip()
        if text:
            self.sig_request.emit(str(self.req_category.currentData()), text)

    def request_recorded(self) -> None:
        self.req_text.clear()

    def set_requests(self, lines: list[str]) -> None:
        self.req_list.setText("\n".join(lines) if lines else tr("本次未记录诉求"))

    def set_missing(self, entries: list[tuple[str, str | None]]) -> None:
        """(message, item key or None); clicking an entry with a key jumps to the item."""
        self.missing.clear()
        for text, key in entries:
            entry = QListWidgetItem(("→ " if key else "• ") + text)
            entry.setData(Qt.ItemDataRole.UserRole, key)
            self.missing.addItem(entry)
        self.missing.setVisible(bool(entries))
        self.missing_title.setVisible(bool(entries))

    def _jump(self, entry: QListWidgetItem) -> None:
        key = entry.data(Qt.ItemDataRole.UserRole)
        if key:
            self.sig_jump.emit(str(key))

    # -- the people met on site: read and saved through services/site_people.py by the page that
    # holds this panel (its ``ctx`` and ``visit_id``), so the page needs no wiring for them.

    def _host(self) -> tuple[UiContext, str] | None:
        w = self.parentWidget()
        while w is not None:
            ctx, visit_id = getattr(w, "ctx", None), getattr(w, "visit_id", None)
            if ctx is not None and isinstance(visit_id, str) and visit_id:
                return ctx, visit_id
            w = w.parentWidget()
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load_people()

    def load_people(self, *, force: bool = False) -> None:
        host = self._host()
        if host is None or (host[1] == self._people_of and not force):
            return
        ctx, visit_id = host
        if visit_id != self._people_of:
            self.people.edited = False  # what was typed belonged to another visit
        self._people_of = visit_id

        def shown(people: SitePeople) -> None:
            if self._people_of == visit_id:
                self.people.show_people(people)

        ctx.run(lambda job: site_people.load(job.services.workspace, visit_id), shown, key="site-people-load")

    def _save_people(self, given: SitePeopleInput) -> None:
        host = self._host()
        if host is None:
            return
        ctx, visit_id = host

        def saved(result: site_people.Saved) -> None:
            self.people.show_people(result.people, saved=True)
            self.people.show_saved()

        ctx.op(lambda job: site_people.save(job.services.workspace, visit_id, given), saved,
               lambda exc: self.people.show_error(str(exc)))

    def set_read_only(self, read_only: bool, printable: bool) -> None:
        self.people.set_read_only(read_only)
        self.load_people()
        for card in self.cards.values():
            card.set_read_only(read_only)
        for w in (self.req_category, self.req_text, self.req_button):
            w.setVisible(not read_only)
        self.complete_button.setVisible(not read_only)
        self.print_record.setVisible(read_only and printable)
        self.print_notice.setVisible(read_only and printable)
        if read_only:
            self.set_missing([])
