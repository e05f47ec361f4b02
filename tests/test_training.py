"""Training data alignment and the `kg train` plumbing (a few steps on our own demo annotations)."""

from __future__ import annotations

import json

import pytest
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


def _docs(path) -> int:
    from spacy.tokens import DocBin

    return len(DocBin().from_disk(path))


def test_train_model_adds_scierc_train_when_asked(tmp_path):
    annotations = tmp_path / "ann"
    annotations.mkdir()
    src = (pipelines_dir() / "training" / "synthetic_A.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    (annotations / "tiny.jsonl").write_text("\n".join(src) + "\n", encoding="utf-8")
    scierc = tmp_path / "shared" / "external" / "scierc"
    scierc.mkdir(parents=True)
    text = "We apply beam search to machine translation and report BLEU ."
    row = {"id": "x", "text": text, "entities": [
        {"start": 9, "end": 20, "type": "Method", "text": "beam search"},
        {"start": 24, "end": 43, "type": "Task", "text": "machine translation"},
        {"start": 55, "end": 59, "type": "Metric", "text": "BLEU"},
    ]}
    (scierc / "train.jsonl").write_text(
        "\n".join(json.dumps({**row, "id": f"s{i}"}) for i in range(3)) + "\n", encoding="utf-8"
    )
    train_model(tmp_path / "shared", tmp_path / "run", config=pipelines_dir() / "spancat.cfg",
                annotations=annotations, max_steps=2, with_scierc=True)
    corpus = tmp_path / "run" / "corpus"
    assert _docs(corpus / "train.spacy") + _docs(corpus / "dev.spacy") == 15
    assert _docs(corpus / "dev.spacy") == 1  # the dev split of the 12 own records; SciERC goes to train only


def test_train_model_with_scierc_needs_the_shared_file(tmp_path):
    from kg.errors import InputError

    annotations = tmp_path / "ann"
    annotations.mkdir()
    src = (pipelines_dir() / "training" / "synthetic_A.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    (annotations / "tiny.jsonl").write_text("\n".join(src) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="with-scierc"):
        train_model(tmp_path, tmp_path / "run", config=pipelines_dir() / "spancat.cfg",
                    annotations=annotations, max_steps=1, with_scierc=True)
