"""``inspector-central``: run the office server and administer it.

Passwords are read from a prompt, or from standard input when it is not a terminal, so scripts
can pipe them in and they never appear in the process list or the shell history.

Exit statuses: 0 success, 1 refused (the message says why), 2 wrong usage, 3 the data folder or
the database cannot be used (missing, read-only, full, unreachable): nothing was changed.

Everything this command creates (data folder, database, files, backups, logs) is private to the
account running it (umask 077).
"""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database, private_dir, sqlite_path
from inspector_app.central.logic import admin, audit, auth, backup, throttle
from inspector_app.wire import Role

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_UNAVAILABLE = 3
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
    s.add_argument("--certfile", type=Path, help="TLS 证书（PEM）：直接以 https 提供服务")
    s.add_argument("--keyfile", type=Path, help="TLS 私钥（PEM），与 --certfile 一起使用")
    s.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="信任其 X-Forwarded-For 的反向代理地址（默认本机；见 docs/deployment.md）",
    )
    s.add_argument(
        "--workers",
        type=_workers,
        default=default_workers(),
        help=f"工作进程数（默认按处理器核数：{default_workers()}）/ worker processes",
    )
    s.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="升级数据库结构").set_defaults(func=cmd_migrate)

    users = sub.add_parser("users", help="用户").add_subparsers(dest="action", required=True)
    a = users.add_parser("add", help="新增用户（密码从提示或标准输入读取）")
    a.add_argument("username")
    a.add_argument("--role", choices=[r.value for r in Role], required=True)
    a.add_argument("--team")
    a.add_argument("--badge", default="", help="执法证号（检查员和组长必填，每人唯一）")
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
    b = users.add_parser("badge", help="更改执法证号（每人唯一）")
    b.add_argument("username")
    b.add_argument("badge")
    b.set_defaults(func=cmd_users_badge)
    ul = users.add_parser("unlock", help="解除因多次密码错误造成的登录锁定")
    ul.add_argument("username")
    ul.set_defaults(func=cmd_users_unlock)
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

    au = sub.add_parser("audit", help="审计记录：登录、推送、同步包导入、管理操作（新的在前）")
    au.add_argument("--action", help="只看某类操作，例如 login.failed 或 admin")
    au.add_argument("--user", help="只看与该用户有关的记录")
    au.add_argument("--since", type=datetime.fromisoformat, help="从此时起（ISO 时间，例如 2026-11-30）")
    au.add_argument("--failed", action="store_true", help="只看失败或被拒绝的")
    au.add_argument("--limit", type=int, default=100)
    au.add_argument("--format", choices=["table", "json"], default="table")
    au.set_defaults(func=cmd_audit)

    bk = sub.add_parser("backup", help="备份数据库与全部文件到一个新目录（服务器运行时也可）")
    bk.add_argument("dest", type=Path)
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="从备份恢复数据库与文件（先停止服务器）")
    rs.add_argument("src", type=Path)
    rs.add_argument("--force", action="store_true", help="当前数据库已有数据时仍然恢复（替换之）")
    rs.set_defaults(func=cmd_restore)

    sync = sub.add_parser("sync", help="离线同步包").add_subparsers(dest="action", required=True)
    si = sync.add_parser(
        "import",
        help="导入检查工作台导出的同步包（先核实并显示来源；须以 --from 写明来源账号，或在终端中确认）",
    )
    si.add_argument("file", type=Path)
    si.add_argument(
        "--from",
        dest="from_user",
        metavar="USER",
        help="确认同步包来自该账号（与核实出的来源不符则不导入）；非交互运行时必须给出",
    )
    si.set_defaults(func=cmd_sync_import)
    # The office console's commands (demo office, read-model backfill) live with the console.
    from inspector_app.central.console.commands import add_commands

    add_commands(sub, settings_from)
    return p


MAX_WORKERS = 32


def default_workers() -> int:
    """One worker per core (the server's work is CPU-bound Python), at most 4: each costs memory
    and, on PostgreSQL, up to 15 connections."""
    return max(1, min(os.cpu_count() or 1, 4))


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"工作进程数须为整数：{text!r}") from None
    if not 1 <= n <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"工作进程数须在 1 到 {MAX_WORKERS} 之间：{n}")
    return n


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.data_dir:
        overrides["data_dir"] = Path(args.data_dir)
    if args.database_url:
        overrides["database_url"] = args.database_url
    return Settings(**overrides)  # type: ignore[arg-type]


def _db(args: argparse.Namespace) -> Database:
    settings = settings_from(args)
    private_dir(settings.data_dir)
    migrate.upgrade(settings.url)
    return Database(settings.url)


def _actor() -> str:
    try:
        return f"{audit.LOCAL_ACTOR}:{getpass.getuser()}"
    except (KeyError, OSError):
        return audit.LOCAL_ACTOR


def _audit(conn: Connection, action: str, subject: str = "", detail: str = "", ok: bool = True) -> None:
    audit.record(conn, action, ok=ok, actor=_actor(), subject=subject, detail=detail)


def _global_options(args: argparse.Namespace) -> str:
    """The options this command was given before its name, to repeat in the hints it prints."""
    out = ""
    if args.data_dir:
        out += f" --data-dir {args.data_dir}"
    if args.database_url:
        out += " --database-url …"
    return out


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from inspector_app.central.api.serving import NoDelayH11Protocol

    if (args.certfile is None) != (args.keyfile is None):
        raise admin.AdminError("--certfile 与 --keyfile 须一起给出")
    for tls_file in (args.certfile, args.keyfile):
        if tls_file is not None and not tls_file.is_file():
            raise admin.AdminError(f"找不到 TLS 文件 {tls_file}")
    settings = settings_from(args)
    private_dir(settings.data_dir)
    if not args.no_migrate:
        migrate.upgrade(settings.url)
    prune_uploads(settings, DEFAULT_PRUNE_DAYS)
    db = Database(settings.url)
    with db.read() as conn:
        has_admin = conn.execute(
            select(t.users.c.id).where(t.users.c.role == Role.ADMIN.value, t.users.c.disabled.is_(False))
        ).first()
    scheme = "https" if args.certfile else "http"
    host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host  # noqa: S104 - naming, not binding
    base = f"{scheme}://{host}:{args.port}"
    lines = [
        "检查工作台办公室服务器 inspector-central",
        f"  数据目录 data folder : {settings.data_dir}",
        f"  数据库 database      : {_describe_url(settings.url)}",
        f"  办公室控制台 console : {base}/console/",
        f"  服务地址 server URL  : {base}   （笔记本登录时填写 / laptops log in here）",
        f"  接口文档 API docs    : {base}/docs   （仅本机或管理员 / this machine or admins）",
        f"  访问日志 access log  : {settings.access_log}",
        f"  工作进程 workers     : {args.workers}",
    ]
    if not has_admin:
        lines += [
            "  还没有管理员。新建第一个管理员 / no admin yet, create the first one:",
            f"    inspector-central{_global_options(args)} users add admin --role admin --name 管理员",
        ]
    if args.certfile is None and not _loopback(args.host):
        lines += [
            "  注意：以明文 HTTP 对外提供服务，密码和记录可被截获。请用 --certfile/--keyfile 或反向代理",
            "  warning: plain HTTP on a network address; use --certfile/--keyfile or a TLS proxy",
            "  （见 / see docs/deployment.md）",
        ]
    print("\n".join(lines), flush=True)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "warning",
        "ssl_certfile": str(args.certfile) if args.certfile else None,
        "ssl_keyfile": str(args.keyfile) if args.keyfile else None,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "proxy_headers": True,
        "http": NoDelayH11Protocol,
        # A laptop's connection waits between calls while it reads and writes its workspace (and
        # 50 laptops logging in at once keep each other waiting): closing an idle connection after
        # uvicorn's 5 s races the laptop's next request on it (a reset, a failed sync).
        "timeout_keep_alive": 30,
    }
    if args.workers == 1:
        from inspector_app.central.api.app import create_app

        app = create_app(settings, db=db)
        try:
            uvicorn.run(app, **options)
        finally:
            db.dispose()
        return EXIT_OK
    db.dispose()
    # Each worker process builds its own app (app.py's worker_app) from these settings: the
    # environment is how uvicorn's workers, started afresh, learn what this command was given.
    os.environ["INSPECTOR_CENTRAL_DATA_DIR"] = str(settings.data_dir)
    os.environ["INSPECTOR_CENTRAL_DATABASE_URL"] = settings.url
    uvicorn.run(
        "inspector_app.central.api.app:worker_app", factory=True, workers=args.workers, **options
    )
    return EXIT_OK


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe_url(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return f"SQLite {path}"
    return make_url(url).render_as_string(hide_password=True)


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
        _audit(conn, audit.USER_ADDED, args.username, f"角色 {args.role}，检查组 {args.team or '-'}")
    print(f"已新增用户 {args.username}（{args.role}）")
    return EXIT_OK


def _set_disabled(args: argparse.Namespace, disabled: bool) -> int:
    db = _db(args)
    with db.write() as conn:
        admin.set_disabled(conn, args.username, disabled)
        _audit(conn, audit.USER_DISABLED if disabled else audit.USER_ENABLED, args.username)
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
        _audit(conn, audit.PASSWORD_CHANGED, args.username, "全部设备上的登录已注销")
    print(f"用户 {args.username} 的密码已更改，其全部设备上的登录已注销")
    return EXIT_OK


def cmd_users_move(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.set_team(conn, args.username, args.team)
        _audit(conn, audit.USER_MOVED, args.username, f"调到 {args.team}")
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
        _audit(conn, audit.DEVICE_REVOKED, args.username, f"设备 {args.device or '全部'}，注销 {n} 个登录")
    print(f"已注销 {n} 个登录")
    return EXIT_OK


def cmd_teams_add(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.ensure_team(conn, args.name)
        _audit(conn, audit.TEAM_ADDED, args.name)
    print(f"检查组 {args.name} 已就绪")
    return EXIT_OK


def cmd_grids_add(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        n = admin.add_grid(conn, args.name, args.team)
        _audit(conn, audit.GRID_ADDED, args.name, f"检查组 {args.team or '-'}，分配 {n} 家")
    print(f"网格 {args.name} 已就绪" + (f"，{n} 家企业分配给 {args.team}" if args.team else ""))
    return EXIT_OK


def cmd_enterprises_import(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        summary = admin.import_enterprises(conn, args.file, team=args.team)
        _audit(
            conn,
            audit.REGISTER_IMPORTED,
            args.file.name,
            f"新增 {summary.inserted}，更新 {summary.updated}，未变 {summary.unchanged}，"
            f"不合格 {len(summary.problems)}",
            ok=not summary.problems,
        )
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
        _audit(conn, audit.ASSIGNED, args.team, f"网格 {args.grid or '-'}，{n} 家企业")
    print(f"已分配 {n} 家企业给 {args.team}")
    return EXIT_OK


def cmd_unassign(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        n = admin.unassign_codes(conn, args.codes)
        _audit(conn, audit.UNASSIGNED, "", f"{n} 家企业：{'、'.join(args.codes[:20])}")
    print(f"已取消 {n} 家企业的分配")
    return EXIT_OK


def cmd_forms_publish(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        for path in args.files:
            code, version, new = admin.publish_form(conn, path)
            _audit(conn, audit.FORM_PUBLISHED, f"{code}@{version}", "新版本" if new else "此前已发布")
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
        _audit(conn, audit.CONFLICT_RESOLVED, args.edit_id, f"采用 {args.keep}")
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
    from inspector_app.central.logic.bundles import import_bundle, verify_bundle
    from inspector_app.central.logic.files import FileStore
    from inspector_app.wire.bundle import BundleError

    settings = settings_from(args)
    db = _db(args)

    def refuse(reason: str) -> admin.AdminError:
        with db.write() as conn:
            _audit(conn, audit.BUNDLE_IMPORT, args.file.name, f"拒绝：{reason}", ok=False)
        return admin.AdminError(reason)

    try:
        author = verify_bundle(db, args.file)
    except BundleError as exc:
        raise refuse(str(exc)) from exc
    # Who it verifiably comes from, before anything is imported: the office confirms that.
    print(author.describe())
    _confirm_author(args, author.username, author.display_name, refuse)
    try:
        results = import_bundle(
            db, FileStore(settings.files_dir, settings.uploads_dir), args.file, expect_account=author.username
        )
    except BundleError as exc:
        raise refuse(str(exc)) from exc
    with db.write() as conn:
        tally: dict[str, int] = {}
        for r in results:
            tally[r.status.value] = tally.get(r.status.value, 0) + 1
        _audit(conn, audit.BUNDLE_IMPORT, args.file.name, json.dumps(tally, ensure_ascii=False))
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
        if r.status.value in {"conflict", "rejected"} or r.missing:
            lacking = f"缺少文件 {len(r.missing)} 个" if r.missing else ""
            print(f"{r.entity} {r.id}: {r.status.value} {r.reason} {lacking}", file=sys.stderr)
    print("，".join(f"{k} {v}" for k, v in sorted(counts.items())) or "同步包中没有记录")
    return EXIT_OK


def _confirm_author(
    args: argparse.Namespace, username: str, display_name: str, refuse: Any
) -> None:
    """The office says who it expects the bundle from: ``--from USER``, or y at the prompt of a
    terminal. Without either (a script, a pipe) nothing is imported."""
    if args.from_user is not None:
        if args.from_user != username:
            raise refuse(
                f"{args.file}：同步包经核实来自 {username}（{display_name}），不是 --from 给出的 "
                f"{args.from_user}，未导入"
            )
        return
    if not sys.stdin.isatty():
        raise refuse(
            f"{args.file}：未确认来源，未导入。核实无误后请加上 --from {username} 再导入"
            "（在终端中运行时也可按提示确认）"
        )
    try:
        answer = input(f"确认导入来自 {display_name}（{username}）的同步包？[y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in {"y", "yes", "是"}:
        raise refuse(f"{args.file}：未确认来源，未导入")


def cmd_users_badge(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        admin.set_badge(conn, args.username, args.badge)
        _audit(conn, audit.BADGE_CHANGED, args.username, f"执法证号 {args.badge}")
    print(f"用户 {args.username} 的执法证号已改为 {args.badge}")
    return EXIT_OK


def cmd_users_unlock(args: argparse.Namespace) -> int:
    with _db(args).write() as conn:
        if conn.execute(select(t.users.c.id).where(t.users.c.username == args.username)).first() is None:
            raise admin.AdminError(f"没有用户 {args.username}")
        throttle.unlock(conn, args.username, _actor())
    print(f"用户 {args.username} 的登录锁定已解除")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    with _db(args).read() as conn:
        rows = audit.entries(
            conn,
            action=args.action,
            user=args.user,
            since=args.since,
            failed_only=args.failed,
            limit=args.limit,
        )
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        print(
            "\t".join(
                [
                    r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    r.action,
                    "成功" if r.ok else "失败",
                    r.actor or "-",
                    r.subject or "-",
                    r.address or "-",
                    r.detail,
                ]
            )
        )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        summary = backup.backup(settings, args.dest)
    except backup.BackupError as exc:
        raise admin.AdminError(str(exc)) from exc
    db = Database(settings.url)
    try:
        with db.write() as conn:
            _audit(conn, audit.BACKUP, str(args.dest), f"{summary.files} 个文件，{summary.bytes} 字节")
    finally:
        db.dispose()
    print(
        f"已备份到 {summary.folder}：{summary.backend} 数据库（{summary.revision}），{summary.files} 个文件"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    private_dir(settings.data_dir)
    try:
        summary = backup.restore(settings, args.src, force=args.force)
    except backup.BackupError as exc:
        raise admin.AdminError(str(exc)) from exc
    db = Database(settings.url)
    try:
        with db.write() as conn:
            _audit(conn, audit.RESTORE, str(args.src), f"{summary.files} 个文件")
    finally:
        db.dispose()
    print(f"已从 {args.src} 恢复：{summary.backend} 数据库（{summary.revision}），{summary.files} 个文件")
    return EXIT_OK


def _unavailable(exc: BaseException, args: argparse.Namespace) -> str:
    """What went wrong with the data folder or the database, in words an office can act on."""
    try:
        settings = settings_from(args)
        where = _describe_url(settings.url)
        folder = str(settings.data_dir)
    except Exception:  # the settings themselves are what is broken
        where = folder = "?"
    text = str(getattr(exc, "orig", None) or exc)
    code = getattr(exc, "errno", None)
    lowered = text.lower()
    full = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
    if code in full or "disk is full" in lowered or "no space" in lowered:
        return f"磁盘已满（{where}）：本次操作未完成，已写入的部分已回滚。请腾出空间后重试。"
    if code in {errno.EROFS} or "readonly" in lowered or "read-only" in lowered:
        return f"数据库或数据目录是只读的（{where}）：请检查文件权限和磁盘挂载方式。未做任何修改。"
    if code in {errno.EACCES, errno.EPERM} or "permission denied" in lowered:
        return f"无权访问数据目录或数据库（{folder}）：{text}"
    if isinstance(exc, OSError) and exc.filename:
        return f"无法创建或使用 {exc.filename}（{exc.strerror}）：请检查 --data-dir 所指的目录。"
    if "unable to open database file" in lowered:
        return f"无法打开数据库（{where}）：目录不存在或无权访问。请检查 --data-dir。"
    if "not a database" in lowered or "malformed" in lowered:
        return f"{where} 不是可用的数据库文件（已损坏或不是本程序的数据库）。未做任何修改。"
    if "disk i/o error" in lowered:
        return (
            f"读写数据库时磁盘出错（{where}）：磁盘已满或出了故障，本次操作已回滚。"
            "请检查磁盘空间与磁盘本身。"
        )
    if "connection" in lowered or "could not connect" in lowered:
        return f"无法连接数据库（{where}）：{text.strip().splitlines()[0] if text.strip() else ''}"
    return f"无法使用数据目录或数据库（{where}）：{text.strip()[:300]}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Everything created from here on (data folder, database, journal, files, logs, backups) is
    # readable by this account only.
    previous_umask = os.umask(0o077)
    try:
        return int(args.func(args))
    except admin.AdminError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except (DBAPIError, OSError) as exc:
        print(_unavailable(exc, args), file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        os.umask(previous_umask)


if __name__ == "__main__":
    sys.exit(main())
