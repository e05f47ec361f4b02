"""Task rules of the ``kg_entities`` component, on hand-written sentences with hand-placed spans."""

from __future__ import annotations

import pytest
import spacy

from kg.extract.entities import (
    Candidate,
    EntityMerger,
    is_verb_or_reference,
    settle_tasks,
    strip_task_grade,
    strip_task_head,
    task_or_method,
    title_purpose_task,
    workload_task,
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    nlp.add_pipe("kg_sentencizer")
    return nlp


def _span(doc, text, nth=0):
    """The ``nth`` occurrence of ``text`` in ``doc`` as a token span."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return span


def _cands(doc, specs):
    """Candidates from ``(surface, type[, nth])`` triples."""
    out = [Candidate(_span(doc, text, *rest), etype, "ner") for text, etype, *rest in specs]
    return sorted(out, key=lambda c: c.span.start)


def _settled(doc, specs, abbreviations=()):
    doc._.kg_abbreviations = [(_span(doc, long), _span(doc, short)) for long, short in abbreviations]
    return [(c.span.text, c.type) for c in settle_tasks(_cands(doc, specs))]


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("We prove a sharpness theorem for deep networks.", "sharpness theorem", None),
        ("Edge devices rely on split computing to offload work.", "split computing", None),
        ("Responsible AI needs audits.", "AI", None),
        ("The kernel gives decoding acceleration on phones.", "decoding acceleration", None),
        ("We locate memory bottlenecks in training.", "memory bottlenecks", None),
        ("The sparse bottleneck (SB) approach compresses codes.", "sparse bottleneck", "Method"),
        ("Tensor parallelism spreads layers over cards.", "Tensor parallelism", None),
        ("The kernel speeds up LLM inference on phones.", "LLM inference", "Task"),
        ("They study speech recognition in noisy rooms.", "speech recognition", "Task"),
    ],
)
def test_task_or_method_heads(nlp, text, surface, expected):
    assert task_or_method(_span(nlp(text), surface)) == expected


def test_strip_task_head(nlp):
    doc = nlp("It helps legal drafting tasks, long-horizon problems and context-specific tasks.")
    assert strip_task_head(_span(doc, "legal drafting tasks")).text == "legal drafting"
    assert strip_task_head(_span(doc, "long-horizon problems")) is None
    assert strip_task_head(_span(doc, "context-specific tasks")) is None
    doc = nlp("We handle multilingual tasks and the routing problem.")
    assert strip_task_head(_span(doc, "multilingual tasks")) is None
    assert strip_task_head(_span(doc, "routing problem")).text == "routing"
    assert strip_task_head(_span(doc, "routing")).text == "routing"


def test_verb_or_reference(nlp):
    doc = nlp("To improve retrieval, we learn how to rank documents. Building on this idea, we test it.")
    assert is_verb_or_reference(_span(doc, "improve retrieval"))
    assert is_verb_or_reference(_span(doc, "rank"))
    assert is_verb_or_reference(_span(doc, "idea"))
    doc = nlp("The model transfers to question answering and these summarization tasks.")
    assert not is_verb_or_reference(_span(doc, "question answering"))
    assert not is_verb_or_reference(_span(doc, "summarization tasks"))


def test_settle_drops_bare_head_of_longer_task(nlp):
    doc = nlp("We study graph partitioning. The partitioning is hard, unlike sorting.")
    specs = [("graph partitioning", "Task"), ("partitioning", "Task", 1), ("sorting", "Task")]
    assert _settled(doc, specs) == [("graph partitioning", "Task"), ("sorting", "Task")]


def test_settle_named_approach_is_no_task(nlp):
    doc = nlp("The sparse coding (SC) approach is popular. We revisit sparse coding for denoising.")
    specs = [("sparse coding", "Method"), ("sparse coding", "Task", 1), ("denoising", "Task")]
    assert _settled(doc, specs) == [("sparse coding", "Method"), ("denoising", "Task")]


def test_settle_acronym_of_retyped_long_form(nlp):
    doc = nlp("Pipeline parallelism (PP) splits layers. PP suits long sequences, unlike retrieval.")
    specs = [("Pipeline parallelism", "Task"), ("PP", "Task", 1), ("retrieval", "Task")]
    settled = _settled(doc, specs, [("Pipeline parallelism", "PP")])
    assert settled == [("retrieval", "Task")]


def test_settle_keeps_other_types(nlp):
    doc = nlp("Artificial intelligence helps image captioning on GPUs.")
    specs = [("Artificial intelligence", "Task"), ("image captioning", "Task"), ("GPUs", "Hardware")]
    assert _settled(doc, specs) == [("image captioning", "Task"), ("GPUs", "Hardware")]


def test_title_purpose_task(nlp):
    doc = nlp(
        "A Library for Parsing Legal Contracts in Many Languages\n\n"
        "We release a library. It is for Parsing Legal Contracts."
    )
    assert title_purpose_task(doc, 2).text == "Parsing Legal Contracts"
    second_for = [t.i for t in doc if t.text == "for"][1]
    assert title_purpose_task(doc, second_for) is None  # not in the title
    assert title_purpose_task(nlp("Notes for Reading"), 1) is None  # no object
    assert title_purpose_task(nlp("Tools for Everything Else"), 1) is None  # no gerund
    assert title_purpose_task(nlp("Tools for Building fast Caches"), 1) is None  # lowercase word


def test_strip_task_grade_manner_words(nlp):
    doc = nlp("It allows robust parsing, end-to-end speech translation and Fast Fourier analysis.")
    assert strip_task_grade(_span(doc, "robust parsing")).text == "parsing"
    assert strip_task_grade(_span(doc, "end-to-end speech translation")).text == "speech translation"
    assert strip_task_grade(_span(doc, "Fast Fourier analysis")).text == "Fast Fourier analysis"
    assert strip_task_grade(_span(doc, "robust")).text == "robust"  # never to nothing
    doc = nlp("It studies fast matrix multiplication.")
    assert strip_task_grade(_span(doc, "fast matrix multiplication")).text == "fast matrix multiplication"


def test_settle_drops_manner_stripped_head(nlp):
    doc = nlp("We target image generation. Our model allows consistent generation.")
    generation = strip_task_grade(_span(doc, "consistent generation"))
    kept = [Candidate(_span(doc, "image generation"), "Task", "ner"), Candidate(generation, "Task", "ner")]
    assert [c.span.text for c in settle_tasks(kept)] == ["image generation"]


def test_title_action_noun_task(nlp):
    doc = nlp("Kestrel: Detection of Rare Bird Calls in Field Audio\n\nWe study bird calls.")
    assert title_purpose_task(doc, 1).text == "Detection of Rare Bird Calls"
    assert title_purpose_task(nlp("Kestrel: Detection in Audio"), 1) is None  # no "of"
    assert title_purpose_task(nlp("Kestrel: Design of small things"), 1) is None  # not title case
    assert title_purpose_task(nlp("Kestrel: Classifying Rare Bird Calls"), 1) is None  # a gerund needs "for"


def test_workload_task(nlp):
    doc = nlp("Our kernel speeds up VLM inference and GNN serving, unlike approximate inference.")
    assert workload_task(doc, _span(doc, "inference").start).text == "VLM inference"
    assert workload_task(doc, _span(doc, "serving").start).text == "GNN serving"
    assert workload_task(doc, _span(doc, "inference", 1).start) is None  # no model family before it


def test_workload_task_takes_over_model_acronym(nlp):
    merger = EntityMerger(propagate=False)
    doc = nlp("We serve LLM inference on phones.")
    kept = [Candidate(_span(doc, "LLM"), "Method", "kb")]
    assert [(c.span.text, c.type) for c in merger._add_workload_tasks(doc, kept)] == [("LLM inference", "Task")]
    kept = [Candidate(_span(doc, "LLM inference on phones"), "Task", "ner")]
    assert merger._add_workload_tasks(doc, kept) == kept  # a Task already there stays
