"""Starting a visit: which checklist (those that apply to the enterprise's category) and who is there.

Where a visit of the same kind is already in progress on this laptop the dialog offers to resume it
first (Enter resumes): a second visit is started only when asked for. The inspector at the laptop
(the signed-in account, else the one chosen here and remembered) is ticked, with their team first.
The lists scroll, so the dialog fits a laptop screen whatever the size of the crew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.services.changes import Created
    from inspector_app.services.register import InspectorInfo

SETTINGS_CREW = "visit/inspectors"
SETTINGS_ME = "inspector/me"  # the badge of the inspector using this laptop, when nobody signed in
SETTINGS_ME_NAME = "inspector/me_name"  # and their name, for the status bar
# The lists show this much before they scroll: the dialog stays within a 720-px-high screen.
FORMS_HEIGHT = 150
CREW_HEIGHT = 240


@dataclass(frozen=True)
class Draft:
    id: str
    title: str
    started_at: datetime


@dataclass
class StartChoices:
    name: str
    category: str
    forms: list[tuple[str, str]]  # (code, title)
    officers: dict[str, int]  # form code → law-enforcement officers it needs (recheck: its own)
    inspectors: list[InspectorInfo]  # the laptop's inspector first, then their team, then the rest
    open_findings: int
    drafts: list[Draft]  # visits of this kind in progress, newest first
    me: str  # badge of the inspector at the laptop ("" when not known)
    signed_in: bool  # ``me`` comes from the signed-in account (not a choice made here)


def crew_order(inspectors: list[InspectorInfo], me: str) -> list[InspectorInfo]:
    """The inspector at the laptop first, then their team, then everyone else (each in given order)."""
    mine = next((i for i in inspectors if i.badge == me), None)
    team = mine.team if mine is not None else ""

    def rank(info: InspectorInfo) -> int:
        if info.badge == me:
            return 0
        return 1 if team and info.team == team else 2

    return sorted(inspectors, key=rank)


def load_choices(job: Job, code: str, lang: str, *, recheck: bool = False, me: str = "") -> StartChoices:
    from inspector_app.domain.visit import VisitKind, VisitStatus
    from inspector_app.ui.sync.accounts import known_accounts

    services = job.services
    ent = services.register.get(code)
    if ent is None:
        raise LookupError(tr("企业 {code} 不在本机企业名录中").format(code=code))
    kind = VisitKind.RECHECK if recheck else VisitKind.INSPECTION
    forms = services.forms.for_category(ent.category, VisitKind.INSPECTION)
    officers = {f.code: f.officers for f in forms}
    if recheck:
        from inspector_app.services.visits import RECHECK_FORM

        recheck_form = next((f for f in services.forms.latest() if f.code == RECHECK_FORM), None)
        if recheck_form is not None:  # none here: starting the re-inspection says so
            officers[RECHECK_FORM] = recheck_form.officers

    def title(code: str, fallback: str) -> str:
        try:
            return services.forms.get(code).title.text(lang)
        except KeyError:
            return fallback

    drafts = [Draft(v.id, title(v.form_code, v.form_title), v.started_at)
              for v in services.visits.history(code) if v.status is VisitStatus.DRAFT and v.kind is kind]
    working = services.visits.account
    account = next((a for a in known_accounts(services.workspace) if a.username == working), None)
    signed_in = account is not None and bool(account.badge)
    if signed_in:
        assert account is not None
        me = account.badge
    return StartChoices(
        name=ent.name, category=ent.category,
        forms=[(f.code, f.title.text(lang)) for f in forms], officers=officers,
        inspectors=crew_order(services.register.inspectors(), me),
        open_findings=len(services.visits.open_findings(code)),
        drafts=drafts, me=me, signed_in=signed_in,
    )


def _scrolling(parent: QWidget, max_height: int) -> tuple[QScrollArea, QVBoxLayout]:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its rows take the keys, not the frame around them
    area.setMaximumHeight(max_height)
    inner = QWidget(area)
    box = QVBoxLayout(inner)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    area.setWidget(inner)
    return area, box


class _OneTabStop(QObject):
    """A list of tick boxes is one stop in the Tab order (a street has dozens of officers): ↑/↓
    move within it, Space ticks, Tab and Shift+Tab leave it. The box last visited keeps the stop."""

    def __init__(self, area: QScrollArea, parent: QObject) -> None:
        super().__init__(parent)
        self.area = area
        self.boxes: list[QCheckBox] = []

    def add(self, box: QCheckBox) -> None:
        box.installEventFilter(self)
        self.boxes.append(box)

    def rove(self, index: int) -> None:
        for i, box in enumerate(self.boxes):
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus if i == index else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QCheckBox) or watched not in self.boxes:
            return False
        if event.type() == QEvent.Type.FocusIn:
            self.rove(self.boxes.index(watched))
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()), 0)
            if step:
                here = self.boxes.index(watched)
                there = max(0, min(len(self.boxes) - 1, here + step))
                self.boxes[there].setFocus(Qt.FocusReason.OtherFocusReason)
                self.area.ensureWidgetVisible(self.boxes[there])
                return True
        return False


class StartVisitDialog(QDialog):
    sig_started = Signal(str)  # visit id: a new one, or the one in progress that was resumed

    def __init__(
        self, ctx: UiContext, code: str, parent: QWidget | None = None, *, recheck: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.recheck = recheck
        self.choices: StartChoices | None = None
        self.setWindowTitle(tr("开始复查") if recheck else tr("开始检查"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.heading = QLabel(tr("正在读取…"))
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        layout.addWidget(self._build_draft())

        self.forms_label = QLabel(tr("检查表"))
        self.forms_label.setObjectName("muted")
        layout.addWidget(self.forms_label)
        self.forms_area, self.forms_box = _scrolling(self, FORMS_HEIGHT)
        layout.addWidget(self.forms_area)

        me_row = QHBoxLayout()
        self.me_label = QLabel(tr("本机检查员"))
        self.me_label.setObjectName("muted")
        self.me_box = QComboBox(self)
        me_row.addWidget(self.me_label)
        me_row.addWidget(self.me_box, 1)
        layout.addLayout(me_row)
        self.crew_label = QLabel(tr("到场检查人员（至少一人）"))
        self.crew_label.setObjectName("muted")
        self.crew_label.setWordWrap(True)
        layout.addWidget(self.crew_label)
        self.crew_area, self.crew_box = _scrolling(self, CREW_HEIGHT)
        layout.addWidget(self.crew_area, 1)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = self._build_buttons()
        self.buttons.accepted.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        self.resume_button.clicked.connect(self._resume)
        layout.addWidget(self.buttons)
        self.form_group = QButtonGroup(self)
        self.crew: list[tuple[QCheckBox, str]] = []
        self._crew_keys = _OneTabStop(self.crew_area, self)
        lang = ctx.lang
        me = str(ctx.settings.value(SETTINGS_ME, "") or "")
        ctx.run(lambda job: load_choices(job, code, lang, recheck=recheck, me=me), self._loaded,
                self._failed)

    def _build_buttons(self) -> QDialogButtonBox:
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("开始"))
        ok.setObjectName("primary")
        ok.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        return buttons

    def _build_draft(self) -> QFrame:
        """The offer to resume a visit in progress, shown when there is one."""
        self.draft_frame = QFrame(self)
        self.draft_frame.setObjectName("card")
        draft_row = QHBoxLayout(self.draft_frame)
        self.draft_label = QLabel("", self.draft_frame)
        self.draft_label.setWordWrap(True)
        self.resume_button = QPushButton(tr("继续这次检查"), self.draft_frame)
        self.resume_button.setObjectName("primary")
        draft_row.addWidget(self.draft_label, 1)
        draft_row.addWidget(self.resume_button)
        self.draft_frame.setVisible(False)
        return self.draft_frame

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _loaded(self, choices: StartChoices) -> None:
        self.choices = choices
        self.heading.setText(choices.name)
        if self.recheck:
            self.forms_label.setText(tr("复查：该企业有 {n} 项待复查隐患").format(n=choices.open_findings))
            self.forms_area.setVisible(False)  # the 复查 form is the only one: no empty list to pick from
        else:
            for i, (code, title) in enumerate(choices.forms):
                button = QRadioButton(title)
                button.setProperty("form_code", code)
                self.form_group.addButton(button, i)
                self.forms_box.addWidget(button)
            if choices.forms:
                self.form_group.buttons()[0].setChecked(True)
            else:
                text = tr("没有适用于“{category}”的检查表")
                self.error.setText(text.format(category=tr(choices.category) if choices.category else "-"))
            self.form_group.buttonToggled.connect(lambda *_: self._show_officers())
        self._fill_me(choices)
        self._fill_crew(choices)
        self._show_officers()
        ok = self.ok_button
        ok.setEnabled(bool(self.crew) and (self.recheck or bool(choices.forms)))
        if choices.drafts:
            draft = choices.drafts[0]
            started = draft.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.draft_label.setText(tr("该企业有一次进行中的检查：{title}，{time} 开始。").format(
                title=draft.title, time=started))
            self.draft_frame.setVisible(True)
            ok.setText(tr("仍新开一次检查"))
            ok.setObjectName("")  # one primary button: 继续
            ok.style().unpolish(ok)
            ok.style().polish(ok)
            ok.setAutoDefault(False)
            ok.setDefault(False)
            self.resume_button.setDefault(True)
            self.resume_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            ok.setDefault(True)
            ok.setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit_lists()
        self.adjustSize()

    def _fit_lists(self) -> None:
        """Each list as tall as its content, up to its cap (then it scrolls).

        The rows were added to a dialog already on screen and are not shown yet, so the layout's
        own size hint leaves them out (it made the lists two rows high): the rows are measured."""
        for area, box, cap in ((self.forms_area, self.forms_box, FORMS_HEIGHT),
                               (self.crew_area, self.crew_box, CREW_HEIGHT)):
            items = [box.itemAt(i) for i in range(box.count())]
            rows = [w for item in items if item is not None and (w := item.widget()) is not None]
            if not rows:
                continue
            content = sum(w.sizeHint().height() for w in rows) + box.spacing() * (len(rows) - 1)
            area.setMinimumHeight(min(cap, content + 4))

    def _fill_me(self, choices: StartChoices) -> None:
        self.me_box.blockSignals(True)
        self.me_box.addItem(tr("（未选择）"), "")
        for info in choices.inspectors:
            self.me_box.addItem(f"{info.name}　{info.badge}", info.badge)
        self.me_box.setCurrentIndex(max(0, self.me_box.findData(choices.me)))
        # A signed-in account says who is working; otherwise the choice is made here, and kept.
        self.me_box.setEnabled(not choices.signed_in)
        if choices.signed_in:
            self.me_box.setToolTip(tr("已登录的检查员"))
        self.me_box.blockSignals(False)
        self.me_box.currentIndexChanged.connect(self._me_changed)

    def _fill_crew(self, choices: StartChoices) -> None:
        for box, _badge in self.crew:
            box.deleteLater()
        self.crew.clear()
        self._crew_keys.boxes.clear()
        remembered = {b for b in str(self.ctx.settings.value(SETTINGS_CREW, "") or "").split(",") if b}
        for info in choices.inspectors:
            text = tr("{name}　执法证号 {badge}").format(name=info.name, badge=info.badge)
            box = QCheckBox(text + (f"　（{info.team}）" if info.team else ""))
            box.setProperty("badge", info.badge)
            box.setChecked(info.badge == choices.me or info.badge in remembered)
            self.crew_box.addWidget(box)
            self.crew.append((box, info.badge))
            self._crew_keys.add(box)
        if self.crew and not any(b.isChecked() for b, _ in self.crew):
            self.crew[0][0].setChecked(True)
        self._crew_keys.rove(0)
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """The order the dialog reads in: resume, the checklists, who is working, the officers, 开始,
        取消. Rows made after the buttons would otherwise come after them (Qt's creation order)."""
        chain: list[QWidget] = [self.resume_button, *self.form_group.buttons(), self.me_box]
        chain += [box for box, _badge in self.crew]
        chain += [self.ok_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _me_changed(self) -> None:
        if self.choices is None:
            return
        me = str(self.me_box.currentData() or "")
        info = next((i for i in self.choices.inspectors if i.badge == me), None)
        self.ctx.remember(SETTINGS_ME_NAME, info.name if info is not None else "")
        self.ctx.remember(SETTINGS_ME, me)
        self.choices.me = me
        self.choices.inspectors = crew_order(self.choices.inspectors, me)
        self._fill_crew(self.choices)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(str(exc))

    def chosen_form(self) -> str | None:
        button = self.form_group.checkedButton()
        return None if button is None else str(button.property("form_code"))

    def chosen_crew(self) -> list[str]:
        return [badge for box, badge in self.crew if box.isChecked()]

    def officers_needed(self) -> int:
        """How many law-enforcement officers the chosen checklist needs (forms/SCHEMA.md)."""
        if self.choices is None:
            return 1
        from inspector_app.services.visits import RECHECK_FORM

        code = RECHECK_FORM if self.recheck else self.chosen_form()
        return self.choices.officers.get(code or "", 1)

    def _show_officers(self) -> None:
        need = self.officers_needed()
        if need > 1:
            self.crew_label.setText(tr("到场执法人员（本检查表须 {n} 名持执法证的执法人员）").format(n=need))
        else:
            self.crew_label.setText(tr("到场检查人员（至少一人）"))

    def _resume(self) -> None:
        if self.choices is None or not self.choices.drafts:
            return
        visit_id = self.choices.drafts[0].id
        self.accept()
        self.sig_started.emit(visit_id)

    def _start(self) -> None:
        crew = self.chosen_crew()
        if not crew:
            self.error.setText(tr("请至少选择一名检查人员"))
            return
        need = self.officers_needed()
        if len(crew) < need:
            # Said before the visit starts: a visit with fewer could never be completed.
            text = tr("本检查表须 {n} 名执法人员到场检查，已选 {m} 名：请再勾选 {k} 名（含执法证号）")
            self.error.setText(text.format(n=need, m=len(crew), k=need - len(crew)))
            return
        self.error.setText("")
        self.ctx.remember(SETTINGS_CREW, ",".join(crew))
        code, form = self.code, self.chosen_form()
        self.buttons.setEnabled(False)
        self.resume_button.setEnabled(False)

        def start(job: Job) -> Created:
            if self.recheck:
                return job.services.visits.start_recheck(code, crew)
            assert form is not None
            return job.services.visits.start(code, form, crew)

        self.ctx.op(start, self._started, self._start_failed)

    def _started(self, result: Created) -> None:
        self.accept()
        self.sig_started.emit(result.id)

    def _start_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.resume_button.setEnabled(True)
        self.error.setText(str(exc))
