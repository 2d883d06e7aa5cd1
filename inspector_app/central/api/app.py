"""The FastAPI application of the central office server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, OperationalError

from inspector_app.central.api import limits
from inspector_app.central.api.deps import loopback_or_admin, upload_quota, valid_cursor
from inspector_app.central.api.routes import admin, auth, files, numbers, sync
from inspector_app.central.console import documents as console_documents
from inspector_app.central.console import numbers as console_numbers
from inspector_app.central.console import pages as console_pages
from inspector_app.central.console.pages.common import CONSOLE_DIR
from inspector_app.central.core.config import Settings
from inspector_app.central.db.engine import Database, private_dir
from inspector_app.central.logic.auth import now_utc
from inspector_app.central.logic.files import FileStore
from inspector_app.central.logic.ledger import Ledger
from inspector_app.wire import API_PREFIX, PROTOCOL_VERSION
from inspector_app.wire.models import INLINE_FILES
from inspector_app.wire.numbers import NUMBER_BLOCKS


def worker_app() -> FastAPI:
    """The app of one worker process of ``serve --workers N``: settings from the environment
    (``INSPECTOR_CENTRAL_*``, set by ``serve``), its own database pool and file store."""
    return create_app(Settings())


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    private_dir(settings.data_dir)
    database = db or Database(settings.url)
    access = limits.access_logger(settings.access_log)

    ledger = Ledger(database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ledger.close()
        for handler in access.handlers:
            handler.close()
        if db is None:
            database.dispose()

    app = FastAPI(
        title="检查工作台 · 办公室服务器 (inspector-central)",
        version=f"{PROTOCOL_VERSION}",
        description="Sync protocol v1 between field laptops and the office: see docs/sync-protocol.md.",
        lifespan=lifespan,
        # Served below, to admins and to this machine only.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.files = FileStore(settings.files_dir, settings.uploads_dir)
    app.state.ledger = ledger

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def database_busy(_request: Request, exc: Exception) -> JSONResponse:
        # A deadlock, a serialization failure or a lost connection: nothing was committed, and
        # every operation is idempotent, so the honest answer is "try again", not 500.
        return JSONResponse(
            {"detail": f"数据库暂时不可用，请稍后重试（{type(exc).__name__}）"},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(limits.BodyTooLarge)
    async def body_too_large(request: Request, exc: limits.BodyTooLarge) -> Response:
        # A body found over its cap while read (no Content-Length): a page for the console's
        # forms, JSON for the API, as the middleware answers a declared one.
        kind, body = limits.too_large_answer(request.scope, exc.limit)
        return Response(body, status_code=413, media_type=kind.decode(), headers={"Connection": "close"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and what, never the input itself: a refused body may be megabytes, or a password.
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", ""))[:300],
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()[:20]
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(loopback_or_admin)])
    def openapi() -> dict[str, Any]:
        return app.openapi()

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(loopback_or_admin)])
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title)

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", operation_id="health", tags=["meta"])
    def health() -> dict[str, Any]:
        # Protocol 1 with optional features a laptop may use (docs/sync-protocol.md); a laptop
        # that does not know one ignores it, a laptop that finds one missing does without.
        return {
            "status": "ok",
            "protocol": PROTOCOL_VERSION,
            "features": [INLINE_FILES, NUMBER_BLOCKS],
            "server_time": now_utc().isoformat(),
        }

    api.include_router(auth.router)
    api.include_router(sync.router, dependencies=[Depends(valid_cursor)])
    api.include_router(files.router, dependencies=[Depends(upload_quota)])
    api.include_router(admin.router)
    api.include_router(numbers.router)  # 执法文书 number blocks, asked at every sync
    app.include_router(api)
    # The office console (issue 13): server-rendered pages and their static files, same process.
    for router in console_pages.ROUTERS:  # one per part of the console, in matching order
        app.include_router(router)
    app.include_router(console_documents.router)  # the record and notices printed by the office
    app.include_router(console_numbers.router)  # who holds and who used which document numbers
    app.mount("/console/static", StaticFiles(directory=CONSOLE_DIR / "static"), name="console-static")

    # Outermost last: the access log sees every answer, the 413s included.
    app.add_middleware(
        limits.RequestLimits,
        limits=limits.route_limits(settings),
        default=settings.max_small_body_bytes,
        offload=settings.offload_body_bytes,
    )
    app.add_middleware(limits.AccessLog, logger=access, ledger=ledger)
    return app
