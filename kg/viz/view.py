"""Write the viewer of an RDF graph (built in memory or read from the store).

Examples
--------
>>> import tempfile
>>> from rdflib import Graph, Literal, URIRef, RDF, SKOS
>>> from rdflib.namespace import DCTERMS
>>> from kg.graph.namespace import RKG
>>> g = Graph()
>>> p, m = URIRef("http://x/p"), URIRef("http://x/m")
>>> for t in [(p, RDF.type, RKG.Paper), (p, DCTERMS.title, Literal("<b>T</b>")), (m, RDF.type, RKG.Method),
...           (m, SKOS.prefLabel, Literal("LoRA")), (p, RKG.uses, m)]:
...     _ = g.add(t)
>>> path = write_viewer(g, tempfile.mkdtemp() + "/graph.html")
>>> page = path.read_text(encoding="utf-8")
>>> "<b>T</b>" in page, "\\\\u003cb\\\\u003eT" in page
(False, True)
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.graph.namespace import RKG
from kg.graph.projection import RELATIONS, ROLES, to_networkx
from kg.graph.rdf import SCHEMA
from kg.viz.html import DEFAULT_NODE_BUDGET, PaperInfo, render_viewer

__all__ = ["paper_infos", "write_viewer"]

# which resolver link to prefer when a paper has no schema:url of its own
_LINK_ORDER = ("https://arxiv.org/", "https://doi.org/", "https://www.semanticscholar.org/", "https://openalex.org/")


def _paper_link(g: Graph, paper: URIRef) -> str:
    url = g.value(paper, SCHEMA.url)
    if url is not None:
        return str(url)
    same = [str(x) for x in g.objects(paper, SCHEMA.sameAs)]
    same.sort(key=lambda u: next((i for i, p in enumerate(_LINK_ORDER) if u.startswith(p)), len(_LINK_ORDER)))
    return same[0] if same else ""


def paper_infos(g: Graph) -> dict[str, PaperInfo]:
    """Title, date, link, abstract, authors and venue of every paper, keyed by paper IRI.

    The link is the paper's ``schema:url``, else its arXiv, DOI, Semantic Scholar or
    OpenAlex page (``schema:sameAs``).
    """
    out = {}
    for paper in g.subjects(RDF.type, RKG.Paper):
        out[str(paper)] = PaperInfo(
            title=str(g.value(paper, DCTERMS.title) or g.value(paper, DCTERMS.identifier) or paper),
            date=str(g.value(paper, DCTERMS.date) or ""),
            url=_paper_link(g, paper),
            abstract=str(g.value(paper, DCTERMS.abstract) or ""),
            authors=tuple(sorted(str(a) for a in g.objects(paper, DCTERMS.creator))),
            venue=str(g.value(paper, RKG.venue) or ""),
        )
    return out


def _add_support(g: Graph, G) -> None:
    """Edge ``support``: mentions of an entity in a paper; papers stating a relation (with sentences)."""
    for link in g.subjects(RDF.type, RKG.EntityLink):
        paper = g.value(None, RKG.hasLink, link)
        role = ROLES.get(g.value(link, RKG.role))
        target = g.value(link, RKG.linkedEntity)
        support = g.value(link, RKG.support)
        if paper is None or role is None or target is None or support is None:
            continue
        key = (str(paper), str(target), role)
        if G.has_edge(*key):
            G.edges[key]["support"] = max(1, int(support.toPython()))
    statements: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for st in g.subjects(RDF.type, RKG.RelationStatement):
        rel = RELATIONS.get(g.value(st, RKG.relationType))
        head, tail = g.value(st, RKG.relationSubject), g.value(st, RKG.relationObject)
        paper = g.value(st, PROV.wasDerivedFrom)
        if rel is None or head is None or tail is None or paper is None:
            continue
        statements[(str(head), str(tail), rel)].append((str(paper), str(g.value(st, RKG.evidence) or "")))
    for key, rows in statements.items():
        if G.has_edge(*key):
            rows.sort()
            G.edges[key]["support"] = len({p for p, _ in rows})
            G.edges[key]["statements"] = rows


def write_viewer(
    g: Graph,
    path: str | Path,
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
    show_papers: bool = True,
) -> Path:
    """Write the self-contained viewer page of ``g`` to ``path`` (atomically) and return the path."""
    G = to_networkx(g)
    for node in G.nodes:
        if G.nodes[node].get("kind") != "Paper":
            ext = sorted(str(x) for x in g.objects(URIRef(node), SKOS.exactMatch))
            if ext:
                G.nodes[node]["external"] = ext
    _add_support(g, G)
    page = render_viewer(G, paper_infos(g), title=title, node_budget=node_budget, show_papers=show_papers)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
