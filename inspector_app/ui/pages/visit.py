"""The visit: a checklist filled section by section, by keyboard or touch, saved answer by answer.

Each answer goes to the storage worker the moment it is given (VisitService.answer); relevance,
progress and constraint messages are re-evaluated on the spot with the same pure ``evaluate`` the
service uses, so the screen never waits for the disk. Findings, signatures, 诉求 and completing
come after the items; a completed visit is shown read-only with its content hash.

The page is put together from its parts: ``visit_state`` (widgets and state), ``visit_sections``
(sections and keyboard flow), ``visit_answers``, ``visit_photos`` and ``visit_completing``; what a
load reads is in ``visit_load``. The page itself is made at start-up, empty: the checklist engine,
the service layer and the item widgets are imported when the first visit loads (the storage
worker has imported the first two by then), or earlier by ``warm``, which the app calls when idle
once the workspace is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.ui.pages.visit_finish import SignerSlot
    from inspector_app.ui.widgets.finding_editor import FindingEditor
    from inspector_app.ui.widgets.items import ItemEditor

from inspector_app.ui.pages.visit_completing import VisitCompleting
from inspector_app.ui.pages.visit_load import VisitData, load_visit, warm
from inspector_app.ui.pages.visit_state import PageSection


class VisitPage(VisitCompleting):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.nav.currentRowChanged.connect(self._nav_changed)

    def load(self, visit_id: str) -> None:
        self.visit_id = visit_id
        self.ctx.run(lambda job: load_visit(job, visit_id), self._loaded, key="visit-load")

    def reload(self) -> None:
        if self.visit_id:
            self.ctx.run(lambda job: load_visit(job, self.visit_id), self._refreshed, key="visit-load")

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
            entry = PageSection(section.key, title, [it.key for it in section.items], source=title)
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

    def _wire_finding_editor(self, editor: FindingEditor) -> None:
        editor.sig_update.connect(self._update_finding)
        editor.sig_add_photos.connect(self._add_finding_photos)
        editor.sig_done.connect(lambda: self._finding_done(editor))


__all__ = ["VisitPage", "warm"]
