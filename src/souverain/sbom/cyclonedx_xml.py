"""CycloneDX XML 1.1–1.7 reader: lxml, elements converted to the JSON shape, then the shared walk.

A document with a DOCTYPE is refused before parsing (an SBOM never needs a DTD; this rules out
entity-expansion bombs and external entities); the parser itself is also set not to resolve
entities, load DTDs or touch the network.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from souverain.errors import InputError, NotAnSbomError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._cyclonedx import NOT_READ, CycloneDxWalker, check_version, xml_loc
from souverain.sbom.detect import HEAD_SIZE, decode_head

_NS_PREFIX = "{http://cyclonedx.org/schema/bom/"
_ROOT_START = re.compile(r"<[A-Za-z_]")

_TEXT_FIELDS = frozenset(
    {"name", "version", "group", "description", "scope", "copyright", "cpe", "purl", "publisher", "author"}
)
_ORG_FIELDS = frozenset({"supplier", "manufacturer", "provider", "manufacture"})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )


def refuse_doctype(raw: bytes, path: str) -> None:
    """Raise InputError when the document declares a DOCTYPE before its root element."""
    head = decode_head(raw[:HEAD_SIZE])
    start = _ROOT_START.search(head)
    prolog = head[: start.start()] if start else head
    if "<!DOCTYPE" in prolog.upper():
        line = prolog[: prolog.upper().index("<!DOCTYPE")].count("\n") + 1
        raise InputError(
            path,
            "DOCTYPE declarations are refused (an SBOM needs no DTD; entity declarations can be "
            "used for entity-expansion or external-entity attacks)",
            location=f"line {line}",
        )


class _LocalNames(dict[object, str | None]):
    """Full tag → local name for the document's CycloneDX namespace, None for anything else
    (computed once per distinct tag: lxml builds a new string at each ``.tag`` access)."""

    def __init__(self, ns: str) -> None:
        super().__init__()
        self.ns = ns

    def __missing__(self, tag: object) -> str | None:
        name = tag[len(self.ns) :] if isinstance(tag, str) and tag.startswith(self.ns) else None
        self[tag] = name
        return name


class _Converter:
    """Turns CycloneDX elements into the dicts of the JSON format."""

    def __init__(self, ns: str) -> None:
        self.ns = ns  # "{http://cyclonedx.org/schema/bom/1.x}"
        self.local = _LocalNames(ns)

    def children(self, el: Any) -> list[tuple[str, Any]]:
        """``(local name, element)`` of the CycloneDX child elements (other namespaces skipped)."""
        local = self.local
        return [(name, ch) for ch in el if (name := local[ch.tag]) is not None]

    @staticmethod
    def text(el: Any) -> str | None:
        value = el.text
        return value.strip() if value is not None else None

    def org(self, el: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        urls: list[str] = []
        contacts: list[dict[str, Any]] = []
        for tag, ch in self.children(el):
            if tag == "name":
                out["name"] = self.text(ch)
            elif tag == "url":
                value = self.text(ch)
                if value:
                    urls.append(value)
            elif tag == "contact":
                contacts.append(self.contact(ch))
            elif tag == "address":
                out["address"] = {t: self.text(c) for t, c in self.children(ch)}
        if urls:
            out["url"] = urls
        if contacts:
            out["contact"] = contacts
        return out

    def contact(self, el: Any) -> dict[str, Any]:
        return {tag: self.text(ch) for tag, ch in self.children(el)}

    def licenses(self, el: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for tag, ch in self.children(el):
            ack = ch.get("acknowledgement")  # CycloneDX 1.6: an attribute in XML
            if tag == "expression":
                entry: dict[str, Any] = {"expression": self.text(ch)}
                if ack is not None:
                    entry["acknowledgement"] = ack
                out.append(entry)
            elif tag == "license":
                lic = {t: self.text(c) for t, c in self.children(ch)}
                if ack is not None:
                    lic["acknowledgement"] = ack
                out.append({"license": lic})
        return out

    def component(self, el: Any) -> dict[str, Any]:
        """One component or service element as a JSON-shaped dict (with ``_line``).

        The hot loop of the XML reader: the child elements are read in one pass with the
        common text fields handled inline (no intermediate list, no method call per field)."""
        out: dict[str, Any] = dict(el.attrib)
        out["_line"] = el.sourceline
        local = self.local
        for ch in el:
            tag = local[ch.tag]
            if tag in _TEXT_FIELDS:
                value = ch.text
                out[tag] = value.strip() if value is not None else None
            elif tag is None:
                continue
            elif tag in _ORG_FIELDS:
                out[tag] = self.org(ch)
            elif tag == "licenses":
                out["licenses"] = self.licenses(ch)
            elif tag == "hashes":
                out["hashes"] = [{"alg": h.get("alg"), "content": self.text(h)} for _, h in self.children(ch)]
            elif tag == "externalReferences":
                refs = []
                for _, ref in self.children(ch):
                    item: dict[str, Any] = {"type": ref.get("type")}
                    for t, c in self.children(ref):
                        if t == "url":
                            item["url"] = self.text(c)
                    refs.append(item)
                out["externalReferences"] = refs
            elif tag == "properties":
                out["properties"] = [
                    {"name": p.get("name"), "value": self.text(p) or ""} for _, p in self.children(ch)
                ]
            elif tag == "authors":
                out["authors"] = [self.contact(a) for _, a in self.children(ch)]
            elif tag == "endpoints":
                out["endpoints"] = [self.text(e) for _, e in self.children(ch)]
            elif tag in ("components", "services"):
                out[tag] = [self.component(c) for _, c in self.children(ch)]
        return out

    def tools(self, el: Any) -> Any:
        kids = self.children(el)
        if any(tag in ("components", "services") for tag, _ in kids):
            return {
                tag: [{t: self.text(c) for t, c in self.children(item)} for _, item in self.children(ch)]
                for tag, ch in kids
                if tag in ("components", "services")
            }
        return [{t: self.text(c) for t, c in self.children(tool)} for _, tool in kids]

    def dependencies(self, el: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        dependency, provides_tag = f"{self.ns}dependency", f"{self.ns}provides"
        for _, dep in self.children(el):
            # lxml filters the children by tag in C; <provides> only looked for when some child
            # is not a <dependency>
            depends = [ch.get("ref") for ch in dep.iterchildren(dependency)]
            provides = (
                [ch.get("ref") for ch in dep.iterchildren(provides_tag)] if len(dep) != len(depends) else []
            )
            out.append({"ref": dep.get("ref"), "dependsOn": depends, "provides": provides})
        return out

    def document(self, root: Any) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        serial = root.get("serialNumber")
        if serial:
            doc["serialNumber"] = serial
        for tag, ch in self.children(root):
            if tag == "metadata":
                meta: dict[str, Any] = {}
                for mtag, mch in self.children(ch):
                    if mtag == "component":
                        meta["component"] = self.component(mch)
                    elif mtag == "tools":
                        meta["tools"] = self.tools(mch)
                    elif mtag in _ORG_FIELDS:
                        meta[mtag] = self.org(mch)
                doc["metadata"] = meta
            elif tag in ("components", "services"):
                doc[tag] = [self.component(c) for _, c in self.children(ch)]
            elif tag == "dependencies":
                doc["dependencies"] = self.dependencies(ch)
            elif tag in NOT_READ:
                doc[tag] = [None] * len(self.children(ch))  # only counted
        return doc


def parse_cyclonedx_xml(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read a CycloneDX XML document. Locations are XML paths with 1-based indexes; ``line``
    is the component element's line."""
    refuse_doctype(raw, path)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"invalid XML: {exc.msg}", location=f"line {exc.lineno}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError(path, "DOCTYPE declarations are refused (an SBOM needs no DTD)")
    tag = root.tag if isinstance(root.tag, str) else ""
    if not tag.startswith(_NS_PREFIX) or not tag.endswith("}bom"):
        raise NotAnSbomError(path, f"the root element {tag!r} is not a CycloneDX <bom>")
    ns = tag[: -len("bom")]
    version = ns[len(_NS_PREFIX) : -1]
    check_version(path, version)
    doc = _Converter(ns).document(root)
    return CycloneDxWalker(path, xml_loc, "/bom").run(doc, SbomFormat.CYCLONEDX_XML, version, sha256)
