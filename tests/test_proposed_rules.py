"""Rules of the ``kg_proposed`` component, on a blank pipeline with hand-placed entity spans."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Span

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.extract.proposed import (
    ProposalFinder,
    add_coined_names,
    find_proposed,
    is_generic,
    link_title_names,
    retype_proposals,
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    nlp.add_pipe("kg_sentencizer")
    return nlp


def _doc(nlp, text, ents=()):
    """A doc whose entity spans are ``(surface, label[, kb key])`` at every whole-word occurrence."""
    doc = nlp(text)
    doc._.kg_abbreviations = []
    spans = []
    for surface, label, *key in ents:
        for m in re.finditer(rf"(?<![\w.-]){re.escape(surface)}(?!\w|[.-]\w)", text):
            span = doc.char_span(m.start(), m.end())
            spans.append(Span(doc, span.start, span.end, label=label, span_id=key[0] if key else ""))
    doc.spans[ENTITY_SPANS_KEY] = sorted(spans, key=lambda s: s.start)
    return doc


def _proposed(doc):
    return list(dict.fromkeys(s.text for s in find_proposed(doc)))


def _run(doc):
    return ProposalFinder()(doc)._.kg_proposed


def test_coined_name_after_naming_word_becomes_a_method(nlp):
    doc = _doc(nlp, "On Adapters\nOur method, named Zephyr, mixes two branches. Zephyr is fast.")
    add_coined_names(doc)
    spans = [(s.text, s.label_, s._.kg_source) for s in doc.spans[ENTITY_SPANS_KEY]]
    assert spans == [("Zephyr", "Method", "coined"), ("Zephyr", "Method", "coined")]
    assert _proposed(doc) == ["Zephyr"]


def test_coined_name_after_proposal_verb_and_title_head(nlp):
    doc = _doc(nlp, "Trace Models\nHere we introduce QuillNet, a diffusion model for graphs.")
    add_coined_names(doc)
    assert [s.text for s in doc.spans[ENTITY_SPANS_KEY]] == ["QuillNet"]
    doc = _doc(nlp, "Zephyr: Fast Adapters for Vision\nWe study adapters.")
    add_coined_names(doc)
    assert [s.text for s in doc.spans[ENTITY_SPANS_KEY]] == ["Zephyr"]
    # without an apposition the capitalised word after the verb is not taken as a name
    doc = _doc(nlp, "Trace Models\nWe present Results on two tasks.")
    add_coined_names(doc)
    assert list(doc.spans[ENTITY_SPANS_KEY]) == []


def test_namely_before_a_list_names_no_proposal(nlp):
    text = "Chips\nWe compare three generations, namely Volta, Turing, and Ampere."
    doc = _doc(nlp, text)
    add_coined_names(doc)
    assert list(doc.spans[ENTITY_SPANS_KEY]) == []
    doc = _doc(nlp, text, [("Volta", "Method"), ("Turing", "Method"), ("Ampere", "Method")])
    assert _proposed(doc) == []


def test_data_words_count_near_the_name_and_not_in_compounds(nlp):
    text = "Tiny Models\nWe present a data-free pruning scheme built on sign flips and sparse masks, dubbed KESTREL."
    doc = _doc(nlp, text, [("KESTREL", "Dataset")])
    retype_proposals(doc)
    assert [s.label_ for s in doc.spans[ENTITY_SPANS_KEY]] == ["Method"]
    doc = _doc(nlp, "Robots\nWe introduce ORCA, a benchmark of household tasks.", [("ORCA", "Dataset")])
    retype_proposals(doc)
    assert [s.label_ for s in doc.spans[ENTITY_SPANS_KEY]] == ["Dataset"]


def test_broad_concepts_are_generic(nlp):
    doc = _doc(
        nlp,
        "T\nLLMs and a statistical model and Pointer Networks and a proxy cost model.",
        [
            ("LLMs", "Method", "large-language-model"),
            ("statistical model", "Method"),
            ("Pointer Networks", "Method", "pointer-network"),
            ("proxy cost model", "Method"),
        ],
    )
    assert [is_generic(s) for s in doc.spans[ENTITY_SPANS_KEY]] == [True, True, False, False]
    doc = _doc(
        nlp,
        "Crystals\nWe propose fine-tuning LLMs for crystal generation.",
        [("fine-tuning", "Method", "fine-tuning"), ("LLMs", "Method", "large-language-model")],
    )
    assert _proposed(doc) == []


def test_generic_head_passes_to_its_apposition(nlp):
    doc = _doc(
        nlp,
        "Crystals\nWe propose a generative model, Lattice Flow (LaFlow), for crystals.",
        [("generative model", "Method", "generative-model"), ("Lattice Flow", "Method"), ("LaFlow", "Method")],
    )
    assert _proposed(doc) == ["Lattice Flow"]


def test_object_ends_at_a_relative_clause_and_an_instrument(nlp):
    doc = _doc(
        nlp,
        "Spikes\nWe present a spiking variant of this design, which introduces a gated mixer.",
        [("gated mixer", "Method")],
    )
    assert _proposed(doc) == []
    doc = _doc(
        nlp,
        "Concepts\nWe propose a new classifier with Concept Gates (CGs).",
        [("Concept Gates", "Method"), ("CGs", "Method")],
    )
    assert _proposed(doc) == []


def test_a_named_problem_is_not_a_proposal(nlp):
    doc = _doc(
        nlp,
        "Recall\nWe reduce recall to a problem called set cover, which is hard.",
        [("set cover", "Method")],
    )
    add_coined_names(doc)
    assert _proposed(doc) == []


def test_the_base_of_an_x_based_method_is_not_proposed(nlp):
    doc = _doc(
        nlp,
        "Peptides\nWe propose a Beam Search (BS)-based planner for peptides.",
        [("Beam Search", "Method")],
    )
    assert _proposed(doc) == []
    doc = _doc(
        nlp,
        "Crystals\nWe develop an invariant sequence model based on the Transformer encoder.",
        [("invariant sequence model", "Method"), ("Transformer", "Method")],
    )
    assert _proposed(doc) == ["invariant sequence model"]


def test_our_proposed_name(nlp):
    text = "Causal Graphs\nIn tests, our proposed end-to-end Graph Widget beats a strong baseline."
    doc = _doc(nlp, text, [("Graph Widget", "Method")])
    assert _proposed(doc) == ["Graph Widget"]
    doc = _doc(nlp, "Causal Graphs\nThe proposed method outperforms LoRA.", [("LoRA", "Method")])
    assert _proposed(doc) == []


def test_variants_of_a_proposed_name(nlp):
    text = "TALON-1: Fast Search\nWe introduce TALON-1, a planner. We extend TALON-1 to TALON-1X for games."
    doc = _doc(nlp, text, [("TALON-1", "Method"), ("TALON-1X", "Method")])
    assert _proposed(doc) == ["TALON-1", "TALON-1X"]
    text = "anyq8: Learned Codes\nWe present anyq8, a code. We also try anyq6 at lower bits."
    doc = _doc(nlp, text, [("anyq8", "Method"), ("anyq6", "Method")])
    assert _proposed(doc) == ["anyq8", "anyq6"]


def test_coordinated_proposal_verb_and_passive_tense(nlp):
    text = "Rings\nTo scale, we joined two schedules and proposed Ring Mixer (RM)."
    doc = _doc(nlp, text, [("Ring Mixer", "Method"), ("RM", "Method")])
    assert _proposed(doc) == ["Ring Mixer"]
    doc = _doc(nlp, "Search\nIt got cheaper since the original NAS was proposed.", [("NAS", "Method")])
    assert _proposed(doc) == []
    doc = _doc(nlp, "Search\nA new search, SwiftNAS is proposed.", [("SwiftNAS", "Method")])
    assert _proposed(doc) == ["SwiftNAS"]


def test_new_parts_of_a_proposal(nlp):
    text = "Wavelet: A Simulator\nWe introduce Wavelet, a model. Wavelet incorporates a refinement module for errors."
    doc = _doc(nlp, text, [("Wavelet", "Method"), ("refinement module", "Method")])
    assert _proposed(doc) == ["Wavelet", "refinement module"]
    text = "Rings\nWe introduce Looma. At its core lies Ring-Scan, a new collective primitive."
    doc = _doc(nlp, text, [("Looma", "Method"), ("Ring-Scan", "Method")])
    assert _proposed(doc) == ["Looma", "Ring-Scan"]
    text = "Matrices\nScoring uses cheap heuristics, including the new Greedy-Cut strategy."
    doc = _doc(nlp, text, [("Greedy-Cut", "Method")])
    assert _proposed(doc) == ["Greedy-Cut"]
    # a name used before is not new: "a new SP method" after "sequence parallelism (SP)"
    text = "Rings\nSequence parallelism (SP) is slow. We give a new SP method."
    doc = _doc(nlp, text, [("SP", "Method")])
    assert _proposed(doc) == []


def test_known_as_and_our_named_method(nlp):
    text = (
        "Concepts\nWe add a new type of layers known as Concept Gate Layers. "
        "With our Gate Matrix Search algorithm we win."
    )
    doc = _doc(nlp, text)
    add_coined_names(doc)
    assert _proposed(doc) == ["Concept Gate Layers", "Gate Matrix Search"]


def test_title_rules(nlp):
    # a title that studies a method does not propose it
    title = "Understanding Neural Search Techniques\nWe study it."
    doc = _doc(nlp, title, [("Neural Search", "Method")])
    assert _proposed(doc) == []
    doc = _doc(nlp, "PAC Label Sets for Code Models\nWe study it.", [("PAC Label Sets", "Method")])
    assert _proposed(doc) == ["PAC Label Sets"]
    title = "Route Planning via Worst-case Tree Optimisation\nWe study it."
    doc = _doc(nlp, title, [("Route Planning", "Task"), ("Worst-case Tree Optimisation", "Method")])
    assert _proposed(doc) == ["Worst-case Tree Optimisation"]
    # one plain word is no name, and the phrase after a colon is not taken on its own
    title = "Faster Engines through Transformation of Bits\nWe study it."
    doc = _doc(nlp, title, [("Transformation", "Method")])
    assert _proposed(doc) == []
    title = "Unveiling Heads: Provable Training Dynamics\nWe study it."
    doc = _doc(nlp, title, [("Provable Training Dynamics", "Method")])
    assert _proposed(doc) == []
    # the title head is the proposal, so the phrase after "with" is not added
    title = "Quill: Generation with Guided Discrete Flow\nWe study it."
    doc = _doc(nlp, title, [("Quill", "Method"), ("Guided Discrete Flow", "Method")])
    assert _proposed(doc) == ["Quill"]


def test_one_form_per_entity(nlp):
    text = "Zephyr: Multi-branch Low-rank Adapters\nThe proposed method, named Zephyr, is fast."
    doc = _doc(nlp, text, [("Multi-branch Low-rank Adapters", "Method")])
    add_coined_names(doc)
    link_title_names(doc)
    assert [(a.text, b.text) for a, b in doc._.kg_abbreviations] == [("Multi-branch Low-rank Adapters", "Zephyr")]
    # "Gull" and "Gull.jl" are one name
    doc = _doc(nlp, "Gull.jl: A Toolbox\nWe present Gull, a toolbox for phases.", [("Gull", "Method")])
    assert _run(doc) == ["Gull.jl"]
    # two case variants are one entity
    text = "Sequence Mixing: Long Inputs\nIn this work, we propose sequence mixing, a way to split inputs."
    doc = _doc(nlp, text, [("Sequence Mixing", "Method"), ("sequence mixing", "Method")])
    assert _run(doc) == ["Sequence Mixing"]


def test_a_known_name_before_a_generic_head_is_a_modifier(nlp):
    text = "Concepts\nGate Models (GMs) are popular. We propose a novel GM approach -- called Named-GM -- for images."
    doc = _doc(nlp, text, [("GM", "Method"), ("Named-GM", "Method")])
    assert _proposed(doc) == ["Named-GM"]
    # a name first used here is the proposal: "the FooNet architecture"
    doc = _doc(nlp, "Nets\nWe propose the FooNet architecture for images.", [("FooNet", "Method")])
    assert _proposed(doc) == ["FooNet"]
