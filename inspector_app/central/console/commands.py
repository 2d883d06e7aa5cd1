"""The console's commands of ``inspector-central``: ``demo`` and ``console-backfill``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db.engine import Database
from inspector_app.central.logic.files import FileStore

SettingsOf = Callable[[argparse.Namespace], Settings]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], settings_of: SettingsOf) -> None:
    d = sub.add_parser("demo", help="建立示范办公室（示范企业、检查组、两周以上的检查记录），供培训和试用")
    d.add_argument("--password", default="demo-pass-2026", help="示范账号的密码")
    d.set_defaults(func=lambda args: _demo(args, settings_of(args)))
    b = sub.add_parser("console-backfill", help="为控制台补建已收检查记录的统计数据（升级后运行一次）")
    b.set_defaults(func=lambda args: _backfill(settings_of(args)))


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from inspector_app.central.console import demo

    settings.data_dir.mkdir(parents=True, exist_ok=True)  # a fresh machine has no data folder yet
    migrate.upgrade(settings.url)
    db = Database(settings.url)
    try:
        summary = demo.create(db, FileStore(settings.files_dir, settings.uploads_dir), password=args.password)
    finally:
        db.dispose()
    for line in summary.lines():
        print(line)
    print("运行 inspector-central serve 后，在浏览器打开 http://127.0.0.1:8765/console/ 登录")
    return 0


def _backfill(settings: Settings) -> int:
    from inspector_app.central.console import projection

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.url)
    db = Database(settings.url)
    try:
        with db.write() as conn:
            n = projection.backfill(conn)
    finally:
        db.dispose()
    print(f"已为控制台补建 {n} 条检查记录")
    return 0
