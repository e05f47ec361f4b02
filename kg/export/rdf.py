"""RDF serialisations of the graph (Turtle, N-Triples, JSON-LD, RDF/XML, TriG).

Examples
--------
>>> import tempfile, pathlib
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph().add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("v")))
>>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> write_rdf(g, p) == p, Graph().parse(p).isomorphic(g)
(True, True)
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.errors import ExportError

__all__ = ["RDF_FORMATS", "write_rdf"]

#: Format name -> (rdflib serializer, file extension).
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "ntriples": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "rdfxml": ("xml", ".rdf"),
}


def write_rdf(graph: Graph, path: str | Path, fmt: str = "turtle") -> Path:
    """Serialise ``graph`` to ``path`` in ``fmt`` (one of :data:`RDF_FORMATS`)."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}", fix=f"use one of: {', '.join(RDF_FORMATS)}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    graph.serialize(destination=str(tmp), format=RDF_FORMATS[fmt][0], encoding="utf-8")
    tmp.replace(out)
    return out
