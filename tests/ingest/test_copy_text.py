from datetime import UTC, date, datetime
from decimal import Decimal

import orjson

from cdp.crypto import Cipher
from cdp.ingest import copy_text
from cdp.ingest.customer_record import golden_fragments, normalise_customer


def test_values_render_in_copy_text_format() -> None:
    row = (
        None, "a\\b\tc\nd\re", b"\x01\xff", True, 3, Decimal("12.50"),
        date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    )  # fmt: skip
    assert copy_text.line(row) == (
        "\\N\ta\\\\b\\tc\\nd\\re\t\\\\x01ff\tt\t3\t12.50\t2024-01-02\t2024-01-02T03:04:00+00:00"
    )


def test_clean_text_is_returned_as_is() -> None:
    assert copy_text.text("张三") == "张三"


def test_rows_needing_no_escapes_match_value_by_value_rendering() -> None:
    row = ("张三", None, b"\x00", 5, "a b", bytearray(b"\x02"), date(2024, 1, 2))
    assert copy_text.line(row) == "\t".join(map(copy_text.value, row))
    assert copy_text.line(iter(row)) == copy_text.line(row)


def test_each_special_character_in_text_is_escaped() -> None:
    for special, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        assert copy_text.line((None, f"x{special}y", b"\x01")) == f"\\N\tx{escaped}y\t\\\\x01"


def test_customer_rows_match_the_general_rendering() -> None:
    payload: dict[str, object] = {
        "name": "张三", "gender": None, "birth_date": "1990-01-02", "id_type": None,
        "phone": "13800138000", "email": None, "province": "上海市", "city": "上海市",
        "occupation": None, "annual_income": "120000", "risk_level": 3,
        "risk_assessed_at": None, "investor_class": None, "branch": "浦东",
        "onboarded_at": "2020-01-01T00:00:00+00:00",
    }  # fmt: skip
    blob, id_hash = b"\x00\x01", b"\x02"
    for occupation in (None, "教师", "a\\b", "tab\there", "\\N"):
        p = payload | {"occupation": occupation}
        head, tail = golden_fragments(p, blob, id_hash, None) or ("", "")
        assert head == copy_text.line(
            (p["name"], None, p["birth_date"], "id_card", blob, id_hash, p["phone"], None,
             None, p["province"], p["city"], occupation, p["annual_income"], 3, None,
             "ordinary")
        )  # fmt: skip
        assert tail == copy_text.line((p["branch"], p["onboarded_at"]))


def test_lineage_rows_match_the_general_rendering() -> None:
    cipher = Cipher.from_master_key(bytes(32))
    # A backslash in the key, and JSON escapes in the payload, need the general way.
    for key, job in (("K1", "教师"), ("K\\2", "教师"), ("K3", 'a "b"')):
        row = {"source_key": key, "name": "张三", "occupation": job}
        rec = normalise_customer(row, cipher, date(2026, 1, 1))
        rec.seal(cipher)
        assert rec.source_copy == copy_text.line((key, rec.payload_json, rec.content_hash))
        assert rec.payload == orjson.loads(rec.payload_json or "")
