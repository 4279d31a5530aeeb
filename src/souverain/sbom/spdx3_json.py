"""SPDX 3.0 (3.0.0, 3.0.1) JSON-LD reader.

An SPDX 3 document is a flat JSON-LD ``@graph`` of elements that point at each other by
``spdxId`` (an IRI, or a blank node ``_:…``), or hold each other inline. The reader indexes every
element once (top-level and inline ones), then reads the relationships (dependency edges and the
licence relationships ``hasConcludedLicense``/``hasDeclaredLicense``), then the packages, so the
whole walk is linear in the size of the document.

Property and class names are read in their compact form (``software_packageVersion``,
``software_Package``: the 3.0.1 context) and also as full IRIs
(``https://spdx.org/rdf/3.0.1/terms/Software/packageVersion``) or prefixed ones
(``spdx:Software/packageVersion``, ``software:packageVersion``); vocabulary values
(``relationshipType``, ``algorithm``…) as their last IRI segment. See docs/formats.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from souverain.errors import InputError, NotAnSbomError, UnsupportedFormatError
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
    NO_VALUE,
    Collector,
    new_component,
    new_external_ref,
    new_hash,
    new_licence,
    new_party,
)
from souverain.sbom._json import load_json
from souverain.sbom.detect import SPDX3_VERSIONS, spdx3_context_version

__all__ = ["CONCLUDED_FIELD", "DECLARED_FIELD", "parse_spdx3_json"]

#: ``DeclaredLicense.field`` of the licences read from the two licence relationships (the
#: normaliser prefers the concluded one, as it prefers SPDX 2's ``licenseConcluded``).
CONCLUDED_FIELD = "hasConcludedLicense"
DECLARED_FIELD = "hasDeclaredLicense"
_LICENCE_TYPES = {"hasConcludedLicense": CONCLUDED_FIELD, "hasDeclaredLicense": DECLARED_FIELD}

# Every relationship reads "from (is) TYPE to": dependant → dependency as written.
FORWARD: dict[str, EdgeKind] = {
    "dependsOn": EdgeKind.RUNTIME,
    "contains": EdgeKind.CONTAINS,
    "hasStaticLink": EdgeKind.LINK,
    "hasDynamicLink": EdgeKind.LINK,
    "hasPrerequisite": EdgeKind.PREREQUISITE,
    "hasOptionalDependency": EdgeKind.OPTIONAL,
    "hasProvidedDependency": EdgeKind.PROVIDED,
}
#: ``dependsOn`` in a LifecycleScopedRelationship: its ``scope`` says which kind of dependency
#: (SPDX 2's DEV_/BUILD_/TEST_DEPENDENCY_OF became this).
_SCOPED = {"development": EdgeKind.DEV, "build": EdgeKind.BUILD, "test": EdgeKind.TEST}
# The SPDX 3.0.1 relationship types that are not dependency edges: counted in notes.
OTHER_TYPES = frozenset(
    {
        "affects", "amendedBy", "ancestorOf", "availableFrom", "configures", "coordinatedBy",
        "copiedTo", "delegatedTo", "descendantOf", "doesNotAffect", "expandsTo",
        "exploitCreatedBy", "fixedBy", "fixedIn", "foundBy", "generates", "hasAddedFile",
        "hasAssessmentFor", "hasAssociatedVulnerability", "hasDataFile", "hasDeletedFile",
        "hasDependencyManifest", "hasDistributionArtifact", "hasDocumentation", "hasEvidence",
        "hasExample", "hasHost", "hasInput", "hasMetadata", "hasOptionalComponent", "hasOutput",
        "hasRequirement", "hasSpecification", "hasTest", "hasTestCase", "hasVariant", "invokedBy",
        "modifiedBy", "other", "packagedBy", "patchedBy", "publishedBy", "reportedBy",
        "republishedBy", "serializedInArtifact", "testedOn", "trainedOn", "underInvestigationFor",
        "usesTool",
    }
)

_PACKAGE_TYPES = frozenset({"software_Package", "ai_AIPackage", "dataset_DatasetPackage"})
_FILE_TYPES = frozenset({"software_File", "software_Snippet"})
#: Collections whose ``rootElement`` names what they describe.
_COLLECTION_TYPES = frozenset({"SpdxDocument", "software_Sbom", "Bom", "Bundle"})
_AGENT_TYPES = frozenset({"Agent", "Person", "Organization", "SoftwareAgent"})
_IS_PERSON = {"Person": True, "Organization": False}
#: Element types read through references (agents, tools, licences, creation info…): not noted.
_READ_TYPES = frozenset(
    {
        "CreationInfo", "Tool", "ExternalMap", "Hash", "ExternalIdentifier", "ExternalRef",
        "PackageVerificationCode", "simplelicensing_LicenseExpression",
        "simplelicensing_SimpleLicensingText",
    }
) | _AGENT_TYPES | _COLLECTION_TYPES | _PACKAGE_TYPES | _FILE_TYPES
_NO_ASSERTION_LICENCE = frozenset({"expandedlicensing_NoAssertionLicense", "NoAssertionLicense"})
_NONE_LICENCE = frozenset({"expandedlicensing_NoneLicense", "NoneLicense"})
_LICENSING = ("expandedlicensing_", "simplelicensing_")
_NO_ELEMENT = frozenset({"NoAssertionElement", "NoneElement"})

#: SPDX 3 ``externalRefType`` values with a CycloneDX equivalent (the name the other readers
#: give: the controller enricher knows which ones point at the project's own site).
_REF_TYPES = {
    "vcs": "vcs",
    "issueTracker": "issue-tracker",
    "documentation": "documentation",
    "mailingList": "mailing-list",
    "support": "support",
    "releaseNotes": "release-notes",
    "chat": "chat",
    "altWebPage": "website",
    "altDownloadLocation": "distribution",
    "buildSystem": "build-system",
    "license": "license",
    "securityAdvisory": "advisories",
}

_NAMESPACES = frozenset(
    {"core", "software", "simplelicensing", "expandedlicensing", "security", "build", "ai",
     "dataset", "extension", "lite"}
)
_IRI_NAME = re.compile(r"^(?:https?://spdx\.org/rdf/[^/]+/terms/|spdx:)([A-Za-z]+)/([A-Za-z_]\w*)$")
_PREFIXED_NAME = re.compile(r"^([a-z]+):([A-Za-z_]\w*)$")
_LISTED_LICENCE = re.compile(r"^https?://spdx\.org/licenses/(?:exceptions/)?([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_MAX_LICENCE_DEPTH = 32
#: Bounds on one licence rebuilt from licence sets and operators. Members are shared by id, so
#: a few kilobytes of sets, each naming the next one twice, would otherwise make an expression
#: of 2**depth terms (minutes and gigabytes from a 3 KB document).
_MAX_LICENCE_ELEMENTS = 10_000
_MAX_LICENCE_TEXT = 64 * 1024


def canonical_name(name: str) -> str:
    """The compact 3.0.1-context name of a property or class written as a full IRI, a
    ``spdx:Namespace/name`` or ``namespace:name`` form (Core names have no prefix:
    ``name``, ``Person``; the others ``software_packageVersion``, ``software_Package``)."""
    if name == "@id":
        return "spdxId"
    if name == "@type":
        return "type"
    m = _IRI_NAME.match(name)
    if m is not None:
        ns, local = m.group(1).lower(), m.group(2)
    else:
        m = _PREFIXED_NAME.match(name)
        if m is None or m.group(1) not in _NAMESPACES:
            return name
        ns, local = m.group(1), m.group(2)
    return local if ns == "core" else f"{ns}_{local}"


def _vocab(value: object) -> str | None:
    """A vocabulary entry (``dependsOn``), also written as its full IRI."""
    if type(value) is not str:
        return None
    return value.rsplit("/", 1)[-1] if "/" in value else value


def _kebab(value: str) -> str:
    """``operatingSystem`` / ``operating_system`` → ``operating-system`` (CycloneDX's spelling,
    the other readers' component types)."""
    return _CAMEL.sub("-", value).replace("_", "-").lower()


def _many(value: object) -> list[Any]:
    """A JSON-LD value that may be one item or a list of them (compaction writes a lone item
    without its list)."""
    if value is None:
        return []
    return value if type(value) is list else [value]


def _string(value: object) -> str | None:
    """A string value, also from a JSON-LD value object ``{"@value": …}``."""
    if type(value) is str:
        return value
    if type(value) is dict and type(value.get("@value")) is str:
        return str(value["@value"])
    return None


class _Element:
    """One element (or inline object) of the graph: its properties under their compact names,
    its class and where it sits in the document."""

    __slots__ = ("data", "id", "loc", "type")

    def __init__(self, data: dict[str, Any], loc: str, type_: str | None, id_: str | None) -> None:
        self.data = data
        self.loc = loc
        self.type = type_
        self.id = id_


class Spdx3Walker:
    """Walks one SPDX 3 JSON-LD document into a :class:`ParsedSbom`."""

    def __init__(self, path: str) -> None:
        self.col = Collector(path)
        self._names: dict[str, str] = {}  # property name as written → compact name
        self.by_id: dict[str, _Element] = {}
        self.by_obj: dict[int, _Element] = {}  # id() of an inline object → its element
        self.packages: list[_Element] = []
        self.relationships: list[_Element] = []
        self.collections: list[_Element] = []
        self.documents: list[_Element] = []
        self.creation_infos: list[_Element] = []
        self.external: set[str] = set()  # ids the document imports (ExternalMap externalSpdxId)
        self._licences: dict[tuple[str, str, str], DeclaredLicense] = {}
        self._licence_budget = 0  # elements the licence being rebuilt may still visit

    # -- indexing ------------------------------------------------------------------------------

    def _canonical(self, obj: dict[str, Any]) -> dict[str, Any]:
        """``obj`` with its keys under their compact names (``obj`` itself when they already
        are: the usual case)."""
        names = self._names
        for key in obj:
            name = names.get(key)
            if name is None:
                name = names[key] = canonical_name(key)
            if name != key:
                return {names.get(k) or canonical_name(k): v for k, v in obj.items()}
        return obj

    def _type_of(self, data: dict[str, Any]) -> str | None:
        raw = data.get("type")
        if type(raw) is str:
            return self._names.get(raw) or canonical_name(raw)
        if type(raw) is list:  # several classes: the first one this reader knows, else the first
            names = [canonical_name(t) for t in raw if type(t) is str]
            known = [t for t in names if t in _READ_TYPES or t.endswith("Relationship")]
            found = known or names
            return found[0] if found else None
        return None

    def _index(self, obj: dict[str, Any], loc: str, top: bool) -> dict[str, Any]:
        """Register ``obj`` and the objects inline in it; returns it with compact keys. An
        explicit stack, not recursion: nesting depth costs nothing."""
        root = self._canonical(obj)
        stack: list[tuple[dict[str, Any], str, bool]] = [(root, loc, top)]
        while stack:
            data, where, is_top = stack.pop()
            self._register(data, where, is_top)
            for key, value in data.items():
                if type(value) is dict:
                    inner = self._canonical(value)
                    if inner is not value:
                        data[key] = inner
                    stack.append((inner, f"{where}/{key}", False))
                elif type(value) is list:
                    for i, item in enumerate(value):
                        if type(item) is dict:
                            inner = self._canonical(item)
                            if inner is not item:
                                value[i] = inner
                            stack.append((inner, f"{where}/{key}/{i}", False))
        return root

    def _register(self, data: dict[str, Any], loc: str, top: bool) -> None:
        """Index one object that has a class; the elements this reader reads are listed by
        kind, the other top-level ones counted in notes."""
        col = self.col
        type_ = self._type_of(data)
        raw_id = data.get("spdxId")
        id_ = raw_id if type(raw_id) is str and raw_id else None
        if type_ is None:
            if top:
                col.skip(loc, "element without a type")
            return
        el = _Element(data, loc, type_, id_)
        self.by_obj[id(data)] = el
        if id_ is not None:
            first = self.by_id.get(id_)
            if first is None:
                self.by_id[id_] = el
            elif first.data is not data:
                col.skip(loc, f"spdxId {id_!r} already used at {first.loc} (this one is not read)")
                return
        if type_ in _PACKAGE_TYPES:
            if id_ is None:
                col.skip(f"{loc}/spdxId", f"{type_} without spdxId")
            self.packages.append(el)
        elif type_.endswith("Relationship"):
            self.relationships.append(el)
        elif type_ in _FILE_TYPES:
            self.col.notes["files and snippets (not components)"] += 1
        elif type_ == "CreationInfo":
            self.creation_infos.append(el)
        elif type_ in _COLLECTION_TYPES:
            self.collections.append(el)
            if type_ == "SpdxDocument":
                self.documents.append(el)
                for imp in _many(data.get("import")):
                    if type(imp) is dict:
                        ext = imp.get("externalSpdxId")
                        if type(ext) is str:
                            self.external.add(ext)
        elif top and type_ not in _READ_TYPES and not type_.startswith(_LICENSING):
            self.col.notes[f"{type_} elements (not read)"] += 1

    def _resolve(self, value: object) -> tuple[str | None, _Element | None]:
        """A reference (an id, or an inline object) → (its id, the element when the document
        holds it)."""
        if type(value) is str:
            return value, self.by_id.get(value)
        if type(value) is dict:
            el = self.by_obj.get(id(value))
            if el is None:
                raw = value.get("spdxId") or value.get("@id")
                if type(raw) is str:
                    return raw, self.by_id.get(raw)
                return None, None
            return el.id, el
        return None, None

    # -- licences ------------------------------------------------------------------------------

    def _read_licence(self, value: object) -> tuple[str, str] | None:
        """``(kind, value)`` of the licence a licence relationship points at (see
        :meth:`_licence_text`), None when it cannot be read or is too large to rebuild (then
        ``_licence_budget`` is negative)."""
        self._licence_budget = _MAX_LICENCE_ELEMENTS
        text = self._licence_text(*self._resolve(value))
        if text is not None and len(text[1]) > _MAX_LICENCE_TEXT:
            self._licence_budget = -1
            return None
        return text

    def _licence_text(self, ref: str | None, el: _Element | None, depth: int = 0) -> tuple[str, str] | None:
        """``(kind, value)`` of a licence element: an expression, a listed licence, a custom
        licence's name, a licence set or operator rebuilt as an expression; None when it cannot
        be read, or when it takes more than ``_MAX_LICENCE_ELEMENTS`` elements or
        ``_MAX_LICENCE_TEXT`` characters."""
        self._licence_budget -= 1
        if self._licence_budget < 0:
            return None
        if ref is not None:
            compact = self._names.get(ref) or canonical_name(ref)
            if compact in _NO_ASSERTION_LICENCE:
                return "expression", "NOASSERTION"
            if compact in _NONE_LICENCE:
                return "expression", "NONE"
            listed = _LISTED_LICENCE.match(ref)
            if listed is not None and (el is None or el.type != "expandedlicensing_CustomLicense"):
                return "expression", listed.group(1)
        if el is None or depth > _MAX_LICENCE_DEPTH:
            return None
        data, type_ = el.data, el.type
        if type_ == "simplelicensing_LicenseExpression":
            text = _string(data.get("simplelicensing_licenseExpression"))
            return ("expression", text.strip()) if text and text.strip() else None
        if type_ in ("expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_DisjunctiveLicenseSet"):
            op = " AND " if type_ == "expandedlicensing_ConjunctiveLicenseSet" else " OR "
            parts = []
            size = 0
            for member in _many(data.get("expandedlicensing_member")):
                sub = self._licence_text(*self._resolve(member), depth + 1)
                if sub is None:
                    return None
                size += len(sub[1]) + 6
                if size > _MAX_LICENCE_TEXT:
                    self._licence_budget = -1  # too large: the same as too many elements
                    return None
                parts.append(f"({sub[1]})" if " " in sub[1] else sub[1])
            return ("expression", op.join(parts)) if parts else None
        if type_ == "expandedlicensing_OrLaterOperator":
            sub = self._licence_text(*self._resolve(data.get("expandedlicensing_subjectLicense")), depth + 1)
            return ("expression", f"{sub[1]}+") if sub is not None and " " not in sub[1] else None
        if type_ == "expandedlicensing_WithAdditionOperator":
            subject = self._licence_text(
                *self._resolve(data.get("expandedlicensing_subjectExtendableLicense")), depth + 1
            )
            addition = self._licence_text(
                *self._resolve(data.get("expandedlicensing_subjectAddition")), depth + 1
            )
            if subject is None or addition is None:
                return None
            return "expression", f"{subject[1]} WITH {addition[1]}"
        # a licence or an addition of its own: its name, else a short one-line text (lib4sbom
        # writes a listed licence's id there), else a LicenseRef- made of its id
        name = _string(data.get("name"))
        if name and name.strip() and name.strip() not in NO_VALUE:
            return "name", name.strip()
        for key in ("simplelicensing_licenseText", "expandedlicensing_additionText"):
            text = _string(data.get(key)) or ""
            if 0 < len(text.strip()) <= 80 and "\n" not in text.strip():
                return "name", text.strip()
        if el.id is not None:
            tail = re.sub(r"[^A-Za-z0-9.-]", "-", el.id.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
            return "expression", tail if tail.startswith("LicenseRef-") else f"LicenseRef-{tail}"
        return None

    def _licence(self, kind: str, value: str, field: str) -> DeclaredLicense:
        key = (kind, value, field)
        lic = self._licences.get(key)
        if lic is None:
            lic = self._licences[key] = new_licence(kind, value, field, None)
        return lic

    # -- relationships -------------------------------------------------------------------------

    def _relationships(
        self, package_ids: set[str]
    ) -> tuple[list[Edge], dict[str, list[DeclaredLicense]], list[str]]:
        """Edges between packages, licences per package id, and the targets of ``describes``
        relationships from a collection (root candidates)."""
        col = self.col
        notes = col.notes
        edges: list[Edge] = []
        licences: dict[str, list[DeclaredLicense]] = {}
        described: list[str] = []
        for rel in self.relationships:
            data, loc = rel.data, rel.loc
            rtype = _vocab(data.get("relationshipType"))
            source_value = data.get("from")
            targets = _many(data.get("to"))
            if rtype is None or source_value is None or not targets:
                col.skip(loc, "relationship without from, relationshipType or to")
                continue
            if type(source_value) is list:
                if len(source_value) != 1:
                    col.skip(f"{loc}/from", "relationship whose from is not one element")
                    continue
                source_value = source_value[0]
            a, a_el = self._resolve(source_value)
            if a is None:
                col.skip(f"{loc}/from", "relationship from an element without spdxId")
                continue
            field = _LICENCE_TYPES.get(rtype)
            if field is not None:
                if a not in package_ids:
                    notes[f"{rtype} relationships of elements other than packages (not read)"] += 1
                    continue
                for i, target in enumerate(targets):
                    text = self._read_licence(target)
                    if text is None:
                        why = "is too large to be read" if self._licence_budget < 0 else "cannot be read"
                        col.skip(f"{loc}/to/{i}", f"{rtype}: licence {_shown(target)} {why}")
                        continue
                    licences.setdefault(a, []).append(self._licence(text[0], text[1], field))
                continue
            kind = FORWARD.get(rtype)
            if kind is None:
                if rtype == "describes":
                    if a_el is not None and a_el.type in _COLLECTION_TYPES:
                        described.extend(t for t in (self._resolve(x)[0] for x in targets) if t)
                    else:
                        notes["describes relationships not from a document or SBOM (not read)"] += 1
                elif rtype in OTHER_TYPES:
                    notes[f"{rtype} relationships (not dependencies)"] += 1
                else:
                    col.unknown_relationships[rtype] += 1
                    col.skip(loc, f"unknown relationship type {rtype!r}")
                continue
            if kind is EdgeKind.RUNTIME and rtype == "dependsOn":
                scope = _vocab(data.get("scope"))
                kind = _SCOPED.get(scope or "", EdgeKind.RUNTIME)
            for i, target in enumerate(targets):
                b, b_el = self._resolve(target)
                if a in package_ids and b in package_ids:
                    edges.append((a, b, kind))
                    continue
                self._not_an_edge(rtype, (a, a_el), (b, b_el), f"{loc}/to/{i}", loc)
        return edges, licences, described

    def _not_an_edge(
        self,
        rtype: str,
        source: tuple[str, _Element | None],
        target: tuple[str | None, _Element | None],
        target_loc: str,
        loc: str,
    ) -> None:
        """Count (or report) a dependency-type relationship that is not between two packages."""
        col, notes = self.col, self.col.notes
        (a, a_el), (b, b_el) = source, target
        if b is None:
            col.skip(target_loc, "relationship to an element without spdxId")
            return
        b_name = self._names.get(b) or canonical_name(b)
        if b_name in _NO_ELEMENT:
            notes["relationships to NoAssertionElement/NoneElement"] += 1
        elif a in self.external or b in self.external:
            notes["relationships to external documents"] += 1
        elif a_el is None:
            col.skip(f"{loc}/from", f"relationship from {a!r}, which the document does not hold")
        elif b_el is None:
            col.skip(target_loc, f"relationship to {b!r}, which the document does not hold")
        elif a_el.type in _FILE_TYPES or b_el.type in _FILE_TYPES:
            notes["relationships involving files"] += 1
        elif a_el.type in _COLLECTION_TYPES or b_el.type in _COLLECTION_TYPES:
            notes["relationships involving the document itself"] += 1
        else:
            notes[f"{rtype} relationships between elements other than packages"] += 1

    # -- packages ------------------------------------------------------------------------------

    def _party(self, role: str, value: object, loc: str) -> Party | None:
        ref, el = self._resolve(value)
        if el is None:
            if ref is not None and ref not in self.external:
                self.col.skip(loc, f"{role}: {ref!r}, which the document does not hold")
            return None
        data = el.data
        name = _string(data.get("name"))
        name = name.strip() if name else None
        if name in NO_VALUE:
            name = None
        emails: list[str] = []
        urls: list[str] = []
        for ident in _many(data.get("externalIdentifier")):
            if type(ident) is dict and _vocab(ident.get("externalIdentifierType")) == "email":
                mail = _string(ident.get("identifier"))
                if mail and mail.strip() and mail.strip() not in NO_VALUE:
                    emails.append(mail.strip())
        for ref_obj in _many(data.get("externalRef")):
            if type(ref_obj) is dict:
                urls.extend(
                    locator
                    for locator in _many(ref_obj.get("locator"))
                    if type(locator) is str and locator.startswith(("http://", "https://"))
                )
        if not name and not emails and not urls:
            return None
        return new_party(role, name, tuple(emails), tuple(urls), None, _IS_PERSON.get(el.type or ""), loc)

    def _package(self, el: _Element, licences: tuple[DeclaredLicense, ...]) -> Component | None:
        col = self.col
        data, loc = el.data, el.loc
        get = data.get
        name = get("name")
        if type(name) is not str:
            name = _string(name) if type(name) is dict else col.text(name, f"{loc}/name")
        if not name or not name.strip():
            col.skip(loc, "package without a name")
            return None
        ref = el.id or f"souverain:{loc}"
        info = None
        purl_text = cpe = None
        refs: list[ExternalRef] = []
        raw_purl = get("software_packageUrl")
        if raw_purl is not None:
            info, purl_text = col.purl(_string(raw_purl) or raw_purl, f"{loc}/software_packageUrl")
        for i, ident in enumerate(_many(get("externalIdentifier"))):
            if type(ident) is not dict:
                continue
            itype = _vocab(ident.get("externalIdentifierType"))
            value = _string(ident.get("identifier"))
            if not itype or not value:
                continue
            if itype == "packageUrl":
                if purl_text is None:
                    info, purl_text = col.purl(value, f"{loc}/externalIdentifier/{i}/identifier")
            elif itype in ("cpe23", "cpe22"):
                if cpe is None:
                    cpe = value
            elif itype != "email":
                refs.append(new_external_ref(itype, value))
        for key, kind in (("software_downloadLocation", "distribution"), ("software_homePage", "website")):
            value = _string(get(key))
            if value and value.strip() not in NO_VALUE:
                refs.append(new_external_ref(kind, value))
        for ext in _many(get("externalRef")):
            if type(ext) is not dict:
                continue
            rtype = _vocab(ext.get("externalRefType")) or "other"
            rtype = _REF_TYPES.get(rtype, rtype)
            refs.extend(
                new_external_ref(rtype, locator)
                for locator in _many(ext.get("locator"))
                if type(locator) is str and locator and locator not in NO_VALUE
            )
        parties: list[Party] = []
        if "suppliedBy" in data:
            supplier = get("suppliedBy")
            if type(supplier) is list:  # one agent at most; a list is read whole
                for i, s in enumerate(supplier):
                    party = self._party("supplier", s, f"{loc}/suppliedBy/{i}")
                    if party is not None:
                        parties.append(party)
            else:
                party = self._party("supplier", supplier, f"{loc}/suppliedBy")
                if party is not None:
                    parties.append(party)
        if "originatedBy" in data:
            for i, who in enumerate(_many(get("originatedBy"))):
                party = self._party("originator", who, f"{loc}/originatedBy/{i}")
                if party is not None:
                    parties.append(party)
        hashes: list[Hash] = []
        for h in _many(get("verifiedUsing")):
            if type(h) is dict and (h.get("type") in (None, "Hash")):
                alg, value = _vocab(h.get("algorithm")), _string(h.get("hashValue"))
                if alg and value:
                    hashes.append(new_hash(alg.upper().replace("_", "-"), value))
        version = get("software_packageVersion")
        if version is not None and type(version) is not str:
            version = _string(version) or col.text(version, f"{loc}/software_packageVersion")
        purpose = _vocab(get("software_primaryPurpose"))
        ctype = _kebab(purpose) if purpose else "library"
        copyright_ = _string(get("software_copyrightText"))
        if copyright_ is not None and copyright_.strip() in NO_VALUE:
            copyright_ = None
        description = _string(get("description")) or _string(get("summary"))
        canonical, ecosystem, namespace, package = info or (None, None, None, None)
        # every field, positionally, in Component's field order (tests/test_sbom_fields.py)
        return new_component(
            ref,
            name.strip(),
            version or None,
            None,
            canonical,
            purl_text,
            ecosystem,
            namespace,
            package,
            NodeKind.COMPONENT,
            ctype,
            licences,
            tuple(parties),
            tuple(refs),
            tuple(hashes),
            None,
            (),
            None,
            description,
            copyright_,
            cpe,
            loc,
            None,
        )

    # -- document ------------------------------------------------------------------------------

    def _root_candidates(self, described: list[str]) -> Iterator[str]:
        """What the document describes, in order: the SpdxDocument's ``rootElement`` (through
        the SBOMs it names), then ``describes`` targets; without an SpdxDocument, the SBOMs'
        ``rootElement``."""
        starts = self.documents or [c for c in self.collections if c.type != "SpdxDocument"]
        pending: list[object] = []
        for coll in starts:
            pending.extend(_many(coll.data.get("rootElement")))
        pending.extend(described)
        seen: set[str] = set()
        queue = list(reversed(pending))
        while queue:
            ref, el = self._resolve(queue.pop())
            if ref is None or ref in seen:
                continue
            seen.add(ref)
            if el is not None and el.type in _COLLECTION_TYPES:
                queue.extend(reversed(_many(el.data.get("rootElement"))))
                continue
            yield ref

    def _creation_info(self) -> dict[str, Any] | None:
        for el in self.documents:
            _, info = self._resolve(el.data.get("creationInfo"))
            if info is not None and info.type == "CreationInfo":
                return info.data
        return self.creation_infos[0].data if self.creation_infos else None

    def _creators(self, info: dict[str, Any] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(tools, authors) of the creation info: ``createdUsing`` tools and ``createdBy``
        software agents are tools; people, organisations and other agents are authors."""
        tools: list[str] = []
        authors: list[str] = []
        if info is None:
            return (), ()
        for key in ("createdUsing", "createdBy"):
            for value in _many(info.get(key)):
                _, el = self._resolve(value)
                if el is None:
                    continue
                name = _string(el.data.get("name"))
                name = name.strip().removesuffix("()").strip() if name else None  # lib4sbom: "X ()"
                if not name or name in NO_VALUE:
                    continue
                target = tools if key == "createdUsing" or el.type in ("SoftwareAgent", "Tool") else authors
                if name not in target:
                    target.append(name)
        return tuple(tools), tuple(authors)

    def run(self, doc: dict[str, Any], sha256: str) -> ParsedSbom:
        col = self.col
        context_version = spdx3_context_version(doc.get("@context"))
        if context_version is None:
            raise NotAnSbomError(col.path, "no SPDX 3 @context in the JSON-LD document", location="/@context")
        if "@graph" in doc:
            graph = doc["@graph"]
            if type(graph) is not list:
                what = f"@graph is a {type(graph).__name__}, not a list"
                raise InputError(col.path, what, location="/@graph")
            for i, item in enumerate(graph):
                loc = f"/@graph/{i}"
                if type(item) is not dict:
                    col.skip(loc, "element is not an object")
                    continue
                graph[i] = self._index(item, loc, True)
        else:  # one top-level element (a document holding the others inline)
            body = {k: v for k, v in doc.items() if k != "@context"}
            self._index(body, "", True)
        package_ids = {el.id for el in self.packages if el.id is not None}
        edges, licences, described = self._relationships(package_ids)
        components: list[Component] = []
        for el in self.packages:
            found = licences.get(el.id) if el.id is not None else None
            # declared before concluded, as the SPDX 2 readers give them
            comp = self._package(el, tuple(sorted(found, key=_declared_first)) if found else ())
            if comp is not None:
                components.append(comp)
        by_ref = {c.ref: c for c in components}
        root: Component | None = None
        extra = 0
        for target in self._root_candidates(described):
            if target in by_ref:
                if root is None:
                    root = by_ref[target]
                elif target != root.ref:
                    extra += 1
        if extra:
            col.notes["further root elements (kept as components)"] += extra
        if root is not None:
            components = [c for c in components if c.ref != root.ref]
        info = self._creation_info()
        tools, authors = self._creators(info)
        spec = _string(info.get("specVersion")) if info is not None else None
        spec_version = spec.strip() if spec and spec.strip() in SPDX3_VERSIONS else context_version
        if spec and spec.strip() not in SPDX3_VERSIONS:
            col.skip("specVersion", f"creation info says specVersion {spec!r}; read as {context_version}")
        created = _string(info.get("created")) if info is not None else None
        document = self.documents[0] if self.documents else None
        name = _string(document.data.get("name")) if document is not None else None
        if name is None and self.collections:
            name = _string(self.collections[0].data.get("name"))
        return ParsedSbom(
            path=col.path,
            format=SbomFormat.SPDX3_JSON,
            spec_version=spec_version,
            sha256=sha256,
            components=tuple(components),
            root=root,
            edges=tuple(edges),
            skipped=tuple(col.skipped),
            has_dependency_data=bool(edges),
            notes=dict(col.notes),
            unknown_relationships=dict(col.unknown_relationships),
            serial_number=document.id if document is not None else None,
            name=name,
            tools=tools,
            timestamp=created.strip() if created and created.strip() else None,
            authors=authors,
        )


def _declared_first(lic: DeclaredLicense) -> int:
    return 0 if lic.field == DECLARED_FIELD else 1


def _shown(value: object) -> str:
    if type(value) is str:
        return repr(value)
    return f"({type(value).__name__})"


def parse_spdx3_json(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read an SPDX 3.0 JSON-LD document. Locations are JSON pointers (``/@graph/12``)."""
    doc = load_json(raw, path)
    version = spdx3_context_version(doc.get("@context"))
    if version is None:
        found = spdx3_context_version(doc.get("@context"), any_version=True)
        if found is not None:
            raise UnsupportedFormatError(
                path, f"SPDX {found} is not supported (supported: {', '.join(sorted(SPDX3_VERSIONS))})",
                location="/@context",
            )
    return Spdx3Walker(path).run(doc, sha256)
