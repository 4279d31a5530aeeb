"""Graph metrics: reach, dominated, depth, exposure — hand-made graphs and brute force."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.analyse import compute_metrics
from souverain.analyse.dominators import dominated_counts, immediate_dominators
from souverain.analyse.exposure import herfindahl, score
from souverain.analyse.reach import (
    brute_force_reach,
    condense,
    depths,
    exposure_counts,
    reach_lower_bounds,
    reach_of,
)
from souverain.graph import DependencyGraph

from tests.factories import make_graph

# root → a, b; a → c; b → c; c ⇄ d (cycle); c → e; b → f
DIAMOND = [
    ("root", "a"), ("root", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "c"), ("c", "e"), ("b", "f")
]


def test_reach_on_hand_made_graph() -> None:
    _, g = make_graph(DIAMOND)
    r = reach_of(g, ["a", "b", "c", "d", "e", "f"])
    assert r == {"a": 0, "b": 0, "c": 3, "d": 3, "e": 4, "f": 1}


def test_reach_without_lanes_and_with_lanes_only_agree() -> None:
    # small=0: every chain top with dependants gets a bit lane; small=1000: none does
    _, g = make_graph([*DIAMOND, ("e", "g"), ("g", "h"), ("f", "h")])
    refs = ["a", "b", "c", "d", "e", "f", "g", "h"]
    expected = {"a": 0, "b": 0, "c": 3, "d": 3, "e": 4, "f": 1, "g": 5, "h": 7}
    assert reach_of(g, refs, small=0) == expected
    assert reach_of(g, refs, small=1000) == expected
    assert reach_of(g, ["h"], small=0, chunk=1) == {"h": 7}


def test_reach_chunking_gives_the_same_counts() -> None:
    _, g = make_graph(DIAMOND)
    refs = ["a", "b", "c", "d", "e", "f"]
    assert reach_of(g, refs, chunk=1) == reach_of(g, refs, chunk=4096)


def test_dominated_on_hand_made_graph() -> None:
    _, g = make_graph(DIAMOND)
    # c dominates d and e; b dominates f; a and b do not dominate c (two paths).
    assert dominated_counts(g) == {"a": 0, "b": 1, "c": 2, "d": 0, "e": 0, "f": 0}


def test_dominated_on_acyclic_graph_in_one_pass() -> None:
    # root → a, b; a → c; b → c, d; c → e; d → e; e → f: only e dominates something (f)
    _, g = make_graph([("root", "a"), ("root", "b"), ("a", "c"), ("b", "c"), ("b", "d"),
                       ("c", "e"), ("d", "e"), ("e", "f")])
    cond = condense(g)
    assert cond.acyclic
    expected = {"a": 0, "b": 1, "c": 0, "d": 0, "e": 1, "f": 0}
    assert dominated_counts(g, acyclic=True, cond=cond) == expected
    assert dominated_counts(g) == expected


def test_depth_and_direct() -> None:
    _, g = make_graph(DIAMOND)
    assert depths(g) == {"a": 1, "b": 1, "c": 2, "f": 2, "d": 3, "e": 3}
    computed = compute_metrics(g, set())
    metrics = computed.metrics
    assert not computed.approximate
    assert {r for r, m in metrics.items() if m.direct} == {"a", "b"}
    assert metrics["e"].share == pytest.approx(4 / 6, abs=1e-4)


def test_exposure_counts_members_and_their_dependants() -> None:
    _, g = make_graph(DIAMOND)
    counts = exposure_counts(g, {"cf": ["c", "f"], "e": ["e"], "none": [], "a": ["a"]})
    # c, f themselves + a, b, d depend on them.
    assert counts == {"cf": 5, "e": 5, "none": 0, "a": 1}


def test_flat_graph_has_unknown_reach() -> None:
    _, g = make_graph([], nodes=["x", "y"], flat=True)
    metrics = compute_metrics(g, {"x"}, {"x": ["x"]}).metrics
    assert metrics["x"].reach is None
    assert metrics["x"].share is None
    assert metrics["x"].dominated is None
    assert not metrics["x"].direct


def test_synthetic_root_is_not_counted() -> None:
    _, g = make_graph([("a", "b"), ("c", "b")], root=None)
    assert g.synthetic_root
    assert reach_of(g, ["b"]) == {"b": 2}
    assert dominated_counts(g)["a"] == 0


def test_approximation_above_the_exact_limit_is_a_lower_bound() -> None:
    _, g = make_graph(DIAMOND)
    computed = compute_metrics(g, {"e"}, exact_limit=2)
    metrics = computed.metrics
    assert computed.approximate
    assert metrics["e"].reach == 4  # candidate: exact
    for ref, m in metrics.items():
        assert m.reach is not None
        assert m.reach <= brute_force_reach(g, ref)


def test_herfindahl_normalisation() -> None:
    assert herfindahl({"US": 0.5}) == 1.0
    assert herfindahl({"US": 0.3, "CN": 0.3}) == 0.5
    assert herfindahl({}) == 0.0


def test_score_bounds() -> None:
    assert score({}) == 100
    everything = dict.fromkeys(
        ["foreign-non-open", "service-bound", "proprietary", "source-available", "unknown-licence",
         "unknown-controller", "foreign"], 1.0
    )
    assert score(everything) == 0
    assert score({"foreign-non-open": 0.5}) < score({"foreign": 0.5})
    foreign_open = score({"foreign": 1.0})
    unknown = score({"unknown-licence": 1.0, "unknown-controller": 1.0})
    foreign_proprietary = score({"foreign": 1.0, "proprietary": 1.0, "foreign-non-open": 1.0})
    assert foreign_proprietary < unknown < foreign_open < 100
    # depending on a proprietary grant, even from a vendor at home, costs more than foreign open source
    home_proprietary = score({"proprietary": 1.0})
    assert foreign_proprietary < home_proprietary < foreign_open


# ------------------------------------------------------------------------------------------
# Brute force on random graphs with cycles
# ------------------------------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> DependencyGraph:
    n = draw(st.integers(min_value=1, max_value=25))
    nodes = [f"n{i}" for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    raw = draw(st.lists(pairs, max_size=3 * n))
    edges = [(nodes[a], nodes[b]) for a, b in raw if a != b]
    synthetic = draw(st.booleans())
    if synthetic:
        _, g = make_graph(edges, root=None, nodes=nodes)
    else:
        roots = draw(st.lists(st.integers(0, n - 1), max_size=3))
        _, g = make_graph(edges + [("root", nodes[r]) for r in roots], nodes=nodes)
    return g


def _brute_dominated(g: DependencyGraph, ref: str) -> int:
    h = g.nx.copy()
    h.remove_node(ref)
    still = nx.descendants(h, g.root) | {g.root}
    return sum(1 for r in g.refs() if r != ref and r not in still)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.integers(min_value=1, max_value=8), st.sampled_from([0, 1, 3, 64]), st.data())
def test_reach_matches_brute_force(
    g: DependencyGraph, chunk: int, small: int, data: st.DataObject
) -> None:
    refs = list(g.refs())
    expected = {r: brute_force_reach(g, r) for r in refs}
    # every ref, then a subset: chains and searches start from the requested refs only
    assert reach_of(g, refs, chunk=chunk, small=small) == expected
    some = data.draw(st.lists(st.sampled_from(sorted(refs)), max_size=5)) if refs else []
    assert reach_of(g, some, chunk=chunk, small=small) == {r: expected[r] for r in some}
    lower = reach_lower_bounds(g, condense(g))
    assert all(lower[r] <= brute_force_reach(g, r) for r in refs)
    expected_depths = dict(nx.single_source_shortest_path_length(g.nx, g.root))
    expected_depths.pop(g.root)
    assert depths(g) == expected_depths


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_dominated_matches_brute_force(g: DependencyGraph) -> None:
    cond = condense(g)
    dom = dominated_counts(g, acyclic=cond.acyclic)
    assert dom == {r: _brute_dominated(g, r) for r in g.refs()}
    # with the condensation: the one-pass topological-order variant when acyclic
    assert dominated_counts(g, acyclic=cond.acyclic, cond=cond) == dom
    expected = dict(nx.immediate_dominators(g.nx, g.root))
    expected.pop(g.root, None)
    assert immediate_dominators(g) == expected


@settings(max_examples=60, deadline=None)
@given(graphs(), st.data())
def test_exposure_matches_brute_force(g: DependencyGraph, data: st.DataObject) -> None:
    refs = sorted(g.refs())
    groups = {
        f"g{i}": data.draw(st.lists(st.sampled_from(refs), max_size=4)) for i in range(3)
    }
    expected = {}
    for name, members in groups.items():
        hit: set[str] = set(members)
        for m in members:
            hit |= nx.ancestors(g.nx, m)
        hit.discard(g.root)
        expected[name] = len(hit)
    assert exposure_counts(g, groups, chunk=2) == expected
