"""The CycloneDX walker shared by the JSON and XML readers.

Both readers hand over the document in the shape of CycloneDX JSON (the XML reader converts
elements to the same dicts and adds ``_line``), so the semantics live in one place. Locations
are JSON pointers (``/components/3/components/0``) or XML paths
(``/bom/components/component[4]/components/component[1]``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from souverain.errors import UnsupportedFormatError
from souverain.model import (
    Component,
    DeclaredLicense,
    Edge,
    EdgeKind,
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

LocFn = Callable[[str, str, int], str]
"""``(base location, list key, 0-based index) → location of the item``."""


def json_loc(base: str, key: str, index: int) -> str:
    """JSON pointer of item ``index`` of list ``key`` under ``base``."""
    return f"{base}/{key}/{index}"


_XML_ITEM = {
    "components": "component",
    "services": "service",
    "dependencies": "dependency",
    "licenses": "license",
    "authors": "author",
}


def xml_loc(base: str, key: str, index: int) -> str:
    """XML path (1-based index) of item ``index`` of list ``key`` under ``base``."""
    return f"{base}/{key}/{_XML_ITEM.get(key, key)}[{index + 1}]"


NOT_READ = ("vulnerabilities", "compositions", "annotations", "formulation")
"""Top-level CycloneDX lists souverain does not read; their sizes are counted in ``notes``."""

_RUNTIME = EdgeKind.RUNTIME
_NESTED = EdgeKind.NESTED


class CycloneDxWalker:
    """Walks one CycloneDX document (as dicts) into a :class:`ParsedSbom`."""

    def __init__(self, path: str, loc: LocFn, top: str) -> None:
        self.col = Collector(path)
        self.loc = loc
        self.top = top  # location of the document itself: "" (JSON) or "/bom" (XML)
        self.components: list[Component] = []
        self.edges: list[Edge] = []
        self.refs: set[str] = set()
        self.root_ref: str | None = None
        self.nested = 0
        self._licences: dict[tuple[str, str, str | None], DeclaredLicense] = {}

    def _licence(self, kind: str, value: str, field: str, url: str | None) -> DeclaredLicense:
        """A shared DeclaredLicense (immutable, so components can share one object)."""
        key = (kind, value, url)
        lic = self._licences.get(key)
        if lic is None:
            lic = self._licences[key] = new_licence(kind, value, field, url)
        return lic

    # ---------------------------------------------------------------- fields

    def _licenses(self, value: Any, loc: str) -> tuple[DeclaredLicense, ...]:
        out: list[DeclaredLicense] = []
        for i, item in enumerate(as_list(value)):
            if not isinstance(item, dict):
                self.col.skip(self.loc(loc, "licenses", i), "licence entry is not an object")
                continue
            expr = item.get("expression")
            if isinstance(expr, str) and expr.strip():
                out.append(self._licence("expression", expr.strip(), "expression", None))
                continue
            lic = item.get("license")
            if not isinstance(lic, dict):
                self.col.skip(self.loc(loc, "licenses", i), "licence entry without license or expression")
                continue
            url = lic.get("url")
            url = url if isinstance(url, str) and url else None
            lid = lic.get("id")
            name = lic.get("name")
            if isinstance(lid, str) and lid.strip():
                out.append(self._licence("id", lid.strip(), "license.id", url))
            elif isinstance(name, str) and name.strip():
                out.append(self._licence("name", name.strip(), "license.name", url))
            elif url:
                out.append(self._licence("url", url, "license.url", url))
            else:
                self.col.skip(self.loc(loc, "licenses", i), "licence without id, name or url")
        return tuple(out)

    def _parties(self, c: dict[str, Any], loc: str) -> tuple[Party, ...]:
        col = self.col
        out: list[Party] = []
        for role, key in (("supplier", "supplier"), ("manufacturer", "manufacturer")):
            entity = c.get(key)
            if entity is not None:
                party = org_party(role, entity, f"{loc}/{key}", col)
                if party is not None:
                    out.append(party)
        provider = c.get("provider")  # services: the organisation that provides the service
        if provider is not None:
            party = org_party("supplier", provider, f"{loc}/provider", col)
            if party is not None:
                out.append(party)
        authors = c.get("authors")
        if authors is not None:
            for i, author in enumerate(as_list(authors)):
                party = org_party("author", author, self.loc(loc, "authors", i), col, is_person=True)
                if party is not None:
                    out.append(party)
        for role in ("publisher", "author"):
            value = c.get(role)
            if value is not None:
                text = col.text(value, f"{loc}/{role}")
                if text and text.strip():
                    out.append(new_party(role, text.strip(), (), (), None, None, f"{loc}/{role}"))
        return tuple(out)

    @staticmethod
    def _external_refs(c: dict[str, Any]) -> tuple[ExternalRef, ...]:
        out = [
            new_external_ref(str(r.get("type") or "other"), r["url"])
            for r in as_list(c.get("externalReferences"))
            if isinstance(r, dict) and isinstance(r.get("url"), str)
        ]
        out.extend(new_external_ref("endpoint", e) for e in as_list(c.get("endpoints")) if isinstance(e, str))
        return tuple(out)

    @staticmethod
    def _hashes(value: Any) -> tuple[Hash, ...]:
        return tuple([
            new_hash(str(h.get("alg")), h["content"])
            for h in as_list(value)
            if isinstance(h, dict) and isinstance(h.get("content"), str)
        ])

    @staticmethod
    def _properties(value: Any) -> tuple[tuple[str, str], ...]:
        return tuple([
            (p["name"], str(p.get("value", "")))
            for p in as_list(value)
            if isinstance(p, dict) and isinstance(p.get("name"), str)
        ])

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
        info = purl_text = None
        if "purl" in c:
            purl_text = get("purl")
            if type(purl_text) is str and purl_text:  # the usual case: no location string built
                info = col.purls.parse(purl_text)
            if info is None:  # absent, empty, not a string or malformed: col.purl records why
                info, purl_text = col.purl(purl_text, f"{loc}/purl")
        ref = get("bom-ref")
        if type(ref) is not str or not ref:
            if ref is not None:
                col.skip(f"{loc}/bom-ref", "bom-ref is not a non-empty string")
            ref = purl_text if purl_text and purl_text not in self.refs else f"souverain:{loc}"
        version = get("version")
        if version is not None and type(version) is not str:
            version = col.text(version, f"{loc}/version")
        group = get("group")
        if group is not None and type(group) is not str:
            group = col.text(group, f"{loc}/group")
        ctype = get("type")
        if type(ctype) is not str:
            ctype = "service" if kind is NodeKind.SERVICE else "library"
        licenses = self._licenses(get("licenses"), loc) if "licenses" in c else ()
        has_party = (
            "supplier" in c
            or "author" in c
            or "publisher" in c
            or "authors" in c
            or "manufacturer" in c
            or "provider" in c
        )
        parties = self._parties(c, loc) if has_party else ()
        description = get("description")
        copyright_ = get("copyright")
        cpe = get("cpe")
        scope = get("scope")
        # every field, positionally, in Component's field order (tests/test_sbom_fields.py pins
        # it): new_component skips the frozen dataclass __init__'s cost (see fast_constructor)
        return new_component(
            ref,
            name,
            version or None,
            group or None,
            info.canonical if info else None,
            purl_text,
            info.type if info else None,
            info.namespace if info else None,
            info.name if info else None,
            kind,
            ctype,
            licenses,
            parties,
            self._external_refs(c) if "externalReferences" in c or "endpoints" in c else (),
            self._hashes(get("hashes")) if "hashes" in c else (),
            scope if type(scope) is str else None,
            self._properties(get("properties")) if "properties" in c else (),
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
        comps = self.components
        refs = self.refs
        edges = self.edges
        root_ref = self.root_ref
        loc_fn = self.loc
        while stack:
            lst, lbase, lparent = stack.pop()
            if not isinstance(lst, list):
                if lst is not None:
                    self.col.skip(f"{lbase}/{key}", f"{key} is not a list")
                continue
            for i, c in enumerate(lst):
                loc = loc_fn(lbase, key, i)
                comp = self.component(c, loc, lparent, kind)
                if comp is None:
                    if isinstance(c, dict) and key in c:
                        stack.append((c[key], loc, lparent))
                    continue
                ref = comp.ref
                if ref == root_ref and lparent is None:
                    pass  # the root listed again among the components: keep it only as root
                else:
                    comps.append(comp)
                    refs.add(ref)
                    if lparent is not None:
                        edges.append((lparent, ref, _NESTED))
                        self.nested += 1
                children = c.get(key)
                if children is not None:
                    stack.append((children, loc, ref))

    # ---------------------------------------------------------- dependencies

    def dependencies(self, deps: Any, base: str) -> int:
        """Read ``dependencies``; return the number of dependsOn entries."""
        col = self.col
        edges = self.edges
        count = provides = 0
        if not isinstance(deps, list):
            col.skip(f"{base}/dependencies", "dependencies is not a list")
            return 0
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
        """Walk the whole document."""
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
            return ParsedSbom(
                path=col.path,
                format=fmt,
                spec_version=spec_version,
                sha256=sha256,
                components=tuple(self.components),
                root=root,
                edges=tuple(self.edges),
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
