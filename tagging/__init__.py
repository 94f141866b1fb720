"""Tag rule language and evaluation engine (its place among the parts: docs/architecture.md)."""
