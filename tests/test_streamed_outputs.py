"""Issue 8: the build writes the graph straight into the store and reads every later output back from it.

Each test checks that the scalable path gives what the in-memory rdflib path gave: the same triples,
the same viewer data and the same GraphML graph.
"""

from __future__ import annotations

import json

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.api import load
from kg.cache import load_extractions
from kg.export.graphml import graphml_ready, write_graphml
from kg.graph.bulk import StoreWriter
from kg.graph.projection import to_networkx
from kg.graph.rdf import canonical_literals, corpus_to_graph
from kg.graph.store import store_to_graph, write_store
from kg.normalize.canonical import normalize
from kg.viz.html import viewer_data
from kg.viz.view import _from_rdflib, _from_tables
from tests.corpus_fixture import fixture_extractions


def test_streaming_the_graph_into_the_store_writes_the_in_memory_graph(tmp_path):
    corpus = normalize(fixture_extractions())
    in_memory = corpus_to_graph(corpus)

    def fill(store) -> None:
        with StoreWriter(store, chunk=7) as sink:  # many small chunks
            corpus_to_graph(corpus, graph=sink)

    assert write_store(fill, tmp_path / "store") == len(in_memory)
    assert isomorphic(canonical_literals(store_to_graph(tmp_path / "store")), canonical_literals(in_memory))


def test_the_build_store_holds_the_graph_of_its_cached_extractions(demo_build):
    out, summary = demo_build
    expected = corpus_to_graph(normalize(load_extractions(out)))
    assert summary.triples == len(expected)
    assert isomorphic(canonical_literals(store_to_graph(out)), canonical_literals(expected))


def test_viewer_from_the_store_tables_is_the_viewer_of_the_rdflib_graph(demo_build):
    out, _ = demo_build
    G1, infos1 = _from_rdflib(store_to_graph(out))
    graph = load(out)
    try:
        G2, infos2 = _from_tables(graph)
    finally:
        graph.close()
    assert infos1 == infos2
    assert sorted(G1.edges(keys=True, data=True)) == sorted(G2.edges(keys=True, data=True))
    assert dict(G1.nodes(data=True)) == dict(G2.nodes(data=True))
    assert json.dumps(viewer_data(G1, infos1), sort_keys=True) == json.dumps(viewer_data(G2, infos2), sort_keys=True)
    assert any(d.get("statements") for *_, d in G2.edges(data=True))  # relation evidence came through


def _read(path) -> tuple[dict, dict]:
    H = nx.read_graphml(path, force_multigraph=True)
    return dict(H.nodes(data=True)), {(u, v, k): d for u, v, k, d in H.edges(keys=True, data=True)}


def test_graphml_reads_back_as_networkx_own_writer_reads(demo_build, tmp_path):
    out, _ = demo_build
    G = to_networkx(store_to_graph(out))
    nx.write_graphml(graphml_ready(G), tmp_path / "networkx.graphml")
    assert _read(write_graphml(G, tmp_path / "ours.graphml")) == _read(tmp_path / "networkx.graphml")
    assert _read(out / "graph.graphml") == _read(tmp_path / "networkx.graphml")  # what the build wrote


_XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff")


@settings(max_examples=60, deadline=None)
@given(
    label=st.text(_XML_CHARS, max_size=30),
    node=st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(
        lambda n: n != "p"
    ),
    papers=st.integers(-(2**40), 2**40),
    confidence=st.floats(allow_nan=False, allow_infinity=False),
)
def test_graphml_keeps_any_text_and_number(tmp_path_factory, label, node, papers, confidence):
    G = nx.MultiDiGraph()
    G.add_node(node, kind="Method", label=label, papers=papers, tags=["not", "graphml"])
    G.add_node("p", kind="Paper", label="P", papers=1)
    G.add_edge("p", node, key="uses", confidence=confidence, evidence=label)
    nodes, edges = _read(write_graphml(G, tmp_path_factory.mktemp("g") / "g.graphml"))
    # XML cannot hold most control characters at all: they are left out, everything else survives
    xml_label = "".join(c for c in label if c in "\t\n\r" or ord(c) >= 32)
    assert nodes[node]["label"] == xml_label and edges[("p", node, "uses")]["evidence"] == xml_label
    assert nodes[node]["papers"] == papers and "tags" not in nodes[node]
    assert edges[("p", node, "uses")]["confidence"] == confidence


def test_streamed_input_keeps_what_later_duplicates_add(tmp_path):
    """The build reads its input as a stream; a later duplicate still fills the first listing's gaps."""
    from kg.build import build

    rows_abstract = "We tune LLaMA-2 on 8 A100 GPUs."
    rows = [
        {"id": "a", "doi": "10.1234/xyz.1", "abstract": rows_abstract},
        {"id": "b", "title": "Other paper", "abstract": "We evaluate BERT on GLUE."},
        {"doi": "10.1234/xyz.1", "title": "LoRA for LLaMA-2", "abstract": rows_abstract, "date": "2024"},
    ]
    merged = [{**rows[0], "title": rows[2]["title"], "date": "2024"}, rows[1]]
    path = tmp_path / "papers.jsonl"  # one path for both: the graph records each paper's source line
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    one = build([path], tmp_path / "one", profile="fast", viewer=False)
    path.write_text("".join(json.dumps(r) + "\n" for r in merged), encoding="utf-8")
    two = build([path], tmp_path / "two", profile="fast", viewer=False)
    assert one.duplicates == 1 and one.papers == two.papers == 2
    paper_a = next(ex for ex in load_extractions(tmp_path / "one") if ex.paper.id == "a")
    # the title came from the duplicate, so the paper was extracted again with it
    assert paper_a.paper.date == "2024" and "LoRA" in {e.name for e in paper_a.entities}
    one_graph, two_graph = store_to_graph(tmp_path / "one"), store_to_graph(tmp_path / "two")
    assert isomorphic(canonical_literals(one_graph), canonical_literals(two_graph))
