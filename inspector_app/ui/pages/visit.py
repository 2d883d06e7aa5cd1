"""The visit: a checklist filled section by section, by keyboard or touch, saved answer by answer.

Each answer goes to the storage worker the moment it is given (VisitService.answer); relevance,
progress and constraint messages are re-evaluated on the spot with the same pure ``evaluate`` the
service uses, so the screen never waits for the disk. Findings, signatures, 诉求 and completing
come after the items; a completed visit is shown read-only with its content hash.

The page itself is made at start-up, empty: the checklist engine, the service layer and the item
widgets are imported when the first visit loads (the storage worker has imported the first two by
then), or earlier by ``warm``, which the app calls when idle once the workspace is open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.clock import local_date
from inspector_app.services.changes import Changes, Created
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.checklist import Evaluation, Form
    from inspector_app.domain.visit import AnswerValue
    from inspector_app.services.errors import Missing
    from inspector_app.services.visit_views import AnswerResult, CompleteResult, FindingView, VisitSnapshot
    from inspector_app.ui.pages.recheck_panel import RecheckPanel
    from inspector_app.ui.pages.visit_finish import FinishPanel, SignerSlot
    from inspector_app.ui.pages.visit_rows import ItemRow
    from inspector_app.ui.widgets.finding_editor import FindingEditor
    from inspector_app.ui.widgets.items import ItemEditor

CONFIRM_FINDINGS = 12  # findings listed in the completion box; more are counted
MISSING_LIST_MAX_PX = 200  # the missing list atop the finish page; longer ones scroll inside it
SLOW_EVALUATION_S = 0.1  # above this an answer's re-evaluation leaves the GUI thread

# What a visit needs beyond the page itself, heaviest first: the checklist engine and the service
# layer (already imported by the storage worker once a workspace is open), then the item widgets.
VISIT_MODULES = (
    "inspector_app.checklist",
    "inspector_app.services.visits",
    "inspector_app.ui.widgets.items",
    "inspector_app.ui.widgets.finding_editor",
    "inspector_app.ui.widgets.signature",
    "inspector_app.ui.pages.visit_rows",
    "inspector_app.ui.pages.visit_finish",
    "inspector_app.ui.pages.recheck_panel",
)


def warm() -> None:
    """Import what opening a visit needs, so the first one opens as fast as the next ones."""
    for name in VISIT_MODULES:
        import_module(name)
    from inspector_app.ui.widgets.camera import cameras_available

    cameras_available()


@dataclass
class VisitData:
    snapshot: VisitSnapshot
    crew: dict[str, str]  # badge → name
    signer_default: str
    signature_png: dict[str, bytes]
    requests: list[str]
    today: date
    printable: bool
    item_png: dict[str, bytes] = field(default_factory=dict)  # signature item key → its image
    thumbs: dict[str, bytes] = field(default_factory=dict)  # photo sha256 → thumbnail JPEG


@dataclass
class _Section:
    key: str
    title: str  # numbered as the visible sections are (checklist.section_numbers)
    items: list[str]
    source: str = ""  # the form's title, in the UI's language
    page: QScrollArea | None = None
    nav: QListWidgetItem | None = None
    heading: QLabel | None = None
    rows: list[ItemRow] = field(default_factory=list)


def load_visit(job: Job, visit_id: str) -> VisitData:
    from inspector_app.store import attachments

    services = job.services
    snap = services.visits.snapshot(visit_id)
    crew = {i.badge: i.name for i in services.register.inspectors()}
    signer = services.visits.enterprise_signer(visit_id)
    def image(sha: str) -> bytes | None:
        path = attachments.path_for(services.workspace.attachments_dir, sha)
        return path.read_bytes() if path.exists() else None

    pngs: dict[str, bytes] = {}
    for sig in snap.signatures:
        png = image(sig.sha256) if sig.sha256 else None
        if png is not None:
            pngs[sig.role] = png
    item_png: dict[str, bytes] = {}
    photo_shas: list[str] = []
    for key, item in snap.form.items.items():
        sha = snap.answers.get(key)
        if item.type.value == "signature" and isinstance(sha, str):
            png = image(sha)
            if png is not None:
                item_png[key] = png
        elif item.type.value == "photos" and isinstance(sha, list):
            photo_shas += [str(x) for x in sha]
    requests = [f"【{r.category}】{r.description}"
                for r in services.requests.list(enterprise=snap.enterprise_code) if r.visit_id == visit_id]
    return VisitData(snap, crew, signer, pngs, requests, local_date(services.clock()), _reports_available(),
                     item_png, read_thumbnails(job, photo_shas))


def read_thumbnails(job: Job, shas: list[str]) -> dict[str, bytes]:
    from inspector_app.store import attachments

    out: dict[str, bytes] = {}
    root = job.services.workspace.thumbnails_dir
    for sha in shas:
        path = attachments.thumbnail_path(root, sha)
        if path.exists():
            out[sha] = path.read_bytes()
    return out


def _reports_available() -> bool:
    from inspector_app.ui import reports_bridge

    return reports_bridge.available()


class VisitPage(Page):
    evaluation: Evaluation  # of the visit shown: visible items, errors, computed values, findings
    # An evaluation slower than this sends the next ones to the pool (a heavy form must not
    # freeze typing); the result shown is always the latest answer's.
    slow_evaluation_s = SLOW_EVALUATION_S

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
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.visit_id = ""
        self.data: VisitData | None = None
        self.form: Form | None = None
        self.answers: dict[str, AnswerValue] = {}
        # ``evaluation`` is set with the first visit loaded; nothing reads it before (no form yet).
        self.sections: list[_Section] = []
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

    # ----------------------------------------------------------------- loading

    @property
    def locked(self) -> bool:
        return self.data is not None and self.data.snapshot.locked

    def load(self, visit_id: str) -> None:
        self.visit_id = visit_id
        self.ctx.run(lambda job: load_visit(job, visit_id), self._loaded, key="visit-load")

    def reload(self) -> None:
        if self.visit_id:
            self.ctx.run(lambda job: load_visit(job, self.visit_id), self._refreshed, key="visit-load")

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

    def _loaded(self, data: VisitData) -> None:
        from inspector_app.domain.visit import VisitKind
        from inspector_app.ui.pages.recheck_panel import RecheckPanel
        from inspector_app.ui.pages.visit_finish import FinishPanel

        self._clear()
        self.data = data
        snap = data.snapshot
        self.form = snap.form
        self.answers = dict(snap.answers)
        self.findings = list(snap.findings)
        lang = self.ctx.lang
        self.title_label.setText(snap.enterprise_name)
        kind = tr("复查") if snap.kind is VisitKind.RECHECK else tr("检查")
        crew = "、".join(data.crew.get(b, b) for b in snap.inspectors)
        self.subtitle.setText(tr("{form}（{version}）　{kind}　检查人员：{crew}　开始于 {start}").format(
            form=snap.form.title.text(lang), version=snap.form.version, kind=kind, crew=crew,
            start=snap.started_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        if snap.kind is VisitKind.RECHECK:
            self.recheck_panel = RecheckPanel()
            self.recheck_panel.sig_mark.connect(self._mark)
            self.recheck_panel.sig_done.connect(lambda: self.jump_to(self._first_open_key()))
            self._add_extra(tr("复查隐患"), self.recheck_panel)
        for section in snap.form.sections:
            title = section.title.text(lang)
            entry = _Section(section.key, title, [it.key for it in section.items], source=title)
            entry.nav = QListWidgetItem(entry.title)
            self.nav.addItem(entry.nav)
            placeholder = QWidget()
            self.stack.addWidget(placeholder)
            for key in entry.items:
                self.section_of[key] = len(self.sections)
            self.sections.append(entry)
        self.finish = FinishPanel()
        self.finish.sig_sign.connect(self._sign)
        self.finish.sig_unsign.connect(self._unsign)
        self.finish.sig_request.connect(self._record_request)
        self.finish.sig_complete.connect(self.complete)
        self.finish.sig_jump.connect(self.jump_to)
        self.finish.sig_print.connect(self._print)
        self.finish.set_slots(self._signer_slots(data))
        self._add_extra(tr("签名 · 诉求 · 完成"), self.finish)
        self._apply_snapshot_extras(data)
        # Measured again for each visit opened, and this first evaluation shown at once: queued on
        # the pool (because another form was slow once), the page would show the last visit's
        # visibility under this visit's items until it came back.
        self._slow_eval = False
        self._evaluate()
        self._apply_lock()
        # After the event loop settles: the start dialog's closing must not take the focus back.
        QTimer.singleShot(0, self._focus_first)

    def _focus_first(self) -> None:
        top = self.window()
        if top.isVisible():
            top.activateWindow()  # back from the start dialog: the keyboard belongs to the checklist
        target = self._first_open_key()
        card = self.recheck_panel.first_unmarked() if self.recheck_panel is not None else None
        if card is not None and not self.locked:
            # a re-inspection begins with the findings it is for
            self.nav.setCurrentRow(0)
            card.setFocus(Qt.FocusReason.OtherFocusReason)
        elif target and not self.locked:
            self.jump_to(target)
        else:
            self.nav.setCurrentRow(1 if self.recheck_panel is not None and self.sections else 0)
        self.sig_loaded.emit()

    def _refreshed(self, data: VisitData) -> None:
        if self.data is None or data.snapshot.id != self.data.snapshot.id:
            self._loaded(data)
            return
        self.data = data
        self.findings = list(data.snapshot.findings)
        # Signing (here or on the finish page) answers the form's signature items in the service:
        # take those answers; every other answer on screen is at least as new as the snapshot.
        for key, item in data.snapshot.form.items.items():
            if item.type.value == "signature":
                value = data.snapshot.answers.get(key)
                if value is None:
                    self.answers.pop(key, None)
                else:
                    self.answers[key] = value
        self._apply_snapshot_extras(data)
        self._evaluate()
        self._show_findings()
        self._apply_lock()
        self._refresh_missing()
        then, self._then = self._then, None
        if then is not None:
            then()

    def _add_extra(self, title: str, widget: QWidget) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(widget)
        self.nav.addItem(QListWidgetItem(title))
        self.stack.addWidget(scroll)
        self._extra_pages.append((title, widget))

    def _signer_slots(self, data: VisitData) -> list[SignerSlot]:
        from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
        from inspector_app.ui.pages.visit_finish import SignerSlot

        slots = [
            SignerSlot(inspector_role(b), tr("检查人员 {name}（执法证号 {badge}）").format(
                name=data.crew.get(b, b), badge=b), data.crew.get(b, b), False)
            for b in data.snapshot.inspectors
        ]
        from inspector_app.services.visit_signing import enterprise_may_refuse

        slots.append(SignerSlot(ENTERPRISE_ROLE, tr("企业负责人"), data.signer_default, True,
                                enterprise_may_refuse(data.snapshot.form)))
        return slots

    def _apply_snapshot_extras(self, data: VisitData) -> None:
        snap = data.snapshot
        if self.finish is not None:
            by_role = {s.role: s for s in snap.signatures}
            for role, card in self.finish.cards.items():
                card.show_signature(by_role.get(role), data.signature_png.get(role))
            self.finish.set_requests(data.requests)
        self._show_item_signatures()
        if self.recheck_panel is not None:
            self.recheck_panel.set_findings(
                snap.recheck_findings, snap.recheck_marks, data.today, snap.locked)

    def _show_item_signatures(self) -> None:
        """A signature item shows what is on record: the enterprise's signature (or refusal) for
        the enterprise's item, its own image otherwise."""
        from inspector_app.domain.visit import ENTERPRISE_ROLE
        from inspector_app.ui.widgets.items import SignatureEditor

        data = self.data
        if data is None:
            return
        by_role = {g.role: g for g in data.snapshot.signatures}
        for key, row in self.rows.items():
            editor = row.editor
            if not isinstance(editor, SignatureEditor):
                continue
            if row.item.signer == ENTERPRISE_ROLE:
                sig = by_role.get(ENTERPRISE_ROLE)
                signer = sig.signer if sig is not None else data.signer_default
                png = data.signature_png.get(ENTERPRISE_ROLE) if sig is not None and sig.sha256 else None
                editor.show_signed(signer, png, sig.refused_reason if sig is not None else "")
            else:
                editor.show_signed("", data.item_png.get(key), "")

    # ----------------------------------------------------------------- sections

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        offset = 1 if self.recheck_panel is not None else 0
        index = row - offset
        if 0 <= index < len(self.sections):
            self._build_section(index)
        self.stack.setCurrentIndex(row)

    def _stack_index(self, section: int) -> int:
        return section + (1 if self.recheck_panel is not None else 0)

    def _build_section(self, index: int) -> None:
        """Sections are built when first shown: a 120-item checklist opens at the speed of one section."""
        entry = self.sections[index]
        if entry.page is not None or self.form is None:
            return
        from inspector_app.checklist import item_numbers
        from inspector_app.ui.pages.visit_rows import ItemRow

        lang = self.ctx.lang
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(10)
        title = QLabel(entry.title)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        entry.heading = title
        findings_by_key = self._findings_by_key()
        numbers = item_numbers(self.form, self.evaluation.visible)
        for key in entry.items:
            item = self.form.items[key]
            row = ItemRow(item, str(numbers.get(key, "")), lang)
            editor = row.editor
            self._wire_editor(key, editor)
            for fe in row.set_findings(findings_by_key.get(key, []), self.locked):
                self._wire_finding_editor(fe)
            layout.addWidget(row)  # parent first: a parentless widget made visible becomes a window
            row.setVisible(key in self.evaluation.visible)
            row.set_error(self.evaluation.errors.get(key, ""))
            if self.locked:
                editor.set_read_only(True)
            entry.rows.append(row)
            self.rows[key] = row
        layout.addStretch(1)
        self._show_item_signatures()
        self._show_prefilled()
        self._chain_tab_order()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the items take the keys; focusing one scrolls
        scroll.setWidget(content)
        entry.page = scroll
        stack_index = self._stack_index(index)
        old = self.stack.widget(stack_index)
        self.stack.insertWidget(stack_index, scroll)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def _wire_editor(self, key: str, editor: ItemEditor) -> None:
        from inspector_app.ui.widgets.items import PhotosEditor, SignatureEditor

        editor.set_value(self.evaluation.computed.get(key, self.answers.get(key)))
        editor.sig_value_changed.connect(lambda value: self.answer(key, value))
        editor.sig_advance.connect(lambda: self.advance_from(key))
        editor.sig_focused.connect(lambda: self._focused(key))
        if isinstance(editor, PhotosEditor):
            editor.sig_add_files.connect(lambda files: self._add_item_photos(key, files))
            editor.sig_remove.connect(lambda sha: self._remove_item_photo(key, sha))
            editor.sig_preview.connect(lambda sha: self.preview_photo(sha, key))
            if self.data is not None:
                editor.set_images(self.data.thumbs)
        if isinstance(editor, SignatureEditor):
            editor.sig_sign.connect(lambda signer, png, reason: self._sign_item(key, signer, png, reason))

    # ----------------------------------------------------------------- keyboard flow

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

    def jump_to(self, key: str) -> None:
        index = self.section_of.get(key)
        if index is None:
            return
        self._build_section(index)
        self.nav.setCurrentRow(self._stack_index(index))
        row = self.rows[key]
        entry = self.sections[index]
        row.editor.take_focus()
        self._focused(key)
        if entry.page is not None:
            page = entry.page
            QTimer.singleShot(0, lambda: page.ensureWidgetVisible(row, 0, 80))

    def advance_from(self, key: str) -> None:
        if self._stale_eval and self.form is not None and self.data is not None:
            # Where to go next depends on the answer just given (it may show an item): wait for
            # that one evaluation rather than skip what it shows.
            self._stale_eval = False
            self._show_evaluation(self.data.snapshot.context.evaluate(self.form, self.answers))
        keys = self.visible_keys()
        try:
            i = keys.index(key)
        except ValueError:
            i = -1
        if i + 1 < len(keys):
            self.jump_to(keys[i + 1])
        else:
            self.show_finish()

    def show_finish(self) -> None:
        """The finish page, the focus on what comes next: the first signature still missing
        (its 保存签名 — draw, then Enter), else 完成检查并锁定."""
        self.nav.setCurrentRow(self.nav.count() - 1)
        if self.finish is None:
            return
        signed = {g.role for g in self.data.snapshot.signatures} if self.data is not None else set()
        for role, card in self.finish.cards.items():
            if role not in signed and not self.locked:
                card.save_button.setFocus(Qt.FocusReason.TabFocusReason)
                scroll = self.stack.currentWidget()
                if isinstance(scroll, QScrollArea):
                    scroll.ensureWidgetVisible(card, 0, 40)
                return
        self.finish.complete_button.setFocus(Qt.FocusReason.TabFocusReason)
        self._scroll_to(self.finish.complete_button)

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

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab goes through a section's items (and their findings' fields) in form order; after the
        section's last one it goes on to the next section's first item, or to the finish page
        after the last section (as Enter does), never to the header's 返回. Shift+Tab before a
        section's first item goes back to the previous section's last one."""
        from PySide6.QtWidgets import QApplication

        before = QApplication.focusWidget()
        # Qt also calls this when the focused widget is hidden or removed: then it only hands the
        # focus on, as usual (the section's items may be being rebuilt).
        index = self._section_holding(before) if before is not None and before.isVisible() else None
        moved = super().focusNextPrevChild(next)
        if index is None:
            return moved
        page = self.sections[index].page
        now = QApplication.focusWidget()
        if page is not None and now is not None and now is not page and page.isAncestorOf(now):
            return moved  # still within the section (isAncestorOf counts the page itself)
        keys = self.visible_keys()
        if next:
            later = [k for k in keys if self.section_of.get(k, -1) > index]
            if later:
                self.jump_to(later[0])
            else:
                self.show_finish()
            return True
        earlier = [k for k in keys if self.section_of.get(k, len(self.sections)) < index]
        if earlier:
            self.jump_to(earlier[-1])
            return True
        return moved  # before the first section: the section list

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

    # ----------------------------------------------------------------- answering

    def answer(self, key: str, value: AnswerValue) -> None:
        if self.locked or not self.visit_id:
            return
        if value is None:
            self.answers.pop(key, None)
        else:
            self.answers[key] = value
        self._evaluate()
        visit_id = self.visit_id
        self.pending += 1

        def run(job: Job) -> tuple[AnswerResult, list[FindingView] | None]:
            result = job.services.visits.answer(visit_id, key, value)
            findings = job.services.visits.snapshot(visit_id).findings if result.changes.findings else None
            return result, findings

        self.ctx.op(run, lambda r: self._answered(key, r), lambda exc: self._answer_failed(key, exc))

    def _answered(self, key: str, result: tuple[AnswerResult, list[FindingView] | None]) -> None:
        self.pending -= 1
        answer, findings = result
        if findings is not None:
            self.findings = findings
            opened = self._show_findings(new=set(answer.new_findings))
            editor = self.finding_editor(opened[0]) if opened else None
            if editor is not None and self._has_focus(key):
                # 2 pressed: the inspector describes the finding now, then Enter goes on. Only
                # while the keyboard is still on that item: a number confirmed with Enter or Tab
                # has moved on, and the finding must not take the keys typed there.
                editor.take_focus()
            for fid in opened:
                self.sig_finding_opened.emit(fid)
        self._refresh_missing()
        self.sig_saved.emit(key)

    def _answer_failed(self, key: str, exc: BaseException) -> None:
        self.pending -= 1
        row = self.rows.get(key)
        if row is not None:
            row.set_error(str(exc))
        self.ctx.sig_status.emit(str(exc))
        self.sig_saved.emit(key)

    def _evaluate(self) -> None:
        """Re-evaluate with the visit's context (category, day, refusal) that the service built:
        the page shows exactly what completing will demand. Cheap for real forms; one that has
        proved slow is evaluated on the pool and the latest result shown."""
        if self.form is None or self.data is None:
            return
        form, answers, context = self.form, dict(self.answers), self.data.snapshot.context
        if self._slow_eval and hasattr(self, "evaluation"):
            visit_id = self.visit_id

            def done(ev: Evaluation) -> None:
                if self.visit_id == visit_id and self.form is form and self._stale_eval:
                    self._stale_eval = False
                    self._show_evaluation(ev)

            self._stale_eval = True
            self.ctx.tasks.run_in_pool(
                lambda _job: context.evaluate(form, answers), done, key="visit-evaluate")
            return
        self._stale_eval = False
        began = time.perf_counter()
        ev = context.evaluate(form, answers)
        self._slow_eval = time.perf_counter() - began > self.slow_evaluation_s
        self._show_evaluation(ev)

    def _show_evaluation(self, ev: Evaluation) -> None:
        if self.form is None:
            return
        from inspector_app.checklist import item_numbers, section_heading, section_numbers

        self.evaluation = ev
        numbers = item_numbers(self.form, ev.visible)
        section_no = section_numbers(self.form, ev.visible)
        for key, row in list(self.rows.items()):
            row.setVisible(key in ev.visible)
            row.set_error(ev.errors.get(key, ""))
            row.set_number(str(numbers.get(key, "")))
            if row.item.computed:
                row.editor.set_value(ev.computed.get(key))
        self._show_prefilled()
        answered, total = ev.progress
        self.progress_label.setText(
            tr("必答 {a} / {t}　隐患 {f}").format(a=answered, t=total, f=len(ev.findings)))
        missing = set(ev.missing_required)
        for entry in self.sections:
            entry.title = section_heading(entry.source, section_no.get(entry.key), self.ctx.lang)
            if entry.heading is not None and entry.heading.text() != entry.title:
                entry.heading.setText(entry.title)
            req = [k for k in entry.items if k in ev.visible and self.form.items[k].required]
            done = sum(1 for k in req if k not in missing)
            mark = " ✓" if req and done == len(req) else ""
            if entry.nav is not None:
                entry.nav.setText(f"{entry.title}　{done}/{len(req)}{mark}" if req else entry.title)
                # a section with nothing to show for this enterprise (四、建筑工地专项 for a shop)
                entry.nav.setHidden(not any(k in ev.visible for k in entry.items))
        self._show_outcome()

    def _show_prefilled(self) -> None:
        """An item the register prefilled says so while it still holds the register's figure."""
        if self.data is None:
            return
        figures = self.data.snapshot.register_figures
        for key, value in figures.items():
            row = self.rows.get(key)
            if row is None:
                continue
            same = not self.locked and self.answers.get(key) == value
            row.set_note(tr("已按企业名录预填（{value}），可修改").format(value=value) if same else "")

    # ----------------------------------------------------------------- findings

    def _findings_by_key(self) -> dict[str, list[FindingView]]:
        out: dict[str, list[FindingView]] = {}
        for f in self.findings:
            out.setdefault(f.item_key, []).append(f)
        return out

    def _show_findings(self, new: set[str] | None = None) -> list[str]:
        by_key = self._findings_by_key()
        opened: list[str] = []
        for key, row in list(self.rows.items()):
            for fe in row.set_findings(by_key.get(key, []), self.locked):
                self._wire_finding_editor(fe)
                if fe.finding is not None and new and fe.finding.id in new:
                    opened.append(fe.finding.id)
        self._chain_tab_order()
        return opened

    def finding_editor(self, finding_id: str) -> FindingEditor | None:
        for row in self.rows.values():
            if finding_id in row.finding_editors:
                return row.finding_editors[finding_id]
        return None

    def _wire_finding_editor(self, editor: FindingEditor) -> None:
        editor.sig_update.connect(self._update_finding)
        editor.sig_add_photos.connect(self._add_finding_photos)
        editor.sig_done.connect(lambda: self._finding_done(editor))

    def _finding_done(self, editor: FindingEditor) -> None:
        if editor.finding is not None:
            self.advance_from(editor.finding.item_key)

    def _chain_tab_order(self) -> None:
        """Tab from an item goes through its findings' fields, then to the next item (not past the
        section's last item, where Qt would put widgets made later)."""
        for entry in self.sections:
            shown = [r for r in entry.rows if not r.isHidden()]
            for i, row in enumerate(shown):
                nxt = shown[i + 1] if i + 1 < len(shown) else None
                if not row.finding_editors:
                    continue
                prev: QWidget = row.editor.focusProxy() or row.editor
                for fe in row.finding_editors.values():
                    for w in fe.focus_chain():
                        QWidget.setTabOrder(prev, w)
                        prev = w
                if nxt is not None:
                    QWidget.setTabOrder(prev, nxt.editor.focusProxy() or nxt.editor)

    def _update_finding(self, finding_id: str, values: dict[str, Any]) -> None:
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, list[FindingView]]:
            changes = job.services.visits.update_finding(finding_id, **values)
            return changes, job.services.visits.snapshot(visit_id).findings

        self.ctx.op(run, self._findings_updated, self._finding_failed)

    def _findings_updated(self, result: tuple[Changes, list[FindingView]]) -> None:
        self.findings = result[1]
        self._show_findings()

    def _finding_failed(self, exc: BaseException) -> None:
        self.ctx.sig_status.emit(str(exc))
        self._show_findings()
        self.ctx.tasks.sig_error.emit(str(exc))

    def _add_finding_photos(self, finding_id: str, files: list[Path | bytes]) -> None:
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, list[FindingView]]:
            for f in files:  # paths of chosen files, or the bytes of a photo just taken
                source = f if isinstance(f, bytes) else Path(f)
                job.services.visits.add_photo(visit_id, source, finding_id=finding_id, name="拍照.jpg")
            findings = job.services.visits.snapshot(visit_id).findings
            return Changes(findings={finding_id}, visits={visit_id}), findings

        self.ctx.op(run, self._findings_updated)

    def _add_item_photos(self, key: str, files: list[Path | bytes]) -> None:
        visit_id = self.visit_id
        given = self.answers.get(key)
        current = [str(s) for s in given] if isinstance(given, list) else []

        def run(job: Job) -> tuple[list[str], dict[str, bytes]]:
            shas = [
                job.services.visits.add_photo(
                    visit_id, f if isinstance(f, bytes) else Path(f), item_key=key, name="拍照.jpg"
                )
                for f in files
            ]
            return list(dict.fromkeys([*current, *shas])), read_thumbnails(job, shas)

        self.ctx.run(run, lambda r: self._photos_changed(key, *r), self._photo_failed)

    def _photos_changed(self, key: str, shas: list[str], thumbs: dict[str, bytes]) -> None:
        """The service has stored the photos and answered the item with them."""
        from inspector_app.ui.widgets.items import PhotosEditor

        if self.data is not None:
            self.data.thumbs.update(thumbs)
        row = self.rows.get(key)
        if row is not None and isinstance(row.editor, PhotosEditor):
            row.editor.set_images(thumbs)
            row.editor.set_value(shas)
        if shas:
            self.answers[key] = shas
        else:
            self.answers.pop(key, None)
        self._evaluate()
        self._refresh_missing()
        self.sig_saved.emit(key)

    def _photo_failed(self, exc: BaseException) -> None:
        # A refused file (not an image, too large …) is never attached: say why, keep the rest.
        self.ctx.sig_status.emit(str(exc))
        self.ctx.tasks.sig_error.emit(str(exc))

    def _remove_item_photo(self, key: str, sha: str) -> None:
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, tuple[list[str], dict[str, bytes]]]:
            changes = job.services.visits.remove_photo(visit_id, sha, item_key=key)
            value = job.services.visits.snapshot(visit_id).answers.get(key)
            return changes, (([str(x) for x in value] if isinstance(value, list) else []), {})

        self.ctx.op(run, lambda r: self._photos_changed(key, *r[1]), self._photo_failed)

    def preview_photo(self, sha: str, key: str = "") -> None:
        from inspector_app.store import attachments

        def run(job: Job) -> bytes:
            return attachments.path_for(job.services.workspace.attachments_dir, sha).read_bytes()

        self.ctx.run(run, lambda data: self._show_preview(data, sha, key), self._photo_failed)

    def rotate_photo(self, key: str, sha: str) -> None:
        """向右旋转: a turned copy replaces the photo in the item's answer; the preview shows it."""
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Created, tuple[list[str], dict[str, bytes]]]:
            turned = job.services.visits.rotate_photo(visit_id, sha, item_key=key)
            value = job.services.visits.snapshot(visit_id).answers.get(key)
            shas = [str(x) for x in value] if isinstance(value, list) else []
            return turned, (shas, read_thumbnails(job, [turned.id]))

        def done(result: tuple[Created, tuple[list[str], dict[str, bytes]]]) -> None:
            turned, (shas, thumbs) = result
            new = turned.id
            if self.preview_dialog is not None:
                self.preview_dialog.close()
            self._photos_changed(key, shas, thumbs)
            self.sig_photo_rotated.emit(new)
            self.preview_photo(new, key)

        self.ctx.op(run, done, self._photo_failed)

    def _show_preview(self, data: bytes, sha: str = "", key: str = "") -> None:
        from PySide6.QtGui import QImage, QPixmap
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        from inspector_app.ui import shortcuts

        image = QImage.fromData(data)
        # The photo as it stands (EXIF orientation applied), scaled to fit a laptop screen.
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("查看照片"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if not image.isNull():
            label.setPixmap(QPixmap.fromImage(image).scaled(
                1000, 560, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        else:
            label.setText(tr("无法显示这张照片"))
        layout.addWidget(label)
        buttons = QDialogButtonBox()
        if key and sha and not self.locked:
            rotate = buttons.addButton(tr("向右旋转 90°（R）"), QDialogButtonBox.ButtonRole.ActionRole)
            shortcuts.bind(rotate, "photo_rotate")
            rotate.setObjectName("rotatePhoto")
            rotate.clicked.connect(lambda: self.rotate_photo(key, sha))
        close = buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        self.preview_dialog = dialog
        dialog.open()

    # ----------------------------------------------------------------- signatures, requests, recheck

    def _sign(self, role: str, signer: str, png: object, reason: str) -> None:
        from inspector_app.domain.visit import inspector_role

        visit_id = self.visit_id
        image = png if isinstance(png, bytes) else None
        card = self.finish.cards.get(role) if self.finish is not None else None
        remember = card is not None and card.remember is not None and card.remember.isChecked()
        badge = next((b for b in self.data.snapshot.inspectors if inspector_role(b) == role), "") \
            if self.data is not None else ""

        def run(job: Job) -> Changes:
            changes = job.services.visits.sign(visit_id, role, signer, image, refused_reason=reason)
            if remember and badge and image is not None:  # the inspector chose to keep it
                job.services.visits.remember_signature(badge, image)
            return changes

        def done(_changes: Changes) -> None:
            self._then = self.show_finish  # once the reload shows the signature: the next one
            self.reload()
            self.sig_signed.emit(role)

        self.ctx.op(run, done, lambda exc: self._sign_failed(role, exc))

    def _unsign(self, role: str) -> None:
        visit_id = self.visit_id

        def done(_changes: Changes) -> None:
            self.reload()
            self.sig_signed.emit(role)

        self.ctx.op(lambda job: job.services.visits.unsign(visit_id, role), done,
                    lambda exc: self._sign_failed(role, exc))

    def _sign_item(self, key: str, signer: str, png: object, reason: str) -> None:
        """A signature item: the enterprise's one is the visit's enterprise signature (the service
        signs both at once); another is answered with its own image."""
        visit_id = self.visit_id
        image = png if isinstance(png, bytes) else None

        def run(job: Job) -> AnswerResult:
            return job.services.visits.answer_signature(
                visit_id, key, image, signer=signer, refused_reason=reason)

        def done(_result: AnswerResult) -> None:
            self._then = lambda: self.advance_from(key)  # signed: on to what follows the item
            self.reload()
            self.sig_signed.emit(key)

        self.ctx.op(run, done, lambda exc: self._sign_failed(key, exc))

    def _sign_failed(self, key: str, exc: BaseException) -> None:
        from inspector_app.ui.widgets.items import SignatureEditor

        row = self.rows.get(key)
        if row is not None and isinstance(row.editor, SignatureEditor):
            row.editor.form.show_error(str(exc))
        elif self.finish is not None and key in self.finish.cards:
            self.finish.cards[key].form.show_error(str(exc))
        self.ctx.sig_status.emit(str(exc))

    def _record_request(self, category: str, description: str) -> None:
        visit_id = self.visit_id

        def done(_r: object) -> None:
            if self.finish is not None:
                self.finish.request_recorded()
            self.reload()

        self.ctx.op(lambda job: job.services.visits.record_request(visit_id, category, description), done)

    def _mark(self, finding_id: str, result: object, note: str, new_deadline: object, photo: object) -> None:
        from inspector_app.domain.finding import RecheckResult

        visit_id = self.visit_id
        assert isinstance(result, RecheckResult)

        def run(job: Job) -> Changes:
            data = Path(photo).read_bytes() if isinstance(photo, Path) else None
            return job.services.visits.mark_finding(
                visit_id, finding_id, result, note=note,
                new_deadline=new_deadline if isinstance(new_deadline, date) else None, photo=data)

        def done(_changes: Changes) -> None:
            self.reload()
            self.sig_marked.emit(finding_id)

        self.ctx.op(run, done)

    # ----------------------------------------------------------------- completing

    def complete(self) -> None:
        """完成检查并锁定: what is missing is listed; otherwise the inspector confirms the outcome
        and the findings before the record is frozen for good."""
        if self.locked or not self.visit_id:
            return
        visit_id = self.visit_id

        def done(missing: list[Missing]) -> None:
            if missing:
                self._completed(missing)
            elif visit_id == self.visit_id and not self.locked:
                self._confirm_completion()

        self.ctx.run(lambda job: job.services.visits.missing(visit_id), done)

    @staticmethod
    def _order_text(finding: FindingView) -> str:
        """限期整改 with its date; 立即整改 and 当场整改完毕 have none to show (the date is the day)."""
        from inspector_app.domain.finding import Order

        if finding.order is Order.DEADLINE:
            return tr("限期整改至 {date}").format(date=finding.deadline.isoformat())
        return tr(finding.order.value)

    def _confirm_completion(self) -> None:
        from inspector_app.ui.pages.visit_confirm import ConfirmCompletion

        ev = self.evaluation
        shown = self.findings[:CONFIRM_FINDINGS]  # the box stays within a laptop screen
        findings = [f"{n}. {f.title}（{tr(f.severity.value)}，{self._order_text(f)}）"
                    for n, f in enumerate(shown, start=1)]
        if len(self.findings) > len(shown):
            findings.append(tr("  …另有 {n} 项，见“隐患”各项").format(n=len(self.findings) - len(shown)))
        officers = ""
        if self.data is not None:
            crew = self.data.crew
            officers = tr("执法人员：") + "、".join(
                tr("{name}（执法证号 {badge}）").format(name=crew.get(b, b), badge=b)
                for b in self.data.snapshot.inspectors)
        note = tr("未发现隐患。") if not self.findings and not ev.findings else ""
        box = ConfirmCompletion(self, self.outcome_text(), findings, officers, note)
        self.confirm_box = box

        def finished(code: int) -> None:
            self.confirm_box = None
            if code == ConfirmCompletion.DialogCode.Accepted:
                self._do_complete()
            elif self.finish is not None:
                self.finish.complete_button.setFocus()

        box.finished.connect(finished)
        box.open()
        box.yes.setFocus()

    def _do_complete(self) -> None:
        if self.locked or not self.visit_id:
            return
        visit_id = self.visit_id

        def run(job: Job) -> tuple[Changes, CompleteResult | list[Missing]]:
            from inspector_app.services.errors import IncompleteVisit

            missing = job.services.visits.missing(visit_id)
            if missing:
                return Changes(), missing  # nothing changed: the list of what is missing
            try:
                done = job.services.visits.complete(visit_id)
            except IncompleteVisit as exc:
                return Changes(), exc.entries
            return done.changes, done

        self.ctx.op(run, lambda r: self._completed(r[1]))

    def _completed(self, result: CompleteResult | list[Missing]) -> None:
        if isinstance(result, list):
            self._show_missing(result)
            self.show_finish()
            if self.finish is not None and result:
                # The list heads the finish page: shown from the top, the keyboard on it
                # (↑/↓ pick an entry, Enter goes to the item).
                scroll = self.stack.currentWidget()
                if isinstance(scroll, QScrollArea):
                    scroll.verticalScrollBar().setValue(0)
                self.finish.missing.setCurrentRow(0)
                self.finish.missing.setFocus(Qt.FocusReason.OtherFocusReason)
            self.sig_missing.emit([m.message for m in result])
            return
        self._then = self._focus_print  # the print buttons appear once the locked visit reloads
        self.reload()
        self.sig_completed.emit(result.content_hash)

    def _focus_print(self) -> None:
        if self.finish is None:
            return
        target = self.finish.print_record if self.finish.print_record.isVisibleTo(self) else self.nav
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        if target is self.finish.print_record:
            self._scroll_to(target, laid_out=False)

    def _apply_lock(self) -> None:
        data = self.data
        if data is None:
            return
        snap = data.snapshot
        locked = snap.locked
        for row in self.rows.values():
            row.editor.set_read_only(locked or row.item.computed)
            for fe in row.finding_editors.values():
                if fe.finding is not None:
                    fe.set_finding(fe.finding, locked)
        if self.finish is not None:
            self.finish.set_read_only(locked, data.printable)
        self._show_outcome()
        self.banner.setVisible(locked)
        if locked:
            done = snap.completed_at.astimezone().strftime("%Y-%m-%d %H:%M") if snap.completed_at else ""
            text = tr("本次检查已于 {at} 完成并锁定，不能再修改。结论：{outcome}\n内容哈希：{hash}")
            self.banner.setText(text.format(at=done, outcome=snap.outcome, hash=snap.content_hash))

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

    def _refresh_missing(self) -> None:
        """Once the missing list is shown, it follows every answer (until it is empty)."""
        if self.finish is None or self.locked or not self.finish.missing.isVisibleTo(self.finish):
            return
        visit_id = self.visit_id
        self.ctx.run(lambda job: job.services.visits.missing(visit_id), self._show_missing,
                     key="visit-missing")

    def _show_missing(self, result: list[Missing]) -> None:
        if self.finish is None:
            return
        items = self.form.items if self.form is not None else {}
        # Only an item key is a place on this page; signatures and findings sit in the finish panel.
        self.finish.set_missing([(m.message, m.target if m.target in items else None) for m in result])
        listed = self.finish.missing
        if listed.count():  # as tall as its entries, up to MISSING_LIST_MAX_PX (then it scrolls)
            rows = sum(listed.sizeHintForRow(i) for i in range(listed.count()))
            listed.setFixedHeight(min(MISSING_LIST_MAX_PX, rows + 2 * listed.frameWidth() + 6))

    # ----------------------------------------------------------------- documents

    def _print(self, kind: str) -> None:
        from inspector_app.ui import reports_bridge

        reports_bridge.print_document(self.ctx, self.visit_id, kind, self)


__all__ = ["VisitPage", "warm"]
