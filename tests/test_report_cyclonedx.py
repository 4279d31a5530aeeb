"""The enriched CycloneDX output: valid CycloneDX 1.6, built from the parsed model whatever the
input format, with souverain's conclusions as ``souverain:`` properties."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from souverain.model import Component, DeclaredLicense, Hash, Party, SbomFormat
from souverain.sbom import load_sbom

from tests.conftest import fixture_path
from tests.report_data import HOSTILE_NAME, assert_snapshot, make_result, render, result_from_sbom


def _valid(text: str) -> dict[str, Any]:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, str(error)
    doc: dict[str, Any] = json.loads(text)
    return doc


def _props(component: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in component.get("properties", [])}


def test_valid_cyclonedx_1_6_with_souverain_properties() -> None:
    doc = _valid(render("cyclonedx"))
    assert doc["specVersion"] == "1.6"
    comps = {c["bom-ref"]: c for c in doc["components"]}
    assert len(comps) == 15
    assert doc["metadata"]["component"]["bom-ref"] == "acme-portal"
    ojdbc = _props(comps["ojdbc"])
    assert ojdbc["souverain:controller"] == "Oracle America, Inc."
    assert ojdbc["souverain:ultimate-controller"] == "Oracle Corporation"
    assert ojdbc["souverain:country"] == "US"
    assert ojdbc["souverain:jurisdiction"] == "foreign"
    assert ojdbc["souverain:openness"] == "proprietary"
    assert ojdbc["souverain:license-expression"] == "LicenseRef-scancode-oracle-futc"
    assert ojdbc["souverain:reach"] == "3"
    assert ojdbc["souverain:share"] == "0.2000"
    assert ojdbc["souverain:findings"] == "SOV001"
    aliyun = _props(comps["aliyun-oss"])
    assert aliyun["souverain:service"] == "Alibaba Cloud Object Storage Service"
    assert aliyun["souverain:service-country"] == "CN"
    assert "souverain:findings" not in _props(comps["elastic"])  # its finding is waived
    assert _props(comps["left-pad-ng"])["souverain:openness"] == "unknown"
    assert "souverain:country" not in _props(comps["left-pad-ng"])  # unknown: no value, no guess


def test_model_fields_are_carried_over() -> None:
    doc = _valid(render("cyclonedx"))
    comps = {c["bom-ref"]: c for c in doc["components"]}
    ojdbc = comps["ojdbc"]
    assert ojdbc["purl"] == "pkg:maven/com.oracle.database.jdbc/ojdbc11@23.3.0.23.09"
    assert ojdbc["group"] == "com.oracle.database.jdbc"
    assert ojdbc["supplier"]["name"] == "Oracle America, Inc."
    assert ojdbc["hashes"][0]["alg"] == "SHA-256"
    assert ojdbc["licenses"] == [{"license": {"name": "Oracle Free Use Terms and Conditions (FUTC)"}}]
    assert comps["elastic"]["licenses"] == [{"expression": "Elastic-2.0"}]
    assert comps["slf4j"]["licenses"] == [{"license": {"id": "MIT"}}]
    assert comps["hostile-name"]["name"] == HOSTILE_NAME
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in doc["dependencies"]}
    assert deps["acme-portal"] == {
        "ojdbc",
        "aliyun-oss",
        "spring-core",
        "hostile-name",
        "sap-cloud-sdk",
        "elastic",
    }
    assert deps["hibernate"] == {"ojdbc", "asm"}
    tools = doc["metadata"]["tools"]["components"]
    assert tools[0]["name"] == "souverain"


def test_reproducible_mode_is_deterministic() -> None:
    assert render("cyclonedx") == render("cyclonedx")
    doc = json.loads(render("cyclonedx"))
    assert doc["metadata"]["timestamp"].startswith("1970-01-01")
    live = json.loads(render("cyclonedx", make_result(reproducible=False), reproducible=False))
    assert live["metadata"]["timestamp"].startswith("2026-11-28T10:00:00")
    assert live["serialNumber"] != doc["serialNumber"]


def test_odd_model_values_still_give_a_valid_bom() -> None:
    r = make_result()
    odd = Component(
        ref="SPDXRef-Package-odd",
        name="odd",
        version="1",
        purl="pkg:not a purl",
        licenses=(
            DeclaredLicense("id", "MIT OR Apache-2.0"),  # an expression given as an id
            DeclaredLicense("name", "Some Custom Licence"),
            DeclaredLicense("url", "https://example.org/licence"),
        ),
        hashes=(Hash("SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"), Hash("MD5", "not-hex")),
        type="no-such-type",
        scope="required",
        properties=(("cdx:npm:package:path", "node_modules/odd"),),
        parties=(
            Party("manufacturer", "Odd Factory GmbH", is_person=False),
            Party("author", "Jane Doe", is_person=True),
            Party("publisher", "Odd Publishing"),
        ),
    )
    twice = (
        DeclaredLicense("expression", "MIT"),
        DeclaredLicense("expression", "GPL-2.0-only WITH Classpath-exception-2.0"),
    )
    both = replace(r.components[0], ref="two-expressions", licenses=twice)
    result = replace(
        r, components=(*r.components, odd, both, odd), sbom=replace(r.sbom, format=SbomFormat.SPDX_JSON)
    )
    doc = _valid(render("cyclonedx", result))
    comps = {c["bom-ref"]: c for c in doc["components"]}
    assert comps["SPDXRef-Package-odd"]["hashes"] == [
        {"alg": "SHA-1", "content": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}
    ]
    assert comps["SPDXRef-Package-odd"]["type"] == "library"
    assert "purl" not in comps["SPDXRef-Package-odd"]
    assert comps["two-expressions"]["licenses"] == [
        {"expression": "(MIT) AND (GPL-2.0-only WITH Classpath-exception-2.0)"}
    ]
    assert _props(comps["SPDXRef-Package-odd"])["cdx:npm:package:path"] == "node_modules/odd"
    assert comps["SPDXRef-Package-odd"]["manufacturer"] == {"name": "Odd Factory GmbH"}
    assert comps["SPDXRef-Package-odd"]["authors"] == [{"name": "Jane Doe"}]
    assert comps["SPDXRef-Package-odd"]["publisher"] == "Odd Publishing"


@pytest.mark.parametrize(
    "name",
    [
        "spdx-2.3_tools-python-example.spdx.json",
        "spdx-2.2_example6-bin_static-link.spdx",
        "cdx-1.4_saasbom-apigateway-services.json",
        "cdx-1.4_hbom-pcie-sata-adapter.json",  # (the strict validator is slow: keep inputs small)
    ],
)
def test_real_sboms_of_every_format_give_valid_cyclonedx(name: str) -> None:
    sbom = load_sbom(fixture_path(name))
    doc = _valid(render("cyclonedx", result_from_sbom(sbom)))
    refs = {c["bom-ref"] for c in doc.get("components", [])} | {s["bom-ref"] for s in doc.get("services", [])}
    assert refs == {c.ref for c in sbom.components} - ({sbom.root.ref} if sbom.root else set())
    # every report stays renderable when the enrichers said nothing
    for fmt in ("json", "sarif", "markdown", "terminal", "html"):
        assert render(fmt, result_from_sbom(sbom))


def test_snapshot() -> None:
    assert_snapshot("report.cdx.json", render("cyclonedx"))
