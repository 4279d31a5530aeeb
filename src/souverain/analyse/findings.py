"""Findings: at-risk components with real weight (choke points) and SBOM-wide findings.

Severity starts from the rule's default and moves by weight and confidence (see
docs/risk-model.md, "Severity"): one level up when the component's weight reaches
``major_share``; one level down when the controller attribution behind a jurisdictional rule has
low confidence.

Each finding carries ``params``, the values its message is made of; the English ``message`` is
rendered from them with the rule's template (:func:`souverain.analyse.rules.render_message`), the
same the human-readable reporters use to render it in French.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from packageurl import PackageURL

from souverain.analyse.exposure import Profile
from souverain.analyse.rules import (
    COUNTRY_CONCENTRATION,
    FOREIGN_OPEN_EXPOSURE,
    FOREIGN_PROPRIETARY,
    FOREIGN_SERVICE,
    FOREIGN_SOURCE_AVAILABLE,
    NO_DEPENDENCIES,
    NO_SUPPLIERS,
    TRUSTED_PROPRIETARY,
    UNKNOWN_CONTROLLER,
    UNKNOWN_CONTROLLER_SUMMARY,
    UNKNOWN_LICENCE,
    UNKNOWN_LICENCE_SUMMARY,
    VENDOR_CONCENTRATION,
    Rule,
    render_message,
)
from souverain.analyse.rules import percent as _percent
from souverain.model import (
    Component,
    ComponentMetrics,
    Confidence,
    ControllerKind,
    Finding,
    Jurisdiction,
    NodeKind,
    Openness,
    Severity,
)

DEFAULT_THRESHOLDS: Mapping[str, float] = {
    "choke_share": 0.05,
    "major_share": 0.25,
    "concentration": 0.5,
    "supplier_coverage": 0.5,
}
"""Threshold defaults (policy ``[thresholds]`` overrides them; docs/policy.md)."""

_BY_RANK = {s.rank: s for s in Severity}
SUPPLIER_ROLES = frozenset({"supplier", "manufacturer", "publisher", "author", "originator"})


def component_key(c: Component) -> str:
    """What identifies a component across runs and SBOM regenerations: its purl without version,
    qualifiers and subpath; else ``name:group/name``; the ref only as a last resort."""
    if c.purl:
        # The parser gives the canonical purl: '@', '?', '#' and '/' inside fields are
        # percent-encoded, so plain splitting drops subpath, qualifiers and version.
        head, _, last = c.purl.split("#", 1)[0].split("?", 1)[0].rpartition("/")
        return f"{head}/{last.split('@', 1)[0]}" if head else last.split("@", 1)[0]
    if c.name:
        return f"name:{c.group or ''}/{c.name}"
    return f"ref:{c.ref}"


def fingerprint(rule: str, key: str) -> str:
    """Stable fingerprint of a finding: sha256 of rule id and subject key (32 hex digits)."""
    return hashlib.sha256(f"{rule}\x00{key}".encode()).hexdigest()[:32]


def percent(share: float) -> str:
    """``0.623`` → ``"62 %"``; shares under 10 % keep one decimal (English; the rules module
    formats French)."""
    return _percent(share, "en")


def _shift(base: Severity, steps: int) -> Severity:
    return _BY_RANK[max(0, min(4, base.rank + steps))]


@dataclass(frozen=True, slots=True)
class Product:
    """What marks a component as part of the product itself (first-party): the product's own
    modules are not a supplier that could withdraw, so what is unknown about them is a question
    for the product's owner (see docs/risk-model.md, "First-party components").

    Built from the SBOM's root component. Two kinds of evidence, both read from purls, never
    from names:

    - the purl qualifier ``project_path``, which the CycloneDX Gradle plugin sets on the
      projects of the build it describes (``pkg:maven/JabRef/jablib@…?project_path=:jablib``);
    - the root's purl namespace, for ecosystems whose namespaces are owned: a Maven group equal
      to the root's or inside it (``org.keycloak.testsuite`` under ``org.keycloak``; the root's
      group needs two segments at least), the root's npm scope, a Go module path inside the
      root's module.
    """

    ecosystem: str | None = None
    namespace: str | None = None
    path: str | None = None  # Go: the root's whole module path

    @classmethod
    def of(cls, root: Component | None) -> Product:
        """The product described by ``root`` (the SBOM's root component; None: no root, so
        only the ``project_path`` evidence applies)."""
        if root is None or not root.purl or not root.ecosystem:
            return cls()
        ns = root.namespace
        if root.ecosystem == "maven" and ns and ns.count(".") >= 1:
            return cls("maven", ns)
        if root.ecosystem == "npm" and ns and ns.startswith("@"):
            return cls("npm", ns)
        if root.ecosystem == "golang" and ns and root.package:
            return cls("golang", ns, f"{ns}/{root.package}")
        return cls()

    def first_party(self, c: Component) -> dict[str, str] | None:
        """Why ``c`` is part of the product (``first_party``: ``project`` or ``namespace``, and
        the ``product_namespace`` or ``project_path`` it rests on), or None."""
        if not c.purl:
            return None
        if "project_path=" in c.purl:
            path = (PackageURL.from_string(c.purl).qualifiers or {}).get("project_path")
            if isinstance(path, str) and path:
                return {"first_party": "project", "project_path": path}
        if self.ecosystem is None or c.ecosystem != self.ecosystem or not c.namespace:
            return None
        ns, own = c.namespace, self.namespace or ""
        if self.ecosystem == "maven":
            inside = ns == own or ns.startswith(own + ".")
        elif self.ecosystem == "npm":
            inside = ns == own
        else:  # golang: the module path of c inside the root's
            inside = self.path is not None and (f"{ns}/" + (c.package or "")).startswith(self.path + "/")
        if not inside:
            return None
        return {"first_party": "namespace", "namespace": ns, "product_namespace": self.path or own}


_AGGREGATE_TYPES = frozenset({"operating-system", "container"})
_SCANNED_FILE = ("aquasecurity:trivy:Class", "lang-pkgs")  # Trivy: the packages found in one file
_SPDX_ID_PREFIXES = (  # Trivy's SPDX: no primaryPackagePurpose, the kind is in the SPDXID
    ("SPDXRef-OperatingSystem-", "operating-system"),
    ("SPDXRef-ContainerImage-", "container"),
    ("SPDXRef-Application-", "files"),
)


def aggregate(c: Component) -> tuple[dict[str, str], str] | None:
    """Why ``c`` stands for other components rather than being a package of its own (an
    operating system, a container image, the packages a scanner found in one file), as finding
    params and an evidence line, or None. Its own licence and controller say little: those of
    what it contains are assessed one by one."""
    if c.type in _AGGREGATE_TYPES:
        return {"aggregate": c.type}, f"aggregate: component type {c.type} ({c.location})"
    if _SCANNED_FILE in c.properties:
        return {"aggregate": "files"}, (
            f"aggregate: property {'='.join(_SCANNED_FILE)} (the packages found in one file)"
        )
    if c.ref.startswith("SPDXRef-"):
        for prefix, kind in _SPDX_ID_PREFIXES:
            if c.ref.startswith(prefix):
                return {"aggregate": kind}, f"aggregate: SPDXID {c.ref} (Trivy's {prefix}… elements)"
    return None


def not_a_supplier(c: Component, product: Product) -> tuple[dict[str, str], str] | None:
    """Why the unknowns of ``c`` are no question for a supplier — an aggregate, or one of the
    product's own modules — as finding params and an evidence line; None for a supplier's
    component."""
    found = aggregate(c)
    if found is not None:
        return found
    why = product.first_party(c)
    if why is None:
        return None
    if why["first_party"] == "project":
        return why, (
            f"first-party: purl qualifier project_path={why['project_path']} "
            "marks a project of the build the SBOM describes"
        )
    return why, (
        f"first-party: purl namespace {why['namespace']} is the product's own "
        f"({why['product_namespace']}) or inside it"
    )


@dataclass(frozen=True, slots=True)
class Context:
    """What the finding builders share."""

    n: int
    flat: bool
    thresholds: Mapping[str, float]
    direct: frozenset[str]
    product: Product = Product()

    def t(self, name: str) -> float:
        """A threshold by name."""
        return float(self.thresholds.get(name, DEFAULT_THRESHOLDS[name]))

    def weight(self, m: ComponentMetrics | None) -> float | None:
        """max(share, dominated share); None when unknown (flat SBOM)."""
        if m is None or m.share is None:
            return None
        dom = (m.dominated or 0) / self.n if self.n else 0.0
        return max(m.share, dom)

    def real_weight(self, ref: str, m: ComponentMetrics | None) -> bool | None:
        """Share or dominated share ≥ ``choke_share``, or a direct dependency; None if unknown."""
        if ref in self.direct:
            return True
        w = self.weight(m)
        if w is None:
            return None
        return w >= self.t("choke_share")

    def weighty(self, m: ComponentMetrics | None) -> bool | None:
        """:meth:`real_weight` of the component of metrics ``m``, when ``direct`` holds the refs
        of the metrics marked direct (as in the analysis)."""
        if m is not None and m.direct:
            return True
        w = self.weight(m)
        if w is None:
            return None
        return w >= self.t("choke_share")


def _subject(c: Component, p: Profile, m: ComponentMetrics | None, ctx: Context) -> dict[str, Any]:
    """The params every component finding's message uses: who, who controls it, its weight
    (``community`` when the controller is a community project, which has no seat by nature)."""
    params = {
        "component": f"{c.group}/{c.name}" if c.group else c.name,
        "version": c.version or None,
        "controller": p.controller or None,
        "country": p.country or None,
        "reach": m.reach if m is not None and m.share is not None else None,
        "share": m.share if m is not None else None,
        "n": ctx.n,
        "dominated": m.dominated if m is not None else None,
        "direct": c.ref in ctx.direct,
    }
    if p.controller and not p.country and p.controller_kind is ControllerKind.COMMUNITY:
        params["community"] = True
    return params


def _make(
    rule: Rule,
    severity: Severity,
    key: str,
    component: str | None,
    share: float | None,
    params: Mapping[str, Any],
    evidence: Sequence[str],
) -> Finding:
    """A finding of ``rule`` whose English message is rendered from ``params``."""
    return Finding(
        fingerprint=fingerprint(rule.id, key),
        rule=rule.id,
        title=rule.title,
        severity=severity,
        component=component,
        share=None if share is None else round(share, 4),
        message=render_message(rule, params, "en"),
        evidence=tuple(evidence),
        recommendation=rule.recommendation,
        params=dict(params),
    )


def component_findings(
    c: Component, p: Profile, m: ComponentMetrics | None, ctx: Context
) -> tuple[list[Finding], set[str]]:
    """Findings of one component, and the summary rules it falls into instead (no real weight)."""
    out: list[Finding] = []
    summarised: set[str] = set()
    weighty = ctx.real_weight(c.ref, m)
    w = ctx.weight(m)
    major = 1 if (w is not None and w >= ctx.t("major_share")) else 0
    low_conf = -1 if p.controller_confidence is Confidence.LOW else 0
    share = m.share if m is not None else None
    key = component_key(c)
    subject = _subject(c, p, m, ctx)
    foreign = p.jurisdiction is Jurisdiction.FOREIGN

    # Non-open components: choke points when they weigh (weight unknown on a flat SBOM: report).
    if p.non_open and weighty is not False:
        kind = "proprietary" if p.openness is Openness.PROPRIETARY else "source-available"
        if foreign:
            rule = FOREIGN_PROPRIETARY if p.openness is Openness.PROPRIETARY else FOREIGN_SOURCE_AVAILABLE
            sev = _shift(rule.severity, major + low_conf)
            out.append(_make(rule, sev, key, c.ref, share, {**subject, "openness": kind}, p.evidence))
        elif p.jurisdiction in (Jurisdiction.HOME, Jurisdiction.TRUSTED):
            rule = TRUSTED_PROPRIETARY
            sev = _shift(rule.severity, major)
            params = {**subject, "openness": kind, "zone": p.jurisdiction.value}
            out.append(_make(rule, sev, key, c.ref, share, params, p.evidence))

    if p.service_risk and weighty is not False:
        rule = FOREIGN_SERVICE
        unknown_step = -1 if p.service_jurisdiction is Jurisdiction.UNKNOWN else 0
        # the service's jurisdiction rests on its binding (a low one: an endpoint under a
        # vendor's domain) or, for an unknown controller, on nothing surer
        binding = p.assessment.service if p.assessment is not None else None
        doubt = binding is not None and binding.confidence is Confidence.LOW
        weak = -1 if doubt else low_conf if p.controller_unknown else 0
        sev = _shift(rule.severity, major + unknown_step + weak)
        params = {
            **subject,
            **({"variant": "service_node"} if c.kind is NodeKind.SERVICE else {}),
            "service": p.service,
            "operator": p.service_operator or None,
            "service_country": p.service_country or None,
            "service_jurisdiction": (
                "foreign" if p.service_jurisdiction is Jurisdiction.FOREIGN else "unknown"
            ),
        }
        out.append(_make(rule, sev, key, c.ref, share, params, p.evidence))

    # What is unknown about the product's own modules is asked of the product's owner, and about
    # an aggregate (an operating system…) of what it contains, not of a supplier: info.
    asked = p.openness is Openness.UNKNOWN or p.controller_unknown
    standing = not_a_supplier(c, ctx.product) if weighty and asked else None
    own = standing[0] if standing else None
    own_evidence = (*p.evidence, standing[1]) if standing else p.evidence
    if p.openness is Openness.UNKNOWN:
        if weighty:
            rule = UNKNOWN_LICENCE
            sev = Severity.INFO if own else _shift(rule.severity, major)
            params = {**subject, **own} if own else subject
            evidence = own_evidence
            if c.kind is NodeKind.SERVICE and not own:
                # a service is used, not run: what matters is who operates it (SOV003, SOV006)
                sev, params = Severity.INFO, {**subject, "service_node": "yes"}
                evidence = (*p.evidence, f"service: declared as a service ({c.location})")
            out.append(_make(rule, sev, key, c.ref, share, params, evidence))
        else:
            summarised.add(UNKNOWN_LICENCE_SUMMARY.id)

    if p.controller_unknown:
        if weighty:
            rule = UNKNOWN_CONTROLLER
            sev = Severity.INFO if own else _shift(rule.severity, major + (1 if p.non_open else 0))
            params = {**subject, "variant": "country" if p.controller else "", **(own or {})}
            out.append(_make(rule, sev, key, c.ref, share, params, own_evidence))
        else:
            summarised.add(UNKNOWN_CONTROLLER_SUMMARY.id)
    return out, summarised


def quiet_summaries(p: Profile) -> tuple[str, ...]:
    """What :func:`component_findings` gives for an at-risk component of profile ``p`` without
    real weight (``real_weight`` False): no finding, only the summary rules it is counted in."""
    rules: tuple[str, ...] = ()
    if p.openness is Openness.UNKNOWN:
        rules += (UNKNOWN_LICENCE_SUMMARY.id,)
    if p.controller_unknown:
        rules += (UNKNOWN_CONTROLLER_SUMMARY.id,)
    return rules


def sbom_findings(
    components: Sequence[Component],
    profiles: Sequence[tuple[Profile, int]],
    exposure: Mapping[str, float],
    summarised: Mapping[str, int],
    ctx: Context,
) -> list[Finding]:
    """SBOM-wide findings: missing dependency or supplier data, concentrations, summaries.

    ``profiles``: each distinct profile of the graph's components with how many have it, in the
    order of their first component."""
    out: list[Finding] = []
    n = ctx.n
    if ctx.flat and n:
        out.append(
            _make(
                NO_DEPENDENCIES,
                NO_DEPENDENCIES.severity,
                "sbom",
                None,
                None,
                {"n": n},
                ["no dependency relationships in the SBOM"],
            )
        )
    if n:
        with_supplier = 0
        for c in components:
            for pt in c.parties:
                if pt.name and pt.role in SUPPLIER_ROLES:
                    with_supplier += 1
                    break
        coverage = with_supplier / n
        if coverage < ctx.t("supplier_coverage"):
            out.append(
                _make(
                    NO_SUPPLIERS,
                    NO_SUPPLIERS.severity,
                    "sbom",
                    None,
                    None,
                    {"with_supplier": with_supplier, "n": n, "coverage": coverage},
                    [f"{with_supplier}/{n} components with a supplier, manufacturer or author"],
                )
            )

    concentration = ctx.t("concentration")
    kinds: dict[str, ControllerKind] = {}
    countries_foreign: set[str] = set()
    countries_of: dict[str, set[str]] = {}
    for p, _count in profiles:
        if p.controller:
            kinds.setdefault(p.controller, p.controller_kind)
            if p.country:
                countries_of.setdefault(p.controller, set()).add(p.country)
        if p.country and p.jurisdiction is Jurisdiction.FOREIGN:
            countries_foreign.add(p.country)
    vendor_kinds = {ControllerKind.COMPANY, ControllerKind.GOVERNMENT, ControllerKind.CONSORTIUM}
    for group, value in exposure.items():
        if value < concentration:
            continue
        if group.startswith("controller:"):
            name = group.removeprefix("controller:")
            if kinds.get(name) not in vendor_kinds:
                continue
            ccs = countries_of.get(name, set())
            foreign = bool(ccs & countries_foreign)
            sev = _shift(VENDOR_CONCENTRATION.severity, 0 if foreign else -1)
            out.append(
                _make(
                    VENDOR_CONCENTRATION,
                    sev,
                    group,
                    None,
                    value,
                    {"share": value, "controller": name, "countries": ", ".join(sorted(ccs)) or None},
                    [f"exposure to {name}: {value:.4f} (threshold {concentration})"],
                )
            )
        elif group.startswith("country:"):
            cc = group.removeprefix("country:")
            if cc not in countries_foreign:
                continue
            sev = _shift(COUNTRY_CONCENTRATION.severity, 1 if value >= 0.8 else 0)
            out.append(
                _make(
                    COUNTRY_CONCENTRATION,
                    sev,
                    group,
                    None,
                    value,
                    {"share": value, "country": cc},
                    [f"exposure to {cc}: {value:.4f} (threshold {concentration})"],
                )
            )

    by_cc: dict[str, int] = {}
    for p, count in profiles:
        if p.jurisdiction is Jurisdiction.FOREIGN and p.openness is Openness.OPEN:
            cc = p.country or "?"
            by_cc[cc] = by_cc.get(cc, 0) + count
    if by_cc:
        detail = ", ".join(f"{cc}: {k}" for cc, k in sorted(by_cc.items(), key=lambda kv: (-kv[1], kv[0])))
        share = exposure.get("foreign-open")
        params: dict[str, Any] = {"count": sum(by_cc.values()), "detail": detail}
        if share is not None and not ctx.flat:
            params.update(variant="share", share=share)
        out.append(
            _make(
                FOREIGN_OPEN_EXPOSURE,
                FOREIGN_OPEN_EXPOSURE.severity,
                "sbom",
                None,
                share if not ctx.flat else None,
                params,
                [f"foreign open-source components by country: {detail}"],
            )
        )
    for rule in (UNKNOWN_LICENCE_SUMMARY, UNKNOWN_CONTROLLER_SUMMARY):
        count = summarised.get(rule.id, 0)
        if count:
            summary: dict[str, Any] = {"count": count, "variant": "flat" if ctx.flat else ""}
            if not ctx.flat:
                summary["threshold"] = ctx.t("choke_share")
            out.append(_make(rule, rule.severity, "sbom", None, None, summary, [f"{count} components"]))
    return out
