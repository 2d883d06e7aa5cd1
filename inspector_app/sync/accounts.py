"""Logging in once per inspector, and the device id that makes this laptop's record ids unique."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlmodel import Session, select

from inspector_app.domain.clock import as_utc
from inspector_app.store import tables
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace
from inspector_app.sync.client import SyncClient
from inspector_app.sync.tokens import TokenStore
from inspector_app.wire import DeviceKey
from inspector_app.wire.bundle import new_signing_key, public_key_of

DEVICE_ID_KEY = "sync.device_id"


def device_id(workspace: Workspace) -> str:
    """This workspace's permanent device id (made on first use)."""
    with workspace.session() as s:
        return _device_id(s)


def _device_id(s: Session) -> str:
    row = s.get(tables.Setting, DEVICE_ID_KEY)
    if row is None:
        row = tables.Setting(key=DEVICE_ID_KEY, value=str(uuid.uuid4()))
        s.add(row)
        s.flush()
    return row.value


def login(
    workspace: Workspace,
    server_url: str,
    username: str,
    password: str,
    *,
    tokens: TokenStore | None = None,
    transport: httpx.BaseTransport | None = None,
    device_name: str | None = None,
) -> SyncAccount:
    """Check the password with the server, keep the token, remember the account on this laptop."""
    tokens = tokens or TokenStore(workspace.root)
    dev = device_id(workspace)
    with SyncClient(server_url, transport=transport) as client:
        answer = client.login(username, password, dev, device_name or socket.gethostname())
    where = tokens.save(server_url, username, answer.token)
    register_signing_key(tokens, server_url, username, answer.token, transport=transport)
    with workspace.session() as s:
        acct = s.get(SyncAccount, username)
        if acct is None or acct.server_url.rstrip("/") != server_url.rstrip("/"):
            if acct is not None:
                s.delete(acct)
                s.flush()
            acct = SyncAccount(username=username, server_url=server_url.rstrip("/"))
        acct.display_name = answer.user.display_name
        acct.badge_number = answer.user.badge_number
        acct.role = answer.user.role.value
        acct.team = answer.user.team
        acct.token_store = where
        acct.last_error = ""
        s.add(acct)
    return acct


def register_signing_key(
    tokens: TokenStore,
    server_url: str,
    username: str,
    token: str,
    *,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Register this device's bundle-signing key with the login just made (made once, then kept).

    The office verifies a bundle only with the key an authenticated login of its account and
    device registered: a header naming another account, or a device whose login was revoked, fails.
    """
    private = tokens.load_signing_key(server_url, username)
    if private is None:
        private, _public = new_signing_key()
        tokens.save_signing_key(server_url, username, private)
    with SyncClient(server_url, token, transport=transport) as client:
        client.register_device_key(DeviceKey(public_key=public_key_of(private)))


def accounts(workspace: Workspace) -> list[SyncAccount]:
    with workspace.session() as s:
        return list(s.exec(select(SyncAccount).order_by(SyncAccount.username)))


@dataclass(frozen=True)
class AccountInfo:
    """One account known on this laptop, as the status bar and the menus show it."""

    username: str
    display_name: str
    server_url: str
    team: str | None
    role: str
    has_token: bool
    last_pull_at: datetime | None  # aware, UTC
    last_error: str = ""
    badge: str = ""  # the inspector's badge number, as the office knows it

    @property
    def label(self) -> str:
        return f"{self.display_name}（{self.username}）" if self.display_name else self.username


def known_accounts(workspace: Workspace, *, tokens: TokenStore | None = None) -> list[AccountInfo]:
    """Every account logged in on this workspace once, with whether its token is still kept."""
    tokens = tokens or TokenStore(workspace.root)
    out = []
    for a in accounts(workspace):
        pulled = as_utc(a.last_pull_at) if a.last_pull_at is not None else None
        out.append(AccountInfo(
            username=a.username, display_name=a.display_name, server_url=a.server_url, team=a.team,
            role=a.role, has_token=tokens.load(a.server_url, a.username) is not None,
            last_pull_at=pulled, last_error=a.last_error, badge=a.badge_number,
        ))
    return out


def working_account(workspace: Workspace, preferred: str) -> str:
    """The account new work belongs to: the one last chosen if this laptop knows it, else the only one.

    With several accounts and none chosen the answer is ``preferred`` unchanged (possibly empty):
    the app then asks who is working rather than guessing whose work it is.
    """
    names = [a.username for a in accounts(workspace)]
    if preferred in names:
        return preferred
    if len(names) == 1:
        return names[0]
    return preferred


def get_account(workspace: Workspace, username: str | None = None) -> SyncAccount | None:
    """The named account, or the only one when the laptop has exactly one."""
    found = accounts(workspace)
    if username is None:
        return found[0] if len(found) == 1 else None
    return next((a for a in found if a.username == username), None)


def logout(workspace: Workspace, username: str, *, tokens: TokenStore | None = None) -> None:
    """Forget the token (unsynced work stays: it belongs to the account, not to the login)."""
    acct = get_account(workspace, username)
    if acct is not None:
        (tokens or TokenStore(workspace.root)).forget(acct.server_url, username)
