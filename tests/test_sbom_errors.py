"""Broken and hostile inputs: a clear InputError naming the file (and the place), or a partial
parse listing what was skipped. Never a traceback."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from souverain.errors import InputError, NotAnSbomError, UnsupportedFormatError
from souverain.graph import build_graph
from souverain.model import SbomFormat
from souverain.sbom import load_sbom
from souverain.sbom.detect import identify

from tests.conftest import fixture_path


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("broken/empty.json", NotAnSbomError, "empty"),
        ("broken/whitespace.json", NotAnSbomError, "whitespace"),
        ("broken/not-an-sbom.json", NotAnSbomError, "neither CycloneDX nor SPDX"),
        ("broken/json-array.json", NotAnSbomError, "array"),
        ("broken/junk.bin", NotAnSbomError, "binary"),
        ("broken/spdx-3.1.jsonld", UnsupportedFormatError, "SPDX 3.1 (JSON-LD) is not supported"),
        ("broken/cdx-9.9.json", UnsupportedFormatError, "CycloneDX 9.9"),
        ("broken/cdx-2.0.xml", UnsupportedFormatError, "CycloneDX 2.0"),
    ],
)
def test_not_an_sbom_or_unsupported(name: str, error: type[InputError], words: str) -> None:
    path = fixture_path(name)
    with pytest.raises(error) as info:
        load_sbom(path)
    assert info.value.path == str(path)
    assert words in info.value.message
    assert str(path) in info.value.diagnostics()
    assert info.value.exit_code == 3


def test_truncated_json_names_line_and_column() -> None:
    path = fixture_path("broken/truncated.cdx.json")
    with pytest.raises(InputError) as info:
        load_sbom(path)
    assert type(info.value) is InputError
    assert "invalid JSON" in info.value.message
    lines = path.read_bytes().count(b"\n") + 1
    assert info.value.location is not None
    assert info.value.location.startswith(f"line {lines}, column ")


def test_invalid_xml_names_the_line() -> None:
    with pytest.raises(InputError) as info:
        load_sbom(fixture_path("broken/invalid.cdx.xml"))
    assert "invalid XML" in info.value.message
    assert info.value.location is not None
    assert info.value.location.startswith("line ")


def test_billion_laughs_is_refused_quickly() -> None:
    with pytest.raises(InputError) as info:
        load_sbom(fixture_path("broken/billion-laughs.cdx.xml"))
    assert "DOCTYPE" in info.value.message
    assert info.value.location == "line 2"


def test_external_entity_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    doc = tmp_path / "xxe.cdx.xml"
    doc.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>'
        '<component type="library"><name>&xxe;</name><version>1</version></component>'
        "</components></bom>\n"
    )
    atime = secret.stat().st_atime_ns
    with pytest.raises(InputError) as info:
        load_sbom(doc)
    assert "DOCTYPE" in info.value.message
    assert "TOP-SECRET-MARKER" not in info.value.diagnostics()
    assert secret.stat().st_atime_ns == atime


def test_doctype_without_entities_is_refused_too() -> None:
    raw = (
        b'<?xml version="1.0"?>\n<!DOCTYPE bom SYSTEM "http://example.invalid/bom.dtd">\n'
        b'<bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>\n'
    )
    with pytest.raises(InputError, match="DOCTYPE"):
        load_sbom(raw, name="<stdin>")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_sbom(tmp_path / "nope.json")
    with pytest.raises(InputError, match="directory"):
        load_sbom(tmp_path)


def _utf16_variants() -> list[tuple[str, bytes]]:
    text = fixture_path("spdx-2.3_tools-python-example.spdx").read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    return [
        ("utf-16-le", codecs.BOM_UTF16_LE + crlf.encode("utf-16-le")),
        ("utf-16-be", codecs.BOM_UTF16_BE + crlf.encode("utf-16-be")),
        ("utf-8-bom", codecs.BOM_UTF8 + crlf.encode("utf-8")),
    ]


@pytest.mark.parametrize(("label", "raw"), _utf16_variants(), ids=lambda v: v if isinstance(v, str) else "")
def test_tagvalue_encodings(label: str, raw: bytes) -> None:
    plain = load_sbom(fixture_path("spdx-2.3_tools-python-example.spdx"))
    sbom = load_sbom(raw, name=label)
    assert sbom.format is SbomFormat.SPDX_TAGVALUE
    assert [c.ref for c in sbom.components] == [c.ref for c in plain.components]
    assert sbom.edges == plain.edges
    assert [c.description for c in sbom.components] == [c.description for c in plain.components]


def test_tagvalue_text_blocks_are_not_tags() -> None:
    raw = (
        b"SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: t\n"
        b"PackageName: real\nSPDXID: SPDXRef-real\n"
        b"PackageDescription: <text>first line\nPackageName: not-a-package\nSPDXID: SPDXRef-fake\n"
        b"Relationship: SPDXRef-real DEPENDS_ON SPDXRef-fake</text>\n"
        b"PackageName: other\nSPDXID: SPDXRef-other\n"
        b"Relationship: SPDXRef-real DEPENDS_ON SPDXRef-other\n"
    )
    sbom = load_sbom(raw, name="t.spdx")
    assert [c.name for c in sbom.components] == ["real", "other"]
    assert sbom.components[0].description is not None
    assert "PackageName: not-a-package" in sbom.components[0].description
    assert [(a, b) for a, b, _ in sbom.edges] == [("SPDXRef-real", "SPDXRef-other")]


def test_tagvalue_unclosed_text_is_an_error() -> None:
    raw = b"SPDXVersion: SPDX-2.3\nPackageName: p\nPackageDescription: <text>never closed\nmore\n"
    with pytest.raises(InputError) as info:
        load_sbom(raw, name="t.spdx")
    assert info.value.location == "line 3"


def test_graph_oddities_partial_parse() -> None:
    sbom = load_sbom(fixture_path("broken/graph-oddities.cdx.json"))
    reasons = {s.location: s.reason for s in sbom.skipped}
    assert "malformed purl 'not a purl at all'" in reasons["/components/3/purl"]
    assert "/components/6/purl" in reasons  # purl without a type
    assert reasons["/components/5"] == "component without a name"
    assert reasons["/components/8"] == "component is not an object"
    assert reasons["/components/9"] == "component without a name"  # name is a list
    assert "dependency entry without ref" in reasons["/dependencies/5"]
    assert "dependsOn item is not a ref" in reasons["/dependencies/3"]
    d = next(c for c in sbom.components if c.name == "d")
    assert d.purl is None
    assert d.purl_text == "not a purl at all"
    h = next(c for c in sbom.components if c.name == "h")
    assert h.version == "3"
    assert h.licenses == ()  # "licenses": "MIT" is not a list: ignored
    graph = build_graph(sbom)
    assert graph.issues.duplicate_refs == 1
    assert graph.issues.self_loops == 1
    assert graph.issues.cycles == 1  # a → b → c → a
    assert graph.issues.dangling_edges == 2  # app → ghost, phantom → a
    assert graph.dependencies("orphan") is not None
    assert "orphan" in set(graph.dependencies("app"))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.5"}', (SbomFormat.CYCLONEDX_JSON, "1.5")),
        (b'{"components": [], "bomFormat": "CycloneDX"', (SbomFormat.CYCLONEDX_JSON, "")),
        (b'{"SPDXID": "SPDXRef-DOCUMENT", "files": [', (SbomFormat.SPDX_JSON, "")),
        (b'{"spdxVersion": "SPDX-2.3"', (SbomFormat.SPDX_JSON, "2.3")),
        (b'<?xml version="1.0"?>\n<!-- c -->\n<bom xmlns="http://cyclonedx.org/schema/bom/1.3">',
         (SbomFormat.CYCLONEDX_XML, "1.3")),
        (b"# comment\nSPDXVersion: SPDX-2.2\n", (SbomFormat.SPDX_TAGVALUE, "2.2")),
    ],
)
def test_identify(head: bytes, expected: tuple[SbomFormat, str]) -> None:
    assert identify(head, name="x") == expected


@pytest.mark.parametrize(
    ("head", "error"),
    [
        (b'{"spdxVersion": "SPDX-2.1"}', UnsupportedFormatError),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         b'xmlns:spdx="http://spdx.org/rdf/terms#">', UnsupportedFormatError),
        (b"<html><body>hello</body></html>", NotAnSbomError),
        (b"name,version\nleft-pad,1.3.0\n", NotAnSbomError),
        (b'{"bomFormat": "SWID"}', NotAnSbomError),
    ],
)
def test_identify_refuses(head: bytes, error: type[InputError]) -> None:
    with pytest.raises(error):
        identify(head, name="x")
