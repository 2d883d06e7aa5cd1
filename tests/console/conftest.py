"""A demo office on SQLite served in a thread, and a real Chromium (Debian's package) driving it."""

from tests.support.console import browser, office_server, page
from tests.support.server_fixtures import _cheap_password_hashes, _postgres_turn, backend, office, server

__all__ = [
    "_cheap_password_hashes", "_postgres_turn", "backend", "browser", "office", "office_server",
    "page", "server",
]
