"""kg.load: the graph object, its tables (SPARQL on the store) and its rdflib and networkx views."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kg
from kg.api import KnowledgeGraph
from kg.errors import ConfigError, QueryError, StoreError
from kg.graph.projection import to_networkx
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import store_to_graph, write_store
from kg.normalize.canonical import normalize
from kg.query import run_query, saved_queries
from tests.corpus_fixture import fixture_extractions


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    write_store(corpus_to_graph(normalize(fixture_extractions())), folder / "store")
    return folder


@pytest.fixture(scope="module")
def g(out) -> KnowledgeGraph:
    return kg.load(out)


def test_import_kg_stays_cheap_and_exposes_load_and_build():
    code = "import sys, kg; print('pandas' in sys.modules, 'rdflib' in sys.modules, 'pyoxigraph' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False", "False"]
    assert "load" in kg.__all__ and kg.load is kg.api.load and callable(kg.build)


def test_load_accepts_the_output_folder_or_the_store_folder(out):
    assert len(kg.load(out).papers) == len(kg.load(out / "store").papers) == 3


def test_load_without_a_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no graph store"):
        kg.load(tmp_path)


def test_papers_table(g):
    papers = g.papers
    assert papers["id"].tolist() == ["p1", "p2", "p3"]
    assert papers["year"].tolist()[:2] == [2023, 2024] and papers["year"].isna().tolist() == [False, False, True]
    assert papers.set_index("id").loc["p3", "url"] == "https://example.org/p3"
    assert papers.set_index("id").loc["p1", "title"] == "BlockSparse: Sparse Attention"


def test_entities_table_counts_papers_like_the_saved_query(g, out):
    ents = g.entities.set_index("label")
    top = {r[1]: int(r[2]) for r in run_query(out, saved_queries()["top-methods"].text, timeout=None).rows}
    methods = g.entities[g.entities["type"] == "Method"]
    assert dict(zip(methods["label"], methods["papers"])) == top == {"Transformer": 3, "LoRA": 2, "BlockSparse": 1}
    assert ents.loc["LoRA", "aliases"] == "low-rank adaptation"
    assert ents.loc["BlockSparse", "proposed"] == 1 and ents.loc["LoRA", "proposed"] == 0
    assert ents.loc["Transformer", "external"] == "https://arxiv.org/abs/1706.03762"
    assert g.entities.groupby("type").size().to_dict() == {
        "Dataset": 1, "Hardware": 1, "Method": 3, "Metric": 2, "Task": 2,
    }  # fmt: skip


def test_links_mentions_results_and_relations(g):
    links = g.links
    assert len(links) == len(g.query("SELECT ?p ?e WHERE { ?p ?r ?e . ?p rkg:hasLink ?l . ?l rkg:linkedEntity ?e }"))
    proposes = links[links["role"] == "proposes"]
    assert len(proposes) == 1 and proposes["evidence"].iloc[0] == "A sentence about BlockSparse."
    hw = links[links["type"] == "Hardware"]
    assert sorted(hw["devices"].dropna().tolist()) == [8.0]
    assert set(links["role"]) == {"proposes", "uses", "addresses", "evaluatesOn", "measuresWith", "runsOn"}
    pairs = g.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?m ?e WHERE { ?m rkg:mentionOf ?e } }")
    assert len(g.mentions) == int(pairs["n"][0])
    assert g.mentions["start"].notna().all()
    r = g.results.iloc[0]
    assert (r["metric_label"], r["value"], r["number"], r["direction"], r["dataset_label"], r["method_label"]) == (
        "perplexity", "0.1", 0.1, "reduction", "PG-19", "BlockSparse",
    )  # fmt: skip
    assert g.relations[["relation", "head_label", "tail_label"]].values.tolist() == [
        ["evaluatedOn", "BlockSparse", "PG-19"]
    ]


def test_views_are_cached(g):
    assert g.papers is g.papers and g.entities is g.entities and g.nx is g.nx and g.rdf is g.rdf
    calls = []
    assert g.cached("k", lambda: calls.append(1) or 5) == g.cached("k", lambda: calls.append(1) or 6) == 5
    assert calls == [1]


def test_nx_view_is_the_projection_of_the_store(g, out):
    expected = to_networkx(store_to_graph(out))
    G = g.nx
    assert dict(G.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))


def test_rdf_view_reads_the_store_and_is_read_only(g, out):
    from rdflib import URIRef

    assert len(g.rdf) == len(store_to_graph(out)) > 100
    rows = list(g.rdf.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a rkg:Paper }"))
    assert int(rows[0][0]) == 3
    with pytest.raises(Exception, match="read-write"):
        g.rdf.add((URIRef("x:a"), URIRef("x:b"), URIRef("x:c")))


def test_query_returns_a_dataframe_and_reports_errors(g):
    df = g.query("SELECT ?id ?date WHERE { ?p dcterms:identifier ?id OPTIONAL { ?p dcterms:date ?date } } ORDER BY ?id")
    assert df["id"].tolist() == ["p1", "p2", "p3"] and df["date"].isna().tolist() == [False, False, True]
    assert list(g.query("SELECT ?x WHERE { ?x a rkg:Nothing }").columns) == ["x"]
    with pytest.raises(QueryError, match="syntax"):
        g.query("SELECT WHERE {")
    with pytest.raises(QueryError, match="SELECT"):
        g.query("ASK { ?s ?p ?o }")


def test_entity_and_paper_look_ups(g):
    lora = "https://w3id.org/research-kg/id/method/lora"
    assert g.entity("LoRA") == g.entity("low-rank adaptation") == g.entity("lora") == g.entity(lora) == lora
    assert g.entity("PG-19", type="Dataset").endswith("/dataset/pg-19")
    with pytest.raises(ConfigError, match="no Dataset entity named 'LoRA'"):
        g.entity("LoRA", type="Dataset")
    assert g.paper("p2") == g.paper("tuning transformers with lora") == "https://w3id.org/research-kg/id/paper/p2"
    with pytest.raises(ConfigError, match="no paper"):
        g.paper("p9")
