"""Topic clusters of papers: TF-IDF of titles and abstracts, then KMeans or NMF (fixed seeds).

Examples
--------
>>> from kg.analysis import demo_graph
>>> t = topic_clusters(demo_graph(), k=2)
>>> t["size"].tolist(), "lora" in t.terms[0]
([7, 2], True)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kg.analysis._common import Progress, ProgressArg, as_graph, no_progress, progress_bars
from kg.analysis.similarity import paper_vectors
from kg.errors import ConfigError

__all__ = ["default_topic_count", "paper_topics", "topic_clusters"]


def default_topic_count(n_papers: int) -> int:
    """The number of topics used when none is given: about sqrt(n/2), from 2 to 20.

    >>> default_topic_count(9), default_topic_count(300), default_topic_count(100_000)
    (2, 12, 20)
    """
    if n_papers < 2:
        return max(n_papers, 1)
    return min(n_papers, max(2, min(20, round(math.sqrt(n_papers / 2)))))


def _fit(g, k: int | None, algorithm: str, seed: int, progress: Progress):
    """(topic per paper, closeness per paper, terms x topics weights, terms), topics numbered by size."""
    if algorithm not in ("kmeans", "nmf"):
        raise ConfigError(f"unknown topic algorithm {algorithm!r}", fix="use 'kmeans' or 'nmf'")
    X, terms = paper_vectors(g, progress=progress)
    n = X.shape[0]
    k = default_topic_count(n) if k is None else k
    if k < 1:
        raise ConfigError(f"k must be at least 1, not {k}", fix="pass k=None for a default")
    k = min(k, max(n, 1))
    progress("topics", 0, 1)
    if n == 0 or X.shape[1] == 0 or k == 1:
        labels = np.zeros(n, dtype=np.int64)
        weights = np.asarray(X.mean(axis=0)).reshape(1, -1) if n else np.zeros((1, X.shape[1]))
        closeness = np.ones(n)
    elif algorithm == "kmeans":
        from sklearn.cluster import KMeans, MiniBatchKMeans
        from threadpoolctl import threadpool_limits

        if n > 20_000:
            model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        else:
            model = KMeans(n_clusters=k, random_state=seed, n_init=10 if n <= 1000 else 3)
        # small inputs: one thread (OpenMP start-up and contention cost more than they save)
        with threadpool_limits(1 if n <= 5000 else None):
            labels = model.fit_predict(X)
        weights = model.cluster_centers_
        norms = np.linalg.norm(weights, axis=1, keepdims=True)
        unit = np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
        closeness = np.asarray(X @ unit.T)[np.arange(n), labels]
    else:
        from sklearn.decomposition import NMF

        model = NMF(n_components=k, random_state=seed, init="nndsvda", max_iter=400)
        W = model.fit_transform(X)
        labels = W.argmax(axis=1)
        closeness = W.max(axis=1)
        weights = model.components_
    progress("topics", 1, 1)
    # renumber by size (largest first), ties by the top term
    sizes = np.bincount(labels, minlength=weights.shape[0])
    first_term = [terms[int(np.argmax(w))] if len(terms) else "" for w in weights]
    order = sorted(range(weights.shape[0]), key=lambda t: (-sizes[t], first_term[t]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[labels], np.asarray(closeness, dtype=float), weights[order], terms


def _cached_fit(g, k, algorithm, seed, progress: ProgressArg):
    with progress_bars(progress) as report:
        return g.cached(("topics", k, algorithm, seed), lambda: _fit(g, k, algorithm, seed, report))


def paper_topics(
    g, k: int | None = None, *, algorithm: str = "kmeans", seed: int = 0, progress: ProgressArg = no_progress
) -> pd.DataFrame:
    """The topic of every paper.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    k : int, optional
        Number of topics (default: :func:`default_topic_count`).
    algorithm : {"kmeans", "nmf"}
        KMeans on TF-IDF (best of 10 starts up to 1,000 papers, of 3 above;
        MiniBatchKMeans above 20,000 papers) or NMF.
    seed : int
        Random seed: the same seed gives the same topics.
    progress : callable or bool, optional
        ``progress("topics", done, 1)`` (and the TF-IDF's stage); ``True`` draws progress bars (tqdm).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``title``, ``year``, ``topic`` (0 is the largest),
        ``closeness`` (cosine to the topic centre, or NMF weight) and ``paper``.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> pt = paper_topics(demo_graph(), k=2)
    >>> pt.set_index("id").topic[["d5", "d6"]].tolist()
    [1, 1]
    """
    g = as_graph(g)
    labels, closeness, _, _ = _cached_fit(g, k, algorithm, seed, progress)
    out = g.papers[["id", "title", "year", "paper"]].copy()
    out.insert(3, "topic", labels)
    out.insert(4, "closeness", np.round(closeness, 4))
    return out


def topic_clusters(
    g,
    k: int | None = None,
    *,
    n_terms: int = 8,
    n_papers: int = 3,
    algorithm: str = "kmeans",
    seed: int = 0,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """One row per topic: its size, top terms and most typical papers.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    k, algorithm, seed, progress
        As :func:`paper_topics`.
    n_terms : int
        Top terms per topic.
    n_papers : int
        Example papers per topic (closest to its centre).

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``label`` (its three top terms), ``size`` (papers),
        ``terms`` (list), ``papers`` (example titles, list), ``years``
        (first-last year, or "") and ``ids`` (the example papers' ids).

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> topic_clusters(demo_graph(), k=2, n_terms=3).loc[1, "terms"]
    ['detection', 'object', 'yolov8']
    """
    g = as_graph(g)
    labels, closeness, weights, terms = _cached_fit(g, k, algorithm, seed, progress)
    papers = g.papers
    rows = []
    for t in range(weights.shape[0]):
        members = np.flatnonzero(labels == t)
        if members.size == 0:
            continue
        w = np.asarray(weights[t]).ravel()
        top = [str(terms[i]) for i in np.argsort(-w, kind="stable")[:n_terms] if w[i] > 0]
        best = members[np.lexsort((members, -closeness[members]))][:n_papers]
        years = papers["year"].iloc[members].dropna()
        rows.append(
            {
                "topic": t,
                "label": ", ".join(top[:3]),
                "size": int(members.size),
                "terms": top,
                "papers": papers["title"].iloc[best].fillna(papers["id"].iloc[best]).tolist(),
                "years": f"{int(years.min())}-{int(years.max())}" if len(years) else "",
                "ids": papers["id"].iloc[best].tolist(),
            }
        )
    return pd.DataFrame(rows, columns=["topic", "label", "size", "terms", "papers", "years", "ids"])
