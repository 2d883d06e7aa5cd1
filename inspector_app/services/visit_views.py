"""What the visit use cases hand back: a visit as a screen shows it, its findings, signatures and
re-inspection marks, one line of history, and the results of answering and completing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from inspector_app.checklist import (
    Evaluation,
    Form,
    VisitContext,
)
from inspector_app.domain import finding as fd
from inspector_app.domain.visit import (
    AnswerValue,
    VisitKind,
    VisitStatus,
)
from inspector_app.services import figures
from inspector_app.services.changes import Changes


@dataclass(frozen=True)
class FindingView:
    id: str
    item_key: str
    option: str
    title: str
    severity: fd.Severity
    description: str
    rectification: str
    order: fd.Order
    deadline: date
    found_on: date
    legal_basis: str
    status: fd.FindingStatus
    photos: tuple[str, ...]
    visit_id: str


@dataclass(frozen=True)
class SignatureView:
    role: str
    signer: str
    sha256: str | None
    refused_reason: str


@dataclass(frozen=True)
class RecheckMarkView:
    finding_id: str
    result: fd.RecheckResult
    note: str
    new_deadline: date | None
    photo: str | None


@dataclass
class VisitSnapshot:
    """Everything a visit screen, a report or a test needs to show one visit."""

    id: str
    enterprise_code: str
    enterprise_name: str
    form: Form
    kind: VisitKind
    status: VisitStatus
    inspectors: list[str]
    place: str
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, AnswerValue]
    evaluation: Evaluation
    findings: list[FindingView]
    signatures: list[SignatureView]
    photos: dict[str, list[str]]  # item key → sha256 list ("" for the visit as a whole)
    outcome: str
    content_hash: str
    # For a re-inspection: the enterprise's findings to mark and what was said of each.
    recheck_findings: list[FindingView] = field(default_factory=list)
    recheck_marks: dict[str, RecheckMarkView] = field(default_factory=dict)
    # What the form's rules read besides the answers; the page evaluates with exactly this.
    context: VisitContext = field(default_factory=VisitContext)
    # The register's figures for the form's items that carry one (item key → value): a prefilled
    # answer still equal to it is shown as such.
    register_figures: dict[str, int] = field(default_factory=dict)

    @property
    def locked(self) -> bool:
        return self.status is VisitStatus.COMPLETED


@dataclass(frozen=True)
class VisitSummary:
    """One line of an enterprise's visit history."""

    id: str
    form_code: str
    form_title: str
    kind: VisitKind
    status: VisitStatus
    started_at: datetime
    completed_at: datetime | None
    outcome: str
    inspectors: str  # names, joined for display


@dataclass
class AnswerResult:
    evaluation: Evaluation
    changes: Changes
    new_findings: list[str]  # ids of findings this answer derived (the UI opens the editor on them)


@dataclass
class CompleteResult:
    content_hash: str
    outcome: str
    changes: Changes
    # The register's figures the visit updated (员工总数, 到岗人数 …): old and new.
    register: list[figures.FigureChange] = field(default_factory=list)
