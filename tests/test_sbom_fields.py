"""Field-level reading on a small hand-made CycloneDX 1.6 document (no public SBOM states a supplier
country), and the same document converted to XML to check both readers agree."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, fields
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from souverain.model import (
    Component,
    DeclaredLicense,
    EdgeKind,
    ExternalRef,
    Hash,
    NodeKind,
    ParsedSbom,
    Party,
)
from souverain.sbom import load_sbom
from souverain.sbom._common import (
    new_component,
    new_external_ref,
    new_hash,
    new_licence,
    new_party,
)

from tests.conftest import fixture_path

HANDMADE = "handmade/cdx-1.6_supplier-country.json"


def _to_xml(doc: dict[str, Any]) -> bytes:
    """A faithful CycloneDX 1.6 XML rendering of the hand-made JSON document (test-only)."""

    def org(tag: str, o: dict[str, Any]) -> str:
        inner = f"<name>{escape(o['name'])}</name>"
        if "address" in o:
            fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in o["address"].items())
            inner += f"<address>{fields}</address>"
        inner += "".join(f"<url>{escape(u)}</url>" for u in o.get("url", []))
        inner += "".join(
            f"<contact><name>{escape(c['name'])}</name><email>{escape(c['email'])}</email></contact>"
            for c in o.get("contact", [])
        )
        return f"<{tag}>{inner}</{tag}>"

    def lic(entry: dict[str, Any]) -> str:
        if "expression" in entry:
            return f"<expression>{escape(entry['expression'])}</expression>"
        body = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in entry["license"].items())
        return f"<license>{body}</license>"

    def comp(c: dict[str, Any], tag: str) -> str:
        attrs = f' bom-ref="{escape(c["bom-ref"])}"' + (f' type="{c["type"]}"' if "type" in c else "")
        parts = []
        if "supplier" in c:
            parts.append(org("supplier", c["supplier"]))
        if "manufacturer" in c:
            parts.append(org("manufacturer", c["manufacturer"]))
        if "provider" in c:
            parts.append(org("provider", c["provider"]))
        if "authors" in c:
            parts.append("<authors>" + "".join(
                f"<author><name>{escape(a['name'])}</name><email>{escape(a['email'])}</email></author>"
                for a in c["authors"]) + "</authors>")
        for key in ("publisher", "group", "name", "version", "scope"):
            if key in c:
                parts.append(f"<{key}>{escape(c[key])}</{key}>")
        if "hashes" in c:
            parts.append("<hashes>" + "".join(
                f'<hash alg="{h["alg"]}">{h["content"]}</hash>' for h in c["hashes"]) + "</hashes>")
        if "licenses" in c:
            parts.append("<licenses>" + "".join(lic(e) for e in c["licenses"]) + "</licenses>")
        for key in ("copyright", "cpe", "purl"):
            if key in c:
                parts.append(f"<{key}>{escape(c[key])}</{key}>")
        if "endpoints" in c:
            parts.append("<endpoints>" + "".join(f"<endpoint>{escape(e)}</endpoint>" for e in c["endpoints"])
                         + "</endpoints>")
        for key in ("components", "services"):
            if key in c:
                parts.append(f"<{key}>" + "".join(comp(x, key[:-1]) for x in c[key]) + f"</{key}>")
        return f"<{tag}{attrs}>{''.join(parts)}</{tag}>"

    meta = doc["metadata"]
    tools = "".join(
        f'<component type="{t["type"]}"><group>{t["group"]}</group><name>{t["name"]}</name>'
        f"<version>{t['version']}</version></component>"
        for t in meta["tools"]["components"]
    )
    deps = "".join(
        f'<dependency ref="{escape(d["ref"])}">'
        + "".join(f'<dependency ref="{escape(x)}"/>' for x in d.get("dependsOn", []))
        + "".join(f'<provides ref="{escape(x)}"/>' for x in d.get("provides", []))
        + "</dependency>"
        for d in doc["dependencies"]
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="{doc["serialNumber"]}" version="1">'
        f"<metadata><tools><components>{tools}</components></tools>"
        f"{comp(meta['component'], 'component')}{org('manufacture', meta['manufacture'])}"
        f"{org('supplier', meta['supplier'])}</metadata>"
        f"<components>{''.join(comp(c, 'component') for c in doc['components'])}</components>"
        f"<services>{''.join(comp(s, 'service') for s in doc['services'])}</services>"
        f"<dependencies>{deps}</dependencies></bom>\n"
    )
    return xml.encode()


def _both() -> list[ParsedSbom]:
    path = fixture_path(HANDMADE)
    doc = json.loads(path.read_text())
    return [load_sbom(path), load_sbom(_to_xml(doc), name="handmade.xml")]


@pytest.fixture(params=["json", "xml"])
def sbom(request: pytest.FixtureRequest) -> ParsedSbom:
    json_sbom, xml_sbom = _both()
    return json_sbom if request.param == "json" else xml_sbom


def _by_ref(sbom: ParsedSbom) -> dict[str, Component]:
    return {c.ref: c for c in sbom.components}


def test_supplier_country_and_contacts(sbom: ParsedSbom) -> None:
    gw = _by_ref(sbom)["pkg:maven/eu.example/gateway@3.1"]
    supplier = next(p for p in gw.parties if p.role == "supplier")
    assert supplier.name == "Example GmbH"
    assert supplier.country == "DE"
    assert supplier.emails == ("ops@example.de",)
    assert supplier.urls == ("https://example.de",)
    assert supplier.is_person is None
    manufacturer = next(p for p in gw.parties if p.role == "manufacturer")
    assert manufacturer.country == "DE"
    author = next(p for p in gw.parties if p.role == "author")
    assert (author.name, author.emails, author.is_person) == ("Ada Lovelace", ("ada@example.org",), True)
    publisher = next(p for p in gw.parties if p.role == "publisher")
    assert publisher.is_person is None


def test_licences_hashes_and_identity(sbom: ParsedSbom) -> None:
    gw = _by_ref(sbom)["pkg:maven/eu.example/gateway@3.1"]
    assert [(lic.kind, lic.value) for lic in gw.licenses] == [
        ("id", "Apache-2.0"),
        ("name", "Example Commercial Licence"),
        ("url", "https://example.de/licence"),
        ("expression", "MIT OR Apache-2.0"),
    ]
    assert gw.licenses[0].url == "https://www.apache.org/licenses/LICENSE-2.0"
    assert gw.hashes[0].alg == "SHA-256"
    assert (gw.ecosystem, gw.namespace, gw.package) == ("maven", "eu.example", "gateway")
    assert gw.group == "eu.example"
    assert gw.purl == "pkg:maven/eu.example/gateway@3.1"
    assert gw.cpe is not None
    assert gw.cpe.startswith("cpe:2.3:a:example")
    assert gw.scope == "required"
    assert gw.copyright == "Example GmbH"


def test_root_parties_from_metadata(sbom: ParsedSbom) -> None:
    assert sbom.root is not None
    assert sbom.root.ref == "shop"
    roles = {(p.role, p.name, p.country) for p in sbom.root.parties}
    assert ("manufacturer", "Shop Makers SAS", "FR") in roles
    assert ("supplier", "Shop Makers SAS", None) in roles
    assert sbom.serial_number == "urn:uuid:5a0e4c8e-9c6b-4a57-9f0e-3d2f0e9b1a11"
    assert sbom.tools == ("example hand 1.0",)


def test_services_nesting_and_provides(sbom: ParsedSbom) -> None:
    refs = _by_ref(sbom)
    assert refs["svc"].kind is NodeKind.SERVICE
    assert refs["svc-db"].kind is NodeKind.SERVICE
    assert refs["svc-db"].parent == "svc"
    assert refs["inner"].parent == "pkg:maven/eu.example/gateway@3.1"
    provider = refs["svc"].parties[0]
    assert (provider.role, provider.name, provider.country) == ("supplier", "Cloud Corp", "US")
    assert sorted(sbom.edges) == sorted(
        [
            ("shop", "pkg:maven/eu.example/gateway@3.1", EdgeKind.RUNTIME),
            ("shop", "svc", EdgeKind.RUNTIME),
            ("pkg:maven/eu.example/gateway@3.1", "inner", EdgeKind.NESTED),
            ("svc", "svc-db", EdgeKind.NESTED),
        ]
    )
    assert sbom.notes == {"provides relationships (not dependencies)": 1}


def test_json_and_xml_agree() -> None:
    json_sbom, xml_sbom = _both()
    strip = ("location", "line")
    for a, b in zip(json_sbom.components, xml_sbom.components, strict=True):
        da = {f: getattr(a, f) for f in a.__slots__ if f not in strip}
        db = {f: getattr(b, f) for f in b.__slots__ if f not in strip}
        da["parties"] = [(p.role, p.name, p.emails, p.urls, p.country, p.is_person) for p in a.parties]
        db["parties"] = [(p.role, p.name, p.emails, p.urls, p.country, p.is_person) for p in b.parties]
        assert da == db


def test_component_field_order_is_what_the_cyclonedx_walker_passes() -> None:
    assert [f.name for f in fields(Component)] == [
        "ref", "name", "version", "group", "purl", "purl_text", "ecosystem", "namespace", "package",
        "kind", "type", "licenses", "parties", "external_refs", "hashes", "scope", "properties",
        "parent", "description", "copyright", "cpe", "location", "line",
    ]


# ------------------------------------------------------- fast constructors (sbom/_common.py)

_TEXT = st.text(max_size=8)
_OPT = st.none() | _TEXT
_LIC = st.builds(DeclaredLicense, _TEXT, _TEXT, _TEXT, _OPT)
_PARTY = st.builds(
    Party, _TEXT, _OPT, st.tuples(_TEXT), st.tuples(), _OPT, st.none() | st.booleans(), _TEXT
)


@given(
    st.tuples(
        _TEXT, _TEXT, _OPT, _OPT, _OPT, _OPT, _OPT, _OPT, _OPT,
        st.sampled_from(NodeKind), _TEXT,
        st.lists(_LIC, max_size=2).map(tuple),
        st.lists(_PARTY, max_size=2).map(tuple),
        st.lists(st.builds(ExternalRef, _TEXT, _TEXT), max_size=2).map(tuple),
        st.lists(st.builds(Hash, _TEXT, _TEXT), max_size=2).map(tuple),
        _OPT,
        st.lists(st.tuples(_TEXT, _TEXT), max_size=2).map(tuple),
        _OPT, _OPT, _OPT, _OPT, _TEXT,
        st.none() | st.integers(min_value=1),
    )
)
def test_fast_component_equals_the_dataclass_constructor(args: tuple[Any, ...]) -> None:
    fast, slow = new_component(*args), Component(*args)
    assert type(fast) is Component
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    for f in fields(Component):  # every slot set, to the value passed
        assert getattr(fast, f.name) is getattr(slow, f.name)
    with pytest.raises(FrozenInstanceError):
        fast.name = "changed"  # type: ignore[misc]


@given(_LIC, _PARTY, _TEXT, _TEXT)
def test_fast_small_constructors_equal_the_dataclass_constructors(
    lic: DeclaredLicense, party: Party, a: str, b: str
) -> None:
    for cls, fast, value in (
        (DeclaredLicense, new_licence, lic),
        (Party, new_party, party),
        (ExternalRef, new_external_ref, ExternalRef(a, b)),
        (Hash, new_hash, Hash(a, b)),
    ):
        args = [getattr(value, f.name) for f in fields(cls)]
        built = fast(*args)
        assert type(built) is cls
        assert built == value
        assert repr(built) == repr(value)


def test_fast_component_needs_every_field() -> None:
    with pytest.raises(TypeError):
        new_component("ref", "name")


_ACK_JSON = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
 {"type": "library", "bom-ref": "a", "name": "a", "purl": "pkg:npm/a@1", "licenses": [
   {"license": {"id": "GPL-3.0-only", "acknowledgement": "declared"}},
   {"license": {"id": "MIT", "acknowledgement": "concluded"}}]},
 {"type": "library", "bom-ref": "b", "name": "b", "purl": "pkg:npm/b@1", "licenses": [
   {"expression": "Apache-2.0 OR MIT", "acknowledgement": "concluded"}]},
 {"type": "library", "bom-ref": "c", "name": "c", "purl": "pkg:npm/c@1", "licenses": [
   {"license": {"id": "GPL-3.0-only"}}, {"license": {"id": "MIT"}}]}]}"""

_ACK_XML = b"""<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>
 <component type="library" bom-ref="a"><name>a</name><purl>pkg:npm/a@1</purl><licenses>
   <license acknowledgement="declared"><id>GPL-3.0-only</id></license>
   <license acknowledgement="concluded"><id>MIT</id></license></licenses></component>
 <component type="library" bom-ref="b"><name>b</name><purl>pkg:npm/b@1</purl><licenses>
   <expression acknowledgement="concluded">Apache-2.0 OR MIT</expression></licenses></component>
 <component type="library" bom-ref="c"><name>c</name><purl>pkg:npm/c@1</purl><licenses>
   <license><id>GPL-3.0-only</id></license><license><id>MIT</id></license></licenses></component>
</components></bom>"""


@pytest.mark.parametrize("raw", [_ACK_JSON, _ACK_XML], ids=["json", "xml"])
def test_a_concluded_licence_is_preferred_as_spdx_licence_concluded(raw: bytes) -> None:
    """CycloneDX 1.6 ``acknowledgement``: a licence concluded by analysis is preferred over the
    declared one (as SPDX's licenseConcluded); without it the licences stay combined (AND)."""
    from souverain.knowledge.licences import default_index

    sbom = load_sbom(raw, name="ack")
    by_ref = {c.ref: c for c in sbom.components}
    index = default_index()
    a, _, evidence = index.normalise(list(by_ref["a"].licenses))
    assert a.expression == "MIT"
    assert any("concluded licence preferred" in e.detail for e in evidence)
    assert index.normalise(list(by_ref["b"].licenses))[0].expression == "Apache-2.0 OR MIT"
    # the same licence text without acknowledgement is not taken for a concluded one
    assert index.normalise(list(by_ref["c"].licenses))[0].expression == "GPL-3.0-only AND MIT"
    assert [lic.field for lic in by_ref["c"].licenses] == ["license.id", "license.id"]
