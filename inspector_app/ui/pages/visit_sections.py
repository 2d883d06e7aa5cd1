"""The visit page's sections and keyboard flow: the section list, showing an evaluation on the
items (visibility, numbers, progress), Enter and Tab from item to item and on to the finish page."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QScrollArea,
    QWidget,
)

from inspector_app.ui.i18n import tr

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.checklist import Evaluation

from inspector_app.ui.pages.visit_state import VisitPageState


class VisitSections(VisitPageState):
    """The visit page's sections and keyboard flow; a part of ``VisitPage``."""

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        offset = 1 if self.recheck_panel is not None else 0
        index = row - offset
        if 0 <= index < len(self.sections):
            self._build_section(index)
        self.stack.setCurrentIndex(row)

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
