"""``inspector-app demo``: fill a workspace with the demo register, teams and visits."""

from __future__ import annotations

import argparse
from typing import Any

from inspector_app.cli.common import CommandFailed, open_workspace


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="生成演示工作区 / create a demo workspace",
        description="生成演示数据（固定随机种子，每次内容相同）：企业、网格、检查组、检查人员、检查记录、隐患和诉求。",
        epilog=(
            "退出码 / exit status: 0 成功; 1 工作区已有数据（需 --force）或有未同步的检查; 2 用法错误; "
            "3 工作区无法打开"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--force", action="store_true",
        help="覆盖已有企业数据（有未同步的检查时仍拒绝）/ replace an existing register",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from inspector_app.cli.main import EXIT_INVALID_INPUT, EXIT_OK
    from inspector_app.demo.workspace import DemoService
    from inspector_app.services.errors import ServiceError

    ws = open_workspace(args)
    try:
        summary = DemoService(ws).create(force=args.force)
    except ServiceError as exc:
        raise CommandFailed(f"未生成演示数据：{exc}", EXIT_INVALID_INPUT) from exc
    finally:
        ws.close()
    print(f"演示工作区已生成：{ws.root}")
    for line in summary.lines():
        print(line)
    return EXIT_OK
