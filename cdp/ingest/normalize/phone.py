"""Mainland phone numbers: mobiles and landlines, normalised to their digits.

Mobiles are 11 digits starting ``1[3-9]``; country prefixes (``+86``, ``0086``, ``86``)
and separators are removed. Landlines are the trunk ``0``, an area code (``10`` and
``2x`` for the large cities, three digits elsewhere) and a local number of 7 or 8
digits that never starts with 0 or 1: ``021-68881234`` → ``02168881234``,
``(0755)86001234`` → ``075586001234``. With a country prefix the trunk ``0`` is
dropped (``+86 21 6888 1234``) and comes back in the normal form.
"""

from __future__ import annotations

import re

from cdp.ingest.normalize.errors import Rejection
from cdp.ingest.normalize.text import fold, raw_text

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d\d)[2-9]\d{6,7}", re.ASCII)


def phone(value: object) -> str | None:
    """``+86 138-0013-8000``, ``0086 13800138000`` and ``8613800138000`` → ``13800138000``."""
    if isinstance(value, str) and len(value) == 11 and _MOBILE.fullmatch(value):
        return value  # the common case, kept cheap
    s = raw_text(value)
    if s is None:
        return None
    s = _SEPARATORS.sub("", fold(s))
    national = True
    if s.startswith("+86"):
        s, national = s[3:], False
    elif s.startswith("0086"):
        s, national = s[4:], False
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if _MOBILE.fullmatch(s):
        return s
    if not national and s[:1] not in ("0", "1"):
        s = "0" + s  # international spelling of a landline: the trunk 0 is left out
    if _LANDLINE.fullmatch(s):
        return s
    raise Rejection(None, "phone_invalid", f"not a mainland mobile or landline number: {value!r}")


def mask(number: str) -> str:
    """``138****1234`` (``0755****1234`` for landlines), the display convention for phones."""
    if len(number) < 10:
        return "****"
    head = 4 if number.startswith("0") and len(number) == 12 else 3
    return f"{number[:head]}****{number[-4:]}"
