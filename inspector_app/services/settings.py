"""Workspace settings that go on printed documents: the issuing authority (发文机关), its seal image,
short name and 文书代字. Stored as rows of the ``setting`` table so they travel with the workspace;
the model and its rules are ``domain.authority`` (the office server uses the same).

``number_prefix`` is the authority's short name (简称), printed in （） at the head of every number.
Numbers are formatted when printed, so a short name or 文书代字 set later is applied to documents
numbered before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from inspector_app.domain.authority import IssuingAuthority
from inspector_app.store import attachments, tables
from inspector_app.store.workspace import Workspace

KEY_ISSUING_UNIT = "documents.issuing_unit"
KEY_SEAL_SHA256 = "documents.seal_sha256"
KEY_NUMBER_PREFIX = "documents.number_prefix"
KEY_DOC_CODES = "documents.doc_codes"
KEY_AUTHORIZATION = "documents.authorization"
KEY_REVIEW_BODY = "documents.review_body"
KEY_COURT = "documents.court"
MAX_SETTING = 2000


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    issuing_unit: str = ""
    seal_sha256: str | None = None
    number_prefix: str = ""  # the short name (简称)
    # None = leave as stored: a caller that edits only the first three never erases these.
    doc_codes: dict[str, str] | None = None
    authorization: str | None = None
    review_body: str | None = None
    court: str | None = None

    @classmethod
    def of(cls, authority: IssuingAuthority, seal_sha256: str | None = None) -> DocumentSettings:
        """The settings that publish ``authority`` (the inverse of ``authority()``)."""
        return cls(
            authority.full_name,
            seal_sha256,
            authority.short_name,
            dict(authority.doc_codes),
            authority.authorization,
            authority.review_body,
            authority.court,
        )

    def authority(self) -> IssuingAuthority:
        return IssuingAuthority(
            full_name=self.issuing_unit,
            short_name=self.number_prefix,
            doc_codes=dict(self.doc_codes or {}),
            authorization=self.authorization or "",
            review_body=self.review_body or "",
            court=self.court or "",
            seal_present=self.seal_sha256 is not None,
        )


def _get(session: Session, key: str) -> str | None:
    row = session.get(tables.Setting, key)
    return None if row is None else row.value


def _put(session: Session, key: str, value: str | None) -> None:
    row = session.get(tables.Setting, key)
    if value is None or value == "":
        if row is not None:
            session.delete(row)
        return
    if len(value) > MAX_SETTING:
        raise ValueError(f"设置 {key} 过长")
    if row is None:
        session.add(tables.Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def load(session: Session) -> DocumentSettings:
    codes_raw = _get(session, KEY_DOC_CODES)
    try:
        codes = json.loads(codes_raw) if codes_raw else {}
    except ValueError:
        codes = {}
    return DocumentSettings(
        issuing_unit=_get(session, KEY_ISSUING_UNIT) or "",
        seal_sha256=_get(session, KEY_SEAL_SHA256) or None,
        number_prefix=_get(session, KEY_NUMBER_PREFIX) or "",
        doc_codes={str(k): str(v) for k, v in codes.items()} if isinstance(codes, dict) else {},
        authorization=_get(session, KEY_AUTHORIZATION) or "",
        review_body=_get(session, KEY_REVIEW_BODY) or "",
        court=_get(session, KEY_COURT) or "",
    )


def save(session: Session, settings: DocumentSettings) -> None:
    """Store the settings; a refused value (too long, unknown seal, bad 文书代字) changes nothing."""
    unit = settings.issuing_unit.strip()
    if len(unit) > 60:
        raise ValueError("发文单位名称过长（最多60字）")
    if settings.seal_sha256 is not None and session.get(tables.Attachment, settings.seal_sha256) is None:
        raise ValueError(f"印章图片 {settings.seal_sha256[:12]}… 不在工作区中")
    stripped = DocumentSettings(
        unit,
        settings.seal_sha256,
        settings.number_prefix.strip().strip("（）()"),
        None
        if settings.doc_codes is None
        else {k: v.strip() for k, v in settings.doc_codes.items() if v.strip()},
        None if settings.authorization is None else settings.authorization.strip(),
        None if settings.review_body is None else settings.review_body.strip(),
        None if settings.court is None else settings.court.strip(),
    )
    problems = stripped.authority().problems()
    if problems:
        raise ValueError("；".join(problems))
    _put(session, KEY_ISSUING_UNIT, unit)
    _put(session, KEY_SEAL_SHA256, stripped.seal_sha256)
    _put(session, KEY_NUMBER_PREFIX, stripped.number_prefix)
    if stripped.doc_codes is not None:
        _put(session, KEY_DOC_CODES, json.dumps(stripped.doc_codes, ensure_ascii=False, sort_keys=True))
    for key, value in (
        (KEY_AUTHORIZATION, stripped.authorization),
        (KEY_REVIEW_BODY, stripped.review_body),
        (KEY_COURT, stripped.court),
    ):
        if value is not None:
            _put(session, key, value)


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
    """Save the settings; a refused value (too long, unknown seal) changes nothing."""
    with workspace.session() as session:
        save(session, settings)
