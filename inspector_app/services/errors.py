"""Errors a use case raises for the user to read: each says what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    """Refused by a business rule; nothing was changed."""


class NotFound(ServiceError):
    pass


@dataclass(frozen=True)
class Missing:
    """One thing that stands between a visit and its completion.

    ``target`` says where to go to fix it: an item key, ``finding:<id>``, ``recheck:<finding id>``
    or ``signature:<role>``; ``message`` says what, in the user's words.
    """

    target: str
    message: str

    def __str__(self) -> str:
        return self.message


class IncompleteVisit(ServiceError):
    """Completing was refused; ``entries`` lists everything still to do, for the user to go through."""

    def __init__(self, entries: list[Missing]) -> None:
        self.entries = entries
        self.missing = [e.message for e in entries]
        super().__init__("检查尚未完成：" + "；".join(self.missing))
