"""Shared building blocks of the analyses: sparse incidence and co-occurrence matrices, progress bars.

Everything here works on sparse matrices indexed like ``g.papers`` and
``g.entities``, so graphs of 100k+ nodes never need a dense node x node array.
Results are memoised on the graph object (:meth:`kg.api.KnowledgeGraph.cached`).

The heavy analyses take ``progress``: a ``progress(stage, done, total)``
callback, or ``True`` for a text bar per stage (:func:`progress_bars`, tqdm:
a widget in Jupyter, lines on stderr elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kg.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from kg.api import KnowledgeGraph

__all__ = [
    "ENTITY_TYPES",
    "Progress",
    "ProgressArg",
    "as_graph",
    "check_types",
    "entity_adjacency",
    "incidence",
    "no_progress",
    "progress_bars",
    "progress_callback",
    "relation_matrix",
    "top_k",
    "type_indices",
    "unique_labels",
]

ENTITY_TYPES: tuple[str, ...] = ("Method", "Task", "Dataset", "Hardware", "Metric")

#: ``progress(stage, done, total)``, as :data:`kg.build.Progress`; ``total`` is ``None`` when unknown.
Progress = Callable[[str, int, int | None], None]


#: What the ``progress`` argument of an analysis accepts: a callback, ``True`` (draw bars) or ``False``/``None``.
ProgressArg = Progress | bool | None

# names of the stages on the bars
_STAGE_NAMES = {
    "pagerank": "PageRank (iterations)",
    "communities": "Communities",
    "paper vectors": "TF-IDF of papers",
    "entity vectors": "TF-IDF of entities",
    "topics": "Topic clusters",
    "gaps": "Link gaps (rows)",
    "report": "Report sections",
    # the views of kg.load(..., progress=True)
    "papers": "Reading papers",
    "entities": "Reading entities",
    "edges": "Reading links (narrow)",
    "links": "Reading links",
    "mentions": "Reading mentions",
    "results": "Reading results",
    "relations": "Reading relations",
    "relation_edges": "Reading relation triples",
    "nx": "Building networkx graph",
}


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A progress callback that does nothing."""
    return None


class _Bars:
    """A ``progress(stage, done, total)`` callback drawing one tqdm bar per stage."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}
        self.done: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        from tqdm.auto import tqdm

        bar = self.bars.get(stage)
        if bar is None or not 0 <= self.done[stage] <= done:  # a new stage, or the same stage again: a new bar
            if bar is not None:
                bar.close()
            bar = self.bars[stage] = tqdm(total=total, desc=_STAGE_NAMES.get(stage, stage))
            self.done[stage] = 0
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - self.done[stage])
        self.done[stage] = done
        if total is not None and done >= total:
            bar.close()
            self.done[stage] = -1  # finished: the next report of this stage starts a new bar

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def progress_callback(progress: ProgressArg) -> Progress:
    """``progress`` as a callback: tqdm bars for ``True``, nothing for ``False``/``None``, else itself.

    Bars of stages with no known total stay open; :func:`progress_bars` closes them.

    >>> progress_callback(None) is no_progress
    True
    """
    if progress is True:
        return _Bars()
    if progress is None or progress is False:
        return no_progress
    return progress


@contextmanager
def progress_bars(progress: ProgressArg) -> Iterator[Progress]:
    """The callback an analysis reports to: ``progress`` itself, bars for ``True``, nothing for ``False``/``None``.

    Bars still open (stages of unknown length) are closed when the block ends.

    Examples
    --------
    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err), progress_bars(True) as report:
    ...     report("gaps", 2, 2)
    >>> "Link gaps (rows)" in err.getvalue() and "2/2" in err.getvalue()
    True
    >>> with progress_bars(None) as report:
    ...     report is no_progress
    True
    """
    report = progress_callback(progress)
    try:
        yield report
    finally:
        if isinstance(report, _Bars):
            report.close()


def as_graph(source: KnowledgeGraph | str | Path) -> KnowledgeGraph:
    """Return ``source`` if it is a loaded graph, else load the output folder it names."""
    from kg.api import KnowledgeGraph, load

    if isinstance(source, KnowledgeGraph):
        return source
    return load(source)


def check_types(types: Iterable[str] | str | None) -> list[str]:
    """Validate entity type names (``None``: all five, in display order).

    >>> check_types("Method"), check_types(None)[:2]
    (['Method'], ['Method', 'Task'])
    """
    if types is None:
        return list(ENTITY_TYPES)
    wanted = [types] if isinstance(types, str) else list(types)
    bad = [t for t in wanted if t not in ENTITY_TYPES]
    if bad:
        raise ConfigError(f"unknown entity type {bad[0]!r}", fix=f"use one of {', '.join(ENTITY_TYPES)}")
    return wanted


def unique_labels(labels: Iterable[str]) -> list[str]:
    """Labels made unique by numbering repeats: ``["A", "A"]`` -> ``["A", "A (2)"]``.

    >>> unique_labels(["A", "B", "A"])
    ['A', 'B', 'A (2)']
    """
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0) + 1
        seen[label] = n
        out.append(label if n == 1 else f"{label} ({n})")
    return out


def incidence(g: KnowledgeGraph) -> sp.csr_matrix:
    """The binary papers x entities matrix (rows as ``g.papers``, columns as ``g.entities``).

    >>> from kg.analysis import demo_graph
    >>> g = demo_graph()
    >>> X = incidence(g)
    >>> X.shape, int(X[:, g.entities.label.tolist().index("LoRA")].sum())
    ((9, 24), 6)
    """

    def compute() -> sp.csr_matrix:
        papers = pd.Index(g.papers["paper"])
        entities = pd.Index(g.entities["entity"])
        pairs = g.edges[["paper", "entity"]].drop_duplicates()
        rows = papers.get_indexer(pairs["paper"])
        cols = entities.get_indexer(pairs["entity"])
        keep = (rows >= 0) & (cols >= 0)
        data = np.ones(int(keep.sum()), dtype=np.float64)
        return sp.csr_matrix((data, (rows[keep], cols[keep])), shape=(len(papers), len(entities)))

    return g.cached("incidence", compute)


def relation_matrix(g: KnowledgeGraph) -> sp.csr_matrix:
    """Binary, symmetric entities x entities matrix of the relation triples (``evaluatedOn``, ...)."""

    def compute() -> sp.csr_matrix:
        entities = pd.Index(g.entities["entity"])
        rel = g.relation_edges
        h = entities.get_indexer(rel["head"])
        t = entities.get_indexer(rel["tail"])
        keep = (h >= 0) & (t >= 0) & (h != t)
        n = len(entities)
        R = sp.csr_matrix((np.ones(int(keep.sum())), (h[keep], t[keep])), shape=(n, n))
        R = ((R + R.T) > 0).astype(np.float64)
        return R.tocsr()

    return g.cached("relations", compute)


def entity_adjacency(g: KnowledgeGraph, *, relations: bool = True) -> sp.csr_matrix:
    """Entity co-occurrence counts: ``A[i, j]`` = papers linking both ``i`` and ``j`` (diagonal zero).

    With ``relations=True`` a relation triple between two entities adds 1, so
    entities a sentence relates are neighbours even if no paper links both.

    >>> from kg.analysis import demo_graph
    >>> g = demo_graph()
    >>> labels = g.entities.label.tolist()
    >>> A = entity_adjacency(g, relations=False)
    >>> int(A[labels.index("LoRA"), labels.index("summarization")])
    3
    """

    def compute() -> sp.csr_matrix:
        X = incidence(g)
        A = (X.T @ X).tocsr()
        A.setdiag(0)
        A.eliminate_zeros()
        if relations:
            A = (A + relation_matrix(g)).tocsr()
        return A

    return g.cached(("adjacency", relations), compute)


def type_indices(g: KnowledgeGraph, etype: str, *, min_papers: int = 1) -> np.ndarray:
    """Positions (in ``g.entities``) of the entities of one type in at least ``min_papers`` papers."""
    ents = g.entities
    mask = (ents["type"] == etype).to_numpy() & (ents["papers"] >= min_papers).to_numpy()
    return np.flatnonzero(mask)


def top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, largest first (ties by position), in O(n).

    >>> top_k(np.array([1.0, 5.0, 3.0, 5.0]), 2).tolist()
    [1, 3]
    """
    k = min(k, len(values))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    kth = -np.partition(-values, k - 1)[k - 1]
    above = np.flatnonzero(values > kth)
    equal = np.flatnonzero(values == kth)[: k - len(above)]
    idx = np.concatenate([above, equal])
    return idx[np.lexsort((idx, -values[idx]))]
