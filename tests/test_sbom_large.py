"""Large generated inputs parse completely (no timing assertions: timing lives in benchmarks/)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from souverain.errors import InputError
from souverain.graph import build_graph
from souverain.model import SbomFormat
from souverain.sbom import load_sbom

GENERATOR = Path("/work/shared/tools/gen_sbom.py")


def _cyclonedx(n: int, seed: int) -> tuple[dict[str, object], int]:
    """A CycloneDX 1.6 document with ``n`` components and a random DAG; returns it and its edge count."""
    rng = random.Random(seed)
    comps = [
        {
            "type": "library",
            "bom-ref": f"pkg:npm/p{i}@1.{i % 7}.0",
            "name": f"p{i}",
            "version": f"1.{i % 7}.0",
            "purl": f"pkg:npm/p{i}@1.{i % 7}.0",
            "licenses": [{"license": {"id": "MIT"}}],
        }
        for i in range(n)
    ]
    deps = []
    edges = 0
    for i in range(n):
        targets = sorted({rng.randrange(i + 1, n) for _ in range(3)}) if i < n - 1 else []
        edges += len(targets)
        deps.append({"ref": comps[i]["bom-ref"], "dependsOn": [comps[t]["bom-ref"] for t in targets]})
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "root", "name": "root"}},
        "components": comps,
        "dependencies": [{"ref": "root", "dependsOn": [comps[0]["bom-ref"]]}, *deps],
    }
    return doc, edges + 1


def test_20k_components_parse_completely() -> None:
    doc, edges = _cyclonedx(20_000, seed=7)
    sbom = load_sbom(json.dumps(doc).encode(), name="big.json")
    assert len(sbom.components) == 20_000
    assert len(sbom.edges) == edges
    assert sbom.skipped == ()
    assert {c.ecosystem for c in sbom.components} == {"npm"}
    graph = build_graph(sbom)
    assert len(graph) == 20_000
    # the graph also hangs components nothing depends on off the (real) root: those are not SBOM edges
    assert graph.number_of_edges() == edges


def test_truncated_large_file_is_a_clean_error(tmp_path: Path) -> None:
    doc, _ = _cyclonedx(5_000, seed=3)
    raw = json.dumps(doc, indent=1).encode()
    path = tmp_path / "cut.json"
    path.write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(InputError) as info:
        load_sbom(path)
    assert info.value.location is not None
    assert info.value.location.startswith("line ")


@pytest.mark.slow
@pytest.mark.skipif(not GENERATOR.exists(), reason="the shared SBOM generator is not available here")
@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("cdx-json", SbomFormat.CYCLONEDX_JSON),
        ("xml", SbomFormat.CYCLONEDX_XML),
        ("spdx-json", SbomFormat.SPDX_JSON),
    ],
)
def test_messy_generated_sboms_parse(fmt: str, expected: SbomFormat, tmp_path: Path) -> None:
    out = tmp_path / f"messy.{fmt}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "-n", "3000", "--messy", "--format", fmt, "-o", str(out)],
        check=True,
        capture_output=True,
    )
    sbom = load_sbom(out)
    assert sbom.format is expected
    assert len(sbom.components) >= 3000
    graph = build_graph(sbom)
    issues = graph.issues
    assert issues.dangling_edges > 0
    assert issues.self_loops > 0
    assert issues.cycles > 0
