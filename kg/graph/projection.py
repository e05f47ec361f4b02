"""Project the RDF graph onto a networkx ``MultiDiGraph`` for analysis and drawing.

Nodes are papers and entities (keyed by IRI) with ``kind`` ("Paper",
"Method", ...), ``label``, ``aliases`` and ``papers`` (how many papers link to
an entity). Edges go from papers to entities, keyed by role ("uses",
"proposes", ...) with ``evidence`` and ``confidence``, and between entities,
keyed by relation type ("evaluatedOn", ...).

Examples
--------
>>> from rdflib import Graph, URIRef, Literal, RDF, SKOS
>>> from kg.graph.namespace import RKG
>>> g = Graph()
>>> p, m = URIRef("http://x/p"), URIRef("http://x/m")
>>> triples = [(p, RDF.type, RKG.Paper), (m, RDF.type, RKG.Method), (m, SKOS.prefLabel, Literal("LoRA"))]
>>> for t in [*triples, (p, RKG.uses, m)]:
...     _ = g.add(t)
>>> G = to_networkx(g)
>>> G.nodes[str(m)]["label"], G.nodes[str(m)]["papers"], list(G.edges(keys=True))
('LoRA', 1, [('http://x/p', 'http://x/m', 'uses')])
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
from rdflib import RDF, SKOS, Graph
from rdflib.namespace import DCTERMS

from kg.graph.namespace import RKG

__all__ = ["ENTITY_KINDS", "RELATIONS", "ROLES", "to_networkx"]

ENTITY_KINDS = {
    RKG.Method: "Method",
    RKG.Task: "Task",
    RKG.Dataset: "Dataset",
    RKG.Hardware: "Hardware",
    RKG.Metric: "Metric",
}
ROLES = {
    RKG.proposes: "proposes",
    RKG.uses: "uses",
    RKG.addresses: "addresses",
    RKG.evaluatesOn: "evaluatesOn",
    RKG.measuresWith: "measuresWith",
    RKG.runsOn: "runsOn",
}
RELATIONS = {
    RKG.evaluatedOn: "evaluatedOn",
    RKG.runsOnHardware: "runsOnHardware",
    RKG.usedFor: "usedFor",
    RKG.measuredOn: "measuredOn",
    RKG.comparedTo: "comparedTo",
}


def to_networkx(g: Graph, *, include_papers: bool = True) -> nx.MultiDiGraph:
    """Return the paper-entity graph of ``g`` as a ``networkx.MultiDiGraph``."""
    G = nx.MultiDiGraph()
    for cls, kind in ENTITY_KINDS.items():
        for node in g.subjects(RDF.type, cls):
            aliases = sorted(str(a) for a in g.objects(node, SKOS.altLabel))
            G.add_node(
                str(node),
                kind=kind,
                label=str(g.value(node, SKOS.prefLabel) or node),
                aliases=" | ".join(aliases),
                kb_key=str(g.value(node, RKG.kbKey) or ""),
                papers=0,
            )
    counts: Counter[str] = Counter()
    link_info: dict[tuple[str, str, str], tuple[str, float]] = {}
    for link in g.subjects(RDF.type, RKG.EntityLink):
        paper = g.value(None, RKG.hasLink, link)
        role = ROLES.get(g.value(link, RKG.role))
        target = g.value(link, RKG.linkedEntity)
        if paper is None or role is None or target is None:
            continue
        evidence = str(g.value(link, RKG.evidence) or "")
        conf = float(g.value(link, RKG.confidence) or 1.0)
        link_info[(str(paper), str(target), role)] = (evidence, conf)
    for prop, role in ROLES.items():
        for paper, target in g.subject_objects(prop):
            if str(target) not in G:
                continue
            counts[str(target)] += 1
            if include_papers:
                evidence, conf = link_info.get((str(paper), str(target), role), ("", 1.0))
                G.add_edge(str(paper), str(target), key=role, evidence=evidence, confidence=conf)
    for node, n in counts.items():
        G.nodes[node]["papers"] = n
    if include_papers:
        for paper in g.subjects(RDF.type, RKG.Paper):
            attrs = {
                "kind": "Paper",
                "label": str(g.value(paper, DCTERMS.title) or g.value(paper, DCTERMS.identifier) or paper),
                "date": str(g.value(paper, DCTERMS.date) or ""),
                "papers": 1,
            }
            G.add_node(str(paper), **attrs)
    for prop, rel in RELATIONS.items():
        for head, tail in g.subject_objects(prop):
            if str(head) in G and str(tail) in G:
                G.add_edge(str(head), str(tail), key=rel)
    return G
