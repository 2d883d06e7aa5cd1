"""Forms (检查表): reading the YAML, evaluating answers and expressions within their budget, the
shipped forms, hostile and fuzzed forms, and the ``forms`` command. Small forms are written into
tmp_path, so each test shows exactly the YAML it is about."""

from tests.support.forms import make_form, write

__all__ = ["make_form", "write"]
