"""Enrichment: run every enricher on every component, merge, classify the jurisdiction.

``DEFAULT_ENRICHERS`` is the offline pipeline, in merge order (see :mod:`souverain.enrich.base`
for the merge rule): the licence enricher, then the controller enricher (SBOM declarations,
purl namespaces and domains matched against the knowledge base), then service bindings.
Online registry enrichers are appended after them by :func:`souverain.pipeline.audit`.

Speed (docs/performance.md, "Whole audit"): :func:`enrich_all` runs one :class:`_Assessor` over
the whole graph, which memoises what cannot depend on the component's identity (the jurisdiction
and regimes of a country) and skips :func:`merge` when every aspect has a single attribution.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from souverain.enrich.base import EnrichContext, Enricher, Merged, merge
from souverain.enrich.jurisdiction import classify, regimes_for
from souverain.graph import DependencyGraph
from souverain.model import (
    Assessment,
    Attribution,
    Component,
    Confidence,
    Controller,
    Evidence,
    Jurisdiction,
    LicenseVerdict,
    Openness,
    ServiceBinding,
    slot_constructor,
)

__all__ = [
    "DEFAULT_ENRICHERS",
    "EnrichContext",
    "Enricher",
    "assess",
    "default_enrichers",
    "enrich_all",
    "merge",
]

#: Progress events are sent in batches: one observer call per component costs more than the
#: enrichment of a component once the lookups are memoised.
_PROGRESS_BATCH = 1024


_assessment = slot_constructor(Assessment)  # one per component: see slot_constructor


def default_enrichers() -> tuple[Enricher, ...]:
    """The offline enrichers, in merge order."""
    from souverain.enrich.controller import ControllerEnricher
    from souverain.enrich.licence import LicenceEnricher
    from souverain.enrich.service import ServiceEnricher

    return (LicenceEnricher(), ControllerEnricher(), ServiceEnricher())


def __getattr__(name: str) -> Any:
    # DEFAULT_ENRICHERS is built lazily: importing the enrichers loads the licence database.
    if name == "DEFAULT_ENRICHERS":
        return default_enrichers()
    raise AttributeError(name)


def _unknown_licence() -> Attribution[LicenseVerdict]:
    return Attribution(
        "license",
        LicenseVerdict((), None, Openness.UNKNOWN),
        Confidence.LOW,
        (Evidence("sbom", "no licence declared and no enricher found one"),),
        "default",
    )


def _unknown_controller() -> Attribution[Controller]:
    return Attribution(
        "controller",
        None,
        Confidence.LOW,
        (Evidence("sbom", "no enricher attributed a controller"),),
        "default",
    )


class _Assessor:
    """Assesses components with one context and one enricher chain, memoising per country."""

    __slots__ = ("_by_country", "_ctx", "_enrichers")

    def __init__(self, ctx: EnrichContext, enrichers: Sequence[Enricher]) -> None:
        self._ctx = ctx
        self._enrichers = tuple(enrichers)
        # country → (jurisdiction, regimes): both depend only on the country, the policy and the
        # knowledge base, which are fixed for the run (a few dozen countries for 100k components).
        self._by_country: dict[str, tuple[Jurisdiction, tuple[str, ...]]] = {}

    def _jurisdiction(self, country: str | None) -> tuple[Jurisdiction, tuple[str, ...]]:
        if not country:
            return classify(country, self._ctx.policy, self._ctx.kb), ()
        hit = self._by_country.get(country)
        if hit is None:
            ctx = self._ctx
            hit = (classify(country, ctx.policy, ctx.kb), regimes_for(country, ctx.kb))
            self._by_country[country] = hit
        return hit

    def assess(self, component: Component) -> Assessment:
        """Run the enrichers on one component and merge their attributions."""
        ctx = self._ctx
        # The common case is one attribution per aspect: then merging is the identity (the only
        # attribution wins, nothing conflicts), so the general merge() runs only on a clash (or on
        # an aspect other than the three known ones). Plain comparisons: this runs per component.
        attributions: list[Attribution[Any]] = []
        lic = ctl = svc = None
        clash = False
        for enricher in self._enrichers:
            for a in enricher.enrich(component, ctx):
                attributions.append(a)
                aspect = a.aspect
                if aspect == "license":
                    clash = clash or lic is not None
                    lic = a
                elif aspect == "controller":
                    clash = clash or ctl is not None
                    ctl = a
                elif aspect == "service":
                    clash = clash or svc is not None
                    svc = a
                else:
                    clash = True
        conflicts: tuple[Attribution[Any], ...] = ()
        if clash:
            merged: dict[str, Merged] = merge(attributions)
            lic, ctl, svc = (
                merged[k].winner if k in merged else None for k in ("license", "controller", "service")
            )
            conflicts = tuple(a for m in merged.values() for a in m.conflicts)
        licence: Attribution[LicenseVerdict] = lic if lic is not None else _unknown_licence()
        controller: Attribution[Controller] = ctl if ctl is not None else _unknown_controller()
        service: Attribution[ServiceBinding] | None = svc if svc is not None and svc.value else None
        value = controller.value
        jurisdiction, regimes = self._jurisdiction(value.country if value is not None else None)
        return _assessment(component.ref, licence, controller, service, jurisdiction, regimes, conflicts)


def assess(component: Component, ctx: EnrichContext, enrichers: Sequence[Enricher]) -> Assessment:
    """Run ``enrichers`` on one component and merge their attributions into an Assessment."""
    return _Assessor(ctx, enrichers).assess(component)


def enrich_all(
    graph: DependencyGraph,
    ctx: EnrichContext,
    enrichers: Iterable[Enricher] | None = None,
) -> Mapping[str, Assessment]:
    """Assess every component of the graph (the root component included when real)."""
    chain = tuple(enrichers) if enrichers is not None else default_enrichers()
    components = graph.components
    progress = ctx.progress
    progress.start("enrich", len(components))
    assessor = _Assessor(ctx, chain)
    result: dict[str, Assessment] = {}
    pending = 0
    for ref, component in components.items():
        result[ref] = assessor.assess(component)
        pending += 1
        if pending == _PROGRESS_BATCH:
            progress.advance("enrich", pending)
            pending = 0
    if pending:
        progress.advance("enrich", pending)
    progress.finish("enrich")
    return result
