"""Findings: each rule has a case that triggers it and one that must not; severity, aggregation,
fingerprints and determinism."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping

import pytest

from souverain.analyse import analyse
from souverain.analyse.findings import Product, aggregate, component_key, not_a_supplier, percent
from souverain.analyse.reach import brute_force_reach
from souverain.analyse.rules import RULES, RULES_BY_ID, render_message
from souverain.analyse.rules import percent as rules_percent
from souverain.graph import build_graph
from souverain.model import (
    Assessment,
    AuditResult,
    Component,
    Confidence,
    ControllerKind,
    Jurisdiction,
    NodeKind,
    Openness,
    Policy,
    Severity,
)
from souverain.pipeline import audit
from souverain.sbom.purls import parse_purl

from tests.factories import make_assessment, make_component, make_graph, make_sbom, open_home, sbom_path

TODAY = datetime.date(2026, 11, 28)
LEAVES = [f"l{i}" for i in range(30)]
# root → hub → 30 leaves; root → side. A leaf: reach 1 of 32 (3 %), not direct, dominates nothing.
WIDE = [("root", "hub"), ("root", "side"), *[("hub", leaf) for leaf in LEAVES]]

US_PROPRIETARY: dict[str, object] = {
    "openness": Openness.PROPRIETARY, "controller": "Oracle Corporation", "country": "US",
    "jurisdiction": Jurisdiction.FOREIGN,
}


def run(
    overrides: Mapping[str, Mapping[str, object]],
    *,
    edges: list[tuple[str, str]] | None = None,
    policy: Policy | None = None,
    flat: bool = False,
    suppliers: bool = True,
    services: tuple[str, ...] = (),
    **kw: object,
) -> AuditResult:
    edges = WIDE if edges is None else edges
    sbom, g = make_graph(edges, flat=flat, nodes=[b for _, b in edges])
    if suppliers:
        comps = [dataclasses.replace(c, parties=make_component("x", supplier="ACME").parties)
                 for c in sbom.components]
        sbom = dataclasses.replace(sbom, components=tuple(comps))
    if services:  # these nodes are remote services (CycloneDX services entries)
        comps = [dataclasses.replace(c, kind=NodeKind.SERVICE) if c.ref in services else c
                 for c in sbom.components]
        sbom = dataclasses.replace(sbom, components=tuple(comps))
    assessments: dict[str, Assessment] = open_home(g.refs())
    for ref, args in overrides.items():
        assessments[ref] = make_assessment(ref, **args)  # type: ignore[arg-type]
    return analyse(sbom, g, assessments, policy or Policy(), today=TODAY, **kw)  # type: ignore[arg-type]


def rules_of(result: AuditResult, component: str | None = None) -> list[str]:
    return [f.rule for f in result.findings if component is None or f.component == component]


def test_sov001_foreign_proprietary_choke_point() -> None:
    r = run({"hub": US_PROPRIETARY})
    f = next(f for f in r.findings if f.rule == "SOV001")
    assert f.component == "hub"
    assert f.severity is Severity.CRITICAL  # dominates 30 of 32 components: major weight
    assert "Oracle Corporation (US)" in f.message
    assert "30 components are reachable only through it" in f.message
    assert any("test evidence for hub" in e for e in f.evidence)


def test_sov001_not_for_a_light_leaf_nor_for_foreign_open() -> None:
    assert "SOV001" not in rules_of(run({"l3": US_PROPRIETARY}))
    foreign_open = {**US_PROPRIETARY, "openness": Openness.OPEN}
    r = run({"hub": foreign_open})
    assert "SOV001" not in rules_of(r)
    assert "SOV011" in rules_of(r)


def test_direct_dependency_has_real_weight_even_when_light() -> None:
    r = run({"side": US_PROPRIETARY})
    f = next(f for f in r.findings if f.rule == "SOV001")
    assert f.share == 0.0
    assert f.severity is Severity.HIGH  # direct but not major: default severity
    assert "The product uses it directly." in f.message


def test_share_threshold_decides_real_weight() -> None:
    # l3 has 1 dependant of 32 (3.1 %): a 3 % threshold makes it a choke point.
    policy = Policy(thresholds={"choke_share": 0.03})
    assert "SOV001" in rules_of(run({"l3": US_PROPRIETARY}, policy=policy))


def test_low_confidence_controller_lowers_severity() -> None:
    r = run({"side": {**US_PROPRIETARY, "confidence": Confidence.LOW}})
    assert next(f for f in r.findings if f.rule == "SOV001").severity is Severity.MEDIUM


def test_sov002_foreign_source_available() -> None:
    args = {**US_PROPRIETARY, "openness": Openness.SOURCE_AVAILABLE}
    r = run({"hub": args})
    assert next(f for f in r.findings if f.rule == "SOV002").severity is Severity.HIGH
    assert "SOV002" not in rules_of(run({"l1": args}))


def test_sov003_foreign_service_even_when_open() -> None:
    svc = {"controller": "Amazon", "country": "US", "jurisdiction": Jurisdiction.FOREIGN,
           "service": "Amazon S3", "service_operator": "Amazon Web Services", "service_country": "US"}
    r = run({"hub": svc})
    f = next(f for f in r.findings if f.rule == "SOV003")
    assert "Amazon S3" in f.message
    assert f.severity is Severity.CRITICAL
    assert "SOV001" not in rules_of(r)


def test_sov003_not_for_a_home_service() -> None:
    svc = {"service": "Object Storage", "service_operator": "OVHcloud", "service_country": "FR"}
    assert "SOV003" not in rules_of(run({"hub": svc}))


def test_sov003_service_country_classified_from_policy_codes() -> None:
    # Controller at home, service operated from the US: classified by the enrichers' view of US.
    svc = {"service": "Azure Blob", "service_operator": "Microsoft", "service_country": "US"}
    r = run({"hub": svc, "side": {"controller": "X", "country": "US", "jurisdiction": Jurisdiction.FOREIGN}})
    assert "SOV003" in rules_of(r, "hub")


def test_sov004_proprietary_at_home() -> None:
    r = run({"hub": {"openness": Openness.PROPRIETARY, "controller": "Dassault", "country": "FR"}})
    assert "SOV004" in rules_of(r, "hub")
    assert "SOV001" not in rules_of(r)
    assert "SOV004" not in rules_of(run({}))


def test_sov005_unknown_licence_with_weight_and_summary_for_the_rest() -> None:
    overrides = {leaf: {"openness": None} for leaf in LEAVES}
    overrides["hub"] = {"openness": None}
    r = run(overrides)
    assert rules_of(r).count("SOV005") == 1
    summary = next(f for f in r.findings if f.rule == "SOV012")
    assert summary.message.startswith("30 components")
    assert "SOV012" not in rules_of(run({"hub": {"openness": None}}))


def test_sov006_unknown_controller_with_weight() -> None:
    r = run({"hub": {"controller": None}, "l1": {"controller": None}})
    assert rules_of(r, "hub") == ["SOV006"]
    assert "SOV006" not in rules_of(r, "l1")
    assert next(f for f in r.findings if f.rule == "SOV013").message.startswith("1 components")


ORACLE = {"controller": "Oracle Corporation", "country": "US", "jurisdiction": Jurisdiction.FOREIGN}


def test_sov007_vendor_concentration() -> None:
    # Oracle controls the 30 leaves: they and the hub (31 of 32) depend on Oracle.
    r = run(dict.fromkeys(LEAVES, ORACLE))
    f = next(f for f in r.findings if f.rule == "SOV007" and "Oracle" in f.message)
    assert f.share == pytest.approx(31 / 32, abs=1e-4)
    assert f.severity is Severity.MEDIUM
    light = run({"hub": ORACLE})  # hub: only itself depends on it
    assert not any(f.rule == "SOV007" and "Oracle" in f.message for f in light.findings)
    community = {"controller": "Some Devs", "kind": ControllerKind.COMMUNITY, "country": "US",
                 "jurisdiction": Jurisdiction.FOREIGN}
    assert not any("Some Devs" in f.message for f in run(dict.fromkeys(LEAVES, community)).findings)


def test_sov008_foreign_country_concentration() -> None:
    r = run(dict.fromkeys(LEAVES, ORACLE))
    assert "SOV008" in rules_of(r)
    assert "SOV008" not in rules_of(run({}))  # everything at home (FR)
    assert "SOV008" not in rules_of(run({"side": {"controller": "X", "country": "US",
                                                  "jurisdiction": Jurisdiction.FOREIGN}}))


def test_sov009_flat_sbom() -> None:
    r = run({"hub": US_PROPRIETARY}, flat=True)
    assert "SOV009" in rules_of(r)
    assert r.summary.score is None
    assert next(f for f in r.findings if f.rule == "SOV001").share is None  # weight unknown: reported
    assert "SOV009" not in rules_of(run({}))


def test_sov010_sbom_without_suppliers() -> None:
    assert "SOV010" in rules_of(run({}, suppliers=False))
    assert "SOV010" not in rules_of(run({}))


def test_sov011_foreign_open_exposure_summary() -> None:
    r = run({"l1": {"controller": "Meta", "country": "US", "jurisdiction": Jurisdiction.FOREIGN}})
    f = next(f for f in r.findings if f.rule == "SOV011")
    assert f.severity is Severity.INFO
    assert "US: 1" in f.message
    assert "SOV011" not in rules_of(run({}))


def test_summary_exposure_and_score() -> None:
    r = run({"hub": US_PROPRIETARY})
    # hub itself + root excluded: hub and nothing else depends on it except the root.
    assert r.summary.exposure_by_country["US"] == pytest.approx(1 / 32, abs=1e-4)
    assert r.summary.exposure_by_controller["Oracle Corporation"] == pytest.approx(1 / 32, abs=1e-4)
    leafy = run(dict.fromkeys(LEAVES, US_PROPRIETARY))
    assert leafy.summary.exposure_groups["foreign-non-open"] == pytest.approx(31 / 32, abs=1e-4)
    assert leafy.summary.score is not None
    assert r.summary.score is not None
    assert leafy.summary.score < r.summary.score
    assert run({}).summary.score == 100


def test_findings_are_sorted_and_deterministic() -> None:
    overrides: dict[str, Mapping[str, object]] = {
        "hub": {"openness": None}, "side": US_PROPRIETARY, "l1": {"controller": None}
    }
    a, b = run(overrides), run(overrides)
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]
    ranks = [f.severity.rank for f in a.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_fingerprint_ignores_version_and_ref() -> None:
    c1 = make_component("a", "lib", version="1.0", purl="pkg:maven/org.x/lib@1.0?type=jar")
    c2 = make_component("other-ref", "lib", version="2.0", purl="pkg:maven/org.x/lib@2.0")
    assert component_key(c1) == component_key(c2) == "pkg:maven/org.x/lib"
    assert component_key(make_component("r", "n", purl="", group="g")) == "name:g/n"
    r1 = run({"side": US_PROPRIETARY})
    sbom, g = make_graph(WIDE)
    comps = [dataclasses.replace(c, version="9.9", purl="pkg:generic/side@9.9") if c.ref == "side" else c
             for c in sbom.components]
    sbom2 = dataclasses.replace(sbom, components=tuple(comps))
    ass = open_home(g.refs())
    ass["side"] = make_assessment("side", **US_PROPRIETARY)  # type: ignore[arg-type]
    r2 = analyse(sbom2, build_graph(sbom2), ass, Policy(), today=TODAY)
    fp = {f.rule: f.fingerprint for f in r1.findings}
    assert fp["SOV001"] == next(f.fingerprint for f in r2.findings if f.rule == "SOV001")


def test_component_order_and_root_exclusion() -> None:
    r = run({})
    assert [c.ref for c in r.components][:2] == ["hub", "side"]
    assert "root" not in r.metrics
    assert r.summary.components == 32
    assert r.summary.root == "root"
    assert r.summary.direct == 2


def test_real_sbom_metrics_match_brute_force() -> None:
    from souverain.sbom import load_sbom

    sbom = load_sbom(sbom_path("cdx-1.6_juice-shop_npm-bare.json"))
    g = build_graph(sbom)
    assessments = open_home(g.refs())
    refs = sorted(g.refs())
    for ref in refs[::50]:
        assessments[ref] = make_assessment(ref, **US_PROPRIETARY)  # type: ignore[arg-type]
    r = analyse(sbom, g, assessments, Policy(), today=TODAY)
    assert r.summary.components == len(g)
    for ref in refs[::37]:
        assert r.metrics[ref].reach == brute_force_reach(g, ref)
    assert r.summary.exposure_by_country["US"] > 0
    assert all(f.rule != "SOV009" for f in r.findings)


def test_flat_real_sbom() -> None:
    from souverain.sbom import load_sbom

    sbom = load_sbom(sbom_path("cdx-1.4_mongo-container_syft.json"))
    g = build_graph(sbom)
    r = analyse(sbom, g, {}, Policy(), today=TODAY)
    assert "SOV009" in rules_of(r)
    assert all(m.reach is None for m in r.metrics.values())
    # Everything unknown: one summary finding per kind, not one per component.
    assert rules_of(r).count("SOV012") == 1
    assert len(r.findings) < 10


def test_empty_sbom() -> None:
    sbom = make_sbom([], [])
    r = analyse(sbom, build_graph(sbom), {}, Policy(), today=TODAY)
    assert r.findings == ()
    assert r.summary.components == 0


def test_same_findings_whatever_the_sbom_order() -> None:
    sbom, g = make_graph(WIDE)
    assessments = open_home(g.refs())
    for ref in ("hub", "l1", "l2"):
        assessments[ref] = make_assessment(ref, openness=None)
    reversed_sbom = dataclasses.replace(sbom, components=sbom.components[::-1])
    a = analyse(sbom, g, assessments, Policy(), today=TODAY)
    b = analyse(reversed_sbom, build_graph(reversed_sbom), assessments, Policy(), today=TODAY)
    assert a.findings == b.findings



def test_two_versions_of_one_package_give_one_finding() -> None:
    v1 = make_component("lib1", "lib", version="1.0", purl="pkg:npm/lib@1.0")
    v2 = make_component("lib2", "lib", version="2.0", purl="pkg:npm/lib@2.0")
    sbom = make_sbom([v1, v2], [("app", "lib1"), ("app", "lib2")], root=make_component("app"))
    g = build_graph(sbom)
    assessments = {r: make_assessment(r, **US_PROPRIETARY) for r in ("lib1", "lib2")}  # type: ignore[arg-type]
    r = analyse(sbom, g, assessments, Policy(), today=TODAY)
    assert rules_of(r).count("SOV001") == 1


# --- Messages rendered from params (one source for English and French) -----------------------

SERVICE = {"controller": "Amazon", "country": "US", "jurisdiction": Jurisdiction.FOREIGN,
           "service": "Amazon S3", "service_operator": "Amazon Web Services", "service_country": "US"}
NOWHERE = {"controller": "Acme Widgets", "country": None, "jurisdiction": Jurisdiction.UNKNOWN}


def scenarios() -> list[AuditResult]:
    """Analyses that, together, produce every rule in every message form."""
    unknown_leaves = {leaf: {"openness": None, "controller": None} for leaf in LEAVES}
    return [
        run({"hub": US_PROPRIETARY}),
        run({"side": {**US_PROPRIETARY, "openness": Openness.SOURCE_AVAILABLE}}),
        run({"hub": SERVICE, "side": {**SERVICE, "service_operator": None, "service_country": None}}),
        run({"hub": SERVICE}, services=("hub",)),
        run({"hub": {"openness": Openness.PROPRIETARY, "controller": "Dassault", "country": "FR"}}),
        run({"hub": {"openness": None, "controller": None}, "side": NOWHERE}),
        run({**unknown_leaves, **dict.fromkeys(LEAVES[:20], ORACLE)}),
        run({"hub": US_PROPRIETARY, **unknown_leaves, "l1": ORACLE}, flat=True, suppliers=False),
    ]


def test_scenarios_cover_every_rule_and_message_form() -> None:
    seen = {(f.rule, str(f.params.get("variant") or "")) for r in scenarios() for f in r.findings}
    expected = {(rule.id, m.variant) for rule in RULES for m in rule.messages}
    assert expected <= seen, sorted(expected - seen)


def test_every_message_is_rendered_from_its_params_in_both_languages() -> None:
    english_fragments = ("outside the trusted zone", "of the product", "depends on it", "is unknown",
                         "components have", "controlled by", "The SBOM")
    for r in scenarios():
        for f in r.findings:
            assert f.params, f.rule
            assert render_message(f.rule, f.params, "en") == f.message
            assert f.title == RULES_BY_ID[f.rule].title
            assert f.recommendation == RULES_BY_ID[f.rule].recommendation
            fr = render_message(f.rule, f.params, "fr")
            assert fr != f.message
            assert not [x for x in english_fragments if x in fr], (f.rule, fr)
            assert " :" not in fr, "French puts a no-break space before : and ;"
            assert " ;" not in fr


def test_english_and_french_messages_read_as_written() -> None:
    r = run({"hub": US_PROPRIETARY})
    f = next(f for f in r.findings if f.rule == "SOV001")
    assert f.message == (
        "hub 1.0.0 is proprietary and controlled by Oracle Corporation (US), outside the trusted zone. "
        "30 components are reachable only through it; the product uses it directly."
    )
    assert render_message(f.rule, f.params, "fr") == (
        "Le composant hub 1.0.0 est propriétaire et contrôlé par Oracle Corporation (US), hors de la "
        "zone de confiance. 30 composants ne sont atteignables que par lui\u00a0; le produit l'utilise "
        "directement."
    )
    r = run({"side": NOWHERE, "l1": NOWHERE}, policy=Policy(thresholds={"choke_share": 0.03}))
    f = next(f for f in r.findings if f.rule == "SOV006" and f.component == "l1")
    assert f.message == (
        "The country of Acme Widgets, which controls l1 1.0.0, is unknown. "
        "3.1 % of the product (1 of 32 components) depends on it."
    )
    assert render_message(f.rule, f.params, "fr") == (
        "Le pays du contrôleur du composant l1 1.0.0 (Acme Widgets) est inconnu. "
        "3,1\u00a0% du produit (1 composant sur 32) en dépend."
    )


def test_percent_in_each_language() -> None:
    assert percent(0.623) == "62 %"
    assert rules_percent(0.055, "fr") == "5,5\u00a0%"
    assert rules_percent(0.0, "fr") == "0\u00a0%"
    assert rules_percent(0.055, "de") == "5.5 %"  # unknown language: English


def test_missing_params_raise_key_error() -> None:
    with pytest.raises(KeyError):
        render_message("SOV001", {"component": "x"}, "fr")
    with pytest.raises(KeyError):
        render_message("SOV999", {}, "en")
    with pytest.raises(KeyError):
        render_message("SOV006", {"variant": "no-such-form"}, "en")


# --- First-party components: the product's own modules ----------------------------------------


def purl_component(ref: str, purl: str) -> Component:
    """A component whose purl fields are read as the parsers read them."""
    info = parse_purl(purl)
    return make_component(ref, info.name, purl=info.canonical, namespace=info.namespace, package=info.name)


@pytest.mark.parametrize(
    ("root", "purl", "why"),
    [
        ("pkg:maven/org.keycloak/parent@10", "pkg:maven/org.keycloak/keycloak-core@10", "namespace"),
        ("pkg:maven/org.keycloak/parent@10", "pkg:maven/org.keycloak.testsuite/base@10", "namespace"),
        ("pkg:maven/org.keycloak/parent@10", "pkg:maven/org.keycloakx/other@1", None),
        ("pkg:maven/org.keycloak/parent@10", "pkg:maven/org/keycloak@1", None),
        ("pkg:maven/org.keycloak/parent@10", "pkg:npm/org.keycloak/x@1", None),
        ("pkg:maven/org/parent@1", "pkg:maven/org/other@1", None),  # one segment: owned by nobody
        ("pkg:maven/org/parent@1", "pkg:maven/org.example/other@1", None),
        ("pkg:npm/%40acme/app@1", "pkg:npm/%40acme/lib@2", "namespace"),
        ("pkg:npm/%40acme/app@1", "pkg:npm/%40other/lib@2", None),
        ("pkg:npm/app@1", "pkg:npm/lib@2", None),  # no scope: nothing owned
        ("pkg:golang/github.com/acme/app@v1", "pkg:golang/github.com/acme/app/sub@v1", "namespace"),
        ("pkg:golang/github.com/acme/app@v1", "pkg:golang/github.com/acme/app/x/y@v1", "namespace"),
        ("pkg:golang/github.com/acme/app@v1", "pkg:golang/github.com/acme/other@v1", None),
        ("pkg:golang/github.com/acme/app@v1", "pkg:golang/github.com/acme/application@v1", None),
        ("pkg:pypi/app@1", "pkg:pypi/app-lib@1", None),  # no namespace, nothing to go by
        ("pkg:pypi/app@1", "pkg:maven/JabRef/jablib@1?project_path=%3Ajablib", "project"),
        (None, "pkg:maven/JabRef/jablib@1?project_path=%3Ajablib", "project"),
        (None, "pkg:maven/org.keycloak/keycloak-core@10", None),
    ],
)
def test_first_party_evidence_from_purls(root: str | None, purl: str, why: str | None) -> None:
    product = Product.of(purl_component("root", root) if root else None)
    found = product.first_party(purl_component("c", purl))
    assert (found or {}).get("first_party") == why
    standing = not_a_supplier(purl_component("c", purl), product)
    assert (standing[0] if standing else None) == found
    if standing:
        evidence = standing[1]
        assert evidence.startswith("first-party: ")
        assert (":jablib" in evidence) if why == "project" else (parse_purl(purl).namespace or "") in evidence


def first_party_run(purl: str, openness: Openness | None, controller: str | None) -> AuditResult:
    root = purl_component("root", "pkg:maven/org.acme/app-parent@1")
    hub = purl_component("hub", purl)
    leaves = [purl_component(leaf, f"pkg:maven/org.other/{leaf}@1") for leaf in LEAVES]
    edges = [("root", "hub"), *[("hub", leaf) for leaf in LEAVES]]
    sbom = make_sbom([hub, *leaves], edges, root=root)
    g = build_graph(sbom)
    assessments: dict[str, Assessment] = open_home(g.refs())
    assessments["hub"] = make_assessment("hub", openness=openness, controller=controller)
    return analyse(sbom, g, assessments, Policy(), today=TODAY)


def test_unknowns_of_the_products_own_modules_are_info_with_their_evidence() -> None:
    own = first_party_run("pkg:maven/org.acme.tools/hub@1", None, None)
    other = first_party_run("pkg:maven/org.elsewhere/hub@1", None, None)
    for rule in ("SOV005", "SOV006"):
        f = next(f for f in own.findings if f.rule == rule)
        g = next(f for f in other.findings if f.rule == rule)
        assert f.severity is Severity.INFO
        assert g.severity.rank > Severity.INFO.rank
        assert f.params["first_party"] == "namespace"
        assert "first_party" not in g.params
        assert any(e.startswith("first-party: purl namespace org.acme.tools") for e in f.evidence)
        assert f.message.startswith(g.message)
        assert "part of the product itself" in f.message
        assert "fait partie du produit" in render_message(f.rule, f.params, "fr")
    assert not [f for f in own.findings if f.component == "hub" and f.severity.rank > Severity.INFO.rank]


@pytest.mark.parametrize(
    ("kind", "properties", "why"),
    [
        ("operating-system", (), "operating-system"),
        ("container", (), "container"),
        ("application", (("aquasecurity:trivy:Class", "lang-pkgs"),), "files"),
        ("application", (("aquasecurity:trivy:Class", "os-pkgs"),), None),
        ("application", (), None),
        ("library", (), None),
        ("firmware", (), None),
    ],
)
def test_aggregates_from_their_type_or_scanner_class(
    kind: str, properties: tuple[tuple[str, str], ...], why: str | None
) -> None:
    c = make_component("c", type=kind, properties=properties, location="/components/3")
    found = aggregate(c)
    assert (found[0]["aggregate"] if found else None) == why
    standing = not_a_supplier(c, Product())
    assert (standing is not None) == (why is not None)
    if standing is not None and why != "files":
        assert standing[1] == f"aggregate: component type {kind} (/components/3)"


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("SPDXRef-OperatingSystem-100fd27dbdf9d366", "operating-system"),
        ("SPDXRef-ContainerImage-83c3ff25d55771a4", "container"),
        ("SPDXRef-Application-441a648f2aeeee72", "files"),
        ("SPDXRef-Package-441a648f2aeeee72", None),
        ("SPDXRef-OperatingSystem", None),
        ("Application-441a648f2aeeee72", None),
    ],
)
def test_aggregates_from_trivys_spdx_ids(ref: str, why: str | None) -> None:
    found = aggregate(make_component(ref))
    assert (found[0]["aggregate"] if found else None) == why
    if found:
        assert ref in found[1]


def test_an_operating_system_or_a_scanned_file_is_no_supplier_of_unknowns() -> None:
    """Trivy's container SBOM of nats-box: an OS (alpine) and Go binaries, each standing for
    the packages found in it."""
    result = audit_file("cdx-1.5_nats-box-container_trivy.json")
    by_ref = {c.ref: c for c in result.components}
    standing = [f for f in result.findings if f.params.get("aggregate")]
    assert {f.params["aggregate"] for f in standing} == {"files", "operating-system"}
    said = {"files": "packages a scanner found in one file", "operating-system": "It is an operating system"}
    for f in standing:
        c = by_ref[str(f.component)]
        if f.params["aggregate"] == "files":
            assert ("aquasecurity:trivy:Class", "lang-pkgs") in c.properties
        else:
            assert c.type == "operating-system"
        assert f.severity is Severity.INFO
        assert f.rule in ("SOV005", "SOV006")
        assert said[str(f.params["aggregate"])] in f.message
        assert "évalués un par un" in render_message(f.rule, f.params, "fr")
    # nothing about an aggregate outranks a finding about a package
    first = result.findings.index(standing[0])
    assert all(f.severity is Severity.INFO for f in result.findings[first:])


def test_trivys_spdx_container_sbom_puts_its_packages_first() -> None:
    result = audit_file("spdx-2.2_fluentd-container_trivy.spdx.json")
    standing = [f for f in result.findings if f.params.get("aggregate")]
    assert {f.params["aggregate"] for f in standing} >= {"operating-system", "files"}
    # the container image is the root (trivy's "DESCRIBE"): the product itself, not a finding
    assert result.sbom.root is not None
    assert all(f.component != result.sbom.root.ref for f in result.findings)
    first = result.findings.index(standing[0])
    assert all(f.severity is Severity.INFO for f in result.findings[first:])
    assert all(any(e.startswith("aggregate: SPDXID SPDXRef-") for e in f.evidence) for f in standing)


def test_the_licence_of_a_service_is_info_its_operator_still_counts() -> None:
    """A SaaSBOM: services only. Not knowing a service's licence is no choke point (it is used,
    not run); its operator abroad (SOV003) and an unknown controller (SOV006) still are."""
    result = audit_file("cdx-1.4_saasbom-apigateway-services.json")
    kinds = {c.ref: c.kind for c in result.components}
    sov005 = [f for f in result.findings if f.rule == "SOV005"]
    assert sov005
    for f in sov005:
        assert kinds[str(f.component)] is NodeKind.SERVICE
        assert f.severity is Severity.INFO
        assert f.params["service_node"] == "yes"
        assert "It is a service" in f.message
        assert "C'est un service" in render_message(f.rule, f.params, "fr")
        assert any(e.startswith("service: declared as a service") for e in f.evidence)
    assert result.findings[0].rule == "SOV003"
    assert result.findings[0].severity is Severity.HIGH
    assert [f for f in result.findings if f.rule == "SOV006" and f.severity.rank > Severity.INFO.rank]
    # S3, on an endpoint under amazon.com: its operator controls it (low confidence: the binding
    # is only a domain), so it counts under the US and Amazon; SOV003 says it is a service, one
    # level lower for that low binding (high, not critical, at 33 %)
    s3 = result.findings[0]
    assert s3.params["component"] == "com.amazon/S3"
    assert s3.params["variant"] == "service_node"
    assert "is a remote service, operated by Amazon.com, Inc. (US)" in s3.message
    assert "est un service distant" in render_message(s3.rule, s3.params, "fr")
    assert not [f for f in result.findings if f.rule == "SOV006" and f.component == s3.component]
    assert result.summary.exposure_by_country["US"] > 0
    assert result.summary.exposure_by_controller["Amazon.com, Inc."] > 0
    # a component's unknown licence stays a finding
    lib = first_party_run("pkg:maven/org.elsewhere/hub@1", None, None)
    assert next(f for f in lib.findings if f.rule == "SOV005").severity is Severity.HIGH


def test_first_party_does_not_hide_a_foreign_proprietary_module() -> None:
    r = first_party_run("pkg:maven/org.acme.tools/hub@1", Openness.PROPRIETARY, None)
    assert "SOV005" not in rules_of(r)
    sov006 = next(f for f in r.findings if f.rule == "SOV006")
    assert sov006.severity is Severity.INFO


def audit_file(name: str) -> AuditResult:
    return audit(sbom_path(name), today=TODAY, reproducible=True).result


def test_first_party_modules_of_real_sboms_sink_below_the_suppliers() -> None:
    """keycloak (a Maven build: its own groups) and JabRef (a Gradle build: project_path)."""
    for name, evidence in (
        ("cdx-1.2_keycloak-10.0.2_maven.json", "first-party: purl namespace org.keycloak"),
        ("cdx-1.6_jabref_gradle.json", "first-party: purl qualifier project_path="),
    ):
        result = audit_file(name)
        own = [f for f in result.findings if any(e.startswith(evidence) for e in f.evidence)]
        assert own, name
        assert all(f.severity is Severity.INFO and f.rule in ("SOV005", "SOV006") for f in own)
        top = next(f for f in result.findings if f.component is not None)
        assert top not in own
        assert top.severity.rank > Severity.INFO.rank
        # every component finding of a module inside the product's namespace is first-party
        root = result.sbom.root
        assert root is not None
        assert root.namespace
        for f in result.findings:
            c = next((c for c in result.components if c.ref == f.component), None)
            if (
                c is not None
                and f.rule in ("SOV005", "SOV006")
                and (c.namespace or "").startswith(root.namespace + ".")
            ):
                assert f in own, f.component


def test_equal_findings_are_ordered_by_the_size_they_dominate() -> None:
    result = audit_file("cdx-1.2_keycloak-10.0.2_maven.json")
    dominated = [d if isinstance(d := f.params.get("dominated"), int) else 0 for f in result.findings]
    assert any(dominated)
    for i, (a, b) in enumerate(zip(result.findings, result.findings[1:], strict=False)):
        if (a.severity, a.share) == (b.severity, b.share):
            assert dominated[i] >= dominated[i + 1]
