"""The SPDX 2.x walker shared by the JSON and tag-value readers.

Both readers hand over the document in the shape of SPDX JSON (the tag-value reader builds the
same dicts and adds ``_line``). Packages become components; files and snippets are not
components, and relationships touching them are counted in ``notes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from souverain.model import (
    Component,
    DeclaredLicense,
    Edge,
    EdgeKind,
    ExternalRef,
    NodeKind,
    ParsedSbom,
    Party,
    SbomFormat,
)
from souverain.sbom._common import (
    NO_VALUE,
    Collector,
    as_list,
    gc_paused,
    new_component,
    new_external_ref,
    new_hash,
    new_licence,
    spdx_party,
)

_NO_PURL = (None, None, None, None)

# dependant → dependency as written (A TYPE B gives the edge A → B) …
FORWARD: dict[str, EdgeKind] = {
    "DEPENDS_ON": EdgeKind.RUNTIME,
    "CONTAINS": EdgeKind.CONTAINS,
    "STATIC_LINK": EdgeKind.LINK,
    "DYNAMIC_LINK": EdgeKind.LINK,
    "HAS_PREREQUISITE": EdgeKind.PREREQUISITE,
}
# … or reversed (A TYPE B gives the edge B → A).
REVERSED: dict[str, EdgeKind] = {
    "DEPENDENCY_OF": EdgeKind.RUNTIME,
    "RUNTIME_DEPENDENCY_OF": EdgeKind.RUNTIME,
    "DEV_DEPENDENCY_OF": EdgeKind.DEV,
    "BUILD_DEPENDENCY_OF": EdgeKind.BUILD,
    "TEST_DEPENDENCY_OF": EdgeKind.TEST,
    "OPTIONAL_DEPENDENCY_OF": EdgeKind.OPTIONAL,
    "PROVIDED_DEPENDENCY_OF": EdgeKind.PROVIDED,
    "CONTAINED_BY": EdgeKind.CONTAINS,
    "PREREQUISITE_FOR": EdgeKind.PREREQUISITE,
}
ROOT_TYPES = frozenset({"DESCRIBES", "DESCRIBED_BY"})
# "DESCRIBE": the document's DESCRIBES as trivy wrote it before 0.38 (only from the document)
_DESCRIBES = frozenset({"DESCRIBES", "DESCRIBE"})
# SPDX 2.3 relationship types that are not dependency edges: counted in notes.
OTHER_TYPES = frozenset(
    {
        "AMENDS", "ANCESTOR_OF", "BUILD_TOOL_OF", "COPY_OF", "DATA_FILE_OF", "DESCENDANT_OF",
        "DEV_TOOL_OF", "DISTRIBUTION_ARTIFACT", "DOCUMENTATION_OF", "EXAMPLE_OF",
        "EXPANDED_FROM_ARCHIVE", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED", "GENERATED_FROM",
        "GENERATES", "METAFILE_OF", "OPTIONAL_COMPONENT_OF", "OTHER", "PACKAGE_OF",
        "PATCH_APPLIED", "PATCH_FOR", "REQUIREMENT_DESCRIPTION_FOR", "SPECIFICATION_FOR",
        "TEST_CASE_OF", "TEST_OF", "TEST_TOOL_OF", "VARIANT_OF",
    }
)
_PURL_TYPES = frozenset({"purl"})
_CPE_TYPES = frozenset({"cpe23Type", "cpe22Type"})

_REF_FIELDS = (("downloadLocation", "distribution"), ("homepage", "website"))
_LICENCE_FIELDS = ("licenseDeclared", "licenseConcluded")
_PARTY_FIELDS = ("supplier", "originator")  # the role is the field's name

LocFn = Callable[[str, int, dict[str, Any]], str]
"""``(list key, 0-based index, item) → location``."""


def json_loc_under(base: str) -> LocFn:
    """JSON pointers of the items of a document's top-level lists, the document sitting at
    ``base`` in the file (``""``; ``/sbom`` inside an API response's wrapper)."""

    def loc(key: str, index: int, item: dict[str, Any]) -> str:
        return f"{base}/{key}/{index}"

    return loc


def line_loc(key: str, index: int, item: dict[str, Any]) -> str:
    """``line N`` of a tag-value item (the reader stores ``_line``)."""
    return f"line {item.get('_line', '?')}"


class SpdxWalker:
    """Walks one SPDX 2.x document (as dicts) into a :class:`ParsedSbom`."""

    def __init__(self, path: str, loc: LocFn) -> None:
        self.col = Collector(path)
        self.loc = loc
        self._licences: dict[tuple[str, str], DeclaredLicense] = {}

        # LicenseRef-… id → what the document says that licence is (hasExtractedLicensingInfos)
        self._extracted: dict[str, str] = {}

    def read_extracted(self, doc: dict[str, Any]) -> None:
        """Learn the document's own licences: ``LicenseRef-x`` → its ``name``, else a short
        one-line ``extractedText`` (tern writes ``"GPLv2+"`` there); long licence texts are not
        names and are left out."""
        for info in as_list(doc.get("hasExtractedLicensingInfos")):
            if not isinstance(info, dict):
                continue
            ref = info.get("licenseId")
            if type(ref) is not str:
                continue
            name = info.get("name")
            text = info.get("extractedText")
            if isinstance(name, str) and name.strip() and name.strip() not in NO_VALUE:
                self._extracted[ref] = name.strip()
            elif isinstance(text, str) and 0 < len(text.strip()) <= 80 and "\n" not in text.strip():
                self._extracted[ref] = text.strip()

    def _licence(self, value: str, field: str) -> DeclaredLicense:
        """A shared DeclaredLicense (immutable, so packages can share one object). A value that is
        exactly one of the document's own ``LicenseRef-`` ids is replaced by the name the
        document gives it (kind ``name``, same field: its evidence points at the same place)."""
        key = (value, field)
        lic = self._licences.get(key)
        if lic is None:
            extracted = self._extracted.get(value)
            if extracted is not None:
                lic = new_licence("name", extracted, field, None)
            else:
                lic = new_licence("expression", value, field, None)
            self._licences[key] = lic
        return lic

    def package(self, p: Any, loc: str) -> Component | None:
        """One package as a component; None when it cannot be read."""
        col = self.col
        if not isinstance(p, dict):
            col.skip(loc, "package is not an object")
            return None
        get = p.get
        name = get("name")
        if type(name) is not str:  # locations are only built when something is wrong
            name = col.text(name, f"{loc}/name")
        if not name:
            col.skip(loc, "package without a name")
            return None
        ref = get("SPDXID")
        if type(ref) is not str or not ref:
            col.skip(f"{loc}/SPDXID", "package without SPDXID")
            ref = f"souverain:{loc}"
        info = None
        purl_text = cpe = None
        refs: list[ExternalRef] = []
        for r in as_list(get("externalRefs")):
            if type(r) is not dict:
                continue
            rtype, locator = r.get("referenceType"), r.get("referenceLocator")
            if not isinstance(locator, str) or not isinstance(rtype, str):
                continue
            if rtype in _PURL_TYPES and purl_text is None:
                info = col.purls.parse(locator) if locator else None
                purl_text = locator
                if info is None:  # empty or malformed: col.purl records why
                    info, purl_text = col.purl(locator, f"{loc}/externalRefs")
            elif rtype in _CPE_TYPES and cpe is None:
                cpe = locator
            else:
                refs.append(new_external_ref(rtype, locator))
        for key, kind in _REF_FIELDS:
            value = get(key)
            if type(value) is str and value and value not in NO_VALUE:
                refs.append(new_external_ref(kind, value))
        licenses: tuple[DeclaredLicense, ...] = ()
        for key in _LICENCE_FIELDS:
            value = get(key)
            if type(value) is str and (value := value.strip()):
                licenses = (*licenses, self._licence(value, key))
        parties: tuple[Party, ...] = ()
        if "supplier" in p or "originator" in p:
            found = [
                spdx_party(role, p[role], f"{loc}/{role}", col) for role in _PARTY_FIELDS if role in p
            ]
            parties = tuple([party for party in found if party is not None])
        checksums = get("checksums")
        hashes = tuple([
            new_hash(str(h.get("algorithm")), h["checksumValue"])
            for h in as_list(checksums)
            if isinstance(h, dict) and isinstance(h.get("checksumValue"), str)
        ]) if checksums else ()
        version = get("versionInfo")
        if version is not None and type(version) is not str:
            version = col.text(version, f"{loc}/versionInfo")
        copyright_ = get("copyrightText")
        description = get("description") or get("summary")
        purpose = get("primaryPackagePurpose")
        ctype = purpose.lower().replace("_", "-") if isinstance(purpose, str) and purpose else "library"
        if isinstance(copyright_, str) and copyright_.strip() in NO_VALUE:
            copyright_ = None
        canonical, ecosystem, namespace, package = info or _NO_PURL
        if package and ":" in name:
            # GitHub's dependency graph names a package "<ecosystem>:<package>" ("pip:requests",
            # "npm:@aws-sdk/client-s3", "maven:org.example:lib"): the name is what follows,
            # when it ends with the purl's name (the purl says the ecosystem already)
            prefix, _, rest = name.partition(":")
            if prefix.isalpha() and prefix.islower() and rest.lower().endswith(package.lower()):
                name = rest
        # every field, positionally, in Component's field order (pinned by
        # tests/test_sbom_fields.py); new_component skips the frozen __init__'s cost
        return new_component(
            ref,
            name,
            version or None,
            None,
            canonical,
            purl_text,
            ecosystem,
            namespace,
            package,
            NodeKind.COMPONENT,
            ctype,
            licenses,
            parties,
            tuple(refs),
            hashes,
            None,
            (),
            None,
            description if isinstance(description, str) else None,
            copyright_ if isinstance(copyright_, str) else None,
            cpe,
            loc,
            get("_line"),
        )

    def _root_candidates(self, doc: dict[str, Any], doc_id: str) -> list[str]:
        out = [d for d in as_list(doc.get("documentDescribes")) if isinstance(d, str)]
        for r in as_list(doc.get("relationships")):
            if not isinstance(r, dict):
                continue
            rtype = r.get("relationshipType")
            if rtype in _DESCRIBES and r.get("spdxElementId") == doc_id:
                target = r.get("relatedSpdxElement")
            elif rtype == "DESCRIBED_BY" and r.get("relatedSpdxElement") == doc_id:
                target = r.get("spdxElementId")
            else:
                continue
            if isinstance(target, str) and target not in out:
                out.append(target)
        return out

    def _relationships(
        self, doc: dict[str, Any], doc_id: str, files: set[str], packages: set[str]
    ) -> list[Edge]:
        col = self.col
        notes = col.notes
        edges: list[Edge] = []
        forward, reversed_ = FORWARD, REVERSED
        items = as_list(doc.get("relationships"))
        for i, r in enumerate(items):
            items[i] = None  # consumed (the last reader of the list): its memory reused for the edges
            if type(r) is dict:
                a, rtype, b = r.get("spdxElementId"), r.get("relationshipType"), r.get("relatedSpdxElement")
                # the common case: two packages (ids checked to be strings: lists are unhashable)
                if type(a) is str and type(b) is str and a in packages and b in packages:
                    if rtype in forward:
                        edges.append((a, b, forward[rtype]))
                        continue
                    if rtype in reversed_:
                        edges.append((b, a, reversed_[rtype]))
                        continue
            elif not isinstance(r, dict):
                col.skip(self.loc("relationships", i, {}), "relationship is not an object")
                continue
            a, rtype, b = r.get("spdxElementId"), r.get("relationshipType"), r.get("relatedSpdxElement")
            if not (isinstance(a, str) and isinstance(rtype, str) and isinstance(b, str)):
                col.skip(self.loc("relationships", i, r), "relationship without element, type or target")
                continue
            if rtype == "DESCRIBE" and a == doc_id:
                # trivy (before 0.38) misspelt the document's DESCRIBES: read as such above
                notes["DESCRIBE relationships from the document read as DESCRIBES (trivy's spelling)"] += 1
                continue
            if rtype in ROOT_TYPES:
                if (b if rtype == "DESCRIBED_BY" else a) != doc_id:
                    # "package DESCRIBES package" (lib4sbom writes its first dependency entry so):
                    # not a dependency statement SPDX defines, so not read as one, but counted
                    notes[f"{rtype} relationships not from the document (not read)"] += 1
                continue
            kind = FORWARD.get(rtype)
            reverse = False
            if kind is None:
                kind = REVERSED.get(rtype)
                reverse = True
            if kind is None:
                if rtype in OTHER_TYPES:
                    notes[f"{rtype} relationships (not dependencies)"] += 1
                else:
                    col.unknown_relationships[rtype] += 1
                    col.skip(self.loc("relationships", i, r), f"unknown relationship type {rtype!r}")
                continue
            if a in NO_VALUE or b in NO_VALUE:
                notes["relationships to NOASSERTION/NONE"] += 1
            elif a == doc_id or b == doc_id:
                notes["relationships involving the document itself"] += 1
            elif a in files or b in files:
                notes["relationships involving files"] += 1
            elif a.startswith("DocumentRef-") or b.startswith("DocumentRef-"):
                notes["relationships to external documents"] += 1
            elif reverse:
                edges.append((b, a, kind))
            else:
                edges.append((a, b, kind))
        return edges

    def run(self, doc: dict[str, Any], fmt: SbomFormat, spec_version: str, sha256: str) -> ParsedSbom:
        """Walk the whole document (its packages and relationships lists are emptied of their
        entries)."""
        col = self.col
        with gc_paused():
            doc_id = doc.get("SPDXID") if isinstance(doc.get("SPDXID"), str) else "SPDXRef-DOCUMENT"
            assert isinstance(doc_id, str)
            file_ids: set[str] = {
                f["SPDXID"]
                for key in ("files", "snippets")
                for f in as_list(doc.get(key))
                if isinstance(f, dict) and isinstance(f.get("SPDXID"), str)
            }
            packages: list[Component] = []
            loc = self.loc
            self.read_extracted(doc)
            items = as_list(doc.get("packages"))
            for i, p in enumerate(items):
                items[i] = None  # consumed, as by the CycloneDX walker: its memory reused for what is built
                comp = self.package(p, loc("packages", i, p if isinstance(p, dict) else {}))
                if comp is not None:
                    packages.append(comp)
            by_ref = {c.ref: c for c in packages}
            root: Component | None = None
            extra_roots = 0
            for target in self._root_candidates(doc, doc_id):
                if target in by_ref:
                    if root is None:
                        root = by_ref[target]
                    else:
                        extra_roots += 1
                elif target in file_ids:
                    col.notes["DESCRIBES targets that are files"] += 1
            if extra_roots:
                col.notes["further DESCRIBES targets (kept as components)"] += extra_roots
            components = tuple(c for c in packages if root is None or c.ref != root.ref)
            if file_ids:
                col.notes["files and snippets (not components)"] += len(file_ids)
            edges = self._relationships(doc, doc_id, file_ids, set(by_ref))
            creators = doc.get("creationInfo", {})
            creators = creators.get("creators") if isinstance(creators, dict) else None
            tools = tuple(
                c.partition(":")[2].strip()
                for c in as_list(creators)
                if isinstance(c, str) and c.startswith("Tool:")
            )
            name = doc.get("name")
            namespace = doc.get("documentNamespace")
            info = doc.get("creationInfo")
            created = info.get("created") if isinstance(info, dict) else None
            authors = tuple(
                who
                for c in as_list(creators)
                if isinstance(c, str) and c.startswith(("Person:", "Organization:"))
                and (who := c.partition(":")[2].strip().removesuffix("()").strip())
            )
            return ParsedSbom(
                path=col.path,
                format=fmt,
                spec_version=spec_version,
                sha256=sha256,
                components=components,
                root=root,
                edges=tuple(edges),
                skipped=tuple(col.skipped),
                has_dependency_data=bool(edges),
                notes=dict(col.notes),
                unknown_relationships=dict(col.unknown_relationships),
                serial_number=namespace if isinstance(namespace, str) else None,
                name=name if isinstance(name, str) else None,
                tools=tools,
                timestamp=created.strip() if isinstance(created, str) and created.strip() else None,
                authors=authors,
            )
