"""Every saved query, run on the fixture graph, gives its known answer."""

from __future__ import annotations

import pytest

from kg.errors import QueryError, QueryTimeoutError
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.normalize.canonical import normalize
from kg.query import resolve_query, run_query, saved_queries
from tests.corpus_fixture import fixture_extractions


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "store"
    write_store(corpus_to_graph(normalize(fixture_extractions())), path)
    return path


def rows(store, name):
    return [tuple(r) for r in run_query(store, saved_queries()[name].text, timeout=None).rows]


EXPECTED = {
    "top-methods": lambda r: (
        [(x[1], x[2]) for x in r] == [("Transformer", "3"), ("LoRA", "2"), ("BlockSparse", "1")]
    ),
    "method-datasets": lambda r: (
        r == [("Transformer", "PG-19", "2"), ("BlockSparse", "PG-19", "1"), ("LoRA", "PG-19", "1")]
    ),
    "hardware-tasks": lambda r: r == [("NVIDIA A100", "language modeling", "2")],
    "metrics-per-task": lambda r: (
        r == [("language modeling", "perplexity", "2"), ("summarization", "ROUGE", "1")]
    ),
    "proposed-methods": lambda r: (
        [(x[0], x[1]) for x in r] == [("BlockSparse", "BlockSparse: Sparse Attention")]
    ),
    "cooccurring-methods": lambda r: r == [("LoRA", "Transformer", "2")],
    "results-by-metric": lambda r: (
        r == [("perplexity", "0.1", "reduction", "PG-19", "dense attention", "BlockSparse: Sparse Attention")]
    ),
    "entity-aliases": lambda r: (
        ("Method", "LoRA", "low-rank adaptation", "2") in r
        and ("Task", "language modeling", "Language Modeling", "2") in r
    ),
    "linked-entities": lambda r: (
        ("Method", "Transformer", "https://arxiv.org/abs/1706.03762", "3") in r
        and not any(x[1] == "BlockSparse" for x in r)
    ),
    "hardware-usage": lambda r: r == [("NVIDIA A100", "NVIDIA", None, "2", "8")],
    "papers-per-year": lambda r: r == [("2023", "1"), ("2024", "1")],
}


def test_every_saved_query_has_a_description_and_an_expected_answer():
    saved = saved_queries()
    assert len(saved) >= 8
    assert set(saved) == set(EXPECTED)
    assert all(q.description and q.description.endswith("?") for q in saved.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_query_answer(store, name):
    result = rows(store, name)
    assert EXPECTED[name](result), result


def test_query_by_name_file_or_text_and_errors(store, tmp_path):
    assert resolve_query("top-methods").startswith("#")
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a rkg:Paper }")
    assert run_query(store, resolve_query(str(rq))).rows == (("3",),)
    with pytest.raises(QueryError, match="not SPARQL"):
        resolve_query("no-such-query")
    with pytest.raises(QueryError, match="syntax"):
        run_query(store, "SELECT WHERE {")
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "INSERT DATA { <x:a> <x:b> <x:c> }")


def test_query_timeout_stops_a_runaway_query(store):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeoutError, match=r"stopped after 0\.5 s"):
        run_query(store, slow, timeout=0.5)
