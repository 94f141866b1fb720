from __future__ import annotations

from datetime import datetime

import strawberry

from schema.bounds import bounded
from schema.types.info import Info
from tagging.definition_pages import versions_of

TAG_KEY = bounded(max_length=64)
SEARCH = bounded(max_length=100)
LIST_ITEM = bounded(max_length=64)


@strawberry.type(description="One saved version of a tag definition.")
class TagVersion:
    version: int | None = strawberry.field(
        description="1 for the first save, then one more per edit."
    )
    rule: str | None = strawberry.field(description="The rule text of this version.")
    author: str | None = strawberry.field(description="Who saved this version.")
    created_at: datetime | None = strawberry.field(description="When this version was saved.")
    status: str | None = strawberry.field(
        description="The definition's status for its current version; superseded otherwise."
    )


@strawberry.type(
    name="TagDefinition",
    description="A tag: its names, value type, rule, status and versions.",
)
class TagDefinitionType:
    pk: strawberry.Private[int]
    key: str | None = strawberry.field(description="Tag key, e.g. asset_tier.")
    name: str | None = strawberry.field(description="Chinese name, e.g. 资产层级.")
    name_en: str | None = strawberry.field(description="English name.")
    category: str | None = strawberry.field(description="Category, e.g. asset or lifecycle.")
    description: str | None = strawberry.field(description="What the tag means.")
    owner: str | None = strawberry.field(description="Who created the tag.")
    kind: str | None = strawberry.field(description="rule (computed) or manual (set by people).")
    value_type: str | None = strawberry.field(description="boolean, enum or number.")
    enum_values: list[str] | None = strawberry.field(
        description="Ordered labels of an enum tag; empty otherwise."
    )
    rule: str | None = strawberry.field(description="The rule text of the current version.")
    refresh: str | None = strawberry.field(description="on_change, daily or manual.")
    dependencies: list[str] | None = strawberry.field(description="Keys of tags the rule reads.")
    inputs: list[str] | None = strawberry.field(
        description="Fields the rule reads (Customer.aum): whoever reads the tag's values "
        "must read each of these in clear."
    )
    status: str | None = strawberry.field(description="draft, active or archived.")
    version: int | None = strawberry.field(description="The current version.")
    updated_at: datetime | None = strawberry.field(description="When the definition last changed.")

    @strawberry.field(description="Every saved version, newest first.")
    async def versions(self, info: Info) -> list[TagVersion] | None:
        ctx = info.context
        ctx.policy.require_read("TagDefinition", "versions")
        async with ctx.lock:
            rows = await versions_of(ctx.session, self.pk)
        current = self.version
        out = []
        for row in rows:
            values = {
                "version": row.version,
                "rule": row.spec.get("rule"),
                "author": row.created_by,
                "created_at": row.created_at,
                "status": self.status if row.version == current else "superseded",
            }
            out.append(TagVersion(**ctx.policy.project("TagVersion", values)))
        return out


@strawberry.input(description="Which tag definitions to list; all when empty.")
class TagDefinitionFilter:
    categories: list[str] | None = strawberry.field(
        default=None, description="Category is one of these.", metadata=LIST_ITEM
    )
    statuses: list[str] | None = strawberry.field(
        default=None, description="Status is one of these.", metadata=LIST_ITEM
    )
    search: str | None = strawberry.field(
        default=None,
        description="Text in the key, the Chinese or the English name.",
        metadata=SEARCH,
    )
