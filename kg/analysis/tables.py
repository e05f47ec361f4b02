"""Tables a reader asks for first: an overview, proposed methods with their papers, reported results.

Examples
--------
>>> from kg.analysis import demo_graph
>>> overview(demo_graph())["papers"]
9
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.analysis._common import ENTITY_TYPES, as_graph

__all__ = ["method_proposals", "overview", "proposed_methods", "top_results"]


def overview(g) -> dict:
    """Counts of the graph: papers, entities per type, links, mentions, results, relations, years.

    Returns
    -------
    dict
        Keys ``papers``, ``entities`` (dict by type), ``links``, ``mentions``,
        ``results``, ``relations``, ``proposed`` (papers proposing a method),
        ``dated_papers``, ``first_year`` and ``last_year`` (``None`` without dates).

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> o = overview(demo_graph())
    >>> o["entities"]["Method"], o["first_year"], o["last_year"], o["results"]
    (7, 2020, 2024, 6)
    """
    g = as_graph(g)
    years = g.papers["year"].dropna()
    counts = g.entities["type"].value_counts()
    edges = g.edges

    def count(pattern: str) -> int:
        return int(g.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")["n"].iloc[0])

    return {
        "papers": len(g.papers),
        "entities": {t: int(counts.get(t, 0)) for t in ENTITY_TYPES},
        "links": len(edges),
        "mentions": count("?p rkg:hasMention ?m"),
        "results": count("?p rkg:reportsResult ?r"),
        "relations": count("?p rkg:statesRelation ?s"),
        "proposed": int(edges.loc[edges["role"] == "proposes", "paper"].nunique()),
        "dated_papers": len(years),
        "first_year": int(years.min()) if len(years) else None,
        "last_year": int(years.max()) if len(years) else None,
    }


_PROPOSALS = """
SELECT ?paper ?entity ?evidence WHERE {
  ?link rkg:role rkg:proposes ;
        rkg:linkedEntity ?entity .
  ?paper rkg:hasLink ?link .
  OPTIONAL { ?link rkg:evidence ?evidence }
}"""


def proposed_methods(g, *, n: int | None = None) -> pd.DataFrame:
    """The methods papers propose, with the proposing paper and how widely each method is used.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    n : int, optional
        Keep the first ``n`` rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``papers`` (all papers linking the method), ``title``,
        ``id``, ``date``, ``year``, ``url``, ``evidence`` and the IRIs
        ``entity`` and ``paper``; the most used methods first, then by date.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> proposed_methods(demo_graph())[["method", "papers", "id"]].values.tolist()
    [['LoRA', 6, 'd1'], ['GPTQ', 2, 'd2'], ['QLoRA', 2, 'd4']]
    """
    g = as_graph(g)
    edges = g.edges
    prop = edges[edges["role"] == "proposes"][["paper", "entity"]]
    evidence = g.cached("proposal_evidence", lambda: g.query(_PROPOSALS).drop_duplicates(["paper", "entity"]))
    prop = prop.merge(evidence, on=["paper", "entity"], how="left")
    ents = g.entities.set_index("entity")
    papers = g.papers.set_index("paper")
    df = prop.assign(
        method=prop["entity"].map(ents["label"]),
        papers=prop["entity"].map(ents["papers"]).fillna(0).astype(int),
        title=prop["paper"].map(papers["title"]),
        id=prop["paper"].map(papers["id"]),
        date=prop["paper"].map(papers["date"]),
        year=prop["paper"].map(papers["year"]).astype("Int64"),
        url=prop["paper"].map(papers["url"]),
    )
    df = df.sort_values(["papers", "method", "date", "id"], ascending=[False, True, True, True], na_position="last")
    cols = ["method", "papers", "title", "id", "date", "year", "url", "evidence", "entity", "paper"]
    df = df[cols].reset_index(drop=True)
    return df if n is None else df.head(n)


def method_proposals(g, *, n: int | None = None, generic: int = 3) -> pd.DataFrame:
    """One row per proposed method, with the papers that propose it.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    n : int, optional
        Keep the first ``n`` methods.
    generic : int
        Methods that this many papers or more claim to propose come last: such
        a "method" is usually a general term ("large language model") that
        the extractor took for a new one.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``papers`` (all papers linking it), ``proposed_by``
        (papers proposing it), ``first_date``, ``titles``, ``ids``, ``dates``
        and ``urls`` (lists, earliest first), ``evidence`` (of the earliest
        proposal) and ``entity``; specific methods first, then by papers, then
        by name.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> method_proposals(demo_graph())[["method", "papers", "proposed_by", "ids"]].values.tolist()[0]
    ['LoRA', 6, 1, ['d1']]
    """
    rows = proposed_methods(g).sort_values(["date", "id"], na_position="last", kind="stable")
    cols = ["method", "papers", "proposed_by", "first_date", "titles", "ids", "dates", "urls", "evidence", "entity"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    # array operations, not a pandas operation per method: a large corpus proposes 10k+ methods
    rows = rows.assign(title=rows["title"].fillna(rows["id"]))
    codes, _ = pd.factorize(rows["entity"])  # methods in order of their first (earliest) proposal
    order = np.argsort(codes, kind="stable")  # each method's proposals together, earliest first
    starts = np.searchsorted(codes[order], np.arange(codes.max() + 1))
    first = rows.iloc[order[starts]].reset_index(drop=True)

    def lists(col: str) -> list[list]:
        return [part.tolist() for part in np.split(rows[col].to_numpy(dtype=object)[order], starts[1:])]

    df = first.assign(
        papers=first["papers"].astype(int),
        proposed_by=np.diff(np.append(starts, len(rows))),
        first_date=first["date"],
        titles=lists("title"),
        ids=lists("id"),
        dates=lists("date"),
        urls=lists("url"),
    )[cols]
    df = df.assign(_generic=df["proposed_by"] >= generic).sort_values(
        ["_generic", "papers", "method"], ascending=[True, False, True], kind="stable"
    )
    df = df.drop(columns="_generic").reset_index(drop=True)
    return df if n is None else df.head(n)


def top_results(g, *, n: int = 20, per_metric: int = 3) -> pd.DataFrame:
    """Reported numeric results, grouped by metric: the metrics with most results first.

    Within a metric the largest stated values come first (a value is what
    the abstract states: a score, or a gain or reduction when ``direction``
    says so); results without a metric or number are left out.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    n : int
        Rows in all.
    per_metric : int
        Rows per metric.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric``, ``value`` (as written), ``number``, ``unit``,
        ``direction``, ``dataset``, ``method``, ``compared_with``, ``title``,
        ``evidence``, ``confidence``, ``paper`` and ``result``.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> top_results(demo_graph(), per_metric=1)[["metric", "value", "dataset"]].values.tolist()[:2]
    [['ROUGE', '1.2', 'CNN/DailyMail'], ['perplexity', '12.3', 'WikiText-2']]
    """
    g = as_graph(g)
    res = g.results
    res = res[res["metric_label"].notna() & res["number"].notna()]
    freq = res.groupby("metric_label")["result"].transform("size")
    res = res.assign(_freq=freq).sort_values(
        ["_freq", "metric_label", "number", "confidence", "result"],
        ascending=[False, True, False, False, True],
        kind="stable",
    )
    res = res.groupby("metric_label", sort=False).head(per_metric).head(n)
    out = res.drop(columns=["metric", "dataset", "method"]).rename(
        columns={"metric_label": "metric", "dataset_label": "dataset", "method_label": "method"}
    )
    cols = [
        "metric", "value", "number", "unit", "direction", "dataset", "method",
        "compared_with", "title", "evidence", "confidence", "paper", "result",
    ]  # fmt: skip
    return out[cols].reset_index(drop=True)
