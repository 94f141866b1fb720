"""The one settings object.

Every knob is read from the environment with the ``CDP_`` prefix (or a ``.env``
file). Tests configure the application through the environment too, never by
patching modules.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CDP_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the PostgreSQL database. Unset: an embedded "
        "server under data_dir is started and stopped with the process.",
    )
    data_dir: Path = Field(default=Path(".cdp"), description="Embedded database, keys, rejects.")
    encryption_key: str | None = Field(
        default=None,
        description="URL-safe base64 of 32 random bytes. Encrypts ID numbers at rest and keys "
        "the matching hashes. Unset: generated into data_dir/secret.key on first run.",
    )
    db_pool_size: int = 10
    db_echo: bool = False

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "INFO"
    log_json: bool = True

    # Identity resolution: the higher, the more a source's values are trusted when
    # two sources disagree. Unlisted sources get 0.
    source_trust: dict[str, int] = Field(default_factory=lambda: {"core_banking": 100, "crm": 50})
    # A normalised phone shared by more than this many distinct people is treated as
    # a switchboard and never used for matching.
    identity_phone_cap: int = 5

    # Asset tiers in yuan (defaults from DESIGN.md).
    tier_potential_min: int = 500_000
    tier_hnw_min: int = 6_000_000

    # The most items one page of a GraphQL connection may hold; asking for more is an
    # input error rather than a silent cut, so clients notice.
    max_page_size: int = 100

    # GraphQL request limits, checked before anything runs: nesting depth, aliases,
    # lexical tokens, and cost (objects a query may resolve, list sizes multiplied).
    max_depth: int = 12
    max_aliases: int = 20
    max_tokens: int = 2000
    max_cost: int = 25_000

    # Days the audit trail of sensitive reads is kept before the retention purge
    # deletes it. Five years by default; regulators differ, so firms set their own.
    audit_retention_days: int = Field(default=1825, ge=1)

    @property
    def embedded(self) -> bool:
        return self.database_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
