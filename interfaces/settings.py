"""Deployment settings, read from `YIBAO_*` environment variables (the edges only)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_ID_SECRET = "demo-only-change-me"


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
    id_secret: SecretStr = SecretStr(DEMO_ID_SECRET)
    policy_dir: Path | None = None
    sqlite_lock_timeout: int = 15
    postgres_pool_size: int = 5

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'yibao.sqlite').resolve()}"

    def require_production_secrets(self) -> None:
        """The demo's HMAC secret would let anyone link person ids to national IDs by
        dictionary: it is accepted for the embedded SQLite demo only."""
        if self.is_postgres and self.id_secret.get_secret_value() == DEMO_ID_SECRET:
            raise ConfigurationError(
                "YIBAO_ID_SECRET must be set to a secret of your own for PostgreSQL"
            )

    @property
    def is_postgres(self) -> bool:
        return self.resolved_database_url().startswith(("postgresql", "postgres:"))
