"""The answer to a pushed record the office does not take as it is, whatever its kind."""

from __future__ import annotations

from inspector_app.wire import ItemResult, ItemStatus


def reject(entity: str, ident: str, reason: str, http: int = 422) -> ItemResult:
    """Refused as it is: the laptop sets it aside with ``reason`` and sends the rest."""
    return ItemResult(
        entity=entity,
        id=ident,
        status=ItemStatus.REJECTED,
        http_status=http,
        reason=reason,
    )


def conflict(entity: str, ident: str, reason: str) -> ItemResult:
    """Not taken: the office holds something else under this id, or decides (409); ``reason`` says
    what, for the laptop to show beside the record."""
    return ItemResult(entity=entity, id=ident, status=ItemStatus.CONFLICT, http_status=409, reason=reason)
