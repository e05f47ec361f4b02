"""GEXF export of the paper-entity graph (Gephi's own format), through networkx.

The graph is the one GraphML gets (:func:`kg.graph.projection.to_networkx`):
node attributes ``kind``, ``label``, ``aliases``, ``kb_key``, ``papers``;
edge attributes ``role`` and ``confidence``. Each node also carries a GEXF
``viz`` colour by kind (the viewer's colour-blind-safe palette) and a size
that grows with its paper count, so Gephi shows the types at once.

Examples
--------
>>> import tempfile, pathlib
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("m", kind="Method", label="LoRA", papers=3)
>>> G.add_node("p", kind="Paper", label="A paper", papers=1)
>>> G.add_edge("p", "m", key="uses", confidence=0.9)
'uses'
>>> path = write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
>>> H = nx.read_gexf(path)
>>> H.nodes["m"]["kind"], H.nodes["m"]["label"], [d["role"] for _, _, d in H.edges(data=True)]
('Method', 'LoRA', ['uses'])
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx

from kg.export.graphml import graphml_ready

__all__ = ["gexf_ready", "write_gexf"]

_DEFAULT_COLOUR = "#56B4E9"


def _rgb(colour: str) -> dict[str, int]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": 1.0}


def gexf_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy ``G`` with GEXF-safe attributes, a ``viz`` colour per kind and a size per paper count.

    Edges get an ``id`` (``source|role|target``), unique in the file, since
    GEXF has no edge keys.
    """
    from kg.viz.html import TYPE_STYLE

    H = graphml_ready(G)
    for _, attrs in H.nodes(data=True):
        colour = TYPE_STYLE.get(str(attrs.get("kind", "")), {}).get("color", _DEFAULT_COLOUR)
        papers = attrs.get("papers", 1)
        size = 5.0 + 5.0 * math.log1p(papers if isinstance(papers, (int, float)) else 1)
        attrs["viz"] = {"color": _rgb(colour), "size": round(size, 2)}
    for u, v, key, attrs in H.edges(keys=True, data=True):
        attrs["id"] = f"{u}|{key}|{v}"
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (networkx); returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    nx.write_gexf(gexf_ready(G), tmp, version="1.2draft")
    tmp.replace(out)
    return out
