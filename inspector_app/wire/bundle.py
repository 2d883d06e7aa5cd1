"""The sync bundle: a push carried on a USB stick when there is no network at all.

A bundle is a ZIP file holding ``bundle.json`` (a header naming the account and device, and the
same PushBatch a network sync sends), ``bundle.sig`` (the device's Ed25519 signature over the
header's exact bytes) and ``files/<sha256>`` for every file of every manifest. The office imports
it with the same code path as a push, so it has the same guarantees: repeats are no-ops, a changed
record is refused, every file is checked against its sha256. The header names its author; only
the signature, checked with the key that author's login registered for that device, proves it.

A bundle comes from outside: it is read within caps on members, per-member and total uncompressed
size, so a zip bomb is refused by its directory before a byte is inflated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspector_app.wire.models import PushBatch

BUNDLE_FORMAT = "inspector-sync-bundle"
BUNDLE_VERSION = 1
HEADER_NAME = "bundle.json"
SIGNATURE_NAME = "bundle.sig"
# Caps on what a bundle may unpack to (checked against the ZIP directory before reading: zipfile
# never inflates a member past the size its directory declares, so the caps hold for the bytes).
MAX_HEADER_BYTES = 64 * 1024 * 1024
MAX_SIGNATURE_BYTES = 4096
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one photo or signature
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
# What is signed: a fixed label then the header's exact bytes (a signature can serve no other use).
_SIGNED_LABEL = b"inspector-sync-bundle/1\0"
# What a damaged or hostile ZIP makes zipfile raise (a bad stream, an unknown method, encryption …).
_DAMAGED = (
    KeyError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


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
    # A push holds at most MAX_BATCH records of a kind; a bundle of a long time offline carries
    # the rest in further batches, imported in order after the first.
    more_batches: list[PushBatch] = Field(default_factory=list, max_length=1000)
    files: list[str] = Field(default_factory=list)

    @property
    def batches(self) -> list[PushBatch]:
        return [self.batch, *self.more_batches]


class BundleSignature(BaseModel):
    model_config = ConfigDict(extra="forbid")

    algorithm: str = "ed25519"
    account: str
    device_id: str
    signature: str  # base64


def signed_message(header_bytes: bytes) -> bytes:
    return _SIGNED_LABEL + header_bytes


def new_signing_key() -> tuple[bytes, str]:
    """A fresh device key: (private key bytes to keep secret, public key in base64 to register)."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes_raw(), public_key_of(key.private_bytes_raw())


def public_key_of(private_key: bytes) -> str:
    raw = Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()
    return base64.b64encode(raw).decode("ascii")


def sign_header(private_key: bytes, header_bytes: bytes) -> str:
    sig = Ed25519PrivateKey.from_private_bytes(private_key).sign(signed_message(header_bytes))
    return base64.b64encode(sig).decode("ascii")


def signature_valid(public_key_b64: str, header_bytes: bytes, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), signed_message(header_bytes))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def write_bundle(
    target: Path, header: BundleHeader, file_path: Callable[[str], Path], private_key: bytes
) -> None:
    """Write the bundle, signed, atomically: a cut USB stick leaves either no file or the whole file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bundle-", suffix=".zip")
    os.close(fd)
    try:
        raw = header.model_dump_json().encode("utf-8")
        signature = BundleSignature(
            account=header.account, device_id=header.device_id, signature=sign_header(private_key, raw)
        )
        with zipfile.ZipFile(tmp, "w") as zf:
            zf.writestr(HEADER_NAME, raw, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr(SIGNATURE_NAME, signature.model_dump_json(), compress_type=zipfile.ZIP_DEFLATED)
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
        except _DAMAGED as exc:
            raise BundleError(f"{path} 不是同步包文件（{exc}）") from exc
        try:
            self._check_directory()
            self.header_bytes = self._read_member(HEADER_NAME, MAX_HEADER_BYTES, "同步包头")
            self.header = BundleHeader.model_validate_json(self.header_bytes)
            if self.header.format != BUNDLE_FORMAT or self.header.version != BUNDLE_VERSION:
                raise BundleError(f"{path} 的同步包版本 {self.header.version} 不受支持，请升级")
            self.signature: BundleSignature | None = None
            if SIGNATURE_NAME in self.names:
                raw_sig = self._read_member(SIGNATURE_NAME, MAX_SIGNATURE_BYTES, "签名")
                self.signature = BundleSignature.model_validate_json(raw_sig)
        except ValidationError as exc:
            self._zip.close()
            raise BundleError(f"{path} 的同步包头无法识别（{exc.errors()[0]['msg']}）") from exc
        except BaseException:
            self._zip.close()
            raise

    def _check_directory(self) -> None:
        """Refuse by the ZIP directory alone: too many members, too large, duplicated names."""
        infos = self._zip.infolist()
        where = self.path
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"{where} 含 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}")
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise BundleError(f"{where} 含重名文件，不是本软件导出的同步包")
        total = 0
        for info in infos:
            cap = MAX_HEADER_BYTES if info.filename == HEADER_NAME else MAX_MEMBER_BYTES
            if info.file_size > cap:
                raise BundleError(
                    f"{where} 中的 {info.filename[:80]} 解压后 {info.file_size} 字节，超过上限 {cap} 字节"
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BundleError(f"{where} 解压后共 {total} 字节，超过上限 {MAX_TOTAL_BYTES} 字节")
        if HEADER_NAME not in names:
            raise BundleError(f"{where} 不是同步包文件（缺少 {HEADER_NAME}）")
        self.names = set(names)

    def _read_member(self, name: str, cap: int, what: str) -> bytes:
        try:
            with self._zip.open(name) as fh:
                data = fh.read(cap + 1)
        except _DAMAGED as exc:
            raise BundleError(f"{self.path} 的{what}已损坏（{exc}）") from exc
        if len(data) > cap:
            raise BundleError(f"{self.path} 的{what}超过上限 {cap} 字节")
        return data

    def read_file(self, sha256: str) -> bytes:
        try:
            with self._zip.open(f"files/{sha256}") as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except _DAMAGED as exc:
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
