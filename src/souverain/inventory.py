"""A short inventory of a parsed SBOM and its graph: what is in it, what was skipped.

Pure functions; the CLI renders the result (``souverain inventory FILE``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from souverain.graph import DependencyGraph
from souverain.model import ParsedSbom, Skipped


@dataclass(frozen=True, slots=True)
class Inventory:
    """Counts describing one SBOM."""

    path: str
    format: str
    spec_version: str
    components: int
    services: int
    edges: int
    root: str | None
    root_name: str | None
    flat: bool
    depth: int | None
    by_ecosystem: tuple[tuple[str, int], ...]
    by_type: tuple[tuple[str, int], ...]
    by_edge_kind: tuple[tuple[str, int], ...]
    graph_issues: tuple[tuple[str, int], ...]
    notes: tuple[tuple[str, int], ...]
    unknown_relationships: tuple[tuple[str, int], ...]
    skipped: tuple[Skipped, ...]


def _sorted(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def depth_of(graph: DependencyGraph) -> int | None:
    """Longest shortest-path distance from the root (None when the graph is flat)."""
    if graph.flat:
        return None
    lengths = nx.single_source_shortest_path_length(graph.nx, graph.root)
    return max(lengths.values(), default=0)


def inventory(sbom: ParsedSbom, graph: DependencyGraph) -> Inventory:
    """Summarise ``sbom`` and its ``graph``."""
    by_ecosystem: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    services = 0
    for c in sbom.components:
        by_ecosystem[c.ecosystem or "(no purl)"] += 1
        by_type[c.type or "(none)"] += 1
        if c.kind == "service":
            services += 1
    by_kind: Counter[str] = Counter()
    root = graph.root
    kind: object
    for src, _dst, kind in graph.nx.edges(data="kind"):
        if graph.synthetic_root and src == root:
            continue
        by_kind[str(kind)] += 1
    return Inventory(
        path=sbom.path,
        format=str(sbom.format),
        spec_version=sbom.spec_version,
        components=len(sbom.components) - services,
        services=services,
        edges=graph.number_of_edges(),
        root=None if graph.synthetic_root else graph.root,
        root_name=sbom.root.name if sbom.root else None,
        flat=graph.flat,
        depth=depth_of(graph),
        by_ecosystem=_sorted(by_ecosystem),
        by_type=_sorted(by_type),
        by_edge_kind=_sorted(by_kind),
        graph_issues=tuple(sorted(graph.issues.as_counts().items())),
        notes=tuple(sorted(sbom.notes.items())),
        unknown_relationships=tuple(sorted(sbom.unknown_relationships.items())),
        skipped=tuple(sbom.skipped) + graph.issues.skipped,
    )
