"""What is rising and what is fading: entities per year, emerging and declining.

An entity's *share* in a year is the fraction of that year's papers (with a
known year) that link to it. Its trend is the slope of a least-squares line
through the yearly shares, weighted by the number of papers each year, in
percentage points per year. An entity is *emerging* when the slope is
positive and its share in the last ``recent`` years exceeds its share
before; *declining* in the opposite case. Papers without a year are left out;
with fewer than two years there are no trends.

Examples
--------
>>> from kg.analysis import demo_graph
>>> emerging(demo_graph(), n=1).label.tolist(), declining(demo_graph(), n=1).label.tolist()
(['NVIDIA H100'], ['NVIDIA A100'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.analysis._common import as_graph, check_types, incidence

__all__ = ["declining", "emerging", "entity_trends", "papers_per_year", "yearly_counts"]


def papers_per_year(g) -> pd.Series:
    """Papers per year (papers with a known year), indexed by year.

    >>> from kg.analysis import demo_graph
    >>> papers_per_year(demo_graph()).to_dict()
    {2020: 1, 2021: 1, 2022: 2, 2023: 2, 2024: 3}
    """
    g = as_graph(g)
    years = g.papers["year"].dropna().astype(int)
    return years.value_counts().sort_index().rename("papers").rename_axis("year")


def _year_matrix(g):
    """(entities x years counts as a dense array, years, papers per year); years with papers only."""

    def compute():
        years = g.papers["year"]
        known = np.flatnonzero(years.notna().to_numpy())
        if known.size == 0:
            return np.zeros((len(g.entities), 0)), np.array([], dtype=int), np.array([], dtype=int)
        year_values = years.iloc[known].astype(int).to_numpy()
        span = np.unique(year_values)
        col = np.searchsorted(span, year_values)
        import scipy.sparse as sp

        Y = sp.csr_matrix((np.ones(len(known)), (known, col)), shape=(len(years), len(span)))
        counts = np.asarray((incidence(g).T @ Y).todense())
        per_year = np.bincount(col, minlength=len(span))
        return counts, span, per_year

    return g.cached("year_matrix", compute)


def yearly_counts(g, *, types=None, top: int | None = 10, share: bool = False) -> pd.DataFrame:
    """Papers per year of the entities in most papers with a known year.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    types : str or list of str, optional
        Entity types (default: all).
    top : int or None
        Keep the ``top`` entities (``None``: all).
    share : bool
        Fractions of each year's papers instead of counts.

    Returns
    -------
    pandas.DataFrame
        Rows are entity labels, columns years (every year from the first to
        the last). ``df.attrs["entities"]`` holds the IRIs in row order.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> yearly_counts(demo_graph(), types="Method", top=1).loc["LoRA"].to_dict()
    {2020: 1, 2021: 0, 2022: 2, 2023: 0, 2024: 3}
    """
    g = as_graph(g)
    counts, span, per_year = _year_matrix(g)
    ents = g.entities
    mask = ents["type"].isin(check_types(types)).to_numpy()
    totals = counts.sum(axis=1) if counts.size else np.zeros(len(ents))
    idx = np.flatnonzero(mask & (totals > 0))
    idx = idx[np.lexsort((ents["label"].to_numpy()[idx], -totals[idx]))]
    if top is not None:
        idx = idx[:top]
    full = np.arange(span.min(), span.max() + 1) if len(span) else np.array([], dtype=int)
    values = np.zeros((len(idx), len(full)))
    where = np.searchsorted(full, span)
    values[:, where] = counts[idx] / np.maximum(per_year, 1) if share else counts[idx]
    from kg.analysis._common import unique_labels

    df = pd.DataFrame(
        values if share else values.astype(int),
        index=pd.Index(unique_labels(ents["label"].to_numpy()[idx]), name="entity"),
        columns=pd.Index(full.tolist(), name="year"),
    )
    df.attrs["entities"] = ents["entity"].to_numpy()[idx].tolist()
    return df


def entity_trends(g, *, types=None, min_papers: int = 2, recent: int = 2) -> pd.DataFrame:
    """The trend of every entity in at least ``min_papers`` dated papers.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    types : str or list of str, optional
        Entity types (default: all).
    min_papers : int
        Leave out entities in fewer papers with a known year.
    recent : int
        How many of the last years count as recent.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``type``, ``papers`` (dated papers), ``first_year``,
        ``last_year``, ``slope`` (share points per year), ``recent_share``,
        ``earlier_share``, ``trend`` ("emerging", "declining" or "steady") and
        ``entity``; largest slope first. Empty with fewer than two years.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> t = entity_trends(demo_graph()).set_index("label")
    >>> t.loc["NVIDIA H100", "trend"], t.loc["Transformer", "trend"], int(t.loc["Transformer", "last_year"])
    ('emerging', 'declining', 2022)
    """
    g = as_graph(g)
    counts, span, per_year = _year_matrix(g)
    cols = [
        "label", "type", "papers", "first_year", "last_year", "slope",
        "recent_share", "earlier_share", "trend", "entity",
    ]  # fmt: skip
    if len(span) < 2:
        return pd.DataFrame(columns=cols)
    ents = g.entities
    totals = counts.sum(axis=1)
    idx = np.flatnonzero(ents["type"].isin(check_types(types)).to_numpy() & (totals >= min_papers))
    C = counts[idx]
    share = C / per_year  # every year in span has papers
    w = per_year / per_year.sum()
    y = span.astype(float)
    y_mean = (w * y).sum()
    s_mean = share @ w
    var = (w * (y - y_mean) ** 2).sum()
    slope = ((share - s_mean[:, None]) * (w * (y - y_mean))).sum(axis=1) / var
    cut = span > span.max() - recent
    recent_share = C[:, cut].sum(axis=1) / per_year[cut].sum()
    earlier_share = C[:, ~cut].sum(axis=1) / max(per_year[~cut].sum(), 1) if (~cut).any() else np.zeros(len(idx))
    present = C > 0
    first = span[present.argmax(axis=1)]
    last = span[len(span) - 1 - present[:, ::-1].argmax(axis=1)]
    trend = np.where(
        (slope > 0) & (recent_share > earlier_share),
        "emerging",
        np.where((slope < 0) & (recent_share < earlier_share), "declining", "steady"),
    )
    df = pd.DataFrame(
        {
            "label": ents["label"].to_numpy()[idx],
            "type": ents["type"].to_numpy()[idx],
            "papers": totals[idx].astype(int),
            "first_year": first.astype(int),
            "last_year": last.astype(int),
            "slope": np.round(slope * 100, 3),
            "recent_share": np.round(recent_share, 4),
            "earlier_share": np.round(earlier_share, 4),
            "trend": trend,
            "entity": ents["entity"].to_numpy()[idx],
        }
    )
    df = df.sort_values(["slope", "papers", "label"], ascending=[False, False, True], kind="stable")
    return df[cols].reset_index(drop=True)


def emerging(g, *, n: int = 10, types=None, min_papers: int = 2, recent: int = 2) -> pd.DataFrame:
    """The ``n`` entities rising fastest (see :func:`entity_trends`).

    >>> from kg.analysis import demo_graph
    >>> emerging(demo_graph(), types="Method").label.tolist()
    ['YOLOv8']
    """
    t = entity_trends(g, types=types, min_papers=min_papers, recent=recent)
    return t[t["trend"] == "emerging"].head(n).reset_index(drop=True)


def declining(g, *, n: int = 10, types=None, min_papers: int = 2, recent: int = 2) -> pd.DataFrame:
    """The ``n`` entities fading fastest (see :func:`entity_trends`), steepest first.

    >>> from kg.analysis import demo_graph
    >>> declining(demo_graph(), types="Dataset").label.tolist()
    ['WikiText-2', 'CNN/DailyMail']
    """
    t = entity_trends(g, types=types, min_papers=min_papers, recent=recent)
    t = t[t["trend"] == "declining"].sort_values(["slope", "papers", "label"], ascending=[True, False, True])
    return t.head(n).reset_index(drop=True)
