"""Similar papers and similar entities: TF-IDF over abstracts and evidence sentences.

A paper's text is its title and abstract; an entity's text is every distinct
sentence that mentions it (the evidence). Vectors are L2-normalised sparse
TF-IDF (scikit-learn), so a query costs one sparse product, never a dense
document x document matrix. Reading every evidence sentence from a large
store takes a while (once; it is cached); ``source="abstracts"`` instead
describes an entity by the abstracts of its papers (the sum of their
vectors), which needs nothing beyond the papers.

Examples
--------
>>> from kg.analysis import demo_graph
>>> g = demo_graph()
>>> similar_papers(g, "d5", n=1).id.tolist()
['d6']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.analysis._common import ProgressArg, as_graph, no_progress, progress_bars, top_k
from kg.errors import ConfigError

__all__ = ["entity_texts", "entity_vectors", "paper_vectors", "similar_entities", "similar_papers"]


def _vectorizer(n_docs: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        min_df=1 if n_docs < 200 else 2,
        max_df=1.0 if n_docs < 20 else 0.5,
        max_features=100_000,
        token_pattern=r"(?u)\b\w[\w\-]*\w\b",
        dtype=np.float32,
    )


def paper_vectors(g, *, progress: ProgressArg = no_progress):
    """TF-IDF of each paper's title and abstract: ``(matrix, terms)``, rows as ``g.papers``.

    >>> from kg.analysis import demo_graph
    >>> X, terms = paper_vectors(demo_graph())
    >>> X.shape[0], "lora" in terms
    (9, True)
    """
    g = as_graph(g)

    def compute():
        papers = g.papers
        docs = (papers["title"].fillna("") + "\n" + papers["abstract"].fillna("")).tolist()
        report("paper vectors", 0, 1)
        vec = _vectorizer(len(docs))
        try:
            X = vec.fit_transform(docs).tocsr()
            terms = vec.get_feature_names_out()
        except ValueError:  # no document has a usable word
            import scipy.sparse as sp

            X, terms = sp.csr_matrix((len(docs), 0), dtype=np.float32), np.array([], dtype=object)
        report("paper vectors", 1, 1)
        return X, terms

    with progress_bars(progress) as report:
        return g.cached("paper_vectors", compute)


def entity_texts(g) -> pd.Series:
    """Each entity's text: its label and every distinct evidence sentence, indexed by IRI.

    >>> from kg.analysis import demo_graph
    >>> g = demo_graph()
    >>> "53.9 mAP" in entity_texts(g)[g.entity("COCO")]
    True
    """
    g = as_graph(g)

    def compute() -> pd.Series:
        ents = g.entities
        evidence = g.cached(
            "entity_evidence",
            lambda: pd.concat(
                [
                    g.query(f"SELECT DISTINCT ?entity ?evidence WHERE {{ ?x {p} ?entity ; rkg:evidence ?evidence }}")
                    for p in ("rkg:mentionOf", "rkg:linkedEntity")
                ]
            ),
        )
        sentences = pd.concat(
            [
                evidence,
                g.results[["metric", "evidence"]].rename(columns={"metric": "entity"}),
                g.results[["dataset", "evidence"]].rename(columns={"dataset": "entity"}),
            ]
        ).dropna()
        sentences = sentences.drop_duplicates().sort_values(["entity", "evidence"])
        joined = sentences.groupby("entity")["evidence"].agg(" ".join)
        text = ents["label"] + ". " + ents["entity"].map(joined).fillna("")
        return pd.Series(text.to_numpy(), index=ents["entity"].to_numpy(), name="text")

    return g.cached("entity_texts", compute)


def entity_vectors(g, *, source: str = "evidence", progress: ProgressArg = no_progress):
    """TF-IDF of each entity: ``(matrix, terms)``, rows as ``g.entities``.

    ``source="evidence"`` vectorises :func:`entity_texts`; ``source="abstracts"``
    sums (then normalises) the vectors of the papers linking the entity.

    >>> from kg.analysis import demo_graph
    >>> X, terms = entity_vectors(demo_graph(), source="abstracts")
    >>> X.shape
    (24, 76)
    """
    g = as_graph(g)
    if source not in ("evidence", "abstracts"):
        raise ConfigError(f"unknown text source {source!r}", fix="use 'evidence' or 'abstracts'")

    def from_abstracts():
        from sklearn.preprocessing import normalize

        from kg.analysis._common import incidence

        P, terms = paper_vectors(g, progress=report)
        return normalize((incidence(g).T @ P).tocsr()).astype(np.float32), terms

    def compute():
        docs = entity_texts(g).tolist()
        report("entity vectors", 0, 1)
        vec = _vectorizer(len(docs))
        try:
            X = vec.fit_transform(docs).tocsr()
            terms = vec.get_feature_names_out()
        except ValueError:
            import scipy.sparse as sp

            X, terms = sp.csr_matrix((len(docs), 0), dtype=np.float32), np.array([], dtype=object)
        report("entity vectors", 1, 1)
        return X, terms

    with progress_bars(progress) as report:
        if source == "abstracts":
            return g.cached("entity_vectors_abstracts", from_abstracts)
        return g.cached("entity_vectors", compute)


def _nearest(X, i: int, n: int, candidates: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows most similar (cosine) to row ``i``, without ``i``: (positions, scores)."""
    scores = np.asarray((X @ X[i].T).todense()).ravel().astype(np.float64)
    scores[i] = -np.inf
    if candidates is not None:
        mask = np.full(len(scores), -np.inf)
        mask[candidates] = 0.0
        scores = scores + mask
    idx = top_k(scores, n)
    idx = idx[np.isfinite(scores[idx]) & (scores[idx] > 0)]
    return idx, scores[idx]


def similar_papers(g, paper: str, *, n: int = 5, progress: ProgressArg = no_progress) -> pd.DataFrame:
    """The ``n`` papers whose title and abstract are closest to ``paper``'s (TF-IDF cosine).

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    paper : str
        The paper: its id, IRI, DOI, arXiv id or title.
    n : int
        How many papers.
    progress : callable or bool, optional
        Reports the vectorising, the first time; ``True`` draws a progress bar (tqdm).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``title``, ``year``, ``score`` (cosine, 0-1) and ``paper`` (IRI),
        most similar first; papers sharing no word are left out.

    Raises
    ------
    ConfigError
        If there is no such paper.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> similar_papers(demo_graph(), "QLoRA: Quantized Low-Rank Adapters", n=2).id.tolist()
    ['d9', 'd3']
    """
    g = as_graph(g)
    iri = g.paper(paper)
    X, _ = paper_vectors(g, progress=progress)
    papers = g.papers
    i = int(np.flatnonzero(papers["paper"].to_numpy() == iri)[0])
    idx, scores = _nearest(X, i, n)
    out = papers.iloc[idx][["id", "title", "year", "paper"]].copy()
    out.insert(3, "score", np.round(scores, 4))
    return out.reset_index(drop=True)


def similar_entities(
    g,
    entity: str,
    *,
    n: int = 5,
    same_type: bool = True,
    source: str = "evidence",
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """The ``n`` entities whose evidence sentences read most like ``entity``'s (TF-IDF cosine).

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    entity : str
        Its IRI, label or an alias.
    n : int
        How many entities.
    same_type : bool
        Only entities of the same type (a method's neighbours are methods).
    source : {"evidence", "abstracts"}
        Describe entities by their evidence sentences, or (faster on large
        stores) by the abstracts of their papers; see :func:`entity_vectors`.
    progress : callable or bool, optional
        Reports the vectorising, the first time; ``True`` draws a progress bar (tqdm).

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``type``, ``papers``, ``score`` and ``entity`` (IRI), most similar first.

    Raises
    ------
    ConfigError
        If there is no such entity.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> similar_entities(demo_graph(), "WikiText-2", n=1).label.tolist()
    ['C4']
    """
    g = as_graph(g)
    iri = g.entity(entity)
    X, _ = entity_vectors(g, source=source, progress=progress)
    ents = g.entities
    i = int(np.flatnonzero(ents["entity"].to_numpy() == iri)[0])
    candidates = np.flatnonzero(ents["type"].to_numpy() == ents["type"].iloc[i]) if same_type else None
    idx, scores = _nearest(X, i, n, candidates)
    out = ents.iloc[idx][["label", "type", "papers", "entity"]].copy()
    out.insert(3, "score", np.round(scores, 4))
    return out.reset_index(drop=True)
