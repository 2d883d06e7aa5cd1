"""What every workspace command shares: opening the workspace and printing rows."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the storage layer (SQLAlchemy, Alembic) is imported when a command runs
    from inspector_app.store.workspace import Workspace


class CommandFailed(Exception):
    """Raised by a command to stop with a message and an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def open_workspace(args: argparse.Namespace, *, create: bool = True) -> Workspace:
    from inspector_app.cli.main import EXIT_WORKSPACE
    from inspector_app.store.workspace import Workspace, WorkspaceError, default_workspace_dir

    root = default_workspace_dir(getattr(args, "workspace", None))
    try:
        return Workspace.open(root, create=create)
    except WorkspaceError as exc:
        raise CommandFailed(f"无法打开工作区：{exc}", EXIT_WORKSPACE) from exc


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """Rows as an aligned table (CJK characters count double), CSV with BOM for Excel, or JSON."""
    out = sys.stdout
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
        return
    if fmt == "csv":
        from inspector_app.register.sheets import sheet_value

        out.write("\ufeff")
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        # Whoever opens the CSV in Excel or WPS must see text, never run a formula from the data.
        writer.writerows({c: sheet_value(r.get(c)) for c in columns} for r in rows)
        return
    widths = {c: max([_width(c)] + [_width(str(r.get(c, ""))) for r in rows]) for c in columns}
    out.write("  ".join(_pad(c, widths[c]) for c in columns).rstrip() + "\n")
    for r in rows:
        out.write("  ".join(_pad(str(r.get(c, "")), widths[c]) for c in columns).rstrip() + "\n")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
