"""The one settings object.

Every knob is read from the environment with the ``CDP_`` prefix (or a ``.env``
file). Tests configure the application through the environment too, never by
patching modules.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class RoleLimit(BaseModel):
    """A role's own rate limit.

    For example ``CDP_RATE_LIMIT_ROLES='{"partner": {"rate": 5, "burst": 30}}'``.
    """

    rate: float = Field(gt=0)
    burst: int = Field(ge=1)


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

    # Authentication (README, "Authentication"). A JWT is verified with HS256 when
    # jwt_secret is set and with RS256 when jwt_public_key is; each algorithm only
    # ever with its own key, so a token cannot pick the key it is checked against.
    jwt_secret: SecretStr | None = None
    jwt_public_key: str | None = Field(
        default=None, description="RS256 public key: PEM text, or the path of a PEM file."
    )
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: int = Field(default=30, ge=0)
    # A verified API key is trusted from memory this long, so a revocation reaches
    # every process within it; last-used times are written at most this often per key.
    api_key_cache_seconds: float = Field(default=30, ge=0)
    api_key_touch_seconds: float = Field(default=60, ge=0)
    # /metrics without credentials: unset means open when the server binds a
    # loopback address (a local scraper), closed otherwise.
    metrics_open: bool | None = None
    # Browser origins allowed to call the API from another origin (CORS), comma-separated,
    # e.g. ``https://app.example.com,http://localhost:5173``; empty: no CORS headers,
    # so browsers keep the same-origin rule. ``*`` allows any origin (no cookies are
    # used: credentials travel in the Authorization header).
    cors_origins: str = ""
    # Per caller (API key or JWT subject), per process: a token bucket refilled at
    # rate_limit_rate requests a second, holding at most rate_limit_burst.
    rate_limit_enabled: bool = True
    rate_limit_rate: float = Field(default=20, gt=0)
    rate_limit_burst: int = Field(default=100, ge=1)
    rate_limit_roles: dict[str, RoleLimit] = Field(
        default_factory=lambda: {"partner": RoleLimit(rate=5, burst=30)}
    )

    # The tag worker of each server process: polls for dirty customers this often
    # (seconds) and runs the daily full tag run; 0 turns it off.
    tag_worker_seconds: float = Field(default=2.0, ge=0)

    # Identity resolution: the higher, the more a source's values are trusted when
    # two sources disagree. Unlisted sources get 0.
    source_trust: dict[str, int] = Field(default_factory=lambda: {"core_banking": 100, "crm": 50})
    # A normalised phone shared by more than this many distinct people is treated as
    # a switchboard and never used for matching.
    identity_phone_cap: int = 5

    # Asset tiers in yuan: 大众 below 50万, 潜力 to 600万, 高净值 from 600万.
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
    # Input bounds, checked with the limits: the items of any one list argument
    # (above the mutations' own batch limit, which answers with its own error), and
    # the predicates of one filter, nested and/or/not included, every list item
    # counted (each becomes SQL the database evaluates per row).
    max_list_items: int = Field(default=10_000, ge=1)
    max_filter_width: int = Field(default=100, ge=1)
    # Every statement of the API (not of migrations, imports or seeding) is cancelled
    # by the server after this many milliseconds; 0 turns the limit off.
    statement_timeout_ms: int = Field(default=5000, ge=0)

    # Counts over fewer customers than this (but more than none) are withheld from
    # roles that may not read individual customers' numbers, so a narrow segment
    # or overlap cannot single a person out.
    min_group_size: int = Field(default=10, ge=1)

    # Days the audit trail of sensitive reads is kept before the retention purge
    # deletes it. Five years by default; regulators differ, so firms set their own.
    audit_retention_days: int = Field(default=1825, ge=1)
    # Audit entries are written in batches at least this often (seconds), and at
    # once when 500 are waiting; shutdown writes whatever is left.
    audit_flush_seconds: float = Field(default=0.2, gt=0)
    # A server process catches its knowledge graph up with the database at least
    # this often (seconds): on a timer, and before a graph answer when the last
    # catch-up is older. 0 catches up before every graph answer.
    graph_refresh_seconds: float = Field(default=2.0, ge=0)
    # Roles that must state a purpose (the X-Purpose header) to read sensitive data;
    # without one such a read is refused with PURPOSE_REQUIRED. PIPL lets partners
    # receive personal information only for a stated purpose.
    purpose_required_roles: list[str] = Field(default_factory=lambda: ["partner"])

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
