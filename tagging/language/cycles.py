"""Tag dependencies form a DAG; ``find_cycle`` names a cycle if they do not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle as a key path that returns to its start (``["a", "b", "a"]``), or None.

    ``edges`` maps a tag key to the keys it depends on. Iterative depth-first
    search with colours, so a long chain of tags cannot exhaust the stack.
    """
    graph = {key: sorted(set(deps)) for key, deps in edges.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(graph):
        if state.get(root):
            continue
        path: list[str] = [root]
        iterators = [iter(graph.get(root, ()))]
        state[root] = 1
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iterators.append(iter(graph.get(nxt, ())))
    return None
