"""Load test of ``kg serve``: many concurrent clients running the saved queries on loopback.

Usage::

    python benchmarks/endpoint_load.py [--store DIR | --input FILE_OR_FOLDER] [--clients 200] [--seconds 30]

Without ``--store``, the input (default ``../shared/seeds``) is built with
``--profile fast`` into a temporary folder first. The script starts the server
``kg serve`` starts (Oxigraph's, read-only, with the same command line, on
127.0.0.1 and a free port), then runs
``--clients`` threads for ``--seconds``: each keeps one HTTP/1.1 connection
open and POSTs the saved queries (``pipelines/queries/*.rq``, prefixes added)
one after the other, each client starting at a different query, reading every
answer in full. It prints the throughput, latency percentiles (overall and per
query) and the errors: any status but 200, a connection failure, a body that is
not SPARQL JSON results, or a query cancelled by the time limit. It exits 1 if
there was an error.

Bounded on purpose: loopback only, at most 500 clients and 300 seconds, and no
new dependency (threads and ``http.client``).

Measured (oxigraph 0.5.13, a 2-vCPU VM shared with other work, so CPU-bound):

* seed graph built with the default profile (146 337 triples, saved queries reading the
  precomputed statistics), ``--store`` of that build, defaults (2026-11-24): 2 983 answers
  in 30 s, 0 errors, 94 queries/s, p50 1.6 s, p95 4.6 s, peak 3 189 server threads;
* earlier, before the statistics: about 40 queries/s, p95 18 s, 1 error in
  about 1 400 answers: ``cooccurring-methods`` (15 s median under this load) passed
  the 30 s limit and was cancelled; the CPU, not the server, is the limit here;
* demo graph (``tests/fixtures/demo_papers.jsonl``, 1 135 triples), defaults: the
  server aborted after about 16 000 answers, because ``--timeout-s`` keeps one
  timer thread per query alive for the whole limit (SECURITY.md);
* demo graph, ``--query-timeout 5``: about 940 queries/s, p95 0.9 s, 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.query import saved_queries  # noqa: E402
from kg.query.serve import oxigraph_binary, resolve_store_dir, server_command  # noqa: E402
from kg.query.sparql import with_prefixes  # noqa: E402

MAX_CLIENTS = 500
MAX_SECONDS = 300
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kg serve exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("kg serve did not start")


class ThreadWatch(threading.Thread):
    """The peak number of threads of the server process (Linux /proc; 0 elsewhere)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.task_dir, self.peak, self.done = Path(f"/proc/{pid}/task"), 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            try:
                self.peak = max(self.peak, len(list(self.task_dir.iterdir())))
            except OSError:
                return


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class Client(threading.Thread):
    """One client: one keep-alive connection, the saved queries in turn, until the deadline."""

    def __init__(self, index: int, port: int, queries: list[tuple[str, bytes]], deadline: float, timeout: float):
        super().__init__(daemon=True)
        self.index, self.port, self.queries, self.deadline, self.timeout = index, port, queries, deadline, timeout
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def run(self) -> None:
        conn = self._connect()
        i = self.index
        while time.monotonic() < self.deadline:
            name, body = self.queries[i % len(self.queries)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("POST", "/query", body=body, headers={
                    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    self.errors[f"{name}: HTTP {response.status} {data[:80]!r}"] += 1
                    continue
                try:
                    json.loads(data)["results"]["bindings"]
                except (ValueError, KeyError, TypeError):
                    self.errors[f"{name}: not SPARQL JSON results ({data[-80:]!r})"] += 1
                    continue
                self.latencies[name].append(elapsed)
            except (OSError, http.client.HTTPException) as err:
                self.errors[f"{name}: {type(err).__name__}: {err}"] += 1
                conn.close()
                conn = self._connect()
                time.sleep(0.1)  # no busy loop against a server that is gone
        conn.close()


def build_store(inputs: Path, folder: Path) -> Path:
    out = folder / "out"
    cmd = [sys.executable, "-m", "kg", "build", str(inputs), "--out", str(out), "--profile", "fast", "--no-viewer"]
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="output folder of `kg build` (built from --input if not given)")
    parser.add_argument("--input", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--query-timeout", type=float, default=30.0, help="kg serve --timeout")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--clients must be 1..{MAX_CLIENTS} and --seconds 0..{MAX_SECONDS}")

    queries = [(q.name, with_prefixes(q.text).encode("utf-8")) for q in saved_queries().values()]
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or build_store(args.input, Path(tmp))
        port = free_port()
        # exactly the command `kg serve` runs (read-only); started here so that stopping it stops the server
        cmd = server_command(resolve_store_dir(store), host=HOST, port=port, timeout=args.query_timeout,
                             binary=oxigraph_binary())
        log = open(Path(tmp) / "server.log", "w+b")  # noqa: SIM115 - closed below
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_up(port, server)
            triples = count_triples(port)
            watch = ThreadWatch(server.pid)
            watch.start()
            deadline = time.monotonic() + args.seconds
            clients = [Client(i, port, queries, deadline, timeout=args.query_timeout + 30) for i in range(args.clients)]
            started = time.monotonic()
            for c in clients:
                c.start()
            for c in clients:
                c.join(timeout=args.seconds + args.query_timeout + 60)
            wall = time.monotonic() - started
            alive = server.poll() is None
            watch.done.set()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            server_log = log.read().decode("utf-8", "replace").splitlines()
            log.close()

    by_query: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for c in clients:
        for name, values in c.latencies.items():
            by_query[name].extend(values)
        errors.update(c.errors)
    errors.update({"client thread still running at the end": sum(c.is_alive() for c in clients)} if any(
        c.is_alive() for c in clients) else {})
    everything = [v for values in by_query.values() for v in values]
    n_errors = sum(errors.values())

    print(f"kg serve on {HOST}:{port} (read-only, --timeout {args.query_timeout:g}), {triples} triples, "
          f"{len(queries)} saved queries")
    print(f"{args.clients} clients for {args.seconds:g} s (wall {wall:.1f} s): {len(everything)} answers, "
          f"{n_errors} errors, server {'still up' if alive else 'DIED'} (peak {watch.peak} threads)")
    print(f"throughput {len(everything) / wall:.1f} queries/s; latency p50 {percentile(everything, 50) * 1000:.0f} ms, "
          f"p95 {percentile(everything, 95) * 1000:.0f} ms, p99 {percentile(everything, 99) * 1000:.0f} ms, "
          f"max {max(everything, default=float('nan')) * 1000:.0f} ms")
    print(f"{'query':<22}{'answers':>9}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for name in sorted(by_query):
        values = by_query[name]
        print(f"{name:<22}{len(values):>9}{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
              f"{statistics.fmean(values) * 1000:>9.0f}")
    for message, count in errors.most_common(10):
        print(f"error x{count}: {message}")
    if not alive:
        print(f"server exit code {server.returncode}; its last output:")
        for line in server_log[-15:]:
            print("  " + line)
    return 0 if n_errors == 0 and alive and everything else 1


def count_triples(port: int) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("POST", "/query", body=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                 headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    data = json.loads(conn.getresponse().read())
    return int(data["results"]["bindings"][0]["n"]["value"])


if __name__ == "__main__":
    sys.exit(main())
