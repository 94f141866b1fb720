"""Free text, person names and e-mail addresses.

Most cells are already clean; each rule first checks for that with one or two C-level
string tests or a single precompiled match, and returns the value as it is, before
folding, collapsing spaces and validating in the general way.
"""

from __future__ import annotations

import re
import unicodedata

from cdp.ingest.normalize.errors import Rejection

_SPACES = re.compile(r"\s+")
# Transliterated minority names use a middle dot; sources type it several ways.
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·"})
_NAME_BAD = re.compile(r"[0-9@#$%^&*_=+<>?/\\|{}\[\]~!;:\"]")
_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}$")
# Names that the general rule would return unchanged: common CJK ideographs (all
# NFKC-stable) with optional middle dots, or ASCII words separated by single spaces.
_CLEAN_NAME = re.compile(r"[\u4e00-\u9fff·]+|[A-Za-z]+(?: [A-Za-z]+)*")


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


def is_clean(s: str) -> bool:
    """Folding and collapsing whitespace would leave ``s`` as it is (apart from trimming).

    A printable string holds no whitespace but the ASCII space, so without a double
    space there is nothing to collapse.
    """
    return (
        s.isprintable() and "  " not in s and (s.isascii() or unicodedata.is_normalized("NFKC", s))
    )


def text(value: object, max_len: int) -> str | None:
    """Trimmed, NFKC-folded text with runs of whitespace collapsed to one space."""
    if isinstance(value, str) and is_clean(value):
        s = value.strip()
    else:
        raw = raw_text(value)
        if raw is None:
            return None
        s = _SPACES.sub(" ", fold(raw)).strip()
    if len(s) > max_len:
        raise Rejection(None, "too_long", f"longer than {max_len} characters")
    return s or None


def name(value: object) -> str | None:
    """A person's name: folded; ASCII names keep single spaces, CJK names lose all spaces.

    "张 三" and "张三" are the same person in Chinese sources, while "Li Wei" must not
    become "LiWei".
    """
    if isinstance(value, str) and len(value) <= 100 and _CLEAN_NAME.fullmatch(value):
        return value
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
    if isinstance(value, str) and len(value) <= 254 and _EMAIL.fullmatch(value):
        return value
    s = raw_text(value)
    if s is None:
        return None
    s = fold(s).replace(" ", "").lower()
    if len(s) > 254 or not _EMAIL.match(s):
        raise Rejection(None, "email_invalid", f"not an e-mail address: {s!r}")
    return s
