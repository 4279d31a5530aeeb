"""The dependency graph: a wrapper (not a subclass) around :class:`networkx.DiGraph`.

Edges point from dependant to dependency and carry their :class:`~souverain.model.EdgeKind` in
the ``kind`` attribute. Nodes are component refs (strings); the components themselves live in
:attr:`DependencyGraph.components`, not in node attributes, to keep the graph small.

The root is the SBOM's described component, or a synthetic node (``SYNTHETIC_ROOT``) over every
component nothing depends on. An SBOM without any dependency data hangs every component directly
off the root and is marked ``flat``: reach is then unknown, not "nothing depends on anything".

:func:`build_graph` makes the graph as integer lists with its topological peeling
(:class:`Indexed`: Kahn's order, cycles), which the analysis walks (:meth:`DependencyGraph.indexed`);
the networkx graph is built from the same edges, in the same order, the first time it is asked
for (:attr:`DependencyGraph.nx`): an audit never asks, the inventory and library users do.
Building it costs about 0.6 s and 250 MB for 377k edges at 100k components (docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, eq, itemgetter, not_

import networkx as nx

from souverain.model import Component, Edge, EdgeKind, EdgeLayout, NodeKind, ParsedSbom, Skipped

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


@dataclass(frozen=True, slots=True)
class Indexed:
    """The graph as integer lists: ``nodes[i]`` is the ref of node ``i`` (in the networkx graph's
    node order), ``succ[i]`` its dependencies and ``preds[i]`` its dependants (each in the order
    of networkx's adjacency), ``index`` the reverse mapping, ``root`` the root's id.

    ``order`` and ``cycles`` are the graph's topological peeling (see :func:`peel`) when known,
    ``None`` otherwise: ``order`` lists the nodes Kahn's algorithm orders from the leaves up
    (every node after its dependencies; the nodes on or above a cycle are left out, so the graph
    is acyclic when every node is in it), ``cycles`` the strongly connected components of more
    than one node, each as its members (by increasing id) under one of them.
    """

    nodes: Sequence[str]
    index: Mapping[str, int]
    succ: Sequence[Sequence[int]]
    root: int
    preds: Sequence[Sequence[int]] = ()
    order: Sequence[int] | None = None
    cycles: Mapping[int, Sequence[int]] | None = None


@dataclass(frozen=True, slots=True)
class EdgeList:
    """The edges of a graph :func:`build_graph` made, as it added them: ``srcs[i] → dsts[i]``
    of kind ``kinds[i]`` (node ids of :class:`Indexed`), then ``root → v`` for each ``v`` of
    ``hung`` (orphans and unreachable cycles hung off the root, runtime edges). Enough to build
    the networkx graph on demand, in the same order."""

    srcs: Sequence[int]
    dsts: Sequence[int]
    kinds: Sequence[EdgeKind]
    hung: Sequence[int]


class DependencyGraph:
    """The dependency graph of one SBOM.

    ``components`` maps every node ref except a synthetic root to its component (the root
    component included when the SBOM names one). ``nx`` is the networkx graph; treat it as
    read-only (the one :func:`build_graph` makes is frozen).

    A graph :func:`build_graph` made keeps its integer form and its edge list, and builds the
    networkx graph from them on first access to :attr:`nx`; the other methods answer from the
    integer form. A graph built by hand from a networkx graph answers from that graph.
    """

    __slots__ = (
        "_components",
        "_edges",
        "_hung",
        "_indexed",
        "_nx",
        "flat",
        "issues",
        "root",
        "synthetic_root",
    )

    def __init__(
        self,
        graph: nx.DiGraph[str] | None,
        root: str,
        components: Mapping[str, Component],
        *,
        synthetic_root: bool,
        flat: bool,
        issues: GraphIssues | None = None,
        hung: int | None = None,
        indexed: Indexed | None = None,
        edges: EdgeList | None = None,
    ) -> None:
        if graph is None and (indexed is None or edges is None):
            raise ValueError("a DependencyGraph needs a networkx graph, or its integer form and edge list")
        self._nx = graph
        self._edges = edges if graph is None else None
        # edges from the root that build_graph added (orphans hung off it), not declared ones
        if hung is None and synthetic_root and graph is not None:
            hung = graph.out_degree(root)
        self._hung = hung or 0
        self._components = components
        self._indexed = indexed
        self.root = root
        self.synthetic_root = synthetic_root
        self.flat = flat
        self.issues = issues or GraphIssues()

    @property
    def nx(self) -> nx.DiGraph[str]:
        """The networkx graph (dependant → dependency), frozen when :func:`build_graph` made
        it; built on first access from the edge list (same nodes, edges, order and kinds)."""
        g = self._nx
        if g is None:
            ix, edges = self._indexed, self._edges
            assert ix is not None  # see __init__
            assert edges is not None
            g = self._nx = _networkx(ix.nodes, ix.index[self.root], edges)
        return g

    @property
    def components(self) -> Mapping[str, Component]:
        """Components by ref (the root component included when it is real)."""
        return self._components

    def _kept(self) -> Indexed | None:
        """The integer form, when it is the graph (made by :func:`build_graph`)."""
        return self._indexed if self._edges is not None else None

    def indexed(self) -> Indexed:
        """The graph as integer lists, with its topological peeling (:class:`Indexed`).

        :func:`build_graph` makes them, once; the networkx graph built from the same edges is
        frozen (``networkx.freeze``: it cannot change, so neither can they). Any other graph
        (one built by hand) is numbered from its networkx graph at each call
        (:func:`index_networkx`): the same lists."""
        ix = self._indexed
        if ix is not None and (self._edges is not None or nx.is_frozen(self.nx)):
            return ix
        return index_networkx(self.nx, self.root)

    def __len__(self) -> int:
        """Number of components, the root excluded (the ``N`` of ``share = reach / N``)."""
        ix = self._kept()
        return (len(ix.nodes) if ix is not None else self.nx.number_of_nodes()) - 1

    def __contains__(self, ref: object) -> bool:
        ix = self._kept()
        return ref in (ix.index if ix is not None else self.nx)

    def refs(self) -> Iterator[str]:
        """Every node ref except the root."""
        root = self.root
        ix = self._kept()
        return (n for n in (ix.nodes if ix is not None else self.nx.nodes) if n != root)

    def dependencies(self, ref: str) -> Iterator[str]:
        """Direct dependencies of ``ref`` (in the SBOM's order)."""
        ix = self._kept()
        if ix is None:
            return iter(self.nx.successors(ref))
        return map(ix.nodes.__getitem__, ix.succ[self._id(ix, ref)])

    def dependants(self, ref: str) -> Iterator[str]:
        """Components that depend directly on ``ref`` (in the SBOM's order)."""
        ix = self._kept()
        if ix is None:
            return iter(self.nx.predecessors(ref))
        return map(ix.nodes.__getitem__, ix.preds[self._id(ix, ref)])

    @staticmethod
    def _id(ix: Indexed, ref: str) -> int:
        v = ix.index.get(ref)
        if v is None:  # as networkx says it
            raise nx.NetworkXError(f"The node {ref} is not in the digraph.")
        return v

    def edge_kind(self, src: str, dst: str) -> EdgeKind:
        """The kind of the edge ``src → dst``."""
        kind: EdgeKind = self.nx.edges[src, dst]["kind"]
        return kind

    def number_of_edges(self) -> int:
        """Distinct dependency edges between known nodes, as the SBOM declares them: neither the
        edges that hang orphans off the root (real or synthetic) nor the nesting-only edges of
        CycloneDX (a component nested in another but not declared in ``dependsOn``) count."""
        edges = self._edges
        if edges is not None:  # the edge list keeps the hung edges apart
            return len(edges.srcs) - self.issues.nesting_only
        return _size(self.nx) - self._hung - self.issues.nesting_only


def build_graph(sbom: ParsedSbom) -> DependencyGraph:
    """Build the dependency graph of a parsed SBOM. Linear in components + edges.

    The edges are mapped to node ids once; the integer form (:class:`Indexed`) is built from
    them, with the topological peeling that tells whether there are cycles, which the analysis
    reuses (:meth:`DependencyGraph.indexed`). The networkx graph is built from the same edges
    when it is first asked for (:attr:`DependencyGraph.nx`)."""
    skipped: list[Skipped] = []
    duplicate_refs = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small objects: the cyclic GC only costs time here
    try:
        root_ref = sbom.root.ref if sbom.root is not None else SYNTHETIC_ROOT
        synthetic = sbom.root is None
        top: dict[str, Component] = {} if sbom.root is None else {root_ref: sbom.root}
        comps = sbom.components
        components: dict[str, Component] = {**top}
        components.update(zip(map(_REF, comps), comps, strict=True))
        if len(components) != len(top) + len(comps):  # a ref twice, or the root's: the first wins
            components = {**top}
            for c in comps:
                if c.ref in components:
                    duplicate_refs += 1
                    skipped.append(Skipped(c.location, f"duplicate ref {c.ref!r}: merged with the first"))
                    continue
                components[c.ref] = c
        nodes = list(components)
        if root_ref not in components:
            nodes.append(root_ref)
        n = len(nodes)
        index = dict(zip(nodes, range(n), strict=True))

        edges = sbom.edges
        layout = sbom.edge_layout  # how the reader built them, when it says so
        if layout is not None and layout.edges is not edges:  # a copy of the SBOM with other edges
            layout = None
        # the dependency entries name the first nodes in node order (then source i is node i):
        # one C-level comparison of the two lists, which stops at the first difference
        in_order = layout is not None and layout.sources == nodes[: len(layout.sources)]
        ends = _clean_ends(edges, index) if layout is None else _laid_out_ends(layout, in_order, index)
        dangling = duplicate_edges = self_loops = 0
        if ends is not None:
            # The usual case, checked in C-level passes: every edge joins two known refs and
            # none is a self-loop. The edges go in as they are, unless a pair comes twice.
            srcs, dsts = ends
            if layout is None:
                kinds = list(map(_KIND, edges))
            else:
                kinds = [EdgeKind.NESTED] * layout.nested
                kinds += repeat(EdgeKind.RUNTIME, len(edges) - layout.nested)
            if layout is not None and in_order and not layout.nested:
                succ, preds = _adjacency_by_source(n, list(map(len, layout.targets)), srcs, dsts)
            else:
                succ, preds = _adjacency(n, srcs, dsts)
            if _repeated_pairs(succ):  # which kind a repeated pair keeps needs care: start again
                ends = None
        if ends is None:
            dangling, duplicate_edges, self_loops, srcs, dsts, kinds = _messy_edges(edges, index, skipped)
            succ, preds = _adjacency(n, srcs, dsts)
        nesting_only = kinds.count(EdgeKind.NESTED)

        flat = not sbom.has_dependency_data
        root = index[root_ref]
        # Hang every component nothing depends on off the root (all of them when flat).
        orphans = [v for v in compress(range(n), map(not_, preds)) if v != root]
        _hang(succ, preds, root, orphans)
        order = kahn_order(succ, preds)
        cycles: dict[int, list[int]] = {}
        if len(order) < n:  # some nodes are on or above a cycle
            # Cycles nothing outside depends on are still unreachable: hang one node of each
            # source strongly connected component of the unreachable part off the root. Without
            # any cycle every node is already reachable.
            extra = _unreachable_entries(succ, preds, root)
            if extra:
                _hang(succ, preds, root, extra)
                orphans.extend(extra)
                order = kahn_order(succ, preds)  # an edge from the root can close a cycle through it
            cycles = cycle_members(succ, preds, order)
        orphan_count = len(orphans) if not synthetic else 0
    finally:
        if gc_was_enabled:
            gc.enable()

    issues = GraphIssues(
        dangling_edges=dangling,
        duplicate_refs=duplicate_refs,
        duplicate_edges=duplicate_edges,
        self_loops=self_loops,
        cycles=len(cycles),
        orphans=orphan_count,
        nesting_only=nesting_only,
        skipped=tuple(skipped),
    )
    return DependencyGraph(
        None,
        root_ref,
        components,
        synthetic_root=synthetic,
        flat=flat,
        issues=issues,
        indexed=Indexed(nodes, index, succ, root, preds, order, cycles),
        edges=EdgeList(srcs, dsts, kinds, orphans),
    )


def _adjacency(n: int, srcs: Sequence[int], dsts: Sequence[int]) -> tuple[list[list[int]], list[list[int]]]:
    """The successor and predecessor lists of ``n`` nodes, each in the edges' order."""
    succ: list[list[int]] = [[] for _ in range(n)]
    preds: list[list[int]] = [[] for _ in range(n)]
    for s, d in zip(srcs, dsts, strict=True):
        succ[s].append(d)
        preds[d].append(s)
    return succ, preds


def _adjacency_by_source(
    n: int, counts: Sequence[int], srcs: Sequence[int], dsts: list[int]
) -> tuple[list[list[int]], list[list[int]]]:
    """What :func:`_adjacency` gives when the edges come grouped by source in node order, the
    first ``len(counts)`` nodes having ``counts[i]`` edges each and the others none: the
    successor lists are slices of ``dsts`` (cut in C), only the predecessors are gathered."""
    bounds = list(accumulate(counts, initial=0))
    succ = list(map(dsts.__getitem__, map(slice, bounds, bounds[1:])))
    succ += map(list, repeat((), n - len(counts)))  # a new empty list for each other node
    preds: list[list[int]] = [[] for _ in range(n)]
    for s, d in zip(srcs, dsts, strict=True):
        preds[d].append(s)
    return succ, preds


def _repeated_pairs(succ: Sequence[Sequence[int]]) -> bool:
    """Whether some node lists a dependency twice (set sizes in C, over the nodes with two or more)."""
    several = list(compress(succ, map(_TWO_OR_MORE, map(len, succ))))
    return sum(map(len, map(set, several))) != sum(map(len, several))


_TWO_OR_MORE = (1).__lt__


def _networkx(nodes: Sequence[str], root: int, edges: EdgeList) -> nx.DiGraph[str]:
    """The frozen networkx graph of the edge list: what ``add_nodes_from(nodes)`` then
    ``add_edges_from`` of the edges, then of the hung ones, make (same order, one attribute
    dict per edge)."""
    g = _nodes(nodes)
    _link(g, nodes, edges.srcs, edges.dsts, edges.kinds)
    hung = edges.hung
    _link(g, nodes, [root] * len(hung), hung, [EdgeKind.RUNTIME] * len(hung))
    nx.freeze(g)  # read-only, as the integer form it is built from
    return g


_SRC, _DST, _KIND = itemgetter(0), itemgetter(1), itemgetter(2)
_REF = attrgetter("ref")


def _clean_ends(edges: Sequence[Edge], index: Mapping[str, int]) -> tuple[list[int], list[int]] | None:
    """The node ids of the edges' sources and targets, when every edge joins two known refs
    and none is a self-loop (else ``None``). Each step is one pass in C (map, itemgetter),
    no Python code per edge."""
    get = index.__getitem__
    try:
        srcs = list(map(get, map(_SRC, edges)))
        dsts = list(map(get, map(_DST, edges)))
    except KeyError:  # an unknown ref
        return None
    return None if any(map(eq, srcs, dsts)) else (srcs, dsts)


def _laid_out_ends(
    layout: EdgeLayout, in_order: bool, index: Mapping[str, int]
) -> tuple[list[int], list[int]] | None:
    """What :func:`_clean_ends` gives, from the layout the reader described instead of the edge
    tuples: each runtime source is looked up once per dependency entry (not at all when the
    entries name the first nodes ``in_order``) and repeated in C, the targets are looked up
    straight from their lists, and the edge tuples are not read again (at 100k components,
    377k scattered tuples: a third of what mapping them cost)."""
    get = index.__getitem__
    head = layout.edges[: layout.nested]
    sources = layout.sources
    try:
        srcs = list(map(get, map(_SRC, head)))
        dsts = list(map(get, map(_DST, head)))
        ids = range(len(sources)) if in_order else map(get, sources)
        srcs += chain.from_iterable(map(repeat, ids, map(len, layout.targets)))
        dsts += map(get, chain.from_iterable(layout.targets))
    except KeyError:  # an unknown ref
        return None
    return None if any(map(eq, srcs, dsts)) else (srcs, dsts)


def _link(
    g: nx.DiGraph[str],
    nodes: Sequence[str],
    srcs: Sequence[int],
    dsts: Sequence[int],
    kinds: Iterable[EdgeKind],
) -> None:
    """Add the edges ``nodes[srcs[i]] → nodes[dsts[i]]`` with their kinds, as
    ``g.add_edges_from`` would one at a time — same adjacency, same insertion order, one
    attribute dict per edge — but straight into the graph's adjacency dicts: networkx's
    ``add_edges_from`` runs about ten Python operations per edge (1.4 s for 377k edges;
    this loop, two dict stores per edge, about a tenth of that). The keys are the node refs
    themselves (not the edges' equal strings): later lookups find them by identity. A pair
    given twice keeps its last kind; the caller detects repeated pairs by counting."""
    # networkx's documented storage (dict of dicts of attribute dicts), not in its type stubs;
    # the nodes' adjacency dicts in node order (the order they were added in)
    succ: list[dict[str, dict[str, EdgeKind]]] = list(g._succ.values())  # type: ignore[attr-defined]
    pred: list[dict[str, dict[str, EdgeKind]]] = list(g._pred.values())  # type: ignore[attr-defined]
    for s, d, kind in zip(srcs, dsts, kinds, strict=True):
        succ[s][nodes[d]] = pred[d][nodes[s]] = {"kind": kind}
    nx._clear_cache(g)  # networkx caches derived data per graph; none may outlive a change


def _hang(succ: list[list[int]], preds: list[list[int]], root: int, hung: Sequence[int]) -> None:
    """Add the edges ``root → v`` for each of ``hung`` (none of them already an edge) to the
    integer lists, after the others (the edge list keeps them apart, :class:`EdgeList`)."""
    succ[root].extend(hung)
    for v in hung:
        preds[v].append(root)


def _nodes(nodes: Sequence[str]) -> nx.DiGraph[str]:
    """A graph of ``nodes`` (in order), without edges: what ``add_nodes_from`` makes (an
    attribute dict and two adjacency dicts per node), stored in C-level passes rather than
    networkx's Python loop over the nodes."""
    g: nx.DiGraph[str] = nx.DiGraph()
    count = len(nodes)
    # networkx's documented storage, not in its type stubs (``_adj`` is ``_succ``)
    for store in (g._node, g._succ, g._pred):  # type: ignore[attr-defined]
        store.update(zip(nodes, map(dict, repeat((), count)), strict=True))
    nx._clear_cache(g)
    return g


def _size(g: nx.DiGraph[str]) -> int:
    """Number of edges, counted in C (``number_of_edges`` walks a degree view in Python)."""
    return sum(map(len, map(_DST, g.adjacency())))


def _messy_edges(
    edges: Sequence[Edge], index: Mapping[str, int], skipped: list[Skipped]
) -> tuple[int, int, int, list[int], list[int], list[EdgeKind]]:
    """The edges that need care: dangling ones are listed in ``skipped`` and left out,
    self-loops and repeated pairs are counted and left out (a pair both nested and declared as a
    dependency keeps the dependency's kind). Returns the counts ``(dangling, duplicates,
    self-loops)`` and the edges kept, in first-occurrence order (the same graph as one edge at
    a time), as source ids, target ids and kinds."""
    n = len(index)
    get = index.get
    srcs = list(map(get, map(_SRC, edges)))  # None for an unknown ref
    dsts = list(map(get, map(_DST, edges)))
    dangling = duplicate_edges = self_loops = 0
    kinds: dict[int, EdgeKind] = {}  # by pair s * n + d (one int); insertion order = first occurrence
    for (src, dst, kind), s, d in zip(edges, srcs, dsts, strict=True):
        if s is None or d is None:
            dangling += 1
            missing = src if s is None else dst
            skipped.append(Skipped(f"dependency {src!r} → {dst!r}", f"unknown ref {missing!r}"))
            continue
        if s == d:
            self_loops += 1
            continue
        key = s * n + d
        seen = kinds.get(key)
        if seen is not None:
            duplicate_edges += 1
            # nested *and* declared as a dependency (CycloneDX bundles): the dependency wins
            if seen is EdgeKind.NESTED and kind is not EdgeKind.NESTED:
                kinds[key] = kind
            continue
        kinds[key] = kind
    pairs = list(kinds)
    return (
        dangling,
        duplicate_edges,
        self_loops,
        [key // n for key in pairs],
        [key % n for key in pairs],
        list(kinds.values()),
    )


def _unreachable_entries(
    succ: Sequence[Sequence[int]], preds: Sequence[Sequence[int]], root: int
) -> list[int]:
    """The nodes to hang off the root so that every node is reachable from it: for each source
    strongly connected component of the part not reachable from ``root`` (a cycle nothing
    outside depends on), its first node by id; in the order of those nodes."""
    n = len(succ)
    # breadth-first a whole level at a time, each level's successors gathered by set operations in C
    seen = {root}
    level = {root}
    while level:
        level = set(chain.from_iterable(map(succ.__getitem__, level)))
        level -= seen
        seen |= level
    if len(seen) == n:
        return []
    rest = bytearray(n)
    for v in range(n):
        if v not in seen:
            rest[v] = 1
    comp = strongly_connected(succ, rest)
    unreached = list(compress(range(n), rest))
    # a component some other unreachable node depends on is not a source (no reachable node
    # depends on an unreachable one)
    entered = {comp[v] for v in unreached if any(comp[p] != comp[v] for p in preds[v])}
    first: dict[int, int] = {}
    for v in unreached:
        if comp[v] not in entered:
            first.setdefault(comp[v], v)
    return list(first.values())


def index_networkx(g: nx.DiGraph[str], root: str) -> Indexed:
    """Number the nodes of ``g`` (linear): one pass over networkx's adjacency dicts (successors,
    then predecessors), the refs mapped to ids in C (``map``), then the peeling (:func:`peel`)."""
    adj = dict(g.adjacency())
    nodes = list(adj)
    index = dict(zip(nodes, range(len(nodes)), strict=True))
    get = index.__getitem__
    succ = [list(map(get, targets)) for targets in adj.values()]
    pred = g.pred
    preds = [list(map(get, pred[v])) for v in nodes]
    order, cycles = peel(succ, preds)
    return Indexed(nodes, index, succ, index[root], preds, order, cycles)


def peel(
    succ: Sequence[Sequence[int]], preds: Sequence[Sequence[int]]
) -> tuple[list[int], dict[int, list[int]]]:
    """The topological peeling of a graph given as integer lists: Kahn's order from the leaves
    up (:func:`kahn_order`) and the strongly connected components of more than one node
    (:func:`cycle_members`, none when every node is ordered)."""
    order = kahn_order(succ, preds)
    return order, cycle_members(succ, preds, order) if len(order) < len(succ) else {}


def kahn_order(succ: Sequence[Sequence[int]], preds: Sequence[Sequence[int]]) -> list[int]:
    """Kahn's algorithm on the reversed graph: every node comes after all its dependencies.
    Nodes on or above a cycle are left out."""
    remaining = list(map(len, succ))
    ready = [s for s, r in enumerate(remaining) if r == 0]
    order: list[int] = []
    while ready:
        s = ready.pop()
        order.append(s)
        for p in preds[s]:
            remaining[p] -= 1
            if remaining[p] == 0:
                ready.append(p)
    return order


def cycle_members(
    succ: Sequence[Sequence[int]], preds: Sequence[Sequence[int]], order: Sequence[int]
) -> dict[int, list[int]]:
    """The strongly connected components of more than one node, each as its members by
    increasing id under one of them, given ``order`` (:func:`kahn_order`, which leaves out the
    nodes on or above a cycle).

    A second Kahn's algorithm runs from the sources down over the nodes the first left (their
    dependants are left too), and the components are only searched among the nodes neither
    ordered, those on a cycle or between two."""
    n = len(succ)
    below = bytearray(n)  # ordered from the leaves: on no cycle and above none
    for v in order:
        below[v] = 1
    # From the sources down, over the nodes above a cycle (their dependants are too).
    rest = bytearray(map(not_, below))
    above = list(compress(range(n), rest))
    remaining = [0] * n
    for v in above:
        remaining[v] = len(preds[v])
    ready = [v for v in above if not remaining[v]]
    while ready:
        v = ready.pop()
        rest[v] = 0
        for w in succ[v]:
            if not below[w]:
                remaining[w] -= 1
                if remaining[w] == 0:
                    ready.append(w)
    comp = strongly_connected(succ, rest)
    members: dict[int, list[int]] = {}
    for v in compress(range(n), rest):
        members.setdefault(comp[v], []).append(v)
    return {r: ms for r, ms in members.items() if len(ms) > 1}


def strongly_connected(succ: Sequence[Sequence[int]], mask: bytearray) -> list[int]:
    """Tarjan's algorithm, iterative, over the nodes whose ``mask`` byte is set: the
    representative of each node's strongly connected component (itself outside the mask)."""
    n = len(succ)
    comp = list(range(n))
    idx = [-1] * n
    low = [0] * n
    on = bytearray(n)
    stack: list[int] = []
    counter = 0
    for start in compress(range(n), mask):
        if idx[start] >= 0:
            continue
        idx[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on[start] = 1
        call = [(start, iter(succ[start]))]
        while call:
            v, it = call[-1]
            descended = False
            for w in it:
                if not mask[w]:
                    continue
                if idx[w] < 0:
                    idx[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = 1
                    call.append((w, iter(succ[w])))
                    descended = True
                    break
                if on[w] and idx[w] < low[v]:
                    low[v] = idx[w]
            if descended:
                continue
            call.pop()
            if call:
                u = call[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == idx[v]:
                while True:
                    w = stack.pop()
                    on[w] = 0
                    comp[w] = v
                    if w == v:
                        break
    return comp


def node_kind(graph: DependencyGraph, ref: str) -> NodeKind:
    """The kind of a node: the synthetic root, a service or a component."""
    if ref == graph.root and graph.synthetic_root:
        return NodeKind.ROOT
    return graph.components[ref].kind
