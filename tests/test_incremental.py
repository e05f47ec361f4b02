"""Incremental builds: same input twice changes nothing, new input merges, remove undoes, failures keep the store."""

from __future__ import annotations

import json
import sys

import pytest

from kg.build import build, remove
from kg.errors import StoreError
from kg.graph.rdf import canonical_literals
from kg.graph.store import store_to_graph, triple_count


def _papers(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


A = [
    {"id": "a1", "title": "Post-Training Quantization for LLMs",
     "abstract": "Post-training quantization (PTQ) compresses large language models on NVIDIA A100 GPUs."},
    {"id": "a2", "title": "Sparse Attention",
     "abstract": "We introduce BlockSparse, evaluated on PG-19 with perplexity."},
]
B = [
    {"id": "b1", "title": "Cheaper PTQ", "abstract": "We apply PTQ to LLaMA-2 and report perplexity on WikiText-2."},
]


def test_same_input_twice_leaves_the_graph_unchanged(tmp_path):
    inp = _papers(tmp_path / "a.jsonl", A)
    out = tmp_path / "out"
    first = build([inp], out, profile="fast", viewer=False)
    g1 = canonical_literals(store_to_graph(out))
    second = build([inp], out, profile="fast", viewer=False)
    assert second.new_papers == 0 and second.triples == first.triples
    assert set(canonical_literals(store_to_graph(out))) == set(g1)


def test_second_input_adds_papers_and_merges_entities_then_remove_undoes_it(tmp_path):
    a = _papers(tmp_path / "a.jsonl", A)
    b = _papers(tmp_path / "b.jsonl", B)
    out = tmp_path / "out"
    only_a = build([a], out, profile="fast", viewer=False)
    g_a = set(canonical_literals(store_to_graph(out)))
    both = build([b], out, profile="fast", viewer=False)
    assert (only_a.papers, both.papers, both.new_papers) == (2, 3, 1)
    g = store_to_graph(out)
    ptq = "https://w3id.org/research-kg/id/method/post-training-quantization"
    papers_with_ptq = {str(s) for s, p, o in g if str(o) == ptq and str(p).endswith(("#uses", "#proposes"))}
    assert len(papers_with_ptq) == 2  # "PTQ" in b1 resolved through a1's definition
    removed = remove(["b1"], out, viewer=False)
    assert removed.removed == 1 and removed.papers == 2
    assert set(canonical_literals(store_to_graph(out))) == g_a


def test_remove_unknown_paper_is_a_clear_error(tmp_path):
    out = tmp_path / "out"
    build([_papers(tmp_path / "a.jsonl", A)], out, profile="fast", viewer=False)
    with pytest.raises(StoreError, match="no paper with id 'zz'"):
        remove(["zz"], out)


def test_a_failing_build_leaves_the_previous_store_usable(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build([_papers(tmp_path / "a.jsonl", A)], out, profile="fast", viewer=False)
    before = triple_count(out)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sys.modules["kg.build"], "corpus_to_graph", explode)  # fails while the new store is written
    with pytest.raises(RuntimeError):
        build([_papers(tmp_path / "b.jsonl", B)], out, profile="fast", viewer=False)
    assert triple_count(out) == before
    monkeypatch.undo()
    again = build([tmp_path / "b.jsonl"], out, profile="fast", viewer=False)
    assert again.papers == 3
