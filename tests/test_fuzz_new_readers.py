"""Property tests for the newer input paths: the SPDX 3.0 JSON-LD reader, the CycloneDX report
that writes a CycloneDX JSON 1.3+ input back enriched in place, and compressed input.

Bad input never becomes a traceback: load_sbom returns a ParsedSbom (that the whole pipeline
audits and every reporter renders) or raises a SouverainError naming the input, never the
"unexpected error" load_sbom wraps reader bugs in. Same settings as tests/test_sbom_fuzz.py:
derandomized, a bounded number of examples."""

from __future__ import annotations

import bz2
import codecs
import copy
import gzip
import io
import json
import lzma
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.errors import InputError, NotAnSbomError, SouverainError
from souverain.graph import build_graph
from souverain.model import ParsedSbom
from souverain.pipeline import audit
from souverain.report import REPORTERS
from souverain.report.base import RenderOptions
from souverain.report.cyclonedx import render_cyclonedx_bytes
from souverain.sbom import load_sbom

from tests.conftest import fixture_path

NAME = "<fuzz>"


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@cache
def _raw(name: str) -> bytes:
    return fixture_path(name).read_bytes()


@cache
def _small_spdx3(name: str, keep: int) -> bytes:
    """A real SPDX 3 document cut to its first ``keep`` graph elements (its relationships then
    point at elements it no longer holds, which is one more thing to read gracefully)."""
    doc = json.loads(_raw(name))
    doc["@graph"] = doc["@graph"][:keep]
    return json.dumps(doc).encode()


def _load_or_clean_error(raw: bytes) -> ParsedSbom | None:
    """The SBOM load_sbom reads from ``raw`` (its graph built), or None after a clean error."""
    error: SouverainError | None = None
    try:
        sbom = load_sbom(raw, name=NAME)
    except SouverainError as exc:
        error = exc
    if error is not None:
        text = error.diagnostics()
        assert text.startswith(NAME), text
        assert "unexpected error" not in text, text
        # the place: a JSON pointer or a line; only "not an SBOM at all" is about the whole file
        assert isinstance(error, NotAnSbomError) or getattr(error, "location", None), text
        return None
    build_graph(sbom)
    return sbom


def _audit_and_render(sbom: ParsedSbom, source: bytes) -> None:
    """The whole pipeline on a parsed SBOM, then every reporter."""
    result = audit(sbom, reproducible=True).result
    options = RenderOptions(reproducible=True, source=source)
    for reporter in REPORTERS.values():
        reporter.render(result, io.StringIO(), options)


# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------

DEEP = "\x00deep\x00"
"""A placeholder value, replaced in the serialised text by a deeply nested array or object
(json.dumps recurses: it cannot write them itself)."""

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([2**63, 2**64 - 1, -(2**63), 1.5, -0.0, 1e300]),
    st.text(max_size=8),
    st.sampled_from(["", " ", "NOASSERTION", "NONE", "x" * 100_000, "\u202e\x00\ud7ff\n", "_:ci", DEEP]),
    st.lists(st.one_of(st.integers(0, 2), st.text(max_size=3)), max_size=2),
    st.dictionaries(
        st.sampled_from(["name", "type", "spdxId", "@id", "@value", "bom-ref", "ref", "properties"]),
        st.one_of(st.integers(0, 2), st.text(max_size=4)),
        max_size=2,
    ),
)


def _paths(node: Any, prefix: tuple[Any, ...] = (), limit: int = 4) -> list[tuple[Any, ...]]:
    """Paths to the values in ``node`` (the first ``limit`` items of each list)."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k), limit))
    elif isinstance(node, list):
        for i, v in enumerate(node[:limit]):
            out.extend(_paths(v, (*prefix, i), limit))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def _mutate_value(doc: Any, path: tuple[Any, ...], data: st.DataObject) -> None:
    """Delete the value at ``path``, replace it with another JSON type, wrap it in a list or
    take a list's first item."""
    parent, key = _parent(doc, path), path[-1]
    how = data.draw(st.sampled_from(["delete", "replace", "wrap", "unwrap"]))
    value = parent[key]
    if how == "delete" and isinstance(parent, dict):
        del parent[key]
    elif how == "wrap":
        parent[key] = [value]
    elif how == "unwrap" and isinstance(value, list):
        parent[key] = value[0] if value else None
    else:
        parent[key] = data.draw(JSON_VALUES)


def _serialised(doc: Any, depth: int) -> bytes:
    text = json.dumps(doc)
    nested = "[" * depth + "]" * depth if depth % 2 else '{"a":' * depth + "1" + "}" * depth
    return text.replace(json.dumps(DEEP), nested).encode()


# -- SPDX 3 ----------------------------------------------------------------------------------

SPDX3_DOCS: list[tuple[str, int]] = [
    ("spdx3/handmade-features.spdx3.json", 1000),
    ("spdx3/distro2sbom-0.6.0_debian-12-trimmed.spdx3.json", 40),
    ("spdx3/lib4sbom-0.10.4_jabref-trimmed.spdx3.json", 40),
]
SPDX3_TYPES = [
    "software_Package", "Relationship", "LifecycleScopedRelationship", "SpdxDocument", "software_Sbom",
    "CreationInfo", "Person", "Organization", "Tool", "software_File", "simplelicensing_LicenseExpression",
    "expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_OrLaterOperator",
    "expandedlicensing_WithAdditionOperator", "https://spdx.org/rdf/3.0.1/terms/Software/Package",
    "spdx:Core/Relationship", "Annotation", "Relationship2", "",
]
CONTEXTS = [
    "https://spdx.org/rdf/3.0.0/spdx-context.jsonld",
    "https://spdx.org/rdf/3.0/spdx-context.jsonld",
    ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld", {"ex": "urn:example:"}],
    {"spdx": "https://spdx.org/rdf/3.0.1/terms/", "@vocab": "https://spdx.org/rdf/3.0.1/terms/Core/"},
    [{"@context": {"software": "https://spdx.org/rdf/3.0.1/terms/Software/"}}],
    "https://spdx.org/rdf/3.1/spdx-context.jsonld",
    "https://spdx.org/rdf/2.3/spdx-context.jsonld",
    "urn:example:context",
    None,
    5,
    [],
    {},
    DEEP,
]


def _spdx3_mutation(doc: dict[str, Any], data: st.DataObject) -> None:
    graph = doc.get("@graph")
    if not isinstance(graph, list) or not graph:
        return
    kind = data.draw(
        st.sampled_from(["value", "value", "value", "type", "collision", "relationship", "context",
                         "graph", "element", "inline"])
    )
    i = data.draw(st.integers(0, len(graph) - 1))
    item = graph[i]
    if kind == "value":
        paths = [p for p in _paths(item) if p]
        if paths:
            _mutate_value(item, data.draw(st.sampled_from(paths)), data)
        else:
            graph[i] = data.draw(JSON_VALUES)
    elif kind == "type" and isinstance(item, dict):
        item[data.draw(st.sampled_from(["type", "@type"]))] = data.draw(
            st.one_of(
                st.sampled_from(SPDX3_TYPES), st.lists(st.sampled_from(SPDX3_TYPES), max_size=3), JSON_VALUES
            )
        )
    elif kind == "collision" and isinstance(item, dict):
        other = graph[data.draw(st.integers(0, len(graph) - 1))]
        if isinstance(other, dict):
            item["spdxId"] = other.get("spdxId", other.get("@id"))
    elif kind == "relationship":
        rels = [g for g in graph if isinstance(g, dict) and "relationshipType" in g]
        ids = [g["spdxId"] for g in graph if isinstance(g, dict) and isinstance(g.get("spdxId"), str)]
        if rels:
            rel = data.draw(st.sampled_from(rels))
            end = data.draw(st.sampled_from(["from", "to", "relationshipType", "scope"]))
            rel[end] = data.draw(
                st.one_of(
                    st.sampled_from(["urn:example:missing", "", "NoneElement", "NoAssertionElement",
                                     "https://spdx.org/licenses/MIT", "dependsOn", "contains", "describes",
                                     "hasDeclaredLicense", "hasConcludedLicense", "build", "test"]),
                    st.lists(st.sampled_from([*ids[:6], "urn:example:missing"]), max_size=3),
                    st.sampled_from(ids[:6] or [""]),
                    JSON_VALUES,
                )
            )
    elif kind == "context":
        doc["@context"] = copy.deepcopy(data.draw(st.sampled_from(CONTEXTS)))
    elif kind == "graph":
        how = data.draw(st.sampled_from(["not a list", "one element", "duplicate", "shuffle"]))
        if how == "not a list":
            doc["@graph"] = data.draw(JSON_VALUES)
        elif how == "one element":  # a single top-level element with the others inline
            del doc["@graph"]
            doc.update(item if isinstance(item, dict) else {"x": item})
        elif how == "duplicate":
            graph.append(copy.deepcopy(item))
        else:
            graph.reverse()
    elif kind == "element":
        graph.insert(i, data.draw(st.one_of(JSON_VALUES, st.fixed_dictionaries({
            "type": st.sampled_from(SPDX3_TYPES),
            "spdxId": st.sampled_from(["_:lib", "urn:example:app", "_:x", ""]),
            "name": JSON_VALUES,
            "from": JSON_VALUES,
            "to": JSON_VALUES,
            "relationshipType": st.sampled_from(["dependsOn", "hasDeclaredLicense", "describes"]),
        }))))
    elif kind == "inline" and isinstance(item, dict):
        # an element held inline (in another element, or in itself by a copy) instead of by id
        other = graph[data.draw(st.integers(0, len(graph) - 1))]
        key = data.draw(st.sampled_from(["to", "from", "suppliedBy", "originatedBy", "creationInfo",
                                         "expandedlicensing_member", "rootElement"]))
        item[key] = copy.deepcopy(other) if data.draw(st.booleans()) else [copy.deepcopy(other)]


@_settings(60)
@given(doc_index=st.integers(0, len(SPDX3_DOCS) - 1), data=st.data())
def test_spdx3_mutations_read_audit_and_render(doc_index: int, data: st.DataObject) -> None:
    doc = json.loads(_small_spdx3(*SPDX3_DOCS[doc_index]))
    for _ in range(data.draw(st.integers(1, 4))):
        _spdx3_mutation(doc, data)
    raw = _serialised(doc, data.draw(st.sampled_from([3, 200, 5001, 5000])))
    sbom = _load_or_clean_error(raw)
    if sbom is not None:
        _audit_and_render(sbom, raw)


# -- CycloneDX in place ----------------------------------------------------------------------

CDX_FILES = [
    "cdx-1.4_hbom-pcie-sata-adapter.json",
    "cdx-1.4_saasbom-apigateway-services.json",
    "handmade/cdx-1.4_unknown-fields.json",
    "handmade/cdx-1.6_vulnerabilities-nested.json",
    "handmade/cdx-1.6_supplier-country.json",
]
TOOLS = st.one_of(
    st.just([{"vendor": "x", "name": "t", "version": "1"}]),
    st.just({"components": [{"type": "application", "name": "t"}], "services": []}),
    st.just({"components": {"name": "t"}}),
    st.just({"services": [{"name": "s"}]}),
    st.just([{"name": "souverain", "version": "0"}, 3, None]),
    st.just({"components": [{"name": "souverain", "bom-ref": "souverain:tool"}]}),
    JSON_VALUES,
).map(copy.deepcopy)  # a fresh object each time: later mutations change it
PROPERTIES = st.one_of(
    st.just([{"name": "souverain:country", "value": "XX"}, {"name": "keep", "value": "1"}]),
    st.just([{"name": "souverain:reach"}]),
    st.lists(JSON_VALUES, max_size=3),
    JSON_VALUES,
).map(copy.deepcopy)
VERSIONS = st.sampled_from(["1", 1.0, 2.5, 0, -1, 2**63 - 1, 2**63, 2**64 - 1, True, None, [1]])


def _components(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every component object of a CycloneDX document (nested ones too)."""
    out: list[dict[str, Any]] = []
    stack = [doc.get("components"), (doc.get("metadata") or {}).get("component") if isinstance(
        doc.get("metadata"), dict) else None]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            out.append(item)
            stack.append(item.get("components"))
    return out


def _cdx_mutation(doc: dict[str, Any], data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["value", "value", "tools", "properties", "version", "nest", "ref"]))
    meta = doc.get("metadata")
    components = _components(doc)
    if kind == "value":
        paths = [p for p in _paths(doc) if p]
        _mutate_value(doc, data.draw(st.sampled_from(paths)), data)
    elif kind == "tools" and isinstance(meta, dict):
        meta["tools"] = data.draw(TOOLS)
    elif kind == "properties":
        targets = [*components, *([meta] if isinstance(meta, dict) else [])]
        if targets:
            data.draw(st.sampled_from(targets))["properties"] = data.draw(PROPERTIES)
    elif kind == "version":
        doc["version"] = data.draw(VERSIONS)
    elif kind == "nest" and len(components) >= 2:
        # a component moved (a copy: no cycle) into another one's nested components
        inner = data.draw(st.sampled_from(components))
        outer = data.draw(st.sampled_from(components))
        for holder in [doc, *components]:
            held = holder.get("components")
            if isinstance(held, list) and any(c is inner for c in held):
                held[:] = [c for c in held if c is not inner]
                break
        nested = outer.setdefault("components", [])
        if isinstance(nested, list):
            nested.append(copy.deepcopy(inner))
    elif kind == "ref" and components:
        c = data.draw(st.sampled_from(components))
        c["bom-ref"] = data.draw(
            st.one_of(
                st.sampled_from([" padded ", "", "a/b~c", *[str(x.get("bom-ref")) for x in components[:3]]]),
                JSON_VALUES,
            )
        )


def _refs_and_edges(sbom: ParsedSbom) -> tuple[list[str], list[tuple[str, str, Any]]]:
    nodes = [*([sbom.root] if sbom.root is not None else []), *sbom.components]
    return sorted(c.ref for c in nodes), sorted(sbom.edges)


@_settings(80)
@given(name=st.sampled_from(CDX_FILES), data=st.data())
def test_cyclonedx_in_place_on_mutated_input(name: str, data: st.DataObject) -> None:
    doc = json.loads(_raw(name))
    for _ in range(data.draw(st.integers(1, 4))):
        _cdx_mutation(doc, data)
    raw = _serialised(doc, 3)
    try:
        sbom = load_sbom(raw, name="mutant.cdx.json")
    except SouverainError:
        return  # what load_sbom refuses is test_sbom_fuzz.py's business
    result = audit(sbom, reproducible=True).result
    out = render_cyclonedx_bytes(result, RenderOptions(reproducible=True, source=raw))
    written = orjson.loads(out)
    assert isinstance(written, dict)
    # the rebuilt BOM is 1.6 with a serial number of its own
    same = ("specVersion", "serialNumber")
    in_place = all(written.get(key) == doc.get(key) for key in same)
    if in_place:
        again = load_sbom(out, name="enriched.cdx.json")
        assert _refs_and_edges(again) == _refs_and_edges(sbom)
    else:
        assert written["specVersion"] == "1.6"
        assert written["bomFormat"] == "CycloneDX"


# -- compressed input ------------------------------------------------------------------------

COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "xz": lzma.compress,
    "bzip2": bz2.compress,
}
COMPRESSED_FILES = ["cdx-1.4_hbom-pcie-sata-adapter.json", "spdx3/handmade-features.spdx3.json"]


@cache
def _compressed(kind: str, name: str) -> bytes:
    return COMPRESSORS[kind](_raw(name))


@_settings(60)
@given(
    kind=st.sampled_from(sorted(COMPRESSORS)),
    name=st.sampled_from(COMPRESSED_FILES),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=0.999), st.integers(0, 7)), max_size=4),
)
def test_damaged_compressed_input(kind: str, name: str, cut: float, flips: list[tuple[float, int]]) -> None:
    raw = bytearray(_compressed(kind, name))
    for where, bit in flips:
        raw[int(where * len(raw))] ^= 1 << bit
    damaged = bytes(raw[: max(1, int(cut * len(raw)))] if cut < 0.95 else raw)
    error: InputError | None = None
    try:
        sbom = load_sbom(damaged, name=NAME)
    except InputError as exc:
        error = exc
    if error is not None:
        assert error.path == NAME
        assert "unexpected error" not in error.diagnostics()
        return
    build_graph(sbom)  # a flip the format's checks did not catch (in a stored block, say)


NOT_SBOMS = st.one_of(
    st.binary(max_size=200),
    st.text(alphabet=st.characters(codec="ascii", exclude_characters="<{"), max_size=200),
    st.sampled_from([b"", b"   \n", b"[]", b'{"a": 1}', b'{"@context": "urn:x"}', b"<html/>", b"\x00" * 64]),
    st.builds(_compressed, st.sampled_from(sorted(COMPRESSORS)), st.sampled_from(COMPRESSED_FILES)),  # twice
)


@_settings(40)
@given(kind=st.sampled_from(sorted(COMPRESSORS)), inner=NOT_SBOMS)
def test_compressed_non_sbom_is_not_an_sbom(kind: str, inner: bytes | str) -> None:
    payload = inner.encode() if isinstance(inner, str) else inner
    packed = COMPRESSORS[kind](payload)
    with pytest.raises(NotAnSbomError) as caught:
        load_sbom(packed, name=NAME)
    assert caught.value.path == NAME


# --------------------------------------------------------------------------------------------
# What these tests found, one example each
# --------------------------------------------------------------------------------------------


def _enriched(raw: bytes) -> dict[str, Any]:
    result = audit(raw, name="x.cdx.json", reproducible=True).result
    out: dict[str, Any] = orjson.loads(
        render_cyclonedx_bytes(result, RenderOptions(reproducible=True, source=raw))
    )
    return out


def test_the_largest_bom_version_is_kept_not_incremented() -> None:
    # 2**64 - 1 reads as an integer; its successor cannot be written (orjson: "Integer exceeds
    # 64-bit range", a traceback)
    doc = json.loads(_raw("cdx-1.4_hbom-pcie-sata-adapter.json"))
    doc["version"] = 2**64 - 1
    out = _enriched(json.dumps(doc).encode())
    assert out["serialNumber"] == doc["serialNumber"]  # enriched in place
    assert out["version"] == 2**64 - 1
    doc["version"] = 2**64 - 2
    assert _enriched(json.dumps(doc).encode())["version"] == 2**64 - 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32-be"])
def test_format_keys_mid_document_found_with_a_byte_order_mark(encoding: str) -> None:
    # the whole-document look-up parsed the raw bytes: with a byte-order mark, the document was
    # "neither CycloneDX nor SPDX" although the same document without one is read
    comps = [{"type": "library", "bom-ref": f"c{i}", "name": f"lib{i}"} for i in range(3000)]
    text = json.dumps({"components": comps})[:-1] + ', "bomFormat": "CycloneDX", "specVersion": "1.5", '
    text += json.dumps({"dependencies": [{"ref": f"c{i % 3000}"} for i in range(6000)]})[1:]
    assert "bomFormat" not in text[: 64 * 1024]  # in no encoding: the head...
    assert "bomFormat" not in text[-64 * 1024 :]  # ...and the tail name no format
    boms = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    bom = boms[encoding]
    raw = bom + text.encode(encoding)
    assert len(load_sbom(raw, name="middle.json").components) == 3000


def test_licence_sets_sharing_members_do_not_blow_up() -> None:
    # each set names the next one twice: 16 levels spelled a 650,000-character expression (and
    # 25 levels, from 3 KB, took minutes and gigabytes); now the licence is skipped as too large
    graph: list[dict[str, Any]] = [
        {"type": "software_Package", "spdxId": "urn:p", "name": "p"},
        {"type": "Relationship", "spdxId": "urn:r", "from": "urn:p", "relationshipType": "hasDeclaredLicense",
         "to": ["urn:s0"]},
    ]
    for i in range(16):
        member = f"urn:s{i + 1}" if i < 15 else "https://spdx.org/licenses/MIT"
        graph.append({"type": "expandedlicensing_ConjunctiveLicenseSet", "spdxId": f"urn:s{i}",
                      "expandedlicensing_member": [member, member]})
    context = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    sbom = load_sbom(json.dumps({"@context": context, "@graph": graph}).encode(), name="dag.spdx3.json")
    (package,) = sbom.components
    assert package.licenses == ()
    assert [(s.location, s.reason) for s in sbom.skipped] == [
        ("/@graph/1/to/0", "hasDeclaredLicense: licence 'urn:s0' is too large to be read")
    ]
    # a set of a few levels sharing its members is still read
    graph[-1]["expandedlicensing_member"] = ["https://spdx.org/licenses/MIT", "https://spdx.org/licenses/0BSD"]
    graph[1]["to"] = ["urn:s13"]
    sbom = load_sbom(json.dumps({"@context": context, "@graph": graph}).encode(), name="dag.spdx3.json")
    two = "((MIT AND 0BSD) AND (MIT AND 0BSD))"
    assert sbom.components[0].licenses[0].value == f"{two} AND {two}"
