"""``inspector-central``: run the office server and administer it.

Passwords are read from a prompt, or from standard input when it is not a terminal, so scripts
can pipe them in and they never appear in the process list or the shell history.

Exit statuses: 0 success, 1 refused (the message says why), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin, auth
from inspector_app.wire import Role

EXIT_OK = 0
EXIT_REFUSED = 1
DEFAULT_PRUNE_DAYS = 7


def read_password(prompt: str = "密码 / password: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再输入一次 / again: ") != first:
            raise admin.AdminError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def build_parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one flat table of every command
    p = argparse.ArgumentParser(
        prog="inspector-central", description="检查工作台办公室服务器 / office server"
    )
    p.add_argument("--data-dir", help="数据目录（照片、默认 SQLite 数据库）")
    p.add_argument(
        "--database-url", help="例如 postgresql+psycopg://user@host/db（默认：数据目录中的 SQLite 文件）"
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("serve", help="运行服务器")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--no-migrate", action="store_true", help="启动前不自动升级数据库")
    s.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="升级数据库结构").set_defaults(func=cmd_migrate)

    users = sub.add_parser("users", help="用户").add_subparsers(dest="action", required=True)
    a = users.add_parser("add", help="新增用户（密码从提示或标准输入读取）")
    a.add_argument("username")
    a.add_argument("--role", choices=[r.value for r in Role], required=True)
    a.add_argument("--team")
    a.add_argument("--badge", default="", help="执法证号")
    a.add_argument("--name", default="", help="姓名")
    a.set_defaults(func=cmd_users_add)
    for name, func in (
        ("disable", cmd_users_disable),
        ("enable", cmd_users_enable),
        ("passwd", cmd_users_passwd),
    ):
        x = users.add_parser(name)
        x.add_argument("username")
        x.set_defaults(func=func)
    users.add_parser("list").set_defaults(func=cmd_users_list)
    mv = users.add_parser("move", help="调到另一个检查组（其笔记本重新同步并清除原组企业）")
    mv.add_argument("username")
    mv.add_argument("--team", required=True)
    mv.set_defaults(func=cmd_users_move)

    devices = sub.add_parser("devices", help="设备登录").add_subparsers(dest="action", required=True)
    r = devices.add_parser("revoke", help="注销用户在某台（或全部）设备上的登录")
    r.add_argument("username")
    r.add_argument("--device")
    r.set_defaults(func=cmd_devices_revoke)

    teams = sub.add_parser("teams", help="检查组").add_subparsers(dest="action", required=True)
    ta = teams.add_parser("add")
    ta.add_argument("name")
    ta.set_defaults(func=cmd_teams_add)

    grids = sub.add_parser("grids", help="网格").add_subparsers(dest="action", required=True)
    ga = grids.add_parser("add", help="新增网格，可指定负责的检查组（网格内企业随之分配）")
    ga.add_argument("name")
    ga.add_argument("--team")
    ga.set_defaults(func=cmd_grids_add)

    ents = sub.add_parser("enterprises", help="企业名录").add_subparsers(dest="action", required=True)
    ei = ents.add_parser("import", help="导入企业名录（XLSX/CSV，与桌面端同一读取器）")
    ei.add_argument("file", type=Path)
    ei.add_argument("--team", help="新企业分配给该组（默认按网格）")
    ei.set_defaults(func=cmd_enterprises_import)

    asg = sub.add_parser("assign", help="把网格或企业分配给检查组")
    asg.add_argument("--team", required=True)
    asg.add_argument("--grid")
    asg.add_argument("codes", nargs="*", metavar="CREDIT_CODE")
    asg.set_defaults(func=cmd_assign)
    una = sub.add_parser("unassign", help="取消企业的分配")
    una.add_argument("codes", nargs="+", metavar="CREDIT_CODE")
    una.set_defaults(func=cmd_unassign)

    forms = sub.add_parser("forms", help="检查表").add_subparsers(dest="action", required=True)
    fp = forms.add_parser("publish", help="发布检查表版本（先校验）")
    fp.add_argument("files", nargs="+", type=Path)
    fp.set_defaults(func=cmd_forms_publish)

    conf = sub.add_parser("conflicts", help="企业信息修改冲突").add_subparsers(dest="action", required=True)
    conf.add_parser("list").set_defaults(func=cmd_conflicts_list)
    cr = conf.add_parser("resolve")
    cr.add_argument("edit_id")
    cr.add_argument("--keep", choices=["field", "office"], required=True)
    cr.add_argument("--note", default="")
    cr.set_defaults(func=cmd_conflicts_resolve)

    uploads = sub.add_parser("uploads", help="文件上传").add_subparsers(dest="action", required=True)
    up = uploads.add_parser("prune", help="删除长期未续传的不完整上传（serve 启动时也会执行一次）")
    up.add_argument(
        "--older-than-days",
        type=int,
        default=DEFAULT_PRUNE_DAYS,
        metavar="N",
        help=f"超过 N 天未续传（默认 {DEFAULT_PRUNE_DAYS}）",
    )
    up.set_defaults(func=cmd_uploads_prune)

    sync = sub.add_parser("sync", help="离线同步包").add_subparsers(dest="action", required=True)
    si = sync.add_parser("import", help="导入检查工作台导出的同步包")
    si.add_argument("file", type=Path)
    si.set_defaults(func=cmd_sync_import)
    # The office console's commands (demo office, read-model backfill) live with the console.
    from inspector_app.central.console.commands import add_commands

    add_commands(sub, settings_from)
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.data_dir:
        overrides["data_dir"] = Path(args.data_dir)
    if args.database_url:
        overrides["database_url"] = args.database_url
    return Settings(**overrides)  # type: ignore[arg-type]


def _db(args: argparse.Namespace) -> Database:
    settings = settings_from(args)
    migrate.upgrade(settings.url)
    return Database(settings.url)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from inspector_app.central.api.app import create_app

    settings = settings_from(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # a fresh machine has no data folder yet
    if not args.no_migrate:
        migrate.upgrade(settings.url)
    prune_uploads(settings, DEFAULT_PRUNE_DAYS)
    print(f"办公室控制台 / office console: http://{args.host}:{args.port}/console/")
    print(f"数据目录 / data folder: {settings.data_dir}")
    print("第一个管理员 / first admin: inspector-central users add admin --role admin")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    migrate.upgrade(settings.url)
    print(f"数据库已是最新结构（{migrate.current_revision(settings.url)}）")
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    password = read_password()
    db = _db(args)
    with db.write() as conn:
        admin.add_user(
            conn,
            args.username,
            password,
            Role(args.role),
            team=args.team,
            badge_number=args.badge,
            display_name=args.name,
        )
    print(f"已新增用户 {args.username}（{args.role}）")
    return EXIT_OK


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    db = _db(args)
    with db.write() as conn:
        admin.set_disabled(conn, args.username, disabled)
        if disabled:
            auth.revoke_device(conn, args.username)
    print(f"用户 {args.username} 已{'停用' if disabled else '启用'}")
    return EXIT_OK


def cmd_users_disable(args: argparse.Namespace) -> int:
    return _set_disabled(args, True)


def cmd_users_enable(args: argparse.Namespace) -> int:
    return _set_disabled(args, False)


def cmd_users_passwd(args: argparse.Namespace) -> int:
    password = read_password()
    with _db(args).write() as conn:
        admin.set_password(conn, args.username, password)
    print(f"用户 {args.username} 的密码已更改")
    return EXIT_OK


def cmd_users_move(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.set_team(conn, args.username, args.team)
    print(f"用户 {args.username} 已调到 {args.team}")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    with _db(args).read() as conn:
        for u in admin.list_users(conn):
            state = "停用" if u["disabled"] else "正常"
            print(
                "\t".join(
                    [u["username"], u["display_name"], u["badge_number"], u["role"], u["team"] or "-", state]
                )
            )
    return EXIT_OK


def cmd_devices_revoke(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        try:
            n = auth.revoke_device(conn, args.username, args.device)
        except auth.AuthError as exc:
            raise admin.AdminError(str(exc)) from exc
    print(f"已注销 {n} 个登录")
    return EXIT_OK


def cmd_teams_add(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.ensure_team(conn, args.name)
    print(f"检查组 {args.name} 已就绪")
    return EXIT_OK


def cmd_grids_add(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        n = admin.add_grid(conn, args.name, args.team)
    print(f"网格 {args.name} 已就绪" + (f"，{n} 家企业分配给 {args.team}" if args.team else ""))
    return EXIT_OK


def cmd_enterprises_import(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        summary = admin.import_enterprises(conn, args.file, team=args.team)
    if summary.problems:
        for problem in summary.problems[:50]:
            print(problem, file=sys.stderr)
        print(f"未导入：{len(summary.problems)} 处数据不合格", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"新增 {summary.inserted} 家，更新 {summary.updated} 家，未变 {summary.unchanged} 家，"
        f"分配 {summary.assigned} 家"
    )
    return EXIT_OK


def cmd_assign(args: argparse.Namespace) -> int:
    if not args.grid and not args.codes:
        raise admin.AdminError("请给出 --grid 或企业信用代码")
    with _db(args).write() as conn:
        n = admin.add_grid(conn, args.grid, args.team) if args.grid else 0
        n += admin.assign_codes(conn, args.team, args.codes) if args.codes else 0
    print(f"已分配 {n} 家企业给 {args.team}")
    return EXIT_OK


def cmd_unassign(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        n = admin.unassign_codes(conn, args.codes)
    print(f"已取消 {n} 家企业的分配")
    return EXIT_OK


def cmd_forms_publish(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        for path in args.files:
            code, version, new = admin.publish_form(conn, path)
            print(f"{code} {version}：{'已发布' if new else '此前已发布，未变'}")
    return EXIT_OK


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    with _db(args).read() as conn:
        rows = admin.list_conflicts(conn)
    print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    return EXIT_OK


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.resolve_conflict(conn, args.edit_id, args.keep, args.note)
    print(f"已裁定 {args.edit_id}：采用{'现场' if args.keep == 'field' else '办公室'}数据")
    return EXIT_OK


def prune_uploads(settings: Settings, days: int) -> int:
    """Remove incomplete uploads not touched for ``days`` days; returns how many."""
    from datetime import timedelta

    from inspector_app.central.logic.files import FileStore

    store = FileStore(settings.files_dir, settings.uploads_dir)
    return len(store.prune_uploads(timedelta(days=days), auth.now_utc()))


def cmd_uploads_prune(args: argparse.Namespace) -> int:
    if args.older_than_days < 0:
        raise admin.AdminError("--older-than-days 不能为负数")
    n = prune_uploads(settings_from(args), args.older_than_days)
    print(f"已删除 {n} 个超过 {args.older_than_days} 天未续传的不完整上传")
    return EXIT_OK


def cmd_sync_import(args: argparse.Namespace) -> int:
    from inspector_app.central.logic.bundles import import_bundle
    from inspector_app.central.logic.files import FileStore
    from inspector_app.wire.bundle import BundleError

    settings = settings_from(args)
    db = _db(args)
    try:
        results = import_bundle(db, FileStore(settings.files_dir, settings.uploads_dir), args.file)
    except BundleError as exc:
        raise admin.AdminError(str(exc)) from exc
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
        if r.status.value in {"conflict", "rejected"} or r.missing:
            lacking = f"缺少文件 {len(r.missing)} 个" if r.missing else ""
            print(f"{r.entity} {r.id}: {r.status.value} {r.reason} {lacking}", file=sys.stderr)
    print("，".join(f"{k} {v}" for k, v in sorted(counts.items())) or "同步包中没有记录")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except admin.AdminError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
