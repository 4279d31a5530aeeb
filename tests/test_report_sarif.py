"""SARIF 2.1.0 output: valid against the OASIS schema, one result per finding, stable fingerprints."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from souverain.analyse.rules import RULES_BY_ID
from souverain.model import Severity
from souverain.report.base import RenderOptions
from souverain.report.sarif import SarifReporter, artifact_uri, default_rules

from tests.report_data import SBOM_PATH, assert_snapshot, make_result, render

SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _log(**options: Any) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(render("sarif", **options))
    return loaded


def _results_by_fingerprint(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["partialFingerprints"]["souverain/v1"]: r for r in log["runs"][0]["results"]}


def test_valid_against_the_oasis_schema(sarif_validator: Any) -> None:
    sarif_validator.validate(_log())
    sarif_validator.validate(json.loads(render("sarif", make_result(reproducible=False), reproducible=False)))


def test_schema_check_is_not_vacuous(sarif_validator: Any) -> None:
    log = _log()
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator.validate(log)


def test_rule_catalogue_comes_from_the_analysis() -> None:
    assert default_rules() == RULES_BY_ID
    rules = {r["id"]: r for r in _log()["runs"][0]["tool"]["driver"]["rules"]}
    assert set(RULES_BY_ID) <= set(rules)
    sov001 = rules["SOV001"]
    assert sov001["name"] == RULES_BY_ID["SOV001"].name
    assert sov001["help"]["markdown"].startswith(RULES_BY_ID["SOV001"].help)
    assert RULES_BY_ID["SOV001"].recommendation in sov001["help"]["markdown"]
    assert sov001["defaultConfiguration"]["level"] == "error"


def test_every_result_points_at_its_rule_index() -> None:
    run = _log()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]


def test_one_result_per_finding_with_levels_and_security_severity() -> None:
    log = _log()
    by_fp = _results_by_fingerprint(log)
    result = make_result()
    assert set(by_fp) == {f.fingerprint for f in (*result.findings, *result.resolved)}
    expected_level = {
        "critical": "error",
        "high": "error",
        "medium": "warning",
        "low": "note",
        "info": "note",
    }
    for f in result.findings:
        res = by_fp[f.fingerprint]
        assert res["ruleId"] == f.rule
        assert res["level"] == expected_level[f.severity.value]
        assert float(res["properties"]["security-severity"]) >= 0
    critical = float(by_fp["f1a2b3c4d5e6"]["properties"]["security-severity"])
    medium = float(by_fp["5e5e5e5e5e5e"]["properties"]["security-severity"])
    assert critical >= 9.0 > medium >= 4.0  # GitHub's critical and medium bands


def test_locations_point_into_the_sbom_file() -> None:
    by_fp = _results_by_fingerprint(_log())
    loc = by_fp["f1a2b3c4d5e6"]["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == SBOM_PATH
    assert loc["physicalLocation"]["region"]["startLine"] == 20
    assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith("pkg:maven/com.oracle")
    sbom_wide = by_fp["f0f0f0f0f0f0"]["locations"][0]["physicalLocation"]
    assert "region" not in sbom_wide


def test_waived_finding_is_suppressed_with_its_justification() -> None:
    by_fp = _results_by_fingerprint(_log())
    assert by_fp["e1a5e1a5e1a5"]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Support contract with Elastic until 2027-06-30",
        }
    ]
    assert "suppressions" not in by_fp["f1a2b3c4d5e6"]


def test_baseline_state_from_finding_status() -> None:
    by_fp = _results_by_fingerprint(_log())
    assert by_fp["f1a2b3c4d5e6"]["baselineState"] == "new"
    assert by_fp["0a9b8c7d6e5f"]["baselineState"] == "unchanged"


def test_resolved_findings_are_reported_absent() -> None:
    result = make_result()
    assert result.resolved, "the test data has findings resolved since the baseline"
    by_fp = _results_by_fingerprint(_log())
    for f in result.resolved:
        assert by_fp[f.fingerprint]["baselineState"] == "absent"
    for f in result.findings:
        assert by_fp[f.fingerprint].get("baselineState") != "absent"


def test_artifact_uri_is_relative_and_encoded() -> None:
    assert artifact_uri("sboms/my app.cdx.json") == "sboms/my%20app.cdx.json"
    assert artifact_uri("sbom.json") == "sbom.json"


@dataclass(frozen=True)
class FakeRule:
    id: str
    name: str
    title: str
    severity: Severity
    help: str
    recommendation: str


def test_an_injected_catalogue_is_used_and_unknown_rule_ids_still_get_an_entry() -> None:
    fake = {"SOV001": FakeRule("SOV001", "fake-rule", "Fake title", Severity.LOW, "**Fake** help", "Do it.")}
    out = io.StringIO()
    SarifReporter(fake).render(make_result(), out, RenderOptions(reproducible=True))
    rules = {r["id"]: r for r in json.loads(out.getvalue())["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SOV001"]["help"]["markdown"] == "**Fake** help\n\nDo it."
    assert rules["SOV001"]["defaultConfiguration"]["level"] == "note"
    assert rules["SOV003"]["shortDescription"]["text"] == "Bound to a foreign service"


def test_reproducible_output_has_no_timestamp() -> None:
    assert "invocations" not in _log()["runs"][0]
    live = json.loads(render("sarif", make_result(reproducible=False), reproducible=False))
    assert live["runs"][0]["invocations"][0]["endTimeUtc"] == "2026-11-28T10:00:00+00:00"


def test_snapshot() -> None:
    # a fixed catalogue, so that editing a rule's help text in analyse/rules.py does not break it
    fake = {
        "SOV001": FakeRule(
            "SOV001", "foreign-proprietary", "Foreign proprietary", Severity.HIGH, "Help.", "Act."
        )
    }
    out = io.StringIO()
    SarifReporter(fake).render(make_result(), out, RenderOptions(reproducible=True))
    assert_snapshot("report.sarif", out.getvalue())
