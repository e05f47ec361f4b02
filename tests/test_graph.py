from __future__ import annotations

import re

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from kg.graph.iris import entity_iri, paper_iri
from kg.graph.namespace import RKG
from kg.graph.rdf import canonical_literals, corpus_to_graph
from kg.graph.store import store_to_graph, write_store
from kg.normalize.canonical import normalize
from kg.resources import ontologies_dir
from tests.corpus_fixture import fixture_extractions


def _ontology() -> Graph:
    return Graph().parse(ontologies_dir() / "kg.ttl")


def test_namespace_mirrors_the_ontology_exactly():
    ns = str(RKG._NS)
    in_ttl = {str(s)[len(ns) :] for s in _ontology().subjects() if str(s).startswith(ns)}
    in_code = set(RKG.__annotations__)
    assert in_ttl == in_code


def test_every_property_has_label_comment_and_range_and_every_class_a_label():
    g = _ontology()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in g.subjects(RDF.type, kind):
            assert g.value(prop, RDFS.label) and g.value(prop, RDFS.comment), prop
            assert g.value(prop, RDFS.range) is not None, prop
            if prop not in (RKG.evidence, RKG.confidence, RKG.unit):
                assert g.value(prop, RDFS.domain) is not None, prop
    for cls in g.subjects(RDF.type, OWL.Class):
        assert g.value(cls, RDFS.label) and g.value(cls, RDFS.comment)


def test_graph_of_the_fixture_uses_roles_and_merges_variants():
    corpus = normalize(fixture_extractions())
    g = corpus_to_graph(corpus)
    transformer = entity_iri("Method/transformer")
    assert (paper_iri("p1"), RKG.proposes, entity_iri("Method/blocksparse")) in g
    assert (paper_iri("p3"), RKG.uses, transformer) in g  # "Transformers" merged with "Transformer"
    assert g.value(transformer, SKOS.prefLabel).value == "Transformer"
    assert (transformer, SKOS.exactMatch, URIRef("https://arxiv.org/abs/1706.03762")) in g
    assert Literal("low-rank adaptation") in set(g.objects(entity_iri("Method/lora"), SKOS.altLabel))
    assert (entity_iri("Method/blocksparse"), RKG.evaluatedOn, entity_iri("Dataset/pg-19")) in g
    links = list(g.subjects(RKG.deviceCount, None))
    assert len(links) == 1 and g.value(links[0], RKG.linkedEntity) == entity_iri("Hardware/nvidia-a100")


def test_iris_are_deterministic_across_runs_and_orders():
    a = corpus_to_graph(normalize(fixture_extractions()))
    b = corpus_to_graph(normalize(list(reversed(fixture_extractions()))))
    assert isomorphic(a, b)
    assert {str(s) for s in a.subjects()} == {str(s) for s in b.subjects()}
    assert all(
        re.match(r"^https://w3id.org/research-kg/id/[a-z]+/", str(s))
        for s in a.subjects()
        if isinstance(s, URIRef) and "research-kg/id/" in str(s)
    )


def test_store_round_trip_is_isomorphic(tmp_path):
    g = corpus_to_graph(normalize(fixture_extractions()))
    count = write_store(g, tmp_path / "store")
    assert count == len(g)
    assert isomorphic(canonical_literals(store_to_graph(tmp_path / "store")), canonical_literals(g))
    # a second write replaces the store atomically
    write_store(g, tmp_path / "store")
    assert not (tmp_path / "store.new").exists() and not (tmp_path / "store.old").exists()


def test_turtle_round_trip_is_isomorphic():
    g = corpus_to_graph(normalize(fixture_extractions()))
    again = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    assert len(again) == len(g)
    assert isomorphic(canonical_literals(again), canonical_literals(g))
