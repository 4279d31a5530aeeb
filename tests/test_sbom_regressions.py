"""Inputs that once made a reader fail with something other than its own error."""

from __future__ import annotations

import json

import pytest
from tests.conftest import fixture_path

from souverain.sbom import load_sbom


@pytest.mark.parametrize("field", ["spdxElementId", "relatedSpdxElement"])
@pytest.mark.parametrize("value", [[], {}, 3, None])
def test_spdx_relationship_ids_of_the_wrong_type_are_skipped(field: str, value: object) -> None:
    doc = json.loads(fixture_path("spdx-2.2_appbomination_gradle.spdx.json").read_text())
    doc["relationships"][1][field] = value
    sbom = load_sbom(json.dumps(doc).encode(), name="mutated.spdx.json")
    assert any(s.location == "/relationships/1" for s in sbom.skipped)
