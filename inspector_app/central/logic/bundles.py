"""Importing a sync bundle carried from a laptop: the same checks and answers as a network push.

A bundle's header names an account and a device; that proves nothing. The bundle is believed to
come from that account only when its signature checks with the key an authenticated login of that
account registered for that device (``PUT /devices/key``, done by every laptop login), and only
while that device's login stands: a revoked device, a disabled user and an admin account (whose
records would bypass every team check) are refused. The office sees the verified author
(``verify_bundle``) before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import push as logic
from inspector_app.central.logic import receipts
from inspector_app.central.logic.auth import Principal, now_utc
from inspector_app.central.logic.files import FileStore, image_problem, register_file
from inspector_app.wire import DeviceKey, DeviceKeyRegistered, ItemResult, Role
from inspector_app.wire.bundle import BundleError, BundleReader, signature_valid
from inspector_app.wire.models import referenced_files


def register_device_key(conn: Connection, p: Principal, key: DeviceKey, now: datetime) -> DeviceKeyRegistered:
    """Bind a bundle-signing key to the caller's user and device (a newer key replaces the older)."""
    k = t.device_keys.c
    values = {
        "algorithm": key.algorithm,
        "public_key": key.public_key,
        "token_id": p.token_id,
        "registered_at": now,
    }
    updated = conn.execute(
        t.device_keys.update().where(k.user_id == p.user_id, k.device_id == p.device_id).values(values)
    ).rowcount
    if not updated:
        conn.execute(t.device_keys.insert().values(user_id=p.user_id, device_id=p.device_id, **values))
    return DeviceKeyRegistered(username=p.username, device_id=p.device_id, registered_at=now)


@dataclass(frozen=True)
class BundleAuthor:
    """Who a bundle verifiably comes from: what the office is shown before it imports."""

    username: str
    display_name: str
    team: str | None
    role: Role
    device_id: str
    device_name: str
    created_at: datetime
    visits: int
    edits: int
    finding_events: int
    request_follow_ups: int
    files: int

    def describe(self) -> str:
        return (
            f"同步包来自 {self.display_name}（{self.username}，{self.team or '无检查组'}），"
            f"设备 {self.device_name or self.device_id}，导出于 {self.created_at:%Y-%m-%d %H:%M}；"
            f"检查记录 {self.visits} 条、企业信息修改 {self.edits} 条、隐患跟进 {self.finding_events} 条、"
            f"诉求跟进 {self.request_follow_ups} 条、文件 {self.files} 个"
        )


def _author(conn: Connection, bundle: BundleReader) -> tuple[BundleAuthor, Principal]:
    header = bundle.header
    where = bundle.path
    user = conn.execute(select(t.users).where(t.users.c.username == header.account)).mappings().first()
    if user is None:
        raise BundleError(f"{where}：同步包署名用户 {header.account}，办公室没有该用户")
    if bundle.signature is None:
        raise BundleError(
            f"{where}：同步包没有签名，无法证明来自 {header.account}（请在笔记本上重新登录后重新导出）"
        )
    sig = bundle.signature
    if (sig.account, sig.device_id) != (header.account, header.device_id):
        raise BundleError(f"{where}：同步包签名与包头署名不一致，已拒绝")
    k = t.device_keys.c
    key = conn.execute(
        select(k.algorithm, k.public_key).where(k.user_id == user["id"], k.device_id == header.device_id)
    ).first()
    if key is None or key.algorithm != sig.algorithm:
        raise BundleError(
            f"{where}：用户 {header.account} 未在设备 {header.device_id[:8]}… 上登录登记过签名密钥，"
            "无法核实来源"
        )
    if not signature_valid(key.public_key, bundle.header_bytes, sig.signature):
        raise BundleError(
            f"{where}：同步包签名无效（内容被改动，或并非 {header.account} 的设备所签），已拒绝"
        )
    if user["disabled"]:
        raise BundleError(f"{where}：同步包属于已停用的用户 {header.account}")
    if Role(user["role"]) not in {Role.INSPECTOR, Role.LEADER}:
        raise BundleError(
            f"{where}：管理员和办公室账号的同步包不予导入（同步包只接收检查人员和组长的现场记录）"
        )
    d = t.device_tokens.c
    tokens = conn.execute(
        select(d.device_name, d.revoked_at).where(d.user_id == user["id"], d.device_id == header.device_id)
    ).all()
    if not any(r.revoked_at is None for r in tokens):
        raise BundleError(f"{where}：设备 {header.device_id[:8]}… 的登录已被注销，其同步包不予导入")
    device_name = next((r.device_name for r in tokens if r.device_name), "")
    batches = header.batches
    author = BundleAuthor(
        username=user["username"],
        display_name=user["display_name"],
        team=user["team"],
        role=Role(user["role"]),
        device_id=header.device_id,
        device_name=device_name,
        created_at=header.created_at,
        visits=sum(len(b.visits) for b in batches),
        edits=sum(len(b.edits) for b in batches),
        finding_events=sum(len(b.finding_events) for b in batches),
        request_follow_ups=sum(len(b.request_follow_ups) for b in batches),
        files=len(header.files),
    )
    principal = Principal(
        user_id=int(user["id"]),
        username=user["username"],
        display_name=user["display_name"],
        badge_number=user["badge_number"],
        role=Role(user["role"]),
        team=user["team"],
        token_id=0,
        device_id=header.device_id,
    )
    return author, principal


def verify_bundle(db: Database, path: Path) -> BundleAuthor:
    """Who the bundle verifiably comes from; BundleError (with the reason) when that cannot be shown."""
    with BundleReader(path) as bundle, db.read() as conn:
        return _author(conn, bundle)[0]


def import_bundle(
    db: Database, store: FileStore, path: Path, *, expect_account: str | None = None
) -> list[ItemResult]:
    """Verify the author, then files (each checked against its sha256), then the records in one
    transaction. ``expect_account``: the account the office confirmed; another author is refused."""
    with BundleReader(path) as bundle:
        with db.read() as conn:
            author, principal = _author(conn, bundle)
        if expect_account is not None and author.username != expect_account:
            raise BundleError(f"{path}：同步包来自 {author.username}，不是确认的 {expect_account}，未导入")
        now = now_utc()
        # Only files a visit of this bundle cites are taken: a bundle is no way to drop arbitrary
        # bytes into the office's store.
        cited: set[str] = set()
        for v in (v for b in bundle.header.batches for v in b.visits):
            try:
                cited |= referenced_files(v.document)
            except ValueError:
                continue  # the push below refuses that visit with its reason
        wanted = [sha for sha in bundle.iter_files() if sha in cited]
        for sha in list(wanted):
            staged = store.stage(bundle.read_file(sha), sha)
            if image_problem(staged, sha):
                # Not a photo or signature: never stored; the visits citing it stay not received.
                staged.unlink(missing_ok=True)
                wanted.remove(sha)
                continue
            size = staged.stat().st_size
            store.commit(sha, staged)
            with db.write() as conn:
                register_file(conn, sha, size, now, principal.user_id)
        skew = (bundle.header.batch.client_time - now).total_seconds()
        with db.write() as conn:
            results = [r for b in bundle.header.batches for r in logic.push(conn, principal, b, now, skew)]
            for sha in wanted:
                receipts.visits_completed_by_file(conn, sha, now)
        return results
