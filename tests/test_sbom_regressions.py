"""Inputs that once made a reader fail with something other than its own error."""

from __future__ import annotations

import json

import pytest

from souverain.analyse.procurement import procurement_review
from souverain.sbom import load_sbom

from tests.conftest import fixture_path


@pytest.mark.parametrize("field", ["spdxElementId", "relatedSpdxElement"])
@pytest.mark.parametrize("value", [[], {}, 3, None])
def test_spdx_relationship_ids_of_the_wrong_type_are_skipped(field: str, value: object) -> None:
    doc = json.loads(fixture_path("spdx-2.2_appbomination_gradle.spdx.json").read_text())
    doc["relationships"][1][field] = value
    sbom = load_sbom(json.dumps(doc).encode(), name="mutated.spdx.json")
    assert any(s.location == "/relationships/1" for s in sbom.skipped)


def test_sbom_author_and_timestamp_are_read_for_the_procurement_review() -> None:
    hbom = load_sbom(str(fixture_path("cdx-1.4_hbom-pcie-sata-adapter.json")))
    raw = json.loads(fixture_path("cdx-1.4_hbom-pcie-sata-adapter.json").read_text())
    assert hbom.timestamp == raw["metadata"]["timestamp"]
    tagvalue = load_sbom(str(fixture_path("spdx-2.3_tools-python-example.spdx")))
    assert tagvalue.timestamp == "2010-01-29T18:30:22Z"
    assert tagvalue.authors == ("ExampleCodeInspect", "Jane Doe")
    juice = load_sbom(str(fixture_path("cdx-1.6_juice-shop_npm-bare.json")))
    assert juice.timestamp is None  # the npm generator writes none: the review must ask for it
    topics = {q.field for q in procurement_review(juice).document}
    assert {"timestamp", "sbom_author"} <= topics
    assert not {"timestamp", "sbom_author"} & {q.field for q in procurement_review(tagvalue).document}


GITHUB_API = "handmade/spdx-2.3_github-dependency-graph-api.json"


def test_github_dependency_graph_api_response_is_read_inside_its_wrapper() -> None:
    """The file `gh api repos/OWNER/REPO/dependency-graph/sbom` saves: the SPDX document inside
    a top-level "sbom" member, packages named "<ecosystem>:<name>". It is read as the document
    itself, locations pointing into the wrapper, a note saying so; names are the packages' own."""
    raw = fixture_path(GITHUB_API).read_bytes()
    wrapped = load_sbom(raw, name="api.json")
    bare = load_sbom(json.dumps(json.loads(raw)["sbom"]).encode(), name="bare.json")
    assert [c.purl for c in wrapped.components] == [c.purl for c in bare.components]
    assert wrapped.edges == bare.edges
    assert wrapped.root is not None
    assert wrapped.root.name == "com.github.acme/portal"
    assert [c.location for c in wrapped.components] == ["/sbom" + c.location for c in bare.components]
    assert all(c.location.startswith("/packages/") for c in bare.components)
    assert any("'sbom' wrapper" in note for note in wrapped.notes)
    assert not any("wrapper" in note for note in bare.notes)
    names = {c.purl: c.name for c in wrapped.components}
    assert names["pkg:npm/%40aws-sdk/client-s3@3.600.0"] == "@aws-sdk/client-s3"
    assert names["pkg:pypi/requests@2.32.3"] == "requests"
    ojdbc = "pkg:maven/com.oracle.database.jdbc/ojdbc11@23.3.0.23.09"
    assert names[ojdbc] == "com.oracle.database.jdbc:ojdbc11"
    # a prefix that is not the package's ecosystem label stays as written
    assert names["pkg:generic/something-else@1.0"] == "note:not-a-prefix"


def test_a_wrapper_that_holds_no_spdx_document_is_no_sbom() -> None:
    from souverain.errors import NotAnSbomError

    raw = json.dumps({"sbom": {"spdxVersion": 3}}).encode()
    with pytest.raises(NotAnSbomError, match=r"odd\.json"):
        load_sbom(raw, name="odd.json")
    # only a lone "sbom" member is a wrapper: beside other members it is just a member
    inner = json.loads(fixture_path(GITHUB_API).read_bytes())["sbom"]
    with pytest.raises(NotAnSbomError) as err:
        load_sbom(json.dumps({"sbom": inner, "other": 1}).encode(), name="odd.json")
    assert err.value.location == "/spdxVersion"
