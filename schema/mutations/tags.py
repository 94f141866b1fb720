"""Tag definitions: validate a rule, create, edit (a new version), publish, archive.

The caller's right comes first: every mutation checks the ``TagDefinition`` write
lines before it reads anything, so a refused request changes nothing. A rule may
only read fields its author may ``filter`` on (the caller's compiled plan, e.g. a
marketer cannot write a rule over ``Customer.email``): ``FORBIDDEN_FILTER`` names
the fields.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.bounds import bounded
from schema.tag_queries import definition
from schema.tag_rights import may_filter
from schema.types.info import Info
from schema.types.tag_definition import TAG_KEY, TagDefinitionType
from schema.types.tag_validation import RuleValidation, validation_of
from tagging.definition_pages import definition_by_key
from tagging.definitions import (
    TagSpec,
    archive_tag,
    create_tag,
    list_tags,
    publish_tag,
    update_tag,
    value_kind,
)
from tagging.language import check_rule
from tagging.language.errors import RuleError

# As long as the rule language accepts (``tagging.language.parser.MAX_CHARS``).
RULE = bounded(max_length=20_000)
NAME = bounded(max_length=100)
TEXT = bounded(max_length=2_000)
LABEL = bounded(max_length=64)

KeyArg = Annotated[str, strawberry.argument(description="The tag key.", metadata=TAG_KEY)]


@strawberry.input(description="The editable fields of a tag definition.")
class TagInput:
    key: str = strawberry.field(
        description="Lower-case letters, digits and _, starting with a letter.", metadata=TAG_KEY
    )
    name: str = strawberry.field(description="Chinese name.", metadata=NAME)
    name_en: str = strawberry.field(description="English name.", metadata=NAME)
    category: str = strawberry.field(description="Category, e.g. asset.", metadata=LABEL)
    value_type: str = strawberry.field(
        default="boolean", description="boolean, enum or number.", metadata=LABEL
    )
    rule: str | None = strawberry.field(
        default=None, description="The rule; none for a manual tag.", metadata=RULE
    )
    enum_values: list[str] | None = strawberry.field(
        default=None, description="Ordered labels of an enum tag.", metadata=LABEL
    )
    description: str = strawberry.field(default="", description="What it means.", metadata=TEXT)
    refresh: str = strawberry.field(
        default="on_change", description="on_change, daily or manual.", metadata=LABEL
    )
    kind: str = strawberry.field(default="rule", description="rule or manual.", metadata=LABEL)

    def spec(self) -> TagSpec:
        return TagSpec(
            key=self.key,
            name_zh=self.name,
            name_en=self.name_en,
            category=self.category,
            value_type=self.value_type,
            rule=self.rule,
            enum_values=tuple(self.enum_values or ()),
            description=self.description,
            refresh=self.refresh,
            kind=self.kind,
        )


TagArg = Annotated[TagInput, strawberry.argument(description="The definition's fields.")]

# TagInput field → TagDefinition attribute written (for ``require_write``).
_WRITES = {
    "name": "name",
    "name_en": "name_en",
    "category": "category",
    "value_type": "value_type",
    "rule": "rule",
    "enum_values": "enum_values",
    "description": "description",
    "refresh": "refresh",
    "kind": "kind",
}


async def _answer(info: Info, session: AsyncSession, key: str) -> TagDefinitionType:
    """The definition as the caller may read it, read in the write's own transaction
    (mutations never use the request's read session: one transaction per mutation)."""
    row = await definition_by_key(session, key)
    assert row is not None
    return definition(row, info.context.policy)


@strawberry.type
class TagMutationMixin:
    @strawberry.mutation(
        description="Check a rule as saving would, under the caller's filter rights; "
        "nothing is saved. Errors carry line, column, what was expected and a suggestion."
    )
    async def validate_rule(
        self,
        info: Info,
        rule: Annotated[str, strawberry.argument(description="Rule text.", metadata=RULE)],
        value_type: Annotated[
            str, strawberry.argument(description="boolean, enum or number.", metadata=LABEL)
        ] = "boolean",
        enum_values: Annotated[
            list[str] | None,
            strawberry.argument(description="Ordered labels of an enum tag.", metadata=LABEL),
        ] = None,
    ) -> RuleValidation:
        ctx = info.context
        ctx.policy.require_write("TagDefinition", ["rule"])
        spec = TagSpec(
            key="validating",
            name_zh="",
            name_en="",
            category="",
            value_type=value_type,
            rule=rule,
            enum_values=tuple(enum_values or ()),
        )
        try:
            kind = value_kind(spec)
            async with ctx.db.read_session() as session:
                known = {d.key: value_kind(d) for d in await list_tags(session)}
            checked = check_rule(
                rule, value_type=kind, filterable=may_filter(ctx.policy), known_tags=known
            )
        except RuleError as error:
            return validation_of(error)
        return RuleValidation(
            valid=True,
            errors=[],
            dependencies=sorted(set(checked.dependencies)),
            inputs=sorted(set(checked.permission_fields)),
        )

    @strawberry.mutation(description="Create a tag as a draft at version 1.")
    async def create_tag(self, info: Info, tag: TagArg) -> TagDefinitionType:
        ctx = info.context
        written = [a for f, a in _WRITES.items() if getattr(tag, f) is not None]
        ctx.policy.require_write("TagDefinition", ["key", *written])
        async with ctx.db.write_session() as session:
            await create_tag(
                session,
                tag.spec(),
                actor=ctx.principal.subject,
                filterable=may_filter(ctx.policy),
            )
            return await _answer(info, session, tag.key)

    @strawberry.mutation(
        description="Save an edit as a new version (the key stays); an unchanged "
        "definition makes no version."
    )
    async def update_tag(self, info: Info, tag: TagArg) -> TagDefinitionType:
        ctx = info.context
        changes: dict[str, Any] = {
            "name_zh": tag.name,
            "name_en": tag.name_en,
            "category": tag.category,
            "value_type": tag.value_type,
            "rule": tag.rule,
            "enum_values": tuple(tag.enum_values or ()),
            "description": tag.description,
            "refresh": tag.refresh,
            "kind": tag.kind,
        }
        ctx.policy.require_write("TagDefinition", list(_WRITES.values()))
        async with ctx.db.write_session() as session:
            await update_tag(
                session,
                tag.key,
                changes,
                actor=ctx.principal.subject,
                filterable=may_filter(ctx.policy),
            )
            return await _answer(info, session, tag.key)

    @strawberry.mutation(description="draft → active: the next run computes its values.")
    async def publish_tag(self, info: Info, key: KeyArg) -> TagDefinitionType:
        ctx = info.context
        ctx.policy.require_write("TagDefinition", ["status"])
        async with ctx.db.write_session() as session:
            await publish_tag(session, key)
            return await _answer(info, session, key)

    @strawberry.mutation(
        description="→ archived: every value is removed (each a `left` event); history stays."
    )
    async def archive_tag(self, info: Info, key: KeyArg) -> TagDefinitionType:
        ctx = info.context
        ctx.policy.require_write("TagDefinition", ["status"])
        async with ctx.db.write_session() as session:
            await archive_tag(session, key, actor=ctx.principal.subject)
            return await _answer(info, session, key)
