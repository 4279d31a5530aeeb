"""Parse benchmark: souverain's ``load_sbom + build_graph`` against the floor, per format and size.

The floor is the least any reader must do: ``orjson.loads`` (lxml for XML) + a walk of the
components reading their ref, name, version and purl + a ``networkx.DiGraph`` of the same edges.
Each measurement runs in its own subprocess; peak memory is that process's ``ru_maxrss``.

    python benchmarks/bench_parse.py                          # 10k and 100k, three formats
    python benchmarks/bench_parse.py --sizes 10000,100000,300000 --messy
    python benchmarks/bench_parse.py --formats cdx-json --sizes 100000 --repeat 3
    python benchmarks/bench_parse.py --big                    # also a ~200 MB CycloneDX JSON

Inputs are generated with the shared generator (``--generator``) into ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"
DEFAULT_GENERATOR = Path("/work/shared/tools/gen_sbom.py")
SUFFIX = {"cdx-json": "cdx.json", "xml": "cdx.xml", "spdx-json": "spdx.json"}


# ------------------------------------------------------------------ measured code


def floor(path: Path, fmt: str) -> tuple[int, int]:
    """The floor for one file: parse, walk the components, build a DiGraph of the edges."""
    import networkx as nx

    comps: list[tuple[Any, ...]] = []
    edges: list[tuple[str, str]] = []
    if fmt == "xml":
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.parse(str(path), parser).getroot()
        ns = root.tag[: root.tag.index("}") + 1]
        for el in root.find(f"{ns}components").iter(f"{ns}component"):  # type: ignore[union-attr]
            fields = {ch.tag[len(ns) :]: ch.text for ch in el}
            comps.append((el.get("bom-ref"), fields.get("name"), fields.get("version"), fields.get("purl")))
        for dep in root.iter(f"{ns}dependency"):
            ref = dep.get("ref", "")
            edges.extend((ref, d.get("ref", "")) for d in dep)
    else:
        import orjson

        doc = orjson.loads(path.read_bytes())
        if fmt == "spdx-json":
            for p in doc.get("packages", []):
                purl = next((r["referenceLocator"] for r in p.get("externalRefs", [])), None)
                comps.append((p.get("SPDXID"), p.get("name"), p.get("versionInfo"), purl))
            edges = [
                (r["spdxElementId"], r["relatedSpdxElement"])
                for r in doc.get("relationships", [])
                if r["relationshipType"] == "DEPENDS_ON"
            ]
        else:
            stack = [doc.get("components", [])]
            while stack:
                for c in stack.pop():
                    comps.append((c.get("bom-ref"), c.get("name"), c.get("version"), c.get("purl")))
                    if "components" in c:
                        stack.append(c["components"])
            edges = [(d["ref"], t) for d in doc.get("dependencies", []) for t in d.get("dependsOn", [])]
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(c[0] for c in comps)
    graph.add_edges_from(edges)
    return len(comps), graph.number_of_edges()


def souverain(path: Path) -> tuple[int, int]:
    """souverain's reader and graph builder."""
    from souverain.graph import build_graph
    from souverain.sbom import load_sbom

    sbom = load_sbom(path)
    graph = build_graph(sbom)
    return len(sbom.components), graph.number_of_edges()


def measure(which: str, path: Path, fmt: str) -> None:
    """Child process: run one measurement and print it as JSON."""
    start = time.perf_counter()
    n, e = floor(path, fmt) if which == "floor" else souverain(path)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "components": n, "edges": e}))


# ------------------------------------------------------------------------ driver


def generate(generator: Path, fmt: str, n: int, messy: bool) -> Path:
    """Generate (once) the input for a format and size."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"sbom-{n}{'-messy' if messy else ''}.{SUFFIX[fmt]}"
    if not path.exists():
        cmd = [sys.executable, str(generator), "-n", str(n), "--format", fmt, "-o", str(path)]
        subprocess.run([*cmd, "--messy"] if messy else cmd, check=True)
    return path


def run_child(which: str, path: Path, fmt: str) -> dict[str, float]:
    """Run one measurement in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", which, str(path), fmt],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Parse options, generate inputs, measure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated component counts")
    ap.add_argument("--formats", default="cdx-json,xml,spdx-json")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (median reported)")
    ap.add_argument("--messy", action="store_true", help="inputs with cycles, dangling refs, orphans")
    ap.add_argument("--big", action="store_true", help="also a ~200 MB CycloneDX JSON (330k components)")
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("--measure", nargs=3, metavar=("WHICH", "PATH", "FORMAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), args.measure[2])
        return
    cases = [(fmt, int(n)) for fmt in args.formats.split(",") for n in args.sizes.split(",")]
    if args.big:
        cases.append(("cdx-json", 330_000))
    print(f"{'format':<10} {'n':>7} {'floor s':>8} {'souv. s':>8} {'× time':>7} "
          f"{'floor MB':>9} {'souv. MB':>9} {'× mem':>6} {'µs/comp':>8}")
    for fmt, n in cases:
        path = generate(args.generator, fmt, n, args.messy)
        runs: dict[str, list[dict[str, float]]] = {"floor": [], "souverain": []}
        for _ in range(args.repeat):
            for which in ("floor", "souverain"):
                runs[which].append(run_child(which, path, fmt))
        f_s = statistics.median(r["seconds"] for r in runs["floor"])
        s_s = statistics.median(r["seconds"] for r in runs["souverain"])
        f_m = statistics.median(r["peak_mb"] for r in runs["floor"])
        s_m = statistics.median(r["peak_mb"] for r in runs["souverain"])
        print(f"{fmt:<10} {n:>7} {f_s:>8.2f} {s_s:>8.2f} {s_s / f_s:>7.2f} "
              f"{f_m:>9.0f} {s_m:>9.0f} {s_m / f_m:>6.2f} {s_s / n * 1e6:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
