"""Dominators: ``dominated(C)`` is the number of components reachable from the root only
through ``C`` — what leaves with ``C`` when it is replaced (the migration scope).

Immediate dominators by the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
Dominance Algorithm", 2001) on integer lists — the algorithm networkx implements, here without
dict overhead. :func:`idom_ids` runs it in a depth-first reverse postorder;
:func:`idom_ids_condensed` in the topological order of the condensation the analysis already
has: one pass, then a few more over the nodes on or below a cycle only.
``nx.immediate_dominators`` is the reference in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from souverain.analyse.reach import Condensed, index_graph
from souverain.graph import DependencyGraph, Indexed


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


def dominator_order(ix: Indexed, cond: Condensed) -> list[int]:
    """Node ids, dependants first: the topological order of the condensation, the nodes of a
    strongly connected component in the order a breadth-first search from its entries (the
    members with a dependant outside it) meets them. Every node but the root then has a
    dependant before it: one that is reachable from the root, when every node is."""
    rorder = list(cond.order[::-1])
    members = cond.members
    if not members:
        return rorder
    of = cond.of
    preds = ix.preds
    succ = ix.succ
    pos = dict(zip(rorder, range(len(rorder)), strict=True))
    out: list[int] = []
    last = 0
    for at, s in sorted((pos[s], s) for s in members):
        out.extend(rorder[last:at])
        last = at + 1
        ms = members[s]
        # the entries: the root, or the members with a dependant outside
        queue = [ix.root] if ix.root in ms else [v for v in ms if any(of[p] != s for p in preds[v])]
        seen = set(queue)
        i = 0
        while i < len(queue):
            for w in succ[queue[i]]:
                if of[w] == s and w not in seen:
                    seen.add(w)
                    queue.append(w)
            i += 1
        out.extend(queue)
        out.extend(v for v in ms if v not in seen)
    out.extend(rorder[last:])
    return out


def idom_ids_condensed(ix: Indexed, cond: Condensed) -> tuple[list[int], list[int]] | None:
    """:func:`idom_ids` from the condensation of the same graph, in its topological order
    (:func:`dominator_order`) rather than a depth-first reverse postorder: no search to run.

    A dominator always comes before the nodes it dominates in that order, and every node has a
    dependant before it, so one pass gives every node an immediate dominator candidate that
    stays before it. The candidates are final for the nodes on no cycle and below none (their
    dependants all come before them); the nodes on a cycle or below one are then iterated until
    nothing changes (the fixed point of Cooper, Harvey and Kennedy's iteration, which does not
    depend on the order). ``None`` when some node is unreachable from the root (then use
    :func:`idom_ids`). Same result as :func:`idom_ids`: the immediate dominators and the nodes
    reached, dominators first."""
    topo = dominator_order(ix, cond)
    n = len(topo)
    # Positions in ``topo`` order the walks up the tree; they are built on the first walk only
    # (a few dozen walks at 100k components, most dependants meet under different tops).
    pos: list[int] | None = None
    preds = ix.preds
    root = ix.root
    idom = [-1] * n
    idom[root] = root
    # top[v]: the ancestor of v just under the root in the tree (v itself when the root is its
    # immediate dominator). Two nodes under different tops have the root as common dominator,
    # the usual case: no walk up the tree then.
    top = [-1] * n
    top[root] = root
    reached = [root]
    for v in topo:
        if v == root:
            continue
        ps = preds[v]
        if len(ps) == 1:  # the common case: the only dependant, when it is reached
            p = ps[0]
            if idom[p] != -1:
                idom[v] = p
                top[v] = v if p == root else top[p]
                reached.append(v)
            continue
        new = -1
        for p in ps:
            if idom[p] == -1:
                continue
            if new == -1:
                new = p
                continue
            if top[p] != top[new]:
                new = root
                break
            if pos is None:
                pos = _positions(topo)
            a, b = p, new
            while a != b:  # walk up the tree to the common dominator (larger pos = deeper)
                while pos[a] > pos[b]:
                    a = idom[a]
                while pos[b] > pos[a]:
                    b = idom[b]
            new = a
        if new != -1:
            idom[v] = new
            top[v] = v if new == root else top[new]
            reached.append(v)
    if not cond.members:
        return idom, reached
    if len(reached) < n:
        return None
    mark = bytearray(n)
    stack = [v for ms in cond.members.values() for v in ms]
    for v in stack:
        mark[v] = 1
    succ = ix.succ
    while stack:
        for w in succ[stack.pop()]:
            if not mark[w]:
                mark[w] = 1
                stack.append(w)
    mark[root] = 0
    again = list(compress(topo, map(mark.__getitem__, topo)))
    if pos is None:
        pos = _positions(topo)
    changed = True
    while changed:
        changed = False
        for v in again:
            new = _intersect(preds[v], idom, pos, root)
            if new != idom[v]:
                idom[v] = new
                changed = True
    return idom, reached


def _positions(order: Sequence[int]) -> list[int]:
    """The position of every node in ``order`` (a permutation of the node ids)."""
    pos = [0] * len(order)
    for i, v in enumerate(order):
        pos[v] = i
    return pos


def _intersect(ps: Sequence[int], idom: list[int], pos: list[int], root: int) -> int:
    """The nearest common dominator of the reached nodes of ``ps`` (-1 when none is reached),
    walking up the tree (a larger ``pos`` is deeper)."""
    new = -1
    for p in ps:
        if idom[p] == -1:
            continue
        if new == -1:
            new = p
            continue
        a, b = p, new
        while a != b:
            while pos[a] > pos[b]:
                a = idom[a]
            while pos[b] > pos[a]:
                b = idom[b]
        new = a
        if new == root:  # nothing is above the root
            break
    return new


def immediate_dominators(graph: DependencyGraph, indexed: Indexed | None = None) -> dict[str, str]:
    """Immediate dominator of every node reachable from the root (the root excluded)."""
    ix = indexed or index_graph(graph)
    idom, rpo = idom_ids(ix)
    return {ix.nodes[v]: ix.nodes[idom[v]] for v in rpo if v != ix.root}


def dominated_sizes(
    ix: Indexed, *, acyclic: bool = False, cond: Condensed | None = None
) -> tuple[list[int], list[int]]:
    """By node id, the size of each node's dominator subtree minus itself (-1 when unreachable
    from the root); and the nodes reached, dominators first. Dominators precede the nodes they
    dominate in that order, so subtree sizes are summed in one backward sweep (no recursion).
    With ``cond`` (the condensation of the same graph) :func:`idom_ids_condensed` is used."""
    found = idom_ids_condensed(ix, cond) if cond is not None and ix.preds else None
    idom, order = found if found is not None else idom_ids(ix, acyclic=acyclic)
    size = [1] * len(ix.succ)
    root = ix.root
    for v in reversed(order):
        if v != root:
            size[idom[v]] += size[v]
    if len(order) < len(size):
        for v, d in enumerate(idom):
            if d == -1:
                size[v] = 0
    return [x - 1 for x in size], order


def dominated_counts(
    graph: DependencyGraph,
    indexed: Indexed | None = None,
    *,
    acyclic: bool = False,
    cond: Condensed | None = None,
) -> dict[str, int]:
    """For every component reachable from the root, the size of its dominator subtree minus
    itself (see :func:`dominated_sizes`)."""
    ix = indexed or index_graph(graph)
    sizes, order = dominated_sizes(ix, acyclic=acyclic, cond=cond)
    nodes = ix.nodes
    root = ix.root
    return {nodes[v]: sizes[v] for v in order if v != root}
