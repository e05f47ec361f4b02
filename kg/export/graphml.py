"""GraphML export of the paper-entity graph (for Gephi, Cytoscape, yEd, networkx).

Node attributes: ``kind`` (Paper, Method, ...), ``label``, ``aliases``,
``papers`` (paper count); edge attributes: ``role`` and ``confidence``.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

__all__ = ["graphml_ready", "write_graphml"]


def graphml_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy ``G`` with GraphML-safe attribute values (str, int, float, bool; no None or lists)."""
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in attrs.items() if isinstance(v, (str, int, float, bool))})
    for u, v, key, attrs in G.edges(keys=True, data=True):
        clean = {k: val for k, val in attrs.items() if isinstance(val, (str, int, float, bool))}
        H.add_edge(u, v, key=key, role=str(key), **clean)
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML; returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    nx.write_graphml(graphml_ready(G), tmp)
    tmp.replace(out)
    return out
