"""Workspace settings that go on printed documents: the issuing unit (发文单位), its seal image and the
document-number prefix. Stored as rows of the ``setting`` table so they travel with the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace

KEY_ISSUING_UNIT = "documents.issuing_unit"
KEY_SEAL_SHA256 = "documents.seal_sha256"
KEY_NUMBER_PREFIX = "documents.number_prefix"


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    issuing_unit: str = ""
    seal_sha256: str | None = None
    number_prefix: str = ""


def _get(session: Session, key: str) -> str | None:
    row = session.get(tables.Setting, key)
    return None if row is None else row.value


def _put(session: Session, key: str, value: str | None) -> None:
    row = session.get(tables.Setting, key)
    if value is None or value == "":
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(tables.Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def load(session: Session) -> DocumentSettings:
    return DocumentSettings(
        issuing_unit=_get(session, KEY_ISSUING_UNIT) or "",
        seal_sha256=_get(session, KEY_SEAL_SHA256) or None,
        number_prefix=_get(session, KEY_NUMBER_PREFIX) or "",
    )


def save(session: Session, settings: DocumentSettings) -> None:
    unit = settings.issuing_unit.strip()
    if len(unit) > 60:
        raise ValueError("发文单位名称过长（最多60字）")
    if settings.seal_sha256 is not None and session.get(tables.Attachment, settings.seal_sha256) is None:
        raise ValueError(f"印章图片 {settings.seal_sha256[:12]}… 不在工作区中")
    _put(session, KEY_ISSUING_UNIT, unit)
    _put(session, KEY_SEAL_SHA256, settings.seal_sha256)
    _put(session, KEY_NUMBER_PREFIX, settings.number_prefix.strip())


def set_seal_image(workspace: Workspace, image: Path, *, now: datetime) -> str:
    """Store a seal image (a PNG with a transparent background prints best) and make it the seal."""
    data = image.read_bytes()
    with workspace.session() as session:
        stored = attachments.store_bytes(
            session,
            workspace.attachments_dir,
            workspace.thumbnails_dir,
            data,
            kind="seal",
            original_name=image.name,
            now=now,
        )
        session.flush()
        current = load(session)
        save(session, DocumentSettings(current.issuing_unit, stored.sha256, current.number_prefix))
    return stored.sha256


def seal_path(workspace: Workspace, settings: DocumentSettings) -> Path | None:
    if settings.seal_sha256 is None:
        return None
    path = attachments.path_for(workspace.attachments_dir, settings.seal_sha256)
    return path if path.exists() else None


def read(workspace: Workspace) -> DocumentSettings:
    with workspace.session() as session:
        return load(session)


def write(workspace: Workspace, settings: DocumentSettings) -> None:
    """Save the issuing unit and prefix; a refused value (too long, unknown seal) changes nothing."""
    with workspace.session() as session:
        save(session, settings)
