"""``inspector-app login``, ``inspector-app sync`` and ``inspector-app sync export FILE``.

The password comes from a prompt, or from standard input when it is not a terminal (scripts).
Exit statuses: 0 done, 1 something was refused or is in conflict, 2 usage, 3 workspace,
4 the server could not be reached or the login is no longer valid (nothing was lost: run again).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_OFFLINE = 4


def register(subparsers: Any) -> None:
    login = subparsers.add_parser("login", help="登录办公室服务器 / log in to the office server")
    login.add_argument("--server", required=True, metavar="URL", help="例如 http://192.168.1.10:8765")
    login.add_argument("--user", required=True, metavar="NAME")
    login.set_defaults(func=run_login)

    sync = subparsers.add_parser("sync", help="与办公室同步 / sync with the office (push, then pull)")
    sync.add_argument("--user", metavar="NAME", help="本机有多个账号时指定账号")
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    export = sync_sub.add_parser("export", help="导出同步包（无网络时带到办公室导入）")
    export.add_argument("file", type=Path)
    export.add_argument("--user", metavar="NAME", dest="export_user")
    retry = sync_sub.add_parser(
        "retry-pulled", help="重新接收已隔离的接收记录 / apply again the pulled records set aside"
    )
    retry.add_argument("--user", metavar="NAME", dest="retry_user")
    sync.set_defaults(func=run_sync)


def _password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("密码 / password: ")
    return sys.stdin.readline().rstrip("\r\n")


def run_login(args: argparse.Namespace) -> int:
    from inspector_app.cli.common import open_workspace
    from inspector_app.sync.accounts import login
    from inspector_app.sync.client import SyncError

    ws = open_workspace(args)
    try:
        acct = login(ws, args.server, args.user, _password())
    except SyncError as exc:
        print(f"登录失败：{exc}", file=sys.stderr)
        return EXIT_OFFLINE
    finally:
        ws.close()
    in_keyring = acct.token_store == "keyring"  # noqa: S105 - names a place, not a secret
    where = "系统密钥环" if in_keyring else "工作区文件（本机没有可用的密钥环）"
    print(f"已登录：{acct.display_name}（{acct.username}，{acct.team or '无检查组'}），登录凭证保存在{where}")
    return EXIT_OK


def _account(ws: Any, name: str | None) -> str | None:
    from inspector_app.sync.accounts import accounts, get_account

    acct = get_account(ws, name)
    if acct is None:
        known = "、".join(a.username for a in accounts(ws))
        hint = f"（本机账号：{known}，请用 --user 指定）" if known else "，请先运行 inspector-app login"
        print(f"找不到账号{' ' + name if name else ''}{hint}", file=sys.stderr)
        return None
    return acct.username


def run_sync(args: argparse.Namespace) -> int:
    from inspector_app.cli.common import open_workspace

    ws = open_workspace(args)
    try:
        if args.sync_command == "export":
            return _export(ws, args)
        if args.sync_command == "retry-pulled":
            return _retry_pulled(ws, args)
        return _sync(ws, args)
    finally:
        ws.close()


def _export(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.sync.bundle import ExportRefused, export_bundle

    name = _account(ws, args.export_user or args.user)
    if name is None:
        return EXIT_USAGE
    try:
        summary = export_bundle(ws, name, args.file)
    except ExportRefused as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"已导出 {summary.visits} 条检查记录、{summary.edits} 条企业信息修改、"
        f"{summary.finding_events} 条隐患跟进、"
        f"{summary.files} 个文件到 {summary.path}"
    )
    if summary.missing_files:
        print(
            f"警告：本机缺少 {len(summary.missing_files)} 个文件，相关检查记录在办公室将显示为不完整",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    return EXIT_OK


def _retry_pulled(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.sync.engine import SyncEngine

    name = _account(ws, args.retry_user or args.user)
    if name is None:
        return EXIT_USAGE
    report = SyncEngine(ws, name).retry_pulled()
    if report.needs_login:
        print(f"{report.error}：请运行 inspector-app login", file=sys.stderr)
        return EXIT_OFFLINE
    if report.error:
        print(f"未能重新接收：{report.error}（隔离的记录仍在，稍后重试）", file=sys.stderr)
        return EXIT_OFFLINE
    print(f"重新接收 {report.changes_pulled} 条，仍隔离 {len(report.pulled_quarantined)} 条")
    for line in report.pulled_quarantined:
        print(f"仍隔离 {line}", file=sys.stderr)
    return EXIT_REFUSED if report.pulled_quarantined else EXIT_OK


def _number_warnings(ws: Any) -> list[str]:
    """The office's 执法文书 numbers this laptop lacks or is running out of, this year."""
    from datetime import UTC, datetime

    from inspector_app.domain.clock import local_date
    from inspector_app.services import documents

    with ws.session() as s:
        return documents.block_warnings(s, local_date(datetime.now(UTC)).year)


def _sync(ws: Any, args: argparse.Namespace) -> int:
    from inspector_app.sync.engine import SyncEngine
    from inspector_app.sync.report import SyncProgress

    name = _account(ws, args.user)
    if name is None:
        return EXIT_USAGE

    def progress(p: SyncProgress) -> None:
        if sys.stderr.isatty():
            print(f"\r{p.stage} {p.done}/{p.total}", end="", file=sys.stderr, flush=True)

    report = SyncEngine(ws, name).sync_once(progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"发送 {report.pushed} 条，确认送达 {report.sent} 条，冲突 {report.conflicts} 条，"
        f"隔离 {report.quarantined} 条，"
        f"待发送 {report.still_open} 条；接收变更 {report.changes_pulled} 条"
    )
    if report.clock_skew_seconds is not None and abs(report.clock_skew_seconds) > 300:
        print(
            f"提示：本机时钟与服务器相差 {report.clock_skew_seconds / 3600:+.1f} 小时，"
            "已记录，以服务器时间为准",
            file=sys.stderr,
        )
    if report.kept_for_unsynced_work:
        print(
            f"{len(report.kept_for_unsynced_work)} 家企业已调出本组，但有未同步的工作，暂时保留",
            file=sys.stderr,
        )
    for line in report.pulled_quarantined:
        # A pulled record this laptop would not take: set aside, the rest of the pull went on.
        print(f"已隔离接收到的记录 {line}", file=sys.stderr)
    for line in _number_warnings(ws):  # as the 同步 page says them
        print(f"提示：{line}", file=sys.stderr)
    if report.needs_login:
        print(f"{report.error}：请运行 inspector-app login", file=sys.stderr)
        return EXIT_OFFLINE
    if report.error:
        print(f"同步未完成：{report.error}（数据未丢失，稍后重试）", file=sys.stderr)
        return EXIT_OFFLINE
    return EXIT_REFUSED if report.conflicts or report.quarantined else EXIT_OK
