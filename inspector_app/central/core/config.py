"""Settings from the command line, the environment (``INSPECTOR_CENTRAL_*``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("inspector-central", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INSPECTOR_CENTRAL_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    # Empty means the embedded default: a SQLite file in data_dir, so `serve` needs nothing installed.
    database_url: str = ""
    token_days: int = 30
    max_chunk_bytes: int = 8 * 1024 * 1024
    max_file_bytes: int = 64 * 1024 * 1024
    page_limit: int = 5000

    # ---- request limits (api/limits.py): every body is read with a cap and refused with 413 early.
    # A push carries up to 200 frozen visit documents of a few KB each (the laptop's batch).
    max_push_bytes: int = 16 * 1024 * 1024
    # One visit on its own (PUT /visits/{id}).
    max_visit_bytes: int = 2 * 1024 * 1024
    # Logins, receipts, admin calls: small JSON.
    max_small_body_bytes: int = 64 * 1024
    # Bodies above this are parsed and validated on a worker thread, not on the event loop.
    offload_body_bytes: int = 256 * 1024
    # Bytes one account may upload (file chunks, small files) in a rolling 24 hours.
    upload_quota_bytes_per_day: int = 4 * 1024 * 1024 * 1024

    # ---- login throttling (logic/throttle.py)
    # Failures of one account tolerated before each further attempt must wait (doubling).
    login_free_failures: int = 5
    login_backoff_seconds: float = 2.0
    login_backoff_max_seconds: float = 15 * 60
    # Failures from one client address (any accounts) in login_window_seconds before it is held off.
    login_address_failures: int = 30
    login_window_seconds: float = 15 * 60

    # ---- 执法文书 number blocks (logic/numbers.py): numbers per block, and the unused count of a
    # kind below which a laptop gets its next block at sync.
    number_block_size: int = Field(default=50, ge=1, le=10_000)
    number_refill_below: int = Field(default=10, ge=0, le=10_000)

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'central.db'}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def access_log(self) -> Path:
        return self.data_dir / "logs" / "access.log"
