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
from dataclasses import dataclass
from itertools import compress

from souverain.analyse.reach import SMALL_REACH, Chains, Condensed, index_graph
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
        new, pos = _meet(ps, idom, top, root, topo, pos)
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


def _meet(
    ps: Sequence[int],
    idom: list[int],
    top: list[int],
    root: int,
    topo: Sequence[int],
    pos: list[int] | None,
) -> tuple[int, list[int] | None]:
    """The nearest common dominator of the reached nodes of ``ps`` (-1 when none is reached), in
    the one pass of :func:`idom_ids_condensed` or :func:`descend`. ``top[v]`` is v's ancestor
    just under the root: two nodes under different tops meet at the root without a walk (the
    usual case), others by a walk up the tree ordered by ``pos``, the positions in ``topo``
    (larger = deeper), built on the first walk and returned with the result."""
    new = -1
    for p in ps:
        if idom[p] == -1:
            continue
        if new == -1:
            new = p
            continue
        if top[p] != top[new]:
            return root, pos
        if pos is None:
            pos = _positions(topo)
        new = _walk_up(p, new, idom, pos)
    return new, pos


def _walk_up(a: int, b: int, idom: Sequence[int], pos: Sequence[int]) -> int:
    """The nearest common dominator of ``a`` and ``b``: up the tree from the deeper of the two
    (a larger ``pos`` is deeper) until they meet."""
    while a != b:
        while pos[a] > pos[b]:
            a = idom[a]
        while pos[b] > pos[a]:
            b = idom[b]
    return a


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
        new = _walk_up(p, new, idom, pos)
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
    return _subtree_sizes(idom, order, ix.root), order


def _subtree_sizes(idom: Sequence[int], order: Sequence[int], root: int) -> list[int]:
    """Dominator subtree sizes minus one (-1 when unreachable), the ``order`` reached nodes
    listing dominators first."""
    size = [1] * len(idom)
    for v in reversed(order):
        if v != root:
            size[idom[v]] += size[v]
    if len(order) < len(size):
        for v, d in enumerate(idom):
            if d == -1:
                size[v] = 0
    return [x - 1 for x in size]


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


@dataclass(frozen=True, slots=True)
class Descent:
    """What one pass over an acyclic graph, dependants first, gives: ``dominated`` as
    :func:`dominated_sizes`, ``depth`` the shortest distance from the root by node id
    (``unreached`` when the root does not reach the node), and the reach bounds and chain tops
    of :func:`~souverain.analyse.reach.chains`."""

    dominated: list[int]
    depth: list[int]
    unreached: int
    reached: int
    chains: Chains


def descend(ix: Indexed, cond: Condensed, small: int = SMALL_REACH) -> Descent | None:
    """:func:`dominated_sizes`, the depths of :func:`~souverain.analyse.reach.depth_levels` and
    :func:`~souverain.analyse.reach.chains` in one pass over the nodes, dependants first, when
    the graph is acyclic (``None`` otherwise, or without the dependants lists). The three walk
    the same order and mostly meet nodes of a single dependant, where each is a few list
    operations: one loop instead of three saves their per-node overhead (~0.1 s at 100k).

    The dominators are those of :func:`idom_ids_condensed` (same loop); the depth of a node is
    one more than the least depth of its reached dependants (a breadth-first search gives the
    same on an acyclic graph, where every dependant comes first); the chains as in
    :func:`~souverain.analyse.reach.chains`."""
    preds = ix.preds
    if not cond.acyclic or not preds:
        return None
    n = len(preds)
    topo = cond.order[::-1]  # dependants first (dominator_order without cycles)
    weight = cond.weight
    root = ix.root
    cap = small + 1
    bound = [0] * n
    getbound = bound.__getitem__
    lbw = [0] * n
    getlbw = lbw.__getitem__
    top = list(range(n))  # chain tops (reach.chains)
    idom = [-1] * n
    idom[root] = root
    under = [-1] * n  # the ancestor just under the root in the dominator tree (idom_ids_condensed)
    under[root] = root
    far = n + 1  # the depth of the nodes not reached (more than any distance)
    depth = [far] * n
    depth[root] = 0
    getdepth = depth.__getitem__
    reached = [root]
    pos: list[int] | None = None
    for s in topo:
        ps = preds[s]
        w = weight[s]
        if len(ps) == 1:  # the common case (two thirds of the nodes at 100k)
            p = ps[0]
            lbw[s] = lbw[p] + w
            u = bound[p] + w
            bound[s] = u if u < cap else cap
            if preds[p]:
                top[s] = top[p]
            if idom[p] != -1:  # the root is reached from none of its dependants (acyclic)
                idom[s] = p
                under[s] = s if p == root else under[p]
                depth[s] = depth[p] + 1
                reached.append(s)
            continue
        if not ps:
            bound[s] = lbw[s] = w
            continue
        u = sum(map(getbound, ps)) + w
        bound[s] = u if u < cap else cap
        lbw[s] = max(map(getlbw, ps)) + w
        new, pos = _meet(ps, idom, under, root, topo, pos)
        if new != -1:
            idom[s] = new
            under[s] = s if new == root else under[new]
            depth[s] = min(map(getdepth, ps)) + 1
            reached.append(s)
    dominated = _subtree_sizes(idom, reached, root)
    return Descent(dominated, depth, far, len(reached), Chains(bound, lbw, top, small))
