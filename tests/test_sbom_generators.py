"""SBOMs written by generators the public corpus does not cover (cyclonedx-py 7.5, spdx-tools'
pyspdxtools 0.8.5, lib4sbom 0.10.4, sbom4python 0.12.6): what each writes that a reader must
cope with. The files are in tests/fixtures/sboms/generators/ (see ATTRIBUTION.md there)."""

from __future__ import annotations

import json
import re

import pytest

from souverain.errors import UnsupportedFormatError
from souverain.model import EdgeKind, SbomFormat
from souverain.sbom import load_sbom
from souverain.sbom.detect import HEAD_SIZE, identify

from tests.conftest import fixture_path

CYCLONEDX_PY = "generators/cdx-1.7_cyclonedx-py-7.5_environment.json"
PYSPDXTOOLS_TV = "generators/spdx-2.3_pyspdxtools-0.8.5_tools-python-example.spdx"
LIB4SBOM_TV = "generators/spdx-2.3_lib4sbom-0.10.4_appbomination.spdx"
LIB4SBOM_CDX = "generators/cdx-1.6_lib4sbom-0.10.4_quarkus-trimmed.json"
LIB4SBOM_SPDX_JSON = "generators/spdx-2.3_lib4sbom-0.10.4_jabref-trimmed.spdx.json"
SBOM4PYTHON_YAML = "generators/spdx-2.3_sbom4python-0.12.6_rich.spdx.yaml"


def test_cyclonedx_py_writes_bom_format_last_beyond_the_head() -> None:
    """cyclonedx-py writes "components" first and "bomFormat"/"specVersion" last: in any
    environment of some size both are beyond the 64 KiB the format is sniffed from."""
    path = fixture_path(CYCLONEDX_PY)
    raw = path.read_bytes()
    assert len(raw) > HEAD_SIZE
    assert b'"bomFormat"' not in raw[:HEAD_SIZE]
    assert b'"specVersion"' not in raw[:HEAD_SIZE]
    assert identify(raw[:HEAD_SIZE], name="x", tail=raw[-HEAD_SIZE:]) == (SbomFormat.CYCLONEDX_JSON, "1.7")
    doc = json.loads(raw)
    sbom = load_sbom(path)
    assert sbom.format is SbomFormat.CYCLONEDX_JSON
    assert sbom.spec_version == "1.7"
    assert len(sbom.components) == len(doc["components"]) == 64
    assert len(sbom.edges) == sum(len(d.get("dependsOn", [])) for d in doc["dependencies"])
    assert sbom.has_dependency_data
    assert not sbom.skipped


def test_the_tail_is_not_read_when_the_head_decides() -> None:
    """A JSON document that is not an SBOM stays refused with a large tail; a head that names
    its format is not overruled by the tail."""
    raw = fixture_path(CYCLONEDX_PY).read_bytes()
    spdx_head = b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": ['
    assert identify(spdx_head, name="x", tail=raw[-HEAD_SIZE:]) == (SbomFormat.SPDX_JSON, "2.3")


def _relationship_lines(text: str) -> list[tuple[str, str, str]]:
    return [
        (m[1], m[2], m[3])
        for m in re.finditer(r"^Relationship:\s*(\S+)\s+(\S+)\s+(\S+)", text, re.MULTILINE)
    ]


def test_tagvalue_relationships_after_the_extracted_licences_are_read() -> None:
    """spdx-tools writes the "## Relationships" after the "## License Information" section,
    with no tag closing the licence section: the relationships (and the DESCRIBES that names
    the root) must not be taken for licence fields. Read, the tag-value file says what the JSON
    it was converted from says."""
    text = fixture_path(PYSPDXTOOLS_TV).read_text()
    assert text.index("LicenseID:") < text.index("Relationship:")
    tv = load_sbom(fixture_path(PYSPDXTOOLS_TV))
    js = load_sbom(fixture_path("spdx-2.3_tools-python-example.spdx.json"))
    assert tv.root is not None
    assert js.root is not None
    assert tv.root.ref == js.root.ref == "SPDXRef-Package"
    assert set(tv.edges) == set(js.edges) == {("SPDXRef-Package", "SPDXRef-Saxon", EdgeKind.LINK)}
    assert {c.ref for c in tv.components} == {c.ref for c in js.components}
    assert tv.notes["COPY_OF relationships (not dependencies)"] == 1


def test_lib4sbom_tagvalue_relationships_after_its_licence_section_are_read() -> None:
    """lib4sbom also ends with its LicenseRef section followed by the relationships."""
    path = fixture_path(LIB4SBOM_TV)
    text = path.read_text()
    assert text.index("LicenseID:") < text.index("Relationship:")
    sbom = load_sbom(path)
    assert sbom.root is not None
    assert sbom.root.name == "App-BOM-ination"
    kinds = ("DEPENDENCY_OF", "TEST_DEPENDENCY_OF")
    expected = {(b, a) for a, rtype, b in _relationship_lines(text) if rtype in kinds}
    assert len(expected) == 4
    assert expected <= {(a, b) for a, b, _ in sbom.edges}
    assert sbom.has_dependency_data
    # the licence section itself is still read: its LicenseName names the package's LicenseRef
    faust = next(c for c in sbom.components if c.name == "Faust Proprietary File")
    assert {(lic.kind, lic.value) for lic in faust.licenses} == {("name", "Faust Proprietary Notice")}


def test_lib4sbom_licence_entries_without_the_license_wrapper_are_read() -> None:
    """lib4sbom writes a component's several licences as ``{"id": "Apache-2.0"}`` entries, without
    the ``license`` object around them: read as licences (and counted), not skipped."""
    path = fixture_path(LIB4SBOM_CDX)
    doc = json.loads(path.read_text())
    bare = [
        (c["bom-ref"], e["id"])
        for c in doc["components"]
        for e in c.get("licenses", [])
        if "license" not in e and "expression" not in e
    ]
    assert len(bare) == 12
    sbom = load_sbom(path)
    assert not sbom.skipped
    by_ref = {c.ref: c for c in sbom.components}
    for ref, lid in bare:
        assert any(lic.kind == "id" and lic.value == lid for lic in by_ref[ref].licenses), (ref, lid)
    for c in doc["components"]:
        assert len(by_ref[c["bom-ref"]].licenses) == len(c.get("licenses", []))
    assert sbom.notes["licence entries without the 'license' wrapper (read as licences)"] == 12


def test_describes_between_two_packages_is_counted_not_dropped() -> None:
    """lib4sbom turns the first dependency entry of a CycloneDX file into "package DESCRIBES
    package" relationships. SPDX defines no dependency meaning for that: not read as edges, but
    counted in the notes instead of disappearing."""
    path = fixture_path(LIB4SBOM_SPDX_JSON)
    doc = json.loads(path.read_text())
    describes = [r for r in doc["relationships"] if r["relationshipType"] == "DESCRIBES"]
    assert describes
    assert all(r["spdxElementId"] != "SPDXRef-DOCUMENT" for r in describes)
    sbom = load_sbom(path)
    assert sbom.root is None  # no DESCRIBES from the document
    assert sbom.notes["DESCRIBES relationships not from the document (not read)"] == len(describes)
    depends = [r for r in doc["relationships"] if r["relationshipType"] == "DEPENDS_ON"]
    assert len(sbom.edges) == len(depends)


def test_spdx_describes_from_the_document_gives_no_note() -> None:
    sbom = load_sbom(fixture_path("spdx-2.2_appbomination_gradle.spdx.json"))
    assert not any("not from the document" in note for note in sbom.notes)


@pytest.mark.parametrize("name", [SBOM4PYTHON_YAML])
def test_spdx_yaml_is_refused_as_unsupported_with_a_way_out(name: str) -> None:
    """SPDX YAML (sbom4python, distro2sbom, spdx-tools) is recognised and refused as such, with
    the way to convert it, rather than called "not an SBOM"."""
    with pytest.raises(UnsupportedFormatError, match="SPDX YAML is not supported") as info:
        load_sbom(fixture_path(name))
    assert "JSON" in str(info.value)


def test_spdx_yaml_with_spdx_version_only_in_the_tail() -> None:
    """spdx-tools and lib4sbom sort the keys: in a large file ``spdxVersion`` comes last."""
    raw = fixture_path(SBOM4PYTHON_YAML).read_bytes()
    head, _, tail = raw.partition(b"\npackages:")
    head = head.replace(b"SPDXID: SPDXRef-DOCUMENT\n", b"")  # only the tail can tell
    with pytest.raises(UnsupportedFormatError, match="SPDX YAML"):
        identify(head, name="x", tail=b"packages:" + tail)
