"""HTTP calls to the office server, with the answers typed by the wire models."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
from pydantic import ValidationError

from inspector_app.sync.backoff import retry_after
from inspector_app.wire import (
    API_PREFIX,
    FORMS_HELD_HEADER,
    ChangesPage,
    DeviceKey,
    DeviceKeyRegistered,
    FileStatus,
    LoginRequest,
    LoginResponse,
    PushBatch,
    PushResult,
    PushWithFiles,
    ReceiptsRequest,
    SmallFile,
    SmallFiles,
    SmallFilesResult,
    VisitReceipt,
)
from inspector_app.wire.numbers import NumberBlocksAnswer, NumberBlocksRequest

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "inspector-app-sync/1"
# 429 Too Many Requests: a wait the server asks for up to this long is waited out here, at most
# this many times for one request; a longer one (a daily quota: an hour) ends the run with the
# server's words and its Retry-After as the time to try again. Nothing is lost either way.
MAX_RETRY_AFTER_WAIT = 30.0
MAX_RETRY_AFTER_TRIES = 3


class SyncError(Exception):
    """Sync could not go on; the message is for the user. ``retry_in`` hints when to try again."""

    def __init__(self, message: str, retry_in: float | None = None) -> None:
        super().__init__(message)
        self.retry_in = retry_in


class NetworkError(SyncError):
    """No answer (no network, cut connection, timeout): nothing is lost, try again later."""


class AuthExpired(SyncError):
    """The token is no longer valid (expired, revoked, user disabled): log in again."""


class ServerRefused(SyncError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RequestTooLarge(ServerRefused):
    """413: the request passed the server's cap for it (a push is then sent in smaller batches)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 413)


def _detail(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:200]
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return str(body)[:200]


class SyncClient:
    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.sleep = sleep
        self.waited = 0.0  # seconds spent waiting out 429 answers
        self.token = token
        self.bytes_sent = 0
        self.bytes_received = 0
        self._http = httpx.Client(
            base_url=self.server_url + API_PREFIX,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        tries = 0
        while True:
            try:
                resp = self._http.request(method, path, headers=headers, **kw)
            except httpx.TransportError as exc:
                raise NetworkError(f"无法连接办公室服务器（{type(exc).__name__}）") from exc
            self.bytes_sent += len(resp.request.content or b"") + 200
            self.bytes_received += len(resp.content) + 150
            if resp.status_code != 429:
                break
            wait = retry_after(resp.headers.get("retry-after"))
            tries += 1
            if wait is None or wait > MAX_RETRY_AFTER_WAIT or tries > MAX_RETRY_AFTER_TRIES:
                raise NetworkError(
                    f"服务器繁忙，请稍后再同步（{_detail(resp) or resp.status_code}）",
                    wait if wait is not None else None,
                )
            self.sleep(wait)  # the server asked for a short pause: the same request again after it
            self.waited += wait
        if resp.status_code == 413:
            raise RequestTooLarge(_detail(resp) or "请求过大")
        if resp.status_code == 401:
            raise AuthExpired(_detail(resp) or "登录已失效，请重新登录")
        if resp.status_code in (502, 503, 504) or resp.status_code >= 500:
            raise NetworkError(
                f"服务器暂时不可用（{resp.status_code}）", retry_after(resp.headers.get("retry-after"))
            )
        return resp

    def _json(self, resp: httpx.Response, model: Any) -> Any:
        if resp.status_code >= 400:
            raise ServerRefused(_detail(resp), resp.status_code)
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise ServerRefused(
                f"服务器的回答无法识别（{exc.errors()[0]['msg']}）", resp.status_code
            ) from exc

    # ------------------------------------------------------------------ calls

    def login(self, username: str, password: str, device_id: str, device_name: str) -> LoginResponse:
        body = LoginRequest(
            username=username, password=password, device_id=device_id, device_name=device_name
        )
        try:
            resp = self._http.post(
                "/auth/login", content=body.model_dump_json(), headers={"Content-Type": "application/json"}
            )
        except httpx.TransportError as exc:
            raise NetworkError(f"无法连接办公室服务器 {self.server_url}（{type(exc).__name__}）") from exc
        if resp.status_code in (401, 403):
            raise AuthExpired(_detail(resp))
        result: LoginResponse = self._json(resp, LoginResponse)
        self.token = result.token
        return result

    def features(self) -> frozenset[str]:
        """The optional protocol features the server offers (``/health``); an older one lists none."""
        resp = self._request("GET", "/health")
        try:
            listed = resp.json().get("features", []) if resp.status_code == 200 else []
        except (ValueError, AttributeError):
            return frozenset()
        return frozenset(f for f in listed if isinstance(f, str)) if isinstance(listed, list) else frozenset()

    def push(self, batch: PushBatch, files: Sequence[tuple[str, bytes]] = ()) -> PushResult:
        """The batch, with ``files`` inside it (only to a server offering ``inline_files``)."""
        body: PushBatch = batch
        if files:
            inline = [SmallFile(sha256=sha, data=base64.b64encode(data)) for sha, data in files]
            body = PushWithFiles(**dict(batch), files=inline)
        resp = self._request(
            "POST", "/push", content=body.model_dump_json(), headers={"Content-Type": "application/json"}
        )
        result: PushResult = self._json(resp, PushResult)
        return result

    def file_status(self, sha256: str) -> FileStatus:
        result: FileStatus = self._json(self._request("GET", f"/files/{sha256}"), FileStatus)
        return result

    def upload_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> FileStatus:
        """One chunk with its own sha256, so a chunk damaged in transit is refused alone."""
        resp = self._request(
            "PUT",
            f"/files/{sha256}",
            params={"offset": offset, "total": total},
            content=chunk,
            headers={
                "Content-Type": "application/octet-stream",
                "X-Chunk-Sha256": hashlib.sha256(chunk).hexdigest(),
            },
        )
        if resp.status_code == 415:
            raise FileRefused(_detail(resp) or "服务器拒收该文件（不是可识别的图片）")
        if resp.status_code in (409, 422):
            # The body still says where the server stands: the caller resumes from there.
            status: FileStatus = FileStatus.model_validate(
                {k: v for k, v in resp.json().items() if k != "detail"}
            )
            raise UploadRejected(_detail(resp), status)
        result: FileStatus = self._json(resp, FileStatus)
        return result

    def receipt(self, visit_id: str) -> VisitReceipt:
        result: VisitReceipt = self._json(self._request("GET", f"/visits/{visit_id}/receipt"), VisitReceipt)
        return result

    def receipts(self, ids: list[str]) -> list[VisitReceipt]:
        body = ReceiptsRequest(ids=ids)
        resp = self._request(
            "POST", "/receipts", content=body.model_dump_json(), headers={"Content-Type": "application/json"}
        )
        if resp.status_code >= 400:
            raise ServerRefused(_detail(resp), resp.status_code)
        return [VisitReceipt.model_validate(r) for r in resp.json()]

    def small_files(self, files: list[tuple[str, bytes]]) -> SmallFilesResult:
        body = SmallFiles(files=[SmallFile(sha256=sha, data=base64.b64encode(data)) for sha, data in files])
        resp = self._request(
            "POST",
            "/files/small",
            content=body.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
        result: SmallFilesResult = self._json(resp, SmallFilesResult)
        return result

    def changes(self, cursor: str, limit: int, forms_held: str = "") -> ChangesPage:
        """A page of changes; ``forms_held`` (wire.forms_held_header) tells the office which form
        versions this laptop holds."""
        headers = {FORMS_HELD_HEADER: forms_held} if forms_held else {}
        resp = self._request("GET", "/changes", params={"cursor": cursor, "limit": limit}, headers=headers)
        result: ChangesPage = self._json(resp, ChangesPage)
        return result

    def download(self, sha256: str) -> bytes:
        resp = self._request("GET", f"/files/{sha256}/content")
        if resp.status_code >= 400:
            raise ServerRefused(_detail(resp), resp.status_code)
        return resp.content

    def register_device_key(self, key: DeviceKey) -> DeviceKeyRegistered:
        resp = self._request(
            "PUT", "/devices/key", content=key.model_dump_json(), headers={"Content-Type": "application/json"}
        )
        result: DeviceKeyRegistered = self._json(resp, DeviceKeyRegistered)
        return result

    def number_blocks(self, body: NumberBlocksRequest) -> NumberBlocksAnswer | None:
        """The laptop's blocks of 执法文书 numbers; None from a server that does not hand them out."""
        resp = self._request(
            "POST",
            "/numbers/blocks",
            content=body.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
        if resp.status_code in (404, 405):
            return None
        result: NumberBlocksAnswer = self._json(resp, NumberBlocksAnswer)
        return result

    def logout(self) -> None:
        self._request("POST", "/auth/logout")


class UploadRejected(SyncError):
    def __init__(self, message: str, status: FileStatus) -> None:
        super().__init__(message)
        self.status = status


class FileRefused(SyncError):
    """The office will never take this file (it is not an image): the visits citing it are set
    aside with the reason; the rest of the sync goes on."""
