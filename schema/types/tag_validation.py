from __future__ import annotations

import strawberry

from tagging.language.errors import RuleError


@strawberry.type(description="One thing wrong with a rule, where it is and what would fit.")
class RuleProblem:
    code: str = strawberry.field(
        description="RULE_SYNTAX, RULE_TYPE, UNKNOWN_ATTRIBUTE, FORBIDDEN_FILTER, "
        "RULE_TOO_COMPLEX or TAG_CYCLE."
    )
    message: str = strawberry.field(description="What is wrong, with line and column.")
    line: int = strawberry.field(description="1-based line in the rule text.")
    column: int = strawberry.field(description="1-based column in the rule text.")
    expected: str | None = strawberry.field(description="What would fit there.")
    suggestion: str | None = strawberry.field(description="The nearest known name, if misspelt.")
    fields: list[str] = strawberry.field(
        description="For FORBIDDEN_FILTER: the fields the author may not filter on."
    )


@strawberry.type(description="The result of checking a rule without saving it.")
class RuleValidation:
    valid: bool = strawberry.field(description="True when the rule could be saved.")
    errors: list[RuleProblem] = strawberry.field(description="Why not, when it could not.")
    dependencies: list[str] = strawberry.field(description="Keys of the tags the rule reads.")
    inputs: list[str] = strawberry.field(description="Fields the rule reads (Customer.aum).")


def validation_of(error: RuleError) -> RuleValidation:
    problem = RuleProblem(
        code=error.code,
        message=str(error),
        line=error.line,
        column=error.column,
        expected=error.expected,
        suggestion=error.suggestion,
        fields=list(error.fields),
    )
    return RuleValidation(valid=False, errors=[problem], dependencies=[], inputs=[])
