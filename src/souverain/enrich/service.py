"""Service bindings: :class:`ServiceEnricher` says which remote service a component is a client
of (cloud SDKs, SaaS clients) and who operates it, from the knowledge base's client patterns.

Also CycloneDX ``services`` entries (``Component.kind == SERVICE``): when their provider (a party)
or an endpoint (an external reference) matches the knowledge base, they are bound to the operator.
A component that is not a client of a known service gets no attribution at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from souverain.enrich.base import EnrichContext
from souverain.knowledge import KnowledgeBase, Match, Organisation, Service
from souverain.knowledge.index import PurlLookup
from souverain.model import Attribution, Component, Confidence, Evidence, NodeKind, ServiceBinding

NAME = "service"
_PROVIDER_ROLES = ("provider", "supplier", "manufacturer", "publisher")


def _operator_country(kb: KnowledgeBase, org_id: str) -> str | None:
    chain = kb.chain(org_id)
    return chain[-1].country if chain else None


def binding(kb: KnowledgeBase, svc: Service) -> ServiceBinding:
    """The binding to a KB service: operator name and id, the ultimate owner's country,
    qualifications as text."""
    operator = kb.organisation(svc.operator)
    return ServiceBinding(
        name=svc.name,
        operator=operator.name if operator else svc.operator,
        operator_id=svc.operator,
        country=_operator_country(kb, svc.operator),
        qualifications=tuple(str(q) for q in svc.qualifications),
    )


def _client(component: Component, kb: KnowledgeBase) -> Attribution[ServiceBinding] | None:
    if not component.ecosystem or not component.package:
        return None
    m = kb.match_service_detail(component.ecosystem, component.namespace, component.package)
    return None if m is None else _client_binding(kb, m)


def _client_binding(kb: KnowledgeBase, m: Match[Service]) -> Attribution[ServiceBinding]:
    svc = m.target
    operator = kb.organisation(svc.operator)
    conf = Confidence.HIGH if m.namespace or "*" not in m.identifier else Confidence.MEDIUM
    if operator is not None and not operator.checked and conf is Confidence.HIGH:
        conf = Confidence.MEDIUM
    ev = Evidence("knowledge-base", f"purl {m.identifier} is a client of {svc.name}", svc.origin)
    return Attribution("service", binding(kb, svc), conf, (ev,), NAME)


def _provider_org(component: Component, kb: KnowledgeBase) -> Iterator[tuple[Organisation, Evidence]]:
    for party in component.parties:
        if party.role.lower() not in _PROVIDER_ROLES or party.is_person is True:
            continue
        where = f"{party.location}/name" if party.location else "provider"
        if party.name:
            org = kb.match_name(party.name)
            if org is not None:
                yield (
                    org,
                    Evidence("sbom", f"service provider {party.name!r} → {org.name} ({org.origin})", where),
                )
        for url in party.urls:
            org = kb.match_domain(url)
            if org is not None:
                yield org, Evidence("sbom", f"service provider URL {url} → {org.name} ({org.origin})", where)


def _service_node(component: Component, kb: KnowledgeBase) -> Attribution[ServiceBinding] | None:
    for i, ref in enumerate(component.external_refs):
        hit = kb.match_service_domain(ref.url)
        if hit is not None:
            domain, svc = hit
            where = f"{component.location}/endpoints/{i}" if component.location else "endpoints"
            ev = Evidence("sbom", f"endpoint {ref.url}: domain {domain} → {svc.name} ({svc.origin})", where)
            return Attribution("service", binding(kb, svc), Confidence.MEDIUM, (ev,), NAME)
    for org, ev in _provider_org(component, kb):
        operated = [s for s in kb.services.values() if s.operator == org.id]
        value = (
            binding(kb, operated[0])
            if len(operated) == 1
            else ServiceBinding(component.name, org.name, org.id, _operator_country(kb, org.id))
        )
        return Attribution("service", value, Confidence.MEDIUM, (ev,), NAME)
    for i, ref in enumerate(component.external_refs):
        endpoint_org = kb.match_domain(ref.url)
        if endpoint_org is not None:
            org = endpoint_org
            where = f"{component.location}/endpoints/{i}" if component.location else "endpoints"
            ev = Evidence("sbom", f"endpoint {ref.url} → {org.name} ({org.origin})", where)
            value = ServiceBinding(component.name, org.name, org.id, _operator_country(kb, org.id))
            return Attribution("service", value, Confidence.LOW, (ev,), NAME)
    return None


def attribute(component: Component, kb: KnowledgeBase) -> Attribution[ServiceBinding] | None:
    """The service binding of one component, or None when it is not a client of a known service."""
    if component.kind is NodeKind.SERVICE:
        return _service_node(component, kb) or _client(component, kb)
    return _client(component, kb)


class ServiceEnricher:
    """Attributes service bindings (aspect ``service``) from the knowledge base's client patterns
    and CycloneDX service providers/endpoints."""

    name = NAME

    def __init__(self) -> None:
        # id(Match) → (that Match, its attribution). The knowledge base shares one Match per
        # client pattern, and the attribution depends on it alone (its evidence sits in the KB),
        # so the thousands of packages of one SDK share one attribution.
        self._by_match: dict[int, tuple[Match[Service], Attribution[ServiceBinding]]] = {}
        # The service lookups of the last knowledge base asked (one per run in practice).
        self._kb: KnowledgeBase | None = None
        self._lookups: Mapping[str, PurlLookup[Service]] | None = None

    def enrich(self, component: Component, ctx: EnrichContext) -> Iterable[Attribution[Any]]:
        """Zero or one ``service`` attribution."""
        a = self.attribution(component, ctx.kb)
        return () if a is None else (a,)

    def attribution(self, component: Component, kb: KnowledgeBase) -> Attribution[ServiceBinding] | None:
        """The ``service`` attribution of one component, or None (what :meth:`enrich` yields)."""
        if component.kind is NodeKind.SERVICE:
            return attribute(component, kb)
        eco, package = component.ecosystem, component.package
        if not eco or not package:
            return None
        lookups = self._lookups
        if lookups is None or self._kb is not kb:
            lookups = self.lookups(kb)
        m = lookups[eco](component.namespace, package)
        return None if m is None else self.client(m, kb)

    def lookups(self, kb: KnowledgeBase) -> Mapping[str, PurlLookup[Service]]:
        """``kb``'s client lookups by purl type (:meth:`KnowledgeBase.service_lookups`): with
        :meth:`client`, what :meth:`attribution` does for a component that is not a service."""
        self._kb, self._lookups = kb, kb.service_lookups()
        return self._lookups

    def client(self, m: Match[Service], kb: KnowledgeBase) -> Attribution[ServiceBinding]:
        """The attribution of a client of the service ``m`` matched (one per match, shared)."""
        entry = self._by_match.get(id(m))
        if entry is None or entry[0] is not m:
            entry = self._by_match[id(m)] = (m, _client_binding(kb, m))
        return entry[1]
