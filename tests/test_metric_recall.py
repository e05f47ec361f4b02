"""Metric recall rules of ``kg_entities`` (sentences written for these tests)."""

from __future__ import annotations

from kg.extract.entities import is_quantified
from tests.span_helpers import span_of as _span


def test_measure_after_a_stated_change_is_quantified():
    assert is_quantified(_span("The cache gives a 40 % reduction in miss rate overall.", "miss rate"))
    assert is_quantified(_span("The router needs under 5 % of their energy budget.", "energy budget"))
    assert is_quantified(_span("Our kernel reaches 2.5x higher token throughput.", "token throughput"))


def test_measure_before_by_a_number_is_quantified():
    assert is_quantified(_span("Batching raises decoding speed by 31 % on both boards.", "decoding speed"))


def test_measure_without_a_value_is_not_quantified():
    assert not is_quantified(_span("We study decoding speed for 3 languages.", "decoding speed"))
    assert not is_quantified(_span("The miss rate depends on the workload.", "miss rate"))
    assert not is_quantified(_span("Table 3 lists the miss rate per layer.", "miss rate"))
