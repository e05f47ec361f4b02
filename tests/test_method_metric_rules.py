"""Method and Metric rules of ``kg_entities`` (sentences written for these tests)."""

from __future__ import annotations

from kg.extract.entities import is_measured, is_modifier_use, is_rate_unit, strip_measure_change
from tests.span_helpers import nlp
from tests.span_helpers import span_of as _span


def test_change_noun_is_dropped_from_a_measure():
    assert strip_measure_change(_span("The codec keeps the BLEU drop small.", "BLEU drop")).text == "BLEU"
    assert strip_measure_change(_span("Pruning causes no accuracy loss here.", "accuracy loss")).text == "accuracy"
    span = _span("We report recall improvements on both sets.", "recall improvements")
    assert strip_measure_change(span).text == "recall"


def test_training_loss_and_numbered_change_stay():
    assert strip_measure_change(_span("We add a contrastive loss term.", "contrastive loss")).text == "contrastive loss"
    span = _span("It compresses weights with a 1.2 % accuracy loss.", "accuracy loss")
    assert strip_measure_change(span).text == "accuracy loss"
    assert strip_measure_change(_span("A small gain.", "gain")).text == "gain"


def test_accuracy_before_loss_is_measured_not_an_objective():
    doc = nlp("Quantization brings negligible accuracy loss, unlike a cross entropy loss.")
    assert not is_modifier_use(_span(doc.text, "accuracy"))
    assert is_modifier_use(_span(doc.text, "cross entropy"))


def test_rate_unit_after_a_number():
    assert is_rate_unit(_span("The engine reaches 512 GOPS at 1 GHz.", "GOPS"))
    assert not is_rate_unit(_span("GOPS is a unit.", "GOPS"))


def test_competing_and_eliminating_are_comparisons():
    assert is_measured(_span("Our recurrent models compete with attention in perplexity.", "perplexity"))
    assert is_measured(_span("The schedule eliminates communication overhead.", "communication overhead"))
    assert not is_measured(_span("Perplexity is defined over tokens.", "Perplexity"))


def test_kb_measures_found_where_measured():
    from kg.extract.pipeline import load_pipeline

    pipe = load_pipeline()
    doc = pipe("Our ring schedule eliminates communication overhead and raises goodput by 2x over the baseline.")
    metrics = {s.text for s in doc.spans["kg_entities"] if s.label_ == "Metric"}
    assert "communication overhead" in metrics
    assert "goodput" in metrics


def test_rate_unit_is_no_method():
    from kg.extract.pipeline import load_pipeline

    pipe = load_pipeline()
    doc = pipe("The array delivers 256 GOPS and 4 TOPS at two computational scales.")
    assert not [s for s in doc.spans["kg_entities"] if s.label_ in ("Method", "Dataset") and s.text == "GOPS"]
