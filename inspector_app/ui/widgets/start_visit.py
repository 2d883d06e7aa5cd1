"""Starting a visit: which checklist (those that apply to the enterprise's category) and who is there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.services.register import InspectorInfo

SETTINGS_CREW = "visit/inspectors"


@dataclass
class StartChoices:
    name: str
    category: str
    forms: list[tuple[str, str]]  # (code, title)
    inspectors: list[InspectorInfo]
    open_findings: int


def load_choices(job: Job, code: str, lang: str) -> StartChoices:
    from inspector_app.domain.visit import VisitKind

    services = job.services
    ent = services.register.get(code)
    if ent is None:
        raise LookupError(tr("企业 {code} 不在本机企业名录中").format(code=code))
    forms = services.forms.for_category(ent.category, VisitKind.INSPECTION)
    return StartChoices(
        name=ent.name, category=ent.category,
        forms=[(f.code, f.title.text(lang)) for f in forms],
        inspectors=services.register.inspectors(),
        open_findings=len(services.visits.open_findings(code)),
    )


class StartVisitDialog(QDialog):
    sig_started = Signal(str)  # visit id

    def __init__(
        self, ctx: UiContext, code: str, parent: QWidget | None = None, *, recheck: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.recheck = recheck
        self.setWindowTitle(tr("开始复查") if recheck else tr("开始检查"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.heading = QLabel(tr("正在读取…"))
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.forms_label = QLabel(tr("检查表"))
        self.forms_label.setObjectName("muted")
        layout.addWidget(self.forms_label)
        self.forms_box = QVBoxLayout()
        layout.addLayout(self.forms_box)
        crew_label = QLabel(tr("到场检查人员（至少一人）"))
        crew_label.setObjectName("muted")
        layout.addWidget(crew_label)
        self.crew_box = QVBoxLayout()
        layout.addLayout(self.crew_box)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("开始"))
        ok.setObjectName("primary")
        ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.form_group = QButtonGroup(self)
        self.crew: list[tuple[QCheckBox, str]] = []
        lang = ctx.lang
        ctx.run(lambda job: load_choices(job, code, lang), self._loaded, self._failed)

    def _loaded(self, choices: StartChoices) -> None:
        self.heading.setText(choices.name)
        if self.recheck:
            self.forms_label.setText(tr("复查：该企业有 {n} 项待复查隐患").format(n=choices.open_findings))
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
                self.error.setText(text.format(category=choices.category or "-"))
        remembered = set(str(self.ctx.settings.value(SETTINGS_CREW, "") or "").split(","))
        for info in choices.inspectors:
            box = QCheckBox(f"{info.name}　{info.badge}" + (f"　（{info.team}）" if info.team else ""))
            box.setChecked(info.badge in remembered)
            self.crew_box.addWidget(box)
            self.crew.append((box, info.badge))
        if self.crew and not any(b.isChecked() for b, _ in self.crew):
            self.crew[0][0].setChecked(True)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.crew) and (self.recheck or bool(choices.forms)))
        ok.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(str(exc))

    def chosen_form(self) -> str | None:
        button = self.form_group.checkedButton()
        return None if button is None else str(button.property("form_code"))

    def chosen_crew(self) -> list[str]:
        return [badge for box, badge in self.crew if box.isChecked()]

    def _start(self) -> None:
        crew = self.chosen_crew()
        if not crew:
            self.error.setText(tr("请至少选择一名检查人员"))
            return
        self.ctx.remember(SETTINGS_CREW, ",".join(crew))
        code, form = self.code, self.chosen_form()
        self.buttons.setEnabled(False)

        def start(job: Job) -> tuple[str, object]:
            if self.recheck:
                return job.services.visits.start_recheck(code, crew)
            assert form is not None
            return job.services.visits.start(code, form, crew)

        self.ctx.op(start, self._started, self._start_failed)

    def _started(self, result: tuple[str, object]) -> None:
        self.accept()
        self.sig_started.emit(result[0])

    def _start_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(str(exc))
