"""Time the Python analysis API (:mod:`kg.analysis`, :func:`kg.load`, the report) on a graph of 100k+ nodes.

Usage::

    python benchmarks/analysis_scale.py [--papers 40000] [--out /tmp/kg-analysis-scale] [--reuse]

A synthetic corpus of hand-made :class:`~kg.records.Extraction` records (no
extraction model) is written to ``--out`` the way :mod:`kg.analysis.demo`
writes its graph (normalise, RDF, Oxigraph store), in a child process so that
its memory does not count in the analysis's peak RSS. Entities are drawn with
a heavy-tailed (Zipf) popularity from ``1.6 * papers`` invented names of
the five types, clustered by topic; topics drift over the years so that
trends exist; abstracts are sentences of invented words around the entity
names, so TF-IDF has something to work with. The papers are kept lean (few
mentions) so the store stays around 2.5M triples while the networkx view
(papers + entities) has 100k+ nodes. Nothing is copied from real abstracts.

Each step runs once, on one loaded graph (later steps reuse what earlier ones
cached, as in a notebook); the table gives its seconds, its size and the
process's peak RSS after it; ``write_report (fresh)`` repeats the report on
a newly loaded graph, which is what ``kg report`` costs. ``--reuse`` skips the
build when ``--out`` already holds a store (the build takes most of the time:
rdflib holds the whole graph in memory, about 4.7 GB at 40,000 papers).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from kg.records import EntityRecord, Extraction, Mention, Paper, RelationRecord, ResultRecord  # noqa: E402

# share of the entity pool and entities drawn per paper (on average, besides its dealt ones), by type
_TYPES: dict[str, tuple[float, float]] = {
    "Method": (0.45, 1.0),
    "Task": (0.15, 0.5),
    "Dataset": (0.25, 0.5),
    "Hardware": (0.03, 0.2),
    "Metric": (0.12, 0.4),
}
_SYLLABLES = [
    "ka", "lo", "mir", "ven", "tas", "dro", "pel", "quin", "sor", "bex", "tal", "ny", "gor", "fi", "zu",
    "rel", "mon", "cra", "vi", "dex", "pla", "sto", "wen", "ju", "hal", "ri", "tor", "bis", "na", "el",
]  # fmt: skip
_COMMON = "we show that the approach improves over prior work while keeping costs low".split()
_YEARS = np.arange(2017, 2026)


def _word(i: int, syllables: int = 3) -> str:
    """An invented word, unique for each ``i`` < 30**syllables."""
    parts = []
    for _ in range(syllables):
        i, r = divmod(i, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts)


def _zipf_cdf(n: int, a: float = 1.1) -> np.ndarray:
    """Cumulative Zipf probabilities of ranks 0..n-1: draw with ``searchsorted(cdf, random())``."""
    cdf = np.cumsum(1.0 / np.arange(1, n + 1) ** a)
    return cdf / cdf[-1]


def _draw(rng: np.random.Generator, cdf: np.ndarray) -> int:
    return min(int(np.searchsorted(cdf, rng.random())), len(cdf) - 1)


def synthetic_extractions(n_papers: int, *, seed: int = 0, topics: int = 40) -> list[Extraction]:
    """``n_papers`` invented papers with Zipf-distributed entities, topics drifting over the years.

    >>> exs = synthetic_extractions(50)
    >>> len(exs), all(ex.entities for ex in exs)
    (50, True)
    """
    rng = np.random.default_rng(seed)
    pool = max(25, int(1.6 * n_papers))
    vocab = [_word(i) for i in range(3000)]
    topic_words = [rng.choice(vocab, 30, replace=False).tolist() for _ in range(topics)]
    # entities: names unique by construction; the home topic clusters them; low index = popular
    names: dict[str, list[str]] = {}
    for t_i, (etype, (share, _)) in enumerate(_TYPES.items()):
        count = max(topics, int(pool * share))
        names[etype] = [f"{_word(i * 5 + t_i, 4).capitalize()}-{etype[:2].upper()}{i % 97}" for i in range(count)]
    by_topic = {etype: [np.arange(t, len(v), topics) for t in range(topics)] for etype, v in names.items()}
    topic_cdf = {etype: [_zipf_cdf(len(ids)) for ids in lists] for etype, lists in by_topic.items()}
    global_cdf = {etype: _zipf_cdf(len(v)) for etype, v in names.items()}
    # every entity appears at least once: the pool is dealt out over the papers first
    deal: list[list[tuple[str, int]]] = [[] for _ in range(n_papers)]
    for etype, v in names.items():
        for i, paper in enumerate(rng.permutation(np.arange(len(v)) % n_papers)):
            deal[int(paper)].append((etype, i))
    # more papers in later years; each topic peaks in some year
    year_p = np.linspace(1.0, 4.0, len(_YEARS))
    years = rng.choice(_YEARS, n_papers, p=year_p / year_p.sum())
    peaks = rng.choice(_YEARS, topics)
    year_topic_cdf = {}
    for year in _YEARS:
        w = np.cumsum(0.2 + np.exp(-((year - peaks) ** 2) / 8.0))
        year_topic_cdf[int(year)] = w / w[-1]

    out = []
    for k in range(n_papers):
        year = int(years[k])
        topic = _draw(rng, year_topic_cdf[year])
        chosen: dict[tuple[str, int], None] = dict.fromkeys(deal[k])
        for etype, (_, mean) in _TYPES.items():
            for _ in range(int(mean) + int(rng.random() < mean % 1)):
                if rng.random() < 0.8:  # mostly from the paper's topic
                    ids = by_topic[etype][topic]
                    i = int(ids[_draw(rng, topic_cdf[etype][topic])])
                else:
                    i = _draw(rng, global_cdf[etype])
                chosen.setdefault((etype, i), None)
        words = topic_words[topic]
        ents = [(etype, names[etype][i]) for etype, i in chosen]
        title = f"{words[k % 30].capitalize()} {words[(k * 7) % 30]} with {ents[0][1]}"
        sentences = []
        picks = rng.integers(0, 30, 5 * len(ents) + 8).tolist()
        common = rng.integers(0, len(_COMMON), 2 * len(ents)).tolist()
        for j, (etype, name) in enumerate(ents):
            filler = [words[i] for i in picks[5 * j : 5 * j + 5]] + [_COMMON[i] for i in common[2 * j : 2 * j + 2]]
            sentences.append(f"The {etype.lower()} {name} {' '.join(filler)}.")
        sentences.append(" ".join(words[i] for i in picks[-8:]).capitalize() + ".")
        abstract = " ".join(sentences)
        paper = Paper(f"s{k}", title, abstract, date=f"{year}-{int(rng.integers(1, 13)):02d}-01",
                      url=f"https://example.org/s{k}")  # fmt: skip
        text = paper.text
        records = []
        for j, (etype, name) in enumerate(ents):
            mentions: tuple[Mention, ...] = ()
            if j % 4 == 0:  # a quarter of the links carry a mention (and so an evidence sentence): lean graph
                start = text.index(f" {name} ") + 1
                mentions = (Mention(name, start, start + len(name), sentences[j], 0.9, "synthetic"),)
            records.append(EntityRecord(etype, name, mentions, (), 0.9))
        methods = [n for t, n in ents if t == "Method"]
        datasets = [n for t, n in ents if t == "Dataset"]
        metrics = [n for t, n in ents if t == "Metric"]
        proposed = (methods[0],) if methods and k % 7 == 0 else ()
        results, relations = (), ()
        if methods and datasets and metrics and k % 5 == 0:
            value = f"{rng.uniform(10, 95):.1f}"
            results = (ResultRecord(metrics[0], value, float(value), None, None, datasets[0], None, methods[0],
                                    sentences[0], 0.8),)  # fmt: skip
        if methods and datasets and k % 6 == 0:
            relations = (RelationRecord("evaluatedOn", methods[0], datasets[0], sentences[0], 0.7),)
        out.append(Extraction(paper, tuple(records), proposed, results, relations))
    return out


def build(n_papers: int, out: Path) -> None:
    """Write the synthetic corpus's store into ``out`` (as :func:`kg.analysis.demo.demo_graph` does)."""
    from kg.analysis.demo import write_graph

    t = time.perf_counter()
    exs = synthetic_extractions(n_papers)
    print(f"generated {len(exs)} papers in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    write_graph(exs, out)
    print(f"built the store in {time.perf_counter() - t:.1f} s, peak RSS {_rss_mb():.0f} MB", flush=True)


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=40_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/kg-analysis-scale"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing store in --out")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.papers, args.out)
        return
    if not (args.reuse and (args.out / "store").exists()):
        # a child process: rdflib's in-memory graph must not inflate the analysis's peak RSS
        cmd = [sys.executable, __file__, "--build-only", "--papers", str(args.papers), "--out", str(args.out)]
        subprocess.run(cmd, check=True)

    import kg
    from kg.analysis import (
        communities,
        emerging,
        entity_trends,
        gaps,
        method_dataset,
        similar_entities,
        similar_papers,
        task_metric,
        top_entities,
        topic_clusters,
    )
    from kg.analysis._common import entity_adjacency, incidence
    from kg.report import write_report

    rows: list[tuple[str, float, str, float]] = []

    def step(name: str, fn: Callable[[], object], size: Callable[[object], str]) -> object:
        t = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t
        rows.append((name, seconds, size(value), _rss_mb()))
        print(f"  {name:<22} {seconds:8.2f} s", flush=True)
        return value

    def shape(df) -> str:
        return f"{len(df)} rows"

    g = step("kg.load", lambda: kg.load(args.out), lambda g: f"{len(g.store)} triples")
    for view in ("papers", "entities", "edges", "mentions", "links", "results"):
        step(f"g.{view}", lambda v=view: getattr(g, v), shape)
    step("g.nx", lambda: g.nx, lambda G: f"{G.number_of_nodes()} nodes / {G.number_of_edges()} edges")
    step(
        "top_entities+pagerank",
        lambda: top_entities(g, by="pagerank"),
        lambda _: f"{sum(incidence(g).shape)} nodes / {incidence(g).nnz} edges",
    )
    step("method_dataset", lambda: method_dataset(g), lambda df: f"{df.shape[0]}x{df.shape[1]}")
    step("task_metric", lambda: task_metric(g), lambda df: f"{df.shape[0]}x{df.shape[1]}")
    step(
        "communities",
        lambda: communities(g),
        lambda df: f"{len(df)} communities; {incidence(g).shape[1]} nodes / {entity_adjacency(g).nnz // 2} edges",
    )
    step("similar_papers", lambda: similar_papers(g, "s1"), lambda _: f"{len(g.papers)} papers")
    top_method = g.entities.loc[g.entities["type"] == "Method", "label"].iloc[0]
    step("similar_entities", lambda: similar_entities(g, top_method), lambda _: f"{len(g.entities)} entities")
    step("topic_clusters", lambda: topic_clusters(g), lambda df: f"{len(df)} topics")
    step("entity_trends", lambda: entity_trends(g), shape)
    step("emerging", lambda: emerging(g), shape)
    step("gaps", lambda: gaps(g), shape)
    report = args.out / "report.html"
    step("write_report", lambda: write_report(g, report), lambda p: f"{p.stat().st_size // 1024} KB")
    step("write_report (fresh)", lambda: write_report(kg.load(args.out), report), lambda p: "cold caches")

    print(f"\n{'step':<24}{'seconds':>9}  {'peak RSS':>9}  nodes/edges (size)")
    for name, seconds, size, rss in rows:
        print(f"{name:<24}{seconds:9.2f}  {rss:7.0f} MB  {size}")
    print(f"{'total':<24}{sum(r[1] for r in rows):9.2f}")


if __name__ == "__main__":
    main()
