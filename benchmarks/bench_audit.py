"""Whole-audit benchmark: every stage of ``souverain audit -f json``, timed against the parse floor.

Stages, in one process per size, as the CLI runs them (cyclic garbage collector paused, freed
memory kept for reuse by ``souverain.allocator``, default policy and knowledge base, offline):
``parse`` (``load_sbom``), ``graph`` (``build_graph``), ``enrich`` (``enrich_all`` with the
default enrichers), ``analyse`` and ``json`` (the JSON report rendered to the bytes
``write_reports`` writes; the write itself is not timed).
Loading the knowledge base and the licence database is reported apart (``setup``): it does not
grow with the SBOM.

The floor is the least any reader must do, as in docs/performance-notes: ``orjson.loads`` + a
walk of the components + a ``networkx.DiGraph`` of the dependency edges; it runs in its own
subprocess, just before the audit of the same file. Peak memory is each process's ``ru_maxrss``.

    python benchmarks/bench_audit.py                        # 10k and 100k
    python benchmarks/bench_audit.py --sizes 10000,100000,300000 --repeat 3
    python benchmarks/bench_audit.py --file some.cdx.json   # any CycloneDX JSON file

Inputs are generated with the shared generator (``--generator``) into ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
DEFAULT_GENERATOR = Path("/work/shared/tools/gen_sbom.py")
STAGES = ("parse", "graph", "enrich", "analyse", "json")


# ------------------------------------------------------------------ measured code


def floor(path: Path) -> dict[str, float]:
    """The floor of the parse benchmark (orjson + walk of the components, nested ones too +
    DiGraph of the edges), timed here in wall and CPU seconds."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: find benchmarks/
    from benchmarks.bench_parse import floor as parse_floor

    for module in ("networkx", "orjson"):  # loaded before the clock starts: imports are not parsing
        importlib.import_module(module)
    gc.disable()
    start, cpu = time.perf_counter(), time.process_time()
    components, edges = parse_floor(path, "cdx-json")
    return {
        "floor": time.perf_counter() - start,
        "floor_cpu": time.process_time() - cpu,
        "components": components,
        "edges": edges,
    }


class _Clock:
    """Wall and CPU seconds of a stage, stored as ``times[stage]`` and ``times[stage + "_cpu"]``
    (on a shared machine the CPU time moves less with the neighbours' load)."""

    def __init__(self, times: dict[str, float]) -> None:
        self._times = times
        self._wall = self._cpu = 0.0

    def start(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self, stage: str) -> None:
        self._times[stage] = time.perf_counter() - self._wall
        self._times[stage + "_cpu"] = time.process_time() - self._cpu


def audit_stages(path: Path) -> dict[str, float]:
    """The audit, stage by stage, as ``souverain audit FILE -f json --reproducible`` runs it."""
    import datetime as dt

    from souverain import __version__
    from souverain.allocator import keep_freed_memory
    from souverain.analyse import analyse
    from souverain.enrich import default_enrichers, enrich_all
    from souverain.enrich.base import EnrichContext
    from souverain.graph import build_graph
    from souverain.knowledge import load_default
    from souverain.knowledge.licences import default_index
    from souverain.model import Policy
    from souverain.report import REPORTERS
    from souverain.report.base import BytesReporter, RenderOptions
    from souverain.sbom import load_sbom

    gc.disable()  # as the CLI does, with the allocator keeping freed memory for the next stage
    keep_freed_memory()
    times: dict[str, float] = {}
    clock = _Clock(times)
    t = time.perf_counter()
    kb = load_default()
    policy = Policy()
    enrichers = default_enrichers()
    default_index()  # the licence database, otherwise loaded by the first licence lookup
    times["setup"] = time.perf_counter() - t

    clock.start()
    sbom = load_sbom(path)
    clock.stop("parse")

    clock.start()
    graph = build_graph(sbom)
    clock.stop("graph")

    clock.start()
    assessments = enrich_all(graph, EnrichContext(kb=kb, policy=policy), enrichers)
    clock.stop("enrich")

    clock.start()
    result = analyse(
        sbom, graph, assessments, policy, today=dt.date(2026, 11, 28), tool_version=__version__, kb=kb
    )
    clock.stop("analyse")

    clock.start()
    reporter = REPORTERS["json"]
    assert isinstance(reporter, BytesReporter)
    report = reporter.render_bytes(result, RenderOptions(reproducible=True))  # what write_reports writes
    clock.stop("json")

    times["components"] = len(sbom.components)
    times["report_mb"] = len(report) / 1e6
    return times


def measure(which: str, path: Path) -> None:
    """Child process: run one measurement and print it as JSON (with the peak RSS)."""
    result = floor(path) if which == "floor" else audit_stages(path)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# ------------------------------------------------------------------------ driver


def generate(generator: Path, n: int) -> Path:
    """Generate (once) a CycloneDX JSON SBOM of ``n`` components."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"sbom-{n}.cdx.json"
    if not path.exists():
        subprocess.run([sys.executable, str(generator), "-n", str(n), "-o", str(path)], check=True)
    return path


def run_child(which: str, path: Path) -> dict[str, float]:
    """Run one measurement in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", which, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def report(path: Path, repeat: int) -> None:
    """Measure one file ``repeat`` times (floor and audit alternately) and print its rows."""
    floors: list[dict[str, float]] = []
    audits: list[dict[str, float]] = []
    for _ in range(repeat):
        floors.append(run_child("floor", path))
        audits.append(run_child("audit", path))
    fl = statistics.median(r["floor"] for r in floors)
    fl_cpu = statistics.median(r["floor_cpu"] for r in floors)
    fl_mb = statistics.median(r["peak_mb"] for r in floors)
    n = int(audits[0]["components"])
    keys = (*STAGES, *(f"{s}_cpu" for s in STAGES), "setup", "peak_mb")
    med = {k: statistics.median(r[k] for r in audits) for k in keys}
    print(f"\n{path.name}: {n} components, {int(floors[0]['edges'])} edges, median of {repeat}")
    print(f"  {'stage':<9} {'wall s':>7} {'× floor':>8} {'µs/comp':>8} {'cpu s':>7} {'× floor':>8}")
    rows = [("floor", fl, fl_cpu)]
    rows += [(s, med[s], med[f"{s}_cpu"]) for s in STAGES]
    rows.append(("total", sum(med[s] for s in STAGES), sum(med[f"{s}_cpu"] for s in STAGES)))
    for stage, wall, cpu in rows:
        line = f"  {stage:<9} {wall:>7.2f} {wall / fl:>8.2f} {wall / n * 1e6:>8.1f}"
        line += f" {cpu:>7.2f} {cpu / fl_cpu:>8.2f}"
        peak = fl_mb if stage == "floor" else med["peak_mb"] if stage == "total" else None
        print(line if peak is None else f"{line}   peak {peak:.0f} MB")
    print(f"  (setup, not counted: knowledge base and licence database {med['setup']:.2f} s)")


def main() -> None:
    """Parse options, generate inputs, measure and print one table per size."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated component counts")
    ap.add_argument(
        "--file",
        type=Path,
        action="append",
        default=[],
        help="measure this CycloneDX JSON instead of generated sizes (repeatable)",
    )
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (median reported)")
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("--measure", nargs=2, metavar=("WHICH", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    paths = list(args.file) or [generate(args.generator, int(n)) for n in args.sizes.split(",") if n]
    for path in paths:
        report(path, args.repeat)


if __name__ == "__main__":
    main()
