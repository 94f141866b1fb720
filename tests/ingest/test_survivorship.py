from __future__ import annotations

from cdp.ingest.survivorship import Contribution, survive


def test_trust_then_recency_then_gaps() -> None:
    golden = survive([
        Contribution(50, "2024-09-01", {"name": "乙", "email": "b@x.cn", "onboarded_at": "2021"}),
        Contribution(100, "2024-01-01", {"name": "甲", "email": None, "onboarded_at": "2022"}),
        Contribution(100, "2024-05-01", {"name": "甲二", "risk_level": 3,
                                         "risk_assessed_at": "2024-05-01"}),
    ])  # fmt: skip
    assert golden["name"] == "甲二"
    assert golden["email"] == "b@x.cn"
    assert (golden["risk_level"], golden["risk_assessed_at"]) == (3, "2024-05-01")
    assert golden["onboarded_at"] == "2021"  # earliest start wins
