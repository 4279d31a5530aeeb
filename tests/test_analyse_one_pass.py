"""The analysis' single pass over an acyclic graph (``dominators.descend``: dominators, depths,
reach bounds and chain tops together) against the separate passes it replaces."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.analyse.dominators import descend, dominated_sizes
from souverain.analyse.reach import ancestor_counts, chains, condense, depth_list, index_graph
from souverain.graph import DependencyGraph

from tests.factories import make_graph


@st.composite
def dags(draw: st.DrawFn) -> DependencyGraph:
    """Random acyclic graphs: as the pipeline builds them (everything reachable), or as a
    caller may give them (unreachable nodes, dependants of the root)."""
    n = draw(st.integers(min_value=1, max_value=30))
    nodes = [f"n{i}" for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = [(nodes[a], nodes[b]) for a, b in draw(st.lists(pairs, max_size=3 * n)) if a < b]
    roots = draw(st.lists(st.integers(0, n - 1), max_size=4))
    if draw(st.booleans()):
        return make_graph(edges + [("root", nodes[r]) for r in roots], nodes=nodes)[1]
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_node("root")
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    g.add_edges_from(("root", nodes[r]) for r in roots)
    above = draw(st.lists(st.integers(0, n - 1), max_size=2))  # dependants of the root
    g.add_edges_from((nodes[r], "root") for r in above if not nx.has_path(g, "root", nodes[r]))
    return DependencyGraph(g, "root", {}, synthetic_root=True, flat=False)


@settings(max_examples=300, deadline=None)
@given(dags(), st.sampled_from([0, 1, 3, 64]))
def test_one_pass_gives_what_the_separate_passes_give(g: DependencyGraph, small: int) -> None:
    ix = index_graph(g)
    cond = condense(g, ix)
    one = descend(ix, cond, small)
    if not ix.preds:  # numbered without dependants lists: the separate passes run
        assert one is None
        return
    assert cond.acyclic
    assert one is not None
    assert one.dominated == dominated_sizes(ix, acyclic=True)[0]
    expected_depth = depth_list(ix)
    assert [-1 if d == one.unreached else d for d in one.depth] == expected_depth
    assert one.reached == sum(d >= 0 for d in expected_depth)
    separate = chains(cond, small)
    assert (one.chains.bound, one.chains.lbw, one.chains.top) == (
        separate.bound,
        separate.lbw,
        separate.top,
    )
    targets = list(range(len(ix.nodes)))
    assert ancestor_counts(cond, targets, small=small, known=one.chains, lower=True) == (
        ancestor_counts(cond, targets, small=small, lower=True)
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=12))
def test_no_single_pass_on_a_graph_with_a_cycle(n: int) -> None:
    nodes = [f"n{i}" for i in range(n)]
    edges = [(nodes[i], nodes[i + 1]) for i in range(n - 1)] + [(nodes[-1], nodes[0])]
    _, g = make_graph([*edges, ("root", nodes[0])], nodes=nodes)
    ix = index_graph(g)
    assert descend(ix, condense(g, ix)) is None
