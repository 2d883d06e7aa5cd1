"""The answer to a pushed record the office refuses, whatever its kind."""

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
