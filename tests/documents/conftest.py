"""Documents (文书): the record, notices and orders each enforcement domain issues, their numbers
(number blocks on the laptop, the console and through sync), printing from the GUI and from the
office. ``world`` is a workspace with real visits on a fixed clock (tests.support.documents_world)."""

from tests.support.console import browser, page
from tests.support.documents_world import world
from tests.support.gui import harness, isolated_settings
from tests.support.server_fixtures import _cheap_password_hashes, _postgres_turn, backend, office, server

__all__ = [
    "_cheap_password_hashes", "_postgres_turn", "backend", "browser", "harness", "isolated_settings",
    "office", "page", "server", "world",
]
