"""Procurement review: completeness score and questions on hand-made and real SBOMs."""

from __future__ import annotations

import dataclasses

from souverain.analyse.procurement import procurement_review, render_review
from souverain.model import Party
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
