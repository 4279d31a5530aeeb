"""The immutable data model shared by every stage.

Parsers produce :class:`ParsedSbom` (components, edges, skipped items); the graph module wraps it
in a :class:`souverain.graph.DependencyGraph`; enrichers produce :class:`Attribution` values;
the analyser turns everything into an :class:`AuditResult` that reporters render.

Nothing here performs I/O. Every class is a frozen, slotted dataclass or a ``StrEnum`` so values
can be shared between stages without defensive copies.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class SbomFormat(StrEnum):
    """The SBOM serialisations souverain reads (values are the JSON report's ``source.format``)."""

    CYCLONEDX_JSON = "cyclonedx-json"
    CYCLONEDX_XML = "cyclonedx-xml"
    SPDX_JSON = "spdx-json"
    SPDX_TAGVALUE = "spdx-tagvalue"
    SPDX3_JSON = "spdx3-json"  # SPDX 3.0.x JSON-LD


class NodeKind(StrEnum):
    """What a graph node stands for."""

    COMPONENT = "component"
    SERVICE = "service"  # a CycloneDX ``services`` entry
    ROOT = "root"  # the synthetic root, when the SBOM names none


class EdgeKind(StrEnum):
    """The kind of a dependency edge (dependant → dependency)."""

    RUNTIME = "runtime"  # plain dependsOn / DEPENDS_ON / RUNTIME_DEPENDENCY_OF
    DEV = "dev"
    BUILD = "build"
    TEST = "test"
    OPTIONAL = "optional"
    PROVIDED = "provided"
    CONTAINS = "contains"  # SPDX CONTAINS / CONTAINED_BY
    NESTED = "nested"  # a CycloneDX component nested in another (shipped inside it)
    LINK = "link"  # STATIC_LINK / DYNAMIC_LINK
    PREREQUISITE = "prerequisite"  # HAS_PREREQUISITE / PREREQUISITE_FOR


class Confidence(StrEnum):
    """How far an attribution can be trusted. Ordered: ``HIGH > MEDIUM > LOW``."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """2 for high, 1 for medium, 0 for low (for comparisons)."""
        return _CONFIDENCE_RANK[self]


_CONFIDENCE_RANK = {Confidence.HIGH: 2, Confidence.MEDIUM: 1, Confidence.LOW: 0}


class Openness(StrEnum):
    """Whether the licence lets us fork and carry on without the licensor."""

    OPEN = "open"
    SOURCE_AVAILABLE = "source-available"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


class ControllerKind(StrEnum):
    """What kind of party controls a component's releases."""

    COMPANY = "company"
    FOUNDATION = "foundation"
    GOVERNMENT = "government"
    CONSORTIUM = "consortium"
    COMMUNITY = "community"
    INDIVIDUAL = "individual"
    UNKNOWN = "unknown"


class Jurisdiction(StrEnum):
    """A country's class relative to the policy's home and trusted jurisdictions."""

    HOME = "home"
    TRUSTED = "trusted"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    """Finding severity, as in the JSON contract. Ordered: ``CRITICAL`` highest."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical … 0 for info (for comparisons and ``--fail-on``)."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


# --------------------------------------------------------------------------------------------
# What the SBOM says (parser output)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something in the input that could not be read, and why. ``location`` is a JSON pointer
    (``/components/12/purl``), an XPath-like path or ``line N`` for tag-value."""

    location: str
    reason: str


@dataclass(frozen=True, slots=True)
class DeclaredLicense:
    """One licence statement exactly as written in the SBOM.

    ``kind`` is ``"id"`` (CycloneDX ``license.id``), ``"name"`` (``license.name``, free text),
    ``"expression"`` (CycloneDX ``expression`` or SPDX ``licenseDeclared``/``licenseConcluded``)
    or ``"url"`` (only a licence URL was given). ``field`` says where it came from
    (e.g. ``licenseConcluded``) and ``url`` keeps a URL given next to an id or a name.
    """

    kind: str
    value: str
    field: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A person or organisation named in the SBOM for a component.

    ``role`` is ``supplier``, ``manufacturer``, ``publisher``, ``author``, ``originator``
    (SPDX ``PackageOriginator``) or ``copyright`` … ``is_person`` is True when the SBOM says it is
    a person (SPDX ``Person:``, CycloneDX ``authors[]``), False when it says organisation, None
    when it does not say. ``country`` only when the SBOM states it (CycloneDX 1.6
    ``address.country``), never guessed.
    """

    role: str
    name: str | None
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    country: str | None = None
    is_person: bool | None = None
    location: str = ""


@dataclass(frozen=True, slots=True)
class ExternalRef:
    """An external reference (CycloneDX ``externalReferences``, SPDX ``externalRefs`` other than
    purls, ``downloadLocation``, ``homepage``). Never fetched."""

    type: str
    url: str


@dataclass(frozen=True, slots=True)
class Hash:
    """A checksum as written in the SBOM."""

    alg: str
    value: str


@dataclass(frozen=True, slots=True)
class Component:
    """One node of the SBOM: a component or a service.

    ``ref`` is the document-unique reference (CycloneDX ``bom-ref``, SPDX ``SPDXID``; a
    generated ``souverain:…`` one when the document has none). ``purl`` is the canonical purl
    string when it parsed, else None; ``purl_text`` keeps what was written (also when malformed).
    ``ecosystem`` is the purl type (``npm``, ``maven``…) or None. ``namespace`` and
    ``package`` are the purl's namespace and name when the purl parsed.
    """

    ref: str
    name: str
    version: str | None = None
    group: str | None = None
    purl: str | None = None
    purl_text: str | None = None
    ecosystem: str | None = None
    namespace: str | None = None
    package: str | None = None
    kind: NodeKind = NodeKind.COMPONENT
    type: str = "library"
    licenses: tuple[DeclaredLicense, ...] = ()
    parties: tuple[Party, ...] = ()
    external_refs: tuple[ExternalRef, ...] = ()
    hashes: tuple[Hash, ...] = ()
    scope: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    parent: str | None = None
    description: str | None = None
    copyright: str | None = None
    cpe: str | None = None
    location: str = ""
    line: int | None = None  # 1-based line in the input where the component starts, when known


Edge = tuple[str, str, EdgeKind]
"""A dependency edge: (dependant ref, dependency ref, kind)."""


@dataclass(frozen=True, slots=True)
class EdgeLayout:
    """How a reader laid out the ``edges`` tuple of a :class:`ParsedSbom`, so that
    :func:`souverain.graph.build_graph` can map the refs to node ids without reading 100k+ edge
    tuples again (and look each source up once per dependency entry rather than once per edge):
    ``edges[:nested]`` are CycloneDX nesting edges (kind NESTED), then come the runtime edges from
    ``sources[i]`` to each ref of ``targets[i]`` in turn (the dependency entries' ``ref`` and
    ``dependsOn`` lists, as the reader had them: no copy). It describes that very tuple object
    (``edges``, compared by identity): a copy of the SBOM with other edges keeps a layout that
    no longer applies, and build_graph ignores it."""

    edges: tuple[Edge, ...]
    nested: int
    sources: Sequence[str]
    targets: Sequence[Sequence[str]]


@dataclass(frozen=True, slots=True)
class ParsedSbom:
    """What a parser read from one SBOM file.

    ``components`` holds every component and service of the document, nested ones included, but
    not the root. ``root`` is the described component (CycloneDX ``metadata.component``, SPDX
    ``DESCRIBES`` target) or None. ``has_dependency_data`` is False when the document holds no
    dependency information at all (the graph is then *flat*). ``notes`` counts things left out
    on purpose (e.g. ``{"relationships to files": 3042}``), ``unknown_relationships`` counts
    relationship types that were not understood.
    """

    path: str
    format: SbomFormat
    spec_version: str
    sha256: str
    components: tuple[Component, ...]
    root: Component | None
    edges: tuple[Edge, ...]
    skipped: tuple[Skipped, ...] = ()
    has_dependency_data: bool = True
    notes: Mapping[str, int] = field(default_factory=dict)
    unknown_relationships: Mapping[str, int] = field(default_factory=dict)
    serial_number: str | None = None
    name: str | None = None  # document name (SPDX name, CycloneDX metadata.component name)
    tools: tuple[str, ...] = ()
    # when the SBOM was made, as written (CycloneDX metadata.timestamp, SPDX creationInfo.created)
    timestamp: str | None = None
    # who made it: CycloneDX metadata.authors (else manufacturer/supplier), SPDX Person/Organization
    authors: tuple[str, ...] = ()
    # how the reader laid out ``edges`` (see EdgeLayout), for build_graph; not part of the value
    edge_layout: EdgeLayout | None = field(default=None, compare=False, repr=False)


# --------------------------------------------------------------------------------------------
# Attributions (enricher output)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence behind an attribution.

    ``source`` is ``sbom``, ``knowledge-base``, ``registry``, ``override`` or ``policy``;
    ``detail`` is a sentence a person can read (``"purl namespace @azure → Microsoft"``);
    ``location`` the SBOM field or KB entry (``/components/4/supplier/name``,
    ``organisations/us.toml#microsoft``).
    """

    source: str
    detail: str
    location: str = ""

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True, slots=True)
class Attribution(Generic[T]):
    """A value with its confidence and its evidence, produced by one enricher.

    ``aspect`` names what is attributed (``license``, ``controller``, ``service``); ``source``
    names the enricher. ``value`` None means *unknown*, always with confidence LOW and evidence
    saying what was looked at.
    """

    aspect: str
    value: T | None
    confidence: Confidence
    evidence: tuple[Evidence, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class LicenseVerdict:
    """The normalised licence of a component.

    ``expression`` is the normalised SPDX (or ``LicenseRef-scancode-…``) expression; ``chosen``
    the option retained for an ``OR`` (the most open); ``category`` the ScanCode category of the
    deciding licence; ``unresolved`` the declared strings that could not be understood.
    """

    declared: tuple[str, ...]
    expression: str | None
    openness: Openness
    category: str | None = None
    chosen: str | None = None
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Controller:
    """The party controlling a component's releases, and its ultimate owner."""

    name: str | None
    kind: ControllerKind
    org_id: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 of the ultimate controller's seat
    ultimate: str | None = None  # name of the ultimate owner (after following parents)
    ultimate_id: str | None = None
    chain: tuple[str, ...] = ()  # org ids from the controller up to the ultimate owner


@dataclass(frozen=True, slots=True)
class ServiceBinding:
    """A remote service a component is a client of, and who operates it."""

    name: str
    operator: str | None
    operator_id: str | None = None
    country: str | None = None
    qualifications: tuple[str, ...] = ()  # e.g. "SecNumCloud (2024-…, source …)"


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the enrichers concluded about one component (after merging)."""

    ref: str
    license: Attribution[LicenseVerdict]
    controller: Attribution[Controller]
    service: Attribution[ServiceBinding] | None = None
    jurisdiction: Jurisdiction = Jurisdiction.UNKNOWN
    regimes: tuple[str, ...] = ()  # extraterritorial regimes of the controller's country
    conflicts: tuple[Attribution[object], ...] = ()  # attributions that disagreed and lost


# --------------------------------------------------------------------------------------------
# Policy and analysis results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Waiver:
    """An allow-list entry: findings matching ``purl`` (a glob over purls without version) and,
    optionally, ``rule`` are waived until ``expires`` (ISO date), for ``reason``."""

    purl: str
    reason: str
    expires: str
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """The audit policy as applied (defaults: home EU, trusted EEA, fail on high).

    ``home`` and ``trusted`` hold country codes and bloc names as the user wrote them; the
    knowledge base expands blocs. ``thresholds`` holds numeric settings by name (see
    docs/policy.md), e.g. ``choke_share`` (0.05), ``concentration`` (0.5).
    """

    home: tuple[str, ...] = ("EU",)
    trusted: tuple[str, ...] = ("EEA",)
    fail_on: Severity | None = Severity.HIGH
    thresholds: Mapping[str, float] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    source: str | None = None  # the file the policy came from, if any


@dataclass(frozen=True, slots=True)
class ComponentMetrics:
    """Graph metrics of one component."""

    reach: int | None  # components that transitively depend on it (None when the SBOM is flat)
    share: float | None
    dominated: int | None  # components reachable from the root only through it
    depth: int | None
    direct: bool


FindingParam = str | int | float | bool | None
"""A value a finding's message is rendered from (a name, a country code, a count, a share…)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding, as in the JSON contract.

    ``title``, ``message`` and ``recommendation`` are the English texts of the contract.
    ``params`` holds the values the message was rendered from (component, controller, country,
    reach, share…; ``variant`` picks one of the rule's message forms), so that reporters can render
    it in another language with :func:`souverain.analyse.rules.render_message`. It is empty for
    findings read back from an old report (reporters then fall back to ``message``) and takes no
    part in equality or hashing: it is derived from the same data as ``message``.
    """

    fingerprint: str
    rule: str
    title: str
    severity: Severity
    component: str | None  # ref, None for SBOM-wide findings
    share: float | None
    message: str
    evidence: tuple[str, ...]
    recommendation: str
    waived: str | None = None  # waiver reason when waived
    status: str | None = None  # with a baseline: "new", "worsened", "unchanged"
    params: Mapping[str, FindingParam] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Summary:
    """The report's summary block."""

    components: int
    dependencies: int
    root: str | None
    flat: bool
    skipped: tuple[Skipped, ...]
    openness: Mapping[str, int]
    exposure_by_country: Mapping[str, float]
    exposure_by_controller: Mapping[str, float]
    score: int | None
    exposure_groups: Mapping[str, float] = field(default_factory=dict)  # foreign, proprietary…
    concentration: Mapping[str, float] = field(default_factory=dict)  # HHI by country/controller
    depth: int | None = None
    direct: int = 0
    confidence: Mapping[str, int] = field(default_factory=dict)  # controller confidence counts
    graph_issues: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Everything a reporter needs. Reporters render it; they never compute findings."""

    sbom: ParsedSbom
    policy: Policy
    summary: Summary
    components: tuple[Component, ...]  # in report order (the SBOM's order), root excluded
    assessments: Mapping[str, Assessment]  # by ref
    metrics: Mapping[str, ComponentMetrics]  # by ref
    findings: tuple[Finding, ...]  # most severe first
    resolved: tuple[Finding, ...] = ()  # with a baseline: findings gone since
    warnings: tuple[str, ...] = ()
    generated_at: str | None = None  # ISO timestamp, None in reproducible mode
    tool_version: str = ""


# --------------------------------------------------------------------------------------------
# Fast construction for the hot paths
# --------------------------------------------------------------------------------------------

_C = TypeVar("_C")


def slot_constructor(cls: type[_C]) -> Callable[..., _C]:
    """A positional constructor for a frozen, slotted dataclass: the same object as ``cls(...)``,
    built in a third to a half of the time.

    A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__(self, name, v)``,
    which looks the name up on the class every time; the readers and enrichers build several such
    objects per component (hundreds of thousands per large SBOM), so the hot paths use this
    instead. The object is first built as an instance of a mutable twin class with the same
    ``__slots__`` and bases (plain attribute stores, which the interpreter specialises), then its
    ``__class__`` is set to ``cls`` (Python allows it between classes of the same layout). Where
    that is refused, the slots are filled through their descriptors instead. Only for classes
    whose ``__init__`` does nothing else: no ``__post_init__``, no default factories, no
    ``InitVar``; every argument must be given, in field order.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not hasattr(cls, "__slots__") or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a plain frozen, slotted dataclass")
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    args = ", ".join(names)
    try:
        twin = _twin_class(cls)
        scope: dict[str, Any] = {"_twin": twin, "_cls": cls}
        body = "".join(f"    o.{n} = {n}\n" for n in names)
        exec(f"def build({args}):\n    o = _twin()\n{body}    o.__class__ = _cls\n    return o\n", scope)  # noqa: S102
        build: Callable[..., _C] = scope["build"]
        probe = build(*names)  # a layout Python refuses raises TypeError here, once
        if type(probe) is not cls or [getattr(probe, n) for n in names] != names:
            raise TypeError(f"{cls.__name__}: the twin class does not give the same object")
    except TypeError:
        scope = {"_new": object.__new__, "_cls": cls}
        scope.update({f"_set_{n}": getattr(cls, n).__set__ for n in names})
        body = "".join(f"    _set_{n}(o, {n})\n" for n in names)
        exec(f"def build({args}):\n    o = _new(_cls)\n{body}    return o\n", scope)  # noqa: S102
        build = scope["build"]
    build.__doc__ = f"``{cls.__name__}(...)`` with every field given positionally, built through its slots."
    return build


def _twin_class(cls: type) -> type:
    """A plain (mutable) class with the same bases and ``__slots__`` as ``cls``: the same layout."""
    slots = {"__slots__": cls.__dict__["__slots__"], "__module__": cls.__module__}
    bases = getattr(cls, "__orig_bases__", cls.__bases__)  # Generic[T] rather than plain Generic
    return types.new_class(f"_{cls.__name__}Builder", bases, exec_body=lambda ns: ns.update(slots))
