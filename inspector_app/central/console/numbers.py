"""The office sees who holds and who used which 执法文书 numbers (``/console/documents/numbers``).

Every block the office handed out (central/logic/numbers.py): document kind, range, holder and
laptop, how far the laptop said it used it, and the received visits whose documents carry a number
of it; then the numbers laptops gave without a block (marked 临), for the office's 文书登记.
Office staff and admins see it; a team leader does not (numbers are the unit's register).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from inspector_app.central.console import access
from inspector_app.central.console.pages import common
from inspector_app.central.console.pages.common import _read, _render
from inspector_app.central.logic import numbers
from inspector_app.domain.enforcement import DOC_SPECS, DocKind

router = APIRouter(prefix="/console", include_in_schema=False)

TEXT = {
    "zh": {
        "title": "文书编号登记",
        "blocks": "办公室发放的编号段",
        "kind": "文书种类",
        "range": "编号范围",
        "holder": "领取人",
        "device": "笔记本",
        "allocated": "发放时间",
        "used_upto": "已用至",
        "reported": "上报时间",
        "visits": "使用该段编号的检查",
        "none": "尚未发放编号段：检查员同步时自动领取。",
        "unused": "未使用",
        "provisional": "本机临时编号（未领取编号段时出具，带“临”字）",
        "no_provisional": "没有临时编号。",
        "stray": "不在任何编号段内的编号（编号段启用前的笔记本或未经发放的编号），请逐一核对",
        "hint": "编号段按文书种类和年度在全单位连续发放，互不重叠；笔记本完成检查时取号，用过的号不再发放。"
        "未用完而不再使用的编号段（笔记本丢失、重装）在此可见，应在文书登记簿中注明作废。",
    },
    "en": {
        "title": "Document numbers",
        "blocks": "Number blocks handed out by the office",
        "kind": "Document",
        "range": "Range",
        "holder": "Holder",
        "device": "Laptop",
        "allocated": "Handed out",
        "used_upto": "Used up to",
        "reported": "Reported",
        "visits": "Visits that used these numbers",
        "none": "No blocks handed out yet: inspectors receive them when they sync.",
        "unused": "unused",
        "provisional": "Provisional laptop numbers (given without a block, marked 临)",
        "no_provisional": "No provisional numbers.",
        "stray": "Numbers in no block (a laptop from before blocks, or a number never handed out): "
        "check each",
        "hint": "Blocks run on per document kind and year across the unit and never overlap; a laptop "
        "takes a number when a visit is completed and a used number is never handed out again. A block "
        "left unfinished (a lost or reinstalled laptop) shows here; note it as void in the register.",
    },
}


def _title(kind: str) -> str:
    try:
        return DOC_SPECS[DocKind(kind)].title
    except ValueError:
        return kind


@router.get("/documents/numbers")
def numbers_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        if not user.can_change:
            raise access.Denied("只有办公室人员和管理员可以查看文书编号登记", 403)
        lang = "en" if request.cookies.get(common.LANG_COOKIE, "zh") == "en" else "zh"
        return _render(
            request,
            "numbers.html",
            user,
            T=TEXT[lang],
            view=numbers.overview(conn),
            title_of=_title,
        )

    return _read(request, body)
