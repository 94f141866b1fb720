from __future__ import annotations

from cdp.ingest.identity import Keys, resolve, switchboards


def k(name: str, id_hash: bytes | None = None, phone: bytes | None = None,
      birth: str | None = None, email: str | None = None) -> Keys:  # fmt: skip
    return Keys(id_hash, phone, email, name, birth)


def test_record_joins_existing_customer_by_strongest_rule() -> None:
    cands = [(7, k("张三", id_hash=b"i1")), (8, k("张三", phone=b"p1"))]
    (res,) = resolve([k("张三", id_hash=b"i1", phone=b"p1")], cands, set())
    assert (res.customer_id, res.rule) == (7, "id_number")


def test_different_id_numbers_never_merge_on_phone() -> None:
    (res,) = resolve([k("张三", id_hash=b"i2", phone=b"p1")], [(7, k("张三", b"i1", b"p1"))], set())
    assert res.customer_id is None


def test_blocked_phone_is_ignored() -> None:
    (res,) = resolve([k("张三", phone=b"p1")], [(7, k("张三", phone=b"p1"))], {b"p1"})
    assert res.customer_id is None


def test_switchboards_count_distinct_people() -> None:
    records = [k(f"人{c}", phone=b"p") for c in "甲乙丙"]
    assert switchboards(records, [], cap=2) == {b"p"}
    assert switchboards(records, [], cap=3) == set()
