"""``inspector-app forms check [PATH…]``: validate checklist definitions before they reach the field."""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK = 0
EXIT_INVALID_INPUT = 1  # the same numbers as inspector_app.cli.main, which imports this module


def register(subparsers: Any) -> None:
    forms = subparsers.add_parser("forms", help="检查表定义 / checklist definitions")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    check = forms_sub.add_parser(
        "check",
        help="校验检查表文件 / validate checklist files",
        description="校验检查表定义（YAML）。不给路径时校验随程序发布的全部检查表。",
    )
    check.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="检查表文件或目录（默认：程序自带的 forms 目录，或 INSPECTOR_FORMS_DIR）",
    )
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    from inspector_app.checklist import check_files, default_forms_dir, form_files

    paths = list(args.paths) or [default_forms_dir()]
    files = list(form_files(paths))
    problems = check_files(files)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} 个错误")
        return EXIT_INVALID_INPUT
    if not files:
        print("没有找到检查表文件")
        return EXIT_INVALID_INPUT
    print(f"{len(files)} 份检查表通过校验")
    return EXIT_OK
