"""Development JWTs: signed HS256 with ``CDP_JWT_SECRET``, as an identity provider would.

For front-end teams trying the API before their identity provider is wired in, and
for ``cdp demo``. Production tokens come from the identity provider; this never
invents a secret: without ``CDP_JWT_SECRET`` it refuses.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from cdp.auth.base import check_role
from cdp.config import Settings
from cdp.errors import InvalidInput

DEFAULT_TTL = timedelta(hours=1)
# Where ``cdp demo`` keeps the development secret it made (mode 0600).
DEMO_SECRET_FILE = "jwt-secret.dev"


def mint(
    settings: Settings,
    subject: str,
    roles: Sequence[str],
    *,
    advisor_id: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> str:
    """A token the server configured by ``settings`` accepts until ``ttl`` has passed."""
    if settings.jwt_secret is None or not settings.jwt_secret.get_secret_value():
        raise InvalidInput(
            "CDP_JWT_SECRET is not set, so the server accepts no HS256 token: set it (the same "
            "value for the server and this command), or run `cdp demo`, which makes one"
        )
    if not subject.strip():
        raise InvalidInput("--sub must not be empty")
    if not roles:
        raise InvalidInput("name at least one --role")
    for role in roles:
        check_role(role)
    if "advisor" in roles and advisor_id is None:
        raise InvalidInput("an advisor token needs --advisor (the advisor's id)")
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "roles": sorted(set(roles)),
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    if advisor_id is not None:
        claims["advisor_id"] = advisor_id
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


def demo_secret(data_dir: Path) -> str:
    """The development secret saved under ``data_dir``, made (random, 0600) if missing."""
    path = data_dir / DEMO_SECRET_FILE
    saved = path.read_text().strip() if path.is_file() else ""
    if saved:
        return saved
    secret = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret
