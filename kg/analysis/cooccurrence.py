"""Which entities appear together: method x dataset, method x hardware, task x metric tables.

Two entities co-occur in a paper when the paper links to both (in any role).
Counts are distinct papers, as in the saved query ``method-datasets``.

Examples
--------
>>> from kg.analysis import demo_graph
>>> table = method_dataset(demo_graph())
>>> int(table.loc["LoRA", "WikiText-2"]), int(table.loc["YOLOv8", "COCO"])
(2, 2)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.analysis._common import as_graph, check_types, incidence, top_k, type_indices, unique_labels

__all__ = ["cooccurrence", "cooccurrence_pairs", "method_dataset", "method_hardware", "task_metric"]


def _blocks(g, rows: str, columns: str, min_papers: int):
    check_types([rows, columns])
    X = incidence(g).tocsc()
    r = type_indices(g, rows, min_papers=min_papers)
    c = type_indices(g, columns, min_papers=min_papers)
    Xr, Xc = X[:, r], X[:, c]
    counts = (Xr.T @ Xc).tocsr()  # rows x columns, distinct papers
    if rows == columns:
        counts.setdiag(0)
        counts.eliminate_zeros()
    return r, c, Xr, Xc, counts


def cooccurrence(
    g,
    rows: str = "Method",
    columns: str = "Dataset",
    *,
    top: int | None = 20,
    min_papers: int = 1,
) -> pd.DataFrame:
    """A rows x columns table of how many papers link both entities.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    rows, columns : str
        Entity types of the rows and columns.
    top : int or None
        Keep the ``top`` rows and columns that co-occur in most papers
        (``None``: all entities that co-occur at least once).
    min_papers : int
        Leave out entities in fewer papers.

    Returns
    -------
    pandas.DataFrame
        Integer counts; index and columns are entity labels (numbered if two
        entities share one). Columns are the entities that co-occur with some
        row entity in most papers; rows those that co-occur with these columns
        in most papers, so no row is empty. ``df.attrs["entities"]`` maps each
        label to its IRI.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> cooccurrence(demo_graph(), "Task", "Metric").loc["language modeling"].to_dict()
    {'perplexity': 4, 'ROUGE': 0, 'mean average precision': 0, 'latency': 0}
    """
    g = as_graph(g)
    r, c, Xr, Xc, counts = _blocks(g, rows, columns, min_papers)
    # columns: those that co-occur with any row entity in most papers; rows: most papers with those columns
    has_r = (np.asarray(Xr.sum(axis=1)).ravel() > 0).astype(np.float64)
    col_score = Xc.T @ has_r
    k_c = int((col_score > 0).sum()) if top is None else min(top, int((col_score > 0).sum()))
    ci = top_k(col_score, k_c)
    has_c = (np.asarray(Xc[:, ci].sum(axis=1)).ravel() > 0).astype(np.float64)
    row_score = Xr.T @ has_c
    k_r = int((row_score > 0).sum()) if top is None else min(top, int((row_score > 0).sum()))
    ri = top_k(row_score, k_r)
    dense = counts[ri][:, ci].toarray().astype(int)
    labels = g.entities["label"].to_numpy()
    iris = g.entities["entity"].to_numpy()
    row_labels = unique_labels(labels[r[ri]])
    col_labels = unique_labels(labels[c[ci]])
    df = pd.DataFrame(dense, index=pd.Index(row_labels, name=rows), columns=pd.Index(col_labels, name=columns))
    df.attrs["entities"] = dict(zip(row_labels + col_labels, list(iris[r[ri]]) + list(iris[c[ci]])))
    return df


def cooccurrence_pairs(
    g, rows: str = "Method", columns: str = "Dataset", *, n: int | None = 50, min_papers: int = 1
) -> pd.DataFrame:
    """The pairs of entities of two types that co-occur in most papers, as a long table.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    rows, columns : str
        Entity types of the pair.
    n : int or None
        Pairs to return (``None``: all).
    min_papers : int
        Leave out entities in fewer papers.

    Returns
    -------
    pandas.DataFrame
        Columns ``<rows>`` and ``<columns>`` (labels), ``papers``, and the IRIs
        ``<rows>_entity`` and ``<columns>_entity``; most papers first, then by labels.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> cooccurrence_pairs(demo_graph(), "Method", "Hardware", n=2).iloc[:, :3].values.tolist()
    [['LoRA', 'NVIDIA H100', 3], ['LoRA', 'NVIDIA A100', 2]]
    """
    g = as_graph(g)
    r, c, _, _, counts = _blocks(g, rows, columns, min_papers)
    coo = counts.tocoo()
    if rows == columns:
        keep = coo.row < coo.col
        coo_row, coo_col, coo_data = coo.row[keep], coo.col[keep], coo.data[keep]
    else:
        coo_row, coo_col, coo_data = coo.row, coo.col, coo.data
    labels = g.entities["label"].to_numpy()
    iris = g.entities["entity"].to_numpy()
    a, b = (rows, columns) if rows != columns else (f"{rows} A", f"{columns} B")
    df = pd.DataFrame(
        {
            a: labels[r[coo_row]],
            b: labels[c[coo_col]],
            "papers": coo_data.astype(int),
            f"{a}_entity": iris[r[coo_row]],
            f"{b}_entity": iris[c[coo_col]],
        }
    )
    df = df.sort_values(["papers", a, b], ascending=[False, True, True], kind="stable")
    return (df if n is None else df.head(n)).reset_index(drop=True)


def method_dataset(g, *, top: int | None = 20, min_papers: int = 1) -> pd.DataFrame:
    """Method x dataset co-occurrence table (see :func:`cooccurrence`).

    >>> from kg.analysis import demo_graph
    >>> method_dataset(demo_graph()).shape
    (7, 6)
    """
    return cooccurrence(g, "Method", "Dataset", top=top, min_papers=min_papers)


def method_hardware(g, *, top: int | None = 20, min_papers: int = 1) -> pd.DataFrame:
    """Method x hardware co-occurrence table (see :func:`cooccurrence`).

    >>> from kg.analysis import demo_graph
    >>> int(method_hardware(demo_graph()).loc["YOLOv8", "NVIDIA Jetson Orin NX"])
    2
    """
    return cooccurrence(g, "Method", "Hardware", top=top, min_papers=min_papers)


def task_metric(g, *, top: int | None = 20, min_papers: int = 1) -> pd.DataFrame:
    """Task x metric co-occurrence table (see :func:`cooccurrence`).

    >>> from kg.analysis import demo_graph
    >>> int(task_metric(demo_graph()).loc["summarization", "ROUGE"])
    3
    """
    return cooccurrence(g, "Task", "Metric", top=top, min_papers=min_papers)
