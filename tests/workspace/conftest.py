"""The workspace and starting up: opening, migrating and upgrading the database, broken files,
the demo workspace (service and command), the window's start-up, size, languages and status bar,
the Qt binding, and the installer's bundle and scripts."""

from tests.support.gui import harness, isolated_settings

__all__ = ["harness", "isolated_settings"]
