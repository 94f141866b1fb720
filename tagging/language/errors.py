"""Errors a rule author can act on: what went wrong, where, and what was expected.

Every error is a ``RuleError`` (an ``InvalidInput``, so the API reports it as a
user error) carrying its own ``code``, the 1-based ``line`` and ``column`` in the
rule text, what was ``expected`` there and, for a misspelt name, a
``suggestion``. ``FORBIDDEN_FILTER`` also names the refused ``fields``
(``Customer.idNumber``), and ``TAG_CYCLE`` the ``cycle`` of tag keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import ClassVar

from cdp.errors import InvalidInput


class RuleError(InvalidInput):
    code: ClassVar[str] = "RULE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        line: int = 1,
        column: int = 1,
        expected: str | None = None,
        suggestion: str | None = None,
        fields: Sequence[str] = (),
        cycle: Sequence[str] = (),
    ) -> None:
        where = f"line {line}, column {column}: "
        hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
        super().__init__(
            where + message + hint,
            line=line,
            column=column,
            expected=expected,
            suggestion=suggestion,
            fields=list(fields),
            cycle=list(cycle),
        )
        self.line = line
        self.column = column
        self.expected = expected
        self.suggestion = suggestion
        self.fields = tuple(fields)
        self.cycle = tuple(cycle)


class RuleSyntaxError(RuleError):
    code = "RULE_SYNTAX"


class RuleTypeError(RuleError):
    code = "RULE_TYPE"


class UnknownAttribute(RuleError):
    code = "UNKNOWN_ATTRIBUTE"


class ForbiddenRuleFilter(RuleError):
    """The rule reads fields its author may not filter on."""

    code = "FORBIDDEN_FILTER"


class RuleTooComplex(RuleError):
    code = "RULE_TOO_COMPLEX"


class TagCycle(RuleError):
    code = "TAG_CYCLE"


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough."""
    names = list(candidates)
    folded = [c for c in names if c.casefold() == name.casefold()]
    if folded:
        return folded[0]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return found[0] if found else None
