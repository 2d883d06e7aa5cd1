"""Where the files shipped with the app live: in the source tree, an installed copy, or a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _bundle_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller unpacks data next to the executable
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return Path(os.environ.get("INSPECTOR_RESOURCES", _bundle_root() / "resources"))


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def forms_dir() -> Path:
    return _bundle_root() / "forms"


def app_version() -> str:
    """The installed package's version (the frozen build carries its metadata too)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("inspector-app")
    except PackageNotFoundError:
        return "unknown"
