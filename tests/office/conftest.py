"""The office (central server and its console): the API and its roles, login defences, backups,
migrations, uploads, the read model, laptops, audit, the demo office and the console in Chromium.
The server on each database backend; fresh teams and users per test."""

from tests.support.console import browser, office_server, page
from tests.support.server_fixtures import (
    _cheap_password_hashes,
    _postgres_turn,
    backend,
    laptop_dir,
    office,
    server,
)

__all__ = [
    "_cheap_password_hashes", "_postgres_turn", "backend", "browser", "laptop_dir", "office",
    "office_server", "page", "server",
]
