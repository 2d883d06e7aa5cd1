"""Errors a use case raises for the user to read: each says what is wrong and where."""

from __future__ import annotations


class ServiceError(Exception):
    """Refused by a business rule; nothing was changed."""


class NotFound(ServiceError):
    pass


class IncompleteVisit(ServiceError):
    """Completing was refused; ``missing`` lists everything still to do, for the user to go through."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("检查尚未完成：" + "；".join(missing))
        self.missing = missing
