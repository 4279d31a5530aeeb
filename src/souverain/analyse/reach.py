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

DEFAULT_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class Indexed:
    """The graph as integer lists: ``nodes[i]`` is the ref of node ``i``, ``succ[i]`` its
    dependencies, ``index`` the reverse mapping, ``root`` the root's id."""

    nodes: Sequence[str]
    index: Mapping[str, int]
    succ: Sequence[Sequence[int]]
    root: int


def index_graph(graph: DependencyGraph) -> Indexed:
    """Number the nodes of ``graph`` (linear)."""
    adj = graph.nx.adj
    nodes = list(adj)
    index = {r: i for i, r in enumerate(nodes)}
    succ = [[index[d] for d in adj[r]] for r in nodes]
    return Indexed(nodes, index, succ, index[graph.root])


@dataclass(frozen=True, slots=True)
class Condensed:
    """The graph with cycles collapsed, as plain integer lists (fast to walk).

    ``order`` lists condensed-node ids dependencies first (reverse topological order);
    ``succ[s]`` the condensed dependencies of ``s``; ``weight[s]`` how many components ``s``
    stands for (the root not counted); ``index`` maps each ref to its condensed id;
    ``acyclic`` is True when the graph had no cycle (condensed ids are then node ids).
    """

    order: Sequence[int]
    succ: Sequence[Sequence[int]]
    weight: Sequence[int]
    index: Mapping[str, int]
    acyclic: bool


def condense(graph: DependencyGraph, indexed: Indexed | None = None) -> Condensed:
    """Collapse the strongly connected components of ``graph`` (linear in nodes + edges).

    Kahn's algorithm runs first on the whole graph; strongly connected components are only
    computed for the nodes it could not order (those on or above a cycle).
    """
    ix = indexed or index_graph(graph)
    n = len(ix.nodes)
    order = _reverse_topological(ix.succ)
    if len(order) == n:
        weight = [1] * n
        weight[ix.root] = 0
        return Condensed(order, ix.succ, weight, ix.index, True)
    leftover = bytearray(b"\x01") * n
    for v in order:
        leftover[v] = 0
    comp = _strongly_connected(ix.succ, leftover)
    newid = [-1] * n
    count = 0
    for v in range(n):
        r = comp[v]
        if newid[r] < 0:
            newid[r] = count
            count += 1
    weight = [0] * count
    succ_sets: list[set[int]] = [set() for _ in range(count)]
    root = ix.root
    for v in range(n):
        s = newid[comp[v]]
        if v != root:
            weight[s] += 1
        targets = succ_sets[s]
        for w in ix.succ[v]:
            t = newid[comp[w]]
            if t != s:
                targets.add(t)
    succ = [list(t) for t in succ_sets]
    index = {r: newid[comp[v]] for r, v in ix.index.items()}
    return Condensed(_reverse_topological(succ), succ, weight, index, False)


def _strongly_connected(succ: Sequence[Sequence[int]], mask: bytearray) -> list[int]:
    """Tarjan's algorithm, iterative, over the nodes whose ``mask`` byte is set: the
    representative of each node's strongly connected component (itself outside the mask)."""
    n = len(succ)
    comp = list(range(n))
    idx = [-1] * n
    low = [0] * n
    on = bytearray(n)
    stack: list[int] = []
    counter = 0
    for start in range(n):
        if not mask[start] or idx[start] >= 0:
            continue
        idx[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on[start] = 1
        call = [(start, iter(succ[start]))]
        while call:
            v, it = call[-1]
            descended = False
            for w in it:
                if not mask[w]:
                    continue
                if idx[w] < 0:
                    idx[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = 1
                    call.append((w, iter(succ[w])))
                    descended = True
                    break
                if on[w] and idx[w] < low[v]:
                    low[v] = idx[w]
            if descended:
                continue
            call.pop()
            if call:
                u = call[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == idx[v]:
                while True:
                    w = stack.pop()
                    on[w] = 0
                    comp[w] = v
                    if w == v:
                        break
    return comp


def _reverse_topological(succ: Sequence[Sequence[int]]) -> list[int]:
    """Kahn's algorithm on the reversed graph: every node comes after all its dependencies.
    Nodes on or above a cycle are left out."""
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
    return order


def _add(planes: list[int], x: int, j: int) -> None:
    """Add the lanes set in ``x``, each with value ``2**j``, to the bit-sliced counter."""
    while len(planes) < j:
        planes.append(0)
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


def lane_counts(cond: Condensed, lanes: Sequence[Iterable[int]], *, chunk: int = DEFAULT_CHUNK) -> list[int]:
    """For each lane (a set of condensed ids), the weighted number of condensed nodes that are
    in it or transitively depend on one of its members; ``chunk`` lanes per propagation."""
    out: list[int] = []
    for start in range(0, len(lanes), chunk):
        part = lanes[start : start + chunk]
        own: dict[int, int] = {}
        for i, seeds in enumerate(part):
            bit = 1 << i
            for s in seeds:
                own[s] = own.get(s, 0) | bit
        out.extend(count_dependants(cond, own, len(part)))
    return out


def reach_and_exposure(
    graph: DependencyGraph,
    refs: Iterable[str],
    groups: Mapping[str, Iterable[str]],
    *,
    cond: Condensed | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> tuple[dict[str, int], dict[str, int]]:
    """Exact reach of each of ``refs`` and exposure count of each group, sharing the
    propagation passes (see :func:`reach_of` and :func:`exposure_counts`)."""
    cond = cond or condense(graph)
    root = graph.root
    index = cond.index
    wanted = [r for r in dict.fromkeys(refs) if r != root]
    names = list(groups)
    lanes: list[list[int]] = [[index[r]] for r in wanted]
    lanes.extend([index[m] for m in groups[g] if m != root] for g in names)
    totals = lane_counts(cond, lanes, chunk=chunk)
    reach = {r: t - 1 for r, t in zip(wanted, totals, strict=False)}  # minus the component itself
    exposure = dict(zip(names, totals[len(wanted) :], strict=True))
    return reach, exposure


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
    return reach_and_exposure(graph, refs, {}, cond=cond, chunk=chunk)[0]


def exposure_counts(
    graph: DependencyGraph,
    groups: Mapping[str, Iterable[str]],
    *,
    cond: Condensed | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> dict[str, int]:
    """For each group (name → member refs), how many components are members or transitively
    depend on a member (root excluded): one multi-source propagation per ``chunk`` groups."""
    return reach_and_exposure(graph, (), groups, cond=cond, chunk=chunk)[1]


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
    return {ref: lb[s] + cond.weight[s] - 1 for ref, s in cond.index.items() if ref != graph.root}


def depths(graph: DependencyGraph, indexed: Indexed | None = None) -> dict[str, int]:
    """Shortest distance from the root (in edges) of every component reachable from it
    (breadth-first over the integer adjacency lists)."""
    ix = indexed or index_graph(graph)
    dist = [-1] * len(ix.nodes)
    dist[ix.root] = 0
    frontier = [ix.root]
    level = 0
    succ = ix.succ
    while frontier:
        level += 1
        nxt: list[int] = []
        for v in frontier:
            for w in succ[v]:
                if dist[w] < 0:
                    dist[w] = level
                    nxt.append(w)
        frontier = nxt
    nodes = ix.nodes
    return {nodes[v]: d for v, d in enumerate(dist) if d > 0}


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
