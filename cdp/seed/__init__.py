"""Deterministic demo and benchmark data: a seeded database and two noisy source files."""

from cdp.seed.report import Progress, SeedReport
from cdp.seed.runner import seed_database

__all__ = ["Progress", "SeedReport", "seed_database"]
