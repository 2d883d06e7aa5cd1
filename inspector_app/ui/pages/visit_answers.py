"""Answering on the visit page: each answer saved on the worker, the findings it derives opened
for editing, edits to findings, and the list of what is still missing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector_app.services.changes import Changes
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # imported when the first visit loads (see ``warm``), never at start-up
    from inspector_app.domain.visit import AnswerValue
    from inspector_app.services.errors import Missing
    from inspector_app.services.visit_views import AnswerResult, FindingView
    from inspector_app.ui.widgets.finding_editor import FindingEditor

from inspector_app.ui.pages.visit_sections import VisitSections

MISSING_LIST_MAX_PX = 200  # the missing list atop the finish page; longer ones scroll inside it


class VisitAnswers(VisitSections):
    """Answering and the findings answers derive; a part of ``VisitPage``."""

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

    def _finding_done(self, editor: FindingEditor) -> None:
        if editor.finding is not None:
            self.advance_from(editor.finding.item_key)

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
