"""Throughput and peak memory of extraction and of the whole build, against spaCy's tokenizer.

Runs on the first N records of ``../shared/external/abstracts/abstracts.jsonl.gz``
(50,000 real abstracts, internal use only: the records are copied to a
temporary folder outside the repository for the run and deleted after it).
Every measurement runs in a fresh subprocess, so its peak memory (the child's
``ru_maxrss``) is its own; measurements are interleaved round by round and
the table shows medians. The machine is shared and noisy, and one measurement
of 10k abstracts lasts minutes, so each measuring process also runs the
tokenizer over the same input right after its measurement: the ratio of each
figure is to that tokenizer throughput, taken under the same load (the ratio
to the round's tokenizer row, taken earlier, is shown beside it, and so is
the ratio of papers per CPU second, which load disturbs least).

Measurements (``--only`` picks some):

``tokenizer``
    ``spacy.blank("en")`` tokenizer over ``title + "\\n" + abstract``: the floor.
``fast``, ``default``
    :func:`kg.extract.pipeline.extract_papers` with that profile, serial.
``default-w2``
    The same with 2 local worker processes (``kg build --workers 2``).
``default-dask2``
    The same on a Dask ``LocalCluster`` of 2 single-threaded worker processes
    (``kg build --scheduler``), workers already started and warmed up.
``build``
    The whole :func:`kg.build.build` with the default profile, viewer **on**
    (what ``kg build`` does): reading, model loading, extraction, merging,
    graph, store, Turtle, GraphML, JSON Lines and the viewer.
``build-fast`` (not run unless named)
    The same with the fast profile: cheap enough to show memory growth at 10k.

Extraction timings exclude loading the pipeline in the measuring process (it
is printed apart) and reading the input (done before the clock starts); the
build timing includes everything.

Usage::

    .venv/bin/python benchmarks/throughput.py --sizes 1000
    .venv/bin/python benchmarks/throughput.py --sizes 1000 10000 50000 --repeats 1
    .venv/bin/python benchmarks/throughput.py --sizes 10000 --only tokenizer fast build-fast
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT.parent / "shared" / "external" / "abstracts" / "abstracts.jsonl.gz"
MEASURES = ("tokenizer", "fast", "default", "default-w2", "default-dask2", "build")
OPTIONAL = ("build-fast",)
TARGETS = {"fast": 1 / 5, "default": 1 / 20, "build": 1 / 30}


# --------------------------------------------------------------------------- child side: one measurement


def _papers(path: Path) -> list:
    from kg.ingest import iter_papers

    return list(iter_papers([path]))


def _peaks() -> tuple[float, float]:
    """Peak RSS in MB of this process, and of its largest finished child (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tokenize(papers) -> dict:
    """Time spaCy's tokenizer alone over ``papers`` (an iterable: streamed when it is one)."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    n = tokens = 0
    started, cpu = time.perf_counter(), _cpu_seconds()
    for p in papers:
        tokens += len(tokenizer(p.title + "\n" + p.abstract))
        n += 1
    return {"papers": n, "seconds": time.perf_counter() - started, "cpu": _cpu_seconds() - cpu, "tokens": tokens}


def _paired_tokenizer(path: Path) -> dict:
    """The tokenizer over the same input in the same process, right after a measurement: its floor under the
    same machine load (the machine is shared: a floor measured minutes earlier may have run under another load)."""
    from kg.ingest import iter_papers

    run = _tokenize(iter_papers([path]))
    return {"papers_per_s": run["papers"] / run["seconds"], "papers_per_cpu_s": run["papers"] / max(run["cpu"], 1e-9)}


def _measure(name: str, path: Path, partition_size: int) -> dict:
    """Run one measurement; return papers, seconds and extra facts (the caller adds peak memory)."""
    if name == "tokenizer":
        return _tokenize(_papers(path))

    if name.startswith("build"):
        from kg.build import build

        profile = "fast" if name == "build-fast" else "default"
        out = Path(tempfile.mkdtemp(prefix="kg-throughput-build-"))
        try:
            started, cpu = time.perf_counter(), _cpu_seconds()
            summary = build([path], out, profile=profile, viewer=True, rebuild=True)
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return {"papers": summary.papers, "seconds": seconds, "cpu": cpu, "triples": summary.triples}

    from kg.extract.pipeline import extract_papers, load_pipeline

    papers = _papers(path)
    profile = "fast" if name == "fast" else "default"
    started = time.perf_counter()
    nlp = load_pipeline(profile)
    load = time.perf_counter() - started
    if name == "default-dask2":
        from distributed import Client, LocalCluster

        from kg.extract.parallel import extract_distributed

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster, Client(cluster) as client:
            client.run(load_pipeline, profile)  # a cluster is long-lived: workers have the pipeline loaded
            workers_cpu = client.run(_cpu_seconds)
            started, cpu = time.perf_counter(), _cpu_seconds()
            out = list(extract_distributed(papers, profile, client, partition_size=partition_size))
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            cpu += sum(after - workers_cpu[w] for w, after in client.run(_cpu_seconds).items())
    else:
        started, cpu = time.perf_counter(), _cpu_seconds()
        out = list(extract_papers(papers, nlp, n_process=2 if name == "default-w2" else 1))
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    assert len(out) == len(papers)
    return {"papers": len(out), "seconds": seconds, "cpu": cpu, "load_seconds": load}


def _child(args: argparse.Namespace) -> None:
    result = _measure(args.child, Path(args.input), args.partition_size)
    own, children = _peaks()  # before the paired tokenizer run, which streams its input and needs little
    result.update(peak_mb=own, worker_peak_mb=children)
    if args.child != "tokenizer":
        result["paired_tokenizer"] = _paired_tokenizer(Path(args.input))
    print("RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------------- parent side: runs and table


def _write_sample(source: Path, size: int, folder: Path) -> tuple[Path, int]:
    """Copy the first ``size`` records of ``source`` into ``folder`` (a temporary folder, never the repo)."""
    path = folder / f"abstracts_{size}.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        n = 0
        for line in itertools.islice(src, size):
            dst.write(line)
            n += 1
    return path, n


def _run_child(name: str, path: Path, partition_size: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--input", str(path),
           "--partition-size", str(partition_size)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"measurement {name} failed (exit code {proc.returncode})")
    return json.loads(lines[-1][len("RESULT "):])


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _fmt_ratio(r: float) -> str:
    return f"1/{1 / r:.1f}" if 0 < r < 1 else f"{r:.2f}x"


def _ratios(r: dict, round_tokenizer: dict | None) -> tuple[float, float, float]:
    """Wall ratio and CPU ratio to the tokenizer run in the same process, and wall ratio to the round's."""
    rate = r["papers"] / r["seconds"]
    paired = r.get("paired_tokenizer")
    if paired is None:  # the tokenizer row itself
        return 1.0, 1.0, 1.0
    cpu_rate = r["papers"] / max(r["cpu"], 1e-9)
    round_ratio = rate / (round_tokenizer["papers"] / round_tokenizer["seconds"]) if round_tokenizer else float("nan")
    return rate / paired["papers_per_s"], cpu_rate / paired["papers_per_cpu_s"], round_ratio


def _report(size: int, n: int, runs: dict[str, list[dict]], measures: list[str], partition_size: int) -> None:
    rounds = len(next(iter(runs.values())))
    print(f"\n== {n} abstracts, {rounds} round(s), medians. ratio = papers/s over the papers/s of spaCy's tokenizer "
          "run over the same input in the same process right after (same machine load); CPU ratio = the same "
          "with papers per CPU second (all processes); round ratio = over the round's tokenizer row")
    print(f"{'measurement':<15} {'papers/s':>9} {'ratio':>9} {'target':>8} {'met':>4} {'CPU ratio':>9} "
          f"{'round ratio':>11} {'seconds':>8} {'CPU s':>7} {'cores':>5} {'peak MB':>8} {'worker MB':>10}  notes")
    tok = runs.get("tokenizer")
    for name in measures:
        rs = runs[name]
        rates = [r["papers"] / r["seconds"] for r in rs]
        all_ratios = [_ratios(r, t) for r, t in zip(rs, tok or [None] * len(rs))]
        ratios = [x[0] for x in all_ratios]
        ratio = _median(ratios)
        cpu_ratio = _median([x[1] for x in all_ratios])
        round_ratio = _median([x[2] for x in all_ratios])
        target = TARGETS.get(name)
        met = "" if target is None or not ratios else ("yes" if ratio >= target else "NO")
        notes = []
        if "load_seconds" in rs[0]:
            notes.append(f"pipeline load {_median([r['load_seconds'] for r in rs]):.1f} s (not timed)")
        if "triples" in rs[0]:
            notes.append(f"{rs[0]['triples']:,} triples")
        if "tokens" in rs[0]:
            notes.append(f"{_median([r['tokens'] / r['seconds'] for r in rs]):,.0f} tokens/s")
        if name == "default-dask2":
            notes.append(f"partition size {partition_size}")
        worker = max(r["worker_peak_mb"] for r in rs) if name in ("default-w2", "default-dask2") else None
        print(f"{name:<15} {_median(rates):>9.1f} {_fmt_ratio(ratio) if ratios else '':>9} "
              f"{_fmt_ratio(target) if target else '':>8} {met:>4} {_fmt_ratio(cpu_ratio):>9} "
              f"{_fmt_ratio(round_ratio) if round_ratio == round_ratio else '':>11} "
              f"{_median([r['seconds'] for r in rs]):>8.1f} "
              f"{_median([r['cpu'] for r in rs]):>7.1f} {_median([r['cpu'] / r['seconds'] for r in rs]):>5.2f} "
              f"{max(r['peak_mb'] for r in rs):>8.0f} {f'{worker:.0f}' if worker else '':>10}  {'; '.join(notes)}")
    if "default" in runs:
        serial = runs["default"]
        print("cores = CPU seconds / wall seconds (a measurement alone on 2 idle cores would get up to 1 or 2)")
        for name, label in (("default-w2", "2 local processes"), ("default-dask2", "2 Dask workers")):
            if name in runs:
                speedups = [s["seconds"] / r["seconds"] for r, s in zip(runs[name], serial)]
                cpu = [r["cpu"] / s["cpu"] for r, s in zip(runs[name], serial)]
                print(f"speed-up of {label} over 1 (default profile): {_median(speedups):.2f}x wall "
                      f"(rounds: {', '.join(f'{x:.2f}' for x in speedups)}); CPU per paper "
                      f"{_median(cpu):.2f}x the serial run's, so at most {2 / _median(cpu):.2f}x on 2 free cores")


def _memory_growth(builds: dict[str, list[tuple[int, float, int]]]) -> None:
    """Peak memory of the builds against their graph size, size by size."""
    for name, rows in builds.items():
        print(f"\n== memory of `{name}` against the graph (peak MB of the build process; limit 4,096 MB at 50k)")
        print(f"{'abstracts':>9} {'triples':>10} {'peak MB':>8} {'bytes/triple':>12} {'x peak':>7} {'x triples':>9}")
        for i, (n, peak, triples) in enumerate(rows):
            growth = ""
            if i:
                growth = f"{peak / rows[i - 1][1]:>7.2f} {triples / rows[i - 1][2]:>9.2f}"
            print(f"{n:>9} {triples:>10,} {peak:>8.0f} {peak * 2**20 / max(triples, 1):>12,.0f} {growth}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="JSON Lines (gzip) of abstracts.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="How many abstracts (e.g. 1000 10000).")
    parser.add_argument("--repeats", type=int, default=0, help="Rounds per size (0: 3 up to 1,000, else 1).")
    parser.add_argument("--only", nargs="+", choices=MEASURES + OPTIONAL, help="Measurements to run.")
    parser.add_argument("--partition-size", type=int, default=0, help="Dask partition (0: size/20, 20 to 200).")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return
    source = Path(args.input)
    if not source.exists():
        raise SystemExit(f"no input at {source}: ../shared must be checked out beside the repository")
    measures = list(args.only or MEASURES)
    if "tokenizer" not in measures:
        measures.insert(0, "tokenizer")  # every ratio needs the floor of the same round
    print(f"throughput.py: {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at start")
    tmp = Path(tempfile.mkdtemp(prefix="kg-throughput-"))
    builds: dict[str, list[tuple[int, float, int]]] = {}
    try:
        for size in args.sizes:
            path, n = _write_sample(source, size, tmp)
            repeats = args.repeats or (3 if size <= 1000 else 1)
            partition_size = args.partition_size or min(200, max(20, n // 20))
            runs: dict[str, list[dict]] = {m: [] for m in measures}
            for round_no in range(repeats):
                for name in measures:
                    started = time.perf_counter()
                    runs[name].append(_run_child(name, path, partition_size))
                    print(f"  [{n} round {round_no + 1}/{repeats}] {name}: "
                          f"{runs[name][-1]['papers'] / runs[name][-1]['seconds']:.1f} papers/s "
                          f"({time.perf_counter() - started:.0f} s wall)", file=sys.stderr, flush=True)
            _report(size, n, runs, measures, partition_size)
            for name in measures:
                if name.startswith("build"):
                    peak = max(r["peak_mb"] for r in runs[name])
                    builds.setdefault(name, []).append((n, peak, runs[name][0]["triples"]))
            path.unlink()
        _memory_growth(builds)
        print(f"\nload average at end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
