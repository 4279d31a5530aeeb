"""Pure helpers behind ``souverain kb show`` and ``souverain explain``: look entries up by id,
name, domain or purl, and describe them as lines of text (the CLI prints them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packageurl import PackageURL

if TYPE_CHECKING:
    from souverain.knowledge.index import KnowledgeBase
    from souverain.knowledge.schema import Organisation, Service


def kb_lookup(kb: KnowledgeBase, query: str) -> list[Organisation]:
    """The organisations a query designates: an id, a purl (``pkg:npm/%40azure/core``, matched on
    its type, namespace and name, also through service client patterns), a domain, e-mail or URL,
    or a name/alias. Empty when nothing matches."""
    q = query.strip()
    if not q:
        return []
    org = kb.organisation(q)
    if org is not None:
        return [org]
    if q.startswith("pkg:"):
        try:
            purl = PackageURL.from_string(q)
        except ValueError:
            return []
        found: list[Organisation] = []
        hit = kb.match_package(purl.type, purl.namespace, purl.name)
        if hit is not None:
            found.append(hit[0])
        svc = kb.match_service(purl.type, purl.namespace, purl.name)
        if svc is not None:
            operator = kb.organisation(svc[0].operator)
            if operator is not None and operator not in found:
                found.append(operator)
        return found
    by_name = kb.match_name(q)
    if by_name is not None:
        return [by_name]
    if "." in q and " " not in q:
        by_domain = kb.match_domain(q)
        if by_domain is not None:
            return [by_domain]
    return []


def describe_organisation(kb: KnowledgeBase, org: Organisation) -> list[str]:
    """Lines describing an organisation: identity, ownership chain to the ultimate owner and its
    country, jurisdiction blocs and regimes, identifiers, provenance, services it operates."""
    lines = [f"{org.name} [{org.id}] — {org.kind.value}, {org.country or 'no country'}"]
    if org.aliases:
        lines.append("  aliases: " + ", ".join(org.aliases))
    chain = kb.chain(org.id)
    if len(chain) > 1:
        lines.append("  owned by: " + " → ".join(f"{o.name} [{o.id}]" for o in chain[1:]))
    ultimate = chain[-1] if chain else org
    country = ultimate.country
    if country:
        blocs = kb.blocs_of(country)
        lines.append(
            f"  ultimate owner: {ultimate.name}, {country}"
            + (f" (blocs: {', '.join(blocs)})" if blocs else "")
        )
        lines.extend(f"  regime: {regime} — {regime.summary}" for regime in kb.regimes(country))
    for kind, values in sorted(org.identifiers.items()):
        lines.append(f"  {kind}: {', '.join(values)}")
    operated = [s for s in kb.services.values() if s.operator == org.id]
    lines.extend(f"  operates: {svc.name} [{svc.id}]" for svc in operated)
    lines.append(f"  source: {org.source} (as of {org.as_of}{'' if org.checked else ', NOT checked'})")
    if org.note:
        lines.append(f"  note: {org.note}")
    lines.append(f"  entry: {org.origin}")
    return lines


def describe_service(kb: KnowledgeBase, svc: Service) -> list[str]:
    """Lines describing a service: operator, its ultimate owner's country, client patterns,
    qualifications."""
    operator = kb.organisation(svc.operator)
    chain = kb.chain(svc.operator)
    country = chain[-1].country if chain else None
    lines = [
        f"{svc.name} [{svc.id}] — operated by {operator.name if operator else svc.operator}, {country or '?'}"
    ]
    for kind, values in sorted(svc.clients.items()):
        lines.append(f"  clients {kind}: {', '.join(values)}")
    lines.extend(f"  qualification: {q}" for q in svc.qualifications)
    lines.append(f"  entry: {svc.origin}")
    return lines
