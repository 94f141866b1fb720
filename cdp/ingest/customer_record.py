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
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import orjson

from cdp.crypto import Cipher
from cdp.ingest import copy_text
from cdp.ingest import normalize as n
from cdp.ingest.identity import Keys
from cdp.ingest.normalize.memo import Memo

Payload = dict[str, Any]
# See ``CustomerRecord.wire``.
Wire = tuple[Any, ...]


class CustomerRecord:
    """A normalised record; once sealed, also its stored payload and COPY fragments.

    A sealed record crosses the process boundary as its COPY text only: the
    stored JSON is cut out of that text, and parsed, only where an update,
    survivorship or a merge needs it (few records), not for each record written.
    """

    __slots__ = (
        "_canonical", "_payload", "_payload_json", "advisor_no", "content_hash", "golden_copy",
        "id_hash", "id_number", "keys", "phone_hash", "source_copy", "source_key",
    )  # fmt: skip

    def __init__(
        self,
        source_key: str,
        payload: Payload | None,
        id_number: str | None,  # clear text, only in memory until encrypted
        id_hash: bytes | None,
        phone_hash: bytes | None,
        content_hash: bytes,
        keys: Keys,
        advisor_no: str | None,
        payload_json: str | None = None,  # the sealed payload as stored, once sealed
        source_copy: str = "",  # source_record columns from source_key on, COPY text
        golden_copy: tuple[str, str] | None = None,  # see ``golden_fragments``
        canonical: bytes | None = None,  # the payload's hashed JSON, until sealed
    ) -> None:
        self.source_key = source_key
        self._payload = payload
        self.id_number = id_number
        self.id_hash = id_hash
        self.phone_hash = phone_hash
        self.content_hash = content_hash
        self.keys = keys
        self.advisor_no = advisor_no
        self._payload_json = payload_json
        self.source_copy = source_copy
        self.golden_copy = golden_copy
        self._canonical = canonical

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        if self.source_copy:
            return CustomerRecord.from_wire, (self.wire(),)
        return CustomerRecord, (
            self.source_key, self._payload, self.id_number, self.id_hash, self.phone_hash,
            self.content_hash, self.keys, self.advisor_no, self._payload_json,
        )  # fmt: skip

    def wire(self) -> Wire:
        """A sealed record as the writer needs it, flat: a batch of plain tuples
        crosses the process boundary at a third of the cost of the objects. The clear
        ID number and the parsed payload stay behind."""
        k = self.keys
        return (
            self.source_key, self.id_hash, self.phone_hash, self.content_hash, k.email,
            k.name, k.birth_date, self.advisor_no, self.source_copy, self.golden_copy,
        )  # fmt: skip

    @classmethod
    def from_wire(cls, w: Wire) -> CustomerRecord:
        source_key, id_hash, phone_hash, content_hash, email, name, birth, advisor_no = w[:8]
        keys = Keys(id_hash, phone_hash, email, name, birth)
        return cls(
            source_key, None, None, id_hash, phone_hash, content_hash, keys, advisor_no,
            None, w[8], w[9],
        )  # fmt: skip

    @property
    def payload_json(self) -> str | None:
        """The payload as stored, once sealed."""
        if self._payload_json is None and self.source_copy:
            # The second COPY field; JSON text has no raw tabs or line breaks, so
            # its only COPY escapes are doubled backslashes.
            self._payload_json = self.source_copy.split("\t", 2)[1].replace("\\\\", "\\")
        return self._payload_json

    @property
    def payload(self) -> Payload:
        if self._payload is None:
            self._payload = orjson.loads(self.payload_json or "{}")
        return self._payload

    @property
    def name(self) -> str:
        return self.keys.name

    @property
    def email(self) -> str | None:
        return self.keys.email

    @property
    def birth_date(self) -> str | None:
        return self.keys.birth_date

    def seal(self, cipher: Cipher) -> None:
        """Encrypt the ID number into the payload and render it as stored (once)."""
        if self.source_copy:
            return
        payload = self.payload
        blob = None
        enc = b""
        if self.id_number is not None:
            blob = cipher.encrypt(self.id_number)
            enc = base64.b64encode(blob)
            payload["id_number_enc"] = enc.decode()
        canonical = self._canonical
        if canonical is not None:
            # The JSON the content hash was taken over, with the ciphertext added:
            # the same object as encoding the payload again, for a splice.
            if enc:
                canonical = canonical[:-1] + b',"id_number_enc":"' + enc + b'"}'
            self._payload_json = canonical.decode()
        else:
            self._payload_json = orjson.dumps(payload).decode()
        self._canonical = None
        key, stored = self.source_key, self._payload_json
        if "\\" in stored or copy_text.needs_escape(key):
            self.source_copy = copy_text.line((key, stored, self.content_hash))
        else:
            # JSON text holds no raw tabs or line breaks (the encoder escapes control
            # characters), so only a backslash would need escaping.
            self.source_copy = f"{key}\t{stored}\t{copy_text.bytea(self.content_hash)}"
        self.golden_copy = golden_fragments(payload, blob, self.id_hash, self.phone_hash)


def golden_fragments(
    payload: Payload, blob: bytes | None, id_hash: bytes | None, phone_hash: bytes | None
) -> tuple[str, str] | None:
    """The customer row of a customer made of this record alone, as COPY text: the
    columns before ``advisor_id`` and those after it (the advisor is looked up by the
    writer). ``None`` when the row needs the writer's clock (no onboarding time)."""
    p = payload
    if p["onboarded_at"] is None:
        return None
    head = (
        p["name"], p["gender"], p["birth_date"], p["id_type"] or "id_card", blob, id_hash,
        p["phone"], phone_hash, p["email"], p["province"], p["city"], p["occupation"],
        p["annual_income"], p["risk_level"], p["risk_assessed_at"],
        p["investor_class"] or "ordinary",
    )  # fmt: skip
    return copy_text.line(head), copy_text.line((p["branch"], p["onboarded_at"]))


def _iso_moment(value: object) -> str | None:
    """A timestamp as the payload stores it (rendering it costs as much as parsing)."""
    moment = n.parse_datetime(value)
    return None if moment is None else moment.isoformat()


# Columns whose values repeat across a file (see ``Memo``); per process, since the
# rules are pure.
_NAME = Memo(n.name)
_GENDER = Memo(n.gender)
_DATE = Memo(n.parse_date)
_ID_TYPE = Memo(n.id_type)
_TEXT32 = Memo(partial(n.text, max_len=32))
_TEXT64 = Memo(partial(n.text, max_len=64))
_AMOUNT = Memo(n.amount)
_RISK = Memo(n.risk_level)
_CLASS = Memo(n.investor_class)
_MOMENT = Memo(_iso_moment)


def normalise_customer(row: Mapping[str, object], cipher: Cipher, today: date) -> CustomerRecord:
    """Validate every field; a failing one rejects the row, reporting every problem
    of it (``row_problems``: rare, so only rejected rows pay for the second pass).

    One ``try`` covers the row: ``field`` names the column being read, so a rule's
    rejection is attributed to it without a wrapper call per value. Repeating
    columns are looked up in their ``Memo`` inline (``memo[cell]`` for a string
    cell), not through a call, on the path every row takes.
    """
    get = row.get
    field = "source_key"
    try:
        source_key = n.text(get("source_key"), 128)
        if source_key is None:
            raise n.Rejection(field, "required", "source_key is required")
        field = "name"
        name = _NAME[v] if type(v := get("name")) is str else _NAME.rule(v)
        if name is None:
            raise n.Rejection(field, "required", "name is required")
        field = "gender"
        gender = _GENDER[v] if type(v := get("gender")) is str else _GENDER.rule(v)
        field = "birth_date"
        birth = _DATE[v] if type(v := get("birth_date")) is str else _DATE.rule(v)
        if birth is not None and birth > today:
            raise n.Rejection(field, "date_out_of_range", f"{birth.isoformat()} is in the future")
        field = "id_type"
        id_type = (
            _ID_TYPE[v] if type(v := get("id_type")) is str else _ID_TYPE.rule(v)
        ) or "id_card"
        field = "id_number"
        ident = n.id_number(get("id_number"), id_type, birth, gender, today)
        if ident is not None:
            birth = birth or ident.birth_date
            gender = gender or ident.gender
        field = "phone"
        phone = n.phone(get("phone"))
        field = "updated_at"
        updated = _MOMENT[v] if type(v := get("updated_at")) is str else _MOMENT.rule(v)
        field = "onboarded_at"
        onboarded = (
            _MOMENT[v] if type(v := get("onboarded_at")) is str else _MOMENT.rule(v)
        ) or updated
        field = "email"
        email = n.email(get("email"))
        field = "province"
        province = _TEXT32[v] if type(v := get("province")) is str else _TEXT32.rule(v)
        field = "city"
        city = _TEXT32[v] if type(v := get("city")) is str else _TEXT32.rule(v)
        field = "occupation"
        occupation = _TEXT64[v] if type(v := get("occupation")) is str else _TEXT64.rule(v)
        field = "annual_income"
        income = _AMOUNT[v] if type(v := get("annual_income")) is str else _AMOUNT.rule(v)
        field = "risk_level"
        risk = _RISK[v] if type(v := get("risk_level")) is str else _RISK.rule(v)
        field = "risk_assessed_at"
        assessed = _DATE[v] if type(v := get("risk_assessed_at")) is str else _DATE.rule(v)
        field = "investor_class"
        investor_class = _CLASS[v] if type(v := get("investor_class")) is str else _CLASS.rule(v)
        field = "advisor_no"
        advisor_no = _TEXT32[v] if type(v := get("advisor_no")) is str else _TEXT32.rule(v)
        field = "branch"
        branch = _TEXT64[v] if type(v := get("branch")) is str else _TEXT64.rule(v)
    except n.Rejection as exc:
        raise n.Rejection.of_row(row_problems(row, today) or [exc.on(field)]) from None
    keyed_hash = cipher.keyed_hash
    id_hash = keyed_hash(ident.number) if ident is not None else None
    payload: Payload = {
        "name": name,
        "gender": gender,
        "birth_date": None if birth is None else birth.isoformat(),
        "id_type": id_type if ident is not None else None,
        "id_number_hash": id_hash.hex() if id_hash is not None else None,
        "phone": phone,
        "email": email,
        "province": province,
        "city": city,
        "occupation": occupation,
        "annual_income": None if income is None else str(income),
        "risk_level": risk,
        "risk_assessed_at": None if assessed is None else assessed.isoformat(),
        "investor_class": investor_class,
        "advisor_no": advisor_no,
        "branch": branch,
        "onboarded_at": onboarded,
        "updated_at": updated,
    }
    canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256(canonical).digest()
    phone_hash = keyed_hash(phone) if phone is not None else None
    return CustomerRecord(
        source_key,
        payload,
        ident.number if ident is not None else None,
        id_hash,
        phone_hash,
        digest,
        Keys(id_hash, phone_hash, email, name, payload["birth_date"]),
        advisor_no,
        canonical=canonical,
    )


# Field by field, the rules ``normalise_customer`` applies in line.
_RULES: tuple[tuple[str, Any], ...] = (
    ("name", _NAME.rule), ("gender", _GENDER.rule), ("birth_date", _DATE.rule),
    ("id_type", _ID_TYPE.rule), ("phone", n.phone), ("updated_at", _MOMENT.rule),
    ("onboarded_at", _MOMENT.rule), ("email", n.email), ("province", _TEXT32.rule),
    ("city", _TEXT32.rule), ("occupation", _TEXT64.rule), ("annual_income", _AMOUNT.rule),
    ("risk_level", _RISK.rule), ("risk_assessed_at", _DATE.rule),
    ("investor_class", _CLASS.rule), ("advisor_no", _TEXT32.rule), ("branch", _TEXT64.rule),
)  # fmt: skip


def row_problems(row: Mapping[str, object], today: date) -> list[n.Rejection]:
    """Every problem of a customer row, in column order (empty when it is valid)."""
    problems: list[n.Rejection] = []
    values: dict[str, Any] = {}
    get = row.get
    try:
        if n.text(get("source_key"), 128) is None:
            problems.append(n.Rejection("source_key", "required", "source_key is required"))
    except n.Rejection as exc:
        problems.append(exc.on("source_key"))
    for field, rule in _RULES:
        try:
            values[field] = rule(get(field))
        except n.Rejection as exc:
            problems.append(exc.on(field))
            values[field] = None
        if field == "name" and values[field] is None and "name" not in _fields(problems):
            problems.append(n.Rejection("name", "required", "name is required"))
        birth = values.get("birth_date")
        if field == "birth_date" and birth is not None and birth > today:
            problems.append(
                n.Rejection(field, "date_out_of_range", f"{birth.isoformat()} is in the future")
            )
        if field == "id_type" and "id_type" not in _fields(problems):
            # The ID number is checked against the type, birth date and gender read so far.
            try:
                n.id_number(
                    get("id_number"), values["id_type"] or "id_card", birth,
                    values["gender"], today,
                )  # fmt: skip
            except n.Rejection as exc:
                problems.append(exc.on("id_number"))
    return problems


def _fields(problems: list[n.Rejection]) -> set[str | None]:
    return {p.field for p in problems}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
