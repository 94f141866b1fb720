"""Hand-written SQL for 34 of the library's 53 tags: the baseline of the library benchmark.

What an engineer would write by hand for these tags: one ``GROUP BY`` pass per
source table (holdings with their products, transactions, interactions,
referrals, household members), one row per customer, then a ``UNION ALL`` of one
``SELECT`` per tag into a table (no evidence, no diff, no history). The subset
covers every source, time windows, the customer's own fields, household
aggregates, a ``case`` enum and an ``ntile``; the 19 tags left out repeat these
shapes (more windows over the same sources, the RFM and churn tags built on
other tags) and would only lengthen the text. ``$1::timestamptz`` is the run's instant,
``$2`` its day (UTC), as the engine's ``as_of``.
"""

from __future__ import annotations

KEYS = [
    "asset_tier", "million_club", "private_banking", "professional_candidate",
    "concentrated_portfolio", "idle_deposits", "insurance_holder", "deposit_only",
    "multi_product", "suitability_breach", "maturing_30d", "elderly_high_risk",
    "conservative_cash_heavy", "high_income", "elderly_care", "dormant_account",
    "aggressive_investor", "risk_level_label", "new_customer", "young_professional",
    "high_frequency_trader", "recently_inactive", "net_outflow_90d", "large_redemption_30d",
    "large_purchase_30d", "branch_visitor", "recent_complaint", "survey_responder",
    "referral_champion", "referrer", "household_hnw", "family_customer", "rfm_m",
    "professional_investor",
]  # fmt: skip

SQL = """
CREATE TABLE bench_hand AS
WITH h AS (
    SELECT h.customer_id,
           sum(h.market_value) AS aum,
           max(h.market_value) AS largest,
           count(*) AS n,
           sum(h.market_value) FILTER (WHERE p.category = 'deposit') AS deposits,
           count(*) FILTER (WHERE p.category = 'insurance') AS insurance,
           count(*) FILTER (WHERE p.category <> 'deposit') AS not_deposit,
           count(*) FILTER (WHERE p.risk_rating > coalesce(c.risk_level, 1)) AS above,
           count(*) FILTER (WHERE p.risk_rating >= 4) AS risky,
           count(*) FILTER (WHERE p.term_days - ($2::date - (h.opened_at AT TIME ZONE 'UTC')::date)
                            BETWEEN 0 AND 30) AS maturing
    FROM holding h
    LEFT JOIN product p ON p.id = h.product_id
    JOIN customer c ON c.id = h.customer_id
    GROUP BY h.customer_id
), t AS (
    SELECT customer_id,
           max(occurred_at) AS last_at,
           count(*) FILTER (WHERE kind IN ('purchase', 'redemption')
                            AND occurred_at > $1::timestamptz - interval '30 days'
                            AND occurred_at <= $1::timestamptz) AS trades,
           sum(amount) FILTER (WHERE kind IN ('redemption', 'withdrawal', 'transfer_out')
                               AND occurred_at > $1::timestamptz - interval '90 days'
                               AND occurred_at <= $1::timestamptz) AS out90,
           sum(amount) FILTER (WHERE kind IN ('purchase', 'deposit', 'transfer_in')
                               AND occurred_at > $1::timestamptz - interval '90 days'
                               AND occurred_at <= $1::timestamptz) AS in90,
           max(amount) FILTER (WHERE kind = 'redemption'
                               AND occurred_at > $1::timestamptz - interval '30 days'
                               AND occurred_at <= $1::timestamptz) AS red30,
           max(amount) FILTER (WHERE kind = 'purchase'
                               AND occurred_at > $1::timestamptz - interval '30 days'
                               AND occurred_at <= $1::timestamptz) AS pur30
    FROM transaction GROUP BY customer_id
), i AS (
    SELECT customer_id,
           count(*) FILTER (WHERE kind = 'branch_visit'
                            AND occurred_at > $1::timestamptz - interval '90 days'
                            AND occurred_at <= $1::timestamptz) AS visits,
           count(*) FILTER (WHERE kind = 'complaint'
                            AND occurred_at > $1::timestamptz - interval '90 days'
                            AND occurred_at <= $1::timestamptz) AS complaints,
           count(*) FILTER (WHERE kind = 'survey'
                            AND occurred_at > $1::timestamptz - interval '365 days'
                            AND occurred_at <= $1::timestamptz) AS surveys
    FROM interaction_event GROUP BY customer_id
), r AS (
    SELECT referrer_id AS customer_id, count(*) AS n,
           count(*) FILTER (WHERE referred_at > $1::timestamptz - interval '365 days'
                            AND referred_at <= $1::timestamptz) AS recent
    FROM referral GROUP BY referrer_id
), hh AS (
    SELECT m.customer_id, totals.aum, totals.size
    FROM household_member m
    JOIN (SELECT a.household_id, count(DISTINCT a.customer_id) AS size,
                 coalesce(sum(x.market_value), 0) AS aum
          FROM household_member a LEFT JOIN holding x ON x.customer_id = a.customer_id
          GROUP BY a.household_id) totals ON totals.household_id = m.household_id
), f AS (
    SELECT c.id, c.status, c.investor_class, c.risk_level, c.annual_income,
           coalesce(h.aum, 0) AS aum, h.largest, coalesce(h.n, 0) AS holdings,
           coalesce(h.deposits, 0) AS deposits, coalesce(h.insurance, 0) AS insurance,
           coalesce(h.not_deposit, 0) AS not_deposit, coalesce(h.above, 0) AS above,
           coalesce(h.risky, 0) AS risky, coalesce(h.maturing, 0) AS maturing,
           date_part('year', age($2::date, c.birth_date)) AS age,
           $2::date - (c.onboarded_at AT TIME ZONE 'UTC')::date AS tenure,
           $2::date - (t.last_at AT TIME ZONE 'UTC')::date AS idle,
           coalesce(t.trades, 0) AS trades, coalesce(t.out90, 0) AS out90,
           coalesce(t.in90, 0) AS in90, t.red30, t.pur30,
           coalesce(i.visits, 0) AS visits, coalesce(i.complaints, 0) AS complaints,
           coalesce(i.surveys, 0) AS surveys,
           coalesce(r.n, 0) AS referrals, coalesce(r.recent, 0) AS recent_referrals,
           hh.aum AS household_aum, hh.size AS household_size,
           ntile(5) OVER (ORDER BY coalesce(h.aum, 0), c.id) AS rfm_m
    FROM customer c
    LEFT JOIN h ON h.customer_id = c.id
    LEFT JOIN t ON t.customer_id = c.id
    LEFT JOIN i ON i.customer_id = c.id
    LEFT JOIN r ON r.customer_id = c.id
    LEFT JOIN hh ON hh.customer_id = c.id
    WHERE c.status <> 'merged'
), p AS (
    SELECT f.* FROM f
    WHERE EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = f.id
                  AND k.purpose = 'profiling' AND k.granted)
)
SELECT 'asset_tier' AS tag, id,
       CASE WHEN aum >= 6000000 THEN '高净值' WHEN aum >= 500000 THEN '潜力' ELSE '大众' END
           AS value
FROM p
UNION ALL SELECT 'million_club', id, 'true' FROM p WHERE aum >= 1000000
UNION ALL SELECT 'private_banking', id, 'true' FROM p WHERE aum >= 10000000
UNION ALL SELECT 'professional_candidate', id, 'true' FROM p
          WHERE investor_class = 'ordinary' AND aum >= 5000000
UNION ALL SELECT 'concentrated_portfolio', id, 'true' FROM p
          WHERE aum >= 100000 AND largest / aum >= 0.8
UNION ALL SELECT 'idle_deposits', id, 'true' FROM p WHERE deposits >= 1000000
UNION ALL SELECT 'insurance_holder', id, 'true' FROM p WHERE insurance > 0
UNION ALL SELECT 'deposit_only', id, 'true' FROM p WHERE aum > 0 AND not_deposit = 0
UNION ALL SELECT 'multi_product', id, 'true' FROM p WHERE holdings >= 5
UNION ALL SELECT 'suitability_breach', id, 'true' FROM p
          WHERE investor_class <> 'professional' AND above > 0
UNION ALL SELECT 'maturing_30d', id, 'true' FROM p WHERE maturing > 0
UNION ALL SELECT 'elderly_high_risk', id, 'true' FROM p WHERE age >= 65 AND risky > 0
UNION ALL SELECT 'conservative_cash_heavy', id, 'true' FROM p
          WHERE risk_level <= 2 AND aum > 0 AND deposits / aum >= 0.8
UNION ALL SELECT 'high_income', id, 'true' FROM p WHERE annual_income >= 1000000
UNION ALL SELECT 'elderly_care', id, 'true' FROM p WHERE age >= 65
UNION ALL SELECT 'dormant_account', id, 'true' FROM p WHERE status = 'dormant'
UNION ALL SELECT 'aggressive_investor', id, 'true' FROM p WHERE risk_level >= 4
UNION ALL SELECT 'professional_investor', id, 'true' FROM p
          WHERE investor_class = 'professional'
UNION ALL SELECT 'risk_level_label', id,
          CASE risk_level WHEN 1 THEN 'C1 保守型' WHEN 2 THEN 'C2 稳健型' WHEN 3 THEN 'C3 平衡型'
                          WHEN 4 THEN 'C4 成长型' WHEN 5 THEN 'C5 进取型' END
          FROM p WHERE risk_level IS NOT NULL
UNION ALL SELECT 'new_customer', id, 'true' FROM p WHERE tenure <= 90
UNION ALL SELECT 'young_professional', id, 'true' FROM p
          WHERE age BETWEEN 25 AND 35 AND annual_income >= 300000
UNION ALL SELECT 'high_frequency_trader', id, 'true' FROM p WHERE trades >= 10
UNION ALL SELECT 'recently_inactive', id, 'true' FROM p WHERE idle BETWEEN 60 AND 365
UNION ALL SELECT 'net_outflow_90d', id, 'true' FROM p WHERE out90 > in90
UNION ALL SELECT 'large_redemption_30d', id, 'true' FROM p WHERE red30 >= 500000
UNION ALL SELECT 'large_purchase_30d', id, 'true' FROM p WHERE pur30 >= 1000000
UNION ALL SELECT 'branch_visitor', id, 'true' FROM p WHERE visits >= 3
UNION ALL SELECT 'recent_complaint', id, 'true' FROM p WHERE complaints > 0
UNION ALL SELECT 'survey_responder', id, 'true' FROM p WHERE surveys > 0
UNION ALL SELECT 'referral_champion', id, 'true' FROM p WHERE recent_referrals >= 3
UNION ALL SELECT 'referrer', id, 'true' FROM p WHERE referrals > 0
UNION ALL SELECT 'household_hnw', id, 'true' FROM p WHERE household_aum >= 6000000
UNION ALL SELECT 'family_customer', id, 'true' FROM p WHERE household_size >= 2
UNION ALL SELECT 'rfm_m', id, rfm_m::text FROM p
"""
