"""A workspace with one team, two inspectors and one assigned enterprise, on a fixed clock."""

from tests.support.workspace_world import world

__all__ = ["world"]
