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
from souverain.model import Attribution, Component, Evidence, LicenseVerdict

__all__ = ["LicenceEnricher"]

_SPDX_FIELDS = frozenset(
    {"licenseDeclared", "licenseConcluded", "PackageLicenseDeclared", "PackageLicenseConcluded"}
)


def _sbom_location(component: Component, field: str) -> str:
    """Where a licence field sits in the SBOM: ``/packages/3/licenseConcluded`` for SPDX,
    ``/components/4/licenses`` for CycloneDX (field names such as ``license.name`` are kept in
    the evidence sentence)."""
    base = component.location
    if not base:
        return field
    if field in _SPDX_FIELDS:
        return f"{base}/{field}"
    return f"{base}/licenses"


class LicenceEnricher:
    """Enricher ``licence``: one ``license`` attribution per component from its declared
    licences. ``index`` defaults to the shared :func:`~souverain.knowledge.licences.default_index`."""

    name = "licence"

    def __init__(self, index: LicenceIndex | None = None) -> None:
        self._index = index

    def enrich(self, component: Component, ctx: EnrichContext) -> tuple[Attribution[LicenseVerdict]]:
        """The component's licence attribution (never nothing: unknown is an answer)."""
        index = self._index if self._index is not None else default_index()
        verdict, confidence, evidence = index.normalise(component.licenses)
        if component.location:
            evidence = tuple(
                e if e.source != "sbom" else self._anchor(component, e)  # KB evidence is shared as is
                for e in evidence
            )
        # else: without a location every anchored evidence would equal the index's own (see
        # _sbom_location), so the memoised tuple is shared.
        return (Attribution("license", verdict, confidence, evidence, self.name),)

    @staticmethod
    def _anchor(component: Component, evidence: Evidence) -> Evidence:
        if evidence.source != "sbom":
            return evidence  # knowledge-base evidence already names its table entry
        location = _sbom_location(component, evidence.location) if evidence.location else component.location
        return Evidence(evidence.source, evidence.detail, location)
