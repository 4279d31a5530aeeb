"""The enriched CycloneDX output: the input document itself with souverain's conclusions as
``souverain:`` properties when it is CycloneDX JSON 1.3+ (and the reporter has its bytes), else
valid CycloneDX 1.6 rebuilt from the parsed model."""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from souverain.model import AuditResult, Component, DeclaredLicense, Hash, ParsedSbom, Party, SbomFormat
from souverain.pipeline import audit
from souverain.report.base import RenderOptions
from souverain.report.cyclonedx import render_cyclonedx_bytes, souverain_properties
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


# ---------------------------------------------------------------------------------------------
# CycloneDX JSON 1.3+ input: the input document itself, enriched in place
# ---------------------------------------------------------------------------------------------

SBOMS = Path(__file__).parent / "fixtures" / "sboms"
CDX_JSON = sorted(
    p.relative_to(SBOMS).as_posix()
    for folder in ("", "generated", "handmade")
    for p in (SBOMS / folder).glob("cdx-1.*.json")
    if not p.name.startswith(("cdx-1.0", "cdx-1.1", "cdx-1.2"))
)
# Inputs that validate against their own version's schema and are small enough for the strict
# validator (it takes minutes on the 2 MB juice-shop BOMs): their output must validate too.
VALIDATED = {
    "cdx-1.4_hbom-pcie-sata-adapter.json",
    "cdx-1.4_mongo-container_syft.json",
    "cdx-1.4_saasbom-apigateway-services.json",
    "cdx-1.5_blackduck-hub-sample.json",
    "generated/cdx-1.5_npm-cli_cloud-sdks.json",
    "handmade/cdx-1.6_vulnerabilities-nested.json",
}
NESTED = "handmade/cdx-1.6_vulnerabilities-nested.json"
UNKNOWN = "handmade/cdx-1.4_unknown-fields.json"


def _enrich(source: bytes, name: str = "sbom.cdx.json") -> tuple[AuditResult, bytes]:
    result = audit(source, name=name, reproducible=True).result
    return result, render_cyclonedx_bytes(result, RenderOptions(reproducible=True, source=source))


@functools.cache
def _enriched(name: str) -> tuple[bytes, AuditResult, bytes]:
    """(input bytes, audit result, enriched output) of a fixture, the file checked unchanged."""
    path = SBOMS / name
    before = path.read_bytes()
    result, out = _enrich(before, name)
    assert path.read_bytes() == before
    return before, result, out


def _is_ours(p: Any) -> bool:
    return isinstance(p, dict) and str(p.get("name", "")).startswith("souverain:")


def _strip(value: Any, key: str = "") -> Any:
    """``value`` without what souverain adds: its properties, its tool entry, the BOM version
    (key order kept, so that comparing the JSON texts also compares the order)."""
    if isinstance(value, list):
        return [_strip(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k == "properties" and isinstance(v, list):
            kept = [p for p in v if not _is_ours(p)]
            if not kept:  # (an empty list, written by the input's tool or left by souverain's)
                continue
            v = kept
        elif k == "tools" and key == "metadata":
            if isinstance(v, list):
                v = [t for t in v if not (isinstance(t, dict) and t.get("name") == "souverain")]
            elif isinstance(v, dict) and isinstance(v.get("components"), list):
                v = {**v, "components": [t for t in v["components"] if t.get("name") != "souverain"]}
                if not v["components"]:
                    del v["components"]
            if not v:
                continue
        elif k == "version" and not key:
            continue
        out[k] = _strip(v, k)
    return out


def _ordered(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


def _model(sbom: ParsedSbom) -> tuple[Any, ...]:
    comps = [(c.ref, c.purl, c.licenses, c.location, c.parent, c.kind) for c in sbom.components]
    root = sbom.root
    return (root.ref if root else None, comps, sorted(set(sbom.edges)), sbom.spec_version, sbom.serial_number)


def _object(doc: dict[str, Any], pointer: str) -> dict[str, Any]:
    value: Any = doc
    for step in pointer.split("/")[1:]:
        value = value[int(step)] if isinstance(value, list) else value[step]
    assert isinstance(value, dict)
    return value


def test_every_cyclonedx_json_fixture_is_covered() -> None:
    assert len(CDX_JSON) >= 14
    assert set(CDX_JSON) >= VALIDATED
    assert NESTED in CDX_JSON
    assert UNKNOWN in CDX_JSON


@pytest.mark.parametrize("name", CDX_JSON)
def test_enriched_output_is_the_input_document_with_souverain_properties(name: str) -> None:
    before, result, out = _enriched(name)
    doc_in = json.loads(before.decode("utf-8-sig"))
    doc = json.loads(out)
    # everything but souverain's additions is the input, in the same order (the identifying
    # keys first: some inputs have their keys sorted)
    head = [k for k in ("$schema", "bomFormat", "specVersion", "serialNumber", "version") if k in doc_in]
    assert list(doc)[: len(head)] == head
    assert sorted(doc) == sorted(doc_in) or sorted(doc) == sorted([*doc_in, "metadata"])
    stripped, stripped_in = _strip(doc), _strip(doc_in)
    assert [k for k in stripped if k not in head] == [k for k in stripped_in if k not in head]
    assert {k: _ordered(v) for k, v in stripped.items()} == {k: _ordered(v) for k, v in stripped_in.items()}
    for key in ("$schema", "specVersion", "serialNumber", "bomFormat"):
        assert doc.get(key) == doc_in.get(key)
    assert doc.get("metadata", {}).get("timestamp") == doc_in.get("metadata", {}).get("timestamp")
    if isinstance(doc_in.get("version"), int):
        assert doc["version"] == doc_in["version"] + 1
    # read back by souverain: the same components (refs, purls, licences, nesting) and edges
    again = load_sbom(out, name=name)
    assert _model(again) == _model(result.sbom)
    # every component and service (the root too) carries exactly its souverain properties, at
    # the end, after its own ones
    rules: dict[str, set[str]] = {}
    for f in result.findings:
        if f.component is not None and f.waived is None:
            rules.setdefault(f.component, set()).add(f.rule)
    root = [result.sbom.root] if result.sbom.root else []
    assessed = 0
    for c in [*root, *result.components]:
        expected = souverain_properties(
            result.assessments.get(c.ref), result.metrics.get(c.ref), rules.get(c.ref, ()), None
        )
        obj = _object(doc, c.location)
        props = [(p["name"], p["value"]) for p in obj.get("properties", []) if _is_ours(p)]
        assert props == expected, c.location
        own = [p for p in obj.get("properties", []) if not _is_ours(p)]
        assert obj.get("properties", [])[: len(own)] == own
        assessed += c.ref in result.assessments
    assert assessed == len(result.assessments) > 0
    meta = _props(doc["metadata"])
    assert meta["souverain:source-sha256"] == hashlib.sha256(before).hexdigest()
    score = result.summary.score
    assert meta.get("souverain:score") == (None if score is None else str(score))
    tools = doc["metadata"]["tools"]
    listed = tools["components"] if isinstance(tools, dict) else tools
    assert [t["name"] for t in listed].count("souverain") == 1
    if isinstance(doc_in.get("metadata", {}).get("tools"), dict) or (
        "tools" not in doc_in.get("metadata", {}) and doc_in["specVersion"] >= "1.5"
    ):
        assert isinstance(tools, dict)  # 1.5+ form
    if name in VALIDATED:
        error = JsonStrictValidator(SchemaVersion.from_version(doc["specVersion"])).validate_str(out.decode())
        assert error is None, str(error)


@pytest.mark.parametrize("name", [UNKNOWN, NESTED, "cdx-1.5_blackduck-hub-sample.json"])
def test_enriching_an_enriched_bom_again_changes_nothing_but_the_version(name: str) -> None:
    _, first_result, first = _enriched(name)
    second_result, second = _enrich(first)
    one, two = json.loads(first), json.loads(second)
    assert two["version"] == one["version"] + 1
    del one["version"], two["version"]
    # the source hash is the enriched BOM's now; nothing else differs: no duplicated property,
    # no second tool entry
    meta_two = _props(two["metadata"])
    assert meta_two["souverain:source-sha256"] == hashlib.sha256(first).hexdigest()
    for doc in (one, two):
        doc["metadata"]["properties"] = [
            p for p in doc["metadata"]["properties"] if p["name"] != "souverain:source-sha256"
        ]
    assert _ordered(two) == _ordered(one)
    assert second_result.summary.score == first_result.summary.score


def test_stale_properties_and_tool_replaced_unknown_fields_kept() -> None:
    _, result, out = _enriched(UNKNOWN)
    doc = json.loads(out)
    assert doc["version"] == 8
    assert "serialNumber" not in doc
    assert doc["x-generator-run"] == {"id": 4711, "ratio": 0.25, "flags": [True, False, None]}
    assert doc["x-trailer"] == [1, 2, 3]
    assert doc["metadata"]["x-metadata-note"] == "kept"
    assert doc["metadata"]["timestamp"] == "2023-11-02T17:45:00+01:00"
    assert doc["metadata"]["tools"] == [
        {"vendor": "Example", "name": "hand-scanner", "version": "0.9"},
        {"name": "souverain", "version": result.tool_version},  # the 0.0.1 entry replaced
    ]
    meta = doc["metadata"]["properties"]
    assert meta[0] == {"name": "site", "value": "Lyon"}
    assert [p["name"] for p in meta].count("souverain:score") == 1
    express = doc["components"][0]
    assert express["x-audit"] == {"reviewed": False}
    names = [p["name"] for p in express["properties"]]
    assert names[:2] == ["cdx:npm:package:path", "npm:dev"]
    props = _props(express)
    assert props["souverain:controller"] != "Stale Corp"
    assert "SOV999" not in props.get("souverain:findings", "")
    assert len(names) == len(set(names))
    debug = express["components"][0]
    assert debug["x-bundled"] is True
    assert debug["name"] == "debug"
    assert "souverain:parent" not in _props(debug)  # the nesting says it
    assert _props(debug)["souverain:openness"]
    assert doc["components"][1]["description"] == "Precision: 1.0e-9 and unicode ✓ kept"


def test_nesting_services_and_unread_sections_kept() -> None:
    before, _, out = _enriched(NESTED)
    doc_in, doc = json.loads(before), json.loads(out)
    for key in ("vulnerabilities", "compositions", "annotations", "formulation", "dependencies"):
        assert doc[key] == doc_in[key]
    jcl = doc["components"][1]["components"][0]["components"][0]
    assert jcl["bom-ref"] == "spring-jcl"
    assert _props(jcl)["souverain:license-expression"] == "Apache-2.0"
    hooks = doc["services"][0]["services"][0]
    assert hooks["bom-ref"] == "payments-webhooks"
    assert "souverain:openness" in _props(hooks)
    config = doc["metadata"]["component"]["components"][0]
    assert config["bom-ref"] == "portal-config"
    assert "souverain:openness" in _props(config)
    assert _props(doc["metadata"]["component"])["build:pipeline"] == "nightly"
    ojdbc = doc["components"][0]
    assert ojdbc["evidence"] == doc_in["components"][0]["evidence"]
    assert _props(ojdbc)["souverain:ultimate-controller"] == "Oracle Corporation"
    assert _props(ojdbc)["maven:scope"] == "runtime"
    lodash = doc["components"][2]
    assert "bom-ref" not in lodash
    assert "souverain:openness" in _props(lodash)
    tools = doc["metadata"]["tools"]
    assert [t["name"] for t in tools["components"]] == ["hand", "souverain"]
    assert tools["services"] == doc_in["metadata"]["tools"]["services"]


def _cli(args: list[str], stdin: bytes | None = None) -> tuple[int, bytes]:
    from click.testing import CliRunner

    from souverain.cli import main

    with CliRunner().isolation(input=stdin) as (out, _err, _both):
        code = main(args)
        sys.stdout.flush()
    return code, out.getvalue()


def test_stdin_and_file_through_the_cli_give_the_same_enriched_bom(tmp_path: Path) -> None:
    path = SBOMS / NESTED
    args = ["-f", "cyclonedx", "--reproducible", "--fail-on", "none", "--quiet"]
    code, piped = _cli(["audit", "-", *args], stdin=path.read_bytes())
    assert code == 0
    code, _ = _cli(["audit", str(path), *args, "-o", str(tmp_path / "out.cdx.json")])
    assert code == 0
    assert (tmp_path / "out.cdx.json").read_bytes() == piped
    doc = json.loads(piped)
    assert doc["serialNumber"] == "urn:uuid:0b7e2f4a-3c1d-4e5f-8a9b-1c2d3e4f5a6b"
    assert doc["vulnerabilities"][0]["id"] == "CVE-2024-22243"
    assert _props(doc["components"][0])["souverain:ultimate-controller"] == "Oracle Corporation"


def test_a_gzipped_input_is_written_back_enriched_and_plain(tmp_path: Path) -> None:
    """A gzip input (sbom.cdx.json.gz) is enriched in place like the plain file: same document,
    only the source hash (of the file as given) differs."""
    import gzip

    path = SBOMS / NESTED
    packed = tmp_path / "in.cdx.json.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    args = ["-f", "cyclonedx", "--reproducible", "--fail-on", "none", "--quiet"]
    _, plain = _cli(["audit", str(path), *args])
    _, unpacked = _cli(["audit", str(packed), *args])
    a, b = json.loads(plain), json.loads(unpacked)
    assert b["vulnerabilities"] == a["vulnerabilities"]  # enriched in place, not rebuilt
    hashes = [_props(d["metadata"])["souverain:source-sha256"] for d in (a, b)]
    assert hashes == [hashlib.sha256(p.read_bytes()).hexdigest() for p in (path, packed)]
    for d in (a, b):
        d["metadata"]["properties"] = [
            p for p in d["metadata"]["properties"] if p["name"] != "souverain:source-sha256"
        ]
    assert a == b


def test_other_bytes_or_an_unresolved_location_give_the_rebuilt_bom() -> None:
    before, result, _ = _enriched(UNKNOWN)
    # bytes that are not the audited ones (the file changed since): rebuilt, never mixed up
    other = render_cyclonedx_bytes(result, RenderOptions(reproducible=True, source=before + b"\n"))
    assert json.loads(other)["specVersion"] == "1.6"
    # a location that does not lead to the component's object: the whole BOM is rebuilt
    moved = replace(result.components[0], location="/components/9")
    broken = replace(result, components=(moved, *result.components[1:]))
    elsewhere = replace(result, components=(replace(moved, location="/components/1"),))  # another ref
    nowhere = replace(result, components=(replace(moved, location=""),))  # "" is the document itself
    for bad in (broken, elsewhere, nowhere):
        doc = _valid(render_cyclonedx_bytes(bad, RenderOptions(reproducible=True, source=before)).decode())
        assert doc["specVersion"] == "1.6"
        assert "x-trailer" not in doc


@pytest.mark.parametrize(
    "name",
    [
        "cdx-1.2_proton-bridge-v1.8.0_gomod.json",  # 1.2: no properties in the schema
        "cdx-1.6_bundled-dependencies_npm-bare.xml",
        "spdx-2.3_rust-hello-server_k8s-bom.spdx.json",
    ],
)
def test_other_inputs_are_rebuilt_as_cyclonedx_1_6(name: str) -> None:
    source = fixture_path(name).read_bytes()
    result, out = _enrich(source, name)
    doc = json.loads(out)
    assert doc["specVersion"] == "1.6"
    refs = {c["bom-ref"] for c in doc.get("components", [])}
    assert refs == {c.ref for c in result.components} - {result.sbom.root.ref if result.sbom.root else ""}
    assessed = [c for c in doc["components"] if c["bom-ref"] in result.assessments]
    assert assessed
    assert all("souverain:openness" in _props(c) for c in assessed)


@pytest.mark.parametrize("where", ["component", "metadata"])
def test_properties_that_are_not_a_list_give_the_rebuilt_bom(where: str) -> None:
    """A component (or the metadata) whose ``properties`` is not a list has no place for
    souverain's: the BOM is rebuilt, never written with that component silently bare."""
    doc = json.loads((SBOMS / NESTED).read_bytes())
    target = doc["components"][0] if where == "component" else doc["metadata"]
    target["properties"] = {"name": "x", "value": "y"}
    raw = json.dumps(doc).encode()
    _, out = _enrich(raw, "bad-properties.json")
    rebuilt = json.loads(out)
    assert rebuilt["specVersion"] == "1.6"
    assert "vulnerabilities" not in rebuilt  # the rebuild, not the input
    assert all(
        any(p["name"] == "souverain:openness" for p in c.get("properties", [])) for c in rebuilt["components"]
    )
