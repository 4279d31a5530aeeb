"""The edge layout the CycloneDX reader describes to build_graph (``ParsedSbom.edge_layout``).

build_graph maps the refs to node ids from the layout instead of reading the edge tuples again,
and cuts the successor lists as slices when the dependency entries follow the node order. The
graph must be the one built without the layout, whatever the document: nesting, dependency
entries out of order or repeated, dangling refs, self-loops, repeated pairs, no root.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.graph import DependencyGraph, build_graph
from souverain.model import EdgeKind, EdgeLayout, ParsedSbom
from souverain.sbom import load_sbom

from tests.conftest import corpus_files


def _everything(graph: DependencyGraph) -> dict[str, Any]:
    ix = graph.indexed()
    out: dict[str, Any] = {f.name: getattr(ix, f.name) for f in dataclasses.fields(ix)}
    out["succ"] = [list(s) for s in ix.succ]
    out["preds"] = [list(p) for p in ix.preds]
    out["order"] = list(ix.order or ())
    out["nodes"] = list(ix.nodes)
    out["index"] = list(ix.index.items())
    edges = graph._edges
    assert edges is not None
    out["edges"] = (list(edges.srcs), list(edges.dsts), list(edges.kinds), list(edges.hung))
    out["issues"] = graph.issues
    out["graph"] = (graph.root, graph.synthetic_root, graph.flat, list(graph.components.items()))
    out["count"] = graph.number_of_edges()
    out["nx"] = list(graph.nx.edges(data="kind"))
    return out


def _with_and_without(sbom: ParsedSbom) -> tuple[dict[str, Any], dict[str, Any]]:
    laid_out = build_graph(sbom)  # with the layout the reader described, if any
    return _everything(laid_out), _everything(build_graph(dataclasses.replace(sbom, edge_layout=None)))


def _rebuilt(layout: EdgeLayout) -> list[tuple[str, str, EdgeKind]]:
    """The edges the layout says the tuple holds."""
    groups = zip(layout.sources, layout.targets, strict=True)
    return list(layout.edges[: layout.nested]) + [(s, t, EdgeKind.RUNTIME) for s, ts in groups for t in ts]


CDX = [p for p in corpus_files() if p.name.startswith("cdx-")]


@pytest.mark.parametrize("path", CDX, ids=[p.name for p in CDX])
def test_the_corpus_graphs_are_the_same_with_the_layout(path: Any) -> None:
    sbom = load_sbom(path)
    layout = sbom.edge_layout
    if layout is not None:
        assert layout.edges is sbom.edges
        assert _rebuilt(layout) == list(sbom.edges)
        assert layout.nested == sum(1 for e in sbom.edges if e[2] is EdgeKind.NESTED)
    with_layout, without = _with_and_without(sbom)
    assert with_layout == without


def test_a_layout_is_only_for_its_own_tuple() -> None:
    """The layout describes the reader's very edges tuple; a copy of the SBOM with other edges
    (equal-looking or not) is built from its edges, and the layout is not part of the value."""
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"bom-ref": r, "name": r} for r in "abc"],
        "dependencies": [{"ref": "a", "dependsOn": ["b", "c"]}, {"ref": "b", "dependsOn": ["c"]}],
    }
    sbom = load_sbom(orjson.dumps(doc))
    assert sbom.edge_layout is not None
    assert sbom.edge_layout.edges is sbom.edges
    assert sbom == dataclasses.replace(sbom, edge_layout=None)
    assert "edge_layout" not in repr(sbom)
    fewer = dataclasses.replace(sbom, edges=tuple(sbom.edges[:1]))  # keeps the stale layout
    assert fewer.edge_layout is sbom.edge_layout
    assert build_graph(fewer).number_of_edges() == 1
    same = dataclasses.replace(sbom, edges=(*sbom.edges[:-1], sbom.edges[-1]))  # equal, another object
    assert same.edges == sbom.edges
    assert same.edges is not sbom.edges
    assert _everything(build_graph(same)) == _everything(build_graph(sbom))


_REFS = ["a", "b", "c", "d", "e", "root", "ghost"]  # "ghost" is never a component


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    refs = draw(st.lists(st.sampled_from(_REFS[:5]), max_size=5, unique=True))
    nested: bool = draw(st.booleans())
    comps: list[dict[str, Any]] = [{"bom-ref": r, "name": r} for r in refs]
    if nested and len(comps) > 2:  # the last ones nested in the first
        comps[0]["components"] = comps[2:]
        comps = comps[:2]
    entries = draw(st.lists(st.sampled_from(_REFS), max_size=7))
    if draw(st.booleans()):  # the entries in component order, as generators write them
        entries = sorted(set(entries) & set(refs), key=refs.index)
    deps = [{"ref": r, "dependsOn": draw(st.lists(st.sampled_from(_REFS), max_size=4))} for r in entries]
    doc: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": comps}
    if draw(st.booleans()):
        doc["metadata"] = {"component": {"bom-ref": "root", "name": "root"}}
    empty_section: bool = draw(st.booleans())
    if deps or empty_section:
        doc["dependencies"] = deps
    return doc


@settings(max_examples=400, deadline=None)
@given(documents())
def test_generated_graphs_are_the_same_with_the_layout(doc: dict[str, Any]) -> None:
    sbom = load_sbom(orjson.dumps(doc))
    with_layout, without = _with_and_without(sbom)
    assert with_layout == without


def test_a_messy_laid_out_document() -> None:
    """Nesting edges also declared, dangling refs both ways, a self-loop and a repeated pair."""
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {
                "bom-ref": "a",
                "name": "a",
                "components": [{"bom-ref": "b", "name": "b"}, {"bom-ref": "c", "name": "c"}],
            }
        ],
        "dependencies": [
            {"ref": "a", "dependsOn": ["b", "ghost", "a", "c", "c"]},
            {"ref": "ghost", "dependsOn": ["a"]},
            {"ref": "b", "dependsOn": ["c"]},
        ],
    }
    sbom = load_sbom(orjson.dumps(doc))
    layout = sbom.edge_layout
    assert layout is not None
    assert layout.edges is sbom.edges
    assert layout.nested == 2
    with_layout, without = _with_and_without(sbom)
    assert with_layout == without
    issues = with_layout["issues"]
    assert (issues.dangling_edges, issues.self_loops, issues.duplicate_edges) == (2, 1, 3)
    assert [s.location for s in issues.skipped] == ["dependency 'a' → 'ghost'", "dependency 'ghost' → 'a'"]
    assert with_layout["nx"] == [
        ("a", "b", EdgeKind.RUNTIME),  # nested and declared: the dependency's kind
        ("a", "c", EdgeKind.RUNTIME),
        ("b", "c", EdgeKind.RUNTIME),
        ("souverain:root", "a", EdgeKind.RUNTIME),  # hung off the synthetic root
    ]
