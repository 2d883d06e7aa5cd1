"""What a loaded checklist is: immutable values built by the loader, read by the evaluator and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from inspector_app.checklist.expr import Expr
from inspector_app.domain.finding import Severity
from inspector_app.domain.visit import VisitKind


class ItemType(StrEnum):
    COMPLIANCE = "compliance"  # 符合/不符合/不适用 → "Y"/"N"/"NA"
    YESNO = "yesno"  # bool
    INTEGER = "integer"
    DECIMAL = "decimal"  # stored as a string such as "12.5"
    TEXT = "text"
    CHOICE = "choice"  # one option value
    MULTI = "multi"  # list of option values
    DATE = "date"  # ISO "YYYY-MM-DD"
    PHOTOS = "photos"  # list of sha256 hex digests
    SIGNATURE = "signature"  # one sha256 hex digest


NUMERIC_TYPES = frozenset({ItemType.INTEGER, ItemType.DECIMAL})
CHOICE_TYPES = frozenset({ItemType.CHOICE, ItemType.MULTI})


@dataclass(frozen=True, slots=True)
class Label:
    """Chinese text always, English when the form gives it."""

    zh: str
    en: str | None = None

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" and self.en else self.zh

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: Label
    # Only tick-list options carry these; None means "as the item says".
    severity: Severity | None = None
    rectification: str | None = None
    deadline_days: int | None = None
    legal_basis: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Constraint:
    check: Expr
    message: Label


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    type: ItemType
    label: Label
    section: str
    line: int | None = None
    required: bool = False
    hint: Label | None = None
    unit: str = ""
    min: int | Decimal | None = None
    max: int | Decimal | None = None
    places: int | None = None  # decimals: most digits after the point
    max_length: int | None = None  # text
    choices: tuple[Choice, ...] = ()
    tick_list: bool = False  # multi: every ticked option is a non-compliance (三小场所 "存在问题")
    bad_answer: bool | None = None  # yesno: the answer that is a non-compliance
    severity: Severity = Severity.GENERAL
    description: str = ""  # default wording of the finding
    rectification: str = ""
    deadline_days: int | None = None
    legal_basis: str = ""
    veto: bool = False
    relevant: Expr | None = None
    constraints: tuple[Constraint, ...] = ()
    compute: Expr | None = None
    finding_when: Expr | None = None
    # The non-compliance stated as a fact (疏散指示标志损坏), printed on the documents.
    violation: Label | None = None
    # signature: "enterprise" makes the item the visit's enterprise signature (one thing, signed
    # on the item or on the finish page); ``refusable`` lets a recorded refusal stand for it.
    signer: str = ""
    refusable: bool = False

    @property
    def computed(self) -> bool:
        return self.compute is not None

    @property
    def can_derive_finding(self) -> bool:
        return (
            self.type is ItemType.COMPLIANCE
            or (self.type is ItemType.YESNO and self.bad_answer is not None)
            or self.tick_list
            or self.finding_when is not None
        )

    def choice(self, value: str) -> Choice | None:
        for c in self.choices:
            if c.value == value:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Label
    items: tuple[Item, ...]
    relevant: Expr | None = None


@dataclass(frozen=True, slots=True)
class OutcomeRule:
    when: Expr
    outcome: str
    line: int | None = None


# Compared and hashed by identity: a form holds a dict of items, and two loads are two forms.
@dataclass(frozen=True, slots=True, eq=False)
class Form:
    code: str
    version: str
    title: Label
    kind: VisitKind
    applies_to: tuple[str, ...]
    sections: tuple[Section, ...]
    items: dict[str, Item]
    outcome_rules: tuple[OutcomeRule, ...]
    default_outcome: str
    description: Label | None = None
    source: str = ""
    # Enforcement: the domain (domain.enforcement.Domain value), the documents the form issues and
    # the period its content (legal bases, measures) is valid for, as ISO dates ("" = open).
    domain: str = ""
    documents: tuple[str, ...] = ()
    valid_from: str = ""
    valid_until: str = ""
    # Law-enforcement officers with badge numbers (执法证号) who must make the visit: enforcement
    # records are signed by two (forms/SCHEMA.md); a visit with fewer cannot be completed.
    officers: int = 1
    # Item keys in an order where every relevance and computation reads only earlier keys.
    eval_order: tuple[str, ...] = field(default=(), repr=False)

    def applies(self, category: str) -> bool:
        return "*" in self.applies_to or category in self.applies_to

    @property
    def outcomes(self) -> tuple[str, ...]:
        """Every outcome this form can produce, in rule order, the default last."""
        seen: dict[str, None] = {r.outcome: None for r in self.outcome_rules}
        seen[self.default_outcome] = None
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class FormProblem:
    file: str
    line: int | None
    item_key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        item = f'item "{self.item_key}": ' if self.item_key else ""
        return f"{where}: {item}{self.message}"


class FormError(Exception):
    """A form that cannot be loaded; ``problems`` lists every reason found, each with its line."""

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
