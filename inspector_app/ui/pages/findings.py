"""隐患整改: every open finding, the overdue ones marked, filtered by grid and severity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton

from inspector_app.services.changes import Changes
from inspector_app.ui import style
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.tables import current_row, make_table
from inspector_app.ui.tablemodel import Column, Prepared, RowsModel, prepare
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.services.worklist import OpenFinding

STATUS_LABELS = {"open": "待整改", "rectified": "已报整改", "closed": "已销号"}


@dataclass
class FindingsData:
    today: date
    prepared: Prepared
    grids: list[str]


def _columns(today: list[date]) -> list[Column]:
    def overdue(f: OpenFinding) -> str:
        days = (today[0] - f.deadline).days
        return tr("逾期 {n} 天").format(n=days) if days > 0 else ""

    return [
        Column(tr("企业名称"), lambda f: f.enterprise_name),
        Column(tr("隐患"), lambda f: f.title),
        Column(tr("等级"), lambda f: tr(f.severity)),
        Column(tr("整改要求"), lambda f: tr(f.order)),
        Column(tr("期限"), lambda f: f.deadline.isoformat(), lambda f: f.deadline),
        Column(tr("逾期"), overdue, lambda f: f.deadline),
        Column(tr("状态"), lambda f: tr(STATUS_LABELS.get(f.status, f.status))),
        Column(tr("网格"), lambda f: f.grid),
        Column(tr("发现日期"), lambda f: f.found_on.isoformat(), lambda f: f.found_on),
    ]


class FindingsPage(Page):
    sig_open_enterprise = Signal(str)
    sig_open_visit = Signal(str)
    sig_loaded = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("隐患整改"))
        self._today = [date.today()]
        self._grids_loaded = False

    def build(self) -> None:
        from inspector_app.domain.finding import Severity

        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.header.addWidget(self.summary)
        bar = QHBoxLayout()
        self.grid_box = QComboBox()
        self.grid_box.addItem(tr("全部网格"), "")
        self.severity_box = QComboBox()
        self.severity_box.addItem(tr("全部等级"), "")
        for s in Severity:
            self.severity_box.addItem(tr(s.value), s.value)
        self.overdue_only = QCheckBox(tr("只看逾期"))
        for w in (self.grid_box, self.severity_box):
            w.setMinimumWidth(150)
            bar.addWidget(w)
        bar.addWidget(self.overdue_only)
        bar.addStretch(1)
        self.open_button = QPushButton(tr("查看企业"))
        bar.addWidget(self.open_button)
        self.layout_.addLayout(bar)
        self.model = RowsModel(_columns(self._today), self)
        self.table = make_table(self.model, (260, 320, 60, 100, 110, 90, 90, 120))
        self.layout_.addWidget(self.table, 1)
        self.grid_box.currentIndexChanged.connect(self.reload)
        self.severity_box.currentIndexChanged.connect(self.reload)
        self.overdue_only.toggled.connect(self.reload)
        self.open_button.clicked.connect(self._open)
        self.table.doubleClicked.connect(lambda _i: self._open_visit())

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes.findings or changes.visits)

    def reload(self) -> None:
        grid = self.grid_box.currentData() or None
        severity = self.severity_box.currentData() or None
        overdue_only = self.overdue_only.isChecked()
        columns = self.model.columns
        today_cell = self._today

        def run(job: Job) -> FindingsData:
            today = job.services.worklist.today()
            today_cell[0] = today
            rows = job.services.worklist.open_findings(grid=grid, severity=severity)
            if overdue_only:
                rows = [f for f in rows if f.overdue(today)]
            prepared = prepare(rows, columns, lambda f: style.OVERDUE_TEXT if f.overdue(today) else None)
            return FindingsData(today, prepared, job.services.register.grids())

        self.ctx.run(run, self._loaded, key="findings-load")

    def _loaded(self, data: FindingsData) -> None:
        from inspector_app.domain.finding import Severity

        if not self._grids_loaded:
            self._grids_loaded = True
            self.grid_box.blockSignals(True)
            for g in data.grids:
                self.grid_box.addItem(g, g)
            self.grid_box.blockSignals(False)
        self.model.set_prepared(data.prepared)
        rows = data.prepared.rows
        overdue = sum(1 for f in rows if f.overdue(data.today))
        major = sum(1 for f in rows if f.severity == Severity.MAJOR.value)
        self.summary.setText(
            tr("待整改 {n} 项，逾期 {o} 项，重大 {m} 项").format(n=len(rows), o=overdue, m=major))
        self.sig_loaded.emit()

    def _open(self) -> None:
        row = current_row(self.table)
        if row >= 0:
            self.sig_open_enterprise.emit(self.model.row(row).enterprise_code)

    def _open_visit(self) -> None:
        row = current_row(self.table)
        if row >= 0:
            self.sig_open_visit.emit(self.model.row(row).visit_id)
