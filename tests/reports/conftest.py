"""A workspace with real visits made through the visit service, on a fixed clock."""

from tests.support.documents_world import world

__all__ = ["world"]
