"""Small forms written into tmp_path, so each test shows exactly the YAML it is about."""

from tests.support.forms import make_form, write

__all__ = ["make_form", "write"]
