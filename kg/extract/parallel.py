"""Run the extraction in parallel: local processes, or a Dask distributed cluster.

Every function here takes papers and a profile and yields one
:class:`~kg.records.Extraction` per paper, **in input order**, so the graph
built from them does not depend on the number of workers or partitions: the
caller normalises all of them once, as after a serial run.

* :func:`extract_local` runs ``workers`` local processes (any start method:
  ``fork`` children inherit the loaded pipeline, ``spawn`` and ``forkserver``
  children receive it pickled, once each). Each child turns its ``Doc`` objects
  into plain records before sending them back, so no ``Doc`` crosses a process
  boundary (spaCy's own ``n_process`` cannot send our ``Doc._`` attributes).
* :func:`extract_distributed` cuts the papers into partitions and submits one
  Dask task per partition to a ``distributed`` scheduler. Each worker process
  loads the pipeline once (:func:`~kg.extract.pipeline.load_pipeline` is
  cached per process). A task whose worker dies is run again on another worker
  (Dask's ``distributed.scheduler.allowed-failures``, 3 by default); a task
  that raises is retried ``retries`` times. Results are gathered partition by
  partition, in order, so nothing is lost or duplicated.

Both keep only a few partitions in flight, so papers can be streamed in and
results out without holding the whole corpus in the workers.

Examples
--------
>>> from kg.records import Paper
>>> papers = [Paper(f"p{i}", "LoRA", f"We tune LLaMA-2 with LoRA on {i} A100 GPUs.") for i in range(3)]
>>> [ex.paper.id for ex in extract_parallel(papers, "fast")]
['p0', 'p1', 'p2']
>>> [len(part) for part in partitions(papers, 2)]
[2, 1]
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from spacy.language import Language

from kg.errors import ConfigError
from kg.extract.pipeline import extract_papers, load_pipeline, profile_path
from kg.records import Extraction, Paper

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

__all__ = ["connect", "extract_distributed", "extract_local", "extract_parallel", "partitions"]

#: Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 10.0


def partitions(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    """Cut a stream of papers into lists of ``size`` (the last one shorter), lazily."""
    if size < 1:
        raise ConfigError(f"partition size must be at least 1, not {size}", fix="pass e.g. --partition-size 200")
    it = iter(papers)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _in_order(futures: Iterator[Any], max_in_flight: int) -> Iterator[Extraction]:
    """Yield the extractions of each future's partition, in submission order.

    Futures are pulled from ``futures`` (which submits as it is iterated) only
    while fewer than ``max_in_flight`` are pending, so memory holds a bounded
    number of partitions. Pending futures are cancelled if the caller stops
    early or a partition fails.
    """
    pending: deque[Any] = deque()
    try:
        for future in futures:
            pending.append(future)
            if len(pending) >= max_in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


# --------------------------------------------------------------------------- local processes

_LOCAL_NLP: Language | None = None


def _init_local_worker(nlp: Language) -> None:
    """Keep the pipeline of this worker process (inherited under fork, unpickled otherwise).

    BLAS gets one thread per process, as in Dask's workers, so N processes do
    not start N times the cores in threads.
    """
    global _LOCAL_NLP
    _LOCAL_NLP = nlp
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - comes with scikit-learn
        return
    threadpool_limits(1)


def _extract_local_chunk(papers: list[Paper], batch_size: int) -> list[Extraction]:
    assert _LOCAL_NLP is not None, "worker not initialised"
    return list(extract_papers(papers, _LOCAL_NLP, batch_size=batch_size))


def extract_local(
    papers: Iterable[Paper],
    profile: str | Language = "default",
    *,
    workers: int = 2,
    batch_size: int = 32,
    chunk_batches: int = 2,
    start_method: str | None = None,
) -> Iterator[Extraction]:
    """Extract ``papers`` in ``workers`` local processes; one extraction per paper, in order.

    Parameters
    ----------
    papers
        Papers, streamed: only ``2 * workers`` chunks are read ahead.
    profile
        A profile name or ``.cfg`` path, or a loaded pipeline.
    workers
        Number of processes.
    batch_size
        ``nlp.pipe`` batch size in each process.
    chunk_batches
        Batches per chunk sent to a process. Chunks are whole batches, so every
        batch holds the same papers as in a serial run.
    start_method
        ``"fork"``, ``"spawn"`` or ``"forkserver"``; ``None`` uses
        :mod:`multiprocessing`'s default.
    """
    nlp = load_pipeline(profile) if isinstance(profile, str) else profile
    context = multiprocessing.get_context(start_method)
    chunk = batch_size * max(1, chunk_batches)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_local_worker, initargs=(nlp,)
    ) as pool:
        futures = (pool.submit(_extract_local_chunk, part, batch_size) for part in partitions(papers, chunk))
        try:
            yield from _in_order(futures, max_in_flight=2 * workers)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- Dask distributed

_WORKER_LOCK = threading.Lock()


def _extract_partition(papers: list[Paper], profile: str, batch_size: int = 32) -> list[Extraction]:
    """The Dask task: extract one partition on a worker (pipeline loaded once per worker process).

    The lock runs one partition at a time per process: a spaCy pipeline is not
    meant to be shared by threads, and the GIL would serialise them anyway
    (start workers with ``--nthreads 1``, more processes for more cores).
    """
    with _WORKER_LOCK:
        nlp = load_pipeline(profile)
        return list(extract_papers(papers, nlp, batch_size=batch_size))


def connect(scheduler: str, *, timeout: float = CONNECT_TIMEOUT) -> Client:
    """Connect to a Dask scheduler (``tcp://HOST:PORT``) that has at least one worker.

    Raises
    ------
    ConfigError
        If the scheduler does not answer, or no worker joins it within ``timeout`` seconds.
    """
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}: {err})".splitlines()[0],
            fix="start one with `dask scheduler` and pass the address it prints, e.g. tcp://HOST:8786",
        ) from err
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as err:
        client.close()
        raise ConfigError(
            f"no Dask worker joined the scheduler at {scheduler} within {timeout:g} s",
            fix=f"start workers with `dask worker {scheduler} --nthreads 1` where research-kg is installed",
        ) from err
    return client


def _worker_profile(profile: str) -> str:
    """Check a profile here; a ``.cfg`` path becomes absolute (workers must see the same path)."""
    path = profile_path(profile)
    return str(path.resolve()) if profile.endswith(".cfg") else profile


def extract_distributed(
    papers: Iterable[Paper],
    profile: str,
    scheduler: str | Client,
    *,
    partition_size: int = 200,
    batch_size: int = 32,
    retries: int = 2,
    max_in_flight: int | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> Iterator[Extraction]:
    """Extract ``papers`` on a Dask cluster, ``partition_size`` papers a task; one extraction per paper, in order.

    Parameters
    ----------
    papers
        Papers, streamed: partitions are cut and submitted as results come back.
    profile
        Profile name or ``.cfg`` path; workers need research-kg installed (and the path).
    scheduler
        Scheduler address (``tcp://HOST:PORT``) or a connected ``distributed.Client``.
    partition_size
        Papers per task.
    retries
        Extra attempts of a task that raises (a worker that dies is handled by
        Dask's ``allowed-failures`` instead).
    max_in_flight
        Partitions submitted ahead; default twice the cluster's threads (at least 4).
    timeout
        Seconds to wait for the scheduler and a first worker.

    Raises
    ------
    ConfigError
        If the profile is unknown, ``partition_size`` < 1, or the scheduler cannot be reached.
    """
    worker_profile = _worker_profile(profile)
    if partition_size < 1:
        raise ConfigError(
            f"partition size must be at least 1, not {partition_size}", fix="pass e.g. --partition-size 200"
        )
    own = isinstance(scheduler, str)
    client = connect(scheduler, timeout=timeout) if isinstance(scheduler, str) else scheduler
    try:
        if max_in_flight is None:
            max_in_flight = max(4, 2 * sum(client.nthreads().values()))
        run = uuid.uuid4().hex[:12]
        submit: Callable[..., Any] = client.submit
        futures = (
            submit(
                _extract_partition,
                part,
                worker_profile,
                batch_size,
                key=f"kg-extract-{run}-{i:06d}",
                retries=retries,
                pure=False,
            )
            for i, part in enumerate(partitions(papers, partition_size))
        )
        yield from _in_order(futures, max_in_flight=max_in_flight)
    finally:
        if own:
            client.close()


def extract_parallel(
    papers: Iterable[Paper],
    profile: str = "default",
    *,
    workers: int = 1,
    scheduler: str | Client | None = None,
    partition_size: int = 200,
    batch_size: int = 32,
) -> Iterator[Extraction]:
    """Extract serially, in ``workers`` local processes, or on the Dask ``scheduler``; always in input order.

    Raises
    ------
    ConfigError
        If both ``workers > 1`` and ``scheduler`` are given (the cluster decides the workers).
    """
    if scheduler:
        if workers > 1:
            raise ConfigError(
                "--workers and --scheduler do not go together: the cluster's workers run the extraction",
                fix="drop --workers, or start more Dask workers",
            )
        return extract_distributed(
            papers, profile, scheduler, partition_size=partition_size, batch_size=batch_size
        )
    if workers > 1:
        return extract_papers(papers, load_pipeline(profile), batch_size=batch_size, n_process=workers)
    return extract_papers(papers, load_pipeline(profile), batch_size=batch_size)
