from __future__ import annotations

import re
from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from kg.graph.iris import entity_iri, paper_iri
from kg.graph.namespace import RKG
from kg.graph.rdf import CLASS_BY_TYPE, add_entity, canonical_literals, corpus_to_graph
from kg.graph.store import rdflib_graph, store_to_graph, write_store
from kg.normalize.canonical import normalize
from kg.records import CanonicalEntity, EntityRecord, Extraction, Mention, Paper, RelationRecord
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


def test_rdflib_graph_reads_the_stores_triples(tmp_path):
    g = corpus_to_graph(normalize(fixture_extractions()))
    write_store(g, tmp_path / "store")
    backed = rdflib_graph(tmp_path)
    try:
        assert len(backed) == len(g)
        assert (paper_iri("p1"), RKG.proposes, entity_iri("Method/blocksparse")) in backed
        rows = list(backed.query("SELECT ?p WHERE { ?p a rkg:Paper }", initNs={"rkg": RKG._NS}))
        assert len(rows) == 3
    finally:
        backed.close()


def test_only_hardware_gets_a_hardware_kind():
    g = Graph()
    add_entity(g, CanonicalEntity("Hardware/tpu-v4", "Hardware", "TPU v4", attributes=(("kind", "TPU"),)))
    add_entity(g, CanonicalEntity("Method/bert", "Method", "BERT", attributes=(("kind", "architecture"),)))
    assert g.value(entity_iri("Hardware/tpu-v4"), RKG.hardwareKind) == Literal("TPU")
    assert g.value(entity_iri("Method/bert"), RKG.hardwareKind) is None


def _paper_with(entities=(), relations=()) -> Extraction:
    return Extraction(Paper("q1", "Title", "Abstract text about things."), tuple(entities), relations=tuple(relations))


def test_a_relation_stated_twice_keeps_the_highest_confidence():
    sentence = "BERT on GLUE."
    ents = (
        EntityRecord("Method", "BERT", (Mention("BERT", 0, 4, sentence),)),
        EntityRecord("Dataset", "GLUE", (Mention("GLUE", 8, 12, sentence),)),
    )
    rels = (
        RelationRecord("evaluatedOn", "BERT", "GLUE", sentence, 0.4),
        RelationRecord("evaluatedOn", "BERT", "GLUE", "BERT is tested on GLUE.", 0.8),
        RelationRecord("evaluatedOn", "BERT", "GLUE", "Again BERT on GLUE.", 0.6),
    )
    g = corpus_to_graph(normalize([_paper_with(ents, rels)]))
    statements = list(g.subjects(RDF.type, RKG.RelationStatement))
    assert len(statements) == 1
    assert [c.toPython() for c in g.objects(statements[0], RKG.confidence)] == [Decimal("0.8")]
    assert len(set(g.objects(statements[0], RKG.evidence))) == 3


def test_two_entities_at_the_same_offsets_get_two_mentions():
    sentence = "BERT on GLUE."
    ents = (
        EntityRecord("Method", "BERT", (Mention("BERT", 6, 10, sentence, 0.9),)),
        EntityRecord("Dataset", "BERT", (Mention("BERT", 6, 10, sentence, 0.5),)),
    )
    g = corpus_to_graph(normalize([_paper_with(ents)]))
    mentions = set(g.objects(paper_iri("q1"), RKG.hasMention))
    assert len(mentions) == 2
    assert all(len(set(g.objects(m, RKG.mentionOf))) == 1 for m in mentions)
    assert all(len(set(g.objects(m, RKG.confidence))) == 1 for m in mentions)
    again = corpus_to_graph(normalize([_paper_with(ents)]))
    assert set(again.objects(paper_iri("q1"), RKG.hasMention)) == mentions  # deterministic


def test_a_span_found_twice_for_one_entity_is_one_mention_with_the_highest_confidence():
    sentence = "BERT on GLUE."
    twice = (Mention("BERT", 0, 4, sentence, 0.5), Mention("BERT", 0, 4, sentence, 0.9))
    ents = (EntityRecord("Method", "BERT", twice),)
    g = corpus_to_graph(normalize([_paper_with(ents)]))
    (mention,) = set(g.objects(paper_iri("q1"), RKG.hasMention))
    assert [c.toPython() for c in g.objects(mention, RKG.confidence)] == [Decimal("0.9")]


def test_statistics_count_papers_per_entity_and_method_pairs():
    g = corpus_to_graph(normalize(fixture_extractions()))
    count = {e: g.value(e, RKG.paperCount).toPython() for e in g.subjects(RKG.paperCount, None)}
    assert count[entity_iri("Method/transformer")] == 3
    assert count[entity_iri("Method/lora")] == 2
    assert count[entity_iri("Method/blocksparse")] == 1
    assert count[entity_iri("Task/summarization")] == 1
    assert set(count) == {e for c in CLASS_BY_TYPE.values() for e in g.subjects(RDF.type, c)}
    pairs = list(g.subjects(RDF.type, RKG.MethodPair))  # BlockSparse and Transformer share one paper only
    assert len(pairs) == 1
    pair = pairs[0]
    assert g.value(pair, RKG.firstMethod) == entity_iri("Method/lora")
    assert g.value(pair, RKG.secondMethod) == entity_iri("Method/transformer")
    assert g.value(pair, RKG.sharedPapers).toPython() == 2
    year = g.value(paper_iri("p1"), RKG.year)
    assert (str(year), str(year.datatype)) == ("2023", "http://www.w3.org/2001/XMLSchema#gYear")
    assert g.value(paper_iri("p3"), RKG.year) is None  # no date


def test_statistics_follow_a_rebuild_without_a_paper():
    kept = [ex for ex in fixture_extractions() if ex.paper.id != "p3"]
    g = corpus_to_graph(normalize(kept))
    assert g.value(entity_iri("Method/transformer"), RKG.paperCount).toPython() == 2
    assert not list(g.subjects(RDF.type, RKG.MethodPair))


def test_pair_ranks_give_the_order_of_a_full_sort():
    """rkg:evaluationRank and rkg:measuringRank number the pairs as the saved queries' ORDER BY would."""
    g = corpus_to_graph(normalize(fixture_extractions()))
    full_sorts = {
        RKG.evaluationRank: """
            SELECT ?a ?b ?n WHERE {
              ?pair rkg:evaluationPapers ?n ; rkg:pairedMethod ?m ; rkg:pairedDataset ?d .
              ?m skos:prefLabel ?a . ?d skos:prefLabel ?b .
            } ORDER BY DESC(?n) ?a ?b""",
        RKG.measuringRank: """
            SELECT ?a ?b ?n WHERE {
              ?pair rkg:measuringPapers ?n ; rkg:pairedTask ?t ; rkg:pairedMetric ?m .
              ?t skos:prefLabel ?a . ?m skos:prefLabel ?b .
            } ORDER BY ?a DESC(?n) ?b""",
    }
    for rank, text in full_sorts.items():
        by_sort = [tuple(str(v) for v in row) for row in g.query(text, initNs={"rkg": RKG, "skos": SKOS})]
        by_rank = [tuple(str(v) for v in row) for row in g.query(
            text.replace("ORDER BY", "ORDER BY ?r # ").replace("WHERE {", f"WHERE {{ ?pair <{rank}> ?r .", 1),
            initNs={"rkg": RKG, "skos": SKOS})]
        assert by_rank == by_sort and len(by_sort) >= 2
    pairs = {(g.value(p, RKG.pairedTask), g.value(p, RKG.pairedMetric)): g.value(p, RKG.measuringPapers).toPython()
             for p in g.subjects(RDF.type, RKG.TaskMetricPair)}
    assert pairs[entity_iri("Task/language-modeling"), entity_iri("Metric/perplexity")] == 2
