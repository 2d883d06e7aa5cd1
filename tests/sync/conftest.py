"""Sync between laptops and the office: push and pull, faults and resumption, the trust boundary
(what the office refuses), and the GUI's sync and requests pages. One server per database backend
for a module; fresh teams and users per test."""

from tests.support.gui import harness, isolated_settings
from tests.support.server_fixtures import (
    _cheap_password_hashes,
    _postgres_turn,
    backend,
    laptop_dir,
    office,
    server,
)

__all__ = [
    "_cheap_password_hashes", "_postgres_turn", "backend", "harness", "isolated_settings", "laptop_dir",
    "office", "server",
]
