"""The inspector's day: 今日任务 and its cadence, starting a visit, answering and photographing,
findings, rechecks, requests, site people, signatures and completing, through the services (the
``world``) and through the real window (the ``harness``), and the visit document it completes."""

from tests.support.gui import harness, isolated_settings
from tests.support.workspace_world import world

__all__ = ["harness", "isolated_settings", "world"]
