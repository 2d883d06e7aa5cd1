"""What a use case changed, so that views refresh only that (Anki's OpChanges, in small)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

# A set holding ANY means "some of this kind changed, which ones is not known" (a pull from the
# office): pages only ask whether a kind changed, so they reload.
ANY = "*"


@dataclass
class Changes:
    enterprises: set[str] = field(default_factory=set)  # credit codes
    visits: set[str] = field(default_factory=set)
    findings: set[str] = field(default_factory=set)
    requests: set[str] = field(default_factory=set)
    assignments: bool = False
    register: bool = False  # many enterprises at once (an import): reload the register views
    outbox: bool = False

    @classmethod
    def everything(cls) -> Changes:
        """Anything may have changed (a pull from the office): every view reloads."""
        return cls(enterprises={ANY}, visits={ANY}, findings={ANY}, requests={ANY},
                   assignments=True, register=True, outbox=True)

    @property
    def changes(self) -> Changes:
        """A change set is its own result: ``UiContext.op`` reads ``result.changes`` of any use case."""
        return self

    def merge(self, other: Changes) -> Changes:
        self.enterprises |= other.enterprises
        self.visits |= other.visits
        self.findings |= other.findings
        self.requests |= other.requests
        self.assignments |= other.assignments
        self.register |= other.register
        self.outbox |= other.outbox
        return self

    def __bool__(self) -> bool:
        return bool(
            self.enterprises
            or self.visits
            or self.findings
            or self.requests
            or self.assignments
            or self.register
            or self.outbox
        )


class HasChanges(Protocol):
    """What every mutating use case returns: its change set, alone (``Changes``) or with a result
    (``Created``, ``AnswerResult``, ``ImportReport`` …). ``UiContext.op`` broadcasts ``.changes``."""

    @property
    def changes(self) -> Changes: ...


class Created(NamedTuple):
    """A use case that made a record: the new record's id and what changed (unpacks as a pair)."""

    id: str
    changes: Changes
