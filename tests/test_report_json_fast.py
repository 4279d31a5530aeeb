"""The JSON report's fast paths against plain computations.

- ``components[]`` entries are built with memoised, shared parts (per licence verdict,
  controller attribution, metrics record, service attribution, regimes tuple): they must equal
  entries built one component at a time, from the contract, whatever is shared or missing.
- ``render_bytes`` serialises without orjson's OPT_SORT_KEYS because :func:`to_document` builds
  every dict with its keys in sorted order: the bytes must equal those of :func:`dumps`.
- ``render_bytes`` builds and serialises the entries a chunk of components at a time and puts
  the bytes together: they must equal those of :func:`dumps` of the whole plain document.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.model import (
    Assessment,
    Attribution,
    AuditResult,
    Component,
    ComponentMetrics,
    Confidence,
    Controller,
    ControllerKind,
    Evidence,
    Jurisdiction,
    LicenseVerdict,
    Openness,
    ServiceBinding,
)
from souverain.pipeline import audit
from souverain.report import json as json_report
from souverain.report.base import RenderOptions
from souverain.report.json import REPORTER, _dumps_sorted, dumps, to_document

from tests.conftest import fixture_path
from tests.factories import make_component
from tests.report_data import make_result, without_findings

# --------------------------------------------------------------------------------------------
# The careful path: one component at a time, straight from the contract
# --------------------------------------------------------------------------------------------


def _block(value: dict[str, Any], a: Attribution[Any] | None, missing: str) -> dict[str, Any]:
    ev = a.evidence if a is not None else ()
    return {
        **value,
        "confidence": a.confidence if a is not None and a.value is not None else "low",
        "evidence": [e.detail for e in ev] if ev else [missing],
        "evidence_items": [{"detail": e.detail, "location": e.location, "source": e.source} for e in ev],
    }


def _license(a: Attribution[Any] | None) -> dict[str, Any]:
    v = a.value if a is not None else None
    value = {
        "declared": list(v.declared) if v else [],
        "expression": v.expression if v else None,
        "openness": v.openness if v else "unknown",
        "category": v.category if v else None,
        "chosen": v.chosen if v else None,
        "unresolved": list(v.unresolved) if v else [],
    }
    return _block(value, a, "no licence information was found")


def _controller(a: Attribution[Any] | None) -> dict[str, Any]:
    v = a.value if a is not None else None
    value = {
        "name": v.name if v else None,
        "kind": v.kind if v else "unknown",
        "country": v.country if v else None,
        "ultimate": v.ultimate if v else None,
        "chain": list(v.chain) if v else [],
    }
    return _block(value, a, "no controlling organisation could be identified")


def _service(a: Attribution[Any] | None) -> dict[str, Any] | None:
    if a is None or a.value is None:
        return None
    return {
        "name": a.value.name,
        "operator": a.value.operator,
        "country": a.value.country,
        "qualifications": list(a.value.qualifications),
        "confidence": a.confidence,
        "evidence": [e.detail for e in a.evidence] or ["no evidence recorded"],
    }


def _conflict(a: Attribution[Any]) -> dict[str, Any]:
    shown = getattr(a.value, "name", None) or getattr(a.value, "expression", None) or str(a.value)
    return {
        "aspect": a.aspect,
        "source": a.source,
        "value": shown,
        "confidence": a.confidence,
        "evidence": [e.detail for e in a.evidence],
    }


def reference_entry(c: Component, a: Assessment | None, m: ComponentMetrics | None) -> dict[str, Any]:
    """A ``components[]`` entry built from scratch."""
    return {
        "ref": c.ref,
        "name": c.name,
        "version": c.version,
        "group": c.group,
        "purl": c.purl,
        "ecosystem": c.ecosystem,
        "type": c.type,
        "kind": c.kind,
        "line": c.line,
        "depth": m.depth if m else None,
        "direct": m.direct if m else False,
        "reach": m.reach if m else None,
        "share": m.share if m else None,
        "dominated": m.dominated if m else None,
        "license": _license(a.license if a else None),
        "controller": _controller(a.controller if a else None),
        "jurisdiction": a.jurisdiction if a else "unknown",
        "regimes": list(a.regimes) if a else [],
        "service": _service(a.service) if a else None,
        "conflicts": [_conflict(x) for x in a.conflicts] if a else [],
    }


def _keys_sorted(obj: Any, path: str = "") -> None:
    if isinstance(obj, dict):
        assert list(obj) == sorted(obj), f"keys of {path or '/'} are not in sorted order"
        for k, v in obj.items():
            _keys_sorted(v, f"{path}/{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _keys_sorted(v, f"{path}/{i}")


def check(result: AuditResult) -> None:
    """The fast paths of the JSON report give what the careful ones give."""
    for reproducible in (True, False):
        options = RenderOptions(reproducible=reproducible)
        doc = to_document(result, options)
        expected = [
            reference_entry(c, result.assessments.get(c.ref), result.metrics.get(c.ref))
            for c in result.components
        ]
        assert doc["components"] == expected
        _keys_sorted(doc)
        sorted_by_orjson = dumps(doc)
        assert _dumps_sorted(doc) == sorted_by_orjson
        assert REPORTER.render_bytes(result, options) == sorted_by_orjson


# --------------------------------------------------------------------------------------------
# Real results
# --------------------------------------------------------------------------------------------


def test_reference_results() -> None:
    check(make_result())
    check(without_findings())


@pytest.mark.parametrize(
    "name",
    [
        "cdx-1.4_saasbom-apigateway-services.json",  # services
        "cdx-1.6_juice-shop_npm-bare.json",
        "cdx-1.2_keycloak-10.0.2_maven.json",
        "spdx-2.2_fluentd-container_trivy.spdx.json",
    ],
)
def test_audited_fixtures(name: str) -> None:
    check(audit(fixture_path(name), reproducible=True).result)


# --------------------------------------------------------------------------------------------
# Random results: shared and missing assessments, attributions and metrics
# --------------------------------------------------------------------------------------------

_CONF = list(Confidence)


def _evidence(rng: random.Random, n: int) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(rng.choice(["sbom", "knowledge-base", "policy"]), f"detail {rng.randrange(5)} é→", f"/c/{i}")
        for i in range(n)
    )


def _attribution(rng: random.Random, aspect: str, values: list[Any]) -> Attribution[Any]:
    value = rng.choice(values)
    return Attribution(
        aspect, value, rng.choice(_CONF), _evidence(rng, rng.choice([0, 1, 1, 1, 2, 3])), "test"
    )


def _random_result(seed: int) -> AuditResult:
    rng = random.Random(seed)
    verdicts: list[Any] = [
        None,
        LicenseVerdict(("MIT",), "MIT", Openness.OPEN, "Permissive"),
        LicenseVerdict(("GPL-2.0 OR MIT",), "GPL-2.0-only OR MIT", Openness.OPEN, "Copyleft", "MIT"),
        LicenseVerdict(("Foo", "Bar"), None, Openness.UNKNOWN, None, None, ("Foo", "Bar")),
    ]
    controllers: list[Any] = [
        None,
        Controller(
            "Acme", ControllerKind.COMPANY, "acme", "US", "Acme Holding", "acme-h", ("acme", "acme-h")
        ),
        Controller("Gnome Foundation", ControllerKind.FOUNDATION, None, "FR"),
    ]
    services: list[Any] = [None, ServiceBinding("Cloud", "Op", "op", "DE", ("SecNumCloud",))]
    regimes = [(), ("US CLOUD Act (2018)", "US FISA section 702 (2008)")]
    # pools: a pick from a pool is shared by several components (as the enrichers memoise)
    lic_pool = [_attribution(rng, "license", verdicts) for _ in range(4)]
    ctl_pool = [_attribution(rng, "controller", controllers) for _ in range(4)]
    svc_pool = [_attribution(rng, "service", services) for _ in range(2)]

    def assessment(ref: str) -> Assessment:
        lic = rng.choice(lic_pool) if rng.random() < 0.5 else _attribution(rng, "license", verdicts)
        ctl = rng.choice(ctl_pool) if rng.random() < 0.5 else _attribution(rng, "controller", controllers)
        svc = rng.choice([None, None, rng.choice(svc_pool), _attribution(rng, "service", services)])
        conflicts = tuple(rng.choice([lic, ctl]) for _ in range(rng.choice([0, 0, 0, 1, 2])))
        return Assessment(ref, lic, ctl, svc, rng.choice(list(Jurisdiction)), rng.choice(regimes), conflicts)

    metrics_pool = [
        ComponentMetrics(
            reach=rng.randrange(9), share=rng.random(), dominated=rng.randrange(3), depth=1, direct=True
        )
        for _ in range(3)
    ] + [ComponentMetrics(None, None, None, None, False)]
    comps = tuple(
        make_component(f"c{i}", group=rng.choice([None, "org.example"]), version=rng.choice([None, "1.0"]))
        for i in range(rng.randrange(0, 40))
    )
    ass_pool = [assessment(f"shared{i}") for i in range(3)]
    assessments: dict[str, Assessment] = {}
    metrics: dict[str, ComponentMetrics] = {}
    for c in comps:
        pick = rng.random()
        if pick < 0.2:
            continue  # no assessment: every value unknown
        assessments[c.ref] = rng.choice(ass_pool) if pick < 0.4 else assessment(c.ref)
        if rng.random() < 0.8:
            metrics[c.ref] = (
                rng.choice(metrics_pool) if rng.random() < 0.5 else replace(rng.choice(metrics_pool))
            )
    return replace(make_result(), components=comps, assessments=assessments, metrics=metrics)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_random_results(seed: int) -> None:
    check(_random_result(seed))


# --------------------------------------------------------------------------------------------
# render_bytes serialises the entries a chunk of components at a time
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_chunks(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chunk size gives the bytes of the whole document dumped at once (checked by
    ``check`` against orjson sorting a plain document), the last chunk full or not."""
    monkeypatch.setattr(json_report, "_CHUNK", chunk)
    check(make_result())
    check(audit(fixture_path("cdx-1.6_juice-shop_npm-bare.json"), reproducible=True).result)
    for seed in range(12):
        check(_random_result(seed))


def test_no_components() -> None:
    check(replace(make_result(), components=(), assessments={}, metrics={}))


def test_nul_in_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The components go where the dump of the rest has its one raw NUL byte: a NUL in a
    string (escaped by orjson) does not move them."""
    monkeypatch.setattr(json_report, "_CHUNK", 2)
    r = make_result()
    comps = tuple(replace(c, name=f"{c.name}\x00") for c in r.components)
    r = replace(r, components=comps, sbom=replace(r.sbom, name="a\x00b"), warnings=("\x00",))
    check(r)
    assert b"\x00" not in REPORTER.render_bytes(r, RenderOptions(reproducible=True))


def test_unexpected_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk's dump not laid out as expected: render_bytes takes the careful path."""
    monkeypatch.setattr(json_report, "_CHUNK", 2)
    monkeypatch.setattr(json_report, "_CHUNK_HEAD", b'{\n    "components": [')
    check(make_result())
