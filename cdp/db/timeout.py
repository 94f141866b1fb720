"""Which failures mean a statement ran past the statement timeout.

The API's connections carry ``statement_timeout`` (``api_database``): the server
cancels a statement that runs longer, with SQLSTATE 57014, and the connection stays
usable. SQLAlchemy wraps the driver's exception, so the whole chain is asked.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy import exc as sa


def is_statement_timeout(error: BaseException | None) -> bool:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, asyncpg.QueryCanceledError):
            return True
        orig = error.orig if isinstance(error, sa.DBAPIError) else None
        error = orig or error.__cause__ or error.__context__
    return False
