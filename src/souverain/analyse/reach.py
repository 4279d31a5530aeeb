"""Reach, depth and group exposure over the dependency graph.

``reach(C)`` is the number of components that transitively depend on ``C`` (its ancestors, the
root excluded); ``share = reach / N``. Exact reach of *every* node is quadratic on hub-heavy
graphs, so the graph is condensed once (strongly connected components collapsed, see
:class:`Condensed`) and counts are computed only for the sources that matter by propagating a
k-bit Python ``int`` per condensed node in reverse topological order (bit ``i`` = source ``i``),
``chunk`` sources at a time so memory stays bounded. Per-bit totals are accumulated in a
bit-sliced counter (one ``int`` per binary digit of the count), so counting costs O(n) big-int
operations per chunk instead of O(n·k) bit tests.

The same propagation, with one bit per *group* (a country, a controller, "all proprietary"…)
and every member of the group carrying the bit, gives the group exposure: the number of
components that are members or transitively depend on a member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from souverain.graph import DependencyGraph

DEFAULT_CHUNK = 2048


@dataclass(frozen=True, slots=True)
class Condensed:
    """The graph with cycles collapsed, as plain integer lists (fast to walk).

    ``order`` lists condensed-node ids dependencies first (reverse topological order);
    ``succ[s]`` the condensed dependencies of ``s``; ``weight[s]`` how many components ``s``
    stands for (the root not counted); ``index`` maps each ref to its condensed id.
    """

    order: tuple[int, ...]
    succ: tuple[tuple[int, ...], ...]
    weight: tuple[int, ...]
    index: Mapping[str, int]


def condense(graph: DependencyGraph) -> Condensed:
    """Collapse the strongly connected components of ``graph`` (linear in nodes + edges)."""
    g = graph.nx
    index: dict[str, int] = {}
    weight: list[int] = []
    for i, scc in enumerate(nx.strongly_connected_components(g)):
        for ref in scc:
            index[ref] = i
        weight.append(len(scc) - (1 if graph.root in scc else 0))
    succ_sets: list[set[int]] = [set() for _ in weight]
    for src, nbrs in g.adjacency():
        s = index[src]
        target = succ_sets[s]
        for dst in nbrs:
            d = index[dst]
            if d != s:
                target.add(d)
    succ = tuple(tuple(s) for s in succ_sets)
    return Condensed(tuple(_reverse_topological(succ)), succ, tuple(weight), index)


def _reverse_topological(succ: Sequence[Sequence[int]]) -> list[int]:
    """Kahn's algorithm on the reversed DAG: every node comes after all its dependencies."""
    remaining = [len(s) for s in succ]
    preds: list[list[int]] = [[] for _ in succ]
    for s, targets in enumerate(succ):
        for t in targets:
            preds[t].append(s)
    ready = [s for s, r in enumerate(remaining) if r == 0]
    order: list[int] = []
    while ready:
        s = ready.pop()
        order.append(s)
        for p in preds[s]:
            remaining[p] -= 1
            if remaining[p] == 0:
                ready.append(p)
    assert len(order) == len(succ), "condensation is acyclic"
    return order


def _add(planes: list[int], x: int, j: int) -> None:
    """Add ``x << 0`` at binary digit ``j`` of every lane of the bit-sliced counter."""
    while x:
        if j == len(planes):
            planes.append(x)
            return
        p = planes[j]
        planes[j] = p ^ x
        x &= p
        j += 1


def _lanes(planes: Sequence[int], k: int) -> list[int]:
    """Read the ``k`` lane totals out of a bit-sliced counter."""
    totals = [0] * k
    for j, plane in enumerate(planes):
        if not plane:
            continue
        bits = bin(plane)[:1:-1]  # least significant first
        value = 1 << j
        for i, b in enumerate(bits):
            if b == "1":
                totals[i] += value
    return totals


def count_dependants(cond: Condensed, own: Mapping[int, int], k: int) -> list[int]:
    """For ``k`` bit lanes seeded in ``own`` (condensed id → bits), the weighted number of
    condensed nodes that carry each bit after propagation to every dependant."""
    bits: list[int] = [0] * len(cond.weight)
    succ = cond.succ
    weight = cond.weight
    planes: list[int] = []
    for s in cond.order:
        b = own.get(s, 0)
        for t in succ[s]:
            b |= bits[t]
        bits[s] = b
        if b:
            w = weight[s]
            j = 0
            while w:
                if w & 1:
                    _add(planes, b, j)
                w >>= 1
                j += 1
    return _lanes(planes, k)


def reach_of(
    graph: DependencyGraph,
    refs: Iterable[str],
    *,
    cond: Condensed | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> dict[str, int]:
    """Exact reach (number of transitive dependants, root excluded) of each of ``refs``.

    Cost: O((nodes + edges) · len(refs) / chunk) big-int operations of ``chunk`` bits.
    """
    cond = cond or condense(graph)
    wanted = [r for r in dict.fromkeys(refs) if r != graph.root]
    out: dict[str, int] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        own: dict[int, int] = {}
        for i, ref in enumerate(part):
            s = cond.index[ref]
            own[s] = own.get(s, 0) | (1 << i)
        totals = count_dependants(cond, own, len(part))
        for ref, total in zip(part, totals, strict=True):
            out[ref] = total - 1  # the component itself carries its bit
    return out


def exposure_counts(
    graph: DependencyGraph,
    groups: Mapping[str, Iterable[str]],
    *,
    cond: Condensed | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> dict[str, int]:
    """For each group (name → member refs), how many components are members or transitively
    depend on a member (root excluded): one multi-source propagation per ``chunk`` groups."""
    cond = cond or condense(graph)
    names = list(groups)
    out: dict[str, int] = {}
    for start in range(0, len(names), chunk):
        part = names[start : start + chunk]
        own: dict[int, int] = {}
        for i, name in enumerate(part):
            bit = 1 << i
            for ref in groups[name]:
                if ref == graph.root:
                    continue
                s = cond.index[ref]
                own[s] = own.get(s, 0) | bit
        totals = count_dependants(cond, own, len(part))
        out.update(zip(part, totals, strict=True))
    return out


def reach_lower_bounds(graph: DependencyGraph, cond: Condensed | None = None) -> dict[str, int]:
    """A cheap lower bound of every component's reach, linear time: the largest reach bound of
    a dependant plus one (plus the other members of its cycle). Used only for components whose
    exact reach is not computed (see docs/risk-model.md)."""
    cond = cond or condense(graph)
    n = len(cond.weight)
    lb = [0] * n  # lower bound of the weighted ancestors of s, s excluded
    preds: list[list[int]] = [[] for _ in range(n)]
    for s, targets in enumerate(cond.succ):
        for t in targets:
            preds[t].append(s)
    for s in reversed(cond.order):  # dependants first
        best = 0
        for p in preds[s]:
            v = lb[p] + cond.weight[p]
            if v > best:
                best = v
        lb[s] = best
    return {
        ref: lb[s] + cond.weight[s] - 1 for ref, s in cond.index.items() if ref != graph.root
    }


def depths(graph: DependencyGraph) -> dict[str, int]:
    """Shortest distance from the root (in edges) of every component reachable from it."""
    lengths: dict[str, int] = dict(nx.single_source_shortest_path_length(graph.nx, graph.root))
    lengths.pop(graph.root, None)
    return lengths


def direct_dependencies(graph: DependencyGraph) -> frozenset[str]:
    """The direct dependencies of the root (none when the graph is flat: unknown)."""
    if graph.flat:
        return frozenset()
    return frozenset(graph.dependencies(graph.root))


def brute_force_reach(graph: DependencyGraph, ref: str) -> int:
    """Reference implementation for tests: one reverse BFS (quadratic over all nodes)."""
    anc = nx.ancestors(graph.nx, ref)
    anc.discard(graph.root)
    return len(anc)

