"""Training data alignment and the `kg train` plumbing (a few steps on our own demo annotations)."""

from __future__ import annotations

import json

import spacy

from kg.extract.training import align_forms, load_training_records, make_doc, train_model
from kg.resources import pipelines_dir


def test_align_forms_prefers_longest_and_whole_words():
    text = "LoRA and QLoRA; low-rank adaptation (LoRA) of LLMs."
    rec = {"Method": [["low-rank adaptation", "LoRA"], ["QLoRA"], ["LLMs"]]}
    spans = [(text[s:e], t) for s, e, t in align_forms(text, rec)]
    assert spans == [("LoRA", "Method"), ("QLoRA", "Method"), ("low-rank adaptation", "Method"),
                     ("LoRA", "Method"), ("LLMs", "Method")]


def test_synthetic_annotations_align_almost_completely():
    records = load_training_records(sorted((pipelines_dir() / "training").glob("synthetic_*.jsonl")), pipelines_dir())
    assert len(records) >= 300
    nlp = spacy.blank("en")
    doc = make_doc(nlp, records[0])
    assert len(doc.ents) > 5 and doc.spans["sc"]


def test_train_model_runs_end_to_end_on_a_tiny_set(tmp_path):
    annotations = tmp_path / "ann"
    annotations.mkdir()
    src = (pipelines_dir() / "training" / "synthetic_A.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    (annotations / "tiny.jsonl").write_text("\n".join(src) + "\n", encoding="utf-8")
    best = train_model(tmp_path, tmp_path / "run", config=pipelines_dir() / "spancat.cfg",
                       annotations=annotations, max_steps=2)
    nlp = spacy.load(best)
    assert "spancat" in nlp.pipe_names
    meta = json.loads((best / "meta.json").read_text())
    assert meta["pipeline"] == ["tok2vec", "spancat"]
