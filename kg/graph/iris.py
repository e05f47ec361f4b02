"""Deterministic IRIs for everything in the graph.

An IRI depends only on what it names (a paper's id; an entity's type and
merge key; a mention's paper, offsets and entity), never on build order, so graphs
of the same input are identical and stay stable as papers are added.

Examples
--------
>>> paper_iri("p-1a2b")
rdflib.term.URIRef('https://w3id.org/research-kg/id/paper/p-1a2b')
>>> entity_iri("Method/llama-2")
rdflib.term.URIRef('https://w3id.org/research-kg/id/method/llama-2')
>>> paper_iri("a b/c?d")
rdflib.term.URIRef('https://w3id.org/research-kg/id/paper/a%20b%2Fc%3Fd')
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import URIRef

__all__ = [
    "BASE",
    "build_iri",
    "entity_iri",
    "link_iri",
    "mention_iri",
    "org_iri",
    "pair_iri",
    "paper_iri",
    "relation_iri",
    "result_iri",
]

#: Namespace of instance data (the ontology lives under ``.../ontology#``).
BASE = "https://w3id.org/research-kg/id/"


def _part(text: str) -> str:
    # every character but the unreserved ones is %-encoded, so any text gives a valid IRI segment;
    # lone surrogates (possible in Python strings) are encoded as their UTF-8-style bytes, not an error
    return quote(text, safe="-._~", errors="surrogatepass")


def paper_iri(paper_id: str) -> URIRef:
    """IRI of a paper from its id."""
    return URIRef(f"{BASE}paper/{_part(paper_id)}")


def entity_iri(key: str) -> URIRef:
    """IRI of a canonical entity from its key ``"<Type>/<slug>"``."""
    etype, _, slug = key.partition("/")
    return URIRef(f"{BASE}{_part(etype.lower())}/{_part(slug)}")


def link_iri(paper_id: str, role: str, key: str) -> URIRef:
    """IRI of the qualified link of a paper to an entity in a role."""
    etype, _, slug = key.partition("/")
    return URIRef(f"{BASE}link/{_part(paper_id)}/{_part(role)}/{_part(etype.lower())}-{_part(slug)}")


def mention_iri(paper_id: str, start: int, end: int, key: str) -> URIRef:
    """IRI of one mention from its paper, character offsets and entity key.

    The entity is part of the IRI because two entities can be found at the same span.

    >>> mention_iri("p1", 0, 4, "Method/lora")
    rdflib.term.URIRef('https://w3id.org/research-kg/id/mention/p1/0-4/method-lora')
    """
    etype, _, slug = key.partition("/")
    return URIRef(f"{BASE}mention/{_part(paper_id)}/{start}-{end}/{_part(etype.lower())}-{_part(slug)}")


def pair_iri(first_key: str, second_key: str) -> URIRef:
    """IRI of the node that counts the papers linking two entities, from their keys (in a fixed order)."""
    parts = []
    for key in (first_key, second_key):
        etype, _, slug = key.partition("/")
        parts.append(f"{_part(etype.lower())}-{_part(slug)}")
    return URIRef(f"{BASE}pair/{parts[0]}/{parts[1]}")


def result_iri(paper_id: str, index: int) -> URIRef:
    """IRI of the ``index``-th result of a paper."""
    return URIRef(f"{BASE}result/{_part(paper_id)}/{index}")


def relation_iri(paper_id: str, rtype: str, head: str, tail: str) -> URIRef:
    """IRI of a relation statement of a paper."""
    digest = hashlib.sha1(f"{head}\x00{tail}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return URIRef(f"{BASE}relation/{_part(paper_id)}/{_part(rtype)}/{digest}")


def build_iri(build_id: str) -> URIRef:
    """IRI of a build (a PROV activity)."""
    return URIRef(f"{BASE}build/{_part(build_id)}")


def org_iri(name: str) -> URIRef:
    """IRI of an organisation from its name."""
    from kg.textnorm import slugify

    return URIRef(f"{BASE}org/{slugify(name)}")
