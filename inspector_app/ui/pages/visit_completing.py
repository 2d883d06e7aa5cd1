"""Signing, 诉求, re-inspection marks and completing on the visit page: the confirmation of the
outcome and findings, the lock once completed, and printing from there."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QScrollArea,
)

from inspector_app.services.changes import Changes
from inspector_app.ui.i18n import tr
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.services.errors import Missing
    from inspector_app.services.visit_views import AnswerResult, CompleteResult, FindingView

from inspector_app.ui.pages.visit_photos import VisitPhotos

CONFIRM_FINDINGS = 12  # findings listed in the completion box; more are counted


class VisitCompleting(VisitPhotos):
    """Signing, 诉求, recheck marks and completing; a part of ``VisitPage``."""

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
