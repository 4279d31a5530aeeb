"""SPDX 3.0 JSON-LD reader (sbom/spdx3_json.py) on real generator output and a hand-made
document, against the SPDX 2.3 reader on the same content, and on broken input."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from souverain.analyse.procurement import procurement_review
from souverain.cli import main
from souverain.errors import InputError, NotAnSbomError, UnsupportedFormatError
from souverain.knowledge.licences import default_index
from souverain.model import Component, EdgeKind, ParsedSbom, SbomFormat
from souverain.sbom import identify, load_sbom
from souverain.sbom.detect import HEAD_SIZE
from souverain.sbom.validate import validate_schema

from tests.conftest import fixture_path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "json-schema" / "report-v1.schema.json").read_text())
D2S = fixture_path("spdx3/distro2sbom-0.6.0_debian-12-trimmed.spdx3.json")
JABREF3 = fixture_path("spdx3/lib4sbom-0.10.4_jabref-trimmed.spdx3.json")
JABREF2 = fixture_path("generators/spdx-2.3_lib4sbom-0.10.4_jabref-trimmed.spdx.json")
HANDMADE = fixture_path("spdx3/handmade-features.spdx3.json")
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"


def _by_name(sbom: ParsedSbom) -> dict[str, Component]:
    nodes = [*sbom.components, *([sbom.root] if sbom.root else [])]
    return {c.name: c for c in nodes}


def _doc(graph: Any, **extra: Any) -> bytes:
    return json.dumps({"@context": CONTEXT, "@graph": graph, **extra}).encode()


# -- real output -----------------------------------------------------------------------------


def test_distro2sbom_document() -> None:
    raw = D2S.read_bytes()
    assert identify(raw[:HEAD_SIZE], name="x") == (SbomFormat.SPDX3_JSON, "3.0.1")
    sbom = load_sbom(D2S)
    assert sbom.format is SbomFormat.SPDX3_JSON
    assert sbom.spec_version == "3.0.1"
    graph = json.loads(raw)["@graph"]
    packages = [e for e in graph if e["type"] == "software_Package"]
    # every package is read; the Sbom's rootElement (through the SpdxDocument) is the root
    assert len(sbom.components) + 1 == len(packages) == 36
    assert sbom.root is not None
    assert sbom.root.name == "debian-gnu/linux"
    assert sbom.root.ref == "http://spdx.org/spdxdocs/SPDXRef-1-debian-gnu-linux"
    assert sbom.root.type == "operating-system"  # lib4sbom writes "operating_system"
    depends = [e for e in graph if e["type"] == "Relationship" and e["relationshipType"] == "dependsOn"]
    assert len(sbom.edges) == len(depends) == 79
    assert all(kind is EdgeKind.RUNTIME for _, _, kind in sbom.edges)
    assert (sbom.root.ref, "http://spdx.org/spdxdocs/SPDXRef-2-adduser", EdgeKind.RUNTIME) in sbom.edges
    assert sbom.skipped == ()
    assert sbom.unknown_relationships == {}
    assert sbom.tools == ("distro2sbom-0.6.0", "distro2sbom")
    assert sbom.authors == ()  # createdBy is a SoftwareAgent: a tool, not an author
    assert sbom.timestamp == "2026-11-28T22:51:42Z"
    assert sbom.serial_number == "http://spdx.org/spdxdocs/SPDXRef-SpdxDocument-9"
    libc = _by_name(sbom)["libc6"]
    assert libc.purl == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=bookworm"
    assert (libc.ecosystem, libc.namespace, libc.package) == ("deb", "debian", "libc6")
    assert libc.cpe is not None
    assert libc.cpe.startswith("cpe:2.3:a:gnu_libc_maintainers:libc6:")
    assert libc.location.startswith("/@graph/")
    assert graph[int(libc.location.rsplit("/", 1)[1])]["name"] == "libc6"
    (supplier,) = libc.parties
    assert (supplier.role, supplier.name, supplier.is_person) == ("supplier", "GNU Libc Maintainers", False)
    assert supplier.emails == ("debian-glibc@lists.debian.org",)
    # a Person supplier: is_person, and no country (the document states none)
    people = [p for c in sbom.components for p in c.parties if p.is_person]
    assert people
    assert all(p.country is None for c in sbom.components for p in c.parties)
    assert {(lic.value, lic.field) for lic in libc.licenses} == {
        ("NOASSERTION", "hasDeclaredLicense"),
        ("NOASSERTION", "hasConcludedLicense"),
    }


def test_distro2sbom_matches_its_spdx_2_3_twin() -> None:
    """distro2sbom wrote the same Debian system as SPDX 2.3 and 3.0.1: the packages kept in the
    trimmed 3.0 fixture read the same from both (the 2.3 file is too large to keep; this
    compares against the values the 2.3 reader gives, recorded from it)."""
    sbom = load_sbom(D2S)
    adduser = _by_name(sbom)["adduser"]
    # as the SPDX 2.3 reader gives adduser in distro2sbom's 2.3 output of the same system
    assert adduser.version == "3.134"
    assert adduser.purl == "pkg:deb/debian/adduser@3.134?arch=all&distro=bookworm"
    assert [lic.value for lic in adduser.licenses] == ["NOASSERTION", "GPL-2.0-or-later"]
    assert [lic.field for lic in adduser.licenses] == ["hasDeclaredLicense", "hasConcludedLicense"]
    assert adduser.description == "add and remove users and groups"


def test_lib4sbom_conversion_preserves_what_the_2_3_original_says() -> None:
    """lib4sbom 0.10.4 converted its own SPDX 2.3 JabRef SBOM to SPDX 3.0.1: names, versions,
    purls, dependency edges, suppliers, licences, hashes and descriptions read the same. What the
    converter does not preserve: it adds an Sbom whose rootElement is the first package (the 2.3
    original has no DESCRIBES from the document, hence no root), it writes every SPDX 2
    externalRef other than purl/cpe as an externalIdentifier of type "other" (the 2.3 "vcs" and
    "build-system" reference types are lost), and it replaces a licence that is an expression
    rather than one licence id by NoAssertionLicense ("MPL-2.0 AND EPL-1.0" is lost)."""
    two, three = load_sbom(JABREF2), load_sbom(JABREF3)
    assert two.root is None
    assert three.root is not None
    assert three.root.name == "jablib"

    def key(c: Component) -> tuple[str, str | None, str | None]:
        return c.name, c.version, c.purl

    nodes2, nodes3 = _by_name(two).values(), _by_name(three).values()
    assert sorted(map(key, nodes2)) == sorted(map(key, nodes3))
    assert sum(c.purl is not None for c in nodes3) >= 30
    k2 = {c.ref: key(c) for c in nodes2}
    k3 = {c.ref: key(c) for c in nodes3}
    edges2 = sorted((k2[a], k2[b], kind) for a, b, kind in two.edges)
    edges3 = sorted((k3[a], k3[b], kind) for a, b, kind in three.edges)
    assert edges2 == edges3
    assert len(edges3) == 28

    def facts(c: Component) -> tuple[Any, ...]:
        return (
            [(p.role, p.name, p.is_person, p.emails) for p in c.parties],
            [lic.value if " " not in lic.value else "NOASSERTION" for lic in c.licenses],
            [(h.alg, h.value) for h in c.hashes],
            [r.url for r in c.external_refs],
            c.type,
            c.description,
        )

    by3 = {key(c): c for c in nodes3}
    for c in nodes2:
        assert facts(c) == facts(by3[key(c)]), c.name
    lost = {c.name for c in nodes2 if any(" " in lic.value for lic in c.licenses)}
    assert {"h2-mvstore", "jna"} <= lost
    for name in lost:
        assert {lic.value for lic in by3[key(_by_name(two)[name])].licenses} == {"NOASSERTION"}
    refs2 = {r.type for c in nodes2 for r in c.external_refs}
    refs3 = {r.type for c in nodes3 for r in c.external_refs}
    assert "vcs" in refs2
    assert "vcs" not in refs3
    assert "other" in refs3


# -- the hand-made document ------------------------------------------------------------------


def test_handmade_document() -> None:
    sbom = load_sbom(HANDMADE)
    assert sbom.root is not None
    assert sbom.root.ref == "urn:example:app"
    nodes = _by_name(sbom)
    app, lib, iri, bundled = nodes["acme-app"], nodes["left-pad"], nodes["iri-named"], nodes["bundled-lib"]
    # blank-node package, purl and cpe from externalIdentifier, inline Person supplier
    assert lib.ref == "_:lib"
    assert lib.purl == "pkg:npm/left-pad@1.3.0"
    assert lib.cpe is not None
    (jane,) = lib.parties
    assert (jane.role, jane.name, jane.is_person, jane.country) == ("supplier", "Jane Doe", True, None)
    # referenced Organization supplier (email and web page), inline Person originator
    acme, bob = app.parties
    assert (acme.role, acme.name, acme.is_person) == ("supplier", "Acme SAS", False)
    assert acme.emails == ("oss@acme.example",)
    assert acme.urls == ("https://acme.example",)
    assert (bob.role, bob.name, bob.is_person) == ("originator", "Bob Example", True)
    assert bob.emails == ("bob@example.org",)
    # purl from software_packageUrl, canonical; hashes; references
    assert app.purl == "pkg:npm/%40acme/app@2.1.0"
    assert app.namespace == "@acme"
    assert [(h.alg, h.value[:4]) for h in app.hashes] == [("SHA256", "aa11"), ("SHA3-512", "bb22")]
    assert {(r.type, r.url) for r in app.external_refs} == {
        ("website", "https://acme.example/app"),
        ("vcs", "https://git.example/acme/app"),
    }
    assert app.type == "application"
    # full-IRI and prefixed property names; a vocabulary value as an IRI
    assert (iri.version, iri.purl, iri.type) == ("0.9", "pkg:pypi/iri-named@0.9", "operating-system")
    # both licence relationships, referenced and inline targets, the None/NoAssertion individuals,
    # a licence set with an addition rebuilt as an expression
    assert [(lic.value, lic.field) for lic in app.licenses] == [
        ("Apache-2.0", "hasDeclaredLicense"),
        ("MIT", "hasConcludedLicense"),
    ]
    assert [lic.value for lic in lib.licenses] == ["NONE", "NOASSERTION"]
    assert [lic.value for lic in bundled.licenses] == ["MIT AND (GPL-2.0-only WITH Classpath-exception-2.0)"]
    # edges: from → to, the scope of a LifecycleScopedRelationship, a lone `to` not in a list
    assert set(sbom.edges) == {
        ("urn:example:app", "_:lib", EdgeKind.RUNTIME),
        ("urn:example:app", "urn:example:iri-named", EdgeKind.RUNTIME),
        ("urn:example:app", "urn:example:bundled", EdgeKind.CONTAINS),
        ("urn:example:app", "urn:example:builder", EdgeKind.BUILD),
        ("urn:example:bundled", "_:lib", EdgeKind.LINK),
    }
    assert sbom.notes["files and snippets (not components)"] == 1
    assert sbom.notes["relationships involving files"] == 1
    assert sbom.notes["relationships to external documents"] == 1  # imported by the SpdxDocument
    assert sbom.notes["hasDocumentation relationships (not dependencies)"] == 1
    assert sbom.notes["Annotation elements (not read)"] == 1
    assert sbom.unknown_relationships == {"reliesOnSomehow": 1}
    assert {(s.location, s.reason.split(",")[0]) for s in sbom.skipped} == {
        ("/@graph/24", "unknown relationship type 'reliesOnSomehow'"),
        ("/@graph/23/to/0", "relationship to 'urn:example:nowhere'"),
    }
    assert (sbom.tools, sbom.authors) == (("handmade-1.0",), ("Alice Example",))
    assert sbom.name == "handmade features"
    assert sbom.serial_number == "urn:example:doc"


def test_concluded_licence_is_preferred() -> None:
    """The normaliser's concluded-over-declared rule applies to hasConcludedLicense."""
    app = _by_name(load_sbom(HANDMADE))["acme-app"]
    verdict, _, evidence = default_index().normalise(app.licenses)
    assert verdict.expression == "MIT"
    assert any("hasConcludedLicense preferred over hasDeclaredLicense" in e.detail for e in evidence)


def test_spdx_3_0_0_is_below_the_procurement_floor() -> None:
    raw = HANDMADE.read_bytes().replace(b"rdf/3.0.1/", b"rdf/3.0.0/").replace(b'"3.0.1"', b'"3.0.0"')
    old, new = load_sbom(raw, name="old"), load_sbom(HANDMADE)
    assert old.spec_version == "3.0.0"
    assert new.spec_version == "3.0.1"
    assert "format" in {q.field for q in procurement_review(old).document}
    assert "format" not in {q.field for q in procurement_review(new).document}


def test_one_top_level_element_and_a_context_list() -> None:
    doc = {
        "@context": [CONTEXT, {"ex": "urn:example:"}],
        "type": "SpdxDocument",
        "spdxId": "urn:d",
        "rootElement": ["urn:p"],
        "element": [{"type": "software_Package", "spdxId": "urn:p", "name": "p"}],
    }
    sbom = load_sbom(json.dumps(doc).encode(), name="one")
    assert sbom.root is not None
    assert sbom.root.name == "p"
    assert sbom.root.location == "/element/0"


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "error", "words", "where"),
    [
        (json.dumps({"@context": CONTEXT, "@graph": {"a": 1}}).encode(), InputError, "not a list", "/@graph"),
        (b'{"@context": "https://spdx.org/rdf/3.1/spdx-context.jsonld", "@graph": []}',
         UnsupportedFormatError, "SPDX 3.1", None),
        (b'{"@context": {"core": "https://spdx.org/rdf/Core/"}, "@graph": []}', UnsupportedFormatError,
         "no SPDX 3.0 context", None),
        (b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [', InputError,
         "invalid JSON", None),
    ],
)
def test_unreadable_documents(raw: bytes, error: type[InputError], words: str, where: str | None) -> None:
    with pytest.raises(error) as info:
        load_sbom(raw, name="doc.json")
    assert "doc.json" in str(info.value)
    assert words in str(info.value)
    if where is not None:
        assert info.value.location == where


def test_not_an_object() -> None:
    with pytest.raises(NotAnSbomError):
        load_sbom(b'[{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}]', name="a.json")


def test_partly_broken_document_is_read_as_far_as_it_can_be() -> None:
    raw = _doc(
        [
            "not an element",
            {"type": "software_Package", "name": "no-id", "software_packageUrl": "pkg:npm/a@1"},
            {"name": "no type"},
            {"type": "software_Package", "spdxId": "urn:b", "name": "b", "software_packageUrl": "pkg:::bad"},
            {"type": "software_Package", "spdxId": "urn:c", "name": 42, "software_packageVersion": {"x": 1}},
            {"type": "software_Package", "spdxId": "urn:b", "name": "b again"},
            {"type": "Relationship", "spdxId": "urn:r1", "from": "urn:b", "relationshipType": "dependsOn",
             "to": ["urn:ghost"]},
            {"type": "Relationship", "spdxId": "urn:r2", "from": "urn:ghost", "relationshipType": "dependsOn",
             "to": ["urn:b"]},
            {"type": "Relationship", "spdxId": "urn:r3", "relationshipType": "dependsOn", "to": ["urn:b"]},
            {"type": "Relationship", "spdxId": "urn:r4", "from": "urn:b",
             "relationshipType": "hasDeclaredLicense", "to": ["urn:no-such-licence"]},
            {"type": "Relationship", "spdxId": "urn:r5", "from": "urn:b", "relationshipType": "dependsOn",
             "to": ["urn:c"]},
        ]
    )
    sbom = load_sbom(raw, name="broken.json")
    names = sorted(c.name for c in sbom.components)
    assert names == ["42", "b", "no-id"]
    no_id = _by_name(sbom)["no-id"]
    assert no_id.ref == "souverain:/@graph/1"
    assert no_id.purl == "pkg:npm/a@1"
    assert _by_name(sbom)["b"].purl is None
    assert _by_name(sbom)["b"].purl_text == "pkg:::bad"
    assert sbom.edges == (("urn:b", "urn:c", EdgeKind.RUNTIME),)
    where = {s.location: s.reason for s in sbom.skipped}
    assert where["/@graph/0"] == "element is not an object"
    assert "without spdxId" in where["/@graph/1/spdxId"]
    assert where["/@graph/2"] == "element without a type"
    assert "malformed purl" in where["/@graph/3/software_packageUrl"]
    assert "already used at /@graph/3" in where["/@graph/5"]
    assert "'urn:ghost', which the document does not hold" in where["/@graph/6/to/0"]
    assert "'urn:ghost', which the document does not hold" in where["/@graph/7/from"]
    assert "without from" in where["/@graph/8"]
    assert "cannot be read" in where["/@graph/9/to/0"]
    assert "/@graph/4/software_packageVersion" in where


def test_detection_keeps_other_json_ld_and_spdx_versions_apart() -> None:
    assert identify(b'{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld"', name="x") == (
        SbomFormat.SPDX3_JSON,
        "3.0.0",
    )
    with pytest.raises(UnsupportedFormatError, match="JSON-LD only"):
        identify(b'{"spdxVersion": "SPDX-3.0", "packages": []}', name="x")
    with pytest.raises(NotAnSbomError):
        identify(b'{"@context": "https://schema.org", "@graph": []}', name="x")


def test_validate_says_spdx_3_is_not_schema_checked() -> None:
    with pytest.raises(UnsupportedFormatError, match="CycloneDX only"):
        validate_schema(HANDMADE)


# -- the whole CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [D2S, HANDMADE, JABREF3], ids=lambda p: p.name)
def test_audit_json_report_validates(path: Path) -> None:
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        code = main(["audit", str(path), "-f", "json", "--fail-on", "none", "--reproducible"])
        sys.stdout.flush()
    assert code == 0, err.getvalue().decode()
    report = json.loads(out.getvalue().decode())
    jsonschema.validate(report, SCHEMA)
    assert report["source"]["format"] == "spdx3-json"
    assert report["summary"]["components"] == len(report["components"])
