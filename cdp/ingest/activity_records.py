"""Holding, transaction, event and consent rows, validated and normalised.

Each builder returns a plain dict of typed values plus the references it needs
resolved (``customer_key``, ``product_code``); resolution against the database is
the writer's job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from cdp.ingest import normalize as n

Record = dict[str, Any]


def _get(row: Mapping[str, object], key: str, rule: Callable[..., Any], *args: Any) -> Any:
    try:
        return rule(row.get(key), *args)
    except n.Rejection as exc:
        raise exc.on(key) from None


def _need(row: Mapping[str, object], key: str, rule: Callable[..., Any], *args: Any) -> Any:
    value = _get(row, key, rule, *args)
    if value is None:
        raise n.Rejection(key, "required", f"{key} is required")
    return value


def properties(value: object) -> dict[str, Any]:
    """A JSON object (or its text, as CSV carries it); empty means ``{}``."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise n.Rejection(None, "properties_invalid", "properties is not valid JSON") from None
    if not isinstance(value, dict):
        raise n.Rejection(None, "properties_invalid", "properties must be a JSON object")
    return value


def holding(row: Mapping[str, object]) -> Record:
    market_value = _need(row, "market_value", n.amount)
    return {
        "customer_key": _need(row, "customer_key", n.text, 128),
        "product_code": _need(row, "product_code", n.text, 32),
        "units": _need(row, "units", n.quantity),
        "market_value": market_value,
        "cost": _get(row, "cost", n.amount) or market_value,
        "opened_at": _need(row, "opened_at", n.parse_datetime),
    }


def transaction(row: Mapping[str, object]) -> Record:
    return {
        "source_key": _need(row, "source_key", n.text, 128),
        "customer_key": _need(row, "customer_key", n.text, 128),
        "product_code": _get(row, "product_code", n.text, 32),
        "kind": _need(row, "kind", n.transaction_kind),
        "amount": _need(row, "amount", n.amount),
        "channel": _need(row, "channel", n.channel),
        "occurred_at": _need(row, "occurred_at", n.parse_datetime),
    }


def event(row: Mapping[str, object]) -> Record:
    return {
        "source_key": _need(row, "source_key", n.text, 128),
        "customer_key": _need(row, "customer_key", n.text, 128),
        "kind": _need(row, "kind", n.event_kind),
        "occurred_at": _need(row, "occurred_at", n.parse_datetime),
        "properties": _get(row, "properties", properties),
    }


def consent(row: Mapping[str, object]) -> Record:
    return {
        "customer_key": _need(row, "customer_key", n.text, 128),
        "purpose": _need(row, "purpose", n.consent_purpose),
        "granted": _need(row, "granted", n.consent_granted),
        "occurred_at": _need(row, "occurred_at", n.parse_datetime),
        "actor": _get(row, "actor", n.text, 100),
    }


BUILDERS: dict[str, Callable[[Mapping[str, object]], Record]] = {
    "holdings": holding,
    "transactions": transaction,
    "events": event,
    "consents": consent,
}
