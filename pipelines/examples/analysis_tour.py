"""A tour of the Python analysis API on the seed graph.

Build the graph first (the README's first command), then run:

    .venv/bin/python pipelines/examples/analysis_tour.py            # reads outputs/
    .venv/bin/python pipelines/examples/analysis_tour.py OUT_DIR    # or another build

Every step is one plain function of the loaded graph; each prints a small table.
The last step writes the HTML report (what ``kg report`` writes) beside the graph.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import kg
from kg.analysis import (
    communities,
    cooccurrence_pairs,
    declining,
    emerging,
    gaps,
    method_dataset,
    method_proposals,
    overview,
    similar_entities,
    similar_papers,
    top_entities,
    top_results,
    topic_clusters,
)
from kg.report import write_report

pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 60)
pd.set_option("display.max_columns", 12)


def step(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 70 - len(title)))


def main(folder: str = "outputs") -> None:
    started = time.perf_counter()
    g = kg.load(folder)  # raises a StoreError with the fix if nothing was built there
    print(g)

    step("What is in the graph?")
    info = overview(g)
    print(f"{info['papers']} papers ({info['first_year']}-{info['last_year']}), {info['links']} links,",
          ", ".join(f"{n} {t}" for t, n in info["entities"].items()))  # fmt: skip

    step("The tables: papers, entities, links (pandas)")
    print(g.entities.head(5)[["type", "label", "aliases", "papers"]])

    step("Top methods by papers, and the most central by PageRank")
    print(top_entities(g, types="Method", n=8)[["rank", "label", "papers", "pagerank"]].to_string(index=False))
    print(top_entities(g, by="pagerank", types="Dataset", n=5)[["rank", "label", "papers"]].to_string(index=False))

    step("Which datasets is each method evaluated on?")
    print(cooccurrence_pairs(g, "Method", "Dataset", n=8).iloc[:, :3].to_string(index=False))
    print(method_dataset(g, top=6))

    step("What is rising and what is fading?")
    print(emerging(g, n=5)[["label", "type", "papers", "slope"]].to_string(index=False))
    print(declining(g, n=5)[["label", "type", "papers", "slope"]].to_string(index=False))

    step("Communities of entities (Louvain, seed 0)")
    print(communities(g).head(5)[["community", "label", "size", "papers"]].to_string(index=False))

    step("Topic clusters of papers (TF-IDF + k-means, seed 0)")
    for row in topic_clusters(g).head(5).itertuples():
        print(f"{row.topic:2d} ({row.size:3d} papers): {', '.join(row.terms[:6])}")

    step("Papers like the first one, entities like the top method")
    first = g.papers["id"].iloc[0]
    print("like", repr(g.papers["title"].iloc[0]))
    print(similar_papers(g, first, n=3)[["id", "title", "score"]].to_string(index=False))
    method = top_entities(g, types="Method", n=1)["label"].iloc[0]
    print("like", repr(method))
    print(similar_entities(g, method, n=5)[["label", "papers", "score"]].to_string(index=False))

    step("Proposed methods, reported results")
    print(method_proposals(g, n=5)[["method", "papers", "proposed_by", "first_date"]].to_string(index=False))
    print(top_results(g, n=6)[["metric", "value", "dataset", "method"]].to_string(index=False))

    step("What has not been tried yet? (likely but missing links)")
    print(gaps(g, n=5)[["kind", "source", "target", "normalized", "shared"]].to_string(index=False))

    step("The networkx and rdflib views")
    G = g.nx
    print(f"networkx: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    print(f"rdflib:   {len(g.rdf)} triples")

    step("The HTML report")
    path = write_report(g, Path(folder) / "report.html", title="Seed corpus")
    print(f"report: {path}  ({time.perf_counter() - started:.1f} s for the whole tour)")


if __name__ == "__main__":
    main(*sys.argv[1:2])
