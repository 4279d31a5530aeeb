"""Benchmark of the online enrichment: the juice-shop SBOM (1,101 components) against the local
recorded registry (tests/http_server.py) with 50 ms added to every answer.

Runs, each with a fresh cache directory unless stated:

* cold, worker pool (8 workers), rate limit off — what the pool buys;
* cold, worker pool, default rate limit (20 requests/s per host) — what a default run costs;
* cold, sequential (1 worker), rate limit off (``--sample N`` times N lookups and extrapolates);
* warm cache: the same lookups answered from the cache of the first run, then the enrichers.

Usage: ``.venv/bin/python benchmarks/bench_online.py [--latency 0.05] [--sample 0]``.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from souverain.endpoints import Endpoint  # noqa: E402
from souverain.enrich.base import EnrichContext  # noqa: E402
from souverain.enrich.registry import lookup_for, lookups_of, online_enrichers, prefetch  # noqa: E402
from souverain.http import make_session  # noqa: E402
from souverain.knowledge import load_default  # noqa: E402
from souverain.model import Component  # noqa: E402
from souverain.sbom import load_sbom  # noqa: E402

from tests.http_server import RecordedServer  # noqa: E402

SBOM = "cdx-1.6_juice-shop_npm-bare.json"


def sbom_path() -> Path:
    """The juice-shop SBOM: the test fixture copy, else the shared corpus."""
    local = ROOT / "tests" / "fixtures" / "sboms" / SBOM
    return local if local.exists() else Path("/work/shared/corpus/public") / SBOM


class ServerProcess:
    """The local recorded registry in its own process, so that its work does not share the
    benchmark's interpreter lock."""

    def __init__(self, latency: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.http_server", "--generic", "--latency", str(latency)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()

    def close(self) -> None:
        """Stop the server process (closing its stdin ends it)."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run(
    components: Sequence[Component],
    server: RecordedServer | ServerProcess,
    cache_dir: Path,
    *,
    workers: int,
    rate: float,
    online: bool = True,
) -> tuple[float, str]:
    """One prefetch + enrichment; returns (seconds, summary)."""
    kb = load_default()
    session = make_session(timeout=10.0) if online else None
    ctx = EnrichContext(kb=kb, session=session)
    endpoints = {"npm": Endpoint("npm", server.url + "/npm", "benchmark")}
    start = time.perf_counter()
    stats = prefetch(
        components, ctx, endpoints=endpoints, cache_dir=cache_dir, workers=workers, rate=rate, deadline=600.0
    )
    enrichers = online_enrichers(ctx)
    attributions = sum(len(list(e.enrich(c, ctx))) for c in components for e in enrichers)
    elapsed = time.perf_counter() - start
    if session is not None:
        session.close()
    summary = (
        f"requested={stats.requested} fetched={stats.fetched} cache_hits={stats.cache_hits} "
        f"failed={stats.failed} attributions={attributions}"
    )
    return elapsed, summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--in-process", action="store_true", help="serve from this process (shares the GIL)")
    parser.add_argument("--sample", type=int, default=0, help="sequential run on N lookups only (0: all)")
    args = parser.parse_args(argv)
    components = load_sbom(sbom_path()).components
    n = len(lookups_of(components))
    rows: list[tuple[str, float, str]] = []
    server: RecordedServer | ServerProcess
    if args.in_process:
        server = RecordedServer(latency=args.latency, generic=True).__enter__()
    else:
        server = ServerProcess(args.latency)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t_pool, s_pool = run(components, server, base / "pool", workers=8, rate=0)
        rows.append(("cold, 8 workers, no rate limit", t_pool, s_pool))
        t_16, s_16 = run(components, server, base / "pool16", workers=16, rate=0)
        rows.append(("cold, 16 workers, no rate limit", t_16, s_16))
        t_warm, s_warm = run(components, server, base / "pool", workers=8, rate=0, online=False)
        rows.append(("warm cache (offline run, same cache)", t_warm, s_warm))
        t_rate, s_rate = run(components, server, base / "rate", workers=8, rate=20.0)
        rows.append(("cold, 8 workers, default 20 req/s per host", t_rate, s_rate))
        seq_components = components
        if args.sample:
            keep = {lk.key for lk in lookups_of(components)[: args.sample]}
            seq_components = tuple(c for c in components if (lk := lookup_for(c)) and lk.key in keep)
        t_seq, s_seq = run(seq_components, server, base / "seq", workers=1, rate=0)
        m = len(lookups_of(seq_components))
        if m < n:
            t_seq = t_seq * n / max(1, m)
            s_seq += f" (extrapolated from {m} lookups)"
        rows.append(("cold, sequential (1 worker), no rate limit", t_seq, s_seq))
    if isinstance(server, ServerProcess):
        server.close()
    else:
        server.__exit__(None, None, None)
    ms = args.latency * 1000
    print(f"juice-shop: {len(components)} components, {n} distinct npm lookups, {ms:.0f} ms per answer\n")
    print("| run | seconds | detail |\n|---|---:|---|")
    for name, t, s in rows:
        print(f"| {name} | {t:.2f} | {s} |")
    print(f"\nspeed-up over sequential: 8 workers {t_seq / t_pool:.1f}×, 16 workers {t_seq / t_16:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
