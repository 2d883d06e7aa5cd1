"""The visit page's state: its widgets, the visit shown, its sections and what the inspector has
answered, and the lookups every part of the page shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.checklist import Evaluation, Form
    from inspector_app.domain.visit import AnswerValue
    from inspector_app.services.visit_views import FindingView
    from inspector_app.ui.pages.recheck_panel import RecheckPanel
    from inspector_app.ui.pages.visit_finish import FinishPanel
    from inspector_app.ui.pages.visit_load import VisitData
    from inspector_app.ui.pages.visit_rows import ItemRow
    from inspector_app.ui.widgets.finding_editor import FindingEditor


SLOW_EVALUATION_S = 0.1  # above this an answer's re-evaluation leaves the GUI thread


@dataclass
class PageSection:
    """One section of the form as the page shows it: built when first shown (``page``)."""

    key: str
    title: str  # numbered as the visible sections are (checklist.section_numbers)
    items: list[str]
    source: str = ""  # the form's title, in the UI's language
    page: QScrollArea | None = None
    nav: QListWidgetItem | None = None
    heading: QLabel | None = None
    rows: list[ItemRow] = field(default_factory=list)


class VisitPageState(Page):
    """The visit page's widgets and state, and the small lookups every part of it uses; the parts
    (sections, answers, photos, completing) build on it and ``VisitPage`` puts them together."""

    evaluation: Evaluation  # of the visit shown: visible items, errors, computed values, findings
    # An evaluation slower than this sends the next ones to the pool (a heavy form must not
    # freeze typing); the result shown is always the latest answer's.
    slow_evaluation_s = SLOW_EVALUATION_S

    if TYPE_CHECKING:  # defined by ``VisitPage``, which wires the editors it builds to every part
        def reload(self) -> None: ...
        def _build_section(self, index: int) -> None: ...
        def _wire_finding_editor(self, editor: FindingEditor) -> None: ...

    sig_back = Signal()
    sig_loaded = Signal()
    sig_saved = Signal(str)  # item key whose answer reached the disk (or was refused)
    sig_finding_opened = Signal(str)  # finding id whose editor was opened for a new non-compliance
    sig_completed = Signal(str)  # content hash
    sig_missing = Signal(list)
    sig_photo_rotated = Signal(str)  # the new photo's sha256
    sig_marked = Signal(str)
    sig_signed = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("现场检查"))
        self.back_button = QPushButton(tr("← 返回"))
        self.header.insertWidget(0, self.back_button)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("badge")
        self.header.addWidget(self.progress_label)
        self.back_button.clicked.connect(self.sig_back)
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.layout_.addWidget(self.subtitle)
        self.banner = QLabel("")
        self.banner.setObjectName("lockBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)
        self.layout_.addWidget(self.banner)
        body = QHBoxLayout()
        body.setSpacing(14)
        self.nav = QListWidget()
        self.nav.setObjectName("sectionNav")
        self.nav.setFixedWidth(290)
        self.nav.setWordWrap(True)
        # a long title wraps (English); it never scrolls the list sideways
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        self.layout_.addLayout(body, 1)

        self.visit_id = ""
        self.data: VisitData | None = None
        self.form: Form | None = None
        self.answers: dict[str, AnswerValue] = {}
        # ``evaluation`` is set with the first visit loaded; nothing reads it before (no form yet).
        self.sections: list[PageSection] = []
        self.rows: dict[str, ItemRow] = {}
        self.section_of: dict[str, int] = {}
        self.findings: list[FindingView] = []
        self.pending = 0
        self.current_key = ""
        self.recheck_panel: RecheckPanel | None = None
        self.finish: FinishPanel | None = None
        self._extra_pages: list[tuple[str, QWidget]] = []
        self._slow_eval = False
        self._stale_eval = False  # an answer's evaluation is still on the pool
        self._then: Callable[[], None] | None = None  # what to do once the next reload is shown
        self.confirm_box: QWidget | None = None  # the open 完成检查并锁定 confirmation
        self.preview_dialog: QWidget | None = None  # the last photo shown large

    @property
    def locked(self) -> bool:
        return self.data is not None and self.data.snapshot.locked

    def affected_by(self, changes: Changes) -> bool:
        return False  # the page updates itself from its own results

    def _clear(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        while self.stack.count():
            w = self.stack.widget(0)
            if w is None:
                break
            self.stack.removeWidget(w)
            w.deleteLater()
        self.sections.clear()
        self.rows.clear()
        self.section_of.clear()
        self.recheck_panel = None
        self.finish = None
        self._extra_pages.clear()
        self.current_key = ""

    def _add_extra(self, title: str, widget: QWidget) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(widget)
        self.nav.addItem(QListWidgetItem(title))
        self.stack.addWidget(scroll)
        self._extra_pages.append((title, widget))

    def _stack_index(self, section: int) -> int:
        return section + (1 if self.recheck_panel is not None else 0)

    def visible_keys(self) -> list[str]:
        """Items an inspector answers, in form order (hidden and computed ones skipped)."""
        if self.form is None:
            return []
        return [k for k, it in self.form.items.items() if k in self.evaluation.visible and not it.computed]

    def _first_open_key(self) -> str:
        for key in self.visible_keys():
            if key not in self.answers:
                return key
        keys = self.visible_keys()
        return keys[0] if keys else ""

    def _findings_by_key(self) -> dict[str, list[FindingView]]:
        out: dict[str, list[FindingView]] = {}
        for f in self.findings:
            out.setdefault(f.item_key, []).append(f)
        return out

    def finding_editor(self, finding_id: str) -> FindingEditor | None:
        for row in self.rows.values():
            if finding_id in row.finding_editors:
                return row.finding_editors[finding_id]
        return None

    def _has_focus(self, key: str) -> bool:
        """The keyboard is on this item's editor (not on the next item, a finding or elsewhere)."""
        from PySide6.QtWidgets import QApplication

        row = self.rows.get(key)
        focus = QApplication.focusWidget()
        if row is None or focus is None:
            return False
        return focus is row.editor or row.editor.isAncestorOf(focus)

    def _section_holding(self, widget: QWidget | None) -> int | None:
        """The section whose page holds ``widget`` (None: the header, the list, an extra page)."""
        if widget is None:
            return None
        for i, entry in enumerate(self.sections):
            if entry.page is not None and entry.page.isAncestorOf(widget):
                return i
        return None

    def _focused(self, key: str) -> None:
        if self.current_key and self.current_key in self.rows:
            self.rows[self.current_key].set_current(False)
        self.current_key = key
        if key in self.rows:
            self.rows[key].set_current(True)

    def _scroll_to(self, widget: QWidget, *, laid_out: bool = True) -> None:
        """Bring ``widget`` on the page in front into view (a focus set by code does not scroll);
        ``laid_out=False``: it was just shown, so once the layout has placed it."""
        scroll = self.stack.currentWidget()
        if not isinstance(scroll, QScrollArea):
            return
        if laid_out:
            scroll.ensureWidgetVisible(widget, 0, 40)
        else:
            QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(widget, 0, 40))

    def outcome_text(self) -> str:
        """The conclusion as it stands: the outcome and what it rests on. A re-inspection counts
        the findings it marked (未整改 ones stay open) besides any new ones."""
        from inspector_app.domain.finding import RecheckResult

        data = self.data
        if data is None or not hasattr(self, "evaluation"):
            return ""
        snap, ev = data.snapshot, self.evaluation
        outcome = snap.outcome or ev.outcome
        if self.recheck_panel is not None:
            marks = snap.recheck_marks.values()
            fixed = sum(1 for m in marks if m.result is RecheckResult.RECTIFIED)
            open_ = sum(1 for m in marks if m.result is RecheckResult.NOT_RECTIFIED)
            unmarked = len(snap.recheck_findings) - fixed - open_
            text = tr("当前结论：{outcome}　（复查隐患 {t} 项：已整改 {a} 项，未整改 {b} 项，未标记 {c} 项）")
            return text.format(outcome=outcome, t=len(snap.recheck_findings), a=fixed, b=open_, c=unmarked)
        return tr("当前结论：{outcome}　（隐患 {n} 项，其中重大 {m} 项）").format(
            outcome=outcome, n=len(ev.findings), m=ev.major_count)

    def _show_outcome(self) -> None:
        if self.finish is not None:
            self.finish.outcome.setText(self.outcome_text())

    def _print(self, kind: str) -> None:
        from inspector_app.ui import reports_bridge

        reports_bridge.print_document(self.ctx, self.visit_id, kind, self)
