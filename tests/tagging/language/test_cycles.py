"""Tag dependencies must form a DAG; a cycle comes back as a key path."""

from __future__ import annotations

from tagging.language import find_cycle


def test_no_cycle() -> None:
    assert find_cycle({"a": ["b", "c"], "b": ["c"], "c": [], "d": ["a"]}) is None


def test_two_tag_cycle_named_in_order() -> None:
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]


def test_self_dependency() -> None:
    assert find_cycle({"a": ["a"]}) == ["a", "a"]


def test_cycle_reached_from_outside_names_only_the_cycle() -> None:
    cycle = find_cycle({"root": ["x"], "x": ["y"], "y": ["z"], "z": ["x"]})
    assert cycle == ["x", "y", "z", "x"]


def test_dependencies_on_tags_without_rules_are_leaves() -> None:
    assert find_cycle({"a": ["manual_tag"]}) is None


def test_long_chains_do_not_exhaust_the_stack() -> None:
    chain = {f"t{n}": [f"t{n + 1}"] for n in range(20_000)}
    assert find_cycle(chain) is None
    chain["t20000"] = ["t0"]
    cycle = find_cycle(chain)
    assert cycle is not None
    assert (cycle[0], cycle[-1], len(cycle)) == ("t0", "t0", 20_002)
