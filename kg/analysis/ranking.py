"""Which entities matter most: counts of papers and PageRank on the paper-entity graph.

Examples
--------
>>> from kg.analysis import demo_graph
>>> top = top_entities(demo_graph(), n=2)
>>> top[top.type == "Method"][["label", "papers"]].values.tolist()
[['LoRA', 6], ['Transformer', 3]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kg.analysis._common import (
    ProgressArg,
    as_graph,
    check_types,
    incidence,
    no_progress,
    progress_bars,
    relation_matrix,
)
from kg.errors import ConfigError

__all__ = ["pagerank", "top_entities"]


def pagerank(
    g,
    *,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
    progress: ProgressArg = no_progress,
) -> pd.Series:
    """PageRank of every entity on the undirected graph of papers, entities and relations.

    Papers link to the entities they mention; entities link to the entities a
    relation statement joins. The walk runs over papers and entities alike
    (scores of all nodes sum to 1, as :func:`networkx.pagerank` on that graph);
    the entities' scores are returned. Sparse power iteration: linear in the
    number of links.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph (see :func:`kg.load`).
    alpha : float
        Damping factor.
    tol : float
        Stop when the L1 change per node falls below this.
    max_iter : int
        Most iterations.
    progress : callable or bool, optional
        ``progress("pagerank", iteration, None)``; ``True`` draws a progress bar (tqdm).

    Returns
    -------
    pandas.Series
        Scores indexed by entity IRI, in the order of ``g.entities``.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> g = demo_graph()
    >>> pr = pagerank(g)
    >>> g.entities.set_index("entity").label[pr.idxmax()]
    'LoRA'
    """
    g = as_graph(g)

    def compute() -> pd.Series:
        X = incidence(g)
        n_p, n_e = X.shape
        index = g.entities["entity"].to_numpy()
        if n_e == 0:
            return pd.Series(np.zeros(0), index=index, name="pagerank")
        A = sp.bmat([[None, X], [X.T, relation_matrix(g)]], format="csr", dtype=np.float64)
        if n_p == 0:
            A = relation_matrix(g)
        n = A.shape[0]
        degree = np.asarray(A.sum(axis=1)).ravel()
        dangling = degree == 0
        inv = np.divide(1.0, degree, out=np.zeros_like(degree), where=~dangling)
        x = np.full(n, 1.0 / n)
        for it in range(max_iter):
            report("pagerank", it + 1, None)
            new = alpha * (A @ (x * inv)) + (alpha * x[dangling].sum() + 1.0 - alpha) / n
            err = np.abs(new - x).sum()
            x = new
            if err < n * tol:
                break
        scores = x[n - n_e :] if n_p else x
        return pd.Series(scores, index=index, name="pagerank")

    with progress_bars(progress) as report:
        return g.cached(("pagerank", alpha, tol, max_iter), compute)


def top_entities(
    g,
    *,
    by: str = "papers",
    n: int = 10,
    types=None,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """The ``n`` top entities of each type, by number of papers or by PageRank.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    by : {"papers", "pagerank"}
        What to rank by (ties: the other measure, then the label).
    n : int
        Entities per type.
    types : str or list of str, optional
        Entity types (default: all five).
    progress : callable or bool, optional
        Passed to :func:`pagerank` (``True``: a progress bar).

    Returns
    -------
    pandas.DataFrame
        Columns ``type``, ``rank`` (1 = top), ``label``, ``papers``, ``pagerank``,
        ``proposed`` (papers proposing it) and ``entity`` (IRI).

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> top_entities(demo_graph(), by="pagerank", n=1, types=["Dataset", "Hardware"])[["type", "label"]].values.tolist()
    [['Dataset', 'WikiText-2'], ['Hardware', 'NVIDIA Jetson Orin NX']]
    """
    g = as_graph(g)
    if by not in ("papers", "pagerank"):
        raise ConfigError(f"unknown ranking {by!r}", fix="rank by 'papers' or 'pagerank'")
    wanted = check_types(types)
    ents = g.entities.copy()
    ents["pagerank"] = pagerank(g, progress=progress).to_numpy()
    second = "pagerank" if by == "papers" else "papers"
    frames = []
    for etype in wanted:
        sub = ents[ents["type"] == etype].sort_values(
            [by, second, "label"], ascending=[False, False, True], kind="stable"
        )
        sub = sub.head(n).copy()
        sub["rank"] = np.arange(1, len(sub) + 1)
        frames.append(sub)
    cols = ["type", "rank", "label", "papers", "pagerank", "proposed", "entity"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames)[cols].reset_index(drop=True)
