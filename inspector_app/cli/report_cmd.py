"""``inspector-app report``: print the official documents and summaries as PDF files."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from inspector_app.cli.common import CommandFailed, open_workspace


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="打印文书与统计报表（PDF）/ print documents and summaries")
    sub = parser.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    for kind, text in (
        ("record", "现场检查记录 / on-site inspection record"),
        ("notice", "责令限期整改通知书 / rectification notice"),
        ("recheck", "整改复查意见书 / re-inspection opinion"),
    ):
        p = sub.add_parser(kind, help=text)
        p.add_argument("visit_id", metavar="VISIT_ID")
        p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
        if kind == "recheck":
            p.add_argument(
                "--no-auto-notice",
                action="store_true",
                help="原检查未出具整改通知书时报错，而不是自动编号 / refuse instead of numbering the notice",
            )
        p.set_defaults(func=run)
    p = sub.add_parser("summary", help="检查工作日报/周报 / daily or weekly summary")
    p.add_argument("--from", dest="date_from", required=True, type=_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", required=True, type=_date, metavar="DATE")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--team", metavar="T")
    scope.add_argument("--grid", metavar="G")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=run)
    p = sub.add_parser("batch", help="某日全部现场检查记录 / all records of a day in one file")
    p.add_argument("--date", required=True, type=_date, metavar="DATE")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def run(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK
    from inspector_app.reports import api
    from inspector_app.reports.data import ReportError

    ws = open_workspace(args, create=False)
    try:
        reporter = api.Reporter(ws)
        kind = args.report_kind
        out: Path = args.output
        if kind == "record":
            reporter.record(args.visit_id, out)
        elif kind == "notice":
            number = reporter.notice(args.visit_id, out)
            print(f"已出具责令限期整改通知书 {number}")
        elif kind == "recheck":
            result = reporter.recheck(args.visit_id, out, auto_issue_notice=not args.no_auto_notice)
            for ref in result.notices:
                if ref.auto_issued:
                    print(
                        f"注意：原检查未打印整改通知书，已为其编号 {ref.number}，请补打存档"
                        f"（inspector-app report notice）",
                        file=sys.stderr,
                    )
            print(f"已出具整改复查意见书 {result.number}")
        elif kind == "summary":
            reporter.summary(args.date_from, args.date_to, out, team=args.team, grid=args.grid)
        else:
            count = reporter.batch(args.date, out)
            print(f"{args.date.isoformat()} 共 {count} 份现场检查记录")
    except ReportError as exc:
        raise CommandFailed(str(exc), EXIT_INVALID_INPUT) from exc
    except OSError as exc:
        raise CommandFailed(f"无法写入 {args.output}：{exc}", EXIT_INVALID_INPUT) from exc
    finally:
        ws.close()
    print(f"已生成 {out}")
    return EXIT_OK
