"""Dominators: ``dominated(C)`` is the number of components reachable from the root only
through ``C`` — what leaves with ``C`` when it is replaced (the migration scope)."""

from __future__ import annotations

import networkx as nx

from souverain.graph import DependencyGraph


def immediate_dominators(graph: DependencyGraph) -> dict[str, str]:
    """Immediate dominator of every node reachable from the root (the root excluded).

    networkx ≥ 3.6 may map the root to itself; it is dropped here.
    """
    idom: dict[str, str] = dict(nx.immediate_dominators(graph.nx, graph.root))
    idom.pop(graph.root, None)
    return idom


def dominated_counts(graph: DependencyGraph, idom: dict[str, str] | None = None) -> dict[str, int]:
    """For every component, the size of its dominator subtree minus itself. Iterative: the
    dominator tree is walked breadth first from the root, then sizes are summed leaves first."""
    if idom is None:
        idom = immediate_dominators(graph)
    children: dict[str, list[str]] = {}
    for node, parent in idom.items():
        children.setdefault(parent, []).append(node)
    order = [graph.root]
    for node in order:  # grows while iterated: a breadth-first walk of the tree
        order.extend(children.get(node, ()))
    size = dict.fromkeys(order, 1)
    for node in reversed(order):
        if node in idom:
            size[idom[node]] += size[node]
    return {node: size[node] - 1 for node in order if node != graph.root}
