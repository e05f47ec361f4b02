"""Groups of entities that appear together: Louvain communities of the co-occurrence graph.

The graph joins two entities with a weight of the number of papers linking
both (plus one for a relation statement between them). Louvain
(:func:`networkx.community.louvain_communities`, fixed seed) runs on the
entities in at least ``min_papers`` papers; the rarer ones then join the
community they share most papers with. Each community is labelled by its most
central members: those with the largest co-occurrence weight inside it. On
very large graphs Louvain sees only the ``max_edges`` heaviest edges (pairs
sharing one paper are the first to go), which bounds its time; every entity
still gets a community.

Examples
--------
>>> from kg.analysis import demo_graph
>>> c = communities(demo_graph())
>>> "object detection" in c.loc[c.label.str.contains("YOLOv8"), "members"].iloc[0]
True
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kg.analysis._common import (
    Progress,
    ProgressArg,
    as_graph,
    entity_adjacency,
    incidence,
    no_progress,
    progress_bars,
)

__all__ = ["communities", "entity_communities"]


def entity_communities(
    g,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    min_papers: int = 2,
    min_size: int = 2,
    max_edges: int = 250_000,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """The community of every entity, with its centrality inside it.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    seed : int
        Seed of Louvain (the same seed gives the same communities).
    resolution : float
        Louvain resolution: above 1 gives more, smaller communities.
    min_papers : int
        Entities in fewer papers do not take part in Louvain; each joins
        afterwards the community it co-occurs with most.
    min_size : int
        Communities with fewer members get community ``-1`` (none).
    max_edges : int
        Louvain runs on at most this many edges, the heaviest.
    progress : callable or bool, optional
        ``progress("communities", step, 3)``; ``True`` draws a progress bar (tqdm).

    Returns
    -------
    pandas.DataFrame
        Columns ``entity``, ``label``, ``type``, ``papers``, ``community``
        (0 is the largest; -1 none) and ``centrality`` (co-occurrence weight
        inside its community); ordered by community, then centrality.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> ec = entity_communities(demo_graph())
    >>> community = ec.set_index("label").community
    >>> bool(community["YOLOv8"] == community["COCO"] != community["LoRA"])
    True
    """
    g = as_graph(g)
    key = ("entity_communities", seed, resolution, min_papers, min_size, max_edges)
    with progress_bars(progress) as report:
        return g.cached(key, lambda: _entity_communities(g, seed, resolution, min_papers, min_size, max_edges, report))


def _entity_communities(g, seed, resolution, min_papers, min_size, max_edges, progress: Progress) -> pd.DataFrame:
    import networkx as nx

    ents = g.entities
    n = len(ents)
    A = entity_adjacency(g).tocsr()
    papers = ents["papers"].to_numpy()
    core = np.flatnonzero((papers >= min_papers) & (np.asarray((A > 0).sum(axis=1)).ravel() > 0))
    progress("communities", 0, 3)
    sub = A[core][:, core].tocoo()
    G = nx.Graph()
    G.add_nodes_from(range(len(core)))
    keep = np.flatnonzero(sub.row < sub.col)
    if keep.size > max_edges:  # the heaviest edges only (ties: first in order), to bound Louvain's time
        keep = keep[np.lexsort((keep, -sub.data[keep]))[:max_edges]]
        keep.sort()
    G.add_weighted_edges_from(zip(sub.row[keep].tolist(), sub.col[keep].tolist(), sub.data[keep].tolist()))
    found = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed) if core.size else []
    progress("communities", 1, 3)
    membership = np.full(n, -1, dtype=np.int64)
    for i, members in enumerate(found):
        membership[core[sorted(members)]] = i
    # the rarer entities join the community they share most weight with (one pass, sparse)
    rest = np.flatnonzero(membership < 0)
    k = len(found)
    if rest.size and k:
        assigned = membership >= 0
        M = sp.csr_matrix(
            (np.ones(int(assigned.sum())), (np.flatnonzero(assigned), membership[assigned])), shape=(n, k)
        )
        W = (A[rest] @ M).toarray() if k * rest.size <= 50_000_000 else None
        if W is not None:
            best = W.argmax(axis=1)
            has = W[np.arange(len(rest)), best] > 0
            membership[rest[has]] = best[has]
        else:  # very many communities and entities: row by row, still sparse
            AM = (A[rest] @ M).tocsr()
            for j in range(len(rest)):
                lo, hi = AM.indptr[j], AM.indptr[j + 1]
                if hi > lo:
                    membership[rest[j]] = AM.indices[lo + int(np.argmax(AM.data[lo:hi]))]
    progress("communities", 2, 3)
    # centrality inside the community: co-occurrence weight to fellow members
    coo = A.tocoo()
    same = (membership[coo.row] == membership[coo.col]) & (membership[coo.row] >= 0)
    centrality = np.bincount(coo.row[same], weights=coo.data[same], minlength=n)
    sizes = Counter(membership[membership >= 0].tolist())
    small = {c for c, s in sizes.items() if s < min_size}
    membership = np.where(np.isin(membership, list(small)), -1, membership)
    # renumber: largest first, ties by the label of the most central member
    df = pd.DataFrame(
        {
            "entity": ents["entity"].to_numpy(),
            "label": ents["label"].to_numpy(),
            "type": ents["type"].to_numpy(),
            "papers": papers,
            "community": membership,
            "centrality": centrality,
        }
    )
    df = df.sort_values(["community", "centrality", "papers", "label"], ascending=[True, False, False, True])
    groups = df[df["community"] >= 0].groupby("community", sort=False)
    order = sorted(groups, key=lambda item: (-len(item[1]), item[1]["label"].iloc[0]))
    renumber = {old: new for new, (old, _) in enumerate(order)}
    renumber[-1] = -1
    df["community"] = df["community"].map(renumber).astype(int)
    df = df.assign(_none=df["community"] < 0).sort_values(
        ["_none", "community", "centrality", "papers", "label"], ascending=[True, True, False, False, True]
    )
    progress("communities", 3, 3)
    return df.drop(columns="_none").reset_index(drop=True)


def communities(
    g,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    min_papers: int = 2,
    min_size: int = 2,
    max_edges: int = 250_000,
    top_members: int = 3,
    progress: ProgressArg = no_progress,
) -> pd.DataFrame:
    """One row per community of entities, labelled by its most central members.

    Parameters
    ----------
    g : KnowledgeGraph or path
        The graph.
    seed, resolution, min_papers, min_size, max_edges, progress
        As :func:`entity_communities`.
    top_members : int
        How many central members make the label.

    Returns
    -------
    pandas.DataFrame
        Columns ``community``, ``label`` (top members joined by `` / ``),
        ``size``, ``papers`` (distinct papers linking any member), ``types``
        (members per type, as a dict), ``members`` (labels, most central first)
        and ``entities`` (their IRIs); largest community first.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> communities(demo_graph())[["community", "size", "label"]].values.tolist()[0]
    [0, 11, 'language modeling / perplexity / LoRA']
    """
    g = as_graph(g)
    ec = entity_communities(
        g, seed=seed, resolution=resolution, min_papers=min_papers, min_size=min_size, max_edges=max_edges,
        progress=progress,
    )  # fmt: skip
    inside = ec[ec["community"] >= 0]  # ordered by community: each community's members are one run of rows
    community = inside["community"].to_numpy()
    new_run = np.r_[True, community[1:] != community[:-1]] if len(inside) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:], len(inside)]
    run = np.cumsum(new_run) - 1  # each member's community, numbered 0, 1, ... in table order
    # distinct papers per community in one sparse product (papers x communities), not a pass per community
    member = pd.Index(g.entities["entity"]).get_indexer(inside["entity"])
    M = sp.csr_matrix((np.ones(len(inside)), (member, run)), shape=(len(g.entities), len(starts)))
    n_papers = np.asarray(((incidence(g) @ M) > 0).sum(axis=0)).ravel()
    labels = inside["label"].to_numpy(dtype=object)
    types = inside["type"].to_numpy(dtype=object)
    iris = inside["entity"].to_numpy(dtype=object)
    rows = []
    for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        members = labels[a:b].tolist()
        rows.append(
            {
                "community": int(community[a]),
                "label": " / ".join(members[:top_members]),
                "size": b - a,
                "papers": int(n_papers[i]),
                "types": dict(Counter(types[a:b].tolist()).most_common()),  # most members first, ties by rank
                "members": members,
                "entities": iris[a:b].tolist(),
            }
        )
    cols = ["community", "label", "size", "papers", "types", "members", "entities"]
    return pd.DataFrame(rows, columns=cols)
