"""A customer row from a source, validated and normalised into a lineage payload.

The payload is what ``source_record.payload`` stores and what survivorship reads: a
JSON object of canonical values (dates ISO, amounts as strings, timestamps in UTC).
The ID number is never in it in clear: it carries the ciphertext (base64) and the
keyed hash; the content hash is taken over the keyed hash so that re-encrypting with
a fresh nonce does not make an unchanged record look changed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from cdp.crypto import Cipher
from cdp.ingest import normalize as n
from cdp.ingest.normalize.dates import not_future

Payload = dict[str, Any]


@dataclass
class CustomerRecord:
    source_key: str
    payload: Payload
    id_number: str | None  # clear text, only in memory until encrypted
    id_hash: bytes | None
    phone_hash: bytes | None
    content_hash: bytes

    @property
    def name(self) -> str:
        return str(self.payload["name"])

    @property
    def email(self) -> str | None:
        return self.payload.get("email")

    @property
    def birth_date(self) -> str | None:
        return self.payload.get("birth_date")

    def seal(self, cipher: Cipher) -> None:
        """Encrypt the ID number into the payload (only for records that get written)."""
        if self.id_number is not None:
            blob = cipher.encrypt(self.id_number)
            self.payload["id_number_enc"] = base64.b64encode(blob).decode()


def _field(row: Mapping[str, object], key: str, rule: Any, *args: Any) -> Any:
    try:
        return rule(row.get(key), *args)
    except n.Rejection as exc:
        raise exc.on(key) from None


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def hasher(cipher: Cipher) -> Callable[[str], bytes]:
    """``cipher.keyed_hash`` through the one-shot C HMAC (same digest, several times faster)."""
    key = cipher._hash_key

    def keyed_hash(value: str) -> bytes:
        return hmac.digest(key, value.encode(), "sha256")

    return keyed_hash


def normalise_customer(
    row: Mapping[str, object],
    cipher: Cipher,
    today: date,
    keyed_hash: Callable[[str], bytes] | None = None,
) -> CustomerRecord:
    """Validate every field; the first failing one rejects the row."""
    keyed_hash = keyed_hash or cipher.keyed_hash
    source_key = _field(row, "source_key", n.text, 128)
    if source_key is None:
        raise n.Rejection("source_key", "required", "source_key is required")
    name = _field(row, "name", n.name)
    if name is None:
        raise n.Rejection("name", "required", "name is required")
    gender = _field(row, "gender", n.gender)
    birth = _field(row, "birth_date", n.parse_date)
    birth = _field({"birth_date": birth}, "birth_date", not_future, today)
    id_type = _field(row, "id_type", n.id_type) or "id_card"
    ident = _field(row, "id_number", n.id_number, id_type, birth, gender)
    if ident is not None:
        birth = birth or ident.birth_date
        gender = gender or ident.gender
    phone = _field(row, "phone", n.phone)
    updated = _field(row, "updated_at", n.parse_datetime)
    onboarded = _field(row, "onboarded_at", n.parse_datetime) or updated
    id_hash = keyed_hash(ident.number) if ident is not None else None
    payload: Payload = {
        "name": name,
        "gender": gender,
        "birth_date": _iso(birth),
        "id_type": id_type if ident is not None else None,
        "id_number_hash": id_hash.hex() if id_hash is not None else None,
        "phone": phone,
        "email": _field(row, "email", n.email),
        "province": _field(row, "province", n.text, 32),
        "city": _field(row, "city", n.text, 32),
        "occupation": _field(row, "occupation", n.text, 64),
        "annual_income": _str(_field(row, "annual_income", n.amount)),
        "risk_level": _field(row, "risk_level", n.risk_level),
        "risk_assessed_at": _iso(_field(row, "risk_assessed_at", n.parse_date)),
        "investor_class": _field(row, "investor_class", n.investor_class),
        "advisor_no": _field(row, "advisor_no", n.text, 32),
        "branch": _field(row, "branch", n.text, 64),
        "onboarded_at": _iso(onboarded),
        "updated_at": _iso(updated),
    }
    digest = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).digest()
    return CustomerRecord(
        source_key=source_key,
        payload=payload,
        id_number=ident.number if ident is not None else None,
        id_hash=id_hash,
        phone_hash=keyed_hash(phone) if phone is not None else None,
        content_hash=digest,
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
