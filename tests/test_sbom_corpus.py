"""Every real SBOM of the corpus: what load_sbom returns matches what the raw document says.

The expected values are computed here, independently of the readers, with simple walks of the raw
JSON (stdlib ``json``), XML (stdlib ``xml.etree``) and tag-value text.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from souverain.model import EdgeKind, NodeKind, ParsedSbom, SbomFormat
from souverain.sbom import load_sbom

from tests.conftest import corpus_files, fixture_path

FILES = corpus_files()

FORWARD = {
    "DEPENDS_ON": "runtime",
    "CONTAINS": "contains",
    "STATIC_LINK": "link",
    "DYNAMIC_LINK": "link",
    "HAS_PREREQUISITE": "prerequisite",
}
REVERSED = {
    "DEPENDENCY_OF": "runtime",
    "RUNTIME_DEPENDENCY_OF": "runtime",
    "DEV_DEPENDENCY_OF": "dev",
    "BUILD_DEPENDENCY_OF": "build",
    "TEST_DEPENDENCY_OF": "test",
    "OPTIONAL_DEPENDENCY_OF": "optional",
    "PROVIDED_DEPENDENCY_OF": "provided",
    "CONTAINED_BY": "contains",
    "PREREQUISITE_FOR": "prerequisite",
}


class Expected:
    """Counts computed from the raw document."""

    def __init__(self) -> None:
        self.components = 0
        self.purls: set[str] = set()
        self.edges: Counter[tuple[str, str, str]] = Counter()
        self.root: str | None = None


# ------------------------------------------------------------------ CycloneDX JSON


def _cdx_json(doc: dict[str, Any]) -> Expected:
    exp = Expected()
    root = doc.get("metadata", {}).get("component")
    exp.root = root.get("bom-ref") if root else None
    if root:
        _cdx_json_list(root.get("components", []), "components", exp.root, exp)
    _cdx_json_list(doc.get("components", []), "components", None, exp)
    _cdx_json_list(doc.get("services", []), "services", None, exp)
    for dep in doc.get("dependencies", []):
        for target in dep.get("dependsOn", []):
            exp.edges[(dep["ref"], target, "runtime")] += 1
    return exp


def _cdx_json_list(items: list[dict[str, Any]], key: str, parent: str | None, exp: Expected) -> None:
    for item in items:
        ref = item.get("bom-ref")
        if parent is None and ref is not None and ref == exp.root:
            continue
        exp.components += 1
        if "purl" in item:
            exp.purls.add(item["purl"])
        if parent is not None:
            exp.edges[(parent, ref or "?", "nested")] += 1
        _cdx_json_list(item.get(key, []), key, ref, exp)


# ------------------------------------------------------------------- CycloneDX XML


def _cdx_xml(path: Path) -> Expected:
    exp = Expected()
    tree = ET.parse(path)
    bom = tree.getroot()
    ns = bom.tag[: bom.tag.index("}") + 1]
    root = bom.find(f"{ns}metadata/{ns}component")
    exp.root = root.get("bom-ref") if root is not None else None
    for key in ("components", "services"):
        lst = bom.find(f"{ns}{key}")
        if lst is not None:
            _cdx_xml_list(lst, key, ns, None, exp)
    deps = bom.find(f"{ns}dependencies")
    if deps is not None:
        for dep in deps.findall(f"{ns}dependency"):
            for target in dep.findall(f"{ns}dependency"):
                exp.edges[(dep.get("ref", ""), target.get("ref", ""), "runtime")] += 1
    return exp


def _cdx_xml_list(lst: ET.Element, key: str, ns: str, parent: str | None, exp: Expected) -> None:
    for item in lst.findall(f"{ns}{key[:-1]}"):
        ref = item.get("bom-ref")
        if parent is None and ref is not None and ref == exp.root:
            continue
        exp.components += 1
        purl = item.find(f"{ns}purl")
        if purl is not None and purl.text:
            exp.purls.add(purl.text.strip())
        if parent is not None:
            exp.edges[(parent, ref or "?", "nested")] += 1
        nested = item.find(f"{ns}{key}")
        if nested is not None:
            _cdx_xml_list(nested, key, ns, ref, exp)


# ------------------------------------------------------------------------- SPDX


def _spdx(packages: list[dict[str, Any]], rels: list[tuple[str, str, str]], describes: list[str]) -> Expected:
    exp = Expected()
    ids = [p["SPDXID"] for p in packages]
    roots = [d for d in describes if d in ids]
    exp.root = roots[0] if roots else None
    exp.components = sum(1 for i in ids if i != exp.root)
    for p in packages:
        if p["SPDXID"] == exp.root:
            continue
        purls = [r["referenceLocator"] for r in p.get("externalRefs", []) if r["referenceType"] == "purl"]
        if purls:
            exp.purls.add(purls[0])
    pkgs = set(ids)
    for a, rtype, b in rels:
        if a in pkgs and b in pkgs:
            if rtype in FORWARD:
                exp.edges[(a, b, FORWARD[rtype])] += 1
            elif rtype in REVERSED:
                exp.edges[(b, a, REVERSED[rtype])] += 1
    return exp


def _spdx_json(doc: dict[str, Any]) -> Expected:
    rels = [
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in doc.get("relationships", [])
    ]
    describes = list(doc.get("documentDescribes", []))
    # "DESCRIBE": trivy's old spelling of the document's DESCRIBES
    describes += [b for a, t, b in rels if t in ("DESCRIBES", "DESCRIBE") and a == doc["SPDXID"]]
    return _spdx(doc.get("packages", []), rels, describes)


def _spdx_tagvalue(raw: bytes) -> Expected:
    text = raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8-sig")
    text = re.sub(r"<text>.*?</text>", "TEXT", text, flags=re.DOTALL)
    packages: list[dict[str, Any]] = []
    rels: list[tuple[str, str, str]] = []
    in_package = False
    for line in text.splitlines():
        tag, _, value = line.partition(":")
        value = value.strip()
        if tag == "PackageName":
            packages.append({"externalRefs": []})
            in_package = True
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            in_package = False
        elif tag == "SPDXID" and in_package:
            packages[-1]["SPDXID"] = value
        elif tag == "ExternalRef" and in_package:
            _, rtype, locator = value.split(None, 2)
            packages[-1]["externalRefs"].append({"referenceType": rtype, "referenceLocator": locator})
        elif tag == "Relationship":
            a, rtype, b = value.split()[:3]
            rels.append((a, rtype, b))
    describes = [b for a, t, b in rels if t == "DESCRIBES" and a == "SPDXRef-DOCUMENT"]
    return _spdx(packages, rels, describes)


def expected_for(path: Path) -> Expected:
    """What the raw document says, by format."""
    raw = path.read_bytes()
    if path.suffix == ".xml":
        return _cdx_xml(path)
    if path.suffix == ".json":
        doc = json.loads(raw)
        return _cdx_json(doc) if "bomFormat" in doc else _spdx_json(doc)
    return _spdx_tagvalue(raw)


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedSbom]:
    return {p.name: load_sbom(p) for p in FILES}


def test_corpus_is_complete() -> None:
    assert len(FILES) == 28


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_counts_purls_and_edges_match_the_raw_document(path: Path, parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed[path.name]
    exp = expected_for(path)
    assert len(sbom.components) == exp.components
    assert {c.purl_text for c in sbom.components if c.purl_text} == exp.purls
    got = Counter((a, b, k.value) for a, b, k in sbom.edges)
    assert got == exp.edges
    assert (sbom.root.ref if sbom.root else None) == exp.root
    assert sbom.path == str(path)
    assert len(sbom.sha256) == 64


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_format_and_version_come_from_the_content(path: Path, parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed[path.name]
    prefix, _, _ = path.name.partition("_")
    family, _, version = prefix.partition("-")
    assert sbom.spec_version == version
    if family == "cdx":
        assert sbom.format in (SbomFormat.CYCLONEDX_JSON, SbomFormat.CYCLONEDX_XML)
    else:
        assert sbom.format in (SbomFormat.SPDX_JSON, SbomFormat.SPDX_TAGVALUE)
    # the same bytes without a file name are read the same way
    again = load_sbom(path.read_bytes(), name="<stdin>")
    assert again.path == "<stdin>"
    assert again.format == sbom.format
    assert len(again.components) == len(sbom.components)


@pytest.mark.parametrize(
    ("name", "has_data"),
    [
        ("cdx-1.4_mongo-container_syft.json", False),
        ("cdx-1.4_hbom-pcie-sata-adapter.json", False),
        ("cdx-1.1_laravel-7.12.0_composer.xml", False),
        ("cdx-1.2_protonmail-webclient-v4.xml", False),
        ("spdx-2.2_kubectl-oci-linux-arm-v7_syft.spdx.json", False),
        ("cdx-1.6_juice-shop_npm-bare.json", True),
        ("cdx-1.2_dropwizard-1.3.15_maven.xml", True),
        ("spdx-2.2_microsoft-sbom-tool_manifest.spdx.json", True),
    ],
)
def test_dependency_data_flag(name: str, has_data: bool, parsed: dict[str, ParsedSbom]) -> None:
    assert parsed[name].has_dependency_data is has_data


# ------------------------------------------------------------------ facts by hand


def test_juice_shop_16_root_and_nesting(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["cdx-1.6_juice-shop_npm-bare.json"]
    assert sbom.root is not None
    assert (sbom.root.ref, sbom.root.name, sbom.root.version) == ("juice-shop@14.1.1", "juice-shop", "14.1.1")
    assert sbom.name == "juice-shop"
    assert sbom.serial_number is None
    assert any("cyclonedx-npm" in t and "3.1.0" in t for t in sbom.tools)
    by_ref = {c.ref: c for c in sbom.components}
    child = by_ref["juice-shop@14.1.1|@mapbox/node-pre-gyp@1.0.11|ansi-regex@5.0.1"]
    assert child.parent == "juice-shop@14.1.1|@mapbox/node-pre-gyp@1.0.11"
    assert child.location.startswith("/components/")
    assert "/components/" in child.location[12:]
    assert ("juice-shop@14.1.1|@mapbox/node-pre-gyp@1.0.11", child.ref, EdgeKind.NESTED) in sbom.edges
    assert [p.name for p in child.parties if p.role == "author"] == ["Sindre Sorhus"]
    assert child.licenses[0].kind == "id"
    assert child.licenses[0].value == "MIT"
    babel = by_ref["juice-shop@14.1.1|@babel/helper-string-parser@7.24.7"]
    assert babel.purl_text == (
        "pkg:npm/%40babel/helper-string-parser@7.24.7#packages/babel-helper-string-parser"
    )
    assert (babel.ecosystem, babel.namespace, babel.package) == ("npm", "@babel", "helper-string-parser")
    assert babel.group == "@babel"
    assert babel.properties == (("cdx:npm:package:path", "node_modules/@babel/helper-string-parser"),)
    assert babel.external_refs[0].type == "distribution"


def test_hbom_supplier_with_url(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["cdx-1.4_hbom-pcie-sata-adapter.json"]
    comp = {c.ref: c for c in sbom.components}["PCIE-098-02-F-D-EMS2"]
    supplier = next(p for p in comp.parties if p.role == "supplier")
    assert supplier.name == "Samtec"
    assert supplier.urls == ("https://www.samtec.com/",)
    assert supplier.country is None  # not stated, never guessed
    assert comp.type == "device"


def test_saasbom_services_are_nodes(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["cdx-1.4_saasbom-apigateway-services.json"]
    assert {c.kind for c in sbom.components} == {NodeKind.SERVICE}
    gateway = {c.ref: c for c in sbom.components}["api-gateway"]
    assert gateway.parties[0].role == "supplier"
    assert gateway.parties[0].name == "Acme Inc"
    assert ("endpoint", "https://example.com/") in {(r.type, r.url) for r in gateway.external_refs}
    ms1 = {c.ref: c for c in sbom.components}["ms-1.example.com"]
    assert ms1.parent == "api-gateway"


def test_xml_components_have_lines_and_paths(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["cdx-1.6_bundled-dependencies_npm-bare.xml"]
    nested = [c for c in sbom.components if c.parent is not None]
    assert nested
    first = sbom.components[0]
    assert first.location == "/bom/components/component[1]"
    lines = Path(fixture_path("cdx-1.6_bundled-dependencies_npm-bare.xml")).read_text().splitlines()
    assert first.line is not None
    assert "<component" in lines[first.line - 1]
    assert all(c.location.startswith("/bom/components/component[") for c in nested)


def test_laravel_11_generated_refs(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["cdx-1.1_laravel-7.12.0_composer.xml"]
    assert sbom.root is None
    assert sbom.edges == ()
    refs = [c.ref for c in sbom.components]
    assert len(set(refs)) == len(refs)
    stack = {c.name: c for c in sbom.components}["stack-cors"]
    assert stack.ref == "pkg:composer/asm89/stack-cors@1.3.0"  # no bom-ref: the unique purl
    assert stack.group == "asm89"
    assert stack.description == "Cross-origin resource sharing library and stack middleware"
    assert stack.licenses[0].value == "MIT"


def test_spdx_supplier_and_licences(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["spdx-2.2_microsoft-sbom-tool_manifest.spdx.json"]
    orgs = [p for c in sbom.components for p in c.parties if p.role == "supplier"]
    assert orgs
    assert all(p.is_person is False for p in orgs)
    assert len(orgs) < len(sbom.components)
    lic_fields = {lic.field for c in sbom.components for lic in c.licenses}
    assert lic_fields <= {"licenseDeclared", "licenseConcluded"}
    assert any(lic.value == "NOASSERTION" for c in sbom.components for lic in c.licenses)


def test_spdx_trivy_describe_spelling_gives_the_root(parsed: dict[str, ParsedSbom]) -> None:
    """trivy before 0.38 wrote the document's DESCRIBES as "DESCRIBE": read as DESCRIBES (the
    container image is the root), counted in the notes, not a skipped relationship."""
    sbom = parsed["spdx-2.2_fluentd-container_trivy.spdx.json"]
    assert sbom.unknown_relationships == {}
    assert not any("DESCRIBE" in s.reason for s in sbom.skipped)
    assert sbom.root is not None
    assert sbom.root.ref == "SPDXRef-ContainerImage-83c3ff25d55771a4"
    assert sbom.notes["DESCRIBE relationships from the document read as DESCRIBES (trivy's spelling)"] == 1


def test_describe_spelling_between_packages_is_still_unknown() -> None:
    """Only the document's "DESCRIBE" is trivy's spelling; between two packages it says nothing."""
    doc = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"}],
        "relationships": [
            {"spdxElementId": "SPDXRef-a", "relationshipType": "DESCRIBE", "relatedSpdxElement": "SPDXRef-b"}
        ],
    }
    sbom = load_sbom(json.dumps(doc).encode(), name="x.spdx.json")
    assert sbom.unknown_relationships == {"DESCRIBE": 1}
    assert sbom.root is None


def test_spdx_kubectl_file_relationships_counted(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["spdx-2.2_kubectl-oci-linux-arm-v7_syft.spdx.json"]
    assert sbom.notes["relationships involving files"] == 3042
    assert sbom.edges == ()


def test_tagvalue_utf16_equals_its_json_twin(parsed: dict[str, ParsedSbom]) -> None:
    tv = parsed["spdx-2.3_tools-python-example.spdx"]
    js = parsed["spdx-2.3_tools-python-example.spdx.json"]
    assert {c.ref for c in tv.components} == {c.ref for c in js.components}
    utf16 = parsed["spdx-2.2_tools-python-example_utf16.spdx"]
    assert utf16.root is not None
    assert utf16.root.ref == "SPDXRef-Package"
    assert utf16.root.line is not None
    saxon = {c.ref: c for c in tv.components}["SPDXRef-Saxon"]
    assert saxon.location.startswith("line ")
    assert ("SPDXRef-Package", "SPDXRef-Saxon", EdgeKind.LINK) in tv.edges
    root = tv.root
    assert root is not None
    supplier = next(p for p in root.parties if p.role == "supplier")
    assert supplier.is_person is True
    assert supplier.name == "Jane Doe"
    assert supplier.emails == ("jane.doe@example.com",)


def test_example6_relationship_directions(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["spdx-2.2_example6-bin_static-link.spdx"]
    # every dependency relationship there points to another document
    assert sbom.notes["relationships to external documents"] == 4
    assert sbom.notes["BUILD_TOOL_OF relationships (not dependencies)"] == 1


def test_appbomination_reversed_relationships(parsed: dict[str, ParsedSbom]) -> None:
    sbom = parsed["spdx-2.2_appbomination_gradle.spdx.json"]
    kinds = Counter(k for _, _, k in sbom.edges)
    assert kinds[EdgeKind.TEST] == 1
    assert kinds[EdgeKind.RUNTIME] == 3


def test_sections_not_read_are_counted(parsed: dict[str, ParsedSbom]) -> None:
    path = fixture_path("cdx-1.5_nats-box-container_trivy.json")
    raw = json.loads(path.read_text())
    sbom = parsed[path.name]
    assert sbom.notes["vulnerabilities (not read)"] == len(raw["vulnerabilities"])
