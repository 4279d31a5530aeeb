"""Enrichment: run every enricher on every component, merge, classify the jurisdiction.

``DEFAULT_ENRICHERS`` is the offline pipeline, in merge order (see :mod:`souverain.enrich.base`
for the merge rule): the licence enricher, then the controller enricher (SBOM declarations,
purl namespaces and domains matched against the knowledge base), then service bindings.
Online registry enrichers are appended after them by :func:`souverain.pipeline.audit`.

Speed (docs/performance.md, "Whole audit"): :func:`enrich_all` runs one :class:`_Assessor` over
the whole graph, which memoises what cannot depend on the component's identity (the jurisdiction
and regimes of a country) and skips :func:`merge` when every aspect has a single attribution;
the default chain runs one loop with the three enrichers' memoised fast paths inlined and one
purl lookup for both the organisation and the service indexes (:func:`_offline_run`).
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
_attribution = slot_constructor(Attribution)
_evidence = slot_constructor(Evidence)


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
    aspect tests and the list of attributions can go. Each enricher's answer is read directly,
    its commonest path inlined in the loop: the licence from the run's :class:`LicenceMemo`, the
    controller from its attributor given the organisation match of the joint purl lookup
    (:meth:`KnowledgeBase.package_and_service_lookups`), whose service match gives the service
    enricher's client attribution. The tests compare this loop with the general path."""
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
    # The three enrichers' fast paths, inlined in the loop below for their commonest answers
    # (a Python call per component and enricher costs more than the answer, once memoised):
    # - the licence memo of the run (LicenceMemo.__call__);
    licence = lic_enricher.attributor()
    lic_plain, lic_deb, lic_entry, lic_anchored = licence.plain, licence.deb, licence.entry, licence.anchored
    lic_name = lic_enricher.name
    # - the controller attributor (Attributor.attribute_match without an override table), given
    #   the organisation match of the joint purl lookup;
    attributor = ctl_enricher.attributor(ctx)
    attribute_match = attributor.attribute_match
    by_match, purl_entry, planned, bare = attributor.loop_parts()
    overridden = bool(attributor.overrides)
    # - the service enricher's client attribution, from the service match of the same lookup.
    service = svc_enricher.attribution
    client = svc_enricher.client
    lookups = kb.package_and_service_lookups()
    neither = (None, None)
    jurisdiction = assessor.jurisdiction
    by_country = assessor.by_country
    plain = NodeKind.COMPONENT
    unknown = jurisdiction(None)

    def run(batch: Sequence[tuple[str, Component]], result: dict[str, Assessment]) -> None:
        for ref, component in batch:
            eco = component.ecosystem
            # licence (LicenceMemo.__call__)
            declared = component.licenses
            key = id(declared[0]) if len(declared) == 1 else tuple(map(id, declared))
            hit = (lic_deb if eco == "deb" else lic_plain).get(key) or lic_entry(declared, key, eco == "deb")
            base = component.location
            lic = (
                _attribution("license", hit[1], hit[2], (_evidence("sbom", hit[5], base + hit[6]),), lic_name)
                if hit[5] is not None and base
                else lic_anchored(hit, base)
            )
            package = component.package
            org, client_match = lookups[eco](component.namespace, package) if eco and package else neither
            # controller (Attributor.attribute_match)
            if overridden or component.kind is not plain:  # (a service's operator: the general path)
                ctl = attribute_match(component, org)
            elif component.parties or component.external_refs:
                if org is None:
                    ctl = planned(component, (), None)
                else:
                    entry = by_match.get(id(org)) or purl_entry(org)
                    ctl = planned(component, entry[1], entry[2], entry[3])
            elif org is None:
                ctl = bare(component)
            else:
                ctl = (by_match.get(id(org)) or purl_entry(org))[3]
            # service (ServiceEnricher.attribution); none when its binding is empty
            svc: Attribution[Any] | None = None
            if component.kind is not plain:
                svc = service(component, kb)
                if svc is not None and not svc.value:
                    svc = None
            elif client_match is not None:
                svc = client(client_match, kb)
                if not svc.value:
                    svc = None
            value = ctl.value
            # (an unknown controller, half of a large SBOM, has no country)
            where = unknown if value is None else by_country.get(value.country) or jurisdiction(value.country)
            result[ref] = _assessment(component.ref, lic, ctl, svc, where[0], where[1], ())

    return run
