"""Tag rule language and evaluation engine (see DESIGN.md)."""
