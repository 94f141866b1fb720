"""``node(id)``: any object by global ID, through the same loaders and row scopes as
every other path, built with the same look-ahead.

A global ID opens only for the role set it was minted for (``schema.relay``), so a
caller cannot build one from a key it learnt elsewhere. A caller that may not read
the ``id`` of a type is refused that type here as well (``FORBIDDEN_FIELD``): it is
never given such IDs, and one it kept from before a policy change no longer resolves.
"""

from __future__ import annotations

from cdp.errors import InvalidInput
from schema.context import Context
from schema.dataloaders import assemble
from schema.dataloaders import rows as build
from schema.dataloaders.lookahead import Selection
from schema.relay import Node, parse_global_id

NODE_TYPES = ("Customer", "Household", "Product", "Advisor")


async def resolve_node(ctx: Context, id: str, sel: Selection) -> Node | None:
    type_name, pk = parse_global_id(id, ctx.policy.audience)
    if type_name not in NODE_TYPES:
        raise InvalidInput(
            f"{type_name!r} is not a node type; node types are {list(NODE_TYPES)}", argument="id"
        )
    ctx.policy.require_read(type_name, "id")
    loaders = ctx.loaders
    if type_name == "Customer":
        row = await loaders.customers.load(pk)
        return (await assemble.customers(ctx, [row], sel))[0] if row else None
    if type_name == "Household":
        row = await loaders.households.load(pk)
        return (await assemble.households(ctx, [row], sel))[0] if row else None
    if type_name == "Product":
        row = await loaders.products.load(pk)
        return build.product(row, ctx.policy) if row else None
    row = await loaders.advisors.load(pk)
    return build.advisor(row, ctx.policy) if row else None
