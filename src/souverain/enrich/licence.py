"""The licence enricher: licence and openness from the SBOM's own licence fields.

Each component yields exactly one ``license`` attribution whose value is a
:class:`~souverain.model.LicenseVerdict` (openness ``unknown`` when the SBOM says nothing). The
normalisation itself lives in :mod:`souverain.knowledge.licences` and is memoised per distinct
tuple of declared licences, so 100 000 components sharing 2 000 licence strings cost 2 000
resolutions; this module only anchors the evidence to the component's place in the SBOM.
"""

from __future__ import annotations

from souverain.enrich.base import EnrichContext
from souverain.knowledge.licences import LicenceIndex, default_index
from souverain.model import Attribution, Component, Evidence, LicenseVerdict, slot_constructor

__all__ = ["LicenceEnricher"]

_SPDX_FIELDS = frozenset(
    {"licenseDeclared", "licenseConcluded", "PackageLicenseDeclared", "PackageLicenseConcluded"}
)


def _suffix(field: str) -> str:
    """Where a licence field sits in the SBOM, relative to the component's location:
    ``/licenseConcluded`` for SPDX (``/packages/3/licenseConcluded``), ``/licenses`` for
    CycloneDX (``/components/4/licenses``; field names such as ``license.name`` are kept in the
    evidence sentence), ``""`` when the evidence names no field (it sits at the component)."""
    if not field:
        return ""
    return f"/{field}" if field in _SPDX_FIELDS else "/licenses"


# One attribution and one or two evidence items per component: built through their slots.
_attribution = slot_constructor(Attribution)
_evidence = slot_constructor(Evidence)

#: How each evidence of a memoised verdict is placed in the SBOM: None keeps the evidence as
#: it is (knowledge-base evidence), else the suffix appended to the component's location.
_Plan = tuple[tuple[Evidence, str | None], ...]


def _plan(evidence: tuple[Evidence, ...]) -> _Plan:
    return tuple((e, None if e.source != "sbom" else _suffix(e.location)) for e in evidence)


class LicenceEnricher:
    """Enricher ``licence``: one ``license`` attribution per component from its declared
    licences. ``index`` defaults to the shared :func:`~souverain.knowledge.licences.default_index`."""

    name = "licence"

    def __init__(self, index: LicenceIndex | None = None) -> None:
        self._index = index
        # id(evidence tuple) → (that tuple, its plan). The index memoises one evidence tuple per
        # distinct declaration, so a few hundred plans serve 100k components; the tuple is kept
        # in the entry so that its id cannot be reused by another object while the entry lives.
        self._plans: dict[int, tuple[tuple[Evidence, ...], _Plan]] = {}

    def enrich(self, component: Component, ctx: EnrichContext) -> tuple[Attribution[LicenseVerdict]]:
        """The component's licence attribution (never nothing: unknown is an answer)."""
        index = self._index if self._index is not None else default_index()
        # A Debian package's licences come from its copyright file (DEP-5 short names).
        verdict, confidence, evidence = index.normalise(component.licenses, component.ecosystem == "deb")
        base = component.location
        if base:
            entry = self._plans.get(id(evidence))
            if entry is None or entry[0] is not evidence:
                if len(self._plans) >= 65536:  # an index that does not memoise: stay bounded
                    self._plans.clear()
                entry = self._plans[id(evidence)] = (evidence, _plan(evidence))
            evidence = tuple(
                [
                    e if suffix is None else _evidence("sbom", e.detail, base + suffix)
                    for e, suffix in entry[1]
                ]
            )
        # else: without a location every anchored evidence would equal the index's own (a component
        # without a location keeps the bare field names), so the memoised tuple is shared.
        return (_attribution("license", verdict, confidence, evidence, self.name),)
