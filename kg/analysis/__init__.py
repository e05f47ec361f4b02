"""Graph analysis in Python: plain functions of a loaded graph (:func:`kg.load`).

One module per question:

* :mod:`~kg.analysis.ranking` - top entities per type by papers and by PageRank;
* :mod:`~kg.analysis.cooccurrence` - method x dataset, method x hardware, task x metric tables;
* :mod:`~kg.analysis.communities` - Louvain communities of entities, labelled by central members;
* :mod:`~kg.analysis.similarity` - similar papers and entities (TF-IDF);
* :mod:`~kg.analysis.topics` - topic clusters of papers with their top terms;
* :mod:`~kg.analysis.trends` - entities per year, emerging and declining;
* :mod:`~kg.analysis.gaps` - likely but missing method/dataset and method/task links;
* :mod:`~kg.analysis.tables` - overview, proposed methods, reported results.

Every function takes the graph object (or an output folder) first, returns a
pandas DataFrame (or Series, or dict) and caches its heavy parts on the graph.
The heavy ones (PageRank, communities, TF-IDF similarity, topics, gaps and
:func:`kg.report.write_report`) take ``progress``: ``progress=True`` draws a
bar per stage with tqdm (a widget in Jupyter, text on stderr elsewhere), a
callable gets ``progress(stage, done, total)``; by default nothing is shown.
:func:`~kg.analysis.demo.demo_graph` builds a small graph with known answers.

Examples
--------
>>> import kg
>>> from kg.analysis import demo_graph, top_entities, link_gaps
>>> g = kg.load(demo_graph().path)
>>> top_entities(g, n=1, types="Task").label.tolist()
['language modeling']
>>> link_gaps(g, "Method", "Dataset", n=1).target.tolist()
['XSum']
>>> len(communities(g, progress=True))  # draws "Communities: 100%|████| 3/3" on stderr
3
"""

from kg.analysis.communities import communities, entity_communities
from kg.analysis.cooccurrence import (
    cooccurrence,
    cooccurrence_pairs,
    method_dataset,
    method_hardware,
    task_metric,
)
from kg.analysis.demo import demo_extractions, demo_graph
from kg.analysis.gaps import DEFAULT_GAP_PAIRS, gaps, link_gaps
from kg.analysis.ranking import pagerank, top_entities
from kg.analysis.similarity import entity_texts, entity_vectors, paper_vectors, similar_entities, similar_papers
from kg.analysis.tables import method_proposals, overview, proposed_methods, top_results
from kg.analysis.topics import default_topic_count, paper_topics, topic_clusters
from kg.analysis.trends import declining, emerging, entity_trends, papers_per_year, yearly_counts

__all__ = [
    "DEFAULT_GAP_PAIRS",
    "communities",
    "cooccurrence",
    "cooccurrence_pairs",
    "declining",
    "default_topic_count",
    "demo_extractions",
    "demo_graph",
    "emerging",
    "entity_communities",
    "entity_texts",
    "entity_trends",
    "entity_vectors",
    "gaps",
    "link_gaps",
    "method_dataset",
    "method_hardware",
    "method_proposals",
    "overview",
    "pagerank",
    "paper_topics",
    "paper_vectors",
    "papers_per_year",
    "proposed_methods",
    "similar_entities",
    "similar_papers",
    "task_metric",
    "top_entities",
    "top_results",
    "topic_clusters",
    "yearly_counts",
]
