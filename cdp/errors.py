"""One error hierarchy for the whole code base.

Domain code raises these; the API maps them to ``extensions.code`` in one place and
the CLI maps them to a message and an exit code. Anything that is not a
``CdpError`` is an internal error and is never shown to a caller.
"""

from __future__ import annotations

from typing import Any, ClassVar


class CdpError(Exception):
    code: ClassVar[str] = "CDP_ERROR"
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(CdpError):
    code = "NOT_FOUND"
    exit_code = 3


class Forbidden(CdpError):
    code = "FORBIDDEN"
    exit_code = 4


class ForbiddenField(Forbidden):
    """A field the caller may not read: its value is null and the error names it."""

    code = "FORBIDDEN_FIELD"


class ForbiddenFilter(Forbidden):
    """A field the caller may not filter or order on was used to select rows."""

    code = "FORBIDDEN_FILTER"


class PurposeRequired(Forbidden):
    """A sensitive read by a role that must state why (the ``X-Purpose`` header)."""

    code = "PURPOSE_REQUIRED"


class InvalidInput(CdpError):
    code = "BAD_USER_INPUT"
    exit_code = 2


class Conflict(CdpError):
    code = "CONFLICT"
    exit_code = 5


class Unavailable(CdpError):
    code = "UNAVAILABLE"
    exit_code = 6


class Timeout(CdpError):
    """A statement ran past the API's statement timeout and the server cancelled it."""

    code = "TIMEOUT"
    exit_code = 7
