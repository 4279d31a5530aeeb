"""The JSON report follows the contract (/work/shared/docs/json-contract.md) and its JSON Schema."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from souverain.model import Policy
from souverain.report.base import RenderOptions
from souverain.report.json import to_document
from souverain.sbom import load_sbom

from tests.conftest import fixture_path
from tests.report_data import (
    HOSTILE_VERSION,
    SBOM_PATH,
    assert_snapshot,
    make_result,
    render,
    result_from_sbom,
    without_findings,
)

SCHEMA_PATH = Path(__file__).parents[1] / "docs" / "json-schema" / "report-v1.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _doc(**options: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(render("json", **options))
    return loaded


def _component(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    return next(c for c in doc["components"] if c["ref"] == ref)


def test_report_validates_against_the_published_schema(validator: jsonschema.Draft202012Validator) -> None:
    validator.validate(_doc())
    validator.validate(json.loads(render("json", without_findings(), reproducible=False)))


def test_schema_rejects_a_renamed_contract_field(validator: jsonschema.Draft202012Validator) -> None:
    doc = _doc()
    doc["components"][0]["licence"] = doc["components"][0].pop("license")
    with pytest.raises(jsonschema.ValidationError, match="license"):
        validator.validate(doc)


def test_contract_top_level_and_source() -> None:
    doc = _doc()
    assert doc["schema_version"] == "1"
    assert doc["tool"] == {"name": "souverain", "version": "0.1.0"}
    r = make_result()
    assert doc["source"]["path"] == SBOM_PATH
    assert doc["source"]["format"] == "cyclonedx-json"
    assert doc["source"]["spec_version"] == "1.6"
    assert doc["source"]["sha256"] == r.sbom.sha256
    assert doc["policy"]["home"] == "FR"
    assert doc["policy"]["trusted"] == ["EU", "EEA"]
    assert doc["policy"]["fail_on"] == "high"
    assert doc["policy"]["waivers"][0]["rule"] == "SOV004"


def test_policy_with_several_homes_lists_them() -> None:
    r = replace(make_result(), policy=Policy(home=("FR", "BE"), fail_on=None))
    doc = to_document(r, RenderOptions(reproducible=True))
    assert doc["policy"]["home"] == ["FR", "BE"]
    assert doc["policy"]["fail_on"] is None


def test_summary_and_exposure_blocks() -> None:
    doc = _doc()
    s = doc["summary"]
    assert (s["components"], s["dependencies"], s["root"], s["flat"], s["score"]) == (
        15,
        11,
        "acme-portal",
        False,
        58,
    )
    assert s["exposure"]["by_country"]["US"] == 0.6
    assert s["exposure"]["by_controller"]["Oracle Corporation"] == 0.2
    assert s["skipped"] == [{"location": "/components/15/purl", "reason": "malformed purl 'pkg:/broken'"}]
    assert sum(s["openness"].values()) == s["components"]


def test_known_component_carries_values_confidence_and_evidence() -> None:
    c = _component(_doc(), "ojdbc")
    assert c["purl"] == "pkg:maven/com.oracle.database.jdbc/ojdbc11@23.3.0.23.09"
    assert (c["ecosystem"], c["type"], c["depth"], c["direct"]) == ("maven", "library", 1, True)
    assert c["license"]["openness"] == "proprietary"
    assert c["license"]["declared"] == ["Oracle Free Use Terms and Conditions (FUTC)"]
    assert c["controller"]["country"] == "US"
    assert c["controller"]["ultimate"] == "Oracle Corporation"
    assert c["controller"]["confidence"] == "high"
    assert any("com.oracle" in e for e in c["controller"]["evidence"])
    assert c["jurisdiction"] == "foreign"
    assert (c["reach"], c["share"], c["dominated"]) == (3, 0.2, 0)
    assert c["service"] is None


def test_service_binding_block() -> None:
    svc = _component(_doc(), "aliyun-oss")["service"]
    assert svc["name"] == "Alibaba Cloud Object Storage Service"
    assert svc["operator"] == "Alibaba Cloud"
    assert svc["country"] == "CN"


def test_unknown_values_are_null_low_with_evidence() -> None:
    doc = _doc()
    for ref in ("left-pad-ng", "hostile-name"):
        c = _component(doc, ref)
        assert c["license"]["expression"] is None
        assert c["license"]["openness"] == "unknown"
        assert c["license"]["confidence"] == "low"
        assert c["license"]["evidence"], "an unknown value must say what was missing"
        assert c["controller"]["name"] is None
        assert c["controller"]["country"] is None
        assert c["controller"]["kind"] == "unknown"
        assert c["controller"]["confidence"] == "low"
        assert c["controller"]["evidence"]
    # the enricher's own explanation is kept when it gave one
    assert _component(doc, "left-pad-ng")["license"]["evidence"] == [
        "no licence in the SBOM and none in the knowledge base"
    ]


def test_findings_resolved_and_waived() -> None:
    doc = _doc()
    first = doc["findings"][0]
    assert {k: first[k] for k in ("fingerprint", "rule", "severity", "component", "share")} == {
        "fingerprint": "f1a2b3c4d5e6",
        "rule": "SOV001",
        "severity": "critical",
        "component": "ojdbc",
        "share": 0.2,
    }
    assert first["evidence"]
    assert first["recommendation"]
    assert first["message"]
    waived = [f for f in doc["findings"] if f["waived"]]
    assert [f["fingerprint"] for f in waived] == ["e1a5e1a5e1a5"]
    assert [f["fingerprint"] for f in doc["resolved"]] == ["dead0000beef"]
    assert any(f["component"] is None for f in doc["findings"])  # SBOM-wide finding


def test_hostile_text_is_kept_verbatim_as_json_data() -> None:
    assert _component(_doc(), "evil-lib")["version"] == HOSTILE_VERSION


def test_keys_are_sorted_and_output_is_deterministic() -> None:
    text = render("json")
    assert text == render("json")
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert list(doc["components"][0]) == sorted(doc["components"][0])


def test_generated_at_only_outside_reproducible_mode() -> None:
    live = make_result(reproducible=False)
    assert json.loads(render("json", live, reproducible=False))["generated_at"] == live.generated_at
    assert json.loads(render("json", live, reproducible=True))["generated_at"] is None


def test_snapshot() -> None:
    assert_snapshot("report.json", render("json"))


@pytest.mark.parametrize(
    "name",
    [
        "spdx-2.3_tools-python-example.spdx.json",
        "spdx-2.3_tools-python-example.spdx",
        "spdx-2.2_example6-bin_static-link.spdx",
        "cdx-1.4_saasbom-apigateway-services.json",
        "cdx-1.1_laravel-7.12.0_composer.xml",
    ],
)
def test_real_sboms_without_assessments_validate(
    name: str, validator: jsonschema.Draft202012Validator
) -> None:
    sbom = load_sbom(fixture_path(name))
    doc = json.loads(render("json", result_from_sbom(sbom)))
    validator.validate(doc)
    assert len(doc["components"]) == len(sbom.components)
    for c in doc["components"]:  # nothing was attributed: every value unknown, low, explained
        assert c["controller"]["confidence"] == "low"
        assert c["controller"]["evidence"] == ["no controlling organisation could be identified"]
