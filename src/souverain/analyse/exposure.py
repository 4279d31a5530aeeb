"""Per-component classification (what kind of risk each component carries), the exposure
groups built from it, concentration (Herfindahl index) and the score."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import count
from operator import attrgetter
from typing import NamedTuple, Protocol

from souverain.model import (
    Assessment,
    Confidence,
    ControllerKind,
    Evidence,
    Jurisdiction,
    Openness,
    Policy,
)


class BlocExpander(Protocol):
    """The only knowledge-base service the analysis uses: bloc names → country codes."""

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """Country codes of the given codes and blocs (codes pass through)."""
        ...


class Profile(NamedTuple):
    """What the analysis needs to know about one component, derived from its assessment.

    A named tuple rather than a frozen dataclass: as immutable, and built ~6× faster (a frozen
    dataclass sets each of its 15 fields through ``object.__setattr__``; 0.25 s at 100k).
    """

    openness: Openness
    jurisdiction: Jurisdiction
    country: str | None
    controller: str | None  # ultimate controller name
    controller_kind: ControllerKind
    controller_confidence: Confidence
    service: str | None  # service name when service-bound
    service_operator: str | None
    service_country: str | None
    service_jurisdiction: Jurisdiction | None  # None when not service-bound
    assessment: Assessment | None
    non_open: bool  # proprietary or source-available
    service_risk: bool  # bound to a service operated from a foreign or unknown jurisdiction
    controller_unknown: bool  # nobody, or no country, known to control it
    at_risk: bool  # not open, service-bound abroad, or not auditable

    @property
    def evidence(self) -> tuple[str, ...]:
        """The attributions' evidence as strings (computed on demand: only findings need it)."""
        return evidence_strings(self.assessment) if self.assessment is not None else ()


_NON_OPEN = frozenset({Openness.PROPRIETARY, Openness.SOURCE_AVAILABLE})
_RISKY = frozenset({Jurisdiction.FOREIGN, Jurisdiction.UNKNOWN})
_UNKNOWN = Profile(
    Openness.UNKNOWN, Jurisdiction.UNKNOWN, None, None, ControllerKind.UNKNOWN, Confidence.LOW,
    None, None, None, None, None, non_open=False, service_risk=False, controller_unknown=True, at_risk=True,
)


def evidence_strings(a: Assessment) -> tuple[str, ...]:
    """Every evidence of the assessment's attributions, as ``aspect: detail (location)``."""
    out: list[str] = []
    attributions: list[tuple[str, tuple[Evidence, ...]]] = [
        (a.license.aspect, a.license.evidence),
        (a.controller.aspect, a.controller.evidence),
    ]
    if a.service is not None:
        attributions.append((a.service.aspect, a.service.evidence))
    for aspect, evidence in attributions:
        for e in evidence:
            text = f"{aspect}: {e.detail}"
            if e.location:
                text += f" ({e.location})"
            out.append(text)
    return tuple(dict.fromkeys(out))


def country_jurisdictions(assessments: Iterable[Assessment]) -> dict[str, Jurisdiction]:
    """Country → jurisdiction class as the enrichers decided it (first known class wins)."""
    out: dict[str, Jurisdiction] = {}
    for a in assessments:
        c = a.controller.value
        if c is not None and c.country and a.jurisdiction is not Jurisdiction.UNKNOWN:
            out.setdefault(c.country, a.jurisdiction)
    return out


def classify_country(
    country: str | None,
    policy: Policy,
    *,
    kb: BlocExpander | None = None,
    known: Mapping[str, Jurisdiction] | None = None,
) -> Jurisdiction:
    """The class of a country under the policy: the codes as written, then the knowledge base's
    bloc expansion, then what the enrichers decided for controllers of the same country."""
    if not country:
        return Jurisdiction.UNKNOWN
    if country in policy.home:
        return Jurisdiction.HOME
    if country in policy.trusted:
        return Jurisdiction.TRUSTED
    if kb is not None:
        if country in kb.expand(policy.home):
            return Jurisdiction.HOME
        if country in kb.expand(policy.trusted):
            return Jurisdiction.TRUSTED
        return Jurisdiction.FOREIGN
    if known is not None and country in known:
        return known[country]
    return Jurisdiction.UNKNOWN


def profile(
    a: Assessment | None,
    policy: Policy,
    *,
    kb: BlocExpander | None = None,
    known: Mapping[str, Jurisdiction] | None = None,
) -> Profile:
    """The risk profile of one component (an absent assessment means everything unknown)."""
    if a is None:
        return _UNKNOWN
    lic = a.license.value
    ctl = a.controller.value
    svc = a.service.value if a.service is not None else None
    svc_jur: Jurisdiction | None = None
    if svc is not None:
        if ctl is not None and svc.country is not None and svc.country == ctl.country:
            svc_jur = a.jurisdiction
        else:
            svc_jur = classify_country(svc.country, policy, kb=kb, known=known)
    openness = lic.openness if lic is not None else Openness.UNKNOWN
    jurisdiction = a.jurisdiction
    service_risk = svc_jur in _RISKY
    # A community project (no company in control, e.g. Netty, Pallets, the Debian Project) has
    # no seat by nature: under an open licence nobody can withdraw it, so its missing country is
    # no gap. Under a proprietary or source-available licence, whoever holds the rights matters
    # and the unknown country is reported. Under an unknown licence the question is the licence
    # (SOV005 asks it): "who publishes it?" is answered already.
    unknown = jurisdiction is Jurisdiction.UNKNOWN and (
        ctl is None or ctl.kind is not ControllerKind.COMMUNITY or openness in _NON_OPEN
    )
    if ctl is None:
        return Profile(
            openness, jurisdiction, None, None, ControllerKind.UNKNOWN, a.controller.confidence,
            svc.name if svc is not None else None, svc.operator if svc is not None else None,
            svc.country if svc is not None else None, svc_jur, a,
            non_open=openness in _NON_OPEN, service_risk=service_risk, controller_unknown=unknown,
            at_risk=True,
        )
    return Profile(
        openness,
        jurisdiction,
        ctl.country,
        ctl.ultimate or ctl.name,
        ctl.kind,
        a.controller.confidence,
        svc.name if svc is not None else None,
        svc.operator if svc is not None else None,
        svc.country if svc is not None else None,
        svc_jur,
        a,
        non_open=openness in _NON_OPEN,
        service_risk=service_risk,
        controller_unknown=unknown,
        at_risk=openness is not Openness.OPEN or service_risk or unknown,
    )


_KIND_KEY = (
    attrgetter("license.value"),
    attrgetter("controller.value"),
    attrgetter("controller.confidence"),
    attrgetter("service"),
    attrgetter("jurisdiction"),
)


def profile_kinds(
    found: Sequence[Assessment | None],
    policy: Policy,
    *,
    kb: BlocExpander | None = None,
    known: Mapping[str, Jurisdiction] | None = None,
) -> tuple[list[int], list[Profile]]:
    """The profiles of many components at once: component ``i`` (of assessment ``found[i]``)
    has the profile ``profiles[kinds[i]]``, but for its ``assessment`` (one of the kind's).

    A profile only depends on the licence verdict, controller, controller confidence, service
    binding and jurisdiction of the assessment, and the enrichers share these objects between
    components (a few thousand distinct at 100k components): components whose assessments hold
    the same objects are of one kind, whose profile is computed once. Kinds are numbered in the
    order of their first component, so counting by kind gives the counts of a pass over the
    components, in the same order.
    """
    keys: list[tuple[int, ...] | None]
    if all(found):  # no missing assessment: the keys are built in C
        keys = list(zip(*[map(id, map(get, found)) for get in _KIND_KEY], strict=True))
    else:
        keys = [None if a is None else tuple(id(get(a)) for get in _KIND_KEY) for a in found]
    # Each key hashed once (a tuple's hash is not cached): setdefault gives every component the
    # position of the first component of its key; kinds are numbered by those positions.
    first: dict[tuple[int, ...] | None, int] = {}
    firsts = list(map(first.setdefault, keys, count()))
    kind_at = [0] * len(keys)
    profiles: list[Profile] = []
    for i, at in enumerate(first.values()):
        kind_at[at] = i
        profiles.append(profile(found[at], policy, kb=kb, known=known))
    return list(map(kind_at.__getitem__, firsts)), profiles


GROUPS = (
    "foreign",
    "proprietary",
    "source-available",
    "unknown-licence",
    "unknown-controller",
    "service-bound",
    "foreign-non-open",
    "foreign-open",
)


def group_names(p: Profile) -> list[str]:
    """The groups a component of profile ``p`` is a member of: of ``GROUPS``, ``country:CC``
    and ``controller:NAME`` (in that order)."""
    names: list[str] = []
    if p.jurisdiction is Jurisdiction.FOREIGN:
        names.append("foreign")
        if p.non_open:
            names.append("foreign-non-open")
        elif p.openness is Openness.OPEN:
            names.append("foreign-open")
    if p.openness is Openness.PROPRIETARY:
        names.append("proprietary")
    elif p.openness is Openness.SOURCE_AVAILABLE:
        names.append("source-available")
    elif p.openness is Openness.UNKNOWN:
        names.append("unknown-licence")
    if p.controller_unknown:
        names.append("unknown-controller")
    if p.service_risk:
        names.append("service-bound")
    if p.country:
        names.append(f"country:{p.country}")
    if p.controller and p.controller_kind is not ControllerKind.UNKNOWN:
        names.append(f"controller:{p.controller}")
    return names


def group_members(profiles: Mapping[str, Profile]) -> dict[str, list[str]]:
    """Members of the named groups (``GROUPS``), of ``country:CC`` and ``controller:NAME``."""
    groups: dict[str, list[str]] = {g: [] for g in GROUPS}
    for ref, p in profiles.items():
        for g in group_names(p):
            groups.setdefault(g, []).append(ref)
    return groups


def herfindahl(exposures: Mapping[str, float]) -> float:
    """Herfindahl–Hirschman index of the exposures normalised to sum 1: 1.0 when one group
    holds everything, 1/n for n equal groups, 0.0 when there is nothing."""
    total = sum(v for v in exposures.values() if v > 0)
    if total <= 0:
        return 0.0
    return round(sum((v / total) ** 2 for v in exposures.values() if v > 0), 4)


SCORE_WEIGHTS: Mapping[str, float] = {
    "foreign-non-open": 25.0,
    "service-bound": 15.0,
    # a proprietary grant binds us even to a vendor at home: it weighs more than foreign but open
    "proprietary": 20.0,
    "source-available": 5.0,
    "unknown-licence": 15.0,
    "unknown-controller": 10.0,
    "foreign": 10.0,
}
"""Points lost per group at exposure 1.0 (they sum to 100; see docs/risk-model.md)."""


def score(exposure_groups: Mapping[str, float]) -> int:
    """0–100: 100 minus the weighted exposures of ``SCORE_WEIGHTS``."""
    penalty = sum(w * min(1.0, max(0.0, exposure_groups.get(g, 0.0))) for g, w in SCORE_WEIGHTS.items())
    return max(0, min(100, round(100 - penalty)))


def fraction(count: int, total: int) -> float:
    """``count / total`` rounded to 4 decimals (0.0 when ``total`` is 0)."""
    return round(count / total, 4) if total else 0.0


def non_root(refs: Collection[str], root: str) -> list[str]:
    """``refs`` without the root."""
    return [r for r in refs if r != root]
