"""What the server does with every request before a route sees it: a body-size cap per route,
big JSON bodies handled off the event loop, the access log, the audit of pushes, the upload quota.

Pure ASGI middleware: a body is read chunk by chunk and refused with 413 as soon as it passes its
route's cap (a declared Content-Length over the cap is refused before anything is read), so no
request can make the server hold more than its cap in memory.

Why big bodies go to a thread: FastAPI parses and validates a JSON body on the event loop; a
16 MB push takes a second of it, during which no other request (not even /health) is answered.
A request whose body is larger than ``offload_body_bytes`` is therefore read in full (under its
cap) and handed, with the rest of its handling, to a worker thread running its own event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import logging.handlers
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspector_app.central.console import uploads
from inspector_app.central.core.config import Settings
from inspector_app.central.db.engine import PRIVATE_FILE, private_dir
from inspector_app.central.logic import audit
from inspector_app.central.logic.ledger import Ledger
from inspector_app.wire import API_PREFIX
from inspector_app.wire.models import MAX_SMALL_FILES, SMALL_FILE_BYTES


@dataclass(frozen=True)
class BodyLimit:
    method: str
    path: re.Pattern[str]
    max_bytes: int


def route_limits(settings: Settings) -> list[BodyLimit]:
    """The routes that take more than a small JSON body. Anything else: ``max_small_body_bytes``."""
    p = re.escape(API_PREFIX)
    # Small files travel base64 in JSON: 4/3 of their bytes, plus the envelope.
    small_files = MAX_SMALL_FILES * (SMALL_FILE_BYTES * 4 // 3 + 200) + 4096
    return [
        BodyLimit("POST", re.compile(rf"^{p}/push$"), settings.max_push_bytes),
        BodyLimit("PUT", re.compile(rf"^{p}/visits/[^/]+$"), settings.max_visit_bytes),
        BodyLimit("PUT", re.compile(rf"^{p}/files/[0-9a-f]{{64}}$"), settings.max_chunk_bytes),
        BodyLimit("POST", re.compile(rf"^{p}/files/small$"), small_files),
        # The console's uploads: a register XLSX/CSV, a form's YAML (console/uploads.py).
        BodyLimit("POST", re.compile(rf"^{re.escape(uploads.REGISTER_ROUTE)}$"), uploads.REGISTER_BODY_BYTES),
        BodyLimit("POST", re.compile(rf"^{re.escape(uploads.FORM_ROUTE)}$"), uploads.FORM_BODY_BYTES),
    ]


UPLOAD_ROUTES = (
    ("PUT", re.compile(rf"^{re.escape(API_PREFIX)}/files/[0-9a-f]{{64}}$")),
    ("POST", re.compile(rf"^{re.escape(API_PREFIX)}/files/small$")),
)
PUSH_ROUTES = (
    ("POST", re.compile(rf"^{re.escape(API_PREFIX)}/push$")),
    ("PUT", re.compile(rf"^{re.escape(API_PREFIX)}/visits/[^/]+$")),
)


def matches(routes: Sequence[tuple[str, re.Pattern[str]]], method: str, path: str) -> bool:
    return any(m == method and r.match(path) for m, r in routes)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` as an HTTPException: FastAPI passes those on from a body read (any
    other error there becomes a 400), and the app's handler answers it 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))
        self.limit = limit


class BodyCounter:
    """Bytes of the request body received so far (the upload quota counts them)."""

    def __init__(self) -> None:
        self.n = 0


def too_large_answer(scope: Scope, limit: int) -> tuple[bytes, bytes]:
    """(content type, body) of a 413: a readable page for the console's pages (a person sent it
    from a form), the API's JSON for everything else (a laptop reads ``detail``)."""
    path = scope.get("path", "")
    if path == "/console" or path.startswith("/console/"):
        from inspector_app.central.console import uploads
        from inspector_app.central.console.pages import common  # the console renders its page

        cookies = dict(
            part.strip().split("=", 1) for part in (_header(scope, b"cookie") or "").split(";") if "=" in part
        )
        page = common.message_page(uploads.over_cap(path, limit), cookies.get(common.LANG_COOKIE, "zh"))
        return b"text/html; charset=utf-8", page.encode()
    return b"application/json", json.dumps({"detail": _too_large(limit)}, ensure_ascii=False).encode()


async def _too_large_sent(send: Send, scope: Scope, limit: int) -> None:
    kind, body = too_large_answer(scope, limit)
    await _answer(send, 413, "", body=body, content_type=kind)


async def _answer(
    send: Send,
    status: int,
    detail: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
    *,
    body: bytes | None = None,
    content_type: bytes = b"application/json",
) -> None:
    if body is None:
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"请求体过大：此接口至多接受 {limit} 字节"


class RequestLimits:
    """The body cap of each route, and big JSON bodies handled on a worker thread."""

    def __init__(self, app: ASGIApp, *, limits: Sequence[BodyLimit], default: int, offload: int) -> None:
        self.app = app
        self.limits = list(limits)
        self.default = default
        self.offload = offload

    def limit_for(self, method: str, path: str) -> int:
        for rule in self.limits:
            if rule.method == method and rule.path.match(path):
                return rule.max_bytes
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        counter = BodyCounter()
        scope.setdefault("state", {})["body_counter"] = counter
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                await _answer(send, 400, "Content-Length 无效")
                return
            if int(declared) > limit:
                await _too_large_sent(send, scope, limit)
                return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        loop = asyncio.get_running_loop()
        try:
            big = declared is None or int(declared) > self.offload
            if _is_json(scope) and big and limit > self.offload:
                body = await _read_all(receive, limit, counter)
                if len(body) > self.offload:
                    await anyio.to_thread.run_sync(self._run_on_own_loop, loop, scope, body, tracking_send)
                    return
                receive = _replay(body)
            await self.app(scope, _capped(receive, limit, counter), tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large_sent(send, scope, limit)
        except _Disconnected:
            return  # the client went away mid-body: nobody to answer

    def _run_on_own_loop(
        self, server_loop: asyncio.AbstractEventLoop, scope: Scope, body: bytes, send: Send
    ) -> None:
        async def send_there(message: Message) -> None:
            await send(message)

        async def forward(message: Message) -> None:
            # Sent by the server's loop, which owns the connection; this thread waits for it.
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(send_there(message), server_loop))

        async def handle() -> None:
            await self.app(scope, _replay(body), forward)

        asyncio.run(handle())


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None


def _is_json(scope: Scope) -> bool:
    ctype = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


async def _read_all(receive: Receive, limit: int, counter: BodyCounter) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BodyTooLarge(limit) if counter.n > limit else _Disconnected
        chunk = message.get("body", b"")
        counter.n += len(chunk)
        if counter.n > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class _Disconnected(Exception):
    pass


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # Nothing more will come; a route waiting for a disconnect waits until it is cancelled.
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    return receive


def _capped(receive: Receive, limit: int, counter: BodyCounter) -> Receive:
    async def capped() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            counter.n += len(message.get("body", b""))
            if counter.n > limit:
                raise BodyTooLarge(limit)
        return message

    return capped


# ------------------------------------------------------------------ access log and audit of pushes


def access_logger(path: Path) -> logging.Logger:
    """A logger of its own (not registered globally: several apps may run in one test process)."""
    private_dir(path.parent)
    if not path.exists():
        path.touch(mode=PRIVATE_FILE)
    logger = logging.Logger(f"inspector_central.access.{path}")
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    return logger


class AccessLog:
    """One line per request (time, address, account, request, status, bytes, duration); pushes
    are also written to the audit trail with their outcome."""

    def __init__(self, app: ASGIApp, *, logger: logging.Logger, ledger: Ledger) -> None:
        self.app = app
        self.logger = logger
        self.ledger = ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            await self._after(scope, status, time.perf_counter() - began)

    async def _after(self, scope: Scope, status: int, seconds: float) -> None:
        state: dict[str, Any] = scope.get("state", {})
        principal = state.get("principal")
        account = principal.username if principal is not None else "-"
        counter = state.get("body_counter")
        received = counter.n if counter is not None else 0
        client = scope.get("client")
        address = client[0] if client else ""
        method, path = scope["method"], scope["path"]
        self.logger.info(
            '%s %s %s "%s %s" %d %dB %.3fs',
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            address or "-",
            account,
            method,
            path,
            status,
            received,
            seconds,
        )
        if principal is not None and matches(PUSH_ROUTES, method, path) and not state.get("push_audited"):
            # A push refused before its transaction (the push's own line is written in it):
            # committed with the other bookkeeping of the moment (logic/ledger.py).
            self.ledger.audit(
                audit.PUSH,
                ok=status < 400,
                actor=principal.username,
                address=address,
                detail=f"{method} {path} → {status}，{received} 字节",
            )
