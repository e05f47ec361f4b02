"""Write the viewer of an RDF graph (built in memory or read from the store)."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.graph.namespace import RKG
from kg.graph.projection import to_networkx
from kg.graph.rdf import SCHEMA
from kg.viz.html import DEFAULT_NODE_BUDGET, PaperInfo, render_viewer

__all__ = ["paper_infos", "write_viewer"]


def paper_infos(g: Graph) -> dict[str, PaperInfo]:
    """Title, date, URL and abstract of every paper, keyed by paper IRI."""
    out = {}
    for paper in g.subjects(RDF.type, RKG.Paper):
        out[str(paper)] = PaperInfo(
            title=str(g.value(paper, DCTERMS.title) or g.value(paper, DCTERMS.identifier) or paper),
            date=str(g.value(paper, DCTERMS.date) or ""),
            url=str(g.value(paper, SCHEMA.url) or ""),
            abstract=str(g.value(paper, DCTERMS.abstract) or ""),
        )
    return out


def write_viewer(
    g: Graph,
    path: str | Path,
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
) -> Path:
    """Write the self-contained viewer page of ``g`` to ``path``."""
    G = to_networkx(g)
    for node in G.nodes:
        if G.nodes[node].get("kind") != "Paper":
            ext = sorted(str(x) for x in g.objects(URIRef(node), SKOS.exactMatch))
            if ext:
                G.nodes[node]["external"] = ext
    page = render_viewer(G, paper_infos(g), title=title, node_budget=node_budget)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
