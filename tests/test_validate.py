"""SHACL validation (ontologies/shapes.ttl, kg.graph.validate, `kg validate`): valid graphs pass, broken ones fail."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SH, Namespace

from kg.cli import main
from kg.graph.iris import entity_iri, link_iri, mention_iri, paper_iri, result_iri
from kg.graph.namespace import RKG
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.graph.validate import Violation, has_violations, load_ontology, load_shapes, validate_graph, validate_store
from kg.normalize.canonical import normalize
from tests.corpus_fixture import fixture_extractions

SHAPES = "https://w3id.org/research-kg/shapes#"

P1, P2 = paper_iri("p1"), paper_iri("p2")
LORA, TRANSFORMER = entity_iri("Method/lora"), entity_iri("Method/transformer")
PG19, A100 = entity_iri("Dataset/pg-19"), entity_iri("Hardware/nvidia-a100")
RUNS_ON_LINK = link_iri("p1", "runsOn", "Hardware/nvidia-a100")
USES_LINK = link_iri("p2", "uses", "Method/lora")
ORG, BUILD = URIRef("https://w3id.org/research-kg/id/org/x"), URIRef("https://w3id.org/research-kg/id/build/1")
SCHEMA = Namespace("https://schema.org/")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.fixture()
def graph() -> Graph:
    """A fresh graph of the fixture corpus, for each test to break."""
    return corpus_to_graph(normalize(fixture_extractions()))


def violations(g: Graph) -> list[Violation]:
    return [v for v in validate_graph(g) if v.severity == "Violation"]


def test_the_fixture_graph_is_valid(graph):
    results = validate_graph(graph)
    assert not has_violations(results), [r for r in results if r.severity == "Violation"]
    assert results == []  # no warnings either: the writer's known shortcomings are fixed


def test_the_fixture_store_is_valid(graph, tmp_path):
    write_store(graph, tmp_path / "store")
    assert not has_violations(validate_store(tmp_path / "store"))


def test_every_class_of_the_ontology_has_a_shape():
    ontology, shapes = load_ontology(), load_shapes()
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if c != RKG.Entity}
    assert classes <= targeted, classes - targeted
    assert URIRef("https://schema.org/Organization") in targeted


def _set(g: Graph, node, prop, value) -> None:
    g.set((node, prop, value))


# Each case: what it breaks, how, and the focus node, path and constraint component (with words of the message,
# after a colon) expected among the violations; None matches any focus node or path.
BREAKAGES: list[tuple[str, Callable[[Graph], object], URIRef, URIRef | str | None, str]] = [
    (
        "an entity without prefLabel",
        lambda g: g.remove((LORA, SKOS.prefLabel, None)),
        LORA,
        SKOS.prefLabel,
        "MinCountConstraintComponent",
    ),
    (
        "an entity with two prefLabels",
        lambda g: g.add((LORA, SKOS.prefLabel, Literal("LoRA 2"))),
        LORA,
        SKOS.prefLabel,
        "MaxCountConstraintComponent",
    ),
    (
        "a prefLabel that is an IRI",
        lambda g: _set(g, LORA, SKOS.prefLabel, URIRef("https://example.org/lora")),
        LORA,
        SKOS.prefLabel,
        "DatatypeConstraintComponent",
    ),
    (
        "an alias equal to the prefLabel",
        lambda g: g.add((LORA, SKOS.altLabel, Literal("LoRA"))),
        LORA,
        SKOS.altLabel,
        "DisjointConstraintComponent",
    ),
    (
        "an entity of two entity classes",
        lambda g: g.add((LORA, RDF.type, RKG.Dataset)),
        LORA,
        RDF.type,
        "QualifiedMaxCountConstraintComponent",
    ),
    (
        "a confidence of 1.7",
        lambda g: _set(g, RUNS_ON_LINK, RKG.confidence, Literal("1.7", datatype=DECIMAL)),
        RUNS_ON_LINK,
        RKG.confidence,
        "MaxInclusiveConstraintComponent",
    ),
    (
        "a negative confidence on a result",
        lambda g: _set(g, result_iri("p1", 1), RKG.confidence, Literal("-0.2", datatype=DECIMAL)),
        result_iri("p1", 1),
        RKG.confidence,
        "MinInclusiveConstraintComponent",
    ),
    (
        "a confidence that is a string",
        lambda g: _set(g, RUNS_ON_LINK, RKG.confidence, Literal("high")),
        RUNS_ON_LINK,
        RKG.confidence,
        "DatatypeConstraintComponent",
    ),
    (
        "a link without role",
        lambda g: g.remove((USES_LINK, RKG.role, None)),
        USES_LINK,
        RKG.role,
        "MinCountConstraintComponent",
    ),
    (
        "a link whose role is not a role",
        lambda g: _set(g, USES_LINK, RKG.role, RKG.mentions),
        USES_LINK,
        RKG.role,
        "InConstraintComponent",
    ),
    (
        "a link with two entities",
        lambda g: g.add((USES_LINK, RKG.linkedEntity, TRANSFORMER)),
        USES_LINK,
        RKG.linkedEntity,
        "MaxCountConstraintComponent",
    ),
    (
        "a Dataset linked in a rkg:runsOn role (qualified link only)",
        lambda g: _set(g, RUNS_ON_LINK, RKG.linkedEntity, PG19),
        P1,
        RKG.hasLink,
        "SPARQLConstraintComponent:takes a",
    ),
    (
        "a Dataset linked in a rkg:runsOn role (direct triple)",
        lambda g: g.add((P1, RKG.runsOn, PG19)),
        P1,
        RKG.runsOn,
        "ClassConstraintComponent",
    ),
    (
        "a link no paper has",
        lambda g: g.remove((P2, RKG.hasLink, USES_LINK)),
        USES_LINK,
        f"^{RKG.hasLink}",
        "MinCountConstraintComponent",
    ),
    (
        "a direct role triple without its qualified link",
        lambda g: g.add((P2, RKG.proposes, LORA)),
        P2,
        RKG.proposes,
        "SPARQLConstraintComponent:without the rkg:EntityLink",
    ),
    (
        "a device count on a uses link",
        lambda g: g.add((USES_LINK, RKG.deviceCount, Literal(2))),
        P2,
        RKG.hasLink,
        "SPARQLConstraintComponent:device count",
    ),
    (
        "a paper without abstract",
        lambda g: g.remove((P1, DCTERMS.abstract, None)),
        P1,
        DCTERMS.abstract,
        "MinCountConstraintComponent",
    ),
    (
        "a paper with two identifiers",
        lambda g: g.add((P1, DCTERMS.identifier, Literal("p1-bis"))),
        P1,
        DCTERMS.identifier,
        "MaxCountConstraintComponent",
    ),
    (
        "a paper date that is not a date",
        lambda g: _set(g, P1, DCTERMS.date, Literal("May 2023")),
        P1,
        DCTERMS.date,
        "OrConstraintComponent",
    ),
    (
        "a DOI with its resolver",
        lambda g: g.add((P1, RKG.doi, Literal("https://doi.org/10.1145/3442188.3445922"))),
        P1,
        RKG.doi,
        "PatternConstraintComponent",
    ),
    (
        "a mention that starts after it ends",
        lambda g: _set(g, mention_iri("p1", 0, 5, "Dataset/pg-19"), RKG.startOffset, Literal(9)),
        mention_iri("p1", 0, 5, "Dataset/pg-19"),
        RKG.startOffset,
        "LessThanConstraintComponent",
    ),
    (
        "a mention offset that is a string",
        lambda g: _set(g, mention_iri("p1", 0, 5, "Dataset/pg-19"), RKG.endOffset, Literal("5")),
        mention_iri("p1", 0, 5, "Dataset/pg-19"),
        RKG.endOffset,
        "DatatypeConstraintComponent",
    ),
    (
        "a mention past the end of the text",
        lambda g: _set(g, mention_iri("p1", 0, 5, "Dataset/pg-19"), RKG.endOffset, Literal(500)),
        P1,
        RKG.hasMention,
        "SPARQLConstraintComponent:past the end",
    ),
    (
        "a mention of an entity the paper does not link",
        lambda g: _set(g, mention_iri("p1", 0, 5, "Dataset/pg-19"), RKG.mentionOf, LORA),
        P1,
        RKG.hasMention,
        "SPARQLConstraintComponent:does not link",
    ),
    (
        "a result without metric",
        lambda g: g.remove((result_iri("p1", 1), RKG.metric, None)),
        result_iri("p1", 1),
        RKG.metric,
        "MinCountConstraintComponent",
    ),
    (
        "a result on a Method as dataset",
        lambda g: _set(g, result_iri("p1", 1), RKG.onDataset, LORA),
        result_iri("p1", 1),
        RKG.onDataset,
        "ClassConstraintComponent",
    ),
    (
        "a result direction that is neither gain nor reduction",
        lambda g: _set(g, result_iri("p1", 1), RKG.direction, Literal("up")),
        result_iri("p1", 1),
        RKG.direction,
        "InConstraintComponent",
    ),
    (
        "a relation whose object is outside its range",
        lambda g: [
            g.set((s, RKG.relationObject, A100)) for s in list(g.subjects(RDF.type, RKG.RelationStatement))
        ],
        P1,
        RKG.statesRelation,
        "SPARQLConstraintComponent:needs a",
    ),
    (
        "a relation on the wrong subject class",
        lambda g: g.add((PG19, RKG.evaluatedOn, PG19)),
        PG19,
        None,
        "ClassConstraintComponent",
    ),
    (
        "a relation statement derived from another paper",
        lambda g: [
            g.set((s, PROV.wasDerivedFrom, P2)) for s in list(g.subjects(RDF.type, RKG.RelationStatement))
        ],
        None,
        f"^{RKG.statesRelation}",
        "EqualsConstraintComponent",
    ),
    (
        "an organisation without name",
        lambda g: g.add((ORG, RDF.type, SCHEMA.Organization)),
        ORG,
        SCHEMA.name,
        "MinCountConstraintComponent",
    ),
    (
        "a build without profile",
        lambda g: g.add((BUILD, RDF.type, RKG.Build)),
        BUILD,
        RKG.extractionProfile,
        "MinCountConstraintComponent",
    ),
    (
        "a rdfs:label used twice on a result",
        lambda g: g.add((result_iri("p1", 1), RDFS.label, Literal("another"))),
        result_iri("p1", 1),
        RDFS.label,
        "MaxCountConstraintComponent",
    ),
    (
        "a hardware kind on a method",
        lambda g: g.add((LORA, RKG.hardwareKind, Literal("architecture"))),
        LORA,
        None,
        "ClassConstraintComponent",
    ),
    (
        "a mention that names two entities",
        lambda g: g.add((mention_iri("p1", 0, 5, "Dataset/pg-19"), RKG.mentionOf, TRANSFORMER)),
        mention_iri("p1", 0, 5, "Dataset/pg-19"),
        RKG.mentionOf,
        "MaxCountConstraintComponent",
    ),
    (
        "a method pair of one shared paper",
        lambda g: _set(g, next(g.subjects(RDF.type, RKG.MethodPair)), RKG.sharedPapers, Literal(1)),
        None,
        RKG.sharedPapers,
        "MinInclusiveConstraintComponent",
    ),
    (
        "a method pair in the wrong order",
        lambda g: [
            _set(g, pair, prop, value)
            for pair in g.subjects(RDF.type, RKG.MethodPair)
            for prop, value in ((RKG.firstMethod, TRANSFORMER), (RKG.secondMethod, LORA))
        ],
        None,
        RKG.secondMethod,
        "SPARQLConstraintComponent:does not sort after",
    ),
    (
        "a paper count that is a string",
        lambda g: _set(g, LORA, RKG.paperCount, Literal("2")),
        LORA,
        RKG.paperCount,
        "DatatypeConstraintComponent",
    ),
]


@pytest.mark.parametrize(
    ("breakage", "focus", "path", "component"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES]
)
def test_a_broken_graph_is_caught(graph, breakage, focus, path, component):
    breakage(graph)
    found = violations(graph)
    assert found, "no violation reported"
    component, _, message = component.partition(":")  # "Component:words the message must contain"
    matching = [
        v
        for v in found
        if v.constraint == component
        and (focus is None or v.focus == str(focus))
        and (path is None or v.path == str(path))
        and message in v.message
    ]
    assert matching, found


def test_messages_name_the_problem(graph):
    _set(graph, RUNS_ON_LINK, RKG.linkedEntity, PG19)
    messages = " ".join(v.message for v in violations(graph))
    assert "runsOn" in messages and "Hardware" in messages and "pg-19" in messages


def test_cli_reports_violations_as_a_table_and_json_and_fails(graph, tmp_path, capsys):
    write_store(graph, tmp_path / "good")
    assert main(["validate", "--store", str(tmp_path / "good")]) == 0
    assert "0 violations" in capsys.readouterr().err

    graph.remove((LORA, SKOS.prefLabel, None))
    _set(graph, RUNS_ON_LINK, RKG.confidence, Literal("1.7", datatype=DECIMAL))
    write_store(graph, tmp_path / "bad")
    assert main(["validate", "--store", str(tmp_path / "bad")]) == 1
    captured = capsys.readouterr()
    assert "kgid:method/lora" in captured.out and "skos:prefLabel" in captured.out
    assert "2 violations" in captured.err

    assert main(["validate", "--store", str(tmp_path / "bad"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False and report["counts"]["Violation"] == 2
    errors = [r for r in report["results"] if r["severity"] == "Violation"]
    assert {(r["focus"], r["path"]) for r in errors} == {
        (str(LORA), str(SKOS.prefLabel)),
        (str(RUNS_ON_LINK), str(RKG.confidence)),
    }
    assert all(r["shape"].startswith(SHAPES) and r["message"] for r in errors)
    assert next(r for r in errors if r["path"] == str(RKG.confidence))["value"] == "1.7"


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["validate", "--store", str(tmp_path / "missing")]) == 1
    assert main(["validate", "--store", str(tmp_path), "--format", "xml"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: [KG") for line in lines)
