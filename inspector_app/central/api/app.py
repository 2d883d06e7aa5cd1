"""The FastAPI application of the central office server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, OperationalError

from inspector_app.central.api.routes import admin, auth, files, sync
from inspector_app.central.console import routes as console_routes
from inspector_app.central.core.config import Settings
from inspector_app.central.db.engine import Database
from inspector_app.central.logic.auth import now_utc
from inspector_app.central.logic.files import FileStore
from inspector_app.wire import API_PREFIX, PROTOCOL_VERSION


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    database = db or Database(settings.url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:
            database.dispose()

    app = FastAPI(
        title="检查工作台 · 办公室服务器 (inspector-central)",
        version=f"{PROTOCOL_VERSION}",
        description="Sync protocol v1 between field laptops and the office: see docs/sync-protocol.md.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.files = FileStore(settings.files_dir, settings.uploads_dir)

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

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", operation_id="health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "server_time": now_utc().isoformat()}

    for module in (auth, sync, files, admin):
        api.include_router(module.router)
    app.include_router(api)
    # The office console (issue 13): server-rendered pages and their static files, same process.
    app.include_router(console_routes.router)
    app.mount("/console/static", StaticFiles(directory=console_routes.HERE / "static"), name="console-static")
    return app
