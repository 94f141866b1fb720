"""Idempotency keys: a retried request returns its first response and changes nothing."""

from cdp.idempotency.service import RETENTION, purge_expired, request_hash, run_once

__all__ = ["RETENTION", "purge_expired", "request_hash", "run_once"]
