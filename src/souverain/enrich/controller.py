"""Who controls a component's releases, with evidence: :class:`ControllerEnricher`.

Steps, each producing a *candidate* with its confidence and evidence (nothing is ever fetched):

(d) user overrides (``ctx.options["controller_overrides"]``: glob over the purl without version →
    organisation id) — high;
(a) what the SBOM declares: a supplier/manufacturer/publisher ``address.country`` — high, for the
    country only; their names matched to the knowledge base — medium; an author name only when the
    SBOM does not say the author is a person — low (medium when it says organisation);
(b) the purl type/namespace/name matched to the knowledge base — high for a namespace the vendor
    owns (npm scope, Maven groupId, Go module path, reserved NuGet prefix…), medium for a name
    pattern;
(c) repository URLs on GitHub/GitLab (the owning account) — medium; e-mail and web domains of the
    supplier/manufacturer/publisher or the component's website — low;
(e) for a remote service (a CycloneDX ``services`` entry) whose controller the steps above leave
    unknown: the operator the service enricher finds from its endpoints or provider (who runs the
    service is who can withdraw it), with that finding's confidence and evidence.

The candidates are then combined: the strongest wins; two independent medium signals naming the
same owner make a high one; candidates naming a *different* organisation are kept as
``conflicting: …`` evidence and lower the confidence one step when they are not far weaker
(at most one step below the winner). Entries marked ``checked = false`` never give high
confidence. ``Controller.country`` is the country of the ultimate owner (parents followed).

Honesty rules: a person is never a controller's country source except for the country they declare
themselves; an individual's e-mail domain (an author's) is never used; a name is never matched by
substring; an npm scope unknown to the knowledge base gives nothing.
"""

from __future__ import annotations

import fnmatch
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from souverain.enrich.base import EnrichContext, controller_of
from souverain.knowledge import KnowledgeBase, Organisation, host_of
from souverain.knowledge.index import FORGES, Match, forge_owner_at, host_key
from souverain.model import (
    Attribution,
    Component,
    Confidence,
    Controller,
    ControllerKind,
    Evidence,
    ExternalRef,
    NodeKind,
    Party,
    slot_constructor,
)

NAME = "controller"

_ORG_ROLES = ("supplier", "manufacturer", "publisher")
_AUTHOR_ROLES = ("author", "originator")
#: External reference types that point at the project's own site; the host of the others
#: (``distribution`` → a registry or mirror, ``build-system`` → a CI service, ``license`` → the
#: licence steward) says nothing about who controls the component. Forge owners count for all.
_PROJECT_REF_TYPES = frozenset(
    {"vcs", "website", "issue-tracker", "documentation", "mailing-list", "support", "release-notes", "chat"}
)
_STEP_PRIORITY = {"override": 5, "purl": 4, "declared": 3, "forge": 2, "author": 1, "domain": 0}
_LOWER = {
    Confidence.HIGH: Confidence.MEDIUM,
    Confidence.MEDIUM: Confidence.LOW,
    Confidence.LOW: Confidence.LOW,
}
_LOW = Confidence.LOW  # read per component: a module global is read faster than an enum member
_RAISE = {
    Confidence.LOW: Confidence.MEDIUM,
    Confidence.MEDIUM: Confidence.HIGH,
    Confidence.HIGH: Confidence.HIGH,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One step's answer: an organisation of the KB (``org``), or only a declared party
    (``declared_name``/``country``/``person``) when the SBOM states a country for it."""

    step: str
    confidence: Confidence
    evidence: Evidence
    org: Organisation | None = None
    declared_name: str | None = None
    country: str | None = None
    person: bool = False


# Built once or more per component on the hot paths below: through their slots.
_attribution = slot_constructor(Attribution)
_evidence = slot_constructor(Evidence)
_candidate = slot_constructor(Candidate)


def _cap(conf: Confidence, org: Organisation | None) -> Confidence:
    """Unchecked KB entries never give high confidence."""
    if org is not None and not org.checked and conf is Confidence.HIGH:
        return Confidence.MEDIUM
    return conf


def _kb_evidence(detail: str, org: Organisation) -> Evidence:
    return Evidence("knowledge-base", detail, org.origin)


def purl_without_version(component: Component) -> str | None:
    """The component's purl without version, qualifiers and subpath (``pkg:npm/%40azure/core``),
    as matched by controller overrides; None without a parsable purl."""
    text = component.purl
    return _without_version(text) if text else None


def _without_version(text: str) -> str | None:
    """:func:`purl_without_version` of a purl text."""
    if not text.startswith("pkg:"):
        return None
    # A canonical purl percent-encodes '@' inside namespace and name, so the version is whatever
    # follows the '@' of the last path segment (qualifiers and subpath come after it).
    if "#" in text:
        text = text.partition("#")[0]
    if "?" in text:
        text = text.partition("?")[0]
    slash = text.rfind("/")
    if slash < 0:
        return None
    at = text.find("@", slash)
    return text if at < 0 else text[:at]


# --------------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------------


def override_candidates(
    component: Component, kb: KnowledgeBase, overrides: Mapping[str, str]
) -> list[Candidate]:
    """(d) User overrides: the first glob (in the mapping's order) matching the purl without
    version names the organisation."""
    if not overrides:
        return []
    key = purl_without_version(component)
    if key is None:
        return []
    pattern = _first_override(key, overrides)
    return [] if pattern is None else [_override_candidate(pattern, overrides[pattern], kb)]


def _first_override(key: str, overrides: Mapping[str, str]) -> str | None:
    """The first override glob matching a purl without version (``%40`` read as ``@`` too)."""
    keys = {key.lower(), key.lower().replace("%40", "@")}
    for pattern in overrides:
        if any(fnmatch.fnmatchcase(k, pattern.lower()) for k in keys):
            return pattern
    return None


def _override_candidate(pattern: str, org_id: str, kb: KnowledgeBase) -> Candidate:
    org = kb.organisation(org_id)
    if org is None:
        ev = Evidence(
            "override", f"override {pattern} → {org_id}: no such organisation in the knowledge base"
        )
        return Candidate("override", Confidence.LOW, ev)
    ev = Evidence("override", f"override {pattern} → {org.name}", "controller_overrides")
    return Candidate("override", Confidence.HIGH, ev, org)


def purl_candidates(component: Component, kb: KnowledgeBase) -> list[Candidate]:
    """(b) The purl's type, namespace and name matched to the knowledge base."""
    if not component.ecosystem or not component.package:
        return []
    m = kb.match_package_detail(component.ecosystem, component.namespace, component.package)
    return [] if m is None else [_purl_candidate(m)]


def _purl_candidate(m: Match[Organisation]) -> Candidate:
    conf = _cap(Confidence.HIGH if m.namespace else Confidence.MEDIUM, m.target)
    ev = _kb_evidence(f"purl {m.identifier} → {m.target.name}", m.target)
    return Candidate("purl", conf, ev, m.target)


def _party_where(party: Party, field: str) -> str:
    return f"{party.location}/{field}" if party.location else field


def party_candidates(component: Component, kb: KnowledgeBase) -> list[Candidate]:
    """(a) and (c) for the parties the SBOM names: declared countries, names, e-mail/web domains."""
    out: list[Candidate] = []
    for party in component.parties:
        out.extend(_one_party(party, kb))
    return out


def _one_party(party: Party, kb: KnowledgeBase) -> Iterator[Candidate]:
    role = party.role.lower()
    person = party.is_person is True
    if role in _ORG_ROLES:
        yield from _org_party(party, role, person, kb)
    elif role in _AUTHOR_ROLES:
        yield from _author_party(party, role, person, kb)


def _declared_country(
    party: Party, role: str, person: bool, conf: Confidence, kb: KnowledgeBase
) -> Candidate | None:
    if not party.country:
        return None
    who = f"{role} {party.name!r}" if party.name else role
    where = _party_where(party, "address/country")
    code = party.country.strip().upper()
    if not kb.is_country(code):
        detail = f"SBOM declares {who} country {party.country!r}: not an ISO 3166-1 alpha-2 code, not used"
        return Candidate("note", Confidence.LOW, Evidence("sbom", detail, where))
    kind = "a person" if person else "the party"
    ev = Evidence("sbom", f"SBOM declares {who} country {code} (stated by {kind})", where)
    return Candidate("declared", conf, ev, None, party.name, code, person)


def _org_party(party: Party, role: str, person: bool, kb: KnowledgeBase) -> Iterator[Candidate]:
    declared = _declared_country(party, role, person, Confidence.MEDIUM if person else Confidence.HIGH, kb)
    if declared is not None:
        yield declared
    if person:
        return  # a person's name or e-mail domain says nothing about who controls the component
    if party.name:
        org = kb.match_name(party.name)
        if org is not None:
            ev = Evidence(
                "sbom", f"{role} name {party.name!r} → {org.name} ({org.origin})", _party_where(party, "name")
            )
            yield Candidate("declared", _cap(Confidence.MEDIUM, org), ev, org)
    for text in party.urls:
        yield from _url_candidates(text, f"{role} address", _party_where(party, "url"), kb)
    for text in party.emails:
        yield from _url_candidates(text, f"{role} address", _party_where(party, "email"), kb)


def _author_party(party: Party, role: str, person: bool, kb: KnowledgeBase) -> Iterator[Candidate]:
    declared = _declared_country(party, role, person, Confidence.LOW, kb)
    if declared is not None:
        yield declared
    if party.emails:
        ev = Evidence(
            "sbom",
            f"{role} e-mail {', '.join(party.emails)} not used: "
            "an individual's address says nothing about control",
            _party_where(party, "email"),
        )
        yield Candidate("note", Confidence.LOW, ev)
    if person or not party.name:
        return
    org = kb.match_name(party.name)
    if org is not None:
        conf = Confidence.MEDIUM if party.is_person is False else Confidence.LOW
        ev = Evidence(
            "sbom", f"{role} name {party.name!r} → {org.name} ({org.origin})", _party_where(party, "name")
        )
        yield Candidate("author", conf, ev, org)


def _url_candidates(
    text: str, what: str, where: str, kb: KnowledgeBase, *, domains: bool = True
) -> Iterator[Candidate]:
    return _url_candidates_at(text, host_of(text), what, where, kb, domains=domains)


def _url_candidates_at(
    text: str, host: str | None, what: str, where: str, kb: KnowledgeBase, *, domains: bool = True
) -> Iterator[Candidate]:
    """:func:`_url_candidates` with ``host = host_of(text)`` read once by the caller (it serves
    the forge lookup, the domain lookup and the "unknown" evidence)."""
    forge = forge_owner_at(text, host)
    if forge is not None:
        org = kb.match_forge(*forge)
        if org is not None:
            ev = Evidence(
                "sbom",
                f"{what} {text} is a repository of {forge[0]}/{forge[1]} → {org.name} ({org.origin})",
                where,
            )
            yield Candidate("forge", _cap(Confidence.MEDIUM, org), ev, org)
        return
    hit = kb.match_host_detail(host) if domains and host else None
    if hit is not None:
        domain, org = hit
        ev = Evidence("sbom", f"{what} {text}: domain {domain} → {org.name} ({org.origin})", where)
        yield Candidate("domain", Confidence.LOW, ev, org)


def reference_candidates(component: Component, kb: KnowledgeBase) -> list[Candidate]:
    """(c) External references of the component: repository owner on a forge (medium), web
    domain (low)."""
    out: list[Candidate] = []
    for i, ref in enumerate(component.external_refs):
        own_site = ref.type.lower() in _PROJECT_REF_TYPES
        out.extend(
            _url_candidates(ref.url, f"{ref.type} reference", _ref_where(component, i), kb, domains=own_site)
        )
    return out


def _ref_where(component: Component, i: int) -> str:
    return f"{component.location}/externalReferences/{i}" if component.location else "externalReferences"


# --------------------------------------------------------------------------------------------
# Combining
# --------------------------------------------------------------------------------------------


def _rank(c: Candidate) -> tuple[int, int]:
    return (c.confidence.rank, _STEP_PRIORITY.get(c.step, 0))


def _owner_ids(kb: KnowledgeBase, org: Organisation) -> frozenset[str]:
    return _owner_ids_of(kb, org.id)


# The two functions below depend only on the (immutable) knowledge base and an organisation id:
# memoised, they cost one dict probe instead of a walk up the ownership chain per component.
@functools.lru_cache(maxsize=4096)
def _owner_ids_of(kb: KnowledgeBase, org_id: str) -> frozenset[str]:
    return frozenset(o.id for o in kb.chain(org_id))


def _related(kb: KnowledgeBase, a: Organisation, b: Organisation) -> bool:
    """Same organisation, or one owns the other (GitHub and Microsoft agree)."""
    return a.id == b.id or a.id in _owner_ids(kb, b) or b.id in _owner_ids(kb, a)


def _controller(kb: KnowledgeBase, org: Organisation) -> Controller:
    return _controller_and_note(kb, org)[0]


def _controller_and_note(kb: KnowledgeBase, org: Organisation) -> tuple[Controller, Evidence | None]:
    """The controller value for an organisation and, when it has an owner, the ownership note."""
    if kb.organisation(org.id) is org:
        return _controller_of(kb, org.id)
    value = _build_controller(kb, org)  # an entry of another knowledge base: not memoised
    return value, _ownership(value, org)


@functools.lru_cache(maxsize=4096)
def _controller_of(kb: KnowledgeBase, org_id: str) -> tuple[Controller, Evidence | None]:
    org = kb.organisations[org_id]
    value = _build_controller(kb, org)
    return value, _ownership(value, org)


def _build_controller(kb: KnowledgeBase, org: Organisation) -> Controller:
    return controller_of(kb, org)


def combine(
    component: Component, kb: KnowledgeBase, candidates: Sequence[Candidate]
) -> Attribution[Controller]:
    """Pick the strongest candidate, confirm or contest it with the others, build the attribution."""
    return _combine(component, kb, candidates, None)


def _combine(
    component: Component, kb: KnowledgeBase, candidates: Sequence[Candidate], hosts: Sequence[str] | None
) -> Attribution[Controller]:
    # The two commonest cases first, without the list building of the general rule below:
    # nothing was found, or exactly one organisation was (which then wins on its own evidence).
    if not candidates:
        return _unknown(component, candidates, _hosts(component) if hosts is None else hosts)
    if len(candidates) == 1 and candidates[0].org is not None:
        return _single(kb, candidates[0], candidates[0].org)
    with_org = [c for c in candidates if c.org is not None]
    declared = [c for c in candidates if c.org is None and c.country]
    notes = tuple(c.evidence for c in candidates if c.org is None and not c.country)
    if not with_org and not declared:
        return _unknown(component, candidates, _hosts(component) if hosts is None else hosts)
    best_declared = max(declared, key=_rank) if declared else None
    best = max(with_org, key=_rank) if with_org else None
    if best is None or (
        best_declared is not None
        and best.step != "override"
        and best_declared.confidence.rank > best.confidence.rank
    ):
        # What the SBOM states about the party beats a weaker guess from the knowledge base.
        found = _declared_only(component, declared)
        weaker = tuple(
            Evidence(c.evidence.source, f"weaker, not used: {c.evidence.detail}", c.evidence.location)
            for c in with_org
        )
        return Attribution(found.aspect, found.value, found.confidence, found.evidence + weaker + notes, NAME)
    assert best.org is not None
    conf = best.confidence
    evidence: list[Evidence] = [best.evidence]
    agreeing = [c for c in with_org if c is not best and c.org is not None and _related(kb, c.org, best.org)]
    evidence.extend(c.evidence for c in agreeing)
    if best.step != "override":
        steps = {c.step for c in agreeing if c.confidence.rank >= Confidence.MEDIUM.rank}
        if conf is Confidence.MEDIUM and steps - {best.step}:
            conf = _cap(_RAISE[conf], best.org)
            evidence.append(Evidence("knowledge-base", "independent medium signals agree: confidence raised"))
    conflicting = [c for c in with_org if c.org is not None and not _related(kb, c.org, best.org)]
    lowered = False
    for c in conflicting:
        assert c.org is not None
        evidence.append(Evidence(c.evidence.source, f"conflicting: {c.evidence.detail}", c.evidence.location))
        if best.step != "override" and c.confidence.rank >= best.confidence.rank - 1 and not lowered:
            conf, lowered = _LOWER[conf], True
    value, owned_by = _controller_and_note(kb, best.org)
    for c in declared:
        if value.country is None:
            note = f"{c.evidence.detail}; not used: the knowledge base entry {best.org.name} has no country"
        elif c.country == value.country:
            note = f"{c.evidence.detail}; agrees with the ultimate owner's country"
        else:
            note = f"{c.evidence.detail}; the ultimate owner {value.ultimate} is in {value.country}"
        evidence.append(Evidence(c.evidence.source, note, c.evidence.location))
    if owned_by is not None:
        evidence.append(owned_by)
    return Attribution("controller", value, conf, (*evidence, *notes), NAME)


def _ownership(value: Controller, org: Organisation) -> Evidence | None:
    """The note saying whose country is used when the controller has an ultimate owner."""
    if not value.ultimate_id or value.ultimate_id == value.org_id:
        return None
    return Evidence(
        "knowledge-base",
        f"owned by {' → '.join(value.chain[1:])}; "
        f"country {value.country or 'unknown'} is the ultimate owner's",
        org.origin,
    )


def _single(kb: KnowledgeBase, only: Candidate, org: Organisation) -> Attribution[Controller]:
    """:func:`combine` for a single candidate naming an organisation: nothing agrees, conflicts
    or is declared, so it wins with its own confidence and evidence (plus the ownership note)."""
    value, owned_by = _controller_and_note(kb, org)
    if owned_by is not None:
        return _attribution("controller", value, only.confidence, (only.evidence, owned_by), NAME)
    return _attribution("controller", value, only.confidence, (only.evidence,), NAME)


def _declared_only(component: Component, declared: Sequence[Candidate]) -> Attribution[Controller]:
    best = max(declared, key=_rank)
    kind = ControllerKind.INDIVIDUAL if best.person else ControllerKind.UNKNOWN
    value = Controller(name=best.declared_name, kind=kind, country=best.country)
    evidence = [
        best.evidence,
        Evidence(
            "knowledge-base", f"{best.declared_name or 'the declared party'} is not in the knowledge base"
        ),
    ]
    evidence.extend(
        Evidence(c.evidence.source, f"conflicting: {c.evidence.detail}", c.evidence.location)
        for c in declared
        if c is not best and c.country != best.country
    )
    return Attribution("controller", value, best.confidence, tuple(evidence), NAME)


def unknown(component: Component, candidates: Sequence[Candidate] = ()) -> Attribution[Controller]:
    """The answer when nothing matched: value None, confidence low, evidence listing what was
    looked at."""
    return _unknown(component, candidates, _hosts(component))


def _hosts(component: Component) -> list[str]:
    """The distinct hosts of the component's external references, sorted."""
    return sorted({h for r in component.external_refs if (h := host_of(r.url))})


def _unknown(
    component: Component, candidates: Sequence[Candidate], hosts: Sequence[str]
) -> Attribution[Controller]:
    parties = component.parties
    head, tail = _looked_parts(sorted({p.role for p in parties}) if parties else (), hosts)
    looked = _evidence("knowledge-base", head + _what(component) + tail, component.location)
    if not candidates:
        return _attribution("controller", None, Confidence.LOW, (looked,), NAME)
    return _attribution("controller", None, Confidence.LOW, (looked, *(c.evidence for c in candidates)), NAME)


def _looked_parts(roles: Sequence[str], hosts: Sequence[str]) -> tuple[str, str]:
    """The "what was looked at" sentence of an unknown controller around its purl part
    (:func:`_what`): ``"<parties>; "`` and ``"; <domains>"``, from the sorted distinct party roles
    and reference hosts."""
    who = (
        f"parties: {', '.join(roles)} (none known)"
        if roles
        else "no supplier, manufacturer, publisher or author"
    )
    where = f"no known domain or repository owner among {', '.join(hosts)}" if hosts else "no known domain"
    return f"{who}; ", f"; {where}"


def _what(component: Component) -> str:
    """The purl part of the "what was looked at" sentence of an unknown controller."""
    purl = component.purl
    return f"{_WHAT_PURL}{_without_version(purl) or purl}" if purl else _WHAT_NONE


_WHAT_PURL, _WHAT_NONE = "no known namespace or name for ", "no purl"


#: The sentence around the purl part for a component without parties and references.
_BARE_HEAD, _BARE_TAIL = _looked_parts((), ())


def attribute(
    component: Component, kb: KnowledgeBase, overrides: Mapping[str, str] | None = None
) -> Attribution[Controller]:
    """Run every step on one component and combine them (pure; the enricher's body)."""
    return Attributor(kb, overrides).attribute(component)


def service_operator(
    component: Component, kb: KnowledgeBase, found: Attribution[Controller]
) -> Attribution[Controller]:
    """Step (e): a remote service (``component.kind`` is SERVICE) that the other steps leave
    without a controller (``found``) is controlled by its operator, when the service enricher
    finds one in the knowledge base (an endpoint's domain, the provider): who runs the service
    is who can withdraw it. The attribution has that finding's confidence and evidence, and
    says why. Anything else: ``found`` as it is."""
    from souverain.enrich.service import attribute as service_of  # the service enricher's rule

    if found.value is not None or component.kind is not NodeKind.SERVICE:
        return found
    svc = service_of(component, kb)
    operator_id = svc.value.operator_id if svc is not None and svc.value is not None else None
    org = kb.organisations.get(operator_id) if operator_id else None
    if svc is None or org is None:
        return found
    value, owned_by = _controller_of(kb, org.id)
    why = Evidence(
        "knowledge-base", f"a remote service is controlled by its operator: {org.name}", org.origin
    )
    evidence = (*svc.evidence, why) if owned_by is None else (*svc.evidence, why, owned_by)
    return _attribution("controller", value, svc.confidence, evidence, NAME)


#: Beyond this many distinct keys a memo table is emptied (a long-lived enricher must not grow
#: without bound; one SBOM of 300k components stays far below).
_MEMO_LIMIT = 1 << 20
_NO_OVERRIDES: Mapping[str, str] = MappingProxyType({})


def _anchored(c: Candidate, location: str) -> Candidate:
    """A copy of a memoised candidate whose evidence sits at ``location`` in this SBOM."""
    ev = c.evidence
    return _candidate(
        c.step,
        c.confidence,
        _evidence(ev.source, ev.detail, location),
        c.org,
        c.declared_name,
        c.country,
        c.person,
    )


class _Plan:
    """How to build the controller attribution of every component with one signature (see
    :class:`Attributor`): the value and confidence, the evidence items in order, and, for an
    unknown controller, the "what was looked at" sentence around the component's purl part.

    An item is either an Evidence shared as it is (it names the knowledge base, or nothing of the
    component), or ``(source, detail, anchor, field)`` for an evidence that sits in the component:
    ``anchor`` ≥ 0 is the index of a party (location ``<party location>/<field>``), < 0 names the
    external reference ``-1 - anchor`` (``<component location>/externalReferences/<i>``).
    ``shared`` is the whole attribution when no item sits in the component."""

    __slots__ = ("anchored", "confidence", "head", "items", "looked", "no_purl", "shared", "tail", "value")

    def __init__(
        self,
        value: Controller | None,
        confidence: Confidence,
        items: tuple[Evidence | tuple[str, str, int, str], ...],
        looked: tuple[str, str] | None,
    ) -> None:
        self.value = value
        self.confidence = confidence
        self.items = items
        self.looked = looked
        self.shared: Attribution[Controller] | None = None
        if looked is None and all(type(it) is Evidence for it in items):
            self.shared = _attribution("controller", value, confidence, items, NAME)
        # The "what was looked at" sentence with _what() inlined: up to the purl, after it, and
        # the whole sentence for a component without purl ("" when the controller is known).
        self.head = self.tail = self.no_purl = ""
        if looked is not None:
            self.head, self.tail = looked[0] + _WHAT_PURL, looked[1]
            self.no_purl = looked[0] + _WHAT_NONE + looked[1]
        # The items ready to build: (the Evidence shared as it is, or None; then for an evidence
        # in the component: source, detail, anchor, the location after the party's ("/<field>")
        # or the component's ("/externalReferences/<i>"), and the one without it).
        self.anchored: tuple[tuple[Evidence | None, str, str, int, str, str], ...] = tuple(
            (it, "", "", 0, "", "")
            if isinstance(it, Evidence)
            else (None, it[0], it[1], it[2], f"/{it[3]}", it[3])
            if it[2] >= 0
            else (None, it[0], it[1], it[2], f"/externalReferences/{-1 - it[2]}", "externalReferences")
            for it in items
        )

    def build(self, component: Component) -> Attribution[Controller]:
        """The attribution of ``component`` (one with this plan's signature)."""
        if self.shared is not None:
            return self.shared
        location = component.location
        if self.head:  # unknown: the "what was looked at" evidence first
            purl = component.purl
            if purl:
                # _without_version(purl) or purl, inlined: it runs for every unknown controller.
                text = purl
                if "#" in text:
                    text = text.partition("#")[0]
                if "?" in text:
                    text = text.partition("?")[0]
                slash = text.rfind("/")
                if slash < 0 or not text.startswith("pkg:"):
                    text = purl
                else:
                    at = text.find("@", slash)
                    if at >= 0:
                        text = text[:at]
                detail = f"{self.head}{text}{self.tail}"
            else:
                detail = self.no_purl
            if not self.items:  # nothing found: the commonest
                return _attribution(
                    "controller", None, _LOW, (_evidence("knowledge-base", detail, location),), NAME
                )
            evidence = [_evidence("knowledge-base", detail, location)]
        else:
            evidence = []
        parties = component.parties
        for shared, source, detail, anchor, after, bare in self.anchored:
            if shared is not None:
                evidence.append(shared)
                continue
            prefix = parties[anchor].location if anchor >= 0 else location
            evidence.append(_evidence(source, detail, prefix + after if prefix else bare))
        return _attribution("controller", self.value, self.confidence, tuple(evidence), NAME)


#: The attribution of a component without parties or references when the purl says nothing.
_BARE = _Plan(None, Confidence.LOW, (), (_BARE_HEAD, _BARE_TAIL))


class _SeenOnce:
    """Plan table entry of a signature seen once: that component and its attribution by the
    general rule (the plan built when the signature comes again is checked against them)."""

    __slots__ = ("attribution", "component")

    def __init__(self, component: Component, attribution: Attribution[Controller]) -> None:
        self.component = component
        self.attribution = attribution


#: Plan table marker of a signature whose plan could not reproduce the attribution (never
#: planned: computed for each component).
_UNPLANNED: Any = object()

#: A purl step answer: the Match, its candidates (one), its token, and the attribution when
#: the purl speaks alone (it depends on that knowledge base entry only: shared).
_PurlEntry = tuple[Match[Organisation], tuple[Candidate, ...], int, Attribution[Controller]]
#: A party's answer: its candidates (evidence at ``<field>``, the party's location prefixed when
#: anchored) and its token (its role when it gives no candidate).
_PartyEntry = tuple[tuple[Candidate, ...], int | str]
#: An external reference's answer: its candidates (evidence without location), its host and its
#: token (its host when it gives no candidate).
_RefEntry = tuple[tuple[Candidate, ...], str | None, int | str | None]
#: A reference whose answer depends on its URL (see Attributor._reference_host).
_PER_URL: Any = object()
#: What a party's answer depends on (the memo key of Attributor._party), read in C.
_party_key = operator.attrgetter("role", "name", "emails", "urls", "country", "is_person")


class Attributor:
    """:func:`attribute` for many components with one knowledge base and one override table.

    Every step depends on a few fields of the component, and the knowledge base answer for them
    does not depend on where the component sits in the SBOM; so each step's candidates are
    memoised per location-free key: the purl step per knowledge-base match (the index shares one
    Match per entry), the override step per purl without version, a party per (role, name,
    e-mails, URLs, country, person flag), an external reference per (type, URL), or per (type,
    ``host_key``) when the URL cannot matter (neither a forge nor a known domain of the
    project's own site: most references).

    The attribution itself depends on those memoised answers, on where the component and its
    parties sit, and (when unknown) on its purl; so it is memoised too:

    - without parties and references, a purl match gives one shared attribution per match;
      nothing at all gives the "unknown" one, whose sentence names the purl; the same shared
      attribution when parties and references find nothing beside a purl match;
    - otherwise through a :class:`_Plan` per *signature*: the purl and override answers, each
      party's answer (its role alone when it gives no candidate: the role is all the "unknown"
      sentence reads of it), each reference's answer (its host alone when it gives none). The
      plan is built the second time a signature is seen (most signatures of a large SBOM are
      shared by many components, some by one only), from the general rule run on candidates
      whose evidence locations are placeholders, then checked: it must rebuild the attribution
      of the first component seen with it exactly, or the signature is never planned. When
      nothing in the attribution depends on the component, the plan holds one shared
      attribution.

    Results are identical to running the steps afresh.
    """

    __slots__ = (
        "_by_host",
        "_by_match",
        "_by_party",
        "_by_pattern",
        "_by_pwv",
        "_by_ref_host",
        "_by_url",
        "_lookups",
        "_plans",
        "_snapshot",
        "_tokens",
        "kb",
        "overrides",
    )

    def __init__(self, kb: KnowledgeBase, overrides: Mapping[str, str] | None = None) -> None:
        self.kb = kb
        self.overrides: Mapping[str, str] = overrides or _NO_OVERRIDES
        self._snapshot = dict(self.overrides)  # to notice a table changed in place
        self._lookups = kb.package_lookups()
        # Memoised answers carry a token: a number never reused, naming them in signatures.
        self._tokens = itertools.count()
        self._by_match: dict[int, _PurlEntry] = {}
        self._by_pwv: dict[str | None, tuple[tuple[Candidate, ...], int]] = {}
        self._by_pattern: dict[str, tuple[tuple[Candidate, ...], int]] = {}
        self._by_party: dict[tuple[object, ...], _PartyEntry] = {}
        self._by_url: dict[tuple[str, str], _RefEntry] = {}
        self._by_ref_host: dict[tuple[str, str], _RefEntry] = {}
        self._by_host: dict[str, tuple[str | None, tuple[str, Organisation] | None]] = {}
        self._plans: dict[tuple[object, ...], Any] = {}

    def serves(self, kb: KnowledgeBase, overrides: Mapping[str, str]) -> bool:
        """True when this attributor answers for ``kb`` and ``overrides`` (same table, unchanged)."""
        if kb is not self.kb:
            return False
        if not overrides:  # the common case: no table, nothing to compare
            return self.overrides is _NO_OVERRIDES
        return overrides is self.overrides and overrides == self._snapshot

    def attribute(self, component: Component) -> Attribution[Controller]:
        """The controller attribution of one component, as :func:`attribute` defines it."""
        eco = component.ecosystem
        package = component.package
        m = self._lookups[eco](component.namespace, package) if eco and package else None
        return self.attribute_match(component, m)

    def attribute_match(self, component: Component, m: Match[Organisation] | None) -> Attribution[Controller]:
        """:meth:`attribute` for a component whose purl the caller looked up: ``m`` must be
        ``kb.package_lookups()[ecosystem](namespace, package)`` (None without both), as the
        enrichment's joint lookup (:meth:`KnowledgeBase.package_and_service_lookups`) gives it."""
        if component.kind is NodeKind.SERVICE:
            return service_operator(component, self.kb, self._attribute_match(component, m))
        return self._attribute_match(component, m)

    def _attribute_match(
        self, component: Component, m: Match[Organisation] | None
    ) -> Attribution[Controller]:
        """Steps (a) to (d) (see the module's docstring) for a component whose purl was looked up."""
        entry: _PurlEntry | None = None
        if m is not None:
            # The index shares one Match per entry; the entry keeps it, so its id cannot be
            # reused by another object while the entry lives (no identity check needed).
            entry = self._by_match.get(id(m))
            if entry is None:
                entry = self._purl_entry(m)
        if self.overrides:
            return self._overridden(component, entry)
        if component.parties or component.external_refs:
            if entry is None:
                return self._planned(component, (), None)
            return self._planned(component, entry[1], entry[2], entry[3])
        if entry is not None:
            return entry[3]
        # Nothing at all: the "unknown" sentence names the purl only.
        return _BARE.build(component)

    def loop_parts(
        self,
    ) -> tuple[
        dict[int, _PurlEntry],
        Callable[[Match[Organisation]], _PurlEntry],
        Callable[..., Attribution[Controller]],
        Callable[[Component], Attribution[Controller]],
    ]:
        """What :meth:`attribute_match` reads without an override table, for the enrichment
        loop that inlines it: the purl entries by id of their Match, the maker of one, the
        planned path (component, candidates, token[, attribution alone]) and the bare unknown."""
        return self._by_match, self._purl_entry, self._planned, _BARE.build

    def _purl_entry(self, m: Match[Organisation]) -> _PurlEntry:
        if len(self._by_match) >= _MEMO_LIMIT:
            self._by_match.clear()
        candidate = _purl_candidate(m)
        assert candidate.org is not None
        entry = (m, (candidate,), next(self._tokens), _single(self.kb, candidate, candidate.org))
        self._by_match[id(m)] = entry
        return entry

    def _overridden(self, component: Component, entry: _PurlEntry | None) -> Attribution[Controller]:
        """:meth:`attribute` with an override table: the override candidate, if any, comes first."""
        fixed: tuple[Candidate, ...] = () if entry is None else entry[1]
        token: object = None if entry is None else entry[2]
        pwv = purl_without_version(component)
        hit = self._by_pwv.get(pwv)
        if hit is None:
            pattern = None if pwv is None else _first_override(pwv, self.overrides)
            if pattern is None:
                hit = ((), -1)
            else:
                hit = self._by_pattern.get(pattern)
                if hit is None:
                    candidate = _override_candidate(pattern, self.overrides[pattern], self.kb)
                    hit = self._by_pattern[pattern] = ((candidate,), next(self._tokens))
            if len(self._by_pwv) >= _MEMO_LIMIT:
                self._by_pwv.clear()
            self._by_pwv[pwv] = hit
        if hit[0]:
            fixed, token = hit[0] + fixed, (hit[1], token)
        if component.parties or component.external_refs:
            return self._planned(
                component, fixed, token, entry[3] if not hit[0] and entry is not None else None
            )
        if not fixed:
            return _BARE.build(component)
        if not hit[0] and entry is not None:
            return entry[3]
        return _combine(component, self.kb, fixed, ())

    def _planned(
        self,
        component: Component,
        fixed: tuple[Candidate, ...],
        token: object,
        alone: Attribution[Controller] | None = None,
    ) -> Attribution[Controller]:
        """The attribution of a component with parties or references, through its plan.

        ``alone`` is the attribution of ``fixed`` on its own (one purl candidate: its shared
        attribution), returned when no party and no reference finds anything: then the general
        rule sees that candidate alone (about a third of a large SBOM: no plan needed)."""
        parties = component.parties
        refs = component.external_refs
        memo = self._by_party
        sig: tuple[object, ...]
        if not refs and len(parties) == 1:  # the commonest shape: the loops below, unrolled
            party = parties[0]
            hit = memo.get(_party_key(party)) or self._party(party, _party_key(party))
            if not hit[0] and alone is not None:
                return alone
            sig = (token, 1, hit[1])
        else:
            signature: list[object] = [token, len(parties)]
            found = False
            for party in parties:
                hit = memo.get(_party_key(party)) or self._party(party, _party_key(party))
                if hit[0]:
                    found = True
                signature.append(hit[1])
            by_host = self._by_ref_host
            for ref in refs:
                rhit = by_host.get((ref.type, host_key(ref.url)))  # see _ref_entry
                if rhit is None or rhit is _PER_URL:
                    rhit = self._ref_entry(ref)
                if rhit[0]:
                    found = True
                signature.append(rhit[2])
            if not found and alone is not None:
                return alone
            sig = tuple(signature)
        plan = self._plans.get(sig)
        if type(plan) is _Plan:
            return plan.build(component)
        return self._unplanned(component, fixed, sig, plan)

    def _ref_entry(self, ref: ExternalRef) -> _RefEntry:
        """The answer of one external reference (memoised: see :meth:`_reference_host`)."""
        # Most references find nothing: their answer depends on their type and host only.
        rkey = (ref.type, host_key(ref.url))
        hit = self._by_ref_host.get(rkey)
        if hit is None:
            hit = self._reference_host(rkey)
        return self._reference(ref) if hit is _PER_URL else hit

    def _unplanned(
        self, component: Component, fixed: tuple[Candidate, ...], sig: tuple[object, ...], plan: object
    ) -> Attribution[Controller]:
        """:meth:`_planned` for a signature without a plan yet: the general rule the first time
        (the component and its attribution are kept), the plan the second time, checked on the
        first component: it must rebuild its attribution exactly (the plan depends on the
        signature only, so the first component checks it as well as the second would, without
        running the general rule again). The parties' and references' answers are read again
        from their memos (they gave ``sig``)."""
        memo = self._by_party
        party_entries = [memo.get(_party_key(p)) or self._party(p, _party_key(p)) for p in component.parties]
        ref_entries = [self._ref_entry(ref) for ref in component.external_refs]
        if type(plan) is _SeenOnce:
            built = self._plan(component, fixed, party_entries, ref_entries)
            if built is not None and built.build(plan.component) == plan.attribution:
                self._plans[sig] = built
                return built.build(component)
            self._plans[sig] = _UNPLANNED
        direct = self._direct(component, fixed, party_entries, ref_entries)
        if plan is None:
            if len(self._plans) >= _MEMO_LIMIT:
                self._plans.clear()
            self._plans[sig] = _SeenOnce(component, direct)
        return direct

    def _party(self, party: Party, key: tuple[object, ...]) -> _PartyEntry:
        memo = self._by_party
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        found = tuple(_one_party(replace(party, location=""), self.kb))
        hit = memo[key] = (found, next(self._tokens) if found else party.role)
        return hit

    def _host(self, hkey: str) -> tuple[str | None, tuple[str, Organisation] | None]:
        """The host of the URLs of ``host_key`` ``hkey`` and its knowledge-base domain, memoised:
        most URLs of an SBOM are distinct, their hosts are few."""
        host_hit = self._by_host.get(hkey)
        if host_hit is None:
            if len(self._by_host) >= _MEMO_LIMIT:
                self._by_host.clear()
            host = host_of(hkey)
            host_hit = self._by_host[hkey] = (host, self.kb.match_host_detail(host) if host else None)
        return host_hit

    def _reference_host(self, key: tuple[str, str]) -> _RefEntry:
        """The answer shared by the references of one type and ``host_key`` (``key``), or
        ``_PER_URL`` when it depends on the URL: a forge's (its owner is in the path), a
        ``git@`` one (no ``://``: the key is the whole URL), a known domain of the project's own
        site (the evidence names the URL). The others find nothing, as :meth:`_reference` says;
        whether a URL starts with ``git@`` (spaces stripped) is read on its key: it holds
        ``://``, so it is at least as long as those four characters."""
        memo = self._by_ref_host
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        ref_type, hkey = key
        host, domain = self._host(hkey)
        own_site = ref_type.lower() in _PROJECT_REF_TYPES
        if host in FORGES or hkey.lstrip().startswith("git@") or (own_site and domain is not None):
            hit: _RefEntry = _PER_URL
        else:
            hit = ((), host, host)
        memo[key] = hit
        return hit

    def _reference(self, ref: ExternalRef) -> _RefEntry:
        """The answer of one external reference, memoised per (type, URL)."""
        key = (ref.type, ref.url)
        memo = self._by_url
        hit = memo.get(key)
        if hit is not None:
            return hit
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        url = ref.url
        host, domain = self._host(host_key(url))
        own_site = ref.type.lower() in _PROJECT_REF_TYPES
        if host in FORGES or url.lstrip().startswith("git@") or (own_site and domain is not None):
            what = f"{ref.type} reference"
            found = tuple(_url_candidates_at(url, host, what, "", self.kb, domains=own_site))
        else:  # neither a forge (see forge_owner_at) nor a known domain of the project's own site
            found = ()
        hit = memo[key] = (found, host, next(self._tokens) if found else host)
        return hit

    def _direct(
        self,
        component: Component,
        fixed: tuple[Candidate, ...],
        parties: Sequence[_PartyEntry],
        refs: Sequence[_RefEntry],
    ) -> Attribution[Controller]:
        """The attribution by the general rule, each memoised candidate anchored to this component.

        Fresh candidates even without a location: combine() tells candidates apart by identity,
        and two equal parties must stay two candidates."""
        candidates = list(fixed)
        for party, (found, _) in zip(component.parties, parties, strict=True):
            prefix = party.location
            candidates.extend(
                _anchored(c, f"{prefix}/{c.evidence.location}" if prefix else c.evidence.location)
                for c in found
            )
        for i, (found, _, _) in enumerate(refs):
            if found:
                where = _ref_where(component, i)
                candidates.extend(_anchored(c, where) for c in found)
        return _combine(component, self.kb, candidates, _sorted_hosts(refs))

    def _plan(
        self,
        component: Component,
        fixed: tuple[Candidate, ...],
        parties: Sequence[_PartyEntry],
        refs: Sequence[_RefEntry],
    ) -> _Plan | None:
        """The plan of this component's signature: the general rule run on candidates whose
        evidence sits at placeholders (fresh strings, recognised by identity: combine() copies
        the location of a candidate's evidence into every evidence it derives from it)."""
        candidates = list(fixed)
        anchors: dict[int, tuple[str, int, str]] = {}  # id(placeholder) → (placeholder, anchor, field)

        def place(c: Candidate, anchor: int, field: str) -> Candidate:
            placeholder = f"\x00{len(anchors)}\x00"
            anchors[id(placeholder)] = (placeholder, anchor, field)
            return _anchored(c, placeholder)

        for p, (found, _) in enumerate(parties):
            candidates.extend(place(c, p, c.evidence.location) for c in found)
        for i, (found, _, _) in enumerate(refs):
            candidates.extend(place(c, -1 - i, "") for c in found)
        result = _combine(component, self.kb, candidates, _sorted_hosts(refs))
        evidence = result.evidence
        looked = None
        if result.value is None:  # unknown: "what was looked at", then every candidate's evidence
            roles = sorted({p.role for p in component.parties})
            looked = _looked_parts(roles, _sorted_hosts(refs))
            evidence = evidence[1:]
        items: list[Evidence | tuple[str, str, int, str]] = []
        for e in evidence:
            hit = anchors.get(id(e.location))
            if hit is not None and hit[0] is e.location:
                items.append((e.source, e.detail, hit[1], hit[2]))
            elif "\x00" in e.location or "\x00" in e.detail:
                return None  # a placeholder copied into a text: not a plan
            else:
                items.append(e)
        return _Plan(result.value, result.confidence, tuple(items), looked)


def _sorted_hosts(refs: Sequence[_RefEntry]) -> list[str]:
    """The distinct hosts of the external references, sorted (as :func:`_hosts`)."""
    return sorted({host for _, host, _ in refs if host})


class ControllerEnricher:
    """Attributes the controlling organisation (aspect ``controller``) from the SBOM's declarations,
    the purl and the domains, matched against the knowledge base."""

    name = NAME

    def __init__(self) -> None:
        self._attributor: Attributor | None = None

    def enrich(self, component: Component, ctx: EnrichContext) -> Iterable[Attribution[Any]]:
        """One ``controller`` attribution per component (value None when unknown)."""
        return (self.attributor(ctx).attribute(component),)

    def attributor(self, ctx: EnrichContext) -> Attributor:
        """The attributor for ``ctx``'s knowledge base and overrides, kept while they stay the same
        (its memos then serve every component of a run)."""
        overrides = ctx.options.get("controller_overrides") or _NO_OVERRIDES
        attributor = self._attributor
        if attributor is None or not attributor.serves(ctx.kb, overrides):
            attributor = self._attributor = Attributor(ctx.kb, overrides)
        return attributor


# --------------------------------------------------------------------------------------------
# CLI support: explain, coverage, component lookup
# --------------------------------------------------------------------------------------------


def find_component(components: Iterable[Component], key: str) -> Component | None:
    """The component whose ref, purl (with or without version) or written purl is ``key``."""
    key = key.strip()
    for c in components:
        if key in (c.ref, c.purl, c.purl_text) or (c.purl and purl_without_version(c) == key):
            return c
    return None


def explain(component: Component, ctx: EnrichContext) -> list[str]:
    """Every piece of evidence for one component (controller and service), as lines of text."""
    from souverain.enrich.jurisdiction import classify, regimes_for
    from souverain.enrich.service import ServiceEnricher

    lines = [f"{component.name} {component.version or ''}".rstrip() + f" [{component.ref}]"]
    if component.purl:
        lines.append(f"  purl: {component.purl}")
    ctl = attribute(component, ctx.kb, ctx.options.get("controller_overrides") or {})
    v = ctl.value
    if v is None:
        lines.append(f"  controller: unknown ({ctl.confidence.value})")
    else:
        owner = f", ultimate owner {v.ultimate}" if v.ultimate and v.ultimate != v.name else ""
        lines.append(
            f"  controller: {v.name} ({v.kind.value}){owner}, "
            f"country {v.country or 'unknown'} [{ctl.confidence.value}]"
        )
        lines.append(f"  jurisdiction: {classify(v.country, ctx.policy, ctx.kb).value}")
        lines.extend(f"  regime: {r}" for r in regimes_for(v.country, ctx.kb))
    lines.extend(
        f"    - [{e.source}] {e.detail}" + (f" @ {e.location}" if e.location else "") for e in ctl.evidence
    )
    for svc in ServiceEnricher().enrich(component, ctx):
        b = svc.value
        if b is not None:
            lines.append(
                f"  service: {b.name} operated by {b.operator} "
                f"({b.country or 'unknown'}) [{svc.confidence.value}]"
            )
            lines.extend(
                f"    - [{e.source}] {e.detail}" + (f" @ {e.location}" if e.location else "")
                for e in svc.evidence
            )
    return lines


def coverage(components: Iterable[Component], ctx: EnrichContext) -> dict[str, int]:
    """How many components get a controller at each confidence (``high``, ``medium``, ``low``)
    and how many stay ``unknown``; also ``total``."""
    counts = {"high": 0, "medium": 0, "low": 0, "unknown": 0, "total": 0}
    attributor = Attributor(ctx.kb, ctx.options.get("controller_overrides") or {})
    for c in components:
        a = attributor.attribute(c)
        counts["total"] += 1
        counts["unknown" if a.value is None else a.confidence.value] += 1
    return counts
