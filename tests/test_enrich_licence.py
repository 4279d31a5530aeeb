"""The licence enricher on real SBOMs (read with souverain.sbom.load_sbom) and at scale."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest

from souverain.enrich.base import EnrichContext, Enricher
from souverain.enrich.licence import LicenceEnricher
from souverain.knowledge import KnowledgeBase, load_default
from souverain.knowledge.licences import default_index
from souverain.model import Component, Confidence, DeclaredLicense, LicenseVerdict, Openness, ParsedSbom
from souverain.sbom import load_sbom

_FIXTURES = (Path(__file__).parent / "fixtures" / "sboms", Path("/work/shared/corpus/public"))


def fixture_path(name: str) -> Path:
    """tests/fixtures/sboms/<name> first, then the shared public corpus."""
    for d in _FIXTURES:
        if (d / name).is_file():
            return d / name
    raise FileNotFoundError(name)


@functools.cache
def _kb() -> KnowledgeBase:
    return load_default()


def _ctx() -> EnrichContext:
    return EnrichContext(kb=_kb())


@functools.cache
def _sbom(name: str) -> ParsedSbom:
    try:
        return load_sbom(fixture_path(name))
    except FileNotFoundError:
        pytest.skip(f"{name} not available")


def _verdicts(name: str) -> dict[str, tuple[LicenseVerdict, Confidence, tuple[str, ...]]]:
    enricher = LicenceEnricher()
    out = {}
    for c in _sbom(name).components:
        attrs = list(enricher.enrich(c, _ctx()))
        assert len(attrs) == 1
        a = attrs[0]
        assert a.aspect == "license"
        assert a.source == "licence"
        assert a.value is not None
        assert a.evidence
        out[c.ref] = (a.value, a.confidence, tuple(e.location for e in a.evidence))
    return out


def test_is_an_enricher() -> None:
    assert isinstance(LicenceEnricher(), Enricher)
    assert LicenceEnricher.name == "licence"


def test_black_duck_st_licences_are_proprietary() -> None:
    sbom = _sbom("cdx-1.5_blackduck-hub-sample.json")
    verdicts = _verdicts("cdx-1.5_blackduck-hub-sample.json")
    st = [c for c in sbom.components if any("SLA0044" in d.value for d in c.licenses)]
    assert len(st) >= 40
    for c in st:
        verdict, confidence, locations = verdicts[c.ref]
        assert verdict.openness == Openness.PROPRIETARY
        assert "LicenseRef-souverain-st-sla0044" in (verdict.expression or "")
        assert confidence == Confidence.HIGH
        assert any(loc.startswith(c.location) for loc in locations if loc and c.location)


def test_keycloak_openness_counts() -> None:
    verdicts = _verdicts("cdx-1.2_keycloak-10.0.2_maven.json")
    counts = Counter(v.openness for v, _, _ in verdicts.values())
    # a Maven build of an Apache-licensed server: overwhelmingly open, nothing proprietary
    assert counts[Openness.OPEN] > 0.8 * len(verdicts)
    assert counts[Openness.PROPRIETARY] == 0
    # components without any licence stay unknown, never open
    sbom = _sbom("cdx-1.2_keycloak-10.0.2_maven.json")
    for c in sbom.components:
        if not c.licenses:
            assert verdicts[c.ref][0].openness == Openness.UNKNOWN


def test_spdx_noassertion_concluded_falls_back_to_declared() -> None:
    """tern's photon SBOM: licenseConcluded NOASSERTION, licenseDeclared a LicenseRef."""
    name = "spdx-2.2_photon_tern.spdx.json"
    sbom = _sbom(name)
    verdicts = _verdicts(name)
    cases = [
        c
        for c in sbom.components
        if {d.field: d.value for d in c.licenses}.get("licenseConcluded") == "NOASSERTION"
        and {d.field: d.value for d in c.licenses}.get("licenseDeclared") not in (None, "NOASSERTION", "NONE")
    ]
    assert len(cases) >= 30
    for c in cases:
        declared = next(d for d in c.licenses if d.field == "licenseDeclared")
        verdict, _, locations = verdicts[c.ref]
        alone, _, _ = default_index().normalise([declared])
        assert verdict.expression == alone.expression
        assert verdict.openness == alone.openness
        assert any(loc.endswith("/licenseDeclared") for loc in locations)


def test_trivy_comma_lists_and_noassertion() -> None:
    verdicts = _verdicts("spdx-2.2_fluentd-container_trivy.spdx.json")
    sbom = _sbom("spdx-2.2_fluentd-container_trivy.spdx.json")
    by_value = {c.ref: {d.value for d in c.licenses} for c in sbom.components}
    seen_list = False
    for ref, (verdict, _, _) in verdicts.items():
        values = by_value[ref]
        if values == {"LGPL-2.1, GPL-2.0, GPL-3.0"}:
            seen_list = True
            assert verdict.expression == "LGPL-2.1-only AND GPL-2.0-only AND GPL-3.0-only"
            assert verdict.openness == Openness.OPEN
        if values and values <= {"NOASSERTION", "NONE"}:
            assert verdict.openness == Openness.UNKNOWN
    assert seen_list


def test_memoised_per_declared_tuple_on_many_components() -> None:
    """100 000 components over 2 000 distinct licence strings: one resolution per distinct
    tuple (the verdict objects are shared), unknown strings stay unknown."""
    enricher = LicenceEnricher()
    ctx = _ctx()
    names = [f"Vendor {i} Licence" if i % 2 else f"MIT AND Vendor{i}-Terms" for i in range(2000)]
    verdicts: dict[str, LicenseVerdict] = {}
    for n in range(100_000):
        text = names[n % 2000]
        c = Component(
            ref=f"c{n}", name="x", licenses=(DeclaredLicense("name", text),), location=f"/components/{n}"
        )
        attr = next(iter(enricher.enrich(c, ctx)))
        assert attr.value is not None
        first = verdicts.setdefault(text, attr.value)
        assert attr.value is first
    assert all(v.openness == Openness.UNKNOWN for v in verdicts.values())
    assert len(verdicts) == 2000


def test_component_without_licence() -> None:
    c = Component(ref="r", name="x", location="/components/0")
    attr = next(iter(LicenceEnricher().enrich(c, _ctx())))
    assert attr.value == LicenseVerdict((), None, Openness.UNKNOWN)
    assert attr.confidence == Confidence.LOW
    assert attr.evidence[0].location == "/components/0"
