"""Extraction quality on the gold dev set: the bars of issue 2, measured the way score.py measures them."""

from __future__ import annotations

import json

import pytest

from kg.build import extract_corpus
from kg.evaluate import evaluate
from kg.export.extractions import extraction_to_json


@pytest.fixture(scope="module")
def dev_scores(shared):
    corpus, _ = extract_corpus([shared / "seeds"], profile="default")
    rows = [extraction_to_json(ex, corpus.entities) for ex in corpus.extractions]
    lines = (shared / "annotation" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    gold = [json.loads(line) for line in lines if line.strip()]
    four = evaluate(gold, rows, ["Method", "Dataset", "Hardware", "Metric"])
    task = evaluate(gold, rows, ["Task"])
    return four, task


def test_default_profile_meets_the_issue_2_bar_on_dev(dev_scores):
    four, task = dev_scores
    lenient = four.entities["lenient"]
    # issue 2 bars were 0.70 / 0.60 / 0.50; raised to just under the measured dev scores
    # (micro 0.760, lowest type Method 0.753, Metric 0.761, Task 0.601) so that a regression shows
    assert lenient["micro"].f1 >= 0.75
    assert min(lenient[t].f1 for t in ("Method", "Dataset", "Hardware", "Metric")) >= 0.74
    assert task.entities["lenient"]["Task"].f1 >= 0.59  # measured 0.601 (bare process nouns kept as Tasks)


def test_proposed_and_results_are_extracted(dev_scores):
    four, _ = dev_scores
    assert four.proposed.f1 >= 0.62 and four.results.f1 >= 0.55  # measured 0.631 and 0.551
