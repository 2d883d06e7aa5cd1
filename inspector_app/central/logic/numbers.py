"""The unit's 执法文书 numbers, handed to laptops in blocks (docs/sync-protocol.md, "Number blocks").

One sequence per document kind and year for the whole unit: a new block starts after the highest
number ever handed out for that kind and year, so blocks never overlap and a number printed by any
laptop is unique across the unit. A laptop's unused numbers are never taken back: a block a laptop
no longer reaches (lost, reinstalled) leaves a visible gap, which the office sees on the console.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text, update

from inspector_app.central.db import tables as t
from inspector_app.domain.enforcement import DocKind
from inspector_app.wire.numbers import NumberBlock, NumberBlocksAnswer, NumberBlocksRequest

# Any fixed key: PostgreSQL serialises the allocations of the whole unit on it (SQLite has one writer).
_ADVISORY_KEY = 35_181_2025


class BadRequest(ValueError):
    """A request the office cannot take (named in the message)."""


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})


def exchange(
    conn: Connection,
    *,
    user_id: int,
    device_id: str,
    request: NumberBlocksRequest,
    now: datetime,
    block_size: int,
    refill_below: int,
) -> NumberBlocksAnswer:
    """Record how far the laptop used its blocks, give it a new block of each kind running low, and
    answer every block it still has numbers in."""
    known = {k.value for k in DocKind}
    unknown = sorted(set(request.kinds) - known)
    if unknown:
        raise BadRequest(f"未知的文书种类：{'、'.join(unknown)}")
    if abs(request.year - now.year) > 1:
        raise BadRequest(
            f"年份 {request.year} 与服务器日期 {now.date().isoformat()} 相差过大，请检查电脑时钟"
        )
    c = t.number_blocks.c
    mine = (c.user_id == user_id) & (c.device_id == device_id)
    _lock(conn)
    for use in request.used:
        # Only the holder's own blocks, only forward, never past the block's end.
        conn.execute(
            update(t.number_blocks)
            .where(mine, c.id == use.block_id, c.used_upto < use.used_upto, c.last_number >= use.used_upto)
            .values(used_upto=use.used_upto, reported_at=now)
        )
    for kind in dict.fromkeys(request.kinds):
        held = conn.execute(
            select(c.first_number, c.last_number, c.used_upto).where(
                mine, c.kind == kind, c.year == request.year, c.used_upto < c.last_number
            )
        ).all()
        left = sum(last - max(used, first - 1) for first, last, used in held)
        if held and left >= refill_below:
            continue
        top = conn.execute(
            select(func.max(c.last_number)).where(c.kind == kind, c.year == request.year)
        ).scalar_one_or_none()
        first = (top or 0) + 1
        conn.execute(
            insert(t.number_blocks).values(
                kind=kind,
                year=request.year,
                first_number=first,
                last_number=first + block_size - 1,
                user_id=user_id,
                device_id=device_id,
                allocated_at=now,
                used_upto=0,
            )
        )
    rows = conn.execute(
        select(t.number_blocks)
        .where(mine, c.year == request.year, c.used_upto < c.last_number)
        .order_by(c.kind, c.first_number)
    ).all()
    return NumberBlocksAnswer(
        blocks=[
            NumberBlock(
                id=r.id,
                kind=r.kind,
                year=r.year,
                first=r.first_number,
                last=r.last_number,
                used_upto=r.used_upto,
            )
            for r in rows
        ],
        block_size=block_size,
        refill_below=refill_below,
    )


# ------------------------------------------------------------------ what the office sees


@dataclass
class UsedNumber:
    number: int
    visit_id: str
    enterprise: str
    issued_on: str
    provisional: str = ""  # the laptop's mark on a number given without an office block


@dataclass
class BlockView:
    id: int
    kind: str
    year: int
    first: int
    last: int
    holder: str  # display name (login)
    device: str  # device name, or its id
    allocated_at: datetime
    used_upto: int
    reported_at: datetime | None
    user_id: int = 0
    visits: list[UsedNumber] = field(default_factory=list)


@dataclass
class Overview:
    blocks: list[BlockView]
    provisional: list[tuple[str, str, UsedNumber]]  # (kind, holder, number) given without a block
    # Numbers in no block at all and not marked 临: from a laptop before blocks existed, or one the
    # office never handed out. The register must look at each.
    stray: list[tuple[str, str, UsedNumber]] = field(default_factory=list)


def overview(conn: Connection, *, limit_visits: int = 20_000) -> Overview:
    """Every block with its holder and the visits whose documents carry a number of it, and the
    numbers laptops gave without a block (marked 临 on the document)."""
    c, u, d = t.number_blocks.c, t.users.c, t.device_tokens.c
    devices: dict[tuple[int, str], str] = {}
    for uid, dev, name in conn.execute(select(d.user_id, d.device_id, d.device_name).order_by(d.id)):
        devices[(uid, dev)] = name or dev
    users = {
        r.id: f"{r.display_name}（{r.username}）"
        for r in conn.execute(select(u.id, u.display_name, u.username))
    }
    blocks = [
        BlockView(
            r.id,
            r.kind,
            r.year,
            r.first_number,
            r.last_number,
            users.get(r.user_id, str(r.user_id)),
            devices.get((r.user_id, r.device_id), r.device_id),
            r.allocated_at,
            r.used_upto,
            r.reported_at,
            r.user_id,
        )
        for r in conn.execute(select(t.number_blocks).order_by(c.year.desc(), c.kind, c.first_number))
    ]
    index: dict[tuple[str, int], list[BlockView]] = defaultdict(list)
    for b in blocks:
        index[(b.kind, b.year)].append(b)
    provisional: list[tuple[str, str, UsedNumber]] = []
    stray: list[tuple[str, str, UsedNumber]] = []
    v = t.visits.c
    rows = conn.execute(
        select(v.id, v.enterprise_code, v.pushed_by, v.document_json)
        .where(v.document_json.contains('"numbers"'))
        .order_by(v.pushed_at)
        .limit(limit_visits)
    )
    for vid, code, pushed_by, raw in rows:
        try:
            doc = json.loads(raw)
        except ValueError:
            continue
        name = str((doc.get("enterprise") or {}).get("name") or code)
        for entry in doc.get("numbers") or []:
            try:
                kind, year, number = str(entry["kind"]), int(entry["year"]), int(entry["number"])
            except (KeyError, TypeError, ValueError):
                continue
            used = UsedNumber(
                number, vid, name, str(entry.get("issued_on", "")), str(entry.get("provisional", ""))
            )
            if used.provisional:
                provisional.append((kind, users.get(pushed_by, str(pushed_by)), used))
                continue
            holder = users.get(pushed_by, str(pushed_by))
            for b in index.get((kind, year), []):
                if b.first <= number <= b.last:
                    b.visits.append(used)
                    break
            else:
                stray.append((kind, holder, used))
    for b in blocks:
        b.visits.sort(key=lambda n: n.number)
    return Overview(blocks, provisional, stray)
