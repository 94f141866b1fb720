"""Casbin policies, field masks, row scopes, consent gates and the audit trail (see DESIGN.md)."""
