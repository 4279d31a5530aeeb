"""Procurement review: completeness score and questions on hand-made and real SBOMs."""

from __future__ import annotations

import dataclasses
import json

from souverain.analyse.procurement import procurement_review, render_review
from souverain.model import Component, Party
from souverain.sbom import load_sbom

from tests.factories import make_assessment, make_component, make_sbom, sbom_path


def _complete(ref: str) -> object:
    c = make_component(ref, supplier="ACME", licenses=["MIT"], hashes=[("SHA-512", "ab" * 64)])
    party = Party(role="supplier", name="ACME", country="FR", urls=("https://acme.example",))
    return dataclasses.replace(c, parties=(party,))


def test_complete_sbom_has_no_component_questions() -> None:
    root = make_component("app")
    sbom = dataclasses.replace(
        make_sbom([_complete("a"), _complete("b")], [("app", "a"), ("a", "b")], root=root),  # type: ignore[list-item]
        serial_number="urn:uuid:1",
        timestamp="2026-11-28T10:00:00Z",
        authors=("Example SBOM team <sbom@example.org>",),
    )
    review = procurement_review(sbom)
    assert review.by_component == ()
    assert review.document == ()
    assert review.score == 100
    assert all(c.ratio == 1.0 for c in review.coverage)


def test_gaps_become_questions_grouped_by_component() -> None:
    bare = make_component("x", "left-pad", version=None, purl="")
    sbom = make_sbom([_complete("a"), bare], has_dependency_data=False)  # type: ignore[list-item]
    review = procurement_review(sbom, {"x": make_assessment("x", controller="Some Corp", country="US")})
    (cq,) = review.by_component
    assert cq.ref == "x"
    fields = [q.field for q in cq.questions]
    assert fields == ["supplier", "supplier_country", "creator_contact", "version", "identifier",
                      "licence", "hash"]
    country_q = next(q for q in cq.questions if q.field == "supplier_country")
    assert "Some Corp, US" in country_q.text
    doc_fields = {q.field for q in review.document}
    assert {"dependencies", "primary_component", "sbom_uri"} <= doc_fields
    assert review.score < 60
    text = render_review(review, lang="fr")
    assert "Score de complétude" in text
    assert "left-pad" in text


def test_real_sbom_review() -> None:
    sbom = load_sbom(sbom_path("cdx-1.6_juice-shop_npm-bare.json"))
    review = procurement_review(sbom)
    assert review.components == len(sbom.components)
    by_field = {c.field: c for c in review.coverage}
    # npm SBOMs from cyclonedx-node-npm carry purls, versions and hashes for most packages.
    assert by_field["identifier"].ratio > 0.9
    assert by_field["version"].ratio > 0.9
    assert 0 < review.score < 100
    flat = procurement_review(load_sbom(sbom_path("cdx-1.4_mongo-container_syft.json")))
    assert "dependencies" in {q.field for q in flat.document}


def test_noassertion_is_no_licence_for_the_vendor() -> None:
    """A licence field saying NOASSERTION or NONE answers nothing: the component still gets the
    licence question (distro2sbom's SPDX said 825/825 with 522 NOASSERTION-only packages)."""
    path = sbom_path("spdx-2.2_microsoft-sbom-tool_manifest.spdx.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    sbom = load_sbom(path)
    root = sbom.root.ref if sbom.root else None

    def informative(p: dict[str, object]) -> bool:
        values = [p.get("licenseConcluded"), p.get("licenseDeclared")]
        return any(isinstance(v, str) and v.strip() not in ("", "NOASSERTION", "NONE") for v in values)

    expected = sum(1 for p in raw["packages"] if p["SPDXID"] != root and informative(p))
    review = procurement_review(sbom)
    licence = next(c for c in review.coverage if c.field == "licence")
    assert licence.present == expected
    assert licence.present < review.components  # the fixture has NOASSERTION-only packages
    asked = {cq.ref for cq in review.by_component if any(q.field == "licence" for q in cq.questions)}
    assert len(asked) == review.components - expected


def test_a_none_or_noassertion_licence_gets_the_question() -> None:
    for value in ("NOASSERTION", "NONE", ""):
        c = _complete("a")
        assert isinstance(c, Component)
        c = dataclasses.replace(c, licenses=(dataclasses.replace(c.licenses[0], value=value),))
        review = procurement_review(make_sbom([c], has_dependency_data=False))
        assert [q.field for cq in review.by_component for q in cq.questions] == ["licence"]
