"""PySide6, made cheaper to import after.

PySide6 hooks ``import``: after every module imported in the process it asks whether the module
uses PySide (for its opt-in ``__feature__`` switches) by ``inspect.getsource`` and a search for
"PySide6" in the text. That costs about a millisecond per module: opening a workspace imports some
six hundred (SQLAlchemy, Alembic, Pydantic …) on the storage worker, 0.7 s of the 1.7 s it takes on a
2-core laptop, and it taxes every module on the way to the first frame too.

``install`` puts in the same test, done by reading the file's bytes: the same answer (a module's
source either contains "PySide6" or not; a module without a ``.py`` file has no source, which
upstream also answers False), without tokenising. It is applied only where the hook has the
expected shape; otherwise PySide6 keeps its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads the import hook this module adjusts

FEATURE_MODULE = "shibokensupport.feature"


def uses_pyside(module: ModuleType) -> bool:
    """Whether the module's source mentions PySide6 (PySide's own test, read from the bytes)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        return b"PySide6" in Path(path).read_bytes()
    except OSError:
        return False


def install() -> bool:
    """Swap in the cheaper test; False (and nothing changed) if PySide6's hook looks different."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 - a private name of PySide6
    return True


install()
