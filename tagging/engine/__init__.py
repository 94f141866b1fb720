"""The tag evaluation engine: full and incremental runs, set-based inside PostgreSQL."""

from tagging.engine.full import run_dirty, run_tags
from tagging.engine.incremental import mark_dirty
from tagging.engine.runs import RunReport

__all__ = ["RunReport", "mark_dirty", "run_dirty", "run_tags"]
