"""Builders for test inputs: components, parsed SBOMs, graphs and assessments.

Generic on purpose so every module's tests can reuse them::

    g = make_graph([("app", "a"), ("a", "b")], root="app")
    a = make_assessment("b", openness=Openness.PROPRIETARY, country="US",
                        jurisdiction=Jurisdiction.FOREIGN)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from souverain.graph import DependencyGraph, build_graph
from souverain.model import (
    Assessment,
    Attribution,
    Component,
    Confidence,
    Controller,
    ControllerKind,
    DeclaredLicense,
    EdgeKind,
    Evidence,
    Hash,
    Jurisdiction,
    LicenseVerdict,
    Openness,
    ParsedSbom,
    Party,
    SbomFormat,
    ServiceBinding,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sboms"
CORPUS = Path("/work/shared/corpus/public")


def sbom_path(name: str) -> Path:
    """A real SBOM: ``tests/fixtures/sboms/<name>`` first, else the shared corpus."""
    local = FIXTURES / name
    return local if local.exists() else CORPUS / name


def make_component(
    ref: str,
    name: str | None = None,
    *,
    version: str | None = "1.0.0",
    purl: str | None = None,
    group: str | None = None,
    supplier: str | None = None,
    licenses: Sequence[str] = (),
    hashes: Sequence[tuple[str, str]] = (),
    **extra: object,
) -> Component:
    """A component; ``purl`` defaults to ``pkg:generic/<name>@<version>`` (pass ``purl=""`` for
    none); ``supplier`` adds a supplier party; ``licenses`` SPDX ids."""
    name = name or ref
    if purl is None:
        purl = f"pkg:generic/{name}@{version}" if version else f"pkg:generic/{name}"
    parties = (Party(role="supplier", name=supplier),) if supplier else ()
    return Component(
        ref=ref,
        name=name,
        version=version,
        group=group,
        purl=purl or None,
        purl_text=purl or None,
        ecosystem=purl.split(":", 1)[1].split("/", 1)[0] if purl else None,
        licenses=tuple(DeclaredLicense("id", lic) for lic in licenses),
        parties=parties,
        hashes=tuple(Hash(a, v) for a, v in hashes),
        **extra,  # type: ignore[arg-type]
    )


def make_sbom(
    components: Iterable[Component],
    edges: Iterable[tuple[str, str]] = (),
    *,
    root: Component | None = None,
    has_dependency_data: bool = True,
    path: str = "test.cdx.json",
) -> ParsedSbom:
    """A parsed SBOM from components and (dependant, dependency) pairs."""
    return ParsedSbom(
        path=path,
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version="1.6",
        sha256="0" * 64,
        components=tuple(components),
        root=root,
        edges=tuple((a, b, EdgeKind.RUNTIME) for a, b in edges),
        has_dependency_data=has_dependency_data,
    )


def make_graph(
    edges: Iterable[tuple[str, str]],
    *,
    root: str | None = "root",
    nodes: Iterable[str] = (),
    flat: bool = False,
) -> tuple[ParsedSbom, DependencyGraph]:
    """An SBOM and its graph from edges; every ref named in ``edges`` or ``nodes`` becomes a
    component (``root=None`` for a synthetic root)."""
    edge_list = list(edges)
    refs: dict[str, None] = {}
    for a, b in edge_list:
        refs[a] = None
        refs[b] = None
    for r in nodes:
        refs[r] = None
    refs.pop(root or "", None)
    root_c = make_component(root) if root else None
    sbom = make_sbom(
        [make_component(r) for r in refs],
        [] if flat else edge_list,
        root=root_c,
        has_dependency_data=not flat,
    )
    return sbom, build_graph(sbom)


def make_assessment(
    ref: str,
    *,
    openness: Openness | None = Openness.OPEN,
    expression: str | None = "MIT",
    controller: str | None = "Example Org",
    kind: ControllerKind = ControllerKind.COMPANY,
    country: str | None = "FR",
    jurisdiction: Jurisdiction = Jurisdiction.HOME,
    confidence: Confidence = Confidence.HIGH,
    service: str | None = None,
    service_operator: str | None = None,
    service_country: str | None = None,
) -> Assessment:
    """An assessment; ``openness=None`` for an unknown licence, ``controller=None`` for an
    unknown controller (jurisdiction then defaults to unknown)."""
    ev = (Evidence("knowledge-base", f"test evidence for {ref}", "test.toml"),)
    lic = LicenseVerdict(
        declared=(expression,) if expression and openness else (),
        expression=expression if openness else None,
        openness=openness,
    ) if openness is not None else None
    license_attr: Attribution[LicenseVerdict] = Attribution(
        "license", lic, Confidence.HIGH if lic else Confidence.LOW, ev, "test"
    )
    ctl = Controller(name=controller, kind=kind, country=country, ultimate=controller) if controller else None
    controller_attr: Attribution[Controller] = Attribution(
        "controller", ctl, confidence if ctl else Confidence.LOW, ev, "test"
    )
    if ctl is None and jurisdiction is Jurisdiction.HOME:
        jurisdiction = Jurisdiction.UNKNOWN
    svc: Attribution[ServiceBinding] | None = None
    if service:
        svc = Attribution(
            "service",
            ServiceBinding(name=service, operator=service_operator, country=service_country),
            Confidence.HIGH,
            ev,
            "test",
        )
    return Assessment(ref, license_attr, controller_attr, svc, jurisdiction)


def open_home(refs: Iterable[str]) -> dict[str, Assessment]:
    """Harmless assessments (open licence, home controller) for every ref."""
    return {r: make_assessment(r) for r in refs}
