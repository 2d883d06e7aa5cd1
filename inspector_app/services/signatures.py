"""An inspector's signature, saved once by their explicit choice and reused: a new visit's slot for
that inspector comes signed with it (shown, and removable on the finish page), and documents print
it. Kept per badge number (执法证号) in the workspace: the image as a stored file, its sha256 in the
``setting`` table under ``inspector.signature.<badge>`` (so nothing new is migrated).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace

KEY_PREFIX = "inspector.signature."
MAX_SIGNATURE_BYTES = 2_000_000  # a drawn signature is a few kB; anything larger is not one


def _key(badge: str) -> str:
    return KEY_PREFIX + badge


def saved_sha(session: Session, badge: str) -> str | None:
    """The sha256 of the inspector's saved signature, when there is one and its file is here."""
    row = session.get(tables.Setting, _key(badge))
    if row is None or session.get(tables.Attachment, row.value) is None:
        return None
    return row.value


def save(ws: Workspace, badge: str, png: bytes, now: datetime) -> str:
    """Keep ``png`` as the inspector's signature (replacing an earlier one); its sha256."""
    if not png:
        raise ServiceError("签名为空，未保存")
    if len(png) > MAX_SIGNATURE_BYTES:
        raise ServiceError("签名图片过大，未保存")
    with ws.session() as s:
        if s.get(tables.Inspector, badge) is None:
            raise NotFound(f"执法证号 {badge} 不在检查人员名单中")
        sha = attachments.store_bytes(
            s, ws.attachments_dir, ws.thumbnails_dir, png,
            kind="signature", original_name=f"inspector-{badge}.png", now=now,
        ).sha256
        s.flush()
        row = s.get(tables.Setting, _key(badge))
        if row is None:
            s.add(tables.Setting(key=_key(badge), value=sha))
        else:
            row.value = sha
            s.add(row)
    return sha


def forget(ws: Workspace, badge: str) -> None:
    """No saved signature for this inspector any more (visits already signed keep theirs)."""
    with ws.session() as s:
        row = s.get(tables.Setting, _key(badge))
        if row is not None:
            s.delete(row)


def inspector_signature(ws: Workspace, badge: str) -> bytes | None:
    """The inspector's saved signature image (PNG), or None: what documents print for them."""
    with ws.session() as s:
        sha = saved_sha(s, badge)
    if sha is None:
        return None
    path = attachments.path_for(ws.attachments_dir, sha)
    return path.read_bytes() if path.exists() else None
