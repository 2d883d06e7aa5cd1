"""GUI tests: offscreen, with an isolated QSettings and a seeded workspace per test."""

from tests.support.gui import harness, isolated_settings

__all__ = ["harness", "isolated_settings"]
