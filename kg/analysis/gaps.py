"""What has not been tried yet: likely but missing method/dataset and method/task links.

Two entities are *linked* when some paper links both or a relation statement
joins them. For every pair of a source type (methods) and a target type
(datasets, tasks) that is not linked, the Adamic-Adar index on the entity
co-occurrence graph scores how likely the link is: the sum, over the
entities both co-occur with, of ``1 / log(degree)``, so a shared rare
neighbour counts more than a shared hub such as "accuracy". The shared
neighbours are the reason given for each gap.

Plain Adamic-Adar favours hubs: a generic entity ("large language model")
shares many neighbours with everything. Gaps are therefore ranked by default
by the *normalised* score, Adamic-Adar divided by the geometric mean of the
two entities' total neighbour weight (a weighted cosine of their
neighbourhoods, from 0 to 1), which surfaces specific pairs whose contexts
overlap strongly; ``rank_by="adamic_adar"`` ranks by the raw index. Both
scores are returned.

The scores are computed in blocks of source rows with sparse products
(``A[sources] @ diag(1/log deg) @ A[:, targets]``), keeping only the best
pairs, so memory stays bounded on graphs of 100k+ entities.

Examples
--------
>>> from kg.analysis import demo_graph
>>> gaps = link_gaps(demo_graph(), "Method", "Dataset", n=1)
>>> gaps[["source", "target"]].values.tolist()
[['Transformer', 'XSum']]
>>> gaps.shared[0]
['CNN/DailyMail', 'ROUGE', 'summarization', 'NVIDIA A100', 'LoRA']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kg.analysis._common import (
    ProgressArg,
    as_graph,
    check_types,
    entity_adjacency,
    no_progress,
    progress_bars,
    type_indices,
)
from kg.errors import ConfigError

__all__ = ["DEFAULT_GAP_PAIRS", "gaps", "link_gaps"]

#: The pairs of types :func:`gaps` looks at.
DEFAULT_GAP_PAIRS: tuple[tuple[str, str], ...] = (("Method", "Dataset"), ("Method", "Task"))


#: Source rows x targets scored at once, at most (about 16 bytes each in the sparse product, when dense).
BLOCK_CELLS = 4_000_000


def _weights(A: sp.csr_matrix) -> np.ndarray:
    """``1 / log(degree)`` per entity (0 for degree < 2: such a node cannot be a shared neighbour)."""
    degree = np.asarray((A > 0).sum(axis=1)).ravel().astype(float)
    out = np.zeros_like(degree)
    ok = degree >= 2
    out[ok] = 1.0 / np.log(degree[ok])
    return out


def link_gaps(
    g,
    source: str = "Method",
    target: str = "Dataset",
    *,
    n: int = 20,
    rank_by: str = "normalized",
    min_papers: int = 2,
    min_shared: int = 2,
    max_shared: int = 5,
    block: int = 2048,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """The ``n`` most likely missing links between entities of two types (Adamic-Adar).

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    source, target : str
        Entity types of the pair (e.g. "Method" and "Dataset").
    n : int
        How many pairs.
    rank_by : {"normalized", "adamic_adar"}
        Rank by the normalised score (default; avoids hubs) or by raw Adamic-Adar.
    min_papers : int
        Only entities in at least this many papers are candidates (all
        entities count as shared neighbours).
    min_shared : int
        Only pairs with at least this many shared neighbours.
    max_shared : int
        Shared neighbours listed per pair (the rarest, i.e. most telling, first).
    block : int
        At most this many source rows scored at a time; fewer when there are many targets, so that a
        block's scores stay near :data:`BLOCK_CELLS` cells (bounds memory on large graphs).
    progress : callable or bool, optional
        ``progress("gaps", rows done, rows)``; ``True`` draws a progress bar (tqdm).

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target`` (labels), ``score`` (Adamic-Adar),
        ``normalized`` (0-1), ``n_shared`` (shared neighbours), ``shared``
        (their labels, list), ``source_papers``, ``target_papers``,
        ``source_entity`` and ``target_entity`` (IRIs); best first, ties by labels.

    Raises
    ------
    ConfigError
        If a type or ``rank_by`` is unknown.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> link_gaps(demo_graph(), "Method", "Task", n=1)[["source", "target", "n_shared"]].values.tolist()
    [['GPTQ', 'summarization', 4]]
    """
    g = as_graph(g)
    check_types([source, target])
    if rank_by not in ("normalized", "adamic_adar"):
        raise ConfigError(f"unknown ranking {rank_by!r}", fix="rank by 'normalized' or 'adamic_adar'")
    A = entity_adjacency(g).tocsr().copy()
    A.data[:] = 1.0
    weight = _weights(A)
    total = A @ weight  # each entity's total neighbour weight
    src = type_indices(g, source, min_papers=min_papers)
    tgt = type_indices(g, target, min_papers=min_papers)
    ents = g.entities
    labels = ents["label"].to_numpy()
    cols = [
        "source", "target", "score", "normalized", "n_shared", "shared",
        "source_papers", "target_papers", "source_entity", "target_entity",
    ]  # fmt: skip
    if src.size == 0 or tgt.size == 0 or n <= 0:
        return pd.DataFrame(columns=cols)
    to_targets = A[:, tgt].tocsc()  # entities x targets, binary: links and shared-neighbour counts
    right = (sp.diags(weight) @ to_targets).tocsc()
    linked_rows = to_targets.tocsr()
    block = max(1, min(block, max(16, BLOCK_CELLS // max(1, tgt.size))))
    pool: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    with progress_bars(progress) as report:
        for start in range(0, src.size, block):
            rows = src[start : start + block]
            left = A[rows]
            S = (left @ right).tocoo()  # Adamic-Adar, rows x targets
            if S.nnz:
                counts = np.asarray((left @ to_targets)[S.row, S.col]).ravel()
                is_linked = np.asarray(linked_rows[rows[S.row], S.col]).ravel() > 0
                s_idx, t_idx = rows[S.row], tgt[S.col]
                keep = ~is_linked & (s_idx != t_idx) & (S.data > 0) & (counts >= min_shared)
                s_idx, t_idx, aa = s_idx[keep], t_idx[keep], S.data[keep]
                norm = aa / np.sqrt(total[s_idx] * total[t_idx])
                if pool is not None:
                    s_idx, t_idx = np.concatenate([pool[0], s_idx]), np.concatenate([pool[1], t_idx])
                    aa, norm = np.concatenate([pool[2], aa]), np.concatenate([pool[3], norm])
                key = norm if rank_by == "normalized" else aa
                if key.size > 4 * n:  # keep the candidate pool small (ties at the cut included)
                    cut = np.partition(key, key.size - 4 * n)[key.size - 4 * n]
                    sel = key >= cut
                    s_idx, t_idx, aa, norm = s_idx[sel], t_idx[sel], aa[sel], norm[sel]
                pool = (s_idx, t_idx, aa, norm)
            report("gaps", min(start + block, src.size), src.size)
    if pool is None or pool[0].size == 0:
        return pd.DataFrame(columns=cols)
    s_all, t_all, aa_all, norm_all = pool
    key = np.round(norm_all if rank_by == "normalized" else aa_all, 9)
    order = np.lexsort((labels[t_all], labels[s_all], -key))[:n]
    papers = ents["papers"].to_numpy()
    iris = ents["entity"].to_numpy()
    out = []
    for i in order:
        s, t = int(s_all[i]), int(t_all[i])
        shared = np.intersect1d(A[s].indices, A[t].indices)
        shared = shared[np.lexsort((labels[shared], -weight[shared]))]
        out.append(
            {
                "source": labels[s],
                "target": labels[t],
                "score": round(float(aa_all[i]), 4),
                "normalized": round(float(norm_all[i]), 4),
                "n_shared": int(shared.size),
                "shared": labels[shared[:max_shared]].tolist(),
                "source_papers": int(papers[s]),
                "target_papers": int(papers[t]),
                "source_entity": iris[s],
                "target_entity": iris[t],
            }
        )
    return pd.DataFrame(out, columns=cols)


def gaps(
    g,
    pairs: tuple[tuple[str, str], ...] = DEFAULT_GAP_PAIRS,
    *,
    n: int = 20,
    rank_by: str = "normalized",
    min_papers: int = 2,
    min_shared: int = 2,
    max_shared: int = 5,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """The most likely missing links for several pairs of types, in one table.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    pairs : tuple of (str, str)
        Source and target types (default: method/dataset and method/task).
    n, rank_by, min_papers, min_shared, max_shared, progress
        As :func:`link_gaps` (``n`` per pair).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`link_gaps` after ``kind`` ("Method-Dataset", ...).

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> gaps(demo_graph(), n=1)[["kind", "source", "target"]].values.tolist()
    [['Method-Dataset', 'Transformer', 'XSum'], ['Method-Task', 'GPTQ', 'summarization']]
    """
    g = as_graph(g)
    frames = []
    for source, target in pairs:
        df = link_gaps(
            g, source, target, n=n, rank_by=rank_by, min_papers=min_papers, min_shared=min_shared,
            max_shared=max_shared, progress=progress,
        )  # fmt: skip
        df.insert(0, "kind", f"{source}-{target}")
        frames.append(df)
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)
