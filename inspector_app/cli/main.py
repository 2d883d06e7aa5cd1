"""Entry point of ``inspector-app``.

Each command lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser, which receives the parsed arguments and returns the exit status.

Exit statuses (documented in the README):
  0  success
  1  the input was refused (invalid rows, broken form definitions …); nothing was changed;
     or, for --self-test, a check failed
  2  wrong usage of the command
  3  the workspace cannot be opened (damaged, or written by a newer version)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING

from inspector_app import paths

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_WORKSPACE = 3

# Command modules, imported lazily so ``inspector-app forms check`` never pays for Qt.
COMMAND_MODULES = (
    "inspector_app.cli.forms_cmd",
    "inspector_app.cli.enterprises_cmd",
    "inspector_app.cli.visits_cmd",
    "inspector_app.cli.demo_cmd",
    "inspector_app.cli.report_cmd",
    "inspector_app.cli.sync_cmd",
)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="工作区目录（默认取 INSPECTOR_WORKSPACE 环境变量或用户数据目录）/ workspace folder",
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="界面语言 / UI language")
    parser.add_argument(
        "--self-test", action="store_true", help="自检后退出 / check the installation and exit"
    )


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description="街道/园区检查工作台 — field inspection workspace. "
        "Without a command the desktop app starts.",
    )
    _add_global_options(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {paths.app_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command whose module is not part of this build
        module.register(sub)
    return parser


_GLOBAL_VALUES = {"--workspace": "workspace", "--lang": "lang"}
_LANGUAGES = ("zh", "en")


def parse_plain_start(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain start of the desktop app, read without building any parser.

    ``inspector-app [--workspace DIR] [--lang zh|en] [--self-test]`` in their plain spellings
    (``--opt VALUE`` or ``--opt=VALUE``) are all a start needs; building the full parser imports
    argparse and every command module. Anything else (a command, --help, --version, an
    abbreviation, a mistake) gives None and goes to the full parser, so help, error messages and
    exit statuses are exactly its own.
    """
    values: dict[str, str | bool | None] = {
        "workspace": None, "lang": None, "self_test": False, "command": None,
    }
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--self-test":
            values["self_test"] = True
            i += 1
            continue
        name, eq, value = arg.partition("=")
        dest = _GLOBAL_VALUES.get(name)
        if dest is None:
            return None
        if eq:
            i += 1
        elif i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            value = argv[i + 1]
            i += 2
        else:
            return None  # a missing value: the full parser says so
        if dest == "lang" and value not in _LANGUAGES:
            return None
        values[dest] = value
    return SimpleNamespace(**values)


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    args: argparse.Namespace | SimpleNamespace | None = parse_plain_start(given)
    if args is None:
        args = build_parser().parse_args(given)
    if args.self_test:
        return int(import_module("inspector_app.ui.selftest").run(args))
    if args.command is None:
        app = import_module("inspector_app.ui.app")
        return int(app.run(args))
    from inspector_app.cli.common import CommandFailed

    try:
        return int(args.func(args))
    except CommandFailed as exc:
        print(exc, file=sys.stderr)
        return exc.status


if __name__ == "__main__":
    sys.exit(main())
