"""The CycloneDX walker shared by the JSON and XML readers.

Both readers hand over the document in the shape of CycloneDX JSON (the XML reader converts
elements to the same dicts and adds ``_line``), so the semantics live in one place. Locations
are JSON pointers (``/components/3/components/0``) or XML paths
(``/bom/components/component[4]/components/component[1]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

import orjson

from souverain.errors import UnsupportedFormatError
from souverain.model import (
    Component,
    DeclaredLicense,
    Edge,
    EdgeKind,
    EdgeLayout,
    ExternalRef,
    Hash,
    NodeKind,
    ParsedSbom,
    Party,
    SbomFormat,
)
from souverain.sbom._common import (
    Collector,
    as_list,
    gc_paused,
    new_component,
    new_external_ref,
    new_hash,
    new_licence,
    new_party,
    org_party,
    tool_name,
)
from souverain.sbom.detect import CYCLONEDX_VERSIONS

_XML_ITEM = {
    "components": "component",
    "services": "service",
    "dependencies": "dependency",
    "licenses": "license",
    "authors": "author",
}


class Locations:
    """How a reader writes the location of item ``index`` of list ``key`` under ``base``: JSON
    pointers (``/components/3``) or XML paths with 1-based indexes (``/components/component[4]``)."""

    __slots__ = ("start", "suffix", "xml")

    def __init__(self, *, xml: bool) -> None:
        self.xml = xml
        self.start = 1 if xml else 0
        self.suffix = "]" if xml else ""

    def prefix(self, base: str, key: str) -> str:
        """What every item location of the list starts with."""
        return f"{base}/{key}/{_XML_ITEM.get(key, key)}[" if self.xml else f"{base}/{key}/"

    def __call__(self, base: str, key: str, index: int) -> str:
        """Location of item ``index`` (0-based) of list ``key`` under ``base``."""
        return f"{self.prefix(base, key)}{index + self.start}{self.suffix}"

    def items(self, base: str, key: str, count: int) -> list[str]:
        """Locations of the first ``count`` items of the list, built in C-level passes."""
        numbers = map(str, range(self.start, count + self.start))
        if not self.suffix:  # JSON pointers end with the number
            return list(map(self.prefix(base, key).__add__, numbers))
        return list(map(str.__add__, map(self.prefix(base, key).__add__, numbers), repeat(self.suffix)))


json_loc = Locations(xml=False)
xml_loc = Locations(xml=True)


NOT_READ = ("vulnerabilities", "compositions", "annotations", "formulation")
"""Top-level CycloneDX lists souverain does not read; their sizes are counted in ``notes``."""

_RUNTIME = EdgeKind.RUNTIME
_LIST_OR_ABSENT = frozenset({list, tuple})  # tuple: the () given for an absent key
_NO_PURL = (None, None, None, None)
_PARTY_KEYS = frozenset({"supplier", "manufacturer", "provider", "authors", "publisher", "author"})
_NESTED = EdgeKind.NESTED
_dumps = orjson.dumps
_UNWRAPPED_NOTE = "licence entries without the 'license' wrapper (read as licences)"


def _acknowledged(field: str, entry: dict[str, Any]) -> str:
    """The licence's field, marked `` (concluded)`` when CycloneDX 1.6's ``acknowledgement``
    says the licence was concluded (by analysis) rather than declared by the author: the
    normaliser then prefers it, as it prefers SPDX's ``licenseConcluded``."""
    ack = entry.get("acknowledgement")
    return f"{field} (concluded)" if isinstance(ack, str) and ack.strip().casefold() == "concluded" else field


class CycloneDxWalker:
    """Walks one CycloneDX document (as dicts) into a :class:`ParsedSbom`. The walk consumes the
    document: the entries of its component and service lists are replaced by None as they are
    read (the readers parse a document for the walk alone)."""

    inline = True
    """Read the usual component inline in :meth:`_items` (tests turn it off to compare)."""

    def __init__(self, path: str, loc: Locations, top: str) -> None:
        self.col = Collector(path)
        self.purls = self.col.purls
        self.loc = loc
        self.top = top  # location of the document itself: "" (JSON) or "/bom" (XML)
        self.components: list[Component] = []
        self.edges: list[Edge] = []
        self.refs: set[str] = set()  # the root's and the first ``refs_known`` components' refs
        self.refs_known = 0  # brought up to date by known_refs(), only when a bom-ref is missing
        self.root_ref: str | None = None
        self.nested = 0
        self._licences: dict[tuple[str, str, str | None, str], DeclaredLicense] = {}
        self._by_json: dict[bytes, tuple[DeclaredLicense, ...]] = {}  # see _licenses
        self.unwrapped = 0  # licence entries read without their "license" wrapper
        # (nesting edges before, entry refs, their dependsOn lists) of a plain dependencies
        # section (_plain_dependencies), described to build_graph with the edges (run)
        self._groups: tuple[int, list[str], list[Sequence[str]]] | None = None

    def _licence(self, kind: str, value: str, field: str, url: str | None) -> DeclaredLicense:
        """A shared DeclaredLicense (immutable, so components can share one object)."""
        key = (kind, value, url, field)
        lic = self._licences.get(key)
        if lic is None:
            lic = self._licences[key] = new_licence(kind, value, field, url)
        return lic

    def known_refs(self) -> set[str]:
        """The refs read so far: the root's and every component's. Only needed for a component
        without a bom-ref, so kept up to date here rather than once per component."""
        comps = self.components
        if self.refs_known < len(comps):
            self.refs.update([comp.ref for comp in comps[self.refs_known :]])
            self.refs_known = len(comps)
        return self.refs

    # ---------------------------------------------------------------- fields

    def _licenses(self, value: Any, loc: str) -> tuple[DeclaredLicense, ...]:
        # What a licences list gives depends on its value alone, and components repeat a few
        # lists: memoised by the list's JSON text (orjson.dumps: one C call, and equal texts mean
        # equal values, types included). Only results that recorded nothing are kept (a skipped
        # entry has a location of its own).
        try:
            key = _dumps(value)
        except (TypeError, ValueError):  # not JSON-shaped (the readers give JSON values)
            return self._licenses_careful(value, loc)
        out = self._by_json.get(key)
        if out is None:
            skipped, unwrapped = len(self.col.skipped), self.unwrapped
            out = self._licenses_careful(value, loc)
            if len(self.col.skipped) == skipped and self.unwrapped == unwrapped:
                self._by_json[key] = out
        return out

    def _licenses_careful(self, value: Any, loc: str) -> tuple[DeclaredLicense, ...]:
        out: list[DeclaredLicense] = []
        for i, item in enumerate(as_list(value)):
            if not isinstance(item, dict):
                self.col.skip(self.loc(loc, "licenses", i), "licence entry is not an object")
                continue
            expr = item.get("expression")
            if isinstance(expr, str) and expr.strip():
                out.append(self._licence("expression", expr.strip(), _acknowledged("expression", item), None))
                continue
            lic = item.get("license")
            if lic is None and ("id" in item or "name" in item):
                # {"id": "MIT"} without the "license" wrapper: not valid CycloneDX, but written
                # by lib4sbom (0.10) for components with several licences; read as the licence
                lic = item
                self.unwrapped += 1
                self.col.notes[_UNWRAPPED_NOTE] += 1
            if not isinstance(lic, dict):
                self.col.skip(self.loc(loc, "licenses", i), "licence entry without license or expression")
                continue
            url = lic.get("url")
            url = url if isinstance(url, str) and url else None
            lid = lic.get("id")
            name = lic.get("name")
            if isinstance(lid, str) and lid.strip():
                out.append(self._licence("id", lid.strip(), _acknowledged("license.id", lic), url))
            elif isinstance(name, str) and name.strip():
                out.append(self._licence("name", name.strip(), _acknowledged("license.name", lic), url))
            elif url:
                out.append(self._licence("url", url, _acknowledged("license.url", lic), url))
            else:
                self.col.skip(self.loc(loc, "licenses", i), "licence without id, name or url")
        return tuple(out)

    def _parties(self, c: dict[str, Any], loc: str) -> tuple[Party, ...]:
        """supplier, manufacturer, provider (a service's supplier), authors[], publisher, author."""
        col = self.col
        get = c.get
        supplier = get("supplier")
        manufacturer = get("manufacturer")
        provider = get("provider")  # services: the organisation that provides the service
        authors = get("authors")
        publisher = get("publisher")
        author = get("author")
        out: list[Party] = []
        if supplier is not None and (party := org_party("supplier", supplier, loc + "/supplier", col)):
            out.append(party)
        if manufacturer is not None and (
            party := org_party("manufacturer", manufacturer, loc + "/manufacturer", col)
        ):
            out.append(party)
        if provider is not None and (party := org_party("supplier", provider, loc + "/provider", col)):
            out.append(party)
        if authors is not None:
            for i, item in enumerate(as_list(authors)):
                party = org_party("author", item, self.loc(loc, "authors", i), col, is_person=True)
                if party is not None:
                    out.append(party)
        # free text; written out twice rather than looped over (once per component)
        if publisher is not None:
            where = loc + "/publisher"
            text = publisher if type(publisher) is str else col.text(publisher, where)
            if text and (text := text.strip()):
                out.append(new_party("publisher", text, (), (), None, None, where))
        if author is not None:
            where = loc + "/author"
            text = author if type(author) is str else col.text(author, where)
            if text and (text := text.strip()):
                out.append(new_party("author", text, (), (), None, None, where))
        return tuple(out)

    # The documents come from orjson or from the XML converter: containers are exactly dict and
    # list, text exactly str, so ``type(x) is T`` says the same as ``isinstance`` here, faster.
    # Plain loops rather than comprehensions: these lists are short, and a comprehension costs a
    # function call of its own (Python 3.11).

    @staticmethod
    def _external_refs(c: dict[str, Any]) -> tuple[ExternalRef, ...]:
        out = []
        refs = c.get("externalReferences")
        if type(refs) is list:
            for r in refs:
                if type(r) is dict and type(url := r.get("url")) is str:
                    out.append(new_external_ref(str(r.get("type") or "other"), url))  # noqa: PERF401
        endpoints = c.get("endpoints")
        if type(endpoints) is list:
            for e in endpoints:
                if type(e) is str:
                    out.append(new_external_ref("endpoint", e))  # noqa: PERF401
        return tuple(out)

    @staticmethod
    def _hashes(value: Any) -> tuple[Hash, ...]:
        if type(value) is list and len(value) == 1:  # the usual single hash
            h = value[0]
            if type(h) is dict and type(content := h.get("content")) is str:
                return (new_hash(str(h.get("alg")), content),)
            return ()
        out = []
        if type(value) is list:
            for h in value:
                if type(h) is dict and type(content := h.get("content")) is str:
                    out.append(new_hash(str(h.get("alg")), content))  # noqa: PERF401
        return tuple(out)

    @staticmethod
    def _properties(value: Any) -> tuple[tuple[str, str], ...]:
        out = []
        if type(value) is list:
            for p in value:
                if type(p) is dict and type(name := p.get("name")) is str:
                    out.append((name, str(p.get("value", ""))))  # noqa: PERF401
        return tuple(out)

    # ------------------------------------------------------------ components

    def component(self, c: Any, loc: str, parent: str | None, kind: NodeKind) -> Component | None:
        """Build one component (not its children); None when it cannot be read."""
        col = self.col
        if not isinstance(c, dict):
            col.skip(loc, f"{kind.value} is not an object")
            return None
        get = c.get
        name = get("name")
        if type(name) is not str:
            name = col.text(name, f"{loc}/name")
        if not name:
            col.skip(loc, f"{kind.value} without a name")
            return None
        info = None
        purl_text = get("purl")
        if type(purl_text) is str and purl_text:  # the usual case: no location string built
            info = self.purls.parse(purl_text)
        if info is None and purl_text is not None:  # empty, not a string or malformed: recorded
            info, purl_text = col.purl(purl_text, f"{loc}/purl")
        ref = get("bom-ref")
        if type(ref) is not str or not ref:
            if ref is not None:
                col.skip(f"{loc}/bom-ref", "bom-ref is not a non-empty string")
            ref = purl_text if purl_text and purl_text not in self.known_refs() else f"souverain:{loc}"
        version = get("version")
        group = get("group")
        ctype = get("type")
        description = get("description")
        copyright_ = get("copyright")
        cpe = get("cpe")
        scope = get("scope")
        if version is not None and type(version) is not str:
            version = col.text(version, f"{loc}/version")
        if group is not None and type(group) is not str:
            group = col.text(group, f"{loc}/group")
        if type(ctype) is not str:
            ctype = "service" if kind is NodeKind.SERVICE else "library"
        licenses = get("licenses")
        licenses = self._licenses(licenses, loc) if licenses is not None else ()
        parties = () if _PARTY_KEYS.isdisjoint(c) else self._parties(c, loc)
        canonical, ecosystem, namespace, package = info or _NO_PURL
        # every field, positionally, in Component's field order (tests/test_sbom_fields.py pins
        # it): new_component skips the frozen dataclass __init__'s cost (see fast_constructor)
        return new_component(
            ref,
            name,
            version or None,
            group or None,
            canonical,
            purl_text,
            ecosystem,
            namespace,
            package,
            kind,
            ctype,
            licenses,
            parties,
            self._external_refs(c) if "externalReferences" in c or "endpoints" in c else (),
            self._hashes(hashes) if (hashes := get("hashes")) is not None else (),
            scope if type(scope) is str else None,
            self._properties(props) if (props := get("properties")) is not None else (),
            parent,
            description if type(description) is str else None,
            copyright_ if type(copyright_) is str else None,
            cpe if type(cpe) is str else None,
            loc,
            get("_line"),
        )

    def walk(self, items: Any, base: str, key: str, parent: str | None, kind: NodeKind) -> None:
        """Walk a list of components or services and their nested children (iteratively)."""
        stack: list[tuple[Any, str, str | None]] = [(items, base, parent)]
        while stack:
            lst, lbase, lparent = stack.pop()
            if isinstance(lst, list):
                stack.extend(self._items(lst, lbase, key, lparent, kind))
            elif lst is not None:
                self.col.skip(f"{lbase}/{key}", f"{key} is not a list")

    def _items(
        self, lst: list[Any], base: str, key: str, parent: str | None, kind: NodeKind
    ) -> list[tuple[Any, str, str | None]]:
        """Read one list of components or services (not their children): the usual component
        inline, anything else through :meth:`component`. Returns the nested lists still to read,
        in the order :meth:`walk` stacks them. The entries of ``lst`` are replaced by None."""
        nested: list[tuple[Any, str, str | None]] = []
        comps = self.components
        edges = self.edges
        root_ref = self.root_ref if parent is None else None  # the root listed again: kept as root only
        component = self.component
        parse_purl = self.purls.parse
        col = self.col
        licenses_of = self._licenses
        parties_of = self._parties
        external_refs_of = self._external_refs
        hashes_of = self._hashes
        properties_of = self._properties
        default_type = "service" if kind is NodeKind.SERVICE else "library"
        inline = self.inline
        # Each entry is released from the document once read (the walk consumes it): the memory it
        # held is reused for what is built from it instead of the process growing by as much
        # again (100k components: 120k page faults instead of 137k, and fresh objects in cache).
        for i, loc in enumerate(self.loc.items(base, key, len(lst))):
            c = lst[i]
            lst[i] = None
            # The usual component: an object with a non-empty string bom-ref and name, version and
            # group strings or absent. Read here with the same steps as component() (which reads
            # anything else, recording what it cannot read), without its checks and call.
            if inline and type(c) is dict:
                get = c.get
                ref = get("bom-ref")
                name = get("name")
                version = get("version")
                group = get("group")
                if (
                    type(ref) is str
                    and ref
                    and type(name) is str
                    and name
                    and (version is None or type(version) is str)
                    and (group is None or type(group) is str)
                ):
                    purl_text = get("purl")
                    if purl_text is None:
                        canonical = ecosystem = namespace = package = None
                    else:
                        info = parse_purl(purl_text) if type(purl_text) is str and purl_text else None
                        if info is None:  # empty, not a string or malformed: recorded
                            info, purl_text = col.purl(purl_text, f"{loc}/purl")
                        canonical, ecosystem, namespace, package = info or _NO_PURL
                    ctype = get("type")
                    lics = get("licenses")
                    hashes = get("hashes")
                    if hashes is not None:
                        # the usual single hash, as _hashes reads it (alg already a string)
                        if (
                            type(hashes) is list
                            and len(hashes) == 1
                            and type(h := hashes[0]) is dict
                            and type(content := h.get("content")) is str
                            and type(alg := h.get("alg")) is str
                        ):
                            hashes = (new_hash(alg, content),)
                        else:
                            hashes = hashes_of(hashes)
                    scope = get("scope")
                    description = get("description")
                    copyright_ = get("copyright")
                    cpe = get("cpe")
                    props = get("properties")
                    # optional text fields: None (absent) tested first, the usual case
                    comp: Component | None = new_component(
                        ref,
                        name,
                        version or None,
                        group or None,
                        canonical,
                        purl_text,
                        ecosystem,
                        namespace,
                        package,
                        kind,
                        ctype if type(ctype) is str else default_type,
                        () if lics is None else licenses_of(lics, loc),
                        () if _PARTY_KEYS.isdisjoint(c) else parties_of(c, loc),
                        external_refs_of(c) if "externalReferences" in c or "endpoints" in c else (),
                        () if hashes is None else hashes,
                        scope if scope is None or type(scope) is str else None,
                        () if props is None else properties_of(props),
                        parent,
                        description if description is None or type(description) is str else None,
                        copyright_ if copyright_ is None or type(copyright_) is str else None,
                        cpe if cpe is None or type(cpe) is str else None,
                        loc,
                        get("_line"),
                    )
                else:
                    comp = component(c, loc, parent, kind)
            else:
                comp = component(c, loc, parent, kind)
            if comp is None:
                if isinstance(c, dict) and key in c:
                    nested.append((c[key], loc, parent))
                continue
            ref = comp.ref
            if ref != root_ref:
                comps.append(comp)
                if parent is not None:
                    edges.append((parent, ref, _NESTED))
                    self.nested += 1
            children = c.get(key)
            if children is not None:
                nested.append((children, loc, ref))
        return nested

    # ---------------------------------------------------------- dependencies

    def dependencies(self, deps: Any, base: str) -> int:
        """Read ``dependencies``; return the number of dependsOn entries."""
        if not isinstance(deps, list):
            self.col.skip(f"{base}/dependencies", "dependencies is not a list")
            return 0
        count = self._plain_dependencies(deps)
        return count if count is not None else self._dependencies(deps, base)

    def _plain_dependencies(self, deps: list[Any]) -> int | None:
        """The usual section, checked in C-level passes: every entry an object with a non-empty
        string ref, dependsOn absent or a list of strings, provides absent or a list. Adds the
        same edges, in the same order, as :meth:`_dependencies`; returns None (having added
        nothing) when the section is not of that shape."""
        if set(map(type, deps)) != {dict}:
            return None if deps else 0
        refs: list[Any] = list(map(dict.get, deps, repeat("ref")))
        if set(map(type, refs)) != {str} or not all(refs):
            return None
        ons = list(map(dict.get, deps, repeat("dependsOn"), repeat(())))  # () when absent
        provides = list(map(dict.get, deps, repeat("provides"), repeat(())))
        if not set(map(type, ons)).union(map(type, provides)) <= _LIST_OR_ABSENT:
            return None  # null, or something else than a list
        runtime = _RUNTIME
        # the targets' type checked while the edges are built (each target is touched once)
        edges = [
            (ref, target, runtime)
            for ref, on in zip(refs, ons, strict=True)
            for target in on
            if type(target) is str
        ]
        if len(edges) != sum(map(len, ons)):
            return None  # some target is not a string
        # how the edges are laid out, described to build_graph with the edge tuple (see run)
        self._groups = (len(self.edges), refs, ons)
        if self.edges:  # nested components' edges first
            self.edges.extend(edges)
        else:  # the usual case: the list itself (copying it touches every edge twice more)
            self.edges = edges
        provided = sum(map(len, provides))
        if provided:
            self.col.notes["provides relationships (not dependencies)"] += provided
        return len(edges)

    def _dependencies(self, deps: list[Any], base: str) -> int:
        """Read ``dependencies`` entry by entry, recording what cannot be read."""
        col = self.col
        edges = self.edges
        count = provides = 0
        for i, d in enumerate(deps):
            if not isinstance(d, dict):
                col.skip(self.loc(base, "dependencies", i), "dependency entry is not an object")
                continue
            ref = d.get("ref")
            if type(ref) is not str or not ref:
                col.skip(self.loc(base, "dependencies", i), "dependency entry without ref")
                continue
            on = d.get("dependsOn")
            if on:
                if not isinstance(on, list):
                    col.skip(self.loc(base, "dependencies", i) + "/dependsOn", "dependsOn is not a list")
                    continue
                targets = [t for t in on if type(t) is str]
                if len(targets) != len(on):  # rare: objects with a ref, or junk
                    targets = []
                    for target in on:
                        if type(target) is not str:
                            target = target.get("ref") if isinstance(target, dict) else None
                            if type(target) is not str:
                                col.skip(self.loc(base, "dependencies", i), "dependsOn item is not a ref")
                                continue
                        targets.append(target)
                edges.extend([(ref, t, _RUNTIME) for t in targets])
                count += len(targets)
            prov = d.get("provides")
            if isinstance(prov, list):
                provides += len(prov)
        if provides:
            col.notes["provides relationships (not dependencies)"] += provides
        return count

    # -------------------------------------------------------------- document

    def run(self, doc: dict[str, Any], fmt: SbomFormat, spec_version: str, sha256: str) -> ParsedSbom:
        """Walk the whole document (its component and service lists are emptied of their entries)."""
        col = self.col
        top = self.top
        with gc_paused():
            meta = doc.get("metadata")
            root: Component | None = None
            tools: list[str] = []
            if isinstance(meta, dict):
                root = self._root(meta, f"{top}/metadata")
                tools = self._tools(meta.get("tools"))
            elif meta is not None:
                col.skip(f"{top}/metadata", "metadata is not an object")
            if root is not None:
                self.root_ref = root.ref
                self.refs.add(root.ref)
                nested = meta.get("component", {}).get("components") if isinstance(meta, dict) else None
                if nested is not None:
                    self.walk(nested, f"{top}/metadata/component", "components", root.ref, NodeKind.COMPONENT)
            self.walk(doc.get("components"), top, "components", None, NodeKind.COMPONENT)
            self.walk(doc.get("services"), top, "services", None, NodeKind.SERVICE)
            depends = 0
            has_section = "dependencies" in doc
            if has_section and doc["dependencies"] is not None:
                depends = self.dependencies(doc["dependencies"], top)
            for key in NOT_READ:
                value = doc.get(key)
                if isinstance(value, list) and value:
                    col.notes[f"{key} (not read)"] += len(value)
            serial = doc.get("serialNumber")
            edges = tuple(self.edges)
            layout = None
            if self._groups is not None:  # described to build_graph (see EdgeLayout)
                nested, sources, targets = self._groups
                layout = EdgeLayout(edges, nested, sources, targets)
            return ParsedSbom(
                path=col.path,
                format=fmt,
                spec_version=spec_version,
                sha256=sha256,
                components=tuple(self.components),
                root=root,
                edges=edges,
                edge_layout=layout,
                skipped=tuple(col.skipped),
                has_dependency_data=has_section and (depends > 0 or self.nested > 0),
                notes=dict(col.notes),
                unknown_relationships=dict(col.unknown_relationships),
                serial_number=serial if isinstance(serial, str) else None,
                name=root.name if root is not None else None,
                tools=tuple(tools),
                timestamp=_text(meta.get("timestamp")) if isinstance(meta, dict) else None,
                authors=_sbom_authors(meta) if isinstance(meta, dict) else (),
            )

    def _root(self, meta: dict[str, Any], loc: str) -> Component | None:
        comp = self.component(meta.get("component"), f"{loc}/component", None, NodeKind.COMPONENT) if (
            meta.get("component") is not None
        ) else None
        if comp is None:
            return None
        extra: list[Party] = []
        for role, key in (("supplier", "supplier"), ("manufacturer", "manufacture"),
                          ("manufacturer", "manufacturer")):
            if meta.get(key) is not None:
                party = org_party(role, meta[key], f"{loc}/{key}", self.col)
                if party is not None:
                    extra.append(party)
        if extra:
            from dataclasses import replace

            comp = replace(comp, parties=comp.parties + tuple(extra))
        return comp

    @staticmethod
    def _tools(value: Any) -> list[str]:
        items: list[Any]
        if isinstance(value, dict):  # 1.5+: {"components": [...], "services": [...]}
            items = as_list(value.get("components")) + as_list(value.get("services"))
        else:
            items = as_list(value)
        return [t for t in (tool_name(i.get) for i in items if isinstance(i, dict)) if t]


def check_version(path: str, version: str) -> None:
    """Raise UnsupportedFormatError for a CycloneDX version outside 1.1–1.7."""
    if version not in CYCLONEDX_VERSIONS:
        raise UnsupportedFormatError(
            path, f"CycloneDX {version or '(no specVersion)'} is not supported", location="specVersion"
        )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _sbom_authors(meta: dict[str, Any]) -> tuple[str, ...]:
    """Who made the SBOM: ``metadata.authors`` (name and e-mail), else the organisation named as
    its manufacturer or supplier (CycloneDX 1.6 ``manufacturer``, older ``manufacture``)."""
    out: list[str] = []
    for author in meta.get("authors") or ():
        if isinstance(author, dict):
            name, email = _text(author.get("name")), _text(author.get("email"))
            if name or email:
                out.append(f"{name} <{email}>" if name and email else (name or email or ""))
    if not out:
        for key in ("manufacturer", "manufacture", "supplier"):
            entity = meta.get(key)
            if isinstance(entity, dict) and _text(entity.get("name")):
                out.append(str(_text(entity.get("name"))))
                break
    return tuple(out)
