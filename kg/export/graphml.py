"""GraphML export of the paper-entity graph (for Gephi, Cytoscape, yEd, networkx).

Node attributes: ``kind`` (Paper, Method, ...), ``label``, ``aliases``,
``papers`` (paper count); edge attributes: ``role`` and ``confidence``.

The file is written element by element: networkx's own writer builds the whole
XML tree in memory first, several times the size of the graph, which a graph of
tens of thousands of papers cannot afford. What is written reads back with
:func:`networkx.read_graphml` as the same graph.

Examples
--------
>>> import tempfile, pathlib
>>> G = nx.MultiDiGraph()
>>> G.add_node("p", kind="Paper", label="A <paper>", papers=1)
>>> G.add_node("m", kind="Method", label="LoRA", papers=1)
>>> _ = G.add_edge("p", "m", key="uses", confidence=0.9, evidence="We use LoRA.")
>>> path = write_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> H = nx.read_graphml(path, force_multigraph=True)
>>> H.nodes["p"]["label"], H.edges["p", "m", "uses"]["role"], H.edges["p", "m", "uses"]["confidence"]
('A <paper>', 'uses', 0.9)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import networkx as nx

__all__ = ["graphml_ready", "write_graphml"]

_CLEAN = (str, int, float, bool)
# GraphML attribute types, as networkx writes and reads them (bool before int: a bool is an int)
_TYPES = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))
# characters XML 1.0 cannot hold at all (GraphML readers reject the file)
_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def graphml_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy ``G`` with GraphML-safe attribute values (str, int, float, bool; no None or lists)."""
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in attrs.items() if isinstance(v, _CLEAN)})
    for u, v, key, attrs in G.edges(keys=True, data=True):
        clean = {k: val for k, val in attrs.items() if isinstance(val, _CLEAN)}
        H.add_edge(u, v, key=key, role=str(key), **clean)
    return H


def _type_name(value: object) -> str:
    return next(name for kind, name in _TYPES if isinstance(value, kind))


def _key_types(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Attribute name -> GraphML type over ``rows``; a name seen with several types becomes a string."""
    types: dict[str, str] = {}
    for attrs in rows:
        for name, value in attrs.items():
            if not isinstance(value, _CLEAN):
                continue
            kind = _type_name(value)
            seen = types.setdefault(name, kind)
            if seen != kind:
                types[name] = "double" if {seen, kind} == {"long", "double"} else "string"
    return types


def _text(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    text = str(value).translate(_ILLEGAL)
    # a raw carriage return would be read back as a newline
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: object) -> str:
    return quoteattr(str(value).translate(_ILLEGAL))


def _data(attrs: dict[str, Any], ids: dict[str, str], types: dict[str, str]) -> Iterator[str]:
    for name, value in attrs.items():
        if name in ids and isinstance(value, _CLEAN):
            yield f'<data key="{ids[name]}">{_text(value, types[name])}</data>'


def _write(G: nx.MultiDiGraph, fh: IO[str]) -> None:
    node_types = _key_types(attrs for _, attrs in G.nodes(data=True))
    edge_types = _key_types({"role": str(key), **attrs} for _, _, key, attrs in G.edges(keys=True, data=True))
    node_ids = {name: f"d{i}" for i, name in enumerate(node_types)}
    edge_ids = {name: f"d{i}" for i, name in enumerate(edge_types, start=len(node_ids))}
    fh.write('<?xml version="1.0" encoding="utf-8"?>\n')
    fh.write(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for scope, ids, types in (("node", node_ids, node_types), ("edge", edge_ids, edge_types)):
        for name, key_id in ids.items():
            fh.write(f'<key id="{key_id}" for="{scope}" attr.name={quoteattr(name)} attr.type="{types[name]}" />\n')
    directed = "directed" if G.is_directed() else "undirected"
    fh.write(f'<graph edgedefault="{directed}">\n')
    for n, attrs in G.nodes(data=True):
        fh.write(f"<node id={_attr(n)}>{''.join(_data(attrs, node_ids, node_types))}</node>\n")
    for u, v, key, attrs in G.edges(keys=True, data=True):
        data = "".join(_data({**attrs, "role": str(key)}, edge_ids, edge_types))
        fh.write(
            f"<edge source={_attr(u)} target={_attr(v)} id={_attr(key)}>{data}</edge>\n"
        )
    fh.write("</graph>\n</graphml>\n")


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (atomically, element by element); return the path.

    Attribute values that GraphML cannot hold (None, lists) are left out; the edge key
    is written as the edge ``id`` and as its ``role`` attribute.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        _write(G, fh)
    tmp.replace(out)
    return out
