"""Reads the counter of completion plans that failed unexpectedly."""

from __future__ import annotations

from prometheus_client import REGISTRY


def plan_failures(type_name: str = "Customer") -> float:
    value = REGISTRY.get_sample_value("cdp_graphql_plan_failures_total", {"type": type_name})
    return value or 0.0
