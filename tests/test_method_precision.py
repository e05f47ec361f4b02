"""Method precision rules of ``kg_entities`` (sentences written for these tests)."""

from __future__ import annotations

from kg.extract.entities import Candidate, drop_tools_used, is_tool_use, is_value_head, names_data
from tests.span_helpers import nlp
from tests.span_helpers import span_of as _span


def test_name_before_a_data_head_names_data():
    text = "We annotate the Wikiquiz corpus and report on the OpenBirds classification benchmark."
    assert names_data(_span(text, "Wikiquiz"))
    assert names_data(_span(text, "OpenBirds"))
    assert names_data(_span("Scores on MegaSpeech (MS) datasets rise.", "MegaSpeech"))


def test_names_listed_after_a_data_head_name_data():
    text = "We evaluate on three datasets, TinyShop, Movie Logs and CityRides, where Fastrec wins."
    assert names_data(_span(text, "TinyShop"))
    assert names_data(_span(text, "Movie Logs"))
    assert names_data(_span(text, "CityRides"))
    assert not names_data(_span(text, "Fastrec"))


def test_model_names_stay_methods():
    text = "Fastrec models beat the GRU baseline trained on our dataset, and SlimNet uses data augmentation."
    assert not names_data(_span(text, "Fastrec"))
    assert not names_data(_span(text, "GRU"))
    assert not names_data(_span(text, "SlimNet"))


def test_vectors_and_priors_are_values_not_methods():
    text = "The decoder reads a summary vector, samples from learned priors and trains a support vector machine."
    assert is_value_head(_span(text, "summary vector"))
    assert is_value_head(_span(text, "learned priors"))
    assert not is_value_head(_span(text, "support vector machine"))
    assert not is_value_head(_span(text, "decoder"))
    assert is_value_head(_span("Its bound holds under a smoothness assumption.", "smoothness assumption"))


def test_software_only_named_as_used_is_left_out():
    text = "Kernels ship in the Graphtool package and run under ServeX v2.1 beside the Qwerty 2.0 model."
    assert is_tool_use(_span(text, "Graphtool"))
    assert is_tool_use(_span(text, "ServeX"))
    assert not is_tool_use(_span(text, "Qwerty"))
    doc = nlp("Graphtool : fast kernels . We ship the Graphtool package and the Meshkit package .")
    for i, tok in enumerate(doc):
        tok.is_sent_start = i in (0, 5)
    kept = [Candidate(doc[i : i + 1], "Method", "ner") for i in (0, 8, 12)]
    # named in the title, the package is studied; the other one is only used
    assert [c.span.text for c in drop_tools_used(kept)] == ["Graphtool", "Graphtool"]
