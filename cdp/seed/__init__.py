"""Deterministic demo and benchmark data: a seeded database and two noisy source files."""

from cdp.seed.report import Progress, SeedReport
from cdp.seed.runner import seed_database
from cdp.seed.sources import SourceFiles, write_source_files

__all__ = ["Progress", "SeedReport", "SourceFiles", "seed_database", "write_source_files"]
