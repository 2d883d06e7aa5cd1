"""The laptop's side of the number blocks (docs/sync-protocol.md, "Number blocks").

At the end of every sync the laptop tells the office how far it used each block it holds and
stores the blocks the office answers. A block's ``used_upto`` only grows: the office's figure is
taken when it is higher (a workspace restored from an older copy never hands a number out twice).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from inspector_app.domain.clock import Clock, local_date
from inspector_app.domain.enforcement import DocKind
from inspector_app.services.documents import KEY_LOW_MARK
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace
from inspector_app.sync.client import SyncClient
from inspector_app.wire.numbers import BlockUse, NumberBlocksRequest


def exchange(ws: Workspace, client: SyncClient, account: str, clock: Clock) -> int | None:
    """Report use and store the office's blocks; the number of new blocks, or None when the server
    does not hand out blocks (an older office: numbers stay provisional, 临)."""
    now: datetime = clock()
    today = local_date(now)
    # In December the next year's blocks come too: a laptop offline over New Year still numbers
    # its January visits from the office's register.
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    added = 0
    with ws.session() as s:
        held = s.exec(select(tables.NumberBlock).where(tables.NumberBlock.account == account)).all()
        used = [BlockUse(block_id=b.office_id, used_upto=b.used_upto) for b in held if b.used_upto]
    for n, year in enumerate(years):
        # Use is reported once, for every block whatever its year (the office finds each by id).
        found = _exchange_year(ws, client, account, now, year=year, used=used[-500:] if n == 0 else [])
        if found is None:
            return None
        added += found
    return added


def _exchange_year(
    ws: Workspace, client: SyncClient, account: str, now: datetime, *, year: int, used: list[BlockUse]
) -> int | None:
    answer = client.number_blocks(NumberBlocksRequest(year=year, kinds=[k.value for k in DocKind], used=used))
    if answer is None:
        return None
    added = 0
    with ws.session() as s:
        mark = s.get(tables.Setting, KEY_LOW_MARK) or tables.Setting(key=KEY_LOW_MARK, value="")
        mark.value = str(answer.refill_below)
        s.add(mark)
        for block in answer.blocks:
            row = s.exec(select(tables.NumberBlock).where(tables.NumberBlock.office_id == block.id)).first()
            if row is None:
                s.add(
                    tables.NumberBlock(
                        office_id=block.id,
                        account=account,
                        kind=block.kind,
                        year=block.year,
                        first=block.first,
                        last=block.last,
                        used_upto=block.used_upto,
                        received_at=now,
                    )
                )
                added += 1
            elif block.used_upto > row.used_upto:
                row.used_upto = block.used_upto
                s.add(row)
    return added
