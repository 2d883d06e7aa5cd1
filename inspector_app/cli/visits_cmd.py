"""``inspector-app visits list`` and ``inspector-app export``: the visit records for the office."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from inspector_app.cli.common import CommandFailed, open_workspace, print_rows

VISIT_LIST_COLUMNS = (
    "started_at", "credit_code", "enterprise", "kind", "status", "inspectors", "findings", "id",
)
EXIT_CODES_HELP = """\
退出码 / exit status: 0 成功 / ok; 1 输入被拒绝 / refused; 2 用法错误 / usage; 3 工作区无法打开 / workspace
"""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def register(subparsers: Any) -> None:
    visits = subparsers.add_parser("visits", help="检查记录 / visits")
    sub = visits.add_subparsers(dest="visits_command", metavar="ACTION", required=True)
    lst = sub.add_parser(
        "list", help="列出检查记录 / print the visits", epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument("--enterprise", metavar="CODE", help="统一社会信用代码 / only this enterprise")
    lst.add_argument("--format", choices=("table", "csv", "json"), default="table")
    lst.set_defaults(func=run_list)

    export = subparsers.add_parser(
        "export",
        help="导出检查记录和隐患（XLSX）/ export visits and findings",
        description="把已完成的检查记录和隐患导出为 XLSX（两个工作表：检查记录、隐患），供街道办汇总。",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="输出文件")
    export.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="起始日期（含）")
    export.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="结束日期（含）")
    export.set_defaults(func=run_export)


def run_list(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_OK
    from inspector_app.services.export import list_visits

    ws = open_workspace(args)
    try:
        rows = list_visits(ws, enterprise_code=args.enterprise)
    finally:
        ws.close()
    print_rows(rows, VISIT_LIST_COLUMNS, args.format)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
    from inspector_app.services.errors import ServiceError
    from inspector_app.services.export import export_workbook

    if not str(args.output).lower().endswith(".xlsx"):
        raise CommandFailed(f"输出文件应以 .xlsx 结尾：{args.output}", EXIT_USAGE)
    ws = open_workspace(args)
    try:
        summary = export_workbook(ws, args.output, date_from=args.date_from, date_to=args.date_to)
    except ServiceError as exc:
        raise CommandFailed(f"导出失败：{exc}", EXIT_INVALID_INPUT) from exc
    finally:
        ws.close()
    print(f"已导出 {summary.visits} 条检查记录、{summary.findings} 条隐患到 {summary.path}")
    return EXIT_OK
