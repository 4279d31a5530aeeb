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
