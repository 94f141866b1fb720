"""Core database layer: engine, sessions, ORM models, the embedded server."""
