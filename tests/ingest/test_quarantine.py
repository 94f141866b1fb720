"""Quarantined rows are kept encrypted: the stored payload reveals no identifier."""

from __future__ import annotations

from sqlalchemy import text

from cdp.db.engine import AsyncWriteSession
from cdp.ingest import ingest_batch
from cdp.ingest.quarantine import open_payload
from tests.ingest.helpers import card, person

ID_NUMBER = card(7)
PHONE = "13912345678"
EMAIL = "zhang.san@example.com"


async def test_quarantined_payload_is_encrypted_and_decrypts_back(
    session: AsyncWriteSession,
) -> None:
    # A valid ID number, phone and e-mail on a row rejected for its risk level.
    row = person("A", "张三", id_number=ID_NUMBER, phone=PHONE, email=EMAIL, risk_level="C9")
    result = await ingest_batch(session, source="crm", kind="customers", rows=[row])
    assert [i.status for i in result.items] == ["rejected"]

    (stored,) = (await session.execute(text("SELECT payload_enc FROM quarantine"))).all()
    blob = bytes(stored[0])
    for clear in (ID_NUMBER, PHONE, EMAIL, "张三"):
        assert clear.encode() not in blob
        assert clear.encode("utf-16-le") not in blob
    opened = open_payload(blob)
    assert (opened["id_number"], opened["phone"], opened["email"]) == (ID_NUMBER, PHONE, EMAIL)
    assert opened["risk_level"] == "C9"

    # Nothing else in the row holds the identifiers either.
    everything = await session.execute(text("SELECT q::text FROM quarantine q"))
    dump = everything.scalar_one()
    assert ID_NUMBER not in dump
    assert PHONE not in dump
    assert EMAIL not in dump
