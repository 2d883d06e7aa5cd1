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
    # Test aid for the "server killed before commit" scenario: the process exits right before
    # committing a push. Never set in a deployment.
    crash_before_commit: bool = False

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
