"""Dominators: ``dominated(C)`` is the number of components reachable from the root only
through ``C`` — what leaves with ``C`` when it is replaced (the migration scope).

Immediate dominators by the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
Dominance Algorithm", 2001) on integer lists — the algorithm networkx implements, here without
dict overhead and with a single pass when the graph is acyclic (in reverse postorder every
predecessor is then final before its successors). ``nx.immediate_dominators`` is the reference
in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from souverain.analyse.reach import Condensed, Indexed, index_graph
from souverain.graph import DependencyGraph


def _postorder(succ: Sequence[Sequence[int]], root: int) -> list[int]:
    """Iterative depth-first postorder from ``root``."""
    seen = bytearray(len(succ))
    seen[root] = 1
    order: list[int] = []
    stack = [(root, iter(succ[root]))]
    while stack:
        v, it = stack[-1]
        for w in it:
            if not seen[w]:
                seen[w] = 1
                stack.append((w, iter(succ[w])))
                break
        else:
            stack.pop()
            order.append(v)
    return order


def idom_ids(ix: Indexed, *, acyclic: bool = False) -> tuple[list[int], list[int]]:
    """Immediate dominator id of every node (-1 when unreachable; the root maps to itself)
    and the reverse postorder used."""
    succ = ix.succ
    root = ix.root
    order = _postorder(succ, root)
    post = [-1] * len(succ)
    for i, v in enumerate(order):
        post[v] = i
    rpo = order[::-1]
    preds: list[list[int]] = [[] for _ in succ]
    for v in rpo:
        for w in succ[v]:
            preds[w].append(v)
    idom = [-1] * len(succ)
    idom[root] = root
    changed = True
    while changed:
        changed = False
        for v in rpo[1:]:
            new = -1
            for p in preds[v]:
                if idom[p] == -1:
                    continue
                if new == -1:
                    new = p
                    continue
                a, b = p, new
                while a != b:
                    while post[a] < post[b]:
                        a = idom[a]
                    while post[b] < post[a]:
                        b = idom[b]
                new = a
            if idom[v] != new:
                idom[v] = new
                changed = True
        if acyclic:
            break
    return idom, rpo


def idom_ids_acyclic(cond: Condensed, root: int) -> tuple[list[int], list[int]]:
    """:func:`idom_ids` for an acyclic graph, from its condensation (ids are node ids): any
    topological order serves instead of a depth-first reverse postorder (a dominator always
    comes before the nodes it dominates), so there is no search to run, and every predecessor is
    final when a node is reached: one pass. Same result as :func:`idom_ids`."""
    topo = cond.order[::-1]  # dependants first: the root (the only source) before the rest
    pos = [0] * len(topo)
    for i, v in enumerate(topo):
        pos[v] = i
    preds = cond.preds
    idom = [-1] * len(topo)
    idom[root] = root
    reached = [root]
    for v in topo:
        if v == root:
            continue
        new = -1
        for p in preds[v]:
            if idom[p] == -1:
                continue
            if new == -1:
                new = p
                continue
            a, b = p, new
            while a != b:  # walk up the tree to the common dominator (larger pos = deeper)
                while pos[a] > pos[b]:
                    a = idom[a]
                while pos[b] > pos[a]:
                    b = idom[b]
            new = a
        if new != -1:
            idom[v] = new
            reached.append(v)
    return idom, reached


def immediate_dominators(graph: DependencyGraph, indexed: Indexed | None = None) -> dict[str, str]:
    """Immediate dominator of every node reachable from the root (the root excluded)."""
    ix = indexed or index_graph(graph)
    idom, rpo = idom_ids(ix)
    return {ix.nodes[v]: ix.nodes[idom[v]] for v in rpo if v != ix.root}


def dominated_counts(
    graph: DependencyGraph,
    indexed: Indexed | None = None,
    *,
    acyclic: bool = False,
    cond: Condensed | None = None,
) -> dict[str, int]:
    """For every component reachable from the root, the size of its dominator subtree minus
    itself. Dominators precede the nodes they dominate in reverse postorder (and in any
    topological order), so subtree sizes are summed in one backward sweep (no recursion).
    With an acyclic ``cond`` (the condensation of the same ``indexed`` graph) the one-pass
    :func:`idom_ids_acyclic` is used."""
    ix = indexed or index_graph(graph)
    if cond is not None and cond.acyclic and cond.preds:
        idom, rpo = idom_ids_acyclic(cond, ix.root)
    else:
        idom, rpo = idom_ids(ix, acyclic=acyclic)
    size = [1] * len(ix.succ)
    root = ix.root
    for v in reversed(rpo):
        if v != root:
            size[idom[v]] += size[v]
    nodes = ix.nodes
    return {nodes[v]: size[v] - 1 for v in rpo if v != root}
