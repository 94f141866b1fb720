"""The tag rule language: grammar (``grammar.lark``), parser, catalogue, type checker.

``check_rule(text, value_type=…, filterable=…, known_tags=…)`` parses and
type-checks a rule when it is saved and returns a ``TypedRule`` (the typed
expression, its tag ``dependencies`` and the GraphQL ``permission_fields`` it
reads) or raises a ``RuleError`` whose ``code`` is one of ``RULE_SYNTAX``,
``RULE_TYPE``, ``UNKNOWN_ATTRIBUTE``, ``FORBIDDEN_FILTER``, ``RULE_TOO_COMPLEX``,
``TAG_CYCLE``, with ``line``, ``column``, ``expected`` and ``suggestion``.

``find_cycle(edges)`` checks that tag dependencies stay a DAG. The language
itself is documented in ``tagging/README.md``.
"""

from tagging.language.cycles import find_cycle
from tagging.language.errors import (
    ForbiddenRuleFilter,
    RuleError,
    RuleSyntaxError,
    RuleTooComplex,
    RuleTypeError,
    TagCycle,
    UnknownAttribute,
)
from tagging.language.rules import TypedRule, check_rule
from tagging.language.types import Kind, ValueType

__all__ = [
    "ForbiddenRuleFilter",
    "Kind",
    "RuleError",
    "RuleSyntaxError",
    "RuleTooComplex",
    "RuleTypeError",
    "TagCycle",
    "TypedRule",
    "UnknownAttribute",
    "ValueType",
    "check_rule",
    "find_cycle",
]
