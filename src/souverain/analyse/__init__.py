"""Analysis: graph metrics, exposure, findings and score → :class:`AuditResult`.

Pure: no I/O, no clock (``today`` is passed), no globals. See docs/risk-model.md.
"""

from __future__ import annotations

import datetime
import gc
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from souverain.analyse.dominators import dominated_counts
from souverain.analyse.exposure import (
    GROUPS,
    BlocExpander,
    Profile,
    country_jurisdictions,
    fraction,
    group_members,
    herfindahl,
    profile,
    score,
)
from souverain.analyse.findings import (
    DEFAULT_THRESHOLDS,
    Context,
    component_findings,
    component_key,
    sbom_findings,
)
from souverain.analyse.reach import (
    condense,
    depths,
    direct_dependencies,
    index_graph,
    reach_and_exposure,
    reach_lower_bounds,
)
from souverain.graph import DependencyGraph
from souverain.model import (
    Assessment,
    AuditResult,
    ComponentMetrics,
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
        return _compute_metrics(graph, candidates, groups, exact_limit)
    finally:
        if gc_was_enabled:
            gc.enable()


def _compute_metrics(
    graph: DependencyGraph,
    candidates: set[str],
    groups: Mapping[str, Sequence[str]],
    exact_limit: int,
) -> GraphMetrics:
    n = len(graph)
    refs = list(graph.refs())
    ix = index_graph(graph)
    cond = condense(graph, ix)
    depth = depths(graph, ix)
    direct = direct_dependencies(graph)
    dominated = dominated_counts(graph, ix, acyclic=cond.acyclic, cond=cond)
    threshold = DEFAULT_THRESHOLDS["choke_share"] * n
    approximate = n > exact_limit
    if approximate:
        wanted = set(candidates) | direct | {r for r, d in dominated.items() if d >= threshold}
        exact_refs = [r for r in refs if r in wanted]
    else:
        exact_refs = refs
    exact, exposure = reach_and_exposure(graph, exact_refs, groups, cond=cond)
    lower = reach_lower_bounds(graph, cond) if len(exact) < len(refs) else {}
    metrics = {}
    # ComponentMetrics are frozen: components with equal values share one instance (about one
    # distinct value in ten at 100k), which saves most of the dataclass constructions.
    shared: dict[tuple[int, int, int | None, bool], ComponentMetrics] = {}
    for r in refs:
        reach = exact[r] if r in exact else lower[r]
        key = (reach, dominated.get(r, 0), depth.get(r), r in direct)
        m = shared.get(key)
        if m is None:
            m = shared[key] = ComponentMetrics(reach, round(reach / n, 4), key[1], key[2], key[3])
        metrics[r] = m
    return GraphMetrics(metrics, exposure, len(exact) < len(refs))


def _severity_key(f: Finding) -> tuple[int, float, str]:
    return (-f.severity.rank, -(f.share if f.share is not None else -1.0), f.fingerprint)


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
        return _analyse(sbom, graph, assessments, policy, today, baseline, generated_at, tool_version,
                        warnings, kb)
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
    components = tuple(c for c in sbom.components if c.ref != root)
    n = len(graph)
    known = country_jurisdictions(assessments.values())
    profiles: dict[str, Profile] = {
        r: profile(assessments.get(r), policy, kb=kb, known=known) for r in graph.refs()
    }
    candidates = {r for r, p in profiles.items() if p.at_risk}
    members = group_members(profiles)
    computed = compute_metrics(graph, candidates, members)
    metrics = computed.metrics
    warn = list(warnings)
    if computed.approximate:
        warn.append(
            f"{n} components: reach is exact for at-risk, direct and dominating components only; "
            "other components show a lower bound"
        )

    exposure = {g: fraction(c, n) for g, c in computed.exposure.items()}
    by_country = {g.removeprefix("country:"): v for g, v in exposure.items() if g.startswith("country:")}
    by_controller = {
        g.removeprefix("controller:"): v for g, v in exposure.items() if g.startswith("controller:")
    }
    groups = {g: exposure.get(g, 0.0) for g in GROUPS}

    # Findings.
    thresholds = {**DEFAULT_THRESHOLDS, **policy.thresholds}
    direct = frozenset(r for r, m in metrics.items() if m.direct)
    ctx = Context(n=n, flat=graph.flat, thresholds=thresholds, direct=direct)
    found: list[Finding] = []
    keys: dict[str, str] = {}
    summarised: dict[str, int] = {}
    for c in components:
        p = profiles.get(c.ref)
        if p is None or not p.at_risk:
            continue
        fs, summary_rules = component_findings(c, p, metrics.get(c.ref), ctx)
        if fs:
            key = component_key(c)
            for f in fs:
                keys[f.fingerprint] = key
        found.extend(fs)
        for rule in summary_rules:
            summarised[rule] = summarised.get(rule, 0) + 1
    sbom_level = sbom_findings(components, profiles, exposure, summarised, ctx)
    for f in sbom_level:
        keys[f.fingerprint] = "sbom"
    found.extend(sbom_level)
    found = _dedupe(found)

    found, waiver_warnings = apply_waivers(found, keys, policy.waivers, today)
    warn.extend(waiver_warnings)
    resolved: list[Finding] = []
    if baseline is not None:
        found, resolved = compare_baseline(found, baseline)

    open_counts = Counter(p.openness for p in profiles.values())
    openness = {o.value: open_counts.get(o, 0) for o in Openness}
    conf_counts = Counter(p.controller_confidence for p in profiles.values())
    confidence = {c.value: k for c, k in conf_counts.items()}
    max_depth = max((m.depth for m in metrics.values() if m.depth is not None), default=None)
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
