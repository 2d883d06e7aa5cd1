"""``inspector-app report``: print the official documents and summaries as PDF files."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_app.cli.common import CommandFailed, open_workspace

if TYPE_CHECKING:
    from inspector_app.services.context import AppServices


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="打印文书与统计报表（PDF）/ print documents and summaries")
    sub = parser.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    for kind, text in (
        ("record", "现场检查记录 / on-site inspection record"),
        ("notice", "责令整改文书（指令书/通知书/决定书）及送达回证 / the orders served, with receipts"),
        ("recheck", "整改复查意见书 / re-inspection opinion"),
    ):
        p = sub.add_parser(kind, help=text)
        p.add_argument("visit_id", metavar="VISIT_ID")
        p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
        p.add_argument(
            "--blank-signatures",
            action="store_true",
            help="签名栏留空，供现场手写签名 / leave signature boxes empty for wet ink",
        )
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
    p = sub.add_parser("settings", help="发文机关设置 / the issuing authority printed on documents")
    p.add_argument("--unit", help="发文机关全称 / full name")
    p.add_argument("--short", help="发文机关简称，用于文号（） / short name in the number")
    p.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="KIND=代字",
        help="文书代字，如 record=应急检记 / document code per kind (repeatable)",
    )
    p.add_argument("--authorization", help="执法依据（授权文件） / authorization basis")
    p.add_argument("--review-body", help="复议机关 / administrative review body")
    p.add_argument("--court", help="人民法院 / court")
    p.add_argument("--seal", type=Path, metavar="IMAGE", help="印章图片 / seal image (PNG)")
    p.set_defaults(func=run_settings)
    p = sub.add_parser("batch", help="某日全部现场检查记录 / all records of a day in one file")
    p.add_argument("--date", required=True, type=_date, metavar="DATE")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def open_services(args: argparse.Namespace) -> AppServices:
    """The workspace as the GUI opens it (services.context.AppServices), not created if missing."""
    from inspector_app.cli.main import EXIT_WORKSPACE
    from inspector_app.services.context import AppServices
    from inspector_app.store.workspace import WorkspaceError, default_workspace_dir

    root = default_workspace_dir(getattr(args, "workspace", None))
    try:
        return AppServices.open(root, create=False)
    except WorkspaceError as exc:
        raise CommandFailed(f"无法打开工作区：{exc}", EXIT_WORKSPACE) from exc


def run(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK
    from inspector_app.reports.data import ReportError
    from inspector_app.services.report_data import Reporter

    # The GUI's start-up path: the workspace with its forms overlay (checklists the office
    # published and a sync received), so a visit made with such a form prints its labels.
    services = open_services(args)
    try:
        reporter = Reporter(services.workspace, services.forms)
        kind = args.report_kind
        out: Path = args.output
        blank = bool(getattr(args, "blank_signatures", False))
        if kind == "record":
            reporter.record(args.visit_id, out, blank_signatures=blank)
        elif kind == "notice":
            numbers = reporter.notice(args.visit_id, out, blank_signatures=blank)
            print(f"已出具{numbers}")
        elif kind == "recheck":
            result = reporter.recheck(
                args.visit_id, out, auto_issue_notice=not args.no_auto_notice, blank_signatures=blank
            )
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
        services.close()
    print(f"已生成 {out}")
    return EXIT_OK


def run_settings(args: argparse.Namespace) -> int:
    """Show or change the issuing authority; prints what each document kind still lacks."""
    from datetime import datetime

    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK
    from inspector_app.domain.enforcement import DOC_SPECS
    from inspector_app.services import settings

    ws = open_workspace(args, create=False)
    try:
        current = settings.read(ws)
        codes = dict(current.doc_codes or {})
        for entry in args.code:
            kind, sep, code = entry.partition("=")
            if not sep or kind not in {k.value for k in DOC_SPECS}:
                raise CommandFailed(
                    f"--code {entry}：应为 种类=代字，种类为 {', '.join(DOC_SPECS)}", EXIT_INVALID_INPUT
                )
            codes[kind] = code
        changed = settings.DocumentSettings(
            args.unit if args.unit is not None else current.issuing_unit,
            current.seal_sha256,
            args.short if args.short is not None else current.number_prefix,
            codes,
            args.authorization if args.authorization is not None else current.authorization,
            args.review_body if args.review_body is not None else current.review_body,
            args.court if args.court is not None else current.court,
        )
        try:
            settings.write(ws, changed)
            if args.seal is not None:
                settings.set_seal_image(ws, args.seal, now=datetime.now().astimezone())
        except (ValueError, OSError) as exc:
            raise CommandFailed(f"发文机关设置未保存：{exc}", EXIT_INVALID_INPUT) from exc
        authority = settings.read(ws).authority()
        print(
            f"发文机关：{authority.full_name or '（未设置）'}　简称：{authority.short_name or '（未设置）'}"
        )
        for kind, spec in DOC_SPECS.items():
            missing = authority.missing_for(kind)
            state = "可以出具" if not missing else "缺少 " + "、".join(missing)
            print(f"  {spec.title}（{authority.code(kind) or '—'}）：{state}")
    finally:
        ws.close()
    return EXIT_OK
