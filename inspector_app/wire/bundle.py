"""The sync bundle: a push carried on a USB stick when there is no network at all.

A bundle is a ZIP file holding ``bundle.json`` (a header naming the account and device, and the
same PushBatch a network sync sends) and ``files/<sha256>`` for every file of every manifest.
The office imports it with the same code path as a push, so it has the same guarantees: repeats
are no-ops, a changed record is refused, every file is checked against its sha256.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspector_app.wire.models import PushBatch

BUNDLE_FORMAT = "inspector-sync-bundle"
BUNDLE_VERSION = 1
HEADER_NAME = "bundle.json"
MAX_HEADER_BYTES = 512 * 1024 * 1024


class BundleError(ValueError):
    """The file is not a bundle this version can read, or it is damaged; the message says which."""


class BundleHeader(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = BUNDLE_FORMAT
    version: int = BUNDLE_VERSION
    created_at: datetime
    account: str
    device_id: str
    server_url: str = ""
    batch: PushBatch
    files: list[str] = Field(default_factory=list)


def write_bundle(target: Path, header: BundleHeader, file_path: Callable[[str], Path]) -> None:
    """Write the bundle atomically: a cut USB stick leaves either no file or the whole file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bundle-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            zf.writestr(HEADER_NAME, header.model_dump_json(), compress_type=zipfile.ZIP_DEFLATED)
            for sha in header.files:
                # Photos are already compressed: storing them is faster and no larger.
                zf.write(file_path(sha), f"files/{sha}", compress_type=zipfile.ZIP_STORED)
        with Path(tmp).open("rb+") as fh:
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BundleReader:
    """Reads a bundle; every file is checked against its sha256 before it is handed out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"{path} 不是同步包文件（{exc}）") from exc
        try:
            info = self._zip.getinfo(HEADER_NAME)
            if info.file_size > MAX_HEADER_BYTES:
                raise BundleError(f"{path} 的同步包头过大")
            raw = self._zip.read(HEADER_NAME)
        except KeyError as exc:
            self._zip.close()
            raise BundleError(f"{path} 不是同步包文件（缺少 {HEADER_NAME}）") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            self._zip.close()
            raise BundleError(f"{path} 已损坏（{exc}）") from exc
        try:
            self.header = BundleHeader.model_validate_json(raw)
        except ValidationError as exc:
            self._zip.close()
            raise BundleError(f"{path} 的同步包头无法识别（{exc.errors()[0]['msg']}）") from exc
        if self.header.format != BUNDLE_FORMAT or self.header.version != BUNDLE_VERSION:
            self._zip.close()
            raise BundleError(f"{path} 的同步包版本 {self.header.version} 不受支持，请升级")
        self.names = set(self._zip.namelist())

    def has_file(self, sha256: str) -> bool:
        return f"files/{sha256}" in self.names

    def read_file(self, sha256: str) -> bytes:
        try:
            data = self._zip.read(f"files/{sha256}")
        except (KeyError, zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"同步包中的文件 {sha256[:12]}… 无法读取（{exc}）") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BundleError(f"同步包中的文件 {sha256[:12]}… 校验值不符（已损坏）")
        return data

    def iter_files(self) -> Iterable[str]:
        return [n.removeprefix("files/") for n in sorted(self.names) if n.startswith("files/")]

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
