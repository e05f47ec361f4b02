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
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.graph.namespace import RKG
from kg.graph.projection import RELATIONS, ROLES, to_networkx
from kg.graph.rdf import SCHEMA
from kg.viz.html import DEFAULT_NODE_BUDGET, PaperInfo, render_viewer

if TYPE_CHECKING:  # pragma: no cover
    from kg.api import KnowledgeGraph

__all__ = ["paper_infos", "write_viewer"]

# which resolver link to prefer when a paper has no schema:url of its own
_LINK_ORDER = ("https://arxiv.org/", "https://doi.org/", "https://www.semanticscholar.org/", "https://openalex.org/")


def _preferred_link(same: list[str]) -> str:
    """The first of ``same`` in :data:`_LINK_ORDER` (ties: the smallest IRI)."""
    rank = {u: next((i for i, p in enumerate(_LINK_ORDER) if u.startswith(p)), len(_LINK_ORDER)) for u in same}
    return min(same, key=lambda u: (rank[u], u)) if same else ""


def _paper_link(g: Graph, paper: URIRef) -> str:
    url = g.value(paper, SCHEMA.url)
    if url is not None:
        return str(url)
    return _preferred_link([str(x) for x in g.objects(paper, SCHEMA.sameAs)])


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


def _set_statements(G, statements: dict[tuple[str, str, str], list[tuple[str, str]]]) -> None:
    """Edge ``support`` (papers stating it) and ``statements`` (sorted ``(paper, sentence)``) of each relation edge."""
    for key, rows in statements.items():
        if G.has_edge(*key):
            rows.sort()
            G.edges[key]["support"] = len({p for p, _ in rows})
            G.edges[key]["statements"] = rows


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
        # a relation stated in several sentences of a paper is one statement with every sentence
        sentences = sorted(str(e) for e in g.objects(st, RKG.evidence)) or [""]
        statements[(str(head), str(tail), rel)].extend((str(paper), s) for s in sentences)
    _set_statements(G, statements)


def _from_rdflib(g: Graph) -> tuple[nx.MultiDiGraph, dict[str, PaperInfo]]:
    G = to_networkx(g)
    for node in G.nodes:
        if G.nodes[node].get("kind") != "Paper":
            ext = sorted(str(x) for x in g.objects(URIRef(node), SKOS.exactMatch))
            if ext:
                G.nodes[node]["external"] = ext
    _add_support(g, G)
    return G, paper_infos(g)


_STATEMENT_SENTENCES = """
SELECT DISTINCT ?head ?tail ?relation ?paper ?evidence WHERE {
  ?statement a rkg:RelationStatement ;
             rkg:relationType ?relation ;
             rkg:relationSubject ?head ;
             rkg:relationObject ?tail ;
             prov:wasDerivedFrom ?paper .
  OPTIONAL { ?statement rkg:evidence ?evidence }
}"""


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN != NaN


def _from_tables(kg) -> tuple[nx.MultiDiGraph, dict[str, PaperInfo]]:
    """What :func:`_from_rdflib` gives, read from the tables of a :class:`kg.api.KnowledgeGraph`.

    Each column comes from one scan of the store, so this scales to graphs far
    larger than an rdflib graph in memory could hold. The attributes are set
    on ``kg.nx`` itself (no copy of a graph of millions of edges).
    """
    G = kg.nx
    for node, external in zip(kg.entities["entity"], kg.entities["external"]):
        if external and node in G:
            G.nodes[node]["external"] = sorted(external.split())
    links = kg.links
    for paper, entity, role, support in zip(links["paper"], links["entity"], links["role"], links["support"]):
        if support == support and G.has_edge(paper, entity, role):  # NaN: no support stated
            G.edges[paper, entity, role]["support"] = max(1, int(support))
    statements: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    # every sentence of every statement (kg.relations keeps one sentence a statement)
    rows = kg.query(_STATEMENT_SENTENCES)
    for head, tail, relation, paper, evidence in rows.itertuples(index=False):
        statements[(head, tail, relation.rsplit("#", 1)[-1])].append((paper, _text(evidence)))
    _set_statements(G, statements)
    return G, _paper_infos_from_tables(kg)


def _paper_infos_from_tables(kg) -> dict[str, PaperInfo]:
    same: dict[str, list[str]] = defaultdict(list)
    for paper, url in kg.query("SELECT ?paper ?same WHERE { ?paper a rkg:Paper ; schema:sameAs ?same }").itertuples(
        index=False
    ):
        same[paper].append(url)
    authors: dict[str, list[str]] = defaultdict(list)
    for paper, name in kg.query("SELECT ?paper ?name WHERE { ?paper a rkg:Paper ; dcterms:creator ?name }").itertuples(
        index=False
    ):
        authors[paper].append(_text(name))
    out = {}
    papers = kg.papers
    for row in papers.itertuples(index=False):
        url = _text(row.url)
        if not url and same.get(row.paper):
            url = _preferred_link(same[row.paper])
        out[row.paper] = PaperInfo(
            title=_text(row.title) or _text(row.id) or row.paper,
            date=_text(row.date),
            url=url,
            abstract=_text(row.abstract),
            authors=tuple(sorted(authors.get(row.paper, ()))),
            venue=_text(row.venue),
        )
    return out


def write_viewer(
    g: Graph | KnowledgeGraph,
    path: str | Path,
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
    show_papers: bool = True,
) -> Path:
    """Write the self-contained viewer page of ``g`` to ``path`` (atomically) and return the path.

    ``g`` is an rdflib graph, or a graph loaded with :func:`kg.load` (read table by
    table from its store: what ``kg build`` and ``kg view`` use, at any size).
    """
    G, infos = _from_rdflib(g) if isinstance(g, Graph) else _from_tables(g)
    page = render_viewer(G, infos, title=title, node_budget=node_budget, show_papers=show_papers)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
