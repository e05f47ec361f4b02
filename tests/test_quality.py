"""Extraction quality on the gold dev set, measured the way score.py measures them (bars of issues 2 and 3)."""

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


def test_default_profile_keeps_its_measured_dev_scores(dev_scores):
    four, task = dev_scores
    lenient, strict = four.entities["lenient"], four.entities["strict"]
    # just under the scores measured at 4c67644 (micro 0.783, strict 0.723, lowest type Method 0.774,
    # Task 0.710), so that a regression shows; the issue 3 targets met are each >= 0.75, Task >= 0.70
    # and strict micro >= 0.70
    assert lenient["micro"].f1 >= 0.77
    assert strict["micro"].f1 >= 0.70
    assert min(lenient[t].f1 for t in ("Method", "Dataset", "Hardware", "Metric")) >= 0.75
    assert task.entities["lenient"]["Task"].f1 >= 0.70


def test_proposed_and_results_meet_the_issue_3_bars(dev_scores):
    four, _ = dev_scores
    # measured: proposed P 0.932 R 0.756; results F1 0.914 (issue 3: P and R >= 0.75; F1 >= 0.70)
    assert four.proposed.precision >= 0.75 and four.proposed.recall >= 0.75
    assert four.results.f1 >= 0.88
