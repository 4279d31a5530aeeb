"""Analysis: graph metrics, exposure, findings and score → :class:`AuditResult`.

Pure: no I/O, no clock (``today`` is passed), no globals. See docs/risk-model.md.
"""

from __future__ import annotations

import datetime
import gc
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import and_, attrgetter, not_
from typing import Any

from souverain.analyse.dominators import descend, dominated_sizes
from souverain.analyse.exposure import (
    GROUPS,
    BlocExpander,
    country_jurisdictions,
    fraction,
    group_names,
    herfindahl,
    profile_kinds,
    score,
)
from souverain.analyse.findings import (
    DEFAULT_THRESHOLDS,
    Context,
    Product,
    component_findings,
    component_key,
    quiet_summaries,
    sbom_findings,
)
from souverain.analyse.reach import (
    Seeded,
    ancestor_counts,
    condense,
    depth_levels,
    index_graph,
)
from souverain.graph import DependencyGraph, Indexed
from souverain.model import (
    Assessment,
    AuditResult,
    ComponentMetrics,
    Confidence,
    Finding,
    Openness,
    ParsedSbom,
    Policy,
    Summary,
)

__all__ = ["EXACT_REACH_LIMIT", "GraphMetrics", "analyse", "compute_metrics", "sort_findings"]

EXACT_REACH_LIMIT = 20_000
"""Up to this many components, reach is exact for every component; above, only for the
candidates (at-risk, direct, large dominators) and a lower bound for the others."""


@dataclass(frozen=True, slots=True)
class GraphMetrics:
    """Per-component metrics, exposure counts of the requested groups, and whether some reach
    values are lower bounds rather than exact counts."""

    metrics: dict[str, ComponentMetrics]
    exposure: dict[str, int]
    approximate: bool


def compute_metrics(
    graph: DependencyGraph,
    candidates: set[str],
    groups: Mapping[str, Sequence[str]] | None = None,
    *,
    exact_limit: int = EXACT_REACH_LIMIT,
) -> GraphMetrics:
    """Metrics of every component and exposure counts of ``groups`` (members count themselves).

    Up to ``exact_limit`` components every reach is exact; above, only the ``candidates``,
    the direct dependencies and the dominators of large subtrees get an exact reach, the others
    a lower bound (docs/risk-model.md).
    """
    groups = groups or {}
    if graph.flat:
        metrics = {r: ComponentMetrics(None, None, None, None, False) for r in graph.refs()}
        return GraphMetrics(metrics, {g: len(m) for g, m in groups.items()}, False)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small lists and ints, no cycles: the cyclic GC only costs time here
    try:
        ix = index_graph(graph)
        index = ix.index
        root = graph.root
        candidate = bytearray(len(ix.nodes))
        for r in candidates:
            v = index.get(r)
            if v is not None:
                candidate[v] = 1
        bits = [0] * len(ix.nodes)
        for i, members in enumerate(groups.values()):
            for m in members:
                if m != root:
                    bits[index[m]] |= 1 << i
        computed = _graph_metrics(graph, ix, candidate, list(groups), bits, exact_limit)
        return GraphMetrics(computed.metrics, computed.exposure, computed.approximate)
    finally:
        if gc_was_enabled:
            gc.enable()


_NO_METRICS = ComponentMetrics(None, None, None, None, False)
_REF = attrgetter("ref")


@dataclass(frozen=True, slots=True)
class _Computed:
    """:class:`GraphMetrics` and what the analysis reads from the same lists: the metrics in
    the order of the graph's nodes (root excluded), each distinct metrics value once, the
    largest depth, the refs of the direct dependencies."""

    metrics: dict[str, ComponentMetrics]
    exposure: dict[str, int]
    approximate: bool
    in_order: list[ComponentMetrics]
    distinct: list[ComponentMetrics]
    max_depth: int | None
    direct: frozenset[str]


def _graph_metrics(
    graph: DependencyGraph,
    ix: Indexed,
    candidate: Sequence[int],
    groups: Sequence[str],
    group_bits: Sequence[int],
    exact_limit: int,
) -> _Computed:
    """Metrics of a graph with dependency data, on node ids: ``candidate[v]`` true for the
    at-risk components; ``group_bits[v]`` has bit ``i`` set when node ``v`` is a member of
    exposure group ``groups[i]`` (0 for the root)."""
    n = len(graph)
    nodes = ix.nodes
    root = ix.root
    cond = condense(graph, ix)
    dep: list[int | None]
    # Dominators, depths and the reach bounds in one pass when the graph is acyclic (descend).
    one = descend(ix, cond)
    if one is not None:
        dominated = one.dominated
        dep = list(one.depth)  # None when unreachable (the root's 0 goes below)
        if one.reached < len(dep):
            dep = [None if d == one.unreached else d for d in dep]
        max_depth = max(filter(None, dep), default=0)
    else:
        depth = depth_levels(ix)  # node id → distance from the root, reached nodes only
        dominated, _ = dominated_sizes(ix, acyclic=cond.acyclic, cond=cond)
        dep = list(map(depth.get, range(len(nodes))))
        max_depth = max(depth.values())
    direct = ix.succ[root]
    size = len(nodes)
    approximate = n > exact_limit
    if approximate:
        threshold = DEFAULT_THRESHOLDS["choke_share"] * n
        wanted = bytearray(candidate)
        for v in direct:
            wanted[v] = 1
        for v in compress(range(size), map(threshold.__le__, dominated)):
            wanted[v] = 1
        wanted[root] = 0
        targets = list(compress(range(size), wanted))
    else:
        targets = [v for v in range(size) if v != root]
    of = cond.of
    seeds = list(group_bits)
    for rep, members in cond.members.items():  # a cycle is in the groups of its members
        merged = 0
        for v in members:
            merged |= seeds[v]
            seeds[v] = 0
        seeds[rep] = merged
    counts, totals, lbw = ancestor_counts(
        cond,
        [of[v] for v in targets],
        Seeded(seeds, len(groups)),
        lower=len(targets) < size - 1,
        known=one.chains if one is not None else None,
    )
    exposure = dict(zip(groups, totals, strict=True))
    if lbw is not None:  # lower bounds for the components without an exact reach
        reach = [lbw[s] - 1 for s in of] if not cond.acyclic else [x - 1 for x in lbw]
    else:
        reach = [0] * size
    for v in targets:
        reach[v] = counts[of[v]] - 1
    is_direct = bytearray(size)
    for v in direct:
        is_direct[v] = 1
    dom = [d if d >= 0 else 0 for d in dominated]
    refs = list(nodes)
    for column in (refs, reach, dom, dep, is_direct):
        del column[root]  # the root is no component
    # ComponentMetrics are frozen: components with equal values share one instance (about one
    # distinct value in ten at 100k), which saves most of the dataclass constructions. Each key
    # is hashed once: setdefault gives every component the position of the first component of
    # its key, where that key's instance is then put.
    first: dict[tuple[int, int, int | None, bool], int] = {}
    keys = zip(reach, dom, dep, map(bool, is_direct), strict=True)
    firsts = list(map(first.setdefault, keys, count()))
    at = [_NO_METRICS] * len(firsts)
    for key, i in first.items():
        at[i] = ComponentMetrics(key[0], round(key[0] / n, 4), key[1], key[2], key[3])
    in_order = list(map(at.__getitem__, firsts))
    metrics = dict(zip(refs, in_order, strict=True))
    return _Computed(
        metrics,
        exposure,
        len(targets) < size - 1,
        in_order,
        list(map(at.__getitem__, first.values())),
        max_depth if max_depth > 0 else None,
        frozenset(nodes[v] for v in direct),
    )


def _severity_key(f: Finding) -> tuple[int, float, int, str]:
    dominated = f.params.get("dominated")
    return (
        -f.severity.rank,
        -(f.share if f.share is not None else -1.0),
        -(dominated if isinstance(dominated, int) else 0),
        f.fingerprint,
    )


def _dedupe(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per fingerprint (two versions of one package share it): the most severe."""
    best: dict[str, Finding] = {}
    for f in findings:
        old = best.get(f.fingerprint)
        if old is None or (_severity_key(f), f.message) < (_severity_key(old), old.message):
            best[f.fingerprint] = f
    return list(best.values())


def sort_findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then larger share, then fingerprint (deterministic)."""
    return tuple(sorted(findings, key=_severity_key))


def analyse(
    sbom: ParsedSbom,
    graph: DependencyGraph,
    assessments: Mapping[str, Assessment],
    policy: Policy,
    *,
    today: datetime.date,
    baseline: Mapping[str, Any] | None = None,
    generated_at: str | None = None,
    tool_version: str = "",
    warnings: Sequence[str] = (),
    kb: BlocExpander | None = None,
) -> AuditResult:
    """Analyse one SBOM: metrics, exposure, findings (waivers and baseline applied), score."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small acyclic objects: the cyclic GC only costs time
    try:
        return _analyse(
            sbom, graph, assessments, policy, today, baseline, generated_at, tool_version, warnings, kb
        )
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyse(
    sbom: ParsedSbom,
    graph: DependencyGraph,
    assessments: Mapping[str, Assessment],
    policy: Policy,
    today: datetime.date,
    baseline: Mapping[str, Any] | None,
    generated_at: str | None,
    tool_version: str,
    warnings: Sequence[str],
    kb: BlocExpander | None,
) -> AuditResult:
    from souverain.policy import apply_waivers, compare_baseline  # import cycle: policy uses findings

    root = graph.root
    every = sbom.components
    component_refs = list(map(_REF, every))
    components = tuple(compress(every, map(root.__ne__, component_refs)))
    n = len(graph)
    # What the enrichers decided per country: read only without a knowledge base (with one,
    # classify_country answers from the bloc expansion), so not gathered then.
    known = country_jurisdictions(assessments.values()) if kb is None else None
    ix = None if graph.flat else index_graph(graph)
    refs = list(ix.nodes) if ix is not None else list(graph.refs())
    if ix is not None:
        del refs[ix.root]
    # One profile per kind of assessment (exposure.profile_kinds), counted by kind.
    kind_of, kinds = profile_kinds(list(map(assessments.get, refs)), policy, kb=kb, known=known)
    per_kind = Counter(kind_of)
    counted = [(p, per_kind[k]) for k, p in enumerate(kinds)]
    group_kinds: dict[str, list[int]] = {g: [] for g in GROUPS}
    for k, p in enumerate(kinds):
        for g in group_names(p):
            group_kinds.setdefault(g, []).append(k)
    computed: _Computed | None = None
    if ix is not None:
        root_id = ix.root
        kind_bits = [0] * len(kinds)  # bit i: the kind is in group i
        for i, ks in enumerate(group_kinds.values()):
            for k in ks:
                kind_bits[k] |= 1 << i
        bits = list(map(kind_bits.__getitem__, kind_of))
        bits.insert(root_id, 0)
        risky = bytes(p.at_risk for p in kinds)
        candidate = bytearray(map(risky.__getitem__, kind_of))
        candidate.insert(root_id, 0)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            computed = _graph_metrics(graph, ix, candidate, list(group_kinds), bits, EXACT_REACH_LIMIT)
        finally:
            if gc_was_enabled:
                gc.enable()
        metrics = computed.metrics
        counts = computed.exposure
        in_order: Sequence[ComponentMetrics | None] = computed.in_order
        distinct = computed.distinct
        direct = computed.direct
    else:
        unknown = ComponentMetrics(None, None, None, None, False)
        metrics = dict.fromkeys(refs, unknown)
        counts = {g: sum(per_kind[k] for k in ks) for g, ks in group_kinds.items()}
        in_order = [unknown] * len(refs)
        distinct = [unknown]
        direct = frozenset()
    warn = list(warnings)
    if computed is not None and computed.approximate:
        warn.append(
            f"{n} components: reach is exact for at-risk, direct and dominating components only; "
            "other components show a lower bound"
        )

    exposure = {g: fraction(c, n) for g, c in counts.items()}
    by_country = {g.removeprefix("country:"): v for g, v in exposure.items() if g.startswith("country:")}
    by_controller = {
        g.removeprefix("controller:"): v for g, v in exposure.items() if g.startswith("controller:")
    }
    groups = {g: exposure.get(g, 0.0) for g in GROUPS}

    # Findings, for the at-risk components. Most have no real weight: no finding, only summary
    # counts, known from their kind (findings.quiet_summaries) without building their findings.
    thresholds = {**DEFAULT_THRESHOLDS, **policy.thresholds}
    product = Product.of(None if graph.synthetic_root else graph.components.get(root))
    ctx = Context(n=n, flat=graph.flat, thresholds=thresholds, direct=direct, product=product)
    if component_refs == refs:  # the usual case: components and graph nodes in the same order
        kind_at: Sequence[int] = kind_of
        metrics_at = in_order
    else:  # a ref twice, or the root among the components: look each component up
        where = dict(zip(refs, range(len(refs)), strict=True))
        at = [where.get(r) for r in map(_REF, components)]
        kind_at = [-1 if i is None else kind_of[i] for i in at]
        metrics_at = [None if i is None else in_order[i] for i in at]
    risky_kind = [p.at_risk for p in kinds] + [False]  # kind -1: no node
    quiet_of = {id(m): ctx.weighty(m) is False for m in distinct}
    quiet_of[id(None)] = False
    risky_at = list(map(risky_kind.__getitem__, kind_at))
    quiet_at = list(map(quiet_of.__getitem__, map(id, metrics_at)))
    found: list[Finding] = []
    keys: dict[str, str] = {}
    summarised: dict[str, int] = {}
    for i in compress(range(len(risky_at)), map(and_, risky_at, map(not_, quiet_at))):
        c = components[i]
        k = kind_at[i]
        a = assessments.get(c.ref)
        p = kinds[k] if a is None else kinds[k]._replace(assessment=a)
        fs, summary_rules = component_findings(c, p, metrics_at[i], ctx)
        if fs:
            key = component_key(c)
            for f in fs:
                keys[f.fingerprint] = key
        found.extend(fs)
        for rule in summary_rules:
            summarised[rule] = summarised.get(rule, 0) + 1
    for k, q in Counter(compress(kind_at, map(and_, risky_at, quiet_at))).items():
        for rule in quiet_summaries(kinds[k]):
            summarised[rule] = summarised.get(rule, 0) + q
    sbom_level = sbom_findings(components, counted, exposure, summarised, ctx)
    for f in sbom_level:
        keys[f.fingerprint] = "sbom"
    found.extend(sbom_level)
    found = _dedupe(found)

    found, waiver_warnings = apply_waivers(found, keys, policy.waivers, today)
    warn.extend(waiver_warnings)
    resolved: list[Finding] = []
    if baseline is not None:
        found, resolved = compare_baseline(found, baseline)

    open_counts: Counter[Openness] = Counter()
    conf_counts: Counter[Confidence] = Counter()
    for p, many in counted:
        open_counts[p.openness] += many
        conf_counts[p.controller_confidence] += many
    openness = {o.value: open_counts.get(o, 0) for o in Openness}
    confidence = {c.value: k for c, k in conf_counts.items()}
    max_depth = computed.max_depth if computed is not None else None
    summary = Summary(
        components=n,
        dependencies=graph.number_of_edges() if not graph.flat else 0,
        root=None if graph.synthetic_root else root,
        flat=graph.flat,
        skipped=tuple(sbom.skipped) + tuple(graph.issues.skipped),
        openness=openness,
        exposure_by_country=dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        exposure_by_controller=dict(sorted(by_controller.items(), key=lambda kv: (-kv[1], kv[0]))),
        score=None if graph.flat else score(groups),
        exposure_groups=groups,
        concentration={"country": herfindahl(by_country), "controller": herfindahl(by_controller)},
        depth=max_depth,
        direct=len(direct),
        confidence=confidence,
        graph_issues=graph.issues.as_counts(),
    )
    return AuditResult(
        sbom=sbom,
        policy=policy,
        summary=summary,
        components=components,
        assessments=dict(assessments),
        metrics=metrics,
        findings=sort_findings(found),
        resolved=sort_findings(resolved),
        warnings=tuple(warn),
        generated_at=generated_at,
        tool_version=tool_version,
    )
