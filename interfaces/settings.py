"""Deployment settings, read from `YIBAO_*` environment variables (the edges only)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigurationError(Exception):
    """The deployment's settings are unusable (reported in one line, exit 2)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YIBAO_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="sqlite:///ABSOLUTE/PATH or postgresql://user@host:port/db; unset → var/",
    )
    data_dir: Path = Path("var")
    region_code: str = "310000"
    id_secret: SecretStr | None = Field(
        default=None,
        description="the person-id HMAC secret; unset → generated into data_dir (SQLite only)",
    )
    policy_dir: Path | None = None
    sqlite_lock_timeout: int = 15
    postgres_pool_size: int = 5
    lookup_limit: int = Field(default=60, ge=1, description="person lookups a minute per token")

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, data_dir: Path) -> Path:
        """Absolute from the start: nothing the process does later (bagit changes the working
        directory while it writes a bag) can move where the data lives."""
        return data_dir.resolve()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'yibao.sqlite').resolve()}"

    @property
    def is_postgres(self) -> bool:
        return self.resolved_database_url().startswith(("postgresql", "postgres:"))
