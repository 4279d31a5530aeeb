"""Benchmark of the analysis stage alone (metrics, exposure, findings) on generated SBOMs.

Usage::

    python /work/shared/tools/gen_sbom.py -n 100000 --seed 1 -o /tmp/sbom-100k.json
    python benchmarks/bench_analyse.py /tmp/sbom-10k.json /tmp/sbom-100k.json [--exact-all]

Assessments are synthetic and deterministic: 2 % of the components proprietary and foreign
(US), 1 % with an unknown licence, 30 % open and foreign, the rest open and home (FR); with
``--real``, those of the default offline enrichers, as ``souverain audit`` computes them (on
generated SBOMs most controllers are then unknown: about two thirds of the components at risk).
Parsing and graph building are timed separately and are not part of the analysis time.
"json s" is the JSON report of the result: ``to_document`` + ``dumps`` (render + serialise).
``--repeat N`` runs the analysis N times and keeps the best; with ``--cpu`` every time is CPU
time (``time.process_time``), steadier than wall-clock time on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from souverain.analyse import analyse, compute_metrics
from souverain.analyse.exposure import profile
from souverain.analyse.reach import condense, reach_of
from souverain.enrich import default_enrichers, enrich_all
from souverain.enrich.base import EnrichContext
from souverain.graph import build_graph
from souverain.knowledge import load_default
from souverain.model import Assessment, Jurisdiction, Openness, Policy
from souverain.report.base import RenderOptions
from souverain.report.json import dumps, to_document
from souverain.sbom import load_sbom

from tests.factories import make_assessment


def synthetic_assessments(refs: list[str]) -> dict[str, Assessment]:
    """Deterministic assessments by a hash of the ref."""
    out: dict[str, Assessment] = {}
    proprietary = make_assessment(
        "x",
        openness=Openness.PROPRIETARY,
        controller="Vendor Inc",
        country="US",
        jurisdiction=Jurisdiction.FOREIGN,
    )
    unknown = make_assessment("x", openness=None, controller=None)
    foreign_open = make_assessment(
        "x", controller="Big Cloud Corp", country="US", jurisdiction=Jurisdiction.FOREIGN
    )
    home = make_assessment("x")
    for r in refs:
        h = int.from_bytes(hashlib.blake2b(r.encode(), digest_size=4).digest(), "big") % 1000
        out[r] = proprietary if h < 20 else unknown if h < 30 else foreign_open if h < 330 else home
    return out


def parse_floor(path: Path, clock: Callable[[], float] = time.perf_counter) -> float:
    """The parse floor of docs/performance-notes: orjson + dict walk + networkx graph."""
    t0 = clock()
    doc = orjson.loads(path.read_bytes())
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(c.get("bom-ref", "") for c in doc.get("components", ()))
    g.add_edges_from((d["ref"], t) for d in doc.get("dependencies", ()) for t in d.get("dependsOn", ()))
    return clock() - t0


def main() -> None:
    """Time the analysis of each SBOM given on the command line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("sboms", nargs="+", type=Path)
    ap.add_argument("--exact-all", action="store_true", help="also time exact reach of every node")
    ap.add_argument("--real", action="store_true", help="assessments of the default offline enrichers")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the analysis (the best is kept)")
    ap.add_argument("--cpu", action="store_true", help="CPU time instead of wall-clock time")
    args = ap.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    print(
        f"{'components':>10} {'edges':>8} {'floor s':>7} {'parse+graph s':>13} {'metrics s':>9} "
        f"{'analyse s':>9} {'analyse/floor':>13} {'findings':>8} {'json s':>6} {'exact-all s':>11}"
    )
    for path in args.sboms:
        gc.disable()
        floor = parse_floor(path, clock)
        t0 = clock()
        sbom = load_sbom(path)
        graph = build_graph(sbom)
        t1 = clock()
        refs = list(graph.refs())
        kb = None
        if args.real:
            kb = load_default()
            context = EnrichContext(kb=kb, policy=Policy())
            assessments = dict(enrich_all(graph, context, default_enrichers()))
            candidates = {r for r, a in assessments.items() if profile(a, Policy(), kb=kb).at_risk}
        else:
            assessments = synthetic_assessments(refs)
            candidates = {
                r
                for r, a in assessments.items()
                if a.license.value is None or a.license.value.openness is not Openness.OPEN
            }
        t2 = clock()
        compute_metrics(graph, candidates)
        metrics_s = clock() - t2
        analyse_s = float("inf")
        for _ in range(max(1, args.repeat)):
            t3 = clock()
            result = analyse(sbom, graph, assessments, Policy(), today=datetime.date(2026, 11, 28), kb=kb)
            analyse_s = min(analyse_s, clock() - t3)
        t4 = clock()
        dumps(to_document(result, RenderOptions(reproducible=True)))
        json_s = clock() - t4
        exact_all = ""
        if args.exact_all:
            t5 = clock()
            reach_of(graph, refs, cond=condense(graph))
            exact_all = f"{clock() - t5:.2f}"
        gc.enable()
        print(
            f"{len(graph):>10} {graph.number_of_edges():>8} {floor:>7.2f} {t1 - t0:>13.2f} "
            f"{metrics_s:>9.2f} {analyse_s:>9.2f} {analyse_s / floor:>13.2f} {len(result.findings):>8} "
            f"{json_s:>6.2f} {exact_all:>11}",
            flush=True,
        )


if __name__ == "__main__":
    main()
