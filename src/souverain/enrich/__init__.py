"""Enrichment: run every enricher on every component, merge, classify the jurisdiction.

``DEFAULT_ENRICHERS`` is the offline pipeline, in merge order (see :mod:`souverain.enrich.base`
for the merge rule): the licence enricher, then the controller enricher (SBOM declarations,
purl namespaces and domains matched against the knowledge base), then service bindings.
Online registry enrichers are appended after them by :func:`souverain.pipeline.audit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from souverain.enrich.base import EnrichContext, Enricher, Merged, merge
from souverain.graph import DependencyGraph
from souverain.model import (
    Assessment,
    Attribution,
    Component,
    Confidence,
    Controller,
    Evidence,
    LicenseVerdict,
    Openness,
    ServiceBinding,
)

__all__ = ["DEFAULT_ENRICHERS", "EnrichContext", "Enricher", "default_enrichers", "enrich_all", "merge"]


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


def assess(component: Component, ctx: EnrichContext, enrichers: Sequence[Enricher]) -> Assessment:
    """Run ``enrichers`` on one component and merge their attributions into an Assessment."""
    from souverain.enrich.jurisdiction import classify, regimes_for

    attributions: list[Attribution[Any]] = []
    for enricher in enrichers:
        attributions.extend(enricher.enrich(component, ctx))
    merged: dict[str, Merged] = merge(attributions)
    lic = merged.get("license")
    ctl = merged.get("controller")
    svc = merged.get("service")
    licence: Attribution[LicenseVerdict] = lic.winner if lic else _unknown_licence()
    controller: Attribution[Controller] = ctl.winner if ctl else _unknown_controller()
    service: Attribution[ServiceBinding] | None = svc.winner if svc and svc.winner.value else None
    country = controller.value.country if controller.value is not None else None
    conflicts = tuple(a for m in merged.values() for a in m.conflicts)
    return Assessment(
        ref=component.ref,
        license=licence,
        controller=controller,
        service=service,
        jurisdiction=classify(country, ctx.policy, ctx.kb),
        regimes=regimes_for(country, ctx.kb) if country else (),
        conflicts=conflicts,
    )


def enrich_all(
    graph: DependencyGraph,
    ctx: EnrichContext,
    enrichers: Iterable[Enricher] | None = None,
) -> Mapping[str, Assessment]:
    """Assess every component of the graph (the root component included when real)."""
    chain = tuple(enrichers) if enrichers is not None else default_enrichers()
    components = graph.components
    ctx.progress.start("enrich", len(components))
    result: dict[str, Assessment] = {}
    for ref, component in components.items():
        result[ref] = assess(component, ctx, chain)
        ctx.progress.advance("enrich")
    ctx.progress.finish("enrich")
    return result
