"""kg.analysis: every function against known answers (the fixture, the demo corpus) and independent computations."""

from __future__ import annotations

import math
import time

import networkx as nx
import numpy as np
import pytest

import kg
from kg.analysis import (
    communities,
    cooccurrence,
    cooccurrence_pairs,
    declining,
    demo_graph,
    emerging,
    entity_communities,
    entity_trends,
    gaps,
    link_gaps,
    method_dataset,
    method_hardware,
    method_proposals,
    overview,
    pagerank,
    paper_topics,
    papers_per_year,
    proposed_methods,
    similar_entities,
    similar_papers,
    task_metric,
    top_entities,
    top_results,
    topic_clusters,
    yearly_counts,
)
from kg.analysis._common import entity_adjacency
from kg.errors import ConfigError
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.normalize.canonical import normalize
from kg.query import run_query, saved_queries
from kg.records import Extraction, Paper
from tests.corpus_fixture import fixture_extractions


def synthetic_store(folder, *, papers: int, entities: int, seed: int = 0):
    """A random graph written straight into Oxigraph (no rdflib): topics of words and entities,
    Zipf-popular entities, years, roles, evidence, proposals, results and relations. Returns the folder."""
    import pyoxigraph as ox

    from kg.graph.iris import entity_iri, link_iri, paper_iri, result_iri
    from kg.graph.store import STORE_MARKER

    rng = np.random.default_rng(seed)
    rkg = "https://w3id.org/research-kg/ontology#"
    types = ["Method", "Task", "Dataset", "Hardware", "Metric"]
    roles = {
        "Method": "uses", "Task": "addresses", "Dataset": "evaluatesOn", "Hardware": "runsOn", "Metric": "measuresWith",
    }  # fmt: skip
    n_topics = 12
    etype = rng.choice(5, size=entities, p=[0.5, 0.2, 0.15, 0.05, 0.1])
    etopic = rng.integers(0, n_topics, size=entities)
    iris = [str(entity_iri(f"{types[t]}/e{i}")) for i, t in enumerate(etype)]
    words = [[f"w{t}x{j}" for j in range(40)] for t in range(n_topics)]
    lines = []
    add = lines.append
    lit = '"{}"'.format
    for i, t in enumerate(etype):
        add(f"<{iris[i]}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{rkg}{types[t]}> .")
        add(f"<{iris[i]}> <http://www.w3.org/2004/02/skos/core#prefLabel> {lit(f'{types[t]} {i}')} .")
    by_topic = [np.flatnonzero(etopic == t) for t in range(n_topics)]
    pop = [1.0 / np.arange(1, len(ix) + 1) ** 1.1 for ix in by_topic]
    pop = [p / p.sum() for p in pop]
    for p in range(papers):
        piri = str(paper_iri(f"s{p}"))
        topic = int(rng.integers(0, n_topics))
        text = " ".join([*rng.choice(words[topic], size=30), *rng.choice(words[(topic + 1) % n_topics], size=5)])
        add(f"<{piri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{rkg}Paper> .")
        add(f"<{piri}> <http://purl.org/dc/terms/identifier> {lit(f's{p}')} .")
        add(f"<{piri}> <http://purl.org/dc/terms/title> {lit(f'Paper {p}')} .")
        add(f"<{piri}> <http://purl.org/dc/terms/abstract> {lit(text)} .")
        add(f'<{piri}> <http://purl.org/dc/terms/date> "{2015 + p % 10}"^^<http://www.w3.org/2001/XMLSchema#gYear> .')
        k = int(rng.integers(6, 14))
        size = min(k, len(by_topic[topic]))
        chosen = set(rng.choice(by_topic[topic], size=size, replace=False, p=pop[topic]).tolist())
        for e in chosen:
            role = roles[types[etype[e]]]
            if etype[e] == 0 and rng.random() < 0.03:
                role = "proposes"
            lk = str(link_iri(f"s{p}", role, f"{types[etype[e]]}/e{e}"))
            add(f"<{piri}> <{rkg}{role}> <{iris[e]}> .")
            add(f"<{piri}> <{rkg}hasLink> <{lk}> .")
            add(f"<{lk}> <{rkg}role> <{rkg}{role}> .")
            add(f"<{lk}> <{rkg}linkedEntity> <{iris[e]}> .")
            add(f"<{lk}> <{rkg}evidence> {lit(f'We use {types[etype[e]]} {e} with ' + text[:60])} .")
        if p % 5 == 0:
            r = str(result_iri(f"s{p}", 1))
            metric = next((e for e in chosen if etype[e] == 4), None)
            add(f"<{piri}> <{rkg}reportsResult> <{r}> .")
            add(f"<{r}> <{rkg}valueText> {lit(str(p % 97))} .")
            add(f'<{r}> <{rkg}numericValue> "{p % 97}"^^<http://www.w3.org/2001/XMLSchema#decimal> .')
            if metric is not None:
                add(f"<{r}> <{rkg}metric> <{iris[metric]}> .")
    store_dir = folder / "store"
    store = ox.Store(str(store_dir))
    store.bulk_load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    (store_dir / STORE_MARKER).write_text("0\n")
    return folder


def _store(folder, extractions):
    write_store(corpus_to_graph(normalize(extractions)), folder / "store")
    return kg.load(folder)


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    """The three-paper fixture of tests/corpus_fixture.py."""
    return _store(tmp_path_factory.mktemp("fx"), fixture_extractions())


@pytest.fixture(scope="module")
def demo():
    return demo_graph()


def saved(g, name):
    return [tuple(r) for r in run_query(g.path, saved_queries()[name].text, timeout=None).rows]


# -- agreement with the saved SPARQL queries ----------------------------------------------------


def test_top_entities_by_papers_match_the_top_methods_query(fx):
    top = top_entities(fx, types="Method")
    assert [(r[1], int(r[2])) for r in saved(fx, "top-methods")] == list(zip(top["label"], top["papers"]))
    assert top["rank"].tolist() == [1, 2, 3]


def test_cooccurrence_pairs_match_the_saved_queries(fx):
    md = cooccurrence_pairs(fx, "Method", "Dataset")
    assert [(a, b, str(n)) for a, b, n in md.iloc[:, :3].values] == saved(fx, "method-datasets")
    ht = cooccurrence_pairs(fx, "Hardware", "Task")
    assert [(a, b, str(n)) for a, b, n in ht.iloc[:, :3].values] == saved(fx, "hardware-tasks")
    mm = cooccurrence_pairs(fx, "Method", "Method")
    pairs = {(tuple(sorted((a, b))), str(n)) for a, b, n in mm.iloc[:, :3].values if n > 1}
    assert pairs == {((a, b), n) for a, b, n in saved(fx, "cooccurring-methods")}


def test_cooccurrence_tables(fx, demo):
    table = method_dataset(fx)
    assert table.to_dict() == {"PG-19": {"Transformer": 2, "BlockSparse": 1, "LoRA": 1}}
    tm = task_metric(fx)
    expected = {(t, m, int(n)) for t, m, n in saved(fx, "metrics-per-task")}
    assert {(t, m, int(tm.loc[t, m])) for t in tm.index for m in tm.columns if tm.loc[t, m]} == expected
    assert int(method_hardware(fx).loc["Transformer", "NVIDIA A100"]) == 2
    small = cooccurrence(demo, "Method", "Dataset", top=2)
    assert small.shape == (2, 2) and list(small.index) == ["LoRA", "Transformer"]
    assert small.attrs["entities"]["LoRA"].endswith("/method/lora")
    with pytest.raises(ConfigError, match="unknown entity type 'Model'"):
        cooccurrence(demo, "Model", "Dataset")


def test_papers_per_year_matches_the_saved_query(fx):
    assert [(str(y), str(n)) for y, n in papers_per_year(fx).items()] == saved(fx, "papers-per-year")


def test_tables_of_proposed_methods_and_results(fx, demo):
    prop = proposed_methods(fx)
    assert [(r[0], r[1]) for r in saved(fx, "proposed-methods")] == list(zip(prop["method"], prop["title"]))
    res = top_results(fx)
    shown = res[["metric", "value", "direction", "dataset"]].values.tolist()
    assert shown == [["perplexity", "0.1", "reduction", "PG-19"]]
    grouped = method_proposals(demo)
    assert grouped[["method", "proposed_by", "ids"]].values.tolist() == [
        ["LoRA", 1, ["d1"]], ["GPTQ", 1, ["d2"]], ["QLoRA", 1, ["d4"]],
    ]  # fmt: skip
    per_metric = top_results(demo, per_metric=1)
    assert per_metric.groupby("metric").size().max() == 1 and len(per_metric) == 4
    info = overview(fx)
    assert (info["papers"], info["results"], info["relations"], info["proposed"]) == (3, 1, 1, 1)
    assert (info["first_year"], info["last_year"], info["dated_papers"]) == (2023, 2024, 2)


# -- PageRank ---------------------------------------------------------------------------------


def test_pagerank_equals_networkx_on_the_same_graph(demo):
    G = nx.Graph()
    G.add_edges_from(demo.links[["paper", "entity"]].itertuples(index=False, name=None))
    G.add_edges_from((h, t) for h, _, t in demo.relation_edges.itertuples(index=False, name=None))
    expected = nx.pagerank(G, alpha=0.85, tol=1e-11, max_iter=1000)
    ours = pagerank(demo)
    assert set(ours.index) == set(demo.entities["entity"])
    for entity, score in ours.items():
        assert score == pytest.approx(expected[entity], abs=1e-8)
    ranked = top_entities(demo, by="pagerank", n=3, types="Method")
    assert ranked["label"].tolist()[0] == "LoRA" and ranked["pagerank"].is_monotonic_decreasing
    with pytest.raises(ConfigError):
        top_entities(demo, by="citations")


# -- communities ------------------------------------------------------------------------------


def test_communities_separate_the_three_lines_of_work(demo):
    found = communities(demo)
    assert found["size"].tolist() == sorted(found["size"], reverse=True)
    groups = [set(m) for m in found["members"]]
    assert len(groups) == 3
    detection = next(m for m in groups if "YOLOv8" in m)
    assert {"COCO", "object detection", "MobileNetV3", "latency"} <= detection and "LoRA" not in detection
    summarization = next(m for m in groups if "summarization" in m)
    assert {"ROUGE", "XSum", "CNN/DailyMail", "QLoRA"} <= summarization
    # the label names the most central members
    ec = entity_communities(demo)
    first = ec[ec["community"] == 0]
    assert found.loc[0, "label"] == " / ".join(first["label"].head(3))
    assert first["centrality"].is_monotonic_decreasing
    # same seed, same answer; the rare entities (one paper) were attached to a community
    assert entity_communities(demo_graph())["community"].tolist() == ec["community"].tolist()
    assert (ec.set_index("label").loc[["C4", "PG-19", "FlashAttention", "NVIDIA V100"], "community"] >= 0).all()


# -- similarity and topics --------------------------------------------------------------------


def test_similar_papers_and_entities(demo):
    near = similar_papers(demo, "d5", n=3)
    assert near["id"].iloc[0] == "d6" and near["score"].is_monotonic_decreasing
    assert "d5" not in set(near["id"])
    assert similar_papers(demo, "https://w3id.org/research-kg/id/paper/d4", n=1)["id"].tolist() == ["d9"]
    ents = similar_entities(demo, "XSum", n=2)
    assert set(ents["type"]) == {"Dataset"} and ents["label"].iloc[0] == "CNN/DailyMail"
    anything = similar_entities(demo, "YOLOv8", n=3, same_type=False)
    assert "COCO" in set(anything["label"]) or "object detection" in set(anything["label"])
    by_abstracts = similar_entities(demo, "WikiText-2", n=1, source="abstracts")
    assert by_abstracts["label"].tolist() == ["C4"]
    with pytest.raises(ConfigError):
        similar_papers(demo, "no such paper")
    with pytest.raises(ConfigError):
        similar_entities(demo, "LoRA", source="citations")


def test_topics_are_deterministic_and_cover_every_paper(demo):
    a = paper_topics(demo, k=3, seed=1)
    b = paper_topics(demo_graph(), k=3, seed=1)
    assert a["topic"].tolist() == b["topic"].tolist()
    clusters = topic_clusters(demo, k=3, seed=1)
    assert clusters["size"].sum() == 9 and clusters["size"].is_monotonic_decreasing
    assert all(len(t) == 8 for t in clusters["terms"])
    detection = clusters[clusters["ids"].map(lambda ids: "d5" in ids)].iloc[0]
    assert {"detection", "yolov8"} <= set(detection["terms"])
    nmf = topic_clusters(demo, k=2, algorithm="nmf")
    assert nmf["size"].sum() == 9
    assert topic_clusters(demo, k=50)["size"].sum() == 9  # k above the number of papers
    with pytest.raises(ConfigError):
        topic_clusters(demo, algorithm="lda")


# -- trends -----------------------------------------------------------------------------------


def test_trends_follow_the_weighted_least_squares_slope(demo):
    trends = entity_trends(demo).set_index("label")
    # Transformer: papers 2020-2024 = 1, 1, 2, 2, 3; with it 1, 1, 1, 0, 0
    years = np.array([2020, 2021, 2022, 2023, 2024.0])
    n = np.array([1, 1, 2, 2, 3.0])
    share = np.array([1, 1, 1, 0, 0]) / n
    slope = np.polyfit(years, share, 1, w=np.sqrt(n))[0]
    assert trends.loc["Transformer", "slope"] == pytest.approx(100 * slope, abs=1e-3)
    assert trends.loc["Transformer", "trend"] == "declining"
    assert (trends.loc["Transformer", "first_year"], trends.loc["Transformer", "last_year"]) == (2020, 2022)
    assert trends.loc["NVIDIA H100", "trend"] == "emerging"
    assert trends.loc["NVIDIA H100", "recent_share"] == pytest.approx(3 / 5)
    assert "NVIDIA H100" in set(emerging(demo)["label"]) and "Transformer" in set(declining(demo)["label"])
    assert "C4" not in trends.index  # one paper only
    counts = yearly_counts(demo, types="Hardware", top=2)
    assert counts.loc["NVIDIA H100"].tolist() == [0, 0, 0, 0, 3]
    assert yearly_counts(demo, types="Hardware", share=True).loc["NVIDIA A100", 2022] == pytest.approx(0.5)


# -- gaps -------------------------------------------------------------------------------------


def test_gaps_are_unlinked_pairs_scored_by_adamic_adar(demo):
    found = link_gaps(demo, "Method", "Dataset", n=50, min_papers=1, min_shared=1, rank_by="adamic_adar")
    ents = demo.entities.set_index("entity")
    A = entity_adjacency(demo)
    G = nx.Graph()
    idx = demo.entities["entity"].tolist()
    coo = A.tocoo()
    G.add_edges_from((idx[i], idx[j]) for i, j in zip(coo.row, coo.col))
    linked = {frozenset(p) for p in G.edges}
    for row in found.itertuples():
        u, v = row.source_entity, row.target_entity
        assert frozenset((u, v)) not in linked
        assert (ents.loc[u, "type"], ents.loc[v, "type"]) == ("Method", "Dataset")
        ((_, _, expected),) = nx.adamic_adar_index(G, [(u, v)])
        assert row.score == pytest.approx(expected, abs=1e-4)
        shared = set(nx.common_neighbors(G, u, v))
        assert row.n_shared == len(shared) and set(row.shared) <= {ents.loc[s, "label"] for s in shared}
    assert found["score"].is_monotonic_decreasing
    # the example pair: GPTQ was never evaluated on PG-19, but both go with LoRA, language modeling, perplexity, H100
    pair = found[(found["source"] == "GPTQ") & (found["target"] == "PG-19")].iloc[0]
    assert set(pair["shared"]) == {"LoRA", "language modeling", "perplexity", "NVIDIA H100"}


def test_gaps_do_not_depend_on_the_block_size(demo, monkeypatch):
    """Scoring in blocks (smaller when there are many targets, to bound memory) changes no row."""
    import sys

    gaps_module = sys.modules["kg.analysis.gaps"]  # kg.analysis.gaps is also the name of the function
    whole = link_gaps(demo, "Method", "Dataset", n=30, min_papers=1, min_shared=1)
    monkeypatch.setattr(gaps_module, "BLOCK_CELLS", 1)  # the smallest blocks: 16 source rows
    assert link_gaps(demo, "Method", "Dataset", n=30, min_papers=1, min_shared=1).equals(whole)
    assert link_gaps(demo, "Method", "Dataset", n=30, min_papers=1, min_shared=1, block=1).equals(whole)


def test_gaps_defaults_rank_by_normalised_score(demo):
    table = gaps(demo, n=3)
    assert set(table["kind"]) == {"Method-Dataset", "Method-Task"}
    for _, part in table.groupby("kind"):
        assert part["normalized"].is_monotonic_decreasing
        assert (part["n_shared"] >= 2).all() and (part["source_papers"] >= 2).all()
    assert table.iloc[0][["source", "target"]].tolist() == ["Transformer", "XSum"]
    with pytest.raises(ConfigError):
        link_gaps(demo, rank_by="magic")


# -- degenerate graphs and progress -----------------------------------------------------------


def test_every_analysis_runs_on_a_graph_without_dates_or_entities(tmp_path):
    papers = [Extraction(Paper("x1", "Nothing here", "No entities.")), Extraction(Paper("x2", "", "Still none."))]
    g = _store(tmp_path, papers)
    assert top_entities(g).empty and method_dataset(g).empty and cooccurrence_pairs(g).empty
    assert communities(g).empty and gaps(g).empty and entity_trends(g).empty and emerging(g).empty
    assert len(papers_per_year(g)) == 0 and yearly_counts(g).empty
    assert len(pagerank(g)) == 0 and proposed_methods(g).empty and method_proposals(g).empty and top_results(g).empty
    assert topic_clusters(g)["size"].sum() == 2
    assert overview(g)["first_year"] is None


def test_heavy_steps_report_progress(tmp_path):
    g = demo_graph()
    seen = []

    def progress(stage, done, total):
        seen.append(stage)

    pagerank(g, progress=progress)
    communities(g, progress=progress)
    link_gaps(g, progress=progress)
    topic_clusters(g, progress=progress)
    assert {"pagerank", "communities", "gaps", "topics", "paper vectors"} <= set(seen)


def test_a_larger_random_graph_is_fast(tmp_path):
    """1,200 papers and 3,000 entities: every analysis in seconds (sparse, top-k)."""
    g = kg.load(synthetic_store(tmp_path, papers=1200, entities=3000))
    assert len(g.papers) == 1200
    started = time.perf_counter()
    top_entities(g, by="pagerank")
    assert not method_dataset(g).empty
    communities(g)
    assert len(gaps(g, n=10)) > 0
    entity_trends(g)
    topic_clusters(g)
    elapsed = time.perf_counter() - started
    assert elapsed < 15, elapsed
    assert math.isfinite(pagerank(g).sum())
