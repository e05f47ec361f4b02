"""`kg export`: RDF formats round-trip to the store's graph; networks and tables hold what the store holds."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from kg.cli import main
from kg.errors import ExportError
from kg.export.formats import EXPORT_FORMATS, export_store
from kg.export.rdf import RDF_FORMATS, jsonld_context
from kg.export.tables import TABLES, store_tables, table_columns
from kg.graph.namespace import RKG
from kg.graph.projection import to_networkx
from kg.graph.rdf import canonical_literals, corpus_to_graph
from kg.graph.store import store_to_graph, write_store
from kg.normalize.canonical import normalize
from kg.resources import ontologies_dir
from tests.corpus_fixture import fixture_extractions

DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
PREFIXES = """PREFIX rkg: <https://w3id.org/research-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
#: Rows each table should have, as a SPARQL count over the store.
ROW_COUNTS = {
    "papers": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rkg:Paper }",
    "entities": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c "
    "FILTER (?c IN (rkg:Method, rkg:Task, rkg:Dataset, rkg:Hardware, rkg:Metric)) }",
    "mentions": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x ?e WHERE { ?x a rkg:Mention ; rkg:mentionOf ?e } }",
    "links": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rkg:EntityLink }",
    "results": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rkg:Result }",
    "relations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a rkg:RelationStatement }",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus written to a store, once for the module (tests only read it)."""
    out = tmp_path_factory.mktemp("export") / "out"
    write_store(corpus_to_graph(normalize(fixture_extractions())), out / "store")
    return out


@pytest.fixture(scope="module")
def store_graph(store: Path) -> Graph:
    return store_to_graph(store)


def _sparql_count(store: Path, query: str) -> int:
    ox_store = ox.Store.read_only(str(store / "store"))
    return int(next(iter(ox_store.query(PREFIXES + query)))["n"].value)


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_exports_round_trip_to_the_store_graph(store, store_graph, tmp_path, fmt):
    (path,) = export_store(store, fmt, tmp_path / f"graph{RDF_FORMATS[fmt][1]}")
    again = Graph().parse(path, format=PARSERS[fmt])
    assert len(again) == len(store_graph)
    assert isomorphic(canonical_literals(again), canonical_literals(store_graph))


def test_rdf_to_standard_output(store, store_graph):
    buffer = io.StringIO()
    assert export_store(store, "ntriples", "-", stdout=buffer) == []
    again = Graph().parse(data=buffer.getvalue(), format="nt")
    assert isomorphic(canonical_literals(again), canonical_literals(store_graph))


def test_jsonld_is_compacted_with_the_context_file(store, tmp_path):
    (path,) = export_store(store, "jsonld", tmp_path / "g.jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld_context()
    nodes = {node["id"]: node for node in doc["@graph"]}
    lora = nodes["kgid:method/lora"]
    assert lora["type"] == "Method" and lora["prefLabel"] == "LoRA" and lora["altLabel"] == ["low-rank adaptation"]
    link = nodes["kgid:link/p1/runsOn/hardware-nvidia-a100"]
    assert link["linkedEntity"] == "kgid:hardware/nvidia-a100" and link["deviceCount"] == 8
    assert link["confidence"] == "0.9"  # a decimal, typed by the context
    assert nodes["kgid:paper/p1"]["date"] == {"@value": "2023-05-01", "type": "xsd:date"}
    keys = {key for node in doc["@graph"] for key in node}
    assert not any(":" in key for key in keys), keys  # every property has a term of the context


def test_the_context_file_has_a_term_for_every_ontology_term():
    context = json.loads((ontologies_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ontology = Graph().parse(ontologies_dir() / "kg.ttl")
    ns = str(RKG._NS)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            name = str(term)[len(ns) :]
            definition = context[name]
            assert (definition if isinstance(definition, str) else definition["@id"]) == f"rkg:{name}"
            if kind == OWL.ObjectProperty:
                assert definition["@type"] in ("@id", "@vocab"), name
            if ontology.value(term, RDFS.range) == DECIMAL:
                assert definition["@type"] == "xsd:decimal", name
    for prefix in ("rkg", "skos", "dcterms", "schema", "prov"):
        assert context[prefix].startswith("http")


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_exports_hold_the_paper_entity_graph(store, store_graph, tmp_path, fmt, read):
    (path,) = export_store(store, fmt, tmp_path / f"graph.{fmt}")
    G = to_networkx(store_graph)
    H = read(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    kinds = {data["kind"] for _, data in H.nodes(data=True)}
    assert kinds == {"Paper", "Method", "Task", "Dataset", "Hardware", "Metric"}
    lora = H.nodes["https://w3id.org/research-kg/id/method/lora"]
    assert lora["label"] == "LoRA" and int(lora["papers"]) == 2
    roles = {data["role"] for _, _, data in H.edges(data=True) if "role" in data}
    assert {"proposes", "uses", "runsOn", "evaluatedOn"} <= roles


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tables_have_the_documented_columns_and_the_sparql_row_counts(store, tmp_path, fmt):
    paths = export_store(store, fmt, tmp_path / "tables")
    assert sorted(p.name for p in paths) == sorted(f"{name}.{fmt}" for name in TABLES)
    for path in paths:
        name = path.name.split(".")[0]
        frame = pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
        assert list(frame.columns) == table_columns(name)
        assert len(frame) == _sparql_count(store, ROW_COUNTS[name]), name
        assert len(frame) > 0, name


def test_tables_are_typed_and_join(store):
    tables = store_tables(store)
    for name, frame in tables.items():
        assert [str(t) for t in frame.dtypes] == [c.dtype for c in TABLES[name]], name
    papers, entities, links, mentions = (tables[n] for n in ("papers", "entities", "links", "mentions"))
    assert set(links["paper"]) <= set(papers["paper"]) and set(links["entity"]) <= set(entities["entity"])
    assert set(mentions["entity"]) <= set(entities["entity"])
    p1 = papers.set_index("id").loc["p1"]
    assert p1["entities"] == 6 and p1["results"] == 1 and p1["date"] == "2023-05-01"
    a100 = links[links["role"] == "runsOn"].set_index("paper_id").loc["p1"]
    assert a100["device_count"] == 8 and a100["entity_type"] == "Hardware"
    lora = entities.set_index("label").loc["LoRA"]
    assert lora["papers"] == 2 and lora["aliases"] == "low-rank adaptation" and lora["type"] == "Method"
    result = tables["results"].iloc[0]
    assert result["metric_label"] == "perplexity" and result["numeric_value"] == pytest.approx(0.1)
    assert tables["relations"].iloc[0]["type"] == "evaluatedOn"


def test_cli_exports_to_default_and_given_paths(store, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--store", str(store)]) == 0
    assert (tmp_path / "graph.ttl").is_file()
    assert main(["export", "--format", "csv", "--store", str(store), "-o", str(tmp_path / "t")]) == 0
    assert (tmp_path / "t" / "papers.csv").is_file()
    assert "wrote" in capsys.readouterr().err


def test_unknown_format_is_a_one_line_error(store, tmp_path, capsys):
    assert main(["export", "--format", "xml", "--store", str(store), "-o", str(tmp_path / "g.xml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: [KG140] unknown export format 'xml'")
    assert not (tmp_path / "g.xml").exists()
    with pytest.raises(ExportError):
        export_store(store, "csv", "-")
    assert set(EXPORT_FORMATS) == {"turtle", "ntriples", "jsonld", "rdfxml", "graphml", "gexf", "csv", "parquet"}
