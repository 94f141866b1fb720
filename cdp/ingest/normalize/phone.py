"""Mainland mobile numbers: country prefixes and separators removed, 11 digits kept."""

from __future__ import annotations

import re

from cdp.ingest.normalize.errors import Rejection
from cdp.ingest.normalize.text import fold, raw_text

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone(value: object) -> str | None:
    """``+86 138-0013-8000``, ``0086 13800138000`` and ``8613800138000`` → ``13800138000``."""
    s = raw_text(value)
    if s is None:
        return None
    if len(s) == 11 and _MOBILE.match(s):
        return s  # the common case, kept cheap
    s = _SEPARATORS.sub("", fold(s))
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if not _MOBILE.match(s):
        raise Rejection(None, "phone_invalid", f"not a mainland mobile number: {value!r}")
    return s


def mask(number: str) -> str:
    """``138****1234``, the display convention for phones."""
    return f"{number[:3]}****{number[-4:]}" if len(number) == 11 else "****"
