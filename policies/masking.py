"""Masking functions: what a caller with a ``mask`` decision sees instead of a value.

Conventions (JR/T 0171): a masked value keeps just enough to recognise
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
    """ID number: the first and the last character kept, ``3****************0``.

    An 18-character number is region (6) + birth date (8) + sequence (3) + check
    character. Keeping more of it is not safe next to what the same reader sees in
    clear: with the first three and last four kept, the city narrows the hidden
    region digits to a handful of districts, the birth date fills eight more, and
    the check character picks the one number that fits. With one character at each
    end, the sequence digits are never shown anywhere, so even a reader of the birth
    date and city is left with tens of candidates per district (and roles that see
    the ID number masked see the birth date masked too: ``policies.identity``).
    """
    if not value:
        return value
    return _keep_ends(_compact(value), 1, 1)


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


def mask_withheld(value: Any) -> Any:
    """A value nothing of which may be shown (the birth date: characters 7-14 of the
    ID number): ``None``, whatever it is."""
    return None


Masker = Callable[[Any], Any]

# Masking function per field; fields not listed use ``mask_default``. Bank cards get
# ``mask_bank_card`` once an account type exposes one.
MASKERS: Final[dict[str, Masker]] = {
    "Customer.phone": mask_phone,
    "Customer.idNumber": mask_id_number,
    "Customer.name": mask_name,
    "Customer.email": mask_email,
    "Customer.birthDate": mask_withheld,
}


# What each masked field shows and why that is safe next to everything else the same
# reader may see; rendered into the permission matrix (policies/README.md) for every
# field some role reads masked. A masked field without a note here is refused by
# the matrix test, so a new mask cannot go undocumented.
MASK_NOTES: Final[dict[str, tuple[str, str]]] = {
    "Customer.idNumber": (
        "`3****************0`: the first and last character",
        "The sequence digits 15 and 16 appear in no other field, and the roles "
        "that see this mask see the birth date masked too (`id_number_masked`, checked "
        "by `policies/identity.py`): with age, city and gender in clear, tens of "
        "thousands of valid numbers per district remain. The old first-3/last-4 mask left "
        "one once the birth date and city were known.",
    ),
    "Customer.birthDate": (
        "withheld (`null`, no error)",
        "Characters 7-14 of the ID number. The age in whole years stays readable; it "
        "leaves about 730 possible dates.",
    ),
    "Customer.phone": (
        "`138****1234`, landline `0755****5678`",
        "The four middle digits appear in no other field, and no role that sees the "
        "mask may filter on the phone: 10,000 candidates. The carrier prefix and last "
        "four are what a caller confirms on the telephone.",
    ),
    "Customer.email": (
        "`z***@example.com`: first character and domain",
        "The local part's length is hidden too (a fixed `***`); nothing else the role "
        "reads spells it.",
    ),
    "Customer.name": (
        "`张*`, `欧阳**`, `J*** *****`: the surname",
        "A surname is shared by millions; the given name appears in no other field the "
        "role reads (the household name is not granted to masking roles).",
    ),
}


def masker_for(type_name: str, field: str) -> Masker:
    """The masking function of ``type_name.field``."""
    return MASKERS.get(f"{type_name}.{field}", mask_default)
