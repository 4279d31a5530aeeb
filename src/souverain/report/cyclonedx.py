"""``--format cyclonedx``: the audited BOM as CycloneDX JSON, enriched with souverain's
conclusions as properties in the ``souverain:`` namespace. Added, per component and service::

    souverain:controller, souverain:controller-kind, souverain:ultimate-controller,
    souverain:country, souverain:jurisdiction, souverain:regimes, souverain:openness,
    souverain:license-expression, souverain:service, souverain:service-operator,
    souverain:service-country, souverain:reach, souverain:share, souverain:dominated,
    souverain:depth, souverain:direct, souverain:findings (comma-separated rule ids),
    souverain:confidence:license, souverain:confidence:controller

and in the metadata ``souverain:score`` and ``souverain:source-sha256``, with souverain among the
tools. Two ways to get there:

- **In place** (:func:`enrich_document`), when the input is CycloneDX JSON 1.3 or later (the
  versions with properties) and the caller hands its bytes over (``RenderOptions.source``, the
  CLI does; checked against the audited SHA-256): the output is the input document itself,
  re-parsed with orjson. Each component and service object (nested ones where they sit, the
  metadata component too), found by its JSON pointer (``Component.location``), gets its
  ``souverain:`` properties in place of any it had (so a second run does not duplicate them);
  its other properties and fields are untouched. souverain is named among the tools in the form
  the document uses (1.5+ ``tools.components``, else the legacy array), an integer ``version``
  is incremented (a modified BOM keeps its serial number). Spec version, ``$schema``, serial
  number, timestamp, vulnerabilities, compositions, annotations, formulation, evidence, unknown
  fields: as in the input (the identifying keys are moved to the front only). Linear: two to
  three seconds at 100k components (a parse and a serialisation with orjson, a few microseconds
  per component). A location that does not lead to its component's object (not
  expected: the locations come from these very bytes), or an object whose ``properties`` is not
  a list, makes the whole BOM rebuilt instead: a BOM where some components silently lack their
  properties would mislead.
- **Rebuilt** (:func:`to_bom`, :func:`_rebuilt`) from the parsed model with cyclonedx-python-lib as
  CycloneDX 1.6, for every other input (SPDX, CycloneDX XML, CycloneDX JSON 1.1/1.2 which have no
  properties) or when the bytes are not given: bom-ref, name, version, group, purl, type,
  licences, supplier, hashes, external references, the SBOM's own properties, dependencies.
  Nested components are written flat (their ``parent`` becomes ``souverain:parent``); what the
  model does not carry is not written. The library builds a rich object per component: about
  0.9 ms per component (9 s at 10k components, 90 s at 100k; see docs/reports.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
from cyclonedx.contrib.bom.utils import BomRefDiscriminator
from cyclonedx.model import ExternalReference, ExternalReferenceType, HashAlgorithm, HashType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentScope, ComponentType
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.service import Service as CdxService
from cyclonedx.schema.schema import SchemaVersion1Dot6
from packageurl import PackageURL

from souverain.errors import SouverainError
from souverain.model import Assessment, AuditResult, Component, ComponentMetrics, NodeKind, SbomFormat
from souverain.report.base import RenderOptions
from souverain.sbom._json import load_json
from souverain.sbom.detect import decompressed

try:  # cyclonedx-python-lib ≥ 11.1 moved the factory; the old path warns
    from cyclonedx.contrib.license.exceptions import InvalidLicenseExpressionException
    from cyclonedx.contrib.license.factories import LicenseFactory
except ImportError:  # pragma: no cover - older library
    from cyclonedx.exception.factory import InvalidLicenseExpressionException
    from cyclonedx.factory.license import LicenseFactory

PREFIX = "souverain:"
CDX_SCHEMA_URI = "http://cyclonedx.org/schema/bom-1.6.schema.json"
REPRODUCIBLE_TIMESTAMP = datetime(1970, 1, 1, tzinfo=UTC)
_HASH_CONTENT = re.compile(
    r"^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$"
)
_HASH_ALGS = {a.value.replace("-", "").upper(): a for a in HashAlgorithm}
_REF_TYPES = {t.value: t for t in ExternalReferenceType}
_REF_ALIASES = {
    "homepage": ExternalReferenceType.WEBSITE,
    "downloadlocation": ExternalReferenceType.DISTRIBUTION,
    "download": ExternalReferenceType.DISTRIBUTION,
    "scm": ExternalReferenceType.VCS,
    "repository": ExternalReferenceType.VCS,
}
_NO_LICENSE = frozenset({"", "NOASSERTION", "NONE"})  # SPDX special values: no licence statement
_TYPES = {t.value: t for t in ComponentType}
_SCOPES = {s.value: s for s in ComponentScope}


def _hashes(c: Component) -> list[HashType]:
    out = []
    for h in c.hashes:
        alg = _HASH_ALGS.get(h.alg.replace("-", "").replace("_", "").upper())
        if alg is not None and _HASH_CONTENT.match(h.value):
            out.append(HashType(alg=alg, content=h.value.lower()))
    return out


def _external_refs(c: Component) -> list[ExternalReference]:
    out = []
    for r in c.external_refs:
        kind = _REF_TYPES.get(r.type) or _REF_ALIASES.get(r.type.lower()) or ExternalReferenceType.OTHER
        with contextlib.suppress(ValueError, TypeError):
            out.append(ExternalReference(type=kind, url=XsUri(r.url)))
    return out


def _licenses(c: Component) -> list[Any]:
    factory = LicenseFactory()
    declared = [d for d in c.licenses if d.kind != "url" and d.value.strip() not in _NO_LICENSE]
    expressions = list(dict.fromkeys(d.value for d in declared if d.kind == "expression"))
    if expressions:  # CycloneDX allows one expression or a list of licences, not both
        joined = expressions[0] if len(expressions) == 1 else " AND ".join(f"({e})" for e in expressions)
        try:
            return [factory.make_with_expression(joined)]
        except InvalidLicenseExpressionException:  # not SPDX: keep the text as licence names
            return [factory.make_with_name(e) for e in expressions]
    out = []
    for d in declared:
        lic = factory.make_with_name(d.value) if d.kind == "name" else factory.make_from_string(d.value)
        if getattr(lic, "value", None) is not None:  # an id that is really an expression: keep it as a name
            lic = factory.make_with_name(d.value)
        out.append(lic)
    return out


def _purl(c: Component) -> PackageURL | None:
    if not c.purl:
        return None
    try:
        return PackageURL.from_string(c.purl)
    except ValueError:
        return None


def _organisation(c: Component, role: str) -> OrganizationalEntity | None:
    for p in c.parties:
        if p.role == role and p.name:
            return OrganizationalEntity(name=p.name)
    return None


def _supplier(c: Component) -> OrganizationalEntity | None:
    return _organisation(c, "supplier")


def _authors(c: Component) -> list[OrganizationalContact]:
    return [OrganizationalContact(name=p.name) for p in c.parties if p.role == "author" and p.name]


def _publisher(c: Component) -> str | None:
    return next((p.name for p in c.parties if p.role == "publisher" and p.name), None)


def souverain_properties(
    a: Assessment | None, m: ComponentMetrics | None, rules: Iterable[str], parent: str | None
) -> list[tuple[str, str]]:
    """The ``souverain:`` properties of one component, as (name, value) pairs (no empty values)."""
    props: list[tuple[str, str | None]] = []
    if a is not None:
        ctl = a.controller.value
        lic = a.license.value
        props += [
            ("controller", ctl.name if ctl else None),
            ("controller-kind", ctl.kind.value if ctl else "unknown"),
            ("ultimate-controller", ctl.ultimate if ctl else None),
            ("country", ctl.country if ctl else None),
            ("jurisdiction", a.jurisdiction.value),
            ("regimes", ", ".join(a.regimes) or None),
            ("openness", lic.openness.value if lic else "unknown"),
            ("license-expression", lic.expression if lic else None),
            ("confidence:license", a.license.confidence.value),
            ("confidence:controller", a.controller.confidence.value),
        ]
        svc = a.service.value if a.service is not None else None
        if svc is not None:
            props += [
                ("service", svc.name),
                ("service-operator", svc.operator),
                ("service-country", svc.country),
            ]
    if m is not None:
        props += [
            ("reach", None if m.reach is None else str(m.reach)),
            ("share", None if m.share is None else f"{m.share:.4f}"),
            ("dominated", None if m.dominated is None else str(m.dominated)),
            ("depth", None if m.depth is None else str(m.depth)),
            ("direct", "true" if m.direct else "false"),
        ]
    found = sorted(set(rules))
    if found:
        props.append(("findings", ",".join(found)))
    if parent:
        props.append(("parent", parent))
    return [(PREFIX + k, v) for k, v in props if v]


def _component(c: Component, props: list[tuple[str, str]]) -> CdxComponent:
    properties = [Property(name=k, value=v) for k, v in c.properties if k and not k.startswith(PREFIX)]
    properties += [Property(name=k, value=v) for k, v in props]
    return CdxComponent(
        name=c.name,
        bom_ref=c.ref,
        type=_TYPES.get(c.type, ComponentType.LIBRARY),
        version=c.version,
        group=c.group,
        purl=_purl(c),
        licenses=_licenses(c),
        supplier=_supplier(c),
        manufacturer=_organisation(c, "manufacturer"),
        authors=_authors(c),
        publisher=_publisher(c),
        hashes=_hashes(c),
        external_references=_external_refs(c),
        scope=_SCOPES.get(c.scope or ""),
        description=c.description,
        copyright=c.copyright,
        cpe=c.cpe,
        properties=properties,
    )


def _service(c: Component, props: list[tuple[str, str]]) -> CdxService:
    properties = [Property(name=k, value=v) for k, v in (*c.properties, *props) if k]
    return CdxService(
        name=c.name,
        bom_ref=c.ref,
        group=c.group,
        version=c.version,
        description=c.description,
        provider=_supplier(c),
        properties=properties,
    )


def _rules_by_ref(result: AuditResult) -> dict[str, list[str]]:
    """The rule ids of each component's non-waived findings."""
    rules_by_ref: dict[str, list[str]] = {}
    for f in result.findings:
        if f.component is not None and f.waived is None:
            rules_by_ref.setdefault(f.component, []).append(f.rule)
    return rules_by_ref


def _bom_parts(
    result: AuditResult, options: RenderOptions
) -> tuple[Bom, list[CdxComponent], dict[str, CdxComponent | CdxService], dict[str, list[str]]]:
    """The rebuilt BOM in parts: a Bom holding the metadata and the services, the other
    components (cyclonedx-python-lib objects), every node by ref (the root's too: refs are unique
    here, the first of duplicates kept) and each node's dependencies by ref."""
    rules_by_ref = _rules_by_ref(result)
    nodes: dict[str, CdxComponent | CdxService] = {}
    root = result.sbom.root
    root_node: CdxComponent | None = None
    if root is not None:
        root_node = _component(root, [])
        nodes[root.ref] = root_node
    for c in result.components:
        if c.ref in nodes:
            continue  # duplicate ref: already reported by the graph stage
        props = souverain_properties(
            result.assessments.get(c.ref), result.metrics.get(c.ref), rules_by_ref.get(c.ref, ()), c.parent
        )
        nodes[c.ref] = _service(c, props) if c.kind is NodeKind.SERVICE else _component(c, props)
    if options.reproducible or not result.generated_at:
        timestamp = REPRODUCIBLE_TIMESTAMP
    else:
        timestamp = datetime.fromisoformat(result.generated_at)
    tool = CdxComponent(
        name="souverain",
        type=ComponentType.APPLICATION,
        version=result.tool_version or None,
        bom_ref=TOOL_REF,
    )
    metadata = BomMetaData(component=root_node, timestamp=timestamp)
    metadata.tools.components.add(tool)
    metadata.properties.add(Property(name=PREFIX + "source-sha256", value=result.sbom.sha256))
    if result.summary.score is not None:
        metadata.properties.add(Property(name=PREFIX + "score", value=str(result.summary.score)))
    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"souverain:{result.sbom.sha256}:{result.tool_version}")
    bom = Bom(
        services=[n for n in nodes.values() if isinstance(n, CdxService)],
        metadata=metadata,
        serial_number=serial if options.reproducible else uuid.uuid4(),
    )
    components = [n for n in nodes.values() if isinstance(n, CdxComponent) and n is not root_node]
    deps: dict[str, list[str]] = {}
    for src, dst, _kind in result.sbom.edges:
        if src in nodes and dst in nodes and src != dst:
            deps.setdefault(src, []).append(dst)
    return bom, components, nodes, deps


def to_bom(result: AuditResult, options: RenderOptions) -> Bom:
    """The enriched CycloneDX BOM (cyclonedx-python-lib model). Linear in components + edges
    (the library's sorted sets add n log n comparisons)."""
    bom, components, nodes, deps = _bom_parts(result, options)
    bom.components = components
    # Dependencies are built directly: Bom.register_dependency scans every registered entry, which
    # is quadratic in the number of components.
    bom.dependencies = [
        Dependency(
            ref=node.bom_ref, dependencies=[Dependency(ref=nodes[d].bom_ref) for d in deps.get(ref, ())]
        )
        for ref, node in nodes.items()
    ]
    return bom


def _library_order(c: CdxComponent) -> tuple[Any, ...]:
    """Where cyclonedx-python-lib puts a component in a BOM's components: its comparison starts
    with type, group, name, version and bom-ref (a missing value after any value); bom-refs are
    unique, so those decide. Computed once per component instead of twice per comparison."""
    group, version = c.group, c.version
    return (c.type.value, group is None, group or "", c.name, version is None, version or "", str(c.bom_ref))


# --------------------------------------------------------------------------------------------
# The input document, enriched in place (CycloneDX JSON 1.3+)
# --------------------------------------------------------------------------------------------

_PROPERTIES_SINCE = (1, 3)  # properties on components, services and metadata
_TOOLS_OBJECT_SINCE = (1, 5)  # metadata.tools as {"components": [...], "services": [...]}
TOOL_REF = PREFIX + "tool"
_HEAD_KEYS = ("$schema", "bomFormat", "specVersion", "serialNumber", "version")
_MISSING = object()
_LARGEST_INT = 2**64 - 1  # the largest integer orjson reads as one (and writes)


def _spec_version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


def enrichable(result: AuditResult, source: bytes | None) -> bool:
    """Whether the output can be the input document itself: a CycloneDX JSON input whose spec
    version has properties (1.3+), given as the very bytes that were audited (same SHA-256)."""
    if source is None or result.sbom.format is not SbomFormat.CYCLONEDX_JSON:
        return False
    version = _spec_version(result.sbom.spec_version)
    if version is None or version < _PROPERTIES_SINCE:
        return False
    return hashlib.sha256(source).hexdigest() == result.sbom.sha256


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~") if "~" in token else token


def _resolve(doc: dict[str, Any], pointer: str, containers: dict[str, Any]) -> Any:
    """The value at JSON pointer ``pointer`` (RFC 6901) in ``doc``, or _MISSING. ``containers``
    memoises the parents (``/components`` for every ``/components/N``)."""
    if not pointer:
        return doc
    if not pointer.startswith("/"):
        return _MISSING
    parent_pointer, _, step = pointer.rpartition("/")
    parent = containers.get(parent_pointer, _MISSING)
    if parent is _MISSING:
        parent = containers[parent_pointer] = _resolve(doc, parent_pointer, containers)
    step = _unescape(step)
    if type(parent) is dict:
        return parent.get(step, _MISSING)
    if type(parent) is list and step.isascii() and step.isdigit() and (step == "0" or step[0] != "0"):
        index = int(step)
        return parent[index] if index < len(parent) else _MISSING
    return _MISSING


def _targets(doc: dict[str, Any], result: AuditResult) -> list[tuple[dict[str, Any], Component]] | None:
    """Each component of the result (root included) with its object in ``doc``; None when one
    location does not lead to an object with that component's bom-ref, or that object's
    ``properties`` is not a list (no place for souverain's)."""
    containers: dict[str, Any] = {}
    root = result.sbom.root
    out: list[tuple[dict[str, Any], Component]] = []
    for c in (root, *result.components) if root is not None else result.components:
        obj = _resolve(doc, c.location, containers) if c.location else _MISSING  # "": the document
        if type(obj) is not dict:
            return None
        ref = obj.get("bom-ref")
        if type(ref) is str and ref and ref != c.ref:
            return None
        if type(obj.get("properties", [])) is not list:
            return None  # nowhere to put its properties: rebuilt, never silently left without
        out.append((obj, c))
    return out


def _set_properties(obj: dict[str, Any], props: list[tuple[str, str]]) -> None:
    """Replace the ``souverain:`` properties of ``obj`` with ``props``; the others are kept, in
    order, and the object's other fields are not touched."""
    existing = obj.get("properties", _MISSING)
    if type(existing) is not list:
        if existing is not _MISSING or not props:
            return  # no properties list to add to (absent and nothing to add, or malformed)
        obj["properties"] = [{"name": k, "value": v} for k, v in props]
        return
    kept = [
        p
        for p in existing
        if not (type(p) is dict and type(name := p.get("name")) is str and name.startswith(PREFIX))
    ]
    if not props and len(kept) == len(existing):
        return
    kept += [{"name": k, "value": v} for k, v in props]
    if kept:
        obj["properties"] = kept
    else:  # only souverain's properties were there (an earlier run): none left
        del obj["properties"]


def _add_tool(meta: dict[str, Any], result: AuditResult, version: tuple[int, ...]) -> None:
    """Name souverain in ``metadata.tools``, in the form the document uses (or its version's
    form when it names no tool); an earlier souverain entry is replaced."""
    tools = meta.get("tools", _MISSING)
    if tools is _MISSING or tools is None:
        tools = meta["tools"] = {} if version >= _TOOLS_OBJECT_SINCE else []
    tool_version = {"version": result.tool_version} if result.tool_version else {}
    if type(tools) is dict:  # 1.5+: {"components": [...], "services": [...]}
        components = tools.get("components")
        if type(components) is not list:
            if components is not None:
                return  # malformed: left as it is
            components = tools["components"] = []
        components[:] = [t for t in components if not _is_souverain_tool(t)]
        components.append({"type": "application", "bom-ref": TOOL_REF, "name": "souverain", **tool_version})
    elif type(tools) is list:  # the legacy array (deprecated in 1.5, still valid)
        tools[:] = [t for t in tools if not _is_souverain_tool(t)]
        tools.append({"name": "souverain", **tool_version})


def _is_souverain_tool(tool: Any) -> bool:
    return type(tool) is dict and tool.get("name") == "souverain" and tool.get("bom-ref") in (None, TOOL_REF)


def enrich_document(doc: dict[str, Any], result: AuditResult) -> bool:
    """Add souverain's conclusions to ``doc``, the parsed input document, in place.

    Every component and service of the result (the root too; nested ones where they sit) gets
    its ``souverain:`` properties instead of any it had; souverain is named among the tools,
    ``souverain:score`` and ``souverain:source-sha256`` are set in the metadata properties and an
    integer ``version`` is incremented. Nothing else changes. Returns False, having changed
    nothing, when a component's location does not lead to its object in ``doc``, an object's
    ``properties`` is not a list, or the metadata is not an object: the caller then rebuilds the
    BOM instead.
    """
    version = _spec_version(result.sbom.spec_version) or _PROPERTIES_SINCE
    meta = doc.get("metadata", _MISSING)
    if meta is not _MISSING and (type(meta) is not dict or type(meta.get("properties", [])) is not list):
        return False
    targets = _targets(doc, result)
    if targets is None:
        return False
    rules = _rules_by_ref(result)
    assessments = result.assessments
    metrics = result.metrics
    none: tuple[str, ...] = ()
    for obj, c in targets:
        ref = c.ref
        # no souverain:parent: the nesting is kept as it is in the input
        props = souverain_properties(assessments.get(ref), metrics.get(ref), rules.get(ref, none), None)
        _set_properties(obj, props)
    if type(meta) is not dict:
        meta = doc["metadata"] = {}
    _add_tool(meta, result, version)
    props = [(PREFIX + "source-sha256", result.sbom.sha256)]
    if result.summary.score is not None:
        props.append((PREFIX + "score", str(result.summary.score)))
    _set_properties(meta, props)
    bom_version = doc.get("version")
    # a modified BOM keeps its serial number, with the next version; the largest integer JSON
    # writers (orjson) handle, 2**64 - 1, has no next one and is left as it is
    if type(bom_version) is int and bom_version < _LARGEST_INT:
        doc["version"] = bom_version + 1
    return True


def _enriched_input(result: AuditResult, source: bytes | None) -> bytes | None:
    """The input document with souverain's conclusions (see :func:`enrich_document`), or None
    when the rebuild is needed (another format or version, other bytes, a location that does
    not resolve)."""
    if not enrichable(result, source):
        return None
    assert source is not None
    try:
        # a gzip/xz/bzip2 input is written back as the plain document it holds
        doc = load_json(decompressed(source, name=result.sbom.path), result.sbom.path)
    except SouverainError:  # cannot happen with the bytes that were audited; rebuild then
        return None
    if not enrich_document(doc, result):
        return None
    # The identifying keys first (the order CycloneDX documents use): a reader that sniffs the
    # format from the head of the file (souverain does, 64 KiB) finds them even when the input
    # had its keys sorted and the enriched document has grown past that head.
    head = {k: doc[k] for k in _HEAD_KEYS if k in doc}
    if list(head) != list(doc)[: len(head)]:
        doc = {**head, **doc}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _rebuilt(result: AuditResult, options: RenderOptions) -> bytes:
    """The BOM rebuilt from the model, serialised as CycloneDX 1.6 JSON.

    The same document as ``cyclonedx.output.json.JsonV1Dot6`` would write for :func:`to_bom`,
    minus that outputter's ``Bom.validate()`` step (it re-registers every dependency entry with a
    linear scan each: quadratic) and with three costs taken out, each n log n or worse:

    - the components are serialised one by one (the library's ``as_json``) in the library's order
      (:func:`_library_order`, one key per component), not through the BOM's sorted set, which
      builds two comparison tuples of every field per comparison (about 5 s at 10k components);
    - the dependency list is written here: an entry per node, ``dependsOn`` the sorted unique
      refs, entries sorted by ref (what the library writes for the Dependency objects of
      :func:`to_bom`);
    - ``BomRefDiscriminator``, which makes bom-refs unique with a list scan per ref (quadratic:
      minutes at 100k), is only used when a ref is empty: the nodes are keyed by their ref.
    """
    bom, components, nodes, deps = _bom_parts(result, options)
    if any(n.bom_ref.value is None for n in nodes.values()):  # pragma: no cover - refs are never empty
        discriminator: contextlib.AbstractContextManager[None] = BomRefDiscriminator.from_bom(bom)
    else:
        discriminator = contextlib.nullcontext()
    with discriminator:
        document: dict[str, Any] = json.loads(bom.as_json(view_=SchemaVersion1Dot6))  # type: ignore[attr-defined]
        components.sort(key=_library_order)
        listed = [json.loads(c.as_json(view_=SchemaVersion1Dot6)) for c in components]  # type: ignore[attr-defined]
        dependencies = []
        for ref in sorted(str(n.bom_ref) for n in nodes.values()):
            on = sorted({str(nodes[d].bom_ref) for d in deps.get(ref, ())})
            dependencies.append({"dependsOn": on, "ref": ref} if on else {"ref": ref})
    parts = {"components": listed, "dependencies": dependencies, **document}
    # the library writes its keys in this order; empty lists are left out as it does
    order = ("components", "dependencies", "externalReferences", "metadata", "properties", "serialNumber",
             "services", "version")
    document = {k: parts[k] for k in sorted(parts, key=lambda k: order.index(k) if k in order else len(order))
                if parts[k] != []}
    document.update({"$schema": CDX_SCHEMA_URI, "bomFormat": "CycloneDX", "specVersion": "1.6"})
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def render_cyclonedx_bytes(result: AuditResult, options: RenderOptions) -> bytes:
    """The enriched BOM as UTF-8 JSON: the input document itself when it is CycloneDX JSON 1.3+
    and ``options.source`` holds its bytes, else the BOM rebuilt as CycloneDX 1.6."""
    enriched = _enriched_input(result, options.source)
    return enriched if enriched is not None else _rebuilt(result, options)


def render_cyclonedx(result: AuditResult, options: RenderOptions) -> str:
    """:func:`render_cyclonedx_bytes` as text."""
    return render_cyclonedx_bytes(result, options).decode("utf-8")


class CycloneDxReporter:
    """``--format cyclonedx``: the input BOM enriched with ``souverain:`` properties."""

    name = "cyclonedx"
    suffix = "cdx.json"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the enriched CycloneDX JSON BOM to ``out``."""
        out.write(render_cyclonedx(result, options))

    def render_bytes(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The enriched CycloneDX JSON BOM, UTF-8 encoded (as serialised)."""
        return render_cyclonedx_bytes(result, options)


REPORTER = CycloneDxReporter()
