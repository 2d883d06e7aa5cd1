"""Passwords (argon2) and device tokens (random, stored as a hash, revocable per device)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, select, update

from inspector_app.central.db import tables as t
from inspector_app.domain.clock import as_utc
from inspector_app.wire import Role, UserInfo

_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this when the user does not exist takes as long as a real check, so the
    response time does not tell which usernames exist. Made at the first login, not at import:
    hashing takes the hasher's 64 MiB, which every process importing this module (``serve``'s
    supervisor, the CLI) would otherwise hold at its peak for nothing."""
    return str(_HASHER.hash("not a password"))


CONSOLE_ONLY = "该账号只能使用办公室控制台，不能用于笔记本同步"


class AuthError(Exception):
    """Login or token refused; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    user_id: int
    username: str
    display_name: str
    badge_number: str
    role: Role
    team: str | None
    token_id: int
    device_id: str

    def info(self) -> UserInfo:
        return UserInfo(
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            team=self.team,
            badge_number=self.badge_number,
        )


def hash_password(password: str) -> str:
    return str(_HASHER.hash(password))


def token_hash(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (argon2 is for guessable passwords).
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def now_utc() -> datetime:
    return datetime.now(UTC)


def login(
    conn: Connection,
    *,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
    token_days: int,
    laptop: bool = False,
) -> tuple[str, datetime, Principal]:
    """Check the password and issue a token bound to this user and device. ``laptop``: the sync
    API's login, which console-only accounts (office staff, viewers) may not use."""
    u = t.users.c
    row = conn.execute(select(t.users).where(u.username == username)).mappings().first()
    try:
        _HASHER.verify(row["password_hash"] if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise AuthError("用户名或密码错误") from None
    if row is None:
        raise AuthError("用户名或密码错误")
    if row["disabled"]:
        raise AuthError("该账号已停用，请联系管理员", 403)
    if laptop and not Role(row["role"]).syncs:
        raise AuthError(CONSOLE_ONLY, 403)
    now = now_utc()
    d = t.device_tokens.c
    # Earlier tokens of the device stay valid: a login repeated by a flaky network must not lock
    # the laptop out with the token it actually received. Revocation is by device, all at once.
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=token_days)
    token_id = conn.execute(
        t.device_tokens.insert()
        .values(
            user_id=row["id"],
            device_id=device_id,
            device_name=device_name,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=expires,
            last_seen_at=now,
        )
        .returning(d.id)
    ).scalar_one()
    return token, expires, _principal(row, int(token_id), device_id)


def _principal(row: object, token_id: int, device_id: str) -> Principal:
    r = dict(row)  # type: ignore[call-overload]
    return Principal(
        user_id=int(r["id"]),
        username=r["username"],
        display_name=r["display_name"],
        badge_number=r["badge_number"],
        role=Role(r["role"]),
        team=r["team"],
        token_id=token_id,
        device_id=device_id,
    )


_d = t.device_tokens.c
_TOKEN = (  # built once: every request asks it
    select(t.users, _d.id.label("token_id"), _d.device_id, _d.expires_at, _d.revoked_at)
    .join(t.device_tokens, _d.user_id == t.users.c.id)
    .where(_d.token_hash == bindparam("token_hash"))
)


def authenticate(conn: Connection, token: str) -> Principal:
    row = conn.execute(_TOKEN, {"token_hash": token_hash(token)}).mappings().first()
    if row is None:
        raise AuthError("登录凭证无效，请重新登录")
    # First: a disabled account's sessions are also revoked, and "disabled" is what the user must hear.
    if row["disabled"]:
        raise AuthError("该账号已停用，请联系管理员", 403)
    if row["revoked_at"] is not None:
        raise AuthError("本设备的登录已被注销，请重新登录")
    if as_utc(row["expires_at"]) <= now_utc():
        raise AuthError("登录已过期，请重新登录")
    return _principal(row, int(row["token_id"]), row["device_id"])


def revoke_token(conn: Connection, token_id: int) -> None:
    conn.execute(update(t.device_tokens).where(t.device_tokens.c.id == token_id).values(revoked_at=now_utc()))


def revoke_device(conn: Connection, username: str, device_id: str | None = None) -> int:
    """Revoke a user's tokens (on one device, or all); returns how many were live."""
    user_id = conn.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar_one_or_none()
    if user_id is None:
        raise AuthError(f"没有用户 {username}", 404)
    d = t.device_tokens.c
    stmt = update(t.device_tokens).where(d.user_id == user_id, d.revoked_at.is_(None))
    if device_id is not None:
        stmt = stmt.where(d.device_id == device_id)
    return int(conn.execute(stmt.values(revoked_at=now_utc())).rowcount)


def expire_tokens(conn: Connection, username: str) -> None:
    """Make a user's live tokens expire now (what the passing of time does; used by tests and ops)."""
    user_id = conn.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar_one()
    d = t.device_tokens.c
    conn.execute(
        update(t.device_tokens)
        .where(d.user_id == user_id, d.revoked_at.is_(None))
        .values(expires_at=now_utc() - timedelta(seconds=1))
    )


def revoke_user_tokens(conn: Connection, user_id: int) -> int:
    """End every session of a user, on every device (logout everywhere); returns how many were live."""
    d = t.device_tokens.c
    stmt = update(t.device_tokens).where(d.user_id == user_id, d.revoked_at.is_(None))
    return int(conn.execute(stmt.values(revoked_at=now_utc())).rowcount)
