"""Files that arrive inside the push of their visits (protocol feature ``inline_files``).

The same guarantees as an upload: a file enters the store only if its bytes hash to its name, it
is on disk (fsynced, renamed, folder fsynced) before the transaction that lists it commits, and
the pusher *holds* it only because they sent its bytes. A push is no general upload channel: a
file that no visit of the same push cites in its manifest, or one over ``INLINE_FILE_BYTES``, is
not taken (the laptop sends it the ordinary way, and the push answer says the visit still lacks
it). Inline bytes count against the account's daily upload quota like any upload; over the quota,
none is taken and the ordinary upload path answers 429 with its message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from inspector_app.central.logic import push as push_logic
from inspector_app.central.logic.files import FileStore, register_file
from inspector_app.wire import PushWithFiles
from inspector_app.wire.models import INLINE_FILE_BYTES


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


def cited(batch: PushWithFiles) -> dict[str, int]:
    """sha256 → size of every file the visits of this push list in their manifests."""
    out: dict[str, int] = {}
    for v in batch.visits:
        manifest = v.document.get("manifest")
        if not isinstance(manifest, list):
            continue  # a malformed document is refused by the push itself, alone
        for m in manifest:
            if isinstance(m, dict) and isinstance(m.get("sha256"), str) and isinstance(m.get("size"), int):
                out[m["sha256"]] = m["size"]
    return out


def store(files: FileStore, batch: PushWithFiles) -> list[Stored]:
    """Check each inline file and put the good ones in the store (before any transaction)."""
    wanted = cited(batch)
    stored: dict[str, Stored] = {}
    for f in batch.files:
        if f.sha256 in stored or f.sha256 not in wanted:
            continue
        if len(f.data) > INLINE_FILE_BYTES or len(f.data) != wanted[f.sha256]:
            continue
        if hashlib.sha256(f.data).hexdigest() != f.sha256:
            continue  # damaged in transit: the visit is answered not received, the laptop resends
        files.put_whole(f.sha256, f.data)
        stored[f.sha256] = Stored(f.sha256, len(f.data))
    return list(stored.values())


def register(conn: Connection, stored: list[Stored], holder: int, now: datetime) -> None:
    """In the push's transaction, before its visits are judged: they are then received at once.

    Visits stored earlier that were waiting for one of these files are completed too, as an upload
    of the file would complete them.
    """
    for f in stored:
        register_file(conn, f.sha256, f.size, now, holder)
    for f in stored:
        push_logic.visits_completed_by_file(conn, f.sha256, now)


def total_bytes(batch: PushWithFiles) -> int:
    return sum(len(f.data) for f in batch.files)
