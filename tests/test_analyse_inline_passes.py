"""The analysis' passes with their work folded into C-level operations or one loop, against
plain computations: the lane counts made while the bits propagate (the carry-save counter
inlined), and the breadth-first depths recorded a whole level at a time."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.analyse.reach import (
    Condensed,
    ancestor_counts,
    condense,
    count_dependants,
    depth_levels,
    depth_list,
    lower_bounds,
)
from souverain.graph import DependencyGraph

from tests.factories import make_graph


@st.composite
def graphs(draw: st.DrawFn) -> DependencyGraph:
    """Random graphs with cycles (condensed nodes of weight above one), everything reachable
    from the root or not."""
    n = draw(st.integers(min_value=1, max_value=40))
    nodes = [f"n{i}" for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = [(nodes[a], nodes[b]) for a, b in draw(st.lists(pairs, max_size=3 * n)) if a != b]
    roots = draw(st.lists(st.integers(0, n - 1), max_size=3))
    return make_graph(edges + [("root", nodes[r]) for r in roots], nodes=nodes)[1]


def _carried(cond: Condensed, seeds: list[int]) -> list[int]:
    """The bits each condensed node carries after propagation to every dependant, by a plain
    fixed point (no order needed)."""
    bits = list(seeds)
    changed = True
    while changed:
        changed = False
        for s in cond.order:
            b = bits[s]
            for t in cond.succ[s]:
                b |= bits[t]
            if b != bits[s]:
                bits[s] = b
                changed = True
    return bits


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data(), st.integers(min_value=1, max_value=70))
def test_counts_made_during_the_propagation_are_the_weighted_column_sums(
    g: DependencyGraph, data: st.DataObject, k: int
) -> None:
    cond = condense(g)
    n = len(cond.weight)
    live = set(cond.order)
    seeds = [data.draw(st.integers(0, 2**k - 1)) if s in live else 0 for s in range(n)]
    bits = _carried(cond, seeds)
    expected = [sum(cond.weight[s] for s in cond.order if bits[s] >> i & 1) for i in range(k)]
    assert count_dependants(cond, seeds, k) == expected
    assert count_dependants(cond, dict(enumerate(seeds)), k) == expected


def test_counts_reach_the_top_plane_of_the_counter() -> None:
    # 300 dependants in a chain above one node: its total (301) needs every plane the counter
    # is sized for (the carries ripple up to bit 8).
    chain = [(f"c{i}", f"c{i + 1}") for i in range(300)]
    _, g = make_graph([("root", "c0"), *chain])
    cond = condense(g)
    seeds = [0] * len(cond.weight)
    seeds[cond.index["c300"]] = 1
    seeds[cond.index["c150"]] |= 2
    assert count_dependants(cond, seeds, 2) == [301, 151]


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_depths_recorded_a_level_at_a_time_are_the_shortest_distances(g: DependencyGraph) -> None:
    ix = g.indexed()
    expected = nx.single_source_shortest_path_length(g.nx, g.root)
    levels = depth_levels(ix)
    assert {ix.nodes[v]: d for v, d in levels.items()} == expected
    assert list(levels.values()) == sorted(levels.values())  # the root first, then by distance
    assert depth_list(ix) == [expected.get(ref, -1) for ref in ix.nodes]


@st.composite
def forests(draw: st.DrawFn) -> DependencyGraph:
    """Graphs made mostly of chains of single dependants that branch (the shape of generated
    SBOMs near the root), a few nodes with several dependants, and maybe a cycle."""
    n = draw(st.integers(min_value=2, max_value=40))
    nodes = [f"n{i}" for i in range(n)]
    edges = [("root", nodes[0])]
    for i in range(1, n):
        many = min(i + 1, draw(st.sampled_from([1, 1, 1, 1, 2, 3])))
        for j in draw(st.lists(st.integers(-1, i - 1), min_size=many, max_size=many, unique=True)):
            edges.append(("root" if j < 0 else nodes[j], nodes[i]))
    if draw(st.booleans()):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            edges.append((nodes[b], nodes[a]))
    return make_graph(edges, nodes=nodes)[1]


def _searched(cond: Condensed, s: int) -> int:
    """The weighted nodes that are ``s`` or depend on it, by a plain search."""
    seen = {s}
    stack = [s]
    while stack:
        for p in cond.preds[stack.pop()]:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return sum(cond.weight[v] for v in seen)


@settings(max_examples=200, deadline=None)
@given(st.one_of(forests(), graphs()), st.sampled_from([0, 2, 10**9]))
def test_counts_from_chain_tops_are_the_searched_counts(g: DependencyGraph, small: int) -> None:
    # small = 10**9: every chain top by the upward search from chain top to chain top (chains
    # entered twice, branching chains); 0: by bit lanes; 2: both.
    cond = condense(g)
    live = [s for s in cond.order if cond.weight[s]]
    counts, _, lower = ancestor_counts(cond, live, small=small, lower=True)
    assert counts == {s: _searched(cond, s) for s in live}
    assert lower == lower_bounds(cond)
