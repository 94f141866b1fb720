"""API key format, hashing and expiry durations.

A key reads ``cdp_<prefix>_<secret>``: the prefix (12 hex characters) is stored in
clear to find the row, the secret (43 URL-safe characters, 256 random bits) only as
its SHA-256. With that much entropy a plain hash is as good as a slow one, and it
keeps verification cheap on every request; the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cdp.errors import InvalidInput

SCHEME = "cdp"
_PREFIX_BYTES = 6
_KEY = re.compile(r"^cdp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret: str

    @property
    def token(self) -> str:
        return f"{SCHEME}_{self.prefix}_{self.secret}"


def generate() -> NewKey:
    return NewKey(secrets.token_hex(_PREFIX_BYTES), secrets.token_urlsafe(32))


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def secret_matches(secret: str, key_hash: bytes) -> bool:
    return hmac.compare_digest(hash_secret(secret), key_hash)


def looks_like_key(token: str) -> bool:
    return token.startswith(f"{SCHEME}_")


def parse(token: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    match = _KEY.match(token)
    return (match[1], match[2]) if match else None


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m``, ``2w``: how long a new key stays valid."""
    match = _DURATION.match(text)
    if not match or int(match[1]) == 0:
        raise InvalidInput(
            f"bad duration {text!r}: use a positive number and a unit (m, h, d, w), e.g. 90d"
        )
    try:
        return timedelta(**{_UNITS[match[2]]: int(match[1])})
    except OverflowError:
        raise InvalidInput(f"duration {text!r} is too long") from None
