"""The default wealth-management tag library: TOML files beside this module.

Each file is a category (its name, unless a tag says otherwise) holding
``[[tag]]`` tables: ``key``, ``name_zh``, ``name_en``, ``rule``, and optionally
``value_type`` (boolean by default), ``values`` (an enum's labels, in order),
``description`` and ``refresh``. ``install_library`` creates what is missing,
edits what differs (a new version, as any edit) and publishes, in dependency
order, so running it again changes nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDefinition
from cdp.errors import InvalidInput
from tagging.definitions import TagSpec, create_tag, publish_tag, spec_of, update_tag

LIBRARY = Path(__file__).parent
_FIELDS = {"key", "name_zh", "name_en", "category", "value_type", "values", "rule"}
_FIELDS |= {"description", "refresh"}


@dataclass
class InstallReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)  # left alone: archived on purpose


def _spec(entry: dict[str, Any], category: str, where: str) -> TagSpec:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise InvalidInput(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    try:
        return TagSpec(
            key=entry["key"],
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
            category=entry.get("category", category),
            value_type=entry.get("value_type", "boolean"),
            rule=entry["rule"].strip(),
            enum_values=tuple(entry.get("values", ())),
            description=" ".join(entry.get("description", "").split()),
            refresh=entry.get("refresh", "on_change"),
        )
    except KeyError as missing:
        raise InvalidInput(f"{where}: missing {missing}") from None


def read_library(directory: Path = LIBRARY) -> list[TagSpec]:
    """Every tag of the library files in ``directory``, in file and then file order."""
    specs: list[TagSpec] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(f"{path.name}: {exc}") from None
        for n, entry in enumerate(data.get("tag", []), 1):
            specs.append(_spec(entry, path.stem, f"{path.name} tag {n}"))
    keys = [s.key for s in specs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InvalidInput(f"tags defined twice: {', '.join(duplicates)}")
    return specs


def _dependency_order(specs: Iterable[TagSpec]) -> list[TagSpec]:
    """Tags after the tags their rules name (a textual look: exact checks come on save)."""
    pending = list(specs)
    keys = {s.key for s in pending}
    done: set[str] = set()
    ordered: list[TagSpec] = []
    while pending:
        ready = [
            s
            for s in pending
            if all(k in done or f"'{k}'" not in (s.rule or "") for k in keys - {s.key})
        ]
        if not ready:  # a cycle: saving reports it with the cycle named
            ready = pending[:1]
        for s in ready:
            ordered.append(s)
            done.add(s.key)
            pending.remove(s)
    return ordered


async def install_library(
    session: AsyncSession, *, actor: str, specs: list[TagSpec] | None = None
) -> InstallReport:
    """Create, update and publish the library's tags; idempotent."""
    report = InstallReport()
    wanted = _dependency_order(specs if specs is not None else read_library())
    existing = {
        d.key: d
        for d in await session.scalars(
            select(TagDefinition).where(TagDefinition.key.in_([s.key for s in wanted]))
        )
    }
    for spec in wanted:
        current = existing.get(spec.key)
        if current is not None and current.status == "archived":
            report.archived.append(spec.key)
            continue
        if current is None:
            await create_tag(session, spec, actor=actor)
            report.created.append(spec.key)
        elif spec_of(current) != spec:
            changes = {
                name: getattr(spec, name)
                for name in TagSpec.__dataclass_fields__
                if name != "key" and getattr(spec, name) != getattr(spec_of(current), name)
            }
            await update_tag(session, spec.key, changes, actor=actor)
            report.updated.append(spec.key)
        else:
            report.unchanged.append(spec.key)
        definition = existing.get(spec.key) or await session.scalar(
            select(TagDefinition).where(TagDefinition.key == spec.key)
        )
        if definition is not None and definition.status == "draft":
            await publish_tag(session, spec.key)
            report.published.append(spec.key)
    return report
