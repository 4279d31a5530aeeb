"""``--format cyclonedx``: the audited BOM as CycloneDX 1.6 JSON, enriched with souverain's
conclusions as component properties in the ``souverain:`` namespace.

The BOM is rebuilt from the parsed model (:class:`souverain.model.Component`) whatever the input
format (CycloneDX or SPDX), with cyclonedx-python-lib's model and JSON outputter: bom-ref, name,
version, group, purl, type, licences, supplier, hashes, external references, the SBOM's own
properties, dependencies. Nested components are written flat (their ``parent`` becomes the
``souverain:parent`` property). Added properties, per component::

    souverain:controller, souverain:controller-kind, souverain:ultimate-controller,
    souverain:country, souverain:jurisdiction, souverain:regimes, souverain:openness,
    souverain:license-expression, souverain:service, souverain:service-operator,
    souverain:service-country, souverain:reach, souverain:share, souverain:dominated,
    souverain:findings (comma-separated rule ids), souverain:confidence:controller …

cyclonedx-python-lib builds a rich object per component: this format takes tens of seconds at
100k components, where the JSON report takes about one (see docs/reports.md).
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
from cyclonedx.contrib.bom.utils import BomDependencyGraphFlatMerger, BomRefDiscriminator
from cyclonedx.model import ExternalReference, ExternalReferenceType, HashAlgorithm, HashType, Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentScope, ComponentType
from cyclonedx.model.contact import OrganizationalContact, OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.service import Service as CdxService
from cyclonedx.schema.schema import SchemaVersion1Dot6
from packageurl import PackageURL

from souverain.model import Assessment, AuditResult, Component, ComponentMetrics, NodeKind
from souverain.report.base import RenderOptions

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


def to_bom(result: AuditResult, options: RenderOptions) -> Bom:
    """The enriched CycloneDX BOM (cyclonedx-python-lib model). Linear in components + edges."""
    rules_by_ref: dict[str, list[str]] = {}
    for f in result.findings:
        if f.component is not None and f.waived is None:
            rules_by_ref.setdefault(f.component, []).append(f.rule)
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
        bom_ref="souverain:tool",
    )
    metadata = BomMetaData(component=root_node, timestamp=timestamp)
    metadata.tools.components.add(tool)
    metadata.properties.add(Property(name=PREFIX + "source-sha256", value=result.sbom.sha256))
    if result.summary.score is not None:
        metadata.properties.add(Property(name=PREFIX + "score", value=str(result.summary.score)))
    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"souverain:{result.sbom.sha256}:{result.tool_version}")
    bom = Bom(
        components=[n for r, n in nodes.items() if isinstance(n, CdxComponent) and n is not root_node],
        services=[n for n in nodes.values() if isinstance(n, CdxService)],
        metadata=metadata,
        serial_number=serial if options.reproducible else uuid.uuid4(),
    )
    # Dependencies are built directly: Bom.register_dependency scans every registered entry, which
    # is quadratic in the number of components.
    deps: dict[str, list[str]] = {}
    for src, dst, _kind in result.sbom.edges:
        if src in nodes and dst in nodes and src != dst:
            deps.setdefault(src, []).append(dst)
    bom.dependencies = [
        Dependency(
            ref=node.bom_ref, dependencies=[Dependency(ref=nodes[d].bom_ref) for d in deps.get(ref, ())]
        )
        for ref, node in nodes.items()
    ]
    return bom


def render_cyclonedx(result: AuditResult, options: RenderOptions) -> str:
    """The enriched BOM serialised as CycloneDX 1.6 JSON.

    This is what ``cyclonedx.output.json.JsonV1Dot6`` does, minus its ``Bom.validate()`` step:
    that step re-registers every component's dependency entry with a linear scan each (quadratic:
    minutes at 20k components), and :func:`to_bom` already guarantees what it checks (an entry per
    component, only known refs, never an expression next to other licences).
    """
    bom = to_bom(result, options)
    with BomRefDiscriminator.from_bom(bom), BomDependencyGraphFlatMerger(bom):
        document: dict[str, Any] = json.loads(bom.as_json(view_=SchemaVersion1Dot6))  # type: ignore[attr-defined]
    document.update({"$schema": CDX_SCHEMA_URI, "bomFormat": "CycloneDX", "specVersion": "1.6"})
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")


class CycloneDxReporter:
    """``--format cyclonedx``: the input BOM enriched with ``souverain:`` properties."""

    name = "cyclonedx"
    suffix = "cdx.json"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the enriched CycloneDX 1.6 JSON BOM to ``out``."""
        out.write(render_cyclonedx(result, options))


REPORTER = CycloneDxReporter()
