"""Files that arrive inside the push of their visits (protocol feature ``inline_files``).

The same guarantees as an upload: a file enters the store only if its bytes hash to its name, it
is on disk (fsynced, renamed, folder fsynced) before the transaction that lists it commits, and
the pusher *holds* it only if a visit they pushed awaits it (``awaited_from``, the rule of the
upload routes), decided inside the push's transaction once its visits are stored. A push is no
general upload channel: a file that no visit of the same push lists in its manifest with the
pusher among its inspectors, or one over ``INLINE_FILE_BYTES``, is not even written (the laptop
sends it the ordinary way; the push answer says the visit still lacks it). A file is staged in the
upload folder and renamed into the store only once a visit of the pusher, stored by this push or
before, awaits it: the files of refused visits never stay on the server's disk. A file that does
not decode as an image is not taken either. Inline bytes count
against the account's daily upload quota like any upload; over the quota, none is taken and the
ordinary upload path answers 429 with its message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from inspector_app.central.logic.auth import Principal
from inspector_app.central.logic.files import FileStore, image_problem, register_files
from inspector_app.central.logic.visit_access import awaited_among
from inspector_app.wire import PushWithFiles, Role
from inspector_app.wire.models import INLINE_FILE_BYTES


@dataclass(frozen=True)
class Stored:
    """A checked inline file, staged in the upload folder until its push decides (``path``)."""

    sha256: str
    size: int
    path: Path


def cited(batch: PushWithFiles, p: Principal) -> dict[str, int]:
    """sha256 → size of every file listed in the manifests of this push's visits that the pusher
    may push (their badge among its inspectors: the push's first check of a visit)."""
    out: dict[str, int] = {}
    for v in batch.visits:
        manifest = v.document.get("manifest")
        inspectors = v.document.get("inspectors")
        if not isinstance(manifest, list) or not isinstance(inspectors, list):
            continue  # a malformed document is refused by the push itself, alone
        if p.role is not Role.ADMIN and p.badge_number not in inspectors:
            continue
        for m in manifest:
            if isinstance(m, dict) and isinstance(m.get("sha256"), str) and isinstance(m.get("size"), int):
                out[m["sha256"]] = m["size"]
    return out


def store(files: FileStore, batch: PushWithFiles, p: Principal) -> list[Stored]:
    """Check each inline file and stage the good ones (before the push's transaction). A staged
    file enters the store only in :func:`register`, when a visit of the pusher awaits it: the
    files of a refused push are never left in the store; :func:`discard` removes what was not taken."""
    wanted = cited(batch, p)
    stored: dict[str, Stored] = {}
    for f in batch.files:
        if f.sha256 in stored or f.sha256 not in wanted:
            continue
        if len(f.data) > INLINE_FILE_BYTES or len(f.data) != wanted[f.sha256]:
            continue
        if hashlib.sha256(f.data).hexdigest() != f.sha256:
            continue  # damaged in transit: the visit is answered not received, the laptop resends
        staged = files.stage(f.data, f.sha256)
        if image_problem(staged, f.sha256):
            # Not an image: not taken. The visit stays not received; the ordinary upload of the
            # file is then refused with the reason, and the laptop sets that visit aside.
            staged.unlink(missing_ok=True)
            continue
        stored[f.sha256] = Stored(f.sha256, len(f.data), staged)
    return list(stored.values())


def discard(stored: list[Stored]) -> None:
    """Remove the staged files that no visit took (the others were renamed into the store)."""
    for f in stored:
        f.path.unlink(missing_ok=True)


def register(
    conn: Connection, p: Principal, stored: list[Stored], now: datetime, *, files: FileStore
) -> list[str]:
    """In the push's transaction, once its visits are stored (``push.Arrived``): the files a visit
    of the pusher awaits enter the store and are held by the pusher from now on; returns them.

    The push then stamps received every visit they complete, its own and earlier ones waiting for
    one of them, as an upload of the file would.
    """
    awaited = awaited_among(conn, p, [f.sha256 for f in stored])
    taken = [f for f in stored if f.sha256 in awaited]
    for f in taken:
        files.commit(f.sha256, f.path)  # on disk before the transaction that lists it commits
    register_files(conn, [(f.sha256, f.size) for f in taken], now, p.user_id)
    return [f.sha256 for f in taken]


def total_bytes(batch: PushWithFiles) -> int:
    return sum(len(f.data) for f in batch.files)
