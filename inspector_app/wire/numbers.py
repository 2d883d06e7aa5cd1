"""Blocks of 执法文书 numbers the office hands to each laptop (docs/sync-protocol.md, "Number blocks").

The office keeps one sequence per document kind and year for the whole unit. A laptop asks at every
sync (``POST /numbers/blocks``, operation ``number_blocks``) saying how far it used each block it
holds; the office records that, and gives a new block of a kind only when the laptop's unused
numbers of that kind fall below ``refill_below``. The answer lists every block the laptop still has
numbers in, so a lost answer costs nothing: the next request gets the same blocks again.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from inspector_app.wire.models import _Wire

NUMBER_BLOCKS = "number_blocks"  # the /health feature of a server that hands out blocks

Kind = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


class BlockUse(_Wire):
    block_id: int = Field(ge=1)
    used_upto: int = Field(ge=0)  # the highest number of the block taken on the laptop (0: none)


class NumberBlocksRequest(_Wire):
    year: int = Field(ge=2000, le=2100)
    kinds: list[Kind] = Field(max_length=20)
    used: list[BlockUse] = Field(default_factory=list, max_length=500)


class NumberBlock(_Wire):
    id: int
    kind: str
    year: int
    first: int  # inclusive
    last: int  # inclusive
    used_upto: int = 0  # as the office last heard it


class NumberBlocksAnswer(_Wire):
    blocks: list[NumberBlock]
    block_size: int
    refill_below: int
