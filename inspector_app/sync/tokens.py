"""Where a login token is kept: the OS keyring, or a private file in the workspace when no keyring
backend works (a bare Linux laptop, a service account)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
from pathlib import Path

import keyring
from keyring.errors import KeyringError

SERVICE = "inspector-app"
FILE_NAME = "sync-tokens.json"


def _key(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/')}|{username}"


# The device's private key for signing sync bundles is kept like a token (keyring, else the private
# file), under the account's name with this suffix: it is as secret as the login itself.
SIGNING_KEY_SUFFIX = "#bundle-signing-key"


class TokenStore:
    def __init__(self, workspace_root: Path, *, use_keyring: bool = True) -> None:
        self.file = workspace_root / FILE_NAME
        self.use_keyring = use_keyring and os.environ.get("INSPECTOR_NO_KEYRING") != "1"

    def save(self, server_url: str, username: str, token: str) -> str:
        """Store the token; returns where it went ("keyring" or "file")."""
        if self.use_keyring:
            try:
                keyring.set_password(SERVICE, _key(server_url, username), token)
                if keyring.get_password(SERVICE, _key(server_url, username)) == token:
                    self._forget_file(server_url, username)
                    return "keyring"
            except (KeyringError, RuntimeError, OSError):
                pass  # no backend that works here: fall back to the file
        data = self._read_file()
        data[_key(server_url, username)] = token
        self._write_file(data)
        return "file"

    def load(self, server_url: str, username: str) -> str | None:
        if self.use_keyring:
            try:
                token = keyring.get_password(SERVICE, _key(server_url, username))
            except (KeyringError, RuntimeError, OSError):
                token = None
            if token:
                return str(token)
        return self._read_file().get(_key(server_url, username))

    def save_signing_key(self, server_url: str, username: str, private_key: bytes) -> str:
        return self.save(server_url, username + SIGNING_KEY_SUFFIX, base64.b64encode(private_key).decode())

    def load_signing_key(self, server_url: str, username: str) -> bytes | None:
        raw = self.load(server_url, username + SIGNING_KEY_SUFFIX)
        if not raw:
            return None
        try:
            key = base64.b64decode(raw, validate=True)
        except (ValueError, binascii.Error):
            return None
        return key if len(key) == 32 else None

    def forget(self, server_url: str, username: str) -> None:
        if self.use_keyring:
            with contextlib.suppress(KeyringError, RuntimeError, OSError):
                keyring.delete_password(SERVICE, _key(server_url, username))
        self._forget_file(server_url, username)

    def _forget_file(self, server_url: str, username: str) -> None:
        data = self._read_file()
        if data.pop(_key(server_url, username), None) is not None:
            self._write_file(data)

    def _read_file(self) -> dict[str, str]:
        try:
            raw = json.loads(self.file.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def _write_file(self, data: dict[str, str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        # Created private from the start: the token never sits world-readable, even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        tmp.replace(self.file)
