"""Parallel extraction (issue 8): local processes and a real Dask cluster give the serial graph.

A real scheduler and two worker processes run on 127.0.0.1 (``LocalCluster``
with nannies, as ``dask scheduler`` + ``dask worker`` would). The sample corpus
(``../shared/seeds``, 300 papers) is built through them with the fast profile
and compared with a serial build, triple by triple; a smaller default-profile
check covers the trained model. One test kills a worker process in the middle
of its partition: the partition runs again elsewhere and nothing is lost or
duplicated.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import main
from kg.errors import ConfigError
from kg.extract.parallel import extract_distributed, extract_local, extract_parallel, partitions
from kg.extract.pipeline import extract_papers, load_pipeline
from kg.graph.rdf import canonical_literals
from kg.graph.store import store_to_graph
from kg.ingest import read_papers


def _triples(out: Path) -> set:
    return set(canonical_literals(store_to_graph(out)))


@pytest.fixture(scope="module")
def seeds(shared) -> Path:
    return shared / "seeds"


@pytest.fixture(scope="module")
def seed_papers(seeds):
    papers = read_papers([seeds]).papers
    assert len(papers) == 300
    return papers


@pytest.fixture(scope="module")
def serial_fast(seeds, tmp_path_factory) -> tuple[set, int]:
    """The serial fast build of the seeds: its triples and paper count."""
    out = tmp_path_factory.mktemp("serial") / "out"
    summary = build([seeds], out, profile="fast", viewer=False)
    return _triples(out), summary.papers


@pytest.fixture(scope="module")
def cluster():
    """A Dask scheduler and two single-threaded worker processes on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield cluster, client


def test_build_on_a_dask_cluster_gives_the_serial_graph(cluster, seeds, serial_fast, tmp_path):
    (local_cluster, _), (expected, papers) = cluster, serial_fast
    out = tmp_path / "out"
    code = main(
        ["build", str(seeds), "--out", str(out), "--profile", "fast", "--no-viewer",
         "--scheduler", local_cluster.scheduler_address, "--partition-size", "40"]
    )
    assert code == 0
    assert _triples(out) == expected
    assert sum(1 for line in (out / "extractions.jsonl").open(encoding="utf-8") if line.strip()) == papers


def test_build_with_two_local_workers_gives_the_serial_graph(seeds, serial_fast, tmp_path):
    expected, _ = serial_fast
    out = tmp_path / "out"
    assert main(["build", str(seeds), "--out", str(out), "--profile", "fast", "--no-viewer", "--workers", "2"]) == 0
    assert _triples(out) == expected


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_local_workers_match_serial_under_each_start_method(seed_papers, start_method):
    papers = seed_papers[:100]
    serial = list(extract_papers(papers, load_pipeline("fast")))
    parallel = list(extract_local(papers, "fast", workers=2, batch_size=8, chunk_batches=2, start_method=start_method))
    assert parallel == serial


def test_default_profile_on_dask_matches_serial_with_odd_partitions(cluster, seed_papers):
    _, client = cluster
    papers = seed_papers[:40]
    serial = list(extract_papers(papers, load_pipeline("default")))
    assert list(extract_distributed(papers, "default", client, partition_size=7)) == serial
    assert any(m.source.startswith("ner") for ex in serial for e in ex.entities for m in e.mentions)


def test_a_worker_killed_mid_partition_loses_and_duplicates_nothing(cluster, seed_papers, tmp_path):
    """The task of one partition kills its worker process on its first attempt; Dask runs it again elsewhere."""
    from distributed.diagnostics.plugin import WorkerPlugin

    _, client = cluster
    papers = seed_papers[:150]
    flag = str(tmp_path / "crashed")
    target = papers[45].id  # first paper of the fourth partition of 15

    class CrashOnce(WorkerPlugin):  # defined here so that it travels by value to the workers
        name = "kg-crash-once"

        def setup(self, worker):
            import kg.extract.parallel as parallel

            original = parallel._extract_partition

            def crashing(part, profile, batch_size=32):
                if part and part[0].id == target and not os.path.exists(flag):
                    Path(flag).touch()
                    os._exit(1)
                return original(part, profile, batch_size)

            parallel._extract_partition = crashing

    client.register_plugin(CrashOnce())
    try:
        got = list(extract_distributed(papers, "fast", client, partition_size=15))
    finally:
        client.unregister_worker_plugin("kg-crash-once")
    assert os.path.exists(flag), "the crashing partition never ran"
    assert [ex.paper.id for ex in got] == [p.id for p in papers]
    assert got == list(extract_papers(papers, load_pipeline("fast")))


def test_unreachable_scheduler_is_a_one_line_config_error(seed_papers):
    with pytest.raises(ConfigError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9") as err:
        list(extract_distributed(seed_papers[:2], "fast", "tcp://127.0.0.1:9", timeout=1))
    assert "\n" not in str(err.value) and "dask scheduler" in str(err.value)


def test_bad_options_are_config_errors(seed_papers):
    with pytest.raises(ConfigError, match="do not go together"):
        extract_parallel(seed_papers[:2], "fast", workers=2, scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigError, match="partition size"):
        list(partitions(seed_papers, 0))
    with pytest.raises(ConfigError, match="unknown extraction profile"):
        list(extract_distributed(seed_papers[:2], "nope", "tcp://127.0.0.1:9"))
