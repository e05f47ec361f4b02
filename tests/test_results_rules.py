"""Rules of ``kg_results`` for reading numeric claims, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.extract.results import find_results


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    nlp.add_pipe("kg_sentencizer")
    return nlp


def _results(nlp, text, ents=()):
    """(metric, value) pairs found in ``text`` whose entities are the given (surface, label) pairs."""
    doc = nlp("Title\n" + text)
    doc._.kg_abbreviations = []
    doc._.kg_proposed = []
    spans = []
    for surface, label in ents:
        start = doc.text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.spans[ENTITY_SPANS_KEY] = sorted(spans, key=lambda s: s.start)
    return [(r.metric, r.value) for r in find_results(doc)]


def test_a_list_of_values_pairs_with_a_list_of_metrics_in_order(nlp):
    text = "The cache lowers energy and latency by up to 30% and 45% on the server."
    got = _results(nlp, text, [("energy", "Metric"), ("latency", "Metric")])
    assert got == [("energy", "30%"), ("latency", "45%")]
    text = "It gives 12.5%, 2.1x and 1.4x gains in recall, speed and memory."
    got = _results(nlp, text, [("recall", "Metric"), ("speed", "Metric"), ("memory", "Metric")])
    assert got == [("recall", "12.5%"), ("speed", "2.1x"), ("memory", "1.4x")]


def test_respectively_names_the_measures_of_a_list_of_values(nlp):
    text = "Our scheduler reaches 4x and 2.5x larger batch size and context length respectively on one node."
    assert _results(nlp, text) == [("batch size", "4x"), ("context length", "2.5x")]


def test_a_metric_after_the_value_is_not_taken_across_and(nlp):
    text = "Sharding raises cluster utilisation by 12.5% and precision by 3.1%."
    got = _results(nlp, text, [("precision", "Metric")])
    assert got == [("cluster utilisation", "12.5%"), ("precision", "3.1%")]


def test_a_change_phrase_links_a_value_to_the_metric_after_it(nlp):
    text = "The model has an F1 of 0.82 and brings a 3-fold reduction in inference cost."
    got = _results(nlp, text, [("F1", "Metric"), ("inference cost", "Metric")])
    assert got == [("F1", "0.82"), ("inference cost", "3-fold")]


def test_counts_settings_and_enumerators_are_not_results(nlp):
    text = "Across 3 benchmarks with 8-bit weights and (2) pruning, the model reaches 91.2% accuracy."
    assert _results(nlp, text, [("accuracy", "Metric")]) == [("accuracy", "91.2%")]
    text = "The accuracy stays high on images of 4.5 megapixels."
    assert _results(nlp, text, [("accuracy", "Metric")]) == []


def test_between_x_and_y_is_one_value(nlp):
    text = "The detector keeps a precision between 70% and 85% on all scans."
    assert _results(nlp, text, [("precision", "Metric")]) == [("precision", "between 70% and 85%")]


def test_the_baseline_value_is_not_a_result(nlp):
    text = "The new parser has an F1 of 80.1%, up from 75.0%, and a recall of 64% vs 58% for the old one."
    got = _results(nlp, text, [("F1", "Metric"), ("recall", "Metric")])
    assert got == [("F1", "80.1%"), ("recall", "64%")]


def test_a_bracketed_mean_and_spread_restates_the_value(nlp):
    text = "The best run has 2.4% (2.6+/-0.2) test error and 7.0% error rate (7.3 +/- 0.4) on the shifted set."
    got = _results(nlp, text, [("test error", "Metric"), ("error rate", "Metric")])
    assert got == [("test error", "2.4%"), ("error rate", "7.0%")]


def test_a_unit_written_once_serves_the_whole_list(nlp):
    text = "Both engines reach similar peak throughput (1,200 and 1,350 tok/s) on the cluster."
    got = _results(nlp, text, [("peak throughput", "Metric")])
    assert got == [("peak throughput", "1,200"), ("peak throughput", "1,350 tok/s")]


def test_a_measure_named_without_a_metric_mention(nlp):
    assert _results(nlp, "The kernel shows a 35% drop in power draw.") == [("power draw", "35%")]
    assert _results(nlp, "It gives 3x higher request throughput overall.") == [("request throughput", "3x")]
    assert _results(nlp, "Caching cuts storage cost by up to 20% in practice.") == [("storage cost", "20%")]
    assert _results(nlp, "It gives 2x lower end-to-end latency.") == [("end-to-end latency", "2x")]
    assert _results(nlp, "Pruning keeps 98% of the teacher quality at half size.") == [("teacher quality", "98%")]
    assert _results(nlp, "The server sustains 900 tok/s under load.") == [("throughput", "900 tok/s")]


def test_no_measure_is_read_from_rivals_comparatives_or_adjectives(nlp):
    assert _results(nlp, "Our engine outperforms the reference engine by 2x.") == []
    assert _results(nlp, "The sampler is 5x cheaper than before.") == []
    assert _results(nlp, "The search is 4x more sample efficient.") == []
    assert _results(nlp, "Around 90% of generated molecules satisfying all valence rules are kept.") == []
    assert _results(nlp, "The model converges after 40 epochs.") == []


def test_a_contrast_word_ends_the_reach_of_a_metric(nlp):
    text = "The port adds a 2% latency overhead but 3x higher memory traffic."
    got = _results(nlp, text, [("latency overhead", "Metric")])
    assert got == [("latency overhead", "2%"), ("memory traffic", "3x")]
