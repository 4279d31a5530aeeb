"""The dependency graph: a wrapper (not a subclass) around :class:`networkx.DiGraph`.

Edges point from dependant to dependency and carry their :class:`~souverain.model.EdgeKind` in
the ``kind`` attribute. Nodes are component refs (strings); the components themselves live in
:attr:`DependencyGraph.components`, not in node attributes, to keep the graph small.

The root is the SBOM's described component, or a synthetic node (``SYNTHETIC_ROOT``) over every
component nothing depends on. An SBOM without any dependency data hangs every component directly
off the root and is marked ``flat``: reach is then unknown, not "nothing depends on anything".
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, filterfalse
from operator import attrgetter, eq, itemgetter, not_, sub

import networkx as nx

from souverain.model import Component, Edge, EdgeKind, NodeKind, ParsedSbom, Skipped

SYNTHETIC_ROOT = "souverain:root"


@dataclass(frozen=True, slots=True)
class GraphIssues:
    """What building the graph had to work around. Counts are reported, nothing is dropped
    silently: dangling edges are listed in ``skipped``."""

    dangling_edges: int = 0
    duplicate_refs: int = 0
    duplicate_edges: int = 0
    self_loops: int = 0
    cycles: int = 0  # strongly connected components with more than one node
    orphans: int = 0  # components nothing depends on, hung off the root
    nesting_only: int = 0  # CycloneDX nesting edges not also declared as dependencies
    skipped: tuple[Skipped, ...] = field(default=())

    def as_counts(self) -> dict[str, int]:
        """The non-zero counts by name, for reports."""
        counts = {
            "dangling_edges": self.dangling_edges,
            "duplicate_refs": self.duplicate_refs,
            "duplicate_edges": self.duplicate_edges,
            "self_loops": self.self_loops,
            "cycles": self.cycles,
            "orphans": self.orphans,
            "nesting_only_edges": self.nesting_only,
        }
        return {k: v for k, v in counts.items() if v}


class DependencyGraph:
    """The dependency graph of one SBOM.

    ``components`` maps every node ref except a synthetic root to its component (the root
    component included when the SBOM names one). ``nx`` is the underlying graph; treat it as
    read-only.
    """

    __slots__ = ("_components", "_hung", "_nx", "flat", "issues", "root", "synthetic_root")

    def __init__(
        self,
        graph: nx.DiGraph[str],
        root: str,
        components: Mapping[str, Component],
        *,
        synthetic_root: bool,
        flat: bool,
        issues: GraphIssues | None = None,
        hung: int | None = None,
    ) -> None:
        self._nx = graph
        # edges from the root that build_graph added (orphans hung off it), not declared ones
        self._hung = graph.out_degree(root) if hung is None and synthetic_root else (hung or 0)
        self._components = components
        self.root = root
        self.synthetic_root = synthetic_root
        self.flat = flat
        self.issues = issues or GraphIssues()

    @property
    def nx(self) -> nx.DiGraph[str]:
        """The underlying networkx graph (dependant → dependency)."""
        return self._nx

    @property
    def components(self) -> Mapping[str, Component]:
        """Components by ref (the root component included when it is real)."""
        return self._components

    def __len__(self) -> int:
        """Number of components, the root excluded (the ``N`` of ``share = reach / N``)."""
        return self._nx.number_of_nodes() - 1

    def __contains__(self, ref: object) -> bool:
        return ref in self._nx

    def refs(self) -> Iterator[str]:
        """Every node ref except the root."""
        root = self.root
        return (n for n in self._nx.nodes if n != root)

    def dependencies(self, ref: str) -> Iterator[str]:
        """Direct dependencies of ``ref``."""
        return iter(self._nx.successors(ref))

    def dependants(self, ref: str) -> Iterator[str]:
        """Components that depend directly on ``ref``."""
        return iter(self._nx.predecessors(ref))

    def edge_kind(self, src: str, dst: str) -> EdgeKind:
        """The kind of the edge ``src → dst``."""
        kind: EdgeKind = self._nx.edges[src, dst]["kind"]
        return kind

    def number_of_edges(self) -> int:
        """Distinct dependency edges between known nodes, as the SBOM declares them: neither the
        edges that hang orphans off the root (real or synthetic) nor the nesting-only edges of
        CycloneDX (a component nested in another but not declared in ``dependsOn``) count."""
        return _size(self._nx) - self._hung - self.issues.nesting_only


def build_graph(sbom: ParsedSbom) -> DependencyGraph:
    """Build the dependency graph of a parsed SBOM. Linear in components + edges."""
    components: dict[str, Component] = {}
    skipped: list[Skipped] = []
    duplicate_refs = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small objects: the cyclic GC only costs time here
    try:
        root_ref: str
        if sbom.root is not None:
            root_ref = sbom.root.ref
            components[root_ref] = sbom.root
            synthetic = False
        else:
            root_ref = SYNTHETIC_ROOT
            synthetic = True
        comps = sbom.components
        refs = list(map(_REF, comps))
        known = set(refs)  # known refs: plain set lookups
        if len(known) == len(refs) and root_ref not in known:
            components.update(zip(refs, comps, strict=True))
        else:
            for c in comps:
                if c.ref in components:
                    duplicate_refs += 1
                    skipped.append(Skipped(c.location, f"duplicate ref {c.ref!r}: merged with the first"))
                    continue
                components[c.ref] = c
        known.add(root_ref)
        del refs
        g = _nodes(components, root_ref)

        edges = sbom.edges
        clean = _known_and_no_loops(edges, known)
        if clean:
            # The usual case, checked in C-level passes: every edge joins two known refs and
            # none is a self-loop. The edges go in as they are, in runs of one kind (the same
            # insertion order as one at a time).
            _add_edges(g, edges)
            clean = _size(g) == len(edges)
            if not clean:  # a pair came twice: which kind it keeps needs care, start again
                g = _nodes(components, root_ref)
        if clean:
            dangling = duplicate_edges = self_loops = 0
            nesting_only = list(map(_KIND, edges)).count(EdgeKind.NESTED)
            targets = set(map(_DST, edges))
        else:
            dangling, duplicate_edges, self_loops, nesting_only, targets = _add_messy_edges(
                g, edges, known, skipped
            )

        flat = not sbom.has_dependency_data
        # Hang every component nothing depends on off the root (all of them when flat).
        orphans = [ref for ref in g if ref not in targets and ref != root_ref]
        del targets
        _add_edges(g, [(root_ref, ref, EdgeKind.RUNTIME) for ref in orphans])
        # Cycles nothing outside depends on are still unreachable: hang one node of each source
        # strongly connected component of the unreachable part off the root. Without any cycle
        # (nothing left after peeling acyclic nodes) every node is already reachable.
        cyclic = _cyclic_part(g)
        reached = _reachable(g, root_ref) if cyclic else set()  # the root included
        if cyclic and len(reached) < g.number_of_nodes():
            rest = g.subgraph(n for n in g if n not in reached)
            cond = nx.condensation(rest)
            members = cond.graph["mapping"]
            first: dict[int, str] = {}
            for ref in rest:
                first.setdefault(members[ref], ref)
            extra = [first[c] for c, deg in cond.in_degree() if deg == 0]
            g.add_edges_from([(root_ref, ref) for ref in extra], kind=EdgeKind.RUNTIME)
            orphans.extend(extra)
            if extra:  # an edge from the root can close a cycle through it: look again
                cyclic = _cyclic_part(g)
        orphan_count = len(orphans) if not synthetic else 0
    finally:
        if gc_was_enabled:
            gc.enable()

    cycles = _count_cycles(g, cyclic)
    issues = GraphIssues(
        dangling_edges=dangling,
        duplicate_refs=duplicate_refs,
        duplicate_edges=duplicate_edges,
        self_loops=self_loops,
        cycles=cycles,
        orphans=orphan_count,
        nesting_only=nesting_only,
        skipped=tuple(skipped),
    )
    return DependencyGraph(
        g, root_ref, components, synthetic_root=synthetic, flat=flat, issues=issues, hung=len(orphans)
    )


_SRC, _DST, _KIND = itemgetter(0), itemgetter(1), itemgetter(2)
_REF = attrgetter("ref")


def _known_and_no_loops(edges: Sequence[Edge], known: set[str]) -> bool:
    """True when every edge joins two known refs and none is a self-loop. Each check is one
    pass in C (map, itemgetter, set), no Python code per edge."""
    return (
        known.issuperset(map(_SRC, edges))
        and known.issuperset(map(_DST, edges))
        and not any(map(eq, map(_SRC, edges), map(_DST, edges)))
    )


def _add_edges(g: nx.DiGraph[str], edges: Iterable[tuple[str, str, EdgeKind]]) -> None:
    """Add ``edges`` (between nodes already in ``g``) with their kind, as
    ``g.add_edges_from`` would one at a time — same adjacency, same insertion order, one
    attribute dict per edge — but straight into the graph's adjacency dicts: networkx's
    ``add_edges_from`` runs about ten Python operations per edge (1.4 s for 377k edges;
    this loop, two dict stores per edge, about a tenth of that). A pair given twice keeps its
    last kind; the caller detects repeated pairs by counting."""
    # networkx's documented storage (dict of dicts of attribute dicts), not in its type stubs
    succ: dict[str, dict[str, dict[str, EdgeKind]]] = g._succ  # type: ignore[attr-defined]
    pred: dict[str, dict[str, dict[str, EdgeKind]]] = g._pred  # type: ignore[attr-defined]
    for src, dst, kind in edges:
        succ[src][dst] = pred[dst][src] = {"kind": kind}
    nx._clear_cache(g)  # networkx caches derived data per graph; none may outlive a change


def _nodes(components: Mapping[str, Component], root_ref: str) -> nx.DiGraph[str]:
    """A graph of the components' refs (in order) and the root, without edges."""
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(components)
    g.add_node(root_ref)
    return g


def _size(g: nx.DiGraph[str]) -> int:
    """Number of edges, counted in C (``number_of_edges`` walks a degree view in Python)."""
    return sum(map(len, map(_DST, g.adjacency())))


def _add_messy_edges(
    g: nx.DiGraph[str], edges: Sequence[Edge], known: set[str], skipped: list[Skipped]
) -> tuple[int, int, int, int, set[str]]:
    """Add edges that need care: dangling ones are listed in ``skipped`` and left out,
    self-loops and repeated pairs are counted and left out (a pair both nested and declared as a
    dependency keeps the dependency's kind). Returns the counts ``(dangling, duplicates,
    self-loops, nesting-only)`` and the set of refs some edge points to."""
    dangling = duplicate_edges = self_loops = 0
    kinds: dict[tuple[str, str], EdgeKind] = {}  # insertion order = first occurrence
    for src, dst, kind in edges:
        if src not in known or dst not in known:
            dangling += 1
            missing = src if src not in known else dst
            skipped.append(Skipped(f"dependency {src!r} → {dst!r}", f"unknown ref {missing!r}"))
            continue
        if src == dst:
            self_loops += 1
            continue
        key = (src, dst)
        seen = kinds.get(key)
        if seen is not None:
            duplicate_edges += 1
            # nested *and* declared as a dependency (CycloneDX bundles): the dependency wins
            if seen is EdgeKind.NESTED and kind is not EdgeKind.NESTED:
                kinds[key] = kind
            continue
        kinds[key] = kind
    # in first-occurrence order: the same graph as one edge at a time
    _add_edges(g, [(src, dst, kind) for (src, dst), kind in kinds.items()])
    nesting_only = list(kinds.values()).count(EdgeKind.NESTED)
    return dangling, duplicate_edges, self_loops, nesting_only, {dst for _src, dst in kinds}



def _reachable(g: nx.DiGraph[str], root: str) -> set[str]:
    """Every node reachable from ``root``, ``root`` included (what ``nx.descendants`` gives,
    plus the root): a breadth-first search a whole level at a time, each level's successors
    gathered and filtered by set operations in C."""
    succ = dict(g.adjacency())
    seen = {root}
    level: set[str] = {root}
    while level:
        level = set(chain.from_iterable(map(succ.__getitem__, level)))
        level -= seen
        seen |= level
    return seen


def _cyclic_part(g: nx.DiGraph[str]) -> list[str]:
    """The nodes on a cycle or downstream of one: what is left after peeling acyclic nodes off
    from the sources (Kahn's algorithm, linear). Empty for a DAG.

    Peeled a whole layer at a time, and every step of a layer is a C-level pass (``Counter``
    over the layer's successors, ``map``/``zip``/``compress``): no Python code per node or
    edge."""
    succ = dict(g.adjacency())  # plain dicts: AtlasView lookups cost a Python call each
    left = Counter(chain.from_iterable(succ.values()))  # in-degree of every node that has one
    layer = list(filterfalse(left.__contains__, succ))  # the sources
    while layer:
        lost = Counter(chain.from_iterable(map(succ.__getitem__, layer)))
        remaining = list(map(sub, map(left.__getitem__, lost), lost.values()))
        dict.update(left, zip(lost, remaining, strict=True))  # sets; Counter.update would add
        layer = list(compress(lost, map(not_, remaining)))  # nothing left pointing at them
    return [n for n in succ if left.get(n)] if any(left.values()) else []


def _count_cycles(g: nx.DiGraph[str], cyclic: list[str]) -> int:
    """Strongly connected components with more than one node. They all lie in ``cyclic`` (see
    :func:`_cyclic_part`), usually tiny: networkx's SCC search on the whole graph costs seconds
    at 100k nodes."""
    if not cyclic:
        return 0
    # a small graph of its own rather than a subgraph view: the view filters every lookup (and
    # every iteration over the nodes) through Python code, which costs more than copying
    part = set(cyclic)
    adj = g.adj
    small: nx.DiGraph[str] = nx.DiGraph()
    small.add_nodes_from(cyclic)
    small.add_edges_from((u, v) for u in cyclic for v in adj[u] if v in part)
    return sum(1 for scc in nx.strongly_connected_components(small) if len(scc) > 1)


def node_kind(graph: DependencyGraph, ref: str) -> NodeKind:
    """The kind of a node: the synthetic root, a service or a component."""
    if ref == graph.root and graph.synthetic_root:
        return NodeKind.ROOT
    return graph.components[ref].kind
