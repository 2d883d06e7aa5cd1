"""A small HTTP-aware TCP proxy that injects faults between a laptop and the server.

Each request is read whole (head and body), then ``rule(n, method, path, body)`` decides:
FORWARD, DROP_RESPONSE (the server gets it and commits; the laptop never hears back), CUT
(only part of the body reaches the server, then both connections close), CORRUPT (one byte of
the body is flipped), REFUSE (the connection closes before anything is sent), or HOLD (the request
is forwarded but the answer is held until ``release`` is set: for killing a client mid-push).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass

FORWARD, DROP_RESPONSE, CUT, CORRUPT, REFUSE, HOLD = "forward", "drop", "cut", "corrupt", "refuse", "hold"


@dataclass
class Action:
    kind: str = FORWARD
    at: float = 0.5  # CUT: the fraction of the body that gets through; CORRUPT: where the bad byte is


Rule = Callable[[int, str, str, bytes], Action]
# A lying server: given (method, path, response body), the body the laptop gets instead (or None).
Rewrite = Callable[[str, str, bytes], bytes | None]


async def _read_message(reader: asyncio.StreamReader) -> tuple[bytes, dict[str, str], bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            parts.append(size_line + chunk)
            if size == 0:
                break
        body = b"".join(parts)
    return head, headers, body


class FaultProxy:
    def __init__(self, upstream_port: int, rule: Rule | None = None, rewrite: Rewrite | None = None) -> None:
        self.upstream_port = upstream_port
        self.rule: Rule = rule or (lambda *_: Action())
        self.rewrite = rewrite
        self.count = 0
        self.seen: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.held = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
            self.port = server.sockets[0].getsockname()[1]
            self._server = server
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        started.wait(5)
        self.url = f"http://127.0.0.1:{self.port}"

    async def _client(self, creader: asyncio.StreamReader, cwriter: asyncio.StreamWriter) -> None:
        ureader, uwriter = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            while True:
                msg = await _read_message(creader)
                if msg is None:
                    return
                head, _headers, body = msg
                method, path = head.split(b" ", 2)[:2]
                self.count += 1
                self.seen.append((method.decode(), path.decode()))
                action = self.rule(self.count, method.decode(), path.decode(), body)
                if action.kind == REFUSE:
                    return
                if action.kind == CUT:
                    uwriter.write(head + body[: int(len(body) * action.at)])
                    await uwriter.drain()
                    await asyncio.sleep(0.05)
                    return
                if action.kind == CORRUPT and body:
                    i = min(len(body) - 1, int(len(body) * action.at))
                    body = body[:i] + bytes([body[i] ^ 0xFF]) + body[i + 1 :]
                uwriter.write(head + body)
                await uwriter.drain()
                resp = await _read_message(ureader)
                if resp is None:
                    return
                rhead, rheaders, rbody = resp
                if self.rewrite is not None and "content-length" in rheaders:
                    changed = self.rewrite(method.decode(), path.decode(), rbody)
                    if changed is not None:
                        old_len = f"content-length: {len(rbody)}".encode()
                        lines = [
                            f"content-length: {len(changed)}".encode() if ln.lower() == old_len else ln
                            for ln in rhead.split(b"\r\n")
                        ]
                        rhead, rbody = b"\r\n".join(lines), changed
                if action.kind == DROP_RESPONSE:
                    return
                if action.kind == HOLD:
                    self.held.set()
                    while not self.release.is_set():
                        await asyncio.sleep(0.02)
                cwriter.write(rhead + rbody)
                await cwriter.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            for w in (cwriter, uwriter):
                w.close()

    def close(self) -> None:
        self.release.set()
        self.loop.call_soon_threadsafe(self._server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
