"""``POST /numbers/blocks``: the laptop's blocks of 执法文书 numbers (central/logic/numbers.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from inspector_app.central.api.deps import DbDep, FieldWorker, SettingsDep
from inspector_app.central.logic import numbers
from inspector_app.central.logic.auth import now_utc
from inspector_app.wire import ErrorBody
from inspector_app.wire.numbers import NumberBlocksAnswer, NumberBlocksRequest

router = APIRouter(tags=["sync"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post(
    "/numbers/blocks", operation_id="number_blocks", response_model=NumberBlocksAnswer, responses=_ERRORS
)
def number_blocks(
    body: NumberBlocksRequest, principal: FieldWorker, db: DbDep, settings: SettingsDep
) -> NumberBlocksAnswer:
    """Say how far this laptop used its blocks; get a new block of each kind running low, and every
    block it still has numbers in (a repeat gives the same blocks: nothing is handed out twice)."""
    with db.write() as conn:
        try:
            return numbers.exchange(
                conn,
                user_id=principal.user_id,
                device_id=principal.device_id,
                request=body,
                now=now_utc(),
                block_size=settings.number_block_size,
                refill_below=settings.number_refill_below,
            )
        except numbers.BadRequest as exc:
            raise HTTPException(422, str(exc)) from None
