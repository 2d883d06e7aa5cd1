"""今日任务: enterprises due today (overdue first) and re-inspections, searchable on every keystroke.

The due list is loaded once per change on the storage worker, each row with the text the register
search looks in (``WorkItem.search_text``: name, code, address, full pinyin and initials, stored
with the enterprise, so nothing computes pinyin here); the table shows it at once (a cell's text is
made when its row is drawn), and the search index is made from it on the pool meanwhile (a query
typed before it is ready is answered when it arrives). The search box filters that list in memory
with the register's own rules (``store.search``), so a keystroke over 100,000 rows costs a few
milliseconds. That is cheaper than a round trip to a worker thread (which would also fight the GUI
thread for the GIL), so it runs on the GUI thread, once the keystrokes already queued have arrived:
a superseded keystroke is never filtered, let alone shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from inspector_app.services.changes import Changes
from inspector_app.ui import style
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from inspector_app.services.worklist import WorkItem  # imported on the storage worker
    from inspector_app.ui.search_index import SearchIndex as SearchTexts  # made on the storage worker
    from inspector_app.ui.tablemodel import Column, Prepared, RowsModel

ALL = ""
GLYPHS_PER_TURN = 48  # characters drawn ahead per idle turn (a few ms each turn)
RESULTS_KEPT = 64  # filter results remembered for backspacing (a list of row numbers each)


@dataclass
class WorklistData:
    today: date
    prepared: Prepared
    grids: list[str]
    categories: list[str]
    statuses: list[str]
    texts: SearchTexts | None = None  # made after the rows are shown (``index_worklist``)


@dataclass
class WorklistIndex:
    texts: SearchTexts
    characters: str  # every character of the names and addresses, once: what people will type


def _columns() -> list[Column]:
    from inspector_app.ui.tablemodel import Column

    return [
        Column(tr("企业名称"), lambda w: w.name),
        Column(tr("事由"), _reason),
        Column(tr("应检日期"), lambda w: w.due_on.isoformat(), lambda w: w.due_on),
        Column(tr("逾期天数"), lambda w: str(w.days_overdue) if w.days_overdue else "",
               lambda w: w.days_overdue, align_right=True),
        Column(tr("网格"), lambda w: w.grid),
        Column(tr("类别"), lambda w: tr(w.category)),  # shown translated, stored Chinese
        Column(tr("复工状态"), lambda w: tr(w.resumption_status)),
        Column(tr("待整改隐患"), lambda w: str(w.open_findings) if w.open_findings else "",
               lambda w: w.open_findings, align_right=True),
        Column(tr("统一社会信用代码"), lambda w: w.credit_code),
        Column(tr("地址"), lambda w: w.address),
    ]


def _color(w: WorkItem) -> str | None:
    if w.draft_visit_id:
        return style.ACCENT
    return style.OVERDUE_TEXT if w.days_overdue > 0 else None


def _reason(w: WorkItem) -> str:
    if w.draft_started_at is not None:
        started = w.draft_started_at.astimezone()
        today = started.date() == date.today()
        return tr("进行中（{time} 开始）").format(time=started.strftime("%H:%M" if today else "%m-%d"))
    return tr(w.reason)


class SearchBox(QLineEdit):
    """The search box: ↓ goes down into the results, Enter acts on the first (or current) one."""

    sig_down = Signal()
    sig_enter = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt  # a key press comes after the first frame

        key = event.key()
        if key == Qt.Key.Key_Down:
            self.sig_down.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_enter.emit()
            return
        super().keyPressEvent(event)


class WorkTable(QTableView):
    """Enter starts (or resumes) the visit of the current row; Ctrl+Enter opens the enterprise.
    Tab leaves the table (it does not walk its cells), so the buttons after it are reachable."""

    sig_enter = Signal()
    sig_ctrl_enter = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.sig_ctrl_enter.emit()
            else:
                self.sig_enter.emit()
            return
        super().keyPressEvent(event)


def load_worklist(job: Job, columns: list[Column]) -> WorklistData:
    """The due list, ready to show: a cell's text is made when its row is first drawn."""
    from inspector_app.ui.tablemodel import prepare

    items = job.services.worklist.due()
    job.check()
    return WorklistData(
        today=job.services.worklist.today(), prepared=prepare(items, columns, _color, lazy=True),
        grids=sorted({w.grid for w in items if w.grid}),
        categories=sorted({w.category for w in items if w.category}),
        statuses=sorted({w.resumption_status for w in items}),
    )


def index_worklist(job: Job, items: Sequence[WorkItem]) -> WorklistIndex:
    """The search index of the rows (no database: made on the pool once the rows are shown)."""
    from inspector_app.store import search as search_rules
    from inspector_app.ui.search_index import SearchIndex as SearchTexts

    # The stored search text; computed only for a row that has none (never the case once migrated).
    stored = [w.search_text or search_rules.search_text(w.name, w.credit_code, w.address) for w in items]
    job.check()
    return WorklistIndex(
        texts=SearchTexts.of(stored, search_rules.SEPARATOR),
        characters="".join(sorted(set("".join(w.name + w.address for w in items)))),
    )


@dataclass(frozen=True)
class FilterState:
    query: str
    grid: str
    category: str
    status: str

    def narrows(self, previous: FilterState) -> bool:
        """Whether every row matching self also matched ``previous`` (typing more narrows)."""
        return (
            (self.grid, self.category, self.status) == (previous.grid, previous.category, previous.status)
            and self.query.startswith(previous.query)
        )


def filter_rows(
    base: list[int], texts: SearchTexts | None, rows: Sequence[WorkItem], state: FilterState
) -> list[int]:
    """The row numbers of ``base`` (in its order) whose row passes every filter of ``state``."""
    from inspector_app.store import search as search_rules  # already loaded with the list

    out = base
    if state.grid:
        out = [n for n in out if rows[n].grid == state.grid]
    if state.category:
        out = [n for n in out if rows[n].category == state.category]
    if state.status:
        out = [n for n in out if rows[n].resumption_status == state.status]
    for t in search_rules.query_terms(state.query):
        if texts is None:
            raise ValueError("a search before the index was made")
        out = texts.matching(t, out)
    return out if out is not base else list(base)


class WorklistPage(Page):
    """The table is in the first frame, empty; its model and header come one turn later (``build``):
    they are what makes PySide6 create the ``Qt`` enum namespace, and the rows take seconds more."""

    sig_open_enterprise = Signal(str)
    sig_start_visit = Signal(str)
    sig_resume_visit = Signal(str)  # the id of a visit in progress
    sig_start_recheck = Signal(str)  # a 隐患复查 row: the re-inspection of its open findings
    sig_loaded = Signal()
    sig_filtered = Signal()  # the view shows the result of the latest keystroke

    first_frame_without_build = True

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("今日任务"), parent)
        self.summary = QLabel("", self)
        self.summary.setObjectName("muted")
        self.header.addWidget(self.summary)

        bar = QHBoxLayout()
        self.search = SearchBox(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("搜索企业名称、信用代码、地址或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 3)
        self.grid_box = self._combo(tr("全部网格"))
        self.category_box = self._combo(tr("全部类别"))
        self.status_box = self._combo(tr("全部复工状态"))
        for box in (self.grid_box, self.category_box, self.status_box):
            bar.addWidget(box, 1)
        self.layout_.addLayout(bar)

        self.table = WorkTable(self)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights and column widths: nothing ever measures 100,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.layout_.addWidget(self.table, 1)
        self._build_actions()
        self._data: WorklistData | None = None
        self._last: tuple[FilterState, list[int]] | None = None
        # Results of the states typed since the list was loaded or sorted: a backspace is a lookup.
        self._results: dict[FilterState, list[int]] = {}
        self._glyphs_to_warm: list[str] = []
        # Zero-time and single-shot: the keystrokes already queued are filtered once, together.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(0)
        self._filter_timer.timeout.connect(self._apply_filter)
        self._connect()

    def build(self) -> None:
        from PySide6.QtCore import Qt

        from inspector_app.ui.pages.tables import PlainCells, set_widths
        from inspector_app.ui.tablemodel import RowsModel

        self.model: RowsModel = RowsModel(_columns(), self, color_columns=frozenset({1, 2, 3}))
        self.table.setModel(self.model)
        self.table.setItemDelegate(PlainCells(self.table))
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        set_widths(self.table, (260, 170, 110, 80, 120, 130, 90, 90, 190))
        header.sortIndicatorChanged.connect(self._sorted)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_buttons())

    def _build_actions(self) -> None:
        actions = QHBoxLayout()
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("muted")
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        self.open_button = QPushButton(tr("查看企业"), self)
        self.open_button.setToolTip(tr("查看企业（Ctrl+Enter）"))
        self.start_button = QPushButton(tr("开始检查"), self)
        self.start_button.setObjectName("primary")
        self.start_button.setToolTip(tr("开始检查（隐患复查行：开始复查；进行中：继续）（Enter）"))
        actions.addWidget(self.open_button)
        actions.addWidget(self.start_button)
        self.layout_.addLayout(actions)
        # Search, its filters, the list, then what to do with the chosen row.
        chain = [self.search, self.grid_box, self.category_box, self.status_box, self.table,
                 self.open_button, self.start_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.refilter)
        for box in (self.grid_box, self.category_box, self.status_box):
            box.currentIndexChanged.connect(self.refilter)
        self.table.doubleClicked.connect(lambda _i: self._open_current())
        self.table.sig_enter.connect(self._start_current)
        self.table.sig_ctrl_enter.connect(self._open_current)
        self.search.sig_down.connect(self._into_results)
        self.search.sig_enter.connect(self._enter_from_search)
        self.open_button.clicked.connect(self._open_current)
        self.start_button.clicked.connect(self._start_current)

    def _combo(self, all_text: str) -> QComboBox:
        box = QComboBox(self)
        box.addItem(all_text, ALL)
        box.setMinimumWidth(130)
        return box

    # ----------------------------------------------------------------- loading

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes.visits or changes.assignments or changes.register or changes.enterprises
                    or changes.findings)

    def reload(self) -> None:
        columns = self.model.columns
        self.ctx.run(lambda job: load_worklist(job, columns), self._loaded, key="worklist-load")

    def _loaded(self, data: WorklistData) -> None:
        self._data = data
        self._last = None
        self._results.clear()
        for box, values in ((self.grid_box, data.grids), (self.category_box, data.categories),
                            (self.status_box, data.statuses)):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for v in values:
                box.addItem(v if box is self.grid_box else tr(v), v)  # the data stays the stored value
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.model.set_prepared(data.prepared)
        rows = data.prepared.rows
        self.ctx.tasks.run_in_pool(lambda job: index_worklist(job, rows),
                                   lambda index: self._indexed(data, index), key="worklist-index")
        overdue = sum(1 for w in data.prepared.rows if w.days_overdue > 0 and not w.in_progress)
        drafts = sum(1 for w in data.prepared.rows if w.in_progress)
        summary = tr("{day}　应检 {n} 家，其中逾期 {m} 家").format(
            day=data.today.isoformat(), n=len(data.prepared.rows) - drafts, m=overdue)
        if drafts:
            summary += tr("；进行中 {n} 项").format(n=drafts)
        self.summary.setText(summary)
        self.sig_loaded.emit()
        self.refilter()

    def _indexed(self, data: WorklistData, index: WorklistIndex) -> None:
        if data is not self._data:
            return  # the list was loaded again meanwhile: its own index is on the way
        data.texts = index.texts
        self._glyphs_to_warm = [c for c in index.characters if not c.isascii()]
        QTimer.singleShot(0, self._warm_glyphs)
        self.refilter()

    def _warm_glyphs(self) -> None:
        """Draw, off screen and a slice per idle turn, the characters the search box will show.

        The first time a Chinese character is drawn at a size, Qt finds its fallback font and
        renders the glyph (tens of ms on a slow machine): done now, that cost does not land on
        the keystroke that first types it.
        """
        chunk, self._glyphs_to_warm = self._glyphs_to_warm[:GLYPHS_PER_TURN], self._glyphs_to_warm[
            GLYPHS_PER_TURN:]
        if not chunk:
            return
        from PySide6.QtGui import QImage, QPainter

        image = QImage(24, 24, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setFont(self.search.font())
        for ch in chunk:  # one at a time, inside the image: a clipped glyph would not be rendered
            painter.drawText(0, 18, ch)
        painter.end()
        QTimer.singleShot(0, self._warm_glyphs)

    # ----------------------------------------------------------------- filtering

    def state(self) -> FilterState:
        from inspector_app.store import search as search_rules  # loaded with the list (worker)

        return FilterState(
            search_rules.normalize(self.search.text()), str(self.grid_box.currentData() or ""),
            str(self.category_box.currentData() or ""), str(self.status_box.currentData() or ""),
        )

    def refilter(self) -> None:
        if self._data is not None:
            self._filter_timer.start()

    def _apply_filter(self) -> None:
        data = self._data
        if data is None:
            return
        state = self.state()
        if data.texts is None and state.query:
            return  # the search index is a moment away (``index_worklist``): it refilters then
        view = self._results.get(state)
        if view is None:
            last = self._last
            base = last[1] if last is not None and state.narrows(last[0]) else self.model.order
            view = filter_rows(base, data.texts, data.prepared.rows, state)
            if len(self._results) >= RESULTS_KEPT:
                self._results.clear()
            self._results[state] = view
        self._last = (state, view)
        self.model.set_view(view)
        self._update_buttons()
        total = len(self.model.rows)
        self.count_label.setText(tr("显示 {shown} / {total} 家").format(shown=len(view), total=total))
        self.sig_filtered.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        self._last = None  # the cached results are in the old order
        self._results.clear()
        del column, order

    # ----------------------------------------------------------------- actions

    def current_item(self) -> WorkItem | None:
        if not self._built or self.table.model() is None:
            return None
        index = self.table.currentIndex()
        if not index.isValid():
            rows = self.table.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        item: WorkItem = self.model.row(index.row())
        return item

    def current_code(self) -> str | None:
        item = self.current_item()
        return None if item is None else str(item.credit_code)

    def _select_row(self, row: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def _into_results(self) -> None:
        """↓ in the search box: into the list, on its first row unless a row is already chosen."""
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self._select_row(0)
        self.table.setFocus()

    def _enter_from_search(self) -> None:
        """Enter in the search box: the first result (or the chosen row) is what was looked for."""
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self._select_row(0)
        self._start_current()

    def _update_buttons(self) -> None:
        item = self.current_item()
        if item is not None and item.in_progress:
            self.start_button.setText(tr("继续检查"))
        elif item is not None and item.recheck_due:
            self.start_button.setText(tr("开始复查"))
        else:
            self.start_button.setText(tr("开始检查"))

    def _open_current(self) -> None:
        code = self.current_code()
        if code:
            self.sig_open_enterprise.emit(code)

    def _start_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.in_progress:
            self.sig_resume_visit.emit(item.draft_visit_id)
        elif item.recheck_due:
            self.sig_start_recheck.emit(item.credit_code)
        else:
            self.sig_start_visit.emit(item.credit_code)
