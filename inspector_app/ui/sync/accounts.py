"""Who is working on this laptop: the logged-in inspector whose visits and edits the outbox carries.

Several inspectors may share one laptop (``inspector_app.sync.accounts`` keeps one row and one
token per inspector). Switching account chooses who is working: the services then stamp new work
with that name, and each inspector's sync pushes only their own work, so nobody's unsynced work is
touched by another's login. Import this module on the storage worker only: it loads the sync
package (httpx, the database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The accounts themselves live with sync (one door to the account table); the GUI only chooses.
from inspector_app.sync.accounts import AccountInfo, known_accounts, working_account

if TYPE_CHECKING:
    from inspector_app.services.context import AppServices

__all__ = ["AccountInfo", "known_accounts", "use_account", "working_account"]


def use_account(services: AppServices, username: str) -> None:
    """Make ``username`` the author of new work (visits, follow-ups, enterprise edits)."""
    services.visits.account = username
    services.requests.account = username
    services.register.account = username

