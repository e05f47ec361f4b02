"""Saved-query latency at about 100k and 1M triples: embedded Oxigraph against rdflib in memory.

Usage::

    python benchmarks/sparql_scale.py [--targets 100000 1000000] [--repeat 20] [--rdflib-repeat 3]
                                      [--profile default|fast]

Graphs are built from ``../shared/external/abstracts/abstracts.jsonl.gz`` with
the default extraction profile (what users get: the ``fast`` profile finds no
tasks, which leaves the task queries with nothing to do), taking as many
abstracts as reach each target triple count. For each size the
script prints the load time and on-disk size of the Oxigraph store, then every
saved query's p50 and p95 latency on the store (pyoxigraph, results fully
read) and on rdflib's default in-memory store (same query text), and the
ratio of the medians, all measured in the same run. rdflib gets fewer
repetitions (and a per-query time cap) because it is slow at this size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from kg.extract.pipeline import extract_papers, load_pipeline  # noqa: E402
from kg.graph.rdf import corpus_to_graph  # noqa: E402
from kg.graph.store import open_store, write_store  # noqa: E402
from kg.ingest.paper_fields import make_paper  # noqa: E402
from kg.normalize.canonical import normalize  # noqa: E402
from kg.query.saved import saved_queries  # noqa: E402
from kg.query.sparql import with_prefixes  # noqa: E402

#: Rough triples per abstract, for the first guess of how many abstracts reach a size.
TRIPLES_PER_PAPER_GUESS = {"default": 400, "fast": 90}


def papers_from(corpus: Path, n: int):
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                break
            paper = make_paper(json.loads(line), f"{corpus}:{i + 1}")
            if not isinstance(paper, str):
                yield paper


def graph_of_size(corpus: Path, target: int, profile: str = "default") -> Graph:
    n = max(50, target // TRIPLES_PER_PAPER_GUESS.get(profile, 300))
    nlp = load_pipeline(profile)
    while True:
        extractions = list(extract_papers(papers_from(corpus, n), nlp, batch_size=64))
        g = corpus_to_graph(normalize(extractions))
        if len(g) >= target * 0.9 or n >= 50_000:
            return g
        n = int(n * target / max(1, len(g)) * 1.05) + 10


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def time_oxigraph(store, text: str, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = store.query(text)
        for _row in result:
            pass
        out.append(time.perf_counter() - t)
    return out


def _rdflib_runs(g: Graph, text: str, repeat: int, queue) -> None:
    for _ in range(repeat):
        t = time.perf_counter()
        list(g.query(text))
        queue.put(time.perf_counter() - t)


def time_rdflib(g: Graph, text: str, repeat: int, cap: float) -> list[float]:
    """rdflib timings, run in a forked child that is stopped after ``cap`` seconds (then ``inf``)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_rdflib_runs, args=(g, text, repeat, queue))
    proc.start()
    proc.join(cap)
    if proc.is_alive():
        proc.kill()
        proc.join()
    out = []
    while not queue.empty():
        out.append(queue.get())
    return out or [float("inf")]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_corpus = ROOT.parent / "shared" / "external" / "abstracts" / "abstracts.jsonl.gz"
    ap.add_argument("--corpus", type=Path, default=default_corpus)
    ap.add_argument("--targets", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rdflib-repeat", type=int, default=3)
    ap.add_argument("--rdflib-cap", type=float, default=60.0, help="seconds allowed for all rdflib runs of one query")
    ap.add_argument("--profile", default="default", help="extraction profile the graphs are built with")
    args = ap.parse_args()
    queries = {name: with_prefixes(q.text) for name, q in saved_queries().items()}
    for target in args.targets:
        g = graph_of_size(args.corpus, target, args.profile)
        met_p50 = met_ratio = 0
        work = Path(tempfile.mkdtemp())
        t = time.perf_counter()
        write_store(g, work / "store")
        load_s = time.perf_counter() - t
        store = open_store(work / "store")
        size_mb = dir_size(work / "store") / 1e6
        print(f"\n== {len(g):,} triples: Oxigraph load {load_s:.1f} s, store on disk {size_mb:.1f} MB")
        print(f"{'query':22} {'oxigraph p50':>12} {'p95':>8} {'rdflib p50':>11} {'p95':>8} {'ratio':>7}")
        for name, text in queries.items():
            ox = time_oxigraph(store, text, args.repeat)
            rd = time_rdflib(g, text, args.rdflib_repeat, args.rdflib_cap)
            ox50, ox95 = statistics.median(ox), percentile(ox, 0.95)
            rd50, rd95 = statistics.median(rd), percentile(rd, 0.95)
            print(f"{name:22} {ox50 * 1000:10.1f}ms {ox95 * 1000:6.1f}ms {rd50 * 1000:9.0f}ms {rd95 * 1000:6.0f}ms "
                  f"{rd50 / ox50:6.0f}x" + ("  (rdflib stopped at the cap)" if rd50 == float("inf") else ""),
                  flush=True)
            met_p50 += ox50 < 0.2
            met_ratio += rd50 >= 10 * ox50
        print(f"p50 under 200 ms: {met_p50}/{len(queries)} queries; at least 10x faster than rdflib: "
              f"{met_ratio}/{len(queries)} ({args.profile} profile, {len(g):,} triples)")
        del store
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
