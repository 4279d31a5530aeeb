"""The integer form build_graph keeps beside the networkx graph (ids, adjacency lists, Kahn's
order, cycles) against the one numbered afresh from the networkx graph, and the analysis'
condensation built from either."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.analyse.reach import Condensed, condense
from souverain.graph import DependencyGraph, Indexed, build_graph, index_networkx
from souverain.model import Component, EdgeKind, ParsedSbom, SbomFormat
from souverain.sbom import load_sbom

GENERATOR = Path("/work/shared/tools/gen_sbom.py")


def _sbom(refs: list[str], edges: list[tuple[str, str, EdgeKind]], root: str | None) -> ParsedSbom:
    return ParsedSbom(
        path="generated",
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version="1.6",
        sha256="0" * 64,
        components=tuple(Component(ref=r, name=r, location=f"/components/{i}") for i, r in enumerate(refs)),
        root=Component(ref=root, name=root) if root else None,
        edges=tuple(edges),
    )


def _by_hand(graph: DependencyGraph) -> DependencyGraph:
    """The same networkx graph in a DependencyGraph built by hand (no integer form kept)."""
    return DependencyGraph(
        graph.nx, graph.root, graph.components, synthetic_root=graph.synthetic_root, flat=graph.flat
    )


def _fields(ix: Indexed) -> dict[str, object]:
    out = {f.name: getattr(ix, f.name) for f in dataclasses.fields(ix)}
    out["nodes"] = list(ix.nodes)
    out["index"] = dict(ix.index)
    out["succ"] = [list(s) for s in ix.succ]
    out["preds"] = [list(p) for p in ix.preds]
    out["order"] = list(ix.order or ())
    out["cycles"] = {r: list(ms) for r, ms in (ix.cycles or {}).items()}
    return out


def _condensed(c: Condensed) -> dict[str, object]:
    return {
        "order": list(c.order),
        "succ": [list(s) for s in c.succ],
        "preds": [list(p) for p in c.preds],
        "weight": list(c.weight),
        "index": dict(c.index),
        "of": list(c.of),
        "members": {r: list(ms) for r, ms in c.members.items()},
        "acyclic": c.acyclic,
    }


def _same_as_recomputed(graph: DependencyGraph) -> None:
    kept = graph.indexed()
    fresh = index_networkx(graph.nx, graph.root)
    assert _fields(kept) == _fields(fresh)
    assert _fields(_by_hand(graph).indexed()) == _fields(fresh)
    # the lists follow networkx's adjacency: node order, successor order
    assert list(kept.nodes) == list(graph.nx)
    assert [[kept.nodes[w] for w in kept.succ[v]] for v in range(len(kept.nodes))] == [
        list(graph.nx.successors(r)) for r in graph.nx
    ]
    # what the peeling says about cycles
    sccs = [s for s in nx.strongly_connected_components(graph.nx) if len(s) > 1]
    assert sorted(sorted(ms) for ms in (kept.cycles or {}).values()) == sorted(
        sorted(kept.index[r] for r in s) for s in sccs
    )
    assert (len(kept.order or ()) == len(kept.nodes)) == (not sccs)
    assert _condensed(condense(graph)) == _condensed(condense(_by_hand(graph)))


_REFS = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "ghost"])  # "ghost" is never a component
_KINDS = st.sampled_from([EdgeKind.RUNTIME, EdgeKind.NESTED, EdgeKind.DEV])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_REFS.filter(lambda r: r != "ghost"), max_size=8),
    st.lists(st.tuples(_REFS, _REFS, _KINDS), max_size=20),
    st.sampled_from([None, "a", "root"]),
    st.booleans(),
)
def test_the_kept_integer_form_is_the_one_numbered_from_networkx(
    refs: list[str], edges: list[tuple[str, str, EdgeKind]], root: str | None, tidy: bool
) -> None:
    if tidy:  # only known refs and no self-loop: build_graph's fast path (repeated pairs remain)
        known = {*refs, root} if root else set(refs)
        edges = [(u, v, k) for u, v, k in edges if u in known and v in known and u != v]
    graph = build_graph(_sbom(refs, edges, root))
    _same_as_recomputed(graph)
    # the nodes as add_nodes_from stores them: an attribute dict of its own each, and the
    # successor adjacency is networkx's ``adj``; the graph is read-only
    g = graph.nx
    expected: nx.DiGraph[str] = nx.DiGraph()
    expected.add_nodes_from(g)
    assert list(g.nodes(data=True)) == list(expected.nodes(data=True))
    assert len({id(g.nodes[r]) for r in g}) == g.number_of_nodes()
    assert g._adj is g._succ  # type: ignore[attr-defined]
    assert nx.is_frozen(g)


def test_the_networkx_graph_is_frozen_and_a_graph_by_hand_numbered_each_time() -> None:
    graph = build_graph(_sbom(["a", "b", "c"], [("a", "b", EdgeKind.RUNTIME)], "r"))
    assert graph.indexed() is graph.indexed()
    with pytest.raises(nx.NetworkXError):  # read-only, as the integer form kept beside it
        graph.nx.add_edge("b", "c", kind=EdgeKind.RUNTIME)
    g: nx.DiGraph[str] = nx.DiGraph(graph.nx)  # an unfrozen copy
    by_hand = DependencyGraph(g, "r", graph.components, synthetic_root=False, flat=False)
    assert by_hand.indexed() is not by_hand.indexed()
    g.add_edge("b", "c", kind=EdgeKind.RUNTIME)
    assert [list(s) for s in by_hand.indexed().succ] == [[1, 3], [2], [3], []]  # r, a, b, c


def test_unreachable_cycles_hang_off_the_root_by_their_first_node() -> None:
    # c → d → e → c and x ⇄ y: nothing outside depends on them; a0 → … → a20 is a long chain
    # (the unreachable part is under half of the graph: the choice used to follow set order)
    edges = [("c", "d"), ("d", "e"), ("e", "c"), ("x", "y"), ("y", "x")]
    edges += [(f"a{i}", f"a{i + 1}") for i in range(20)]
    refs = ["c", "d", "e", "x", "y", *(f"a{i}" for i in range(21))]
    graph = build_graph(_sbom(refs, [(u, v, EdgeKind.RUNTIME) for u, v in edges], None))
    assert list(graph.nx.successors(graph.root)) == ["a0", "c", "x"]
    assert graph.issues.cycles == 2
    _same_as_recomputed(graph)


def test_a_cycle_through_the_root_is_found_after_hanging() -> None:
    # c depends on the root and d ⇄ c: the edge root → c closes a cycle through the root
    edges = [("r", "a"), ("c", "r"), ("c", "d"), ("d", "c")]
    graph = build_graph(_sbom(["a", "c", "d"], [(u, v, EdgeKind.RUNTIME) for u, v in edges], "r"))
    assert graph.nx.has_edge("r", "c")
    assert graph.issues.cycles == 1
    assert len(nx.descendants(graph.nx, graph.root)) == len(graph)
    _same_as_recomputed(graph)


@pytest.mark.slow
@pytest.mark.skipif(not GENERATOR.exists(), reason="the shared SBOM generator is not available here")
def test_messy_generated_sbom(tmp_path: Path) -> None:
    out = tmp_path / "messy.cdx.json"
    subprocess.run(
        [sys.executable, str(GENERATOR), "-n", "3000", "--messy", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    graph = build_graph(load_sbom(out))
    assert graph.issues.cycles > 0
    _same_as_recomputed(graph)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_REFS.filter(lambda r: r != "ghost"), max_size=8),
    st.lists(st.tuples(_REFS, _REFS, _KINDS), max_size=20),
    st.sampled_from([None, "a", "root"]),
)
def test_the_graph_answers_from_its_integer_form_as_networkx_would(
    refs: list[str], edges: list[tuple[str, str, EdgeKind]], root: str | None
) -> None:
    """build_graph's graph answers from the integer form, before any networkx graph exists,
    what the networkx graph built later (and a graph built by hand around it) answers."""
    graph = build_graph(_sbom(refs, edges, root))
    asked = {
        "len": len(graph),
        "refs": list(graph.refs()),
        "contains": [r in graph for r in ["a", "ghost", "root", graph.root]],
        "dependencies": {r: list(graph.dependencies(r)) for r in graph.indexed().nodes},
        "dependants": {r: list(graph.dependants(r)) for r in graph.indexed().nodes},
        "edges": graph.number_of_edges(),
    }
    assert graph._nx is None  # nothing above needed networkx
    g = graph.nx
    assert graph.nx is g  # built once
    by_hand = _by_hand(graph)
    assert asked["len"] == len(by_hand) == g.number_of_nodes() - 1
    assert asked["refs"] == list(by_hand.refs()) == [r for r in g if r != graph.root]
    assert asked["contains"] == [r in by_hand for r in ["a", "ghost", "root", graph.root]]
    assert asked["dependencies"] == {r: list(g.successors(r)) for r in g}
    assert asked["dependants"] == {r: list(g.predecessors(r)) for r in g}
    # declared edges: distinct pairs of known refs, no self-loop, not only nested (a pair
    # declared both ways keeps the dependency's kind)
    known = {*refs, root} if root else set(refs)
    kept: dict[tuple[str, str], EdgeKind] = {}
    for u, v, k in edges:
        if u in known and v in known and u != v and kept.get((u, v)) in (None, EdgeKind.NESTED):
            kept[u, v] = k
    assert asked["edges"] == sum(k is not EdgeKind.NESTED for k in kept.values())
    assert {(u, v): graph.edge_kind(u, v) for u, v in kept} == kept
    hung = [v for v in g.successors(graph.root) if (graph.root, v) not in kept]
    assert all(graph.edge_kind(graph.root, v) is EdgeKind.RUNTIME for v in hung)


def test_an_unknown_ref_is_a_networkx_error_without_networkx() -> None:
    graph = build_graph(_sbom(["a", "b"], [("a", "b", EdgeKind.RUNTIME)], "r"))
    for ask in (graph.dependencies, graph.dependants):
        with pytest.raises(nx.NetworkXError, match="ghost"):
            ask("ghost")
    assert graph._nx is None


def test_an_audit_never_builds_the_networkx_graph() -> None:
    """The analysis and the reports run on the integer form: networkx is built for those who
    ask (the inventory, library users), not for every audit (docs/performance.md)."""
    import datetime as dt

    from souverain.analyse import analyse
    from souverain.enrich import default_enrichers, enrich_all
    from souverain.enrich.base import EnrichContext
    from souverain.knowledge import load_default
    from souverain.model import Policy
    from souverain.report import REPORTERS
    from souverain.report.base import BytesReporter, RenderOptions

    fixtures = Path(__file__).parent / "fixtures" / "sboms"
    sbom = load_sbom(fixtures / "cdx-1.2_keycloak-10.0.2_maven.json")
    graph = build_graph(sbom)
    kb = load_default()
    assessments = enrich_all(graph, EnrichContext(kb=kb, policy=Policy()), default_enrichers())
    result = analyse(sbom, graph, assessments, Policy(), today=dt.date(2026, 11, 28), kb=kb)
    reporter = REPORTERS["json"]
    assert isinstance(reporter, BytesReporter)
    assert reporter.render_bytes(result, RenderOptions(reproducible=True))
    assert result.findings
    assert graph._nx is None
