"""Callers send records only as the source names bound to their credential."""

from __future__ import annotations

import pytest

from cdp.errors import Forbidden
from cdp.intake import check_sender
from cdp.principal import Principal


def caller(*roles: str, sources: frozenset[str] = frozenset()) -> Principal:
    return Principal(subject="s", kind="api_key", roles=frozenset(roles), sources=sources)


def test_a_bound_caller_sends_as_its_sources_only() -> None:
    crm = caller("source_system", sources=frozenset({"crm", "crm_archive"}))
    check_sender(crm, "crm")
    check_sender(crm, "crm_archive")
    with pytest.raises(Forbidden, match="'core_banking'") as refused:
        check_sender(crm, "core_banking")
    assert refused.value.details == {
        "source": "core_banking",
        "allowedSources": ["crm", "crm_archive"],
    }
    for spelling in ("CRM", " crm", "crm "):
        with pytest.raises(Forbidden):
            check_sender(crm, spelling)


@pytest.mark.parametrize("roles", [("source_system",), ("marketer",), ("advisor", "partner"), ()])
def test_without_sources_nothing_may_be_sent(roles: tuple[str, ...]) -> None:
    with pytest.raises(Forbidden, match="bound to no source"):
        check_sender(caller(*roles), "crm")


def test_administrators_are_not_bound() -> None:
    check_sender(caller("admin"), "core_banking")
    check_sender(caller("admin", "source_system", sources=frozenset({"crm"})), "core_banking")


def test_a_long_name_is_echoed_shortened() -> None:
    with pytest.raises(Forbidden) as refused:
        check_sender(caller("source_system"), "x" * 10_000)
    assert len(refused.value.message) < 200
    assert refused.value.details["source"] == "x" * 40 + "…"
