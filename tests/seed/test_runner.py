"""The seeded database: shares, integrity, identity numbers, domain situations, determinism."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text

from cdp.crypto import get_cipher
from cdp.db.engine import Database
from cdp.errors import Conflict
from cdp.idcard import parse
from cdp.seed import SeedReport, seed_database
from tests.conftest import DatabaseFactory
from tests.seed.conftest import AS_OF, CUSTOMERS, seeded

Seeded = tuple[Database, SeedReport]


async def _scalar(db: Database, sql: str) -> Any:
    async with db.read_session() as s:
        return (await s.execute(text(sql))).scalar_one()


async def _rows(db: Database, sql: str) -> list[Any]:
    async with db.read_session() as s:
        return list((await s.execute(text(sql))).all())


async def test_report_counts_match_tables(seeded_db: Seeded) -> None:
    db, report = seeded_db
    assert report.rows["customer"] == CUSTOMERS
    for table, rows in report.rows.items():
        assert await _scalar(db, f"SELECT count(*) FROM {table}") == rows, table
    assert report.elapsed > 0


async def test_asset_tiers_are_heavy_tailed(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    row = (await _rows(db, """
        WITH aum AS (SELECT c.id, coalesce(sum(h.market_value), 0) AS v
                     FROM customer c LEFT JOIN holding h ON h.customer_id = c.id GROUP BY c.id)
        SELECT avg((v >= 6000000)::int), avg((v >= 500000 AND v < 6000000)::int),
               avg((v = 0)::int) FROM aum"""))[0]  # fmt: skip
    hnw, potential, empty = (float(x) for x in row)
    assert 0.003 <= hnw <= 0.025
    assert 0.11 <= potential <= 0.20
    assert 0.08 <= empty <= 0.25


@pytest.mark.parametrize(
    ("child", "column", "parent"),
    [
        ("customer", "advisor_id", "advisor"), ("household_member", "customer_id", "customer"),
        ("household_member", "household_id", "household"), ("holding", "customer_id", "customer"),
        ("holding", "product_id", "product"), ("transaction", "customer_id", "customer"),
        ("transaction", "product_id", "product"), ("interaction_event", "customer_id", "customer"),
        ("consent", "customer_id", "customer"), ("consent_event", "customer_id", "customer"),
        ("referral", "referrer_id", "customer"), ("referral", "referee_id", "customer"),
    ],
)  # fmt: skip
async def test_no_orphans(seeded_db: Seeded, child: str, column: str, parent: str) -> None:
    db, _ = seeded_db
    orphans = await _scalar(db, f"""
        SELECT count(*) FROM {child} x WHERE x.{column} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = x.{column})""")  # fmt: skip
    assert orphans == 0


async def test_constraints_and_indexes_restored(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    names = {r[0] for r in await _rows(db, "SELECT conname FROM pg_constraint")}
    assert {"fk_transaction_customer_id_customer", "uq_customer_customer_no"} <= names
    indexes = {r[0] for r in await _rows(db, "SELECT indexname FROM pg_indexes")}
    assert "ix_transaction_customer_id_occurred_at" in indexes


async def test_id_numbers_decrypt_and_agree_with_the_row(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    cipher = get_cipher()
    rows = await _rows(db, "SELECT id_number_enc, id_number_hash, birth_date, gender, province,"
                           " phone, phone_hash, customer_no FROM customer")  # fmt: skip
    numbers = set()
    for enc, digest, birth, gender, province, phone, phone_hash, customer_no in rows:
        number = cipher.decrypt(enc)
        info = parse(number)
        assert (info.birth_date, info.gender, info.province) == (birth, gender, province)
        assert cipher.keyed_hash(number) == digest
        assert len(phone) == 11
        assert phone.startswith("1")
        assert cipher.keyed_hash(phone) == phone_hash
        assert customer_no.startswith("C")
        assert len(customer_no) == 11
        numbers.add(number)
    assert len(numbers) == len(rows)


async def test_households_and_referrals_have_heavy_tails(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    in_household = await _scalar(db, "SELECT count(*) FROM household_member")
    assert in_household > CUSTOMERS / 2
    relations = {r[0] for r in await _rows(db, "SELECT DISTINCT relation FROM household_member")}
    assert {"self", "spouse", "child", "parent"} <= relations
    top, mean = (await _rows(db, """SELECT max(n), avg(n) FROM
        (SELECT count(*) AS n FROM referral GROUP BY referrer_id) r"""))[0]  # fmt: skip
    assert top >= 8 * float(mean)
    late = await _scalar(db, """SELECT count(*) FROM referral r
        JOIN customer a ON a.id = r.referrer_id
        WHERE r.referred_at < a.onboarded_at""")  # fmt: skip
    assert late == 0


async def test_compliance_situations_are_present(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    withdrawn = await _scalar(db, """SELECT count(*) FROM consent c WHERE NOT granted AND EXISTS
        (SELECT 1 FROM consent_event e WHERE e.customer_id = c.customer_id
         AND e.purpose = c.purpose AND e.granted)""")  # fmt: skip
    assert withdrawn > 0
    mismatched = await _scalar(db, """SELECT count(*) FROM consent c WHERE c.granted <>
        (SELECT e.granted FROM consent_event e WHERE e.customer_id = c.customer_id
         AND e.purpose = c.purpose ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)""")  # fmt: skip
    assert mismatched == 0
    expired = await _scalar(
        db, f"SELECT count(*) FROM customer WHERE risk_assessed_at < DATE '{AS_OF}' - 365"
    )
    assert expired > CUSTOMERS * 0.05
    breaches = await _scalar(db, """SELECT count(DISTINCT c.id) FROM customer c
        JOIN holding h ON h.customer_id = c.id JOIN product p ON p.id = h.product_id
        WHERE c.investor_class = 'ordinary' AND p.risk_rating > c.risk_level""")  # fmt: skip
    assert 0 < breaches < CUSTOMERS * 0.05
    assert await _scalar(db, "SELECT count(*) FROM customer WHERE investor_class = 'professional'")
    assert (
        await _scalar(
            db,
            "SELECT count(*) FROM customer"
            f" WHERE birth_date <= DATE '{AS_OF}' - interval '65 years'",
        )
        > CUSTOMERS * 0.05
    )


async def test_activity_decays(seeded_db: Seeded) -> None:
    db, _ = seeded_db
    recency = await _rows(
        db,
        f"""
        SELECT count(*) FILTER (WHERE last >= DATE '{AS_OF}' - 90),
               count(*) FILTER (WHERE last < DATE '{AS_OF}' - 180)
        FROM (SELECT max(occurred_at) AS last FROM transaction GROUP BY customer_id) t""",
    )
    active, sleeping = recency[0]
    assert active > sleeping > 0
    assert await _scalar(db, "SELECT count(*) FROM customer WHERE status = 'dormant'") > 0
    future = await _scalar(
        db, f"SELECT count(*) FROM transaction WHERE occurred_at > DATE '{AS_OF}'"
    )
    assert future == 0


async def _fingerprint(db: Database) -> str:
    value: str = await _scalar(db, """SELECT md5(
        (SELECT string_agg(concat_ws('|', id, customer_no, name, birth_date, phone,
            encode(id_number_hash, 'hex'), risk_level, advisor_id, onboarded_at), ',' ORDER BY id)
         FROM customer)
        || (SELECT string_agg(concat_ws('|', customer_id, product_id, market_value, opened_at),
            ',' ORDER BY customer_id, product_id) FROM holding)
        || (SELECT string_agg(concat_ws('|', customer_id, kind, amount, occurred_at), ','
            ORDER BY customer_id, occurred_at, kind, amount) FROM transaction)
        || (SELECT string_agg(concat_ws('|', customer_id, kind, occurred_at, properties::text),
            ',' ORDER BY customer_id, occurred_at, kind) FROM interaction_event)
        || (SELECT string_agg(concat_ws('|', customer_id, purpose, granted, occurred_at), ','
            ORDER BY customer_id, purpose, occurred_at) FROM consent_event))""")  # fmt: skip
    return value


async def test_same_seed_same_data_other_seed_other_data(
    database_factory: DatabaseFactory, seeded_db: Seeded
) -> None:
    db, _ = seeded_db
    again, _ = await seeded(database_factory, customers=CUSTOMERS, seed=7)
    other, _ = await seeded(database_factory, customers=CUSTOMERS, seed=8)
    try:
        assert await _fingerprint(again) == await _fingerprint(db)
        assert await _fingerprint(other) != await _fingerprint(db)
    finally:
        await again.dispose()
        await other.dispose()


async def test_refuses_a_non_empty_database_unless_reset(
    fresh_database: Callable[[], Awaitable[Database]],
) -> None:
    db = await fresh_database()
    await seed_database(db, customers=200, seed=1, as_of=AS_OF, workers=1)
    with pytest.raises(Conflict, match="reset"):
        await seed_database(db, customers=200, seed=1, as_of=AS_OF, workers=1)
    report = await seed_database(db, customers=300, seed=2, as_of=AS_OF, workers=1, reset=True)
    assert await _scalar(db, "SELECT count(*) FROM customer") == report.rows["customer"] == 300
