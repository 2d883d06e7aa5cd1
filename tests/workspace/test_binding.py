"""The cheaper answer to PySide6's "does this module use PySide?" is the same answer."""

from __future__ import annotations

import inspect
import json
import sys
from types import ModuleType

from inspector_app.domain import credit_code
from inspector_app.ui import app, binding, tablemodel


def upstream_verdict(module: ModuleType) -> bool:
    """PySide6's own test, as it is written in shibokensupport/feature.py."""
    try:
        source = inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
    return "PySide6" in source


def test_the_import_hook_uses_the_cheaper_test() -> None:
    feature = sys.modules[binding.FEATURE_MODULE]
    assert feature._mod_uses_pyside is binding.uses_pyside


def test_it_answers_as_pyside_does_for_qt_plain_and_builtin_modules() -> None:
    for module in (app, tablemodel, credit_code, json, sys, inspect):
        assert binding.uses_pyside(module) == upstream_verdict(module), module.__name__
    assert binding.uses_pyside(app) is True
    assert binding.uses_pyside(credit_code) is False


def test_a_module_without_a_file_counts_as_not_using_pyside() -> None:
    assert binding.uses_pyside(ModuleType("made_here")) is False
