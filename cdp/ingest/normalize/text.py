"""Free text, person names and e-mail addresses."""

from __future__ import annotations

import re
import unicodedata

from cdp.ingest.normalize.errors import Rejection

_SPACES = re.compile(r"\s+")
# Transliterated minority names use a middle dot; sources type it several ways.
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·"})
_NAME_BAD = re.compile(r"[0-9@#$%^&*_=+<>?/\\|{}\[\]~!;:\"]")
_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}$")


def raw_text(value: object) -> str | None:
    """The trimmed string form of a cell; empty and whitespace-only become ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    s = value if isinstance(value, str) else str(value)
    s = s.strip()
    return s or None


def fold(s: str) -> str:
    """NFKC folds full-width letters, digits and punctuation to their usual forms."""
    return s if s.isascii() else unicodedata.normalize("NFKC", s)


def text(value: object, max_len: int) -> str | None:
    """Trimmed, NFKC-folded text with runs of whitespace collapsed to one space."""
    s = raw_text(value)
    if s is None:
        return None
    s = _SPACES.sub(" ", fold(s)).strip()
    if len(s) > max_len:
        raise Rejection(None, "too_long", f"longer than {max_len} characters")
    return s or None


def name(value: object) -> str | None:
    """A person's name: folded; ASCII names keep single spaces, CJK names lose all spaces.

    "张 三" and "张三" are the same person in Chinese sources, while "Li Wei" must not
    become "LiWei".
    """
    s = raw_text(value)
    if s is None:
        return None
    s = fold(s).translate(_DOTS)
    s = _SPACES.sub(" ", s).strip()
    if not s.isascii():
        s = s.replace(" ", "")
    if len(s) > 100:
        raise Rejection(None, "too_long", "a name is at most 100 characters")
    if _NAME_BAD.search(s):
        raise Rejection(None, "name_invalid", f"a name holds no digits or symbols: {s!r}")
    return s


def email(value: object) -> str | None:
    """Lower-cased, folded address with a plausible shape."""
    s = raw_text(value)
    if s is None:
        return None
    s = fold(s).replace(" ", "").lower()
    if len(s) > 254 or not _EMAIL.match(s):
        raise Rejection(None, "email_invalid", f"not an e-mail address: {s!r}")
    return s
