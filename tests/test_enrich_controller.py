"""Controller attribution: the table of cases in tests/cases/attribution.json (every rule and the
honesty traps) against the fixture knowledge base, plus a real SBOM of the corpus."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from souverain.enrich.base import EnrichContext, Enricher
from souverain.enrich.controller import (
    ControllerEnricher,
    attribute,
    coverage,
    explain,
    find_component,
    purl_without_version,
)
from souverain.knowledge import KnowledgeBase, load
from souverain.model import Component, Confidence, Controller, ControllerKind, ExternalRef, Party
from souverain.sbom import load_sbom

KB_DIR = Path(__file__).parent / "fixtures" / "kb"


def fixture_path(name: str) -> Path:
    """An SBOM of the test corpus: ``tests/fixtures/sboms/<name>`` first, else the shared corpus."""
    local = Path(__file__).parent / "fixtures" / "sboms" / name
    return local if local.exists() else Path("/work/shared/corpus/public") / name


CASES = json.loads((Path(__file__).parent / "cases" / "attribution.json").read_text(encoding="utf-8"))[
    "cases"
]


@cache
def fixture_kb() -> KnowledgeBase:
    """The hand-made fixture knowledge base (shipped jurisdictions, fixture organisations)."""
    return load([KB_DIR / "orgs.toml", KB_DIR / "services.toml"], include_default=False)


def build_component(spec: Mapping[str, Any]) -> Component:
    """A Component from a JSON case (parties and external_refs as lists of objects)."""
    data = dict(spec)
    data["parties"] = tuple(
        Party(
            role=p["role"],
            name=p.get("name"),
            emails=tuple(p.get("emails", ())),
            urls=tuple(p.get("urls", ())),
            country=p.get("country"),
            is_person=p.get("is_person"),
            location=p.get("location", ""),
        )
        for p in data.get("parties", ())
    )
    data["external_refs"] = tuple(ExternalRef(r["type"], r["url"]) for r in data.get("external_refs", ()))
    return Component(**data)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_attribution_case(case: dict[str, Any]) -> None:
    component = build_component(case["component"])
    ctx = EnrichContext(kb=fixture_kb(), options={"controller_overrides": case.get("overrides", {})})
    (att,) = list(ControllerEnricher().enrich(component, ctx))
    exp = case["expect"]
    assert att.aspect == "controller"
    assert att.source == "controller"
    assert att.evidence, "every attribution carries evidence"
    value: Controller | None = att.value
    if exp.get("org", "absent") is None:
        assert value is None or value.org_id is None
    elif "org" in exp:
        assert value is not None
        assert value.org_id == exp["org"]
    if "kind" in exp:
        if exp["kind"] is None:
            assert value is None
        else:
            assert value is not None
            assert value.kind == ControllerKind(exp["kind"])
    if "country" in exp:
        assert (value.country if value else None) == exp["country"]
    if "confidence" in exp:
        assert att.confidence == Confidence(exp["confidence"])
    if "ultimate" in exp:
        assert value is not None
        assert value.ultimate_id == exp["ultimate"]
    if "chain" in exp:
        assert value is not None
        assert list(value.chain) == exp["chain"]
    if "name" in exp:
        assert value is not None
        assert value.name == exp["name"]
    if "source" in exp:
        assert att.evidence[0].source == exp["source"]
    text = "\n".join(f"{e.detail} {e.location}" for e in att.evidence)
    for needle in exp.get("evidence", ()):
        assert needle in text, f"{needle!r} not in evidence:\n{text}"
    if value is None:
        assert att.confidence is Confidence.LOW


def test_unknown_value_always_low_with_evidence() -> None:
    for case in CASES:
        att = attribute(build_component(case["component"]), fixture_kb(), case.get("overrides"))
        if att.value is None:
            assert att.confidence is Confidence.LOW
            assert att.evidence


def test_a_persons_email_domain_never_attributes_even_to_a_known_vendor() -> None:
    kb = fixture_kb()
    for domain in ("microsoft.com", "oracle.com", "ibm.com", "google.com"):
        for is_person in (True, None):
            c = Component(
                ref="x",
                name="x",
                parties=(Party("author", "Someone", emails=(f"someone@{domain}",), is_person=is_person),),
            )
            assert attribute(c, kb).value is None


def test_enricher_satisfies_protocol() -> None:
    assert isinstance(ControllerEnricher(), Enricher)
    assert ControllerEnricher.name == "controller"


def test_unknown_override_target_is_reported_not_raised() -> None:
    c = Component(ref="x", name="x", purl="pkg:npm/x@1", ecosystem="npm", package="x")
    att = attribute(c, fixture_kb(), {"pkg:npm/x": "no-such-org"})
    assert att.value is None
    assert any("no-such-org" in e.detail for e in att.evidence)


def test_purl_without_version_drops_version_qualifiers_subpath() -> None:
    c = Component(ref="x", name="x", purl="pkg:maven/org.a/b@1.0?type=jar#sub")
    assert purl_without_version(c) == "pkg:maven/org.a/b"
    assert purl_without_version(Component(ref="y", name="y")) is None


def test_real_quarkus_sbom_namespace_and_vcs_agree_on_red_hat() -> None:
    sbom = load_sbom(fixture_path("cdx-1.4_quarkus_maven.json"))
    ctx = EnrichContext(kb=fixture_kb())
    quarkus = [c for c in sbom.components if c.namespace == "io.quarkus"]
    assert quarkus
    for c in quarkus:
        att = attribute(c, ctx.kb)
        assert att.value is not None
        assert att.value.org_id == "redhat"
        assert att.value.ultimate_id == "ibm"
        assert att.confidence is Confidence.HIGH
    counts = coverage(sbom.components, ctx)
    assert counts["total"] == len(sbom.components)
    assert counts["high"] >= len(quarkus)
    assert sum(counts[k] for k in ("high", "medium", "low", "unknown")) == counts["total"]


def test_real_juice_shop_author_names_give_low_confidence_only() -> None:
    """juice-shop's npm components name only an ``author`` (free text, person or not unknown): an
    author name that equals a KB organisation's name (semver: "GitHub Inc.") gives LOW on its own;
    only a repository owner or namespace (tslib: github.com/Microsoft) can give more."""
    sbom = load_sbom(fixture_path("cdx-1.6_juice-shop_npm-bare.json"))
    kb = fixture_kb()
    attributed = 0
    for c in sbom.components:
        if c.namespace is not None or any(p.role != "author" for p in c.parties):
            continue
        att = attribute(c, kb)
        if att.value is not None and "author name" in att.evidence[0].detail:
            attributed += 1
            assert att.confidence is Confidence.LOW, c.ref
    semver = next(c for c in sbom.components if c.name == "semver")
    att = attribute(semver, kb)
    assert att.value is not None
    assert att.value.ultimate_id == "microsoft"
    assert attributed >= 1


def test_find_component_and_explain() -> None:
    comps = [
        Component(
            ref="r1",
            name="core-auth",
            version="1.5.0",
            purl="pkg:npm/%40azure/core-auth@1.5.0",
            ecosystem="npm",
            namespace="@azure",
            package="core-auth",
        ),
        Component(ref="r2", name="other"),
    ]
    assert find_component(comps, "r2") is comps[1]
    assert find_component(comps, "pkg:npm/%40azure/core-auth@1.5.0") is comps[0]
    assert find_component(comps, "pkg:npm/%40azure/core-auth") is comps[0]
    assert find_component(comps, "nothing") is None
    lines = explain(comps[0], EnrichContext(kb=fixture_kb()))
    text = "\n".join(lines)
    assert "Microsoft Corporation" in text
    assert "foreign" in text  # default policy: home EU, trusted EEA
    assert "US CLOUD Act (2018)" in text
    assert "npm scope @azure" in text


def _placed(component: Component, where: str) -> Component:
    """The same component at another place of the SBOM (its parties under it)."""
    parties = tuple(
        replace(p, location=f"{where}/{p.role}/{i}" if where and i % 2 else "")
        for i, p in enumerate(component.parties)
    )
    return replace(component, ref=f"{component.ref}@{where}", location=where, parties=parties)


def _variety() -> list[Component]:
    """Components mixing every step against the shipped knowledge base: purls that match or not,
    parties that match, state a country, are persons or say nothing, references to forges,
    known domains and unknown hosts."""
    purls = [
        ("pkg:npm/%40azure/core-auth@1.0.0", "npm", "@azure", "core-auth"),
        ("pkg:pypi/requests@2.0", "pypi", None, "requests"),
        ("pkg:npm/left-pad@1.0.0?x=y#sub", "npm", None, "left-pad"),
        (None, None, None, None),
    ]
    parties = [
        (),
        (Party("supplier", "Microsoft Corporation"),),
        (Party("supplier", "Nobody Ltd", urls=("https://nobody.example",)),),
        (Party("manufacturer", "Acme", country="DE"), Party("author", "Jane Doe", emails=("j@gmail.com",))),
        (Party("supplier", "Google LLC"), Party("supplier", "Google LLC")),  # two equal parties
        (Party("publisher", "Oracle", country="XX", is_person=False),),
    ]
    refs = [
        (),
        (ExternalRef("vcs", "https://github.com/Azure/azure-sdk-for-js"),),
        (
            ExternalRef("website", "https://docs.microsoft.com/x"),
            ExternalRef("vcs", "https://git.example.org/a/b"),
        ),
        (
            ExternalRef("distribution", "https://registry.example/x"),
            ExternalRef("vcs", "git@github.com:google/x"),
        ),
    ]
    out = []
    for i, (purl, eco, ns, name) in enumerate(purls):
        for j, ps in enumerate(parties):
            for k, rs in enumerate(refs):
                out.append(
                    Component(
                        ref=f"c{i}{j}{k}",
                        name=name or "x",
                        purl=purl,
                        ecosystem=eco,
                        namespace=ns,
                        package=name,
                        parties=ps,
                        external_refs=rs,
                    )
                )
    return out


@pytest.mark.parametrize("overrides", [None, {"pkg:npm/left-pad": "google", "pkg:pypi/*": "no-such-org"}])
def test_attributor_memos_give_what_a_fresh_attribution_gives(overrides: dict[str, str] | None) -> None:
    """One Attributor over components that share their signatures at different places (the plan
    of a signature is built the second time it is seen and used from the third on): each
    attribution equals the one computed afresh for that component alone, evidence locations
    included; the case table too, against the fixture knowledge base."""
    from souverain.enrich.controller import _UNPLANNED, Attributor
    from souverain.knowledge import load_default

    for kb, components in (
        (load_default(), _variety()),
        (fixture_kb(), [build_component(case["component"]) for case in CASES]),
    ):
        attributor = Attributor(kb, overrides)
        for where in ("/components/1", "", "/components/2", "/packages/7", ""):
            for component in components:
                placed = _placed(component, where)
                assert attributor.attribute(placed) == attribute(placed, kb, overrides), placed
        # every plan rebuilt the attribution it was made from (none fell back to the general rule)
        assert _UNPLANNED not in attributor._plans.values()


def test_attributor_shares_what_depends_on_the_knowledge_base_only() -> None:
    """A purl match with parties that say nothing gives one shared attribution; an unknown
    controller's evidence names each component's own purl and place."""
    from souverain.enrich.controller import Attributor
    from souverain.knowledge import load_default

    attributor = Attributor(load_default())
    azure = Component(
        ref="a",
        name="core-auth",
        purl="pkg:npm/%40azure/core-auth@1.0.0",
        ecosystem="npm",
        namespace="@azure",
        package="core-auth",
        parties=(Party("author", "Nobody Known", is_person=True),),
    )
    first, second, third = (attributor.attribute(_placed(azure, f"/components/{i}")) for i in range(3))
    assert first == second == third
    assert third is attributor.attribute(_placed(azure, "/components/9"))
    unknown = Component(
        ref="u", name="x", purl="pkg:npm/x@1", ecosystem="npm", package="x", parties=azure.parties
    )
    found = [
        attributor.attribute(replace(_placed(unknown, f"/components/{i}"), purl=f"pkg:npm/x{i}@1"))
        for i in range(4)
    ]
    for i, att in enumerate(found):
        assert att.value is None
        assert att.evidence[0].location == f"/components/{i}"
        assert f"pkg:npm/x{i}" in att.evidence[0].detail


# --------------------------------------------------------------------------------------------
# Step (e): a remote service is controlled by its operator
# --------------------------------------------------------------------------------------------


def _service(refs: tuple[str, ...] = (), parties: tuple[Party, ...] = (), kind: object = None) -> Component:
    from souverain.model import NodeKind

    return Component(
        ref="svc",
        name="Object storage",
        kind=NodeKind.SERVICE if kind is None else kind,  # type: ignore[arg-type]
        parties=parties,
        external_refs=tuple(ExternalRef("endpoint", url) for url in refs),
        location="/services/0",
    )


def test_a_service_endpoint_names_its_operator_as_controller() -> None:
    """The SaaSBOM's S3 service: no provider, an endpoint under amazon.com. Its controller is
    the operator the service enricher finds, with that finding's (low) confidence and evidence,
    and why; exposure by country and vendor then count it."""
    from souverain.knowledge import load_default

    sbom = load_sbom(fixture_path("cdx-1.4_saasbom-apigateway-services.json"))
    s3 = next(c for c in sbom.components if c.name == "S3")
    a = attribute(s3, load_default())
    assert a.value is not None
    assert (a.value.org_id, a.value.country) == ("amazon", "US")
    assert a.confidence is Confidence.LOW
    details = [e.detail for e in a.evidence]
    assert details[0].startswith("endpoint https://s3-example.amazon.com")
    assert a.evidence[0].location.endswith("/endpoints/0")
    assert details[1] == "a remote service is controlled by its operator: Amazon.com, Inc."
    # the services of that SBOM on example.com hosts stay unknown
    pg = next(c for c in sbom.components if c.name == "Postgres")
    assert attribute(pg, load_default()).value is None


def test_only_services_and_only_when_nothing_else_names_a_controller() -> None:
    from souverain.knowledge import load_default
    from souverain.model import NodeKind

    kb = load_default()
    endpoint = ("https://s3-example.amazon.com",)
    # a component (not a service) with such a reference: who runs a host is no controller
    assert attribute(_service(endpoint, kind=NodeKind.COMPONENT), kb).value is None
    # a service whose supplier the knowledge base knows: the supplier (step a), as before
    declared = attribute(_service(endpoint, (Party("supplier", "Microsoft Corporation"),)), kb)
    assert declared.value is not None
    assert declared.value.org_id == "microsoft"
    assert declared.confidence is Confidence.MEDIUM
    assert not any("operator" in e.detail for e in declared.evidence)
    # a provider is the service's operator (the service enricher's finding comes first)
    provided = attribute(_service(endpoint, (Party("provider", "Microsoft Corporation"),)), kb)
    assert provided.value is not None
    assert provided.value.org_id == "microsoft"
    assert [e.detail for e in provided.evidence][-1].endswith("its operator: Microsoft Corporation")
    # a service nothing names: unknown, evidence of what was looked at
    nothing = attribute(_service(("https://api.example.org/v1",)), kb)
    assert nothing.value is None
    assert nothing.confidence is Confidence.LOW


@pytest.mark.parametrize(
    ("purl", "org_id"),
    [
        # gRPC is a CNCF project (not Google's, whose Go and protobuf modules stay Google's)
        ("pkg:maven/io.grpc/grpc-core@1.62.0", "cncf"),
        ("pkg:golang/google.golang.org/grpc@v1.62.0", "cncf"),
        ("pkg:pypi/grpcio@1.62.0", "cncf"),
        ("pkg:npm/%40grpc/grpc-js@1.10.0", "cncf"),
        ("pkg:golang/google.golang.org/protobuf@v1.33.0", "google"),
        ("pkg:pypi/django@5.0", "dsf"),
    ],
)
def test_shipped_knowledge_base_names_these_projects_owners(purl: str, org_id: str) -> None:
    from souverain.knowledge import load_default
    from souverain.sbom.purls import parse_purl

    info = parse_purl(purl)
    component = Component(
        ref=purl, name=info.name, purl=purl, ecosystem=info.type, namespace=info.namespace, package=info.name
    )
    a = attribute(component, load_default())
    assert a.value is not None
    assert a.value.org_id == org_id


def test_supplier_email_and_url_evidence_point_at_their_fields() -> None:
    """A supplier's e-mail domain and web address each name the field they came from."""
    c = Component(
        ref="c",
        name="x",
        parties=(
            Party(
                "supplier",
                "Some Org",
                emails=("oss@microsoft.com",),
                urls=("https://ovh.com",),
                is_person=False,
                location="/components/0/supplier",
            ),
        ),
        location="/components/0",
    )
    result = attribute(c, fixture_kb())
    where = {e.location for e in result.evidence}
    assert "/components/0/supplier/email" in where
    assert "/components/0/supplier/url" in where
    email = next(e for e in result.evidence if e.location.endswith("/email"))
    assert "oss@microsoft.com" in email.detail
