"""The analysis' shortcuts against plain computations: the bit-sliced counter, lower bounds,
dominators from the condensation (cycles, unreachable nodes), profiles by kind of assessment,
and the whole analysis against a component-by-component reference (random graphs with cycles,
shared and missing assessments, a ref twice, above and below the exact-reach limit)."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Mapping

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import souverain.analyse as analysis
from souverain.analyse import GraphMetrics, analyse, compute_metrics
from souverain.analyse.dominators import dominated_counts
from souverain.analyse.exposure import (
    GROUPS,
    country_jurisdictions,
    fraction,
    group_members,
    profile,
    profile_kinds,
)
from souverain.analyse.findings import (
    DEFAULT_THRESHOLDS,
    Context,
    component_findings,
    sbom_findings,
)
from souverain.analyse.reach import (
    Seeded,
    _Counter,
    ancestor_counts,
    condense,
    lane_counts,
    lower_bounds,
    reach_lower_bounds,
    weighted_ancestors,
)
from souverain.graph import DependencyGraph, build_graph
from souverain.model import (
    Assessment,
    Confidence,
    ControllerKind,
    Finding,
    Jurisdiction,
    Openness,
    Policy,
)

from tests.factories import make_assessment, make_component, make_graph, make_sbom

TODAY = datetime.date(2026, 11, 28)


@given(st.lists(st.tuples(st.integers(0, 2**70), st.integers(0, 5)), max_size=60))
def test_counter_totals_are_the_column_sums(values: list[tuple[int, int]]) -> None:
    counter = _Counter()
    expected = [0] * 71
    for x, j in values:
        counter.add(x, j)
        for i in range(71):
            if x >> i & 1:
                expected[i] += 1 << j
    assert counter.totals(71) == expected
    plain = _Counter()
    for x, _ in values:
        plain.add(x)
    assert plain.totals(71) == [sum(x >> i & 1 for x, _ in values) for i in range(71)]


@st.composite
def graphs(draw: st.DrawFn) -> DependencyGraph:
    """Random graphs with cycles, built as the pipeline builds them (everything reachable)."""
    n = draw(st.integers(min_value=1, max_value=30))
    nodes = [f"n{i}" for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = [(nodes[a], nodes[b]) for a, b in draw(st.lists(pairs, max_size=3 * n)) if a != b]
    if draw(st.booleans()):
        return make_graph(edges, root=None, nodes=nodes)[1]
    roots = draw(st.lists(st.integers(0, n - 1), max_size=3))
    return make_graph(edges + [("root", nodes[r]) for r in roots], nodes=nodes)[1]


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_lower_bounds_are_the_longest_chain_of_components_above(g: DependencyGraph) -> None:
    # the bound of docs/risk-model.md: over the condensation, a component's weight plus the
    # largest bound of a dependant; a ref's reach bound is that minus the ref itself
    cond = nx.condensation(g.nx)
    weight = {c: len(cond.nodes[c]["members"] - {g.root}) for c in cond}
    bound: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        bound[c] = weight[c] + max((bound[p] for p in cond.predecessors(c)), default=0)
    mapping = cond.graph["mapping"]
    expected = {r: bound[mapping[r]] - 1 for r in g.refs()}
    assert reach_lower_bounds(g) == expected


@settings(max_examples=100, deadline=None)
@given(graphs(), st.data())
def test_lower_bounds_computed_with_the_exact_counts_are_the_same(
    g: DependencyGraph, data: st.DataObject
) -> None:
    cond = condense(g)
    some = data.draw(st.lists(st.sampled_from(sorted(cond.index.values()))))
    counts, _, lower = ancestor_counts(cond, some, lower=True)
    assert lower == lower_bounds(cond)
    assert counts == weighted_ancestors(cond, some)[0]
    # above the exact limit, the components that need no exact reach show these bounds
    computed = compute_metrics(g, set(), exact_limit=0)
    bounds = reach_lower_bounds(g)
    exact = {r for r, m in computed.metrics.items() if m.direct or (m.dominated or 0) >= 0.05 * len(g)}
    assert all(m.reach == bounds[r] for r, m in computed.metrics.items() if r not in exact)


@settings(max_examples=100, deadline=None)
@given(graphs(), st.data(), st.integers(min_value=1, max_value=8))
def test_lanes_given_as_bits_count_as_member_lists(
    g: DependencyGraph, data: st.DataObject, chunk: int
) -> None:
    cond = condense(g)
    ids = sorted(set(cond.index.values()))
    groups = data.draw(st.lists(st.lists(st.sampled_from(ids), max_size=4), max_size=5))
    others = data.draw(st.lists(st.lists(st.sampled_from(ids), max_size=3), max_size=12))
    bits = [0] * len(cond.weight)
    for i, members in enumerate(groups):
        for s in members:
            bits[s] |= 1 << i
    seeded = Seeded(bits, len(groups))
    expected = lane_counts(cond, [*groups, *others], chunk=chunk)
    assert lane_counts(cond, others, chunk=chunk, seeded=seeded) == expected
    targets = data.draw(st.lists(st.sampled_from(ids), max_size=6))
    counts, totals, _ = ancestor_counts(
        cond, targets, seeded, chunk=chunk, small=data.draw(st.sampled_from([0, 3]))
    )
    assert (counts, totals) == weighted_ancestors(cond, targets, groups, chunk=chunk)


@st.composite
def raw_graphs(draw: st.DrawFn) -> DependencyGraph:
    """Graphs as hand-made callers may give them: unreachable nodes and cycles left as they are."""
    n = draw(st.integers(min_value=1, max_value=20))
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_node("root")
    g.add_nodes_from(f"n{i}" for i in range(n))
    names = ["root", *(f"n{i}" for i in range(n))]
    pairs = st.tuples(st.integers(0, n), st.integers(1, n))
    g.add_edges_from((names[a], names[b]) for a, b in draw(st.lists(pairs, max_size=3 * n)) if a != b)
    return DependencyGraph(g, "root", {}, synthetic_root=True, flat=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(graphs(), raw_graphs()))
def test_dominators_from_the_condensation_match_the_general_algorithm(g: DependencyGraph) -> None:
    cond = condense(g)
    general = dominated_counts(g)
    assert dominated_counts(g, acyclic=cond.acyclic, cond=cond) == general
    idom = dict(nx.immediate_dominators(g.nx, g.root))
    idom.pop(g.root, None)
    sizes = dict.fromkeys([g.root, *idom], 1)
    for v in sorted(idom, key=lambda r: -nx.shortest_path_length(g.nx, g.root, r)):  # deepest first
        sizes[idom[v]] += sizes[v]
    assert general == {r: s - 1 for r, s in sizes.items() if r != g.root}


# --------------------------------------------------------------------------------------------
# Profiles by kind, and the whole analysis against a plain reference
# --------------------------------------------------------------------------------------------

# A pool of assessments sharing their licence, controller and service objects (as the enrichers
# share them), and some of their own: profile_kinds groups by object identity.
_SHAPES: list[dict[str, object]] = [
    {},
    {
        "openness": Openness.PROPRIETARY,
        "controller": "Oracle",
        "country": "US",
        "jurisdiction": Jurisdiction.FOREIGN,
    },
    {
        "openness": Openness.SOURCE_AVAILABLE,
        "controller": "Elastic",
        "country": "NL",
        "jurisdiction": Jurisdiction.TRUSTED,
    },
    {"openness": None, "controller": None},
    {
        "controller": "Big Cloud",
        "country": "US",
        "jurisdiction": Jurisdiction.FOREIGN,
        "confidence": Confidence.LOW,
    },
    {
        "controller": "Community",
        "kind": ControllerKind.COMMUNITY,
        "country": None,
        "jurisdiction": Jurisdiction.UNKNOWN,
    },
    {"service": "S3", "service_operator": "AWS", "service_country": "US"},
    {"openness": Openness.PROPRIETARY, "controller": "Maison", "country": "FR"},
]


def _pool() -> list[Assessment]:
    return [make_assessment(f"shape{i}", **shape) for i, shape in enumerate(_SHAPES)]  # type: ignore[arg-type]


_VARIANTS = st.sampled_from(["shared", "fresh", "jurisdiction", "confidence"])


def _own(ref: str, like: Assessment, variant: str) -> Assessment:
    """An assessment of ``ref`` sharing ``like``'s values (``shared``), or equal values in new
    objects (``fresh``), or sharing them but for another jurisdiction or controller confidence."""
    if variant == "jurisdiction":
        other = Jurisdiction.FOREIGN if like.jurisdiction is not Jurisdiction.FOREIGN else Jurisdiction.HOME
        return dataclasses.replace(like, ref=ref, jurisdiction=other)
    if variant == "confidence":
        return dataclasses.replace(
            like, ref=ref, controller=dataclasses.replace(like.controller, confidence=Confidence.LOW)
        )
    if variant == "shared":
        return dataclasses.replace(like, ref=ref)
    copy = dataclasses.replace
    service = like.service
    if service is not None and service.value is not None:
        service = copy(service, value=copy(service.value))
    return Assessment(
        ref,
        copy(like.license, value=copy(like.license.value) if like.license.value is not None else None),
        copy(
            like.controller, value=copy(like.controller.value) if like.controller.value is not None else None
        ),
        service,
        like.jurisdiction,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SHAPES)), _VARIANTS), max_size=40))
def test_profile_kinds_give_every_profile(choices: list[tuple[int, str]]) -> None:
    pool = _pool()
    found = [None if i == len(pool) else _own(f"r{j}", pool[i], v) for j, (i, v) in enumerate(choices)]
    policy = Policy()
    known = country_jurisdictions(a for a in found if a is not None)
    kinds, profiles = profile_kinds(found, policy, known=known)
    for a, k in zip(found, kinds, strict=True):
        expected = profile(a, policy, known=known)
        assert profiles[k]._replace(assessment=a) == expected
    assert sorted(set(kinds)) == list(range(len(profiles)))
    assert list(dict.fromkeys(kinds)) == list(range(len(profiles)))  # numbered in order


def _reference(
    sbom: object, g: DependencyGraph, assessments: Mapping[str, Assessment], policy: Policy, limit: int
) -> tuple[list[Finding], GraphMetrics, dict[str, object]]:
    """The analysis component by component: a profile each, group members, compute_metrics,
    component_findings for every at-risk component (before waivers and sorting)."""
    components = tuple(c for c in sbom.components if c.ref != g.root)  # type: ignore[attr-defined]
    n = len(g)
    known = country_jurisdictions(assessments.values())
    profiles = {r: profile(assessments.get(r), policy, known=known) for r in g.refs()}
    members = group_members(profiles)
    computed = compute_metrics(g, {r for r, p in profiles.items() if p.at_risk}, members, exact_limit=limit)
    metrics = computed.metrics
    exposure = {grp: fraction(c, n) for grp, c in computed.exposure.items()}
    direct = frozenset(r for r, m in metrics.items() if m.direct)
    ctx = Context(n, g.flat, {**DEFAULT_THRESHOLDS, **policy.thresholds}, direct)
    found: list[Finding] = []
    summarised: dict[str, int] = {}
    for c in components:
        p = profiles.get(c.ref)
        if p is None or not p.at_risk:
            continue
        fs, rules = component_findings(c, p, metrics.get(c.ref), ctx)
        found.extend(fs)
        for rule in rules:
            summarised[rule] = summarised.get(rule, 0) + 1
    found.extend(sbom_findings(components, [(p, 1) for p in profiles.values()], exposure, summarised, ctx))
    summary = {
        "openness": {o.value: sum(1 for p in profiles.values() if p.openness is o) for o in Openness},
        "confidence": {
            c.value: k for c, k in Counter(p.controller_confidence for p in profiles.values()).items()
        },
        "groups": {grp: exposure.get(grp, 0.0) for grp in GROUPS},
        "exposure": exposure,
    }
    return found, computed, summary


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=25),
    st.data(),
    st.sampled_from([1000, 3]),
    st.booleans(),
)
def test_analysis_matches_the_component_by_component_reference(
    n: int, data: st.DataObject, limit: int, flat: bool
) -> None:
    nodes = [f"n{i}" for i in range(n)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = [(nodes[a], nodes[b]) for a, b in data.draw(st.lists(pairs, max_size=3 * n)) if a != b]
    edges += [("root", nodes[r]) for r in data.draw(st.lists(st.integers(0, n - 1), max_size=3))]
    comps = [make_component(r, supplier="ACME" if i % 3 else None) for i, r in enumerate(nodes)]
    if data.draw(st.booleans()):  # the same ref twice: one node, two components
        comps.append(make_component(nodes[data.draw(st.integers(0, n - 1))]))
    sbom = make_sbom(comps, [] if flat else edges, root=make_component("root"), has_dependency_data=not flat)
    g = build_graph(sbom)
    pool = _pool()
    assessments: dict[str, Assessment] = {}
    for r in g.refs():
        i = data.draw(st.integers(0, len(pool)), label=f"shape of {r}")
        if i < len(pool):  # else: no assessment
            assessments[r] = _own(r, pool[i], data.draw(_VARIANTS, label=f"variant of {r}"))
    policy = Policy(thresholds={"choke_share": data.draw(st.sampled_from([0.05, 0.3]))})
    expected, computed, summary = _reference(sbom, g, assessments, policy, limit)

    old_limit = analysis.EXACT_REACH_LIMIT
    analysis.EXACT_REACH_LIMIT = limit
    try:
        result = analyse(sbom, g, assessments, policy, today=TODAY)
    finally:
        analysis.EXACT_REACH_LIMIT = old_limit
    assert dict(result.metrics) == computed.metrics
    assert list(result.findings) == list(analysis.sort_findings(analysis._dedupe(expected)))
    assert [f.params for f in result.findings] == [
        f.params for f in analysis.sort_findings(analysis._dedupe(expected))
    ]
    s = result.summary
    assert s.openness == summary["openness"]
    assert list(s.confidence.items()) == list(summary["confidence"].items())  # type: ignore[attr-defined]
    assert s.exposure_groups == summary["groups"]
    exposure: dict[str, float] = summary["exposure"]  # type: ignore[assignment]
    assert list(s.exposure_by_country) == sorted(
        (k.removeprefix("country:") for k in exposure if k.startswith("country:")),
        key=lambda c: (-exposure[f"country:{c}"], c),
    )
    assert s.direct == sum(1 for m in computed.metrics.values() if m.direct)
    depths = [m.depth for m in computed.metrics.values() if m.depth is not None]
    assert s.depth == (max(depths) if depths else None)
    assert any("lower bound" in w for w in result.warnings) == computed.approximate


def test_a_ref_twice_is_two_components() -> None:
    # one node, two components: both are counted in the summaries, as component by component
    comps = [make_component("a"), make_component("a"), *(make_component(f"l{i}") for i in range(30))]
    sbom = make_sbom(
        comps, [("root", "a"), *(("a", f"l{i}") for i in range(30))], root=make_component("root")
    )
    g = build_graph(sbom)
    assessments = {r: make_assessment(r, openness=None, controller=None) for r in g.refs()}
    expected, _, _ = _reference(sbom, g, assessments, Policy(), 1000)
    result = analyse(sbom, g, assessments, Policy(), today=TODAY)
    assert list(result.findings) == list(analysis.sort_findings(analysis._dedupe(expected)))
    summaries = {f.rule: f.params["count"] for f in result.findings if f.rule in ("SOV012", "SOV013")}
    assert summaries == {"SOV012": 30, "SOV013": 30}
