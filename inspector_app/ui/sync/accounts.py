"""Who is working on this laptop: the logged-in inspector whose visits and edits the outbox carries.

Several inspectors may share one laptop (``inspector_app.sync.accounts`` keeps one row and one
token per inspector). Switching account chooses who is working: the services then stamp new work
with that name, and each inspector's sync pushes only their own work, so nobody's unsynced work is
touched by another's login. These functions run on the storage worker (they read the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector_app.services.context import AppServices
    from inspector_app.store.workspace import Workspace


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


def known_accounts(workspace: Workspace) -> list[AccountInfo]:
    """Every account logged in on this workspace once, with whether its token is still kept."""
    from sqlmodel import col, select

    from inspector_app.store.sync_tables import SyncAccount
    from inspector_app.sync.tokens import TokenStore

    tokens = TokenStore(workspace.root)
    with workspace.session() as s:
        rows = list(s.exec(select(SyncAccount).order_by(col(SyncAccount.username))))
    out = []
    for a in rows:
        pulled = a.last_pull_at
        if pulled is not None and pulled.tzinfo is None:
            pulled = pulled.replace(tzinfo=UTC)  # SQLite hands datetimes back without their offset
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
    from sqlmodel import select

    from inspector_app.store.sync_tables import SyncAccount

    with workspace.session() as s:
        names = list(s.exec(select(SyncAccount.username)))
    if preferred in names:
        return preferred
    if len(names) == 1:
        return names[0]
    return preferred


def use_account(services: AppServices, username: str) -> None:
    """Make ``username`` the author of new work (visits, follow-ups, enterprise edits)."""
    services.visits.account = username
    services.requests.account = username
    services.register.account = username

