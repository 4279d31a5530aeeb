"""build_graph on real SBOMs: root, flat documents, orphans, dangling refs, cycles, self-loops."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.graph import SYNTHETIC_ROOT, build_graph, node_kind
from souverain.model import Component, EdgeKind, NodeKind, ParsedSbom, SbomFormat
from souverain.sbom import load_sbom

from tests.conftest import fixture_path


def _load(name: str) -> ParsedSbom:
    return load_sbom(fixture_path(name))


def test_juice_shop_root_and_reachability() -> None:
    sbom = _load("cdx-1.6_juice-shop_npm-bare.json")
    graph = build_graph(sbom)
    assert graph.root == "juice-shop@14.1.1"
    assert not graph.synthetic_root
    assert not graph.flat
    assert len(graph) == len(sbom.components)
    # every component is reachable from the root
    assert len(nx.descendants(graph.nx, graph.root)) == len(sbom.components)
    assert node_kind(graph, graph.root) is NodeKind.COMPONENT
    nested = next(c for c in sbom.components if c.parent is not None)
    assert graph.edge_kind(nested.parent or "", nested.ref) is EdgeKind.NESTED
    # juice-shop declares 1,766 distinct dependsOn edges; 114 more edges are nesting only
    assert graph.number_of_edges() == 1766
    assert graph.issues.nesting_only == 114


@pytest.mark.parametrize(
    "name",
    [
        "cdx-1.4_mongo-container_syft.json",
        "cdx-1.1_laravel-7.12.0_composer.xml",
        "cdx-1.2_protonmail-webclient-v4.xml",
        "cdx-1.4_hbom-pcie-sata-adapter.json",
    ],
)
def test_flat_documents_hang_everything_off_the_root(name: str) -> None:
    sbom = _load(name)
    graph = build_graph(sbom)
    assert graph.flat
    assert set(graph.dependencies(graph.root)) == {c.ref for c in sbom.components}
    for comp in sbom.components:
        assert list(graph.dependants(comp.ref)) == [graph.root]


def test_laravel_has_a_synthetic_root() -> None:
    graph = build_graph(_load("cdx-1.1_laravel-7.12.0_composer.xml"))
    assert graph.root == SYNTHETIC_ROOT
    assert graph.synthetic_root
    assert node_kind(graph, SYNTHETIC_ROOT) is NodeKind.ROOT
    assert graph.number_of_edges() == 0  # edges from a synthetic root are not dependencies


def test_keycloak_orphans_hang_off_the_root() -> None:
    sbom = _load("cdx-1.2_keycloak-10.0.2_maven.json")
    graph = build_graph(sbom)
    assert sbom.root is not None
    targets = {b for _, b, _ in sbom.edges}
    expected = {c.ref for c in sbom.components if c.ref not in targets}
    declared = {b for a, b, _ in sbom.edges if a == sbom.root.ref}
    assert expected
    assert graph.issues.orphans == len(expected)
    assert set(graph.dependencies(graph.root)) == expected | declared
    assert len(nx.descendants(graph.nx, graph.root)) == len(sbom.components)


def test_saasbom_services_are_nodes_so_nothing_dangles() -> None:
    path = fixture_path("cdx-1.4_saasbom-apigateway-services.json")
    raw = json.loads(path.read_text())

    def service_refs(services: list[dict[str, object]]) -> set[str]:
        out: set[str] = set()
        for s in services:
            out.add(str(s["bom-ref"]))
            out |= service_refs(s.get("services", []))  # type: ignore[arg-type]
        return out

    known = service_refs(raw["services"]) | {raw["metadata"]["component"]["bom-ref"]}
    deps = raw["dependencies"]
    mentioned = [d["ref"] for d in deps] + [t for d in deps for t in d["dependsOn"]]
    dangling = [r for r in mentioned if r not in known]
    graph = build_graph(load_sbom(path))
    assert graph.issues.dangling_edges == len(dangling)
    assert graph.issues.dangling_edges == 0
    assert all(node_kind(graph, ref) is NodeKind.SERVICE for ref in graph.refs())
    assert graph.edge_kind("acme-application", "api-gateway") is EdgeKind.RUNTIME


def test_cycles_are_counted() -> None:
    graph = build_graph(_load("cdx-1.2_proton-bridge-v1.8.0_gomod.json"))
    sccs = [s for s in nx.strongly_connected_components(graph.nx) if len(s) > 1]
    assert graph.issues.cycles == len(sccs) == 1
    # the cycle is still reachable from the root
    assert len(nx.descendants(graph.nx, graph.root)) == len(graph)


def _tiny(edges: list[tuple[str, str]], refs: list[str]) -> ParsedSbom:
    return ParsedSbom(
        path="tiny",
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version="1.6",
        sha256="0" * 64,
        components=tuple(Component(ref=r, name=r) for r in refs),
        root=None,
        edges=tuple((a, b, EdgeKind.RUNTIME) for a, b in edges),
    )


def test_self_loops_duplicates_and_unreachable_cycles() -> None:
    edges = [("a", "a"), ("a", "b"), ("a", "b"), ("c", "d"), ("d", "c"), ("x", "ghost")]
    sbom = _tiny(edges, ["a", "b", "c", "d"])
    graph = build_graph(sbom)
    assert graph.issues.self_loops == 1
    assert graph.issues.duplicate_edges == 1
    assert graph.issues.dangling_edges == 1
    assert graph.issues.cycles == 1
    # the c ⇄ d cycle nothing depends on is hung off the synthetic root
    assert len(nx.descendants(graph.nx, graph.root)) == 4
    assert graph.number_of_edges() == 3  # a→b, c→d, d→c


def test_graph_oddities_fixture() -> None:
    sbom = _load("broken/graph-oddities.cdx.json")
    graph = build_graph(sbom)
    counts = graph.issues.as_counts()
    assert counts["self_loops"] == 1
    assert counts["duplicate_refs"] == 1
    assert counts["cycles"] == 1
    assert {s.reason for s in graph.issues.skipped} >= {"unknown ref 'ghost'", "unknown ref 'phantom'"}


# ------------------------------------------- edge insertion against a one-edge-at-a-time model

_REFS = st.sampled_from(["a", "b", "c", "d", "e", "ghost"])  # "ghost" is never a component
_KINDS = st.sampled_from([EdgeKind.RUNTIME, EdgeKind.NESTED, EdgeKind.DEV])


def _one_edge_at_a_time(sbom: ParsedSbom, root: str) -> tuple[nx.DiGraph[str], dict[str, int]]:
    """The graph's declared edges built naively: first component of a ref wins; an edge to or
    from an unknown ref is dangling; self-loops dropped; a repeated pair keeps its first kind
    unless it was nested and comes again as a dependency."""
    components: dict[str, Component] = {root: sbom.root} if sbom.root else {}
    counts = dict.fromkeys(("dangling", "duplicate_refs", "duplicate_edges", "self_loops"), 0)
    for c in sbom.components:
        if c.ref in components:
            counts["duplicate_refs"] += 1
        else:
            components[c.ref] = c
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from([*components, root])
    for src, dst, kind in sbom.edges:
        if src not in g or dst not in g:
            counts["dangling"] += 1
        elif src == dst:
            counts["self_loops"] += 1
        elif g.has_edge(src, dst):
            counts["duplicate_edges"] += 1
            if g.edges[src, dst]["kind"] is EdgeKind.NESTED and kind is not EdgeKind.NESTED:
                g.edges[src, dst]["kind"] = kind
        else:
            g.add_edge(src, dst, kind=kind)
    return g, counts


def _kinds(g: nx.DiGraph[str]) -> list[tuple[str, str, EdgeKind]]:
    return [(u, v, d["kind"]) for u, v, d in g.edges(data=True)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_REFS.filter(lambda r: r != "ghost"), max_size=7),
    st.lists(st.tuples(_REFS, _REFS, _KINDS), max_size=14),
    st.booleans(),
    st.booleans(),
)
def test_edges_kinds_and_counts_match_one_edge_at_a_time(
    refs: list[str], edges: list[tuple[str, str, EdgeKind]], with_root: bool, tidy: bool
) -> None:
    root = Component(ref="a", name="a") if with_root else None
    if tidy:  # only known refs and no self-loop: build_graph's fast path (repeated pairs remain)
        known = {*refs, "a"} if with_root else set(refs)
        edges = [(u, v, k) for u, v, k in edges if u in known and v in known and u != v]
    sbom = ParsedSbom(
        path="generated",
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version="1.6",
        sha256="0" * 64,
        components=tuple(Component(ref=r, name=r, location=f"/components/{i}") for i, r in enumerate(refs)),
        root=root,
        edges=tuple(edges),
    )
    graph = build_graph(sbom)
    expected, counts = _one_edge_at_a_time(sbom, graph.root)
    assert list(graph.nx.nodes) == list(expected.nodes)
    declared = [(u, v, k) for u, v, k in _kinds(graph.nx) if expected.has_edge(u, v)]
    assert declared == _kinds(expected)  # same edges, kinds and order
    for ref in expected:  # same predecessors, in the same order
        assert [u for u in graph.nx.predecessors(ref) if expected.has_edge(u, ref)] == list(
            expected.predecessors(ref)
        )
    # as networkx does it: one attribute dict per edge, the same one seen from both ends
    attrs = [graph.nx.succ[u][v] for u, v in graph.nx.edges]
    assert len({id(d) for d in attrs}) == len(attrs)
    assert all(graph.nx.pred[v][u] is graph.nx.succ[u][v] for u, v in graph.nx.edges)
    issues = graph.issues
    assert (issues.dangling_edges, issues.duplicate_refs, issues.duplicate_edges, issues.self_loops) == (
        counts["dangling"],
        counts["duplicate_refs"],
        counts["duplicate_edges"],
        counts["self_loops"],
    )
    nested = sum(1 for _u, _v, k in _kinds(expected) if k is EdgeKind.NESTED)
    assert issues.nesting_only == nested
    assert graph.number_of_edges() == expected.number_of_edges() - nested
    # every node nothing depends on hangs off the root, and every node is reachable from it
    for ref in expected:
        if ref != graph.root and expected.in_degree(ref) == 0:
            assert graph.nx.has_edge(graph.root, ref)
    assert len(nx.descendants(graph.nx, graph.root)) == len(graph)
    assert issues.cycles == sum(1 for scc in nx.strongly_connected_components(graph.nx) if len(scc) > 1)
