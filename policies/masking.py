"""Masking functions: what a caller with a ``mask`` decision sees instead of a value.

Conventions (DESIGN.md, JR/T 0171): a masked value keeps just enough to recognise
it in a conversation ("the number ending 1234") and never enough to contact or
identify the person. Each hidden character becomes one ``*``, except in e-mail
addresses (a fixed ``***``, since the length of a local part helps guessing it).
A value too short to keep its ends while still hiding at least four characters is
masked entirely: a partial reveal of a malformed value could be most of it.
``None`` stays ``None`` and an empty string stays empty — there is nothing to hide.

Names keep the surname and hide the given name character by character: 张三 → 张*,
张三丰 → 张**, and common two-character surnames are kept whole: 欧阳修 → 欧阳*,
司马相如 → 司马**. A two-character name starting with a compound surname is read
as surname plus given name (欧阳 → 欧*), since nobody is called by surname alone.
Names in Latin script keep their first letter: John Smith → J*** *****.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

MIN_HIDDEN: Final = 4

# Common two-character (复姓) surnames, kept whole when masking a name.
COMPOUND_SURNAMES: Final = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 夏侯 司徒 宇文 "  # noqa: SIM905
    "澹台 轩辕 端木 独孤 南宫 西门 呼延 申屠 百里 东郭 闻人 万俟 赫连 钟离".split()
)


def _keep_ends(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    if hidden < MIN_HIDDEN:
        return "*" * len(value)
    return value[:head] + "*" * hidden + value[len(value) - tail :]


def _compact(value: str) -> str:
    """The value without separators (spaces, hyphens, brackets)."""
    return "".join(ch for ch in value if ch.isalnum())


def mask_phone(value: str | None) -> str | None:
    """Mobile ``13800001234`` → ``138****1234``; landline ``0755-12345678`` →
    ``0755****5678`` (the area code and the last four kept). A ``+86`` or ``0086``
    prefix is dropped first."""
    if not value:
        return value
    digits = _compact(value)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    if digits.startswith("0"):
        area = 3 if digits.startswith(("010", "02")) else 4
        return _keep_ends(digits, area, 4)
    return _keep_ends(digits, 3, 4)


def mask_id_number(value: str | None) -> str | None:
    """ID number: first 3 and last 4 kept, ``110***********1234``."""
    if not value:
        return value
    return _keep_ends(_compact(value), 3, 4)


def mask_bank_card(value: str | None) -> str | None:
    """Bank card: first 6 (the issuer) and last 4 kept, ``622202******1234``."""
    if not value:
        return value
    return _keep_ends(_compact(value), 6, 4)


def mask_name(value: str | None) -> str | None:
    """Name: the surname kept, each other character hidden (see the module doc)."""
    if not value:
        return value
    name = value.strip()
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    if len(name) <= keep:
        return "*" * len(name)
    rest = name[keep:]
    # Spaces (in transliterated names) stay; the rest is one repeat per word.
    if " " not in rest:
        return name[:keep] + "*" * len(rest)
    return name[:keep] + " ".join("*" * len(part) for part in rest.split(" "))


def mask_email(value: str | None) -> str | None:
    """E-mail: first character of the local part and the domain, ``a***@example.com``."""
    if not value:
        return value
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return "***"
    head = local[0] if len(local) > 1 else ""
    return f"{head}***@{domain}"


def mask_default(value: Any) -> Any:
    """Any other masked field: a string becomes ``***``, anything else ``None`` (a
    number or date cannot be shown partly)."""
    if value is None or value == "":
        return value
    return "***" if isinstance(value, str) else None


Masker = Callable[[Any], Any]

# Masking function per field; fields not listed use ``mask_default``. Bank cards get
# ``mask_bank_card`` once an account type exposes one.
MASKERS: Final[dict[str, Masker]] = {
    "Customer.phone": mask_phone,
    "Customer.idNumber": mask_id_number,
    "Customer.name": mask_name,
    "Customer.email": mask_email,
}


def masker_for(type_name: str, field: str) -> Masker:
    """The masking function of ``type_name.field``."""
    return MASKERS.get(f"{type_name}.{field}", mask_default)
