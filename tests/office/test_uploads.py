"""The console's uploads have their own size limits, and an office user is told plainly about them.

A register is routinely hundreds of KB (the server's default cap for a request is 64 KB), so the
register upload and the form upload have caps of their own: a real register imports; a file over
the limit is answered with a page saying so; a body over the route's cap is refused before it is
read, with the limit in Chinese. The pages tell the browser the limit beforehand.
"""

from __future__ import annotations

import random
import re

import httpx

from inspector_app.central.console import uploads
from inspector_app.domain import credit_code
from tests.support.harness import FORMS, Office, ThreadServer
from tests.support.session import console_login, csrf_of


def _register(rows: int) -> bytes:
    rnd = random.Random(rows)
    lines = ["统一社会信用代码,企业名称"]
    for i in range(rows):
        body = "".join(rnd.choice(credit_code.ALPHABET) for _ in range(9))
        lines.append(f"{credit_code.complete('91440300' + body)},深圳市上传测试{i}号五金制品有限公司")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_register_larger_than_a_small_request_imports(server: ThreadServer, office: Office) -> None:
    console = console_login(server.url, office.admin)
    page = console.get("/console/enterprises").text
    assert f'data-max-bytes="{uploads.REGISTER_FILE_BYTES}"' in page  # the browser checks first
    data = _register(2500)
    assert len(data) > 2 * 64 * 1024  # twice the default cap of a request
    r = console.post(
        "/console/enterprises/import", data={"csrf": csrf_of(page)}, files={"file": ("名录.csv", data)}
    )
    assert r.status_code == 200, r.text[:300]
    assert "2500" in r.text and "未导入" not in r.text


def test_a_file_over_its_limit_gets_a_page_and_a_body_over_the_cap_a_refusal(
    server: ThreadServer, office: Office
) -> None:
    console = console_login(server.url, office.admin)
    page = console.get("/console/forms").text
    good = (FORMS / "mini.yaml").read_bytes()
    over = good + b"#" * (uploads.FORM_FILE_BYTES - len(good) + 10)  # just over 1 MB
    r = console.post("/console/forms", data={"csrf": csrf_of(page)}, files={"file": ("mini.yaml", over)})
    assert r.status_code == 422
    errors = re.search(r'<table[^>]*id="form-errors".*?</table>', r.text, re.S)
    assert errors and "文件超过 1 MB，未上传" in errors[0]

    page = console.get("/console/enterprises").text
    huge = b"x" * (uploads.REGISTER_BODY_BYTES + 1)
    r = console.post(
        "/console/enterprises/import", data={"csrf": csrf_of(page)}, files={"file": ("名录.csv", huge)}
    )
    # Refused unread at the door; the person who sent it from the page reads why, in a page.
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "上传的内容过大，未上传：此处一次至多接受 20 MB" in r.text and "<h1>无法完成</h1>" in r.text


def test_an_api_body_over_its_cap_is_refused_in_json(server: ThreadServer, office: Office) -> None:
    """A laptop reads ``detail``: the API's 413 stays JSON whatever the console answers."""
    r = httpx.post(
        f"{server.url}/api/v1/auth/login",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.headers["content-type"] == "application/json"
    assert "请求体过大" in r.json()["detail"]
