"""Property tests: mutated real SBOMs never make load_sbom raise anything but a SouverainError,
and whatever it returns can be turned into a graph."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.errors import SouverainError
from souverain.graph import build_graph
from souverain.model import ParsedSbom
from souverain.sbom import load_sbom

from tests.conftest import fixture_path

SMALL_FILES = [
    "cdx-1.4_hbom-pcie-sata-adapter.json",
    "cdx-1.4_saasbom-apigateway-services.json",
    "cdx-1.6_bundled-dependencies_npm-bare.xml",
    "cdx-1.1_laravel-7.12.0_composer.xml",
    "spdx-2.3_rust-hello-server_k8s-bom.spdx.json",
    "spdx-2.2_appbomination_gradle.spdx.json",
    "spdx-2.2_example6-bin_static-link.spdx",
    "spdx-2.2_tools-python-example_utf16.spdx",
]
JSON_FILES = [f for f in SMALL_FILES if f.endswith(".json")]

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def _raw(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def _load_or_clean_error(raw: bytes) -> ParsedSbom | None:
    error: SouverainError | None = None
    try:
        sbom = load_sbom(raw, name="<fuzz>")
    except SouverainError as exc:
        error = exc
    if error is not None:
        assert "<fuzz>" in error.diagnostics()
        # load_sbom wraps reader bugs as "unexpected error": those must not happen either
        assert "unexpected error" not in error.diagnostics()
        return None
    build_graph(sbom)
    return sbom


@SETTINGS
@given(
    name=st.sampled_from(SMALL_FILES),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=0.999), st.integers(0, 255)), max_size=6),
)
def test_truncated_and_flipped_bytes(name: str, cut: float, flips: list[tuple[float, int]]) -> None:
    raw = bytearray(_raw(name))
    for where, value in flips:
        raw[int(where * len(raw))] = value
    _load_or_clean_error(bytes(raw[: max(1, int(cut * len(raw)))] if cut < 0.98 else raw))


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=8),
    st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.sampled_from(["name", "ref", "id", "bom-ref"]), st.integers(0, 2), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):
            out.extend(_paths(v, (*prefix, i)))
    return out


@SETTINGS
@given(name=st.sampled_from(JSON_FILES), data=st.data())
def test_json_structure_mutations(name: str, data: st.DataObject) -> None:
    doc = json.loads(_raw(name))
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON_VALUES)
    _load_or_clean_error(json.dumps(doc).encode())
