"""Which failures mean the database cannot be reached."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import exc as sa

from cdp.db.unavailable import is_unavailable


def _wrapped(driver_error: Exception, invalidated: bool = False) -> sa.DBAPIError:
    return sa.DBAPIError("SELECT 1", None, driver_error, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.InterfaceError("connection is closed"),
        sa.TimeoutError("QueuePool limit reached"),
        _wrapped(asyncpg.AdminShutdownError("terminating connection")),
        _wrapped(RuntimeError("lost"), invalidated=True),
    ],
)
def test_unreachable_database(error: Exception) -> None:
    assert is_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        None,
        ValueError("a bug"),
        asyncpg.UniqueViolationError("duplicate key"),
        _wrapped(asyncpg.UndefinedColumnError("column x does not exist")),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    ],
)
def test_faults_that_are_not_unavailability(error: Exception | None) -> None:
    assert not is_unavailable(error)


def test_the_cause_is_followed() -> None:
    outer = RuntimeError("while reading")
    outer.__cause__ = ConnectionResetError(104, "reset by peer")
    assert is_unavailable(outer)
