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

from collections.abc import Callable, Iterable, Mapping, Sequence
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
    NodeKind,
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

    __slots__ = ("_enrichers", "by_country", "ctx")

    def __init__(self, ctx: EnrichContext, enrichers: Sequence[Enricher]) -> None:
        self.ctx = ctx
        self._enrichers = tuple(enrichers)
        #: country → (jurisdiction, regimes): both depend only on the country, the policy and the
        #: knowledge base, which are fixed for the run (a few dozen countries for 100k components).
        self.by_country: dict[str | None, tuple[Jurisdiction, tuple[str, ...]]] = {}

    def jurisdiction(self, country: str | None) -> tuple[Jurisdiction, tuple[str, ...]]:
        """The jurisdiction and regimes of a controller's country (None: unknown, none)."""
        hit = self.by_country.get(country)
        if hit is None:
            ctx = self.ctx
            if not country:
                hit = (classify(country, ctx.policy, ctx.kb), ())
            else:
                hit = (classify(country, ctx.policy, ctx.kb), regimes_for(country, ctx.kb))
            self.by_country[country] = hit
        return hit

    def run(self, batch: Sequence[tuple[str, Component]], result: dict[str, Assessment]) -> None:
        """Assess each (ref, component) of ``batch`` into ``result``."""
        assess = self.assess
        for ref, component in batch:
            result[ref] = assess(component)

    def assess(self, component: Component) -> Assessment:
        """Run the enrichers on one component and merge their attributions."""
        ctx = self.ctx
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
        jurisdiction, regimes = self.jurisdiction(value.country if value is not None else None)
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
    run = _offline_run(assessor, chain) or assessor.run
    result: dict[str, Assessment] = {}
    items = list(components.items())
    for start in range(0, len(items), _PROGRESS_BATCH):
        batch = items[start : start + _PROGRESS_BATCH]
        run(batch, result)
        progress.advance("enrich", len(batch))
    progress.finish("enrich")
    return result


def _offline_run(
    assessor: _Assessor, chain: Sequence[Enricher]
) -> Callable[[Sequence[tuple[str, Component]], dict[str, Assessment]], None] | None:
    """:meth:`_Assessor.run` for the default chain (licence, controller, service), or None for
    any other chain.

    Those three enrichers give one ``license``, one ``controller`` and at most one ``service``
    attribution: no aspect ever has two, so merge() never runs and the loop over the chain, the
    aspect tests and the list of attributions can go; each enricher is asked directly for its
    attribution (the controller's attributor is fetched once). A licence enricher answering
    anything but one licence attribution sends the component to the general path."""
    from souverain.enrich.controller import ControllerEnricher
    from souverain.enrich.licence import LicenceEnricher
    from souverain.enrich.service import ServiceEnricher

    if len(chain) != 3:
        return None
    lic_enricher, ctl_enricher, svc_enricher = chain
    if (
        type(lic_enricher) is not LicenceEnricher
        or type(ctl_enricher) is not ControllerEnricher
        or type(svc_enricher) is not ServiceEnricher
    ):
        return None
    ctx = assessor.ctx
    kb = ctx.kb
    licence = lic_enricher.enrich
    controller = ctl_enricher.attributor(ctx).attribute
    service = svc_enricher.attribution
    service_lookups = svc_enricher.lookups(kb)
    client = svc_enricher.client
    jurisdiction = assessor.jurisdiction
    by_country = assessor.by_country
    general = assessor.assess
    plain = NodeKind.COMPONENT

    def run(batch: Sequence[tuple[str, Component]], result: dict[str, Assessment]) -> None:
        for ref, component in batch:
            lic: tuple[Attribution[Any], ...] = licence(component, ctx)
            if len(lic) != 1 or lic[0].aspect != "license":
                result[ref] = general(component)
                continue
            ctl = controller(component)
            # ServiceEnricher.attribution(), its lookup inlined for a plain component
            svc: Attribution[Any] | None = None
            if component.kind is not plain:
                svc = service(component, kb)
            elif component.ecosystem and component.package:
                m = service_lookups[component.ecosystem](component.namespace, component.package)
                if m is not None:
                    svc = client(m, kb)
            if svc is not None and not svc.value:
                svc = None
            value = ctl.value
            country = value.country if value is not None else None
            where = by_country.get(country)
            if where is None:
                where = jurisdiction(country)
            result[ref] = _assessment(component.ref, lic[0], ctl, svc, where[0], where[1], ())

    return run
