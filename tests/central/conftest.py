"""The central server on each database backend; fresh teams and users per test."""

from tests.support.server_fixtures import (
    _cheap_password_hashes,
    _postgres_turn,
    backend,
    laptop_dir,
    office,
    server,
)

__all__ = ["_cheap_password_hashes", "_postgres_turn", "backend", "laptop_dir", "office", "server"]
