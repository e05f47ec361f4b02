"""``progress=True``: the heavy analyses and the report draw visible bars (tqdm on stderr outside Jupyter)."""

from __future__ import annotations

import pytest

from kg.analysis import communities, demo_graph, gaps, pagerank, similar_entities, similar_papers, topic_clusters
from kg.analysis._common import no_progress, progress_bars
from kg.report import write_report


def test_no_bar_by_default(capsys):
    g = demo_graph()
    pagerank(g)
    communities(g)
    topic_clusters(g)
    gaps(g)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("run", "names"),
    [
        (lambda g: pagerank(g, progress=True), ["PageRank"]),
        (lambda g: communities(g, progress=True), ["Communities", "3/3"]),
        (lambda g: topic_clusters(g, k=2, progress=True), ["TF-IDF of papers", "Topic clusters", "1/1"]),
        (lambda g: gaps(g, progress=True), ["Link gaps"]),
        (lambda g: similar_papers(g, "d1", progress=True), ["TF-IDF of papers"]),
        (lambda g: similar_entities(g, "LoRA", progress=True), ["TF-IDF of entities"]),
    ],
)
def test_progress_true_draws_a_bar(capsys, run, names):
    run(demo_graph())  # a fresh graph: nothing cached, so every stage runs
    err = capsys.readouterr().err
    for name in names:
        assert name in err, err


def test_the_report_draws_its_sections_and_the_analyses(capsys, tmp_path):
    write_report(demo_graph(), tmp_path / "report.html", progress=True)
    err = capsys.readouterr().err
    assert "Report sections" in err and "11/11" in err
    assert "PageRank" in err and "Communities" in err and "Link gaps" in err


def test_progress_bars_passes_callbacks_through_and_closes_open_bars(capsys):
    seen = []
    with progress_bars(lambda *a: seen.append(a)) as report:
        report("gaps", 1, 2)
    assert seen == [("gaps", 1, 2)]
    with progress_bars(False) as report:
        assert report is no_progress
    with progress_bars(True) as report:
        report("pagerank", 3, None)  # unknown total: closed (and printed) when the block ends
        bars = report.bars
    assert bars == {} and "PageRank (iterations): 3it" in capsys.readouterr().err


def test_load_with_progress_reports_each_view_once(capsys):
    import kg

    folder = demo_graph().path
    seen = []
    g = kg.load(folder, progress=lambda *a: seen.append(a))
    assert len(g.entities) == len(g.entities)
    assert ("entities", 0, 1) in seen and ("entities", 1, 1) in seen and ("edges", 1, 1) in seen
    assert seen.count(("entities", 1, 1)) == 1  # cached: reported once
    len(kg.load(folder, progress=True).links)
    assert "Reading links" in capsys.readouterr().err
    len(kg.load(folder).links)
    assert capsys.readouterr().err == ""
