"""Authentication: API keys for partner systems and services, JWTs for front-end users,
and per-caller rate limits. Each turns a credential into a ``cdp.principal.Principal``."""
