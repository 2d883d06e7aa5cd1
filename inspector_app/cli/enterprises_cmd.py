"""``inspector-app enterprises import|list``: the enterprise register from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector_app.cli.common import CommandFailed, open_workspace, print_rows

EXIT_CODES_HELP = """\
退出码 / exit status:
  0  成功 / imported (with --skip-invalid: the good rows were imported)
  1  有不合格的行，未导入任何数据；或文件无法读取 / rows refused or file unreadable, nothing changed
  2  用法错误 / wrong usage
  3  工作区无法打开 / the workspace cannot be opened
"""

LIST_COLUMNS = ("credit_code", "name", "grid", "category", "status", "team", "address")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("enterprises", help="企业登记册 / the enterprise register")
    sub = parser.add_subparsers(dest="enterprises_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="导入企业名单（XLSX/CSV）/ import a register file",
        description=(
            "导入街道导出的企业名单（XLSX，或 UTF-8 / GB18030 编码的 CSV）。默认全部或全不：任何一行"
            "不合格则不导入，并列出每个不合格的行、列和原因。已有企业按统一社会信用代码更新，其检查记录不受影响。"
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE", help="XLSX 或 CSV 文件")
    imp.add_argument(
        "--skip-invalid", action="store_true",
        help="导入合格的行，跳过并报告不合格的行 / import the good rows, report the rest",
    )
    imp.set_defaults(func=run_import)

    lst = sub.add_parser(
        "list", help="列出企业 / print the register", epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument("--format", choices=("table", "csv", "json"), default="table")
    lst.add_argument("--grid", metavar="G", help="只列出该网格 / only this grid")
    lst.add_argument(
        "--search", metavar="Q", help="名称、信用代码、地址或拼音首字母 / name, code, address, pinyin",
    )
    lst.add_argument("--limit", type=int, metavar="N", help="最多列出 N 家 / at most N rows")
    lst.set_defaults(func=run_list)


def run_import(args: argparse.Namespace) -> int:
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK
    from inspector_app.services.register import ImportFileError, ImportRefused, RegisterService
    from inspector_app.store.workspace import describe_sqlite_error

    ws = open_workspace(args)
    try:
        try:
            report = RegisterService(ws).import_file(args.file, skip_invalid=args.skip_invalid)
        except ImportFileError as exc:
            raise CommandFailed(f"无法导入：{exc}", EXIT_INVALID_INPUT) from exc
        except DBAPIError as exc:
            # A full disk (or a lost drive) in the middle: the import is one transaction, undone.
            orig = exc.orig
            words = describe_sqlite_error(ws.db_path, orig) if isinstance(orig, sqlite3.Error) else None
            if words is None:
                raise
            undone = "导入失败，已全部撤销，工作区保持导入前的样子"
            raise CommandFailed(f"{undone}：{words}", EXIT_INVALID_INPUT) from exc
        except ImportRefused as exc:
            for problem in exc.report.problems:
                print(problem, file=sys.stderr)
            print(f"{exc}。可修改后重新导入，或使用 --skip-invalid 只导入合格的行。", file=sys.stderr)
            return EXIT_INVALID_INPUT
    finally:
        ws.close()
    for problem in report.problems:
        print(f"已跳过 {problem}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_OK
    from inspector_app.services.register import RegisterService

    ws = open_workspace(args)
    try:
        rows = RegisterService(ws).list_rows(grid=args.grid, search=args.search, limit=args.limit)
    finally:
        ws.close()
    print_rows(rows, LIST_COLUMNS, args.format)
    return EXIT_OK
