"""Pandas-ready tables of the graph: papers, entities, mentions, links, results, relations.

Each table comes from SPARQL run by Oxigraph on the store (fast even for large
graphs) and has the columns of :data:`TABLES`, in that order, with pandas
dtypes: ``string`` for text and IRIs, ``Int64`` for counts and offsets,
``float64`` for confidences and values, ``boolean`` for flags. IRI columns
(``paper``, ``entity``, ``link``, ...) join the tables to each other; a
missing value is ``<NA>`` (empty in CSV).

Rows: one per paper, per entity, per (mention, entity) pair, per qualified
link, per result and per relation statement. Multi-valued fields are joined:
``authors`` with ``"; "``, ``aliases`` with ``" | "``, ``exact_match`` with
spaces; a relation stated in several sentences of a paper has its highest
confidence and its first evidence sentence.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.graph.rdf import corpus_to_graph
>>> from kg.graph.store import write_store
>>> from kg.normalize.canonical import normalize
>>> from kg.records import EntityRecord, Extraction, Mention, Paper
>>> m = Mention("LoRA", 0, 4, "LoRA adapts models.")
>>> ex = Extraction(Paper("p1", "LoRA", "LoRA adapts models."), (EntityRecord("Method", "LoRA", (m,)),))
>>> d = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = write_store(corpus_to_graph(normalize([ex])), d)
>>> tables = store_tables(d)
>>> tables["papers"][["id", "title", "entities"]].to_dict("records")
[{'id': 'p1', 'title': 'LoRA', 'entities': 1}]
>>> tables["links"][["paper_id", "role", "entity_label", "confidence"]].to_dict("records")
[{'paper_id': 'p1', 'role': 'uses', 'entity_label': 'LoRA', 'confidence': 1.0}]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from kg.errors import ExportError

__all__ = ["TABLES", "TABLE_FORMATS", "Column", "store_tables", "table_columns", "write_tables"]

TABLE_FORMATS = ("csv", "parquet")

_PREFIXES = """PREFIX rkg: <https://w3id.org/research-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
_RKG = "https://w3id.org/research-kg/ontology#"
_ENTITY_TYPES = "(rkg:Method, rkg:Task, rkg:Dataset, rkg:Hardware, rkg:Metric)"


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its name, pandas dtype and meaning."""

    name: str
    dtype: str
    description: str


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


#: Every table's columns, in order.
TABLES: dict[str, tuple[Column, ...]] = {
    "papers": _cols(
        ("paper", "string", "paper IRI"),
        ("id", "string", "paper id (dcterms:identifier)"),
        ("title", "string", "title"),
        ("abstract", "string", "abstract"),
        ("date", "string", "publication date as given (YYYY, YYYY-MM, YYYY-MM-DD)"),
        ("venue", "string", "conference or journal"),
        ("url", "string", "URL of the paper"),
        ("doi", "string", "DOI, lowercase"),
        ("arxiv_id", "string", "arXiv id without version"),
        ("openalex_id", "string", "OpenAlex work id"),
        ("semantic_scholar_id", "string", "Semantic Scholar paperId"),
        ("authors", "string", "author names joined with '; '"),
        ("author_count", "Int64", "number of authors the listing states"),
        ("organization", "string", "organisation the listing names"),
        ("upvotes", "Int64", "upvotes on the listing"),
        ("source", "string", "input file and line"),
        ("entities", "Int64", "number of entities the paper links"),
        ("results", "Int64", "number of results the paper reports"),
    ),
    "entities": _cols(
        ("entity", "string", "entity IRI"),
        ("type", "string", "Method, Task, Dataset, Hardware or Metric"),
        ("label", "string", "canonical name (skos:prefLabel)"),
        ("aliases", "string", "other surface forms joined with ' | '"),
        ("kb_key", "string", "key in the shipped knowledge base"),
        ("exact_match", "string", "external IRIs (arXiv, DOI, official page) joined with spaces"),
        ("papers", "Int64", "number of papers that link the entity"),
        ("mentions", "Int64", "number of mentions of the entity"),
        ("vendor", "string", "hardware vendor"),
        ("family", "string", "hardware family"),
        ("hardware_kind", "string", "kind of hardware (GPU, TPU, ...)"),
        ("memory_gb", "float64", "hardware memory in GB"),
        ("unit", "string", "metric unit"),
        ("higher_is_better", "boolean", "whether larger metric values are better"),
    ),
    "mentions": _cols(
        ("mention", "string", "mention IRI"),
        ("paper", "string", "paper IRI"),
        ("paper_id", "string", "paper id"),
        ("entity", "string", "entity IRI"),
        ("entity_type", "string", "type of the entity"),
        ("text", "string", "the mention as written"),
        ("start", "Int64", "start offset in title, newline, abstract"),
        ("end", "Int64", "end offset (exclusive)"),
        ("sentence", "string", "the sentence of the mention"),
        ("confidence", "float64", "extractor confidence, 0 to 1"),
    ),
    "links": _cols(
        ("link", "string", "qualified link IRI"),
        ("paper", "string", "paper IRI"),
        ("paper_id", "string", "paper id"),
        ("role", "string", "proposes, uses, addresses, evaluatesOn, measuresWith or runsOn"),
        ("entity", "string", "entity IRI"),
        ("entity_type", "string", "type of the entity"),
        ("entity_label", "string", "canonical name of the entity"),
        ("confidence", "float64", "extractor confidence, 0 to 1"),
        ("support", "Int64", "number of mentions supporting the link"),
        ("device_count", "Int64", "number of devices stated (hardware links)"),
        ("evidence", "string", "evidence sentence"),
    ),
    "results": _cols(
        ("result", "string", "result IRI"),
        ("paper", "string", "paper IRI"),
        ("paper_id", "string", "paper id"),
        ("metric", "string", "metric IRI"),
        ("metric_label", "string", "metric name"),
        ("value_text", "string", "value as written"),
        ("numeric_value", "float64", "value as a number"),
        ("unit", "string", "unit of the value"),
        ("direction", "string", "gain or reduction"),
        ("compared_with", "string", "baseline as written"),
        ("dataset", "string", "dataset IRI"),
        ("dataset_label", "string", "dataset name"),
        ("method", "string", "method IRI"),
        ("method_label", "string", "method name"),
        ("confidence", "float64", "extractor confidence, 0 to 1"),
        ("evidence", "string", "evidence sentence"),
    ),
    "relations": _cols(
        ("statement", "string", "relation statement IRI"),
        ("paper", "string", "paper IRI"),
        ("paper_id", "string", "paper id"),
        ("type", "string", "evaluatedOn, runsOnHardware, usedFor, measuredOn or comparedTo"),
        ("subject", "string", "subject entity IRI"),
        ("subject_label", "string", "subject name"),
        ("object", "string", "object entity IRI"),
        ("object_label", "string", "object name"),
        ("confidence", "float64", "highest extractor confidence, 0 to 1"),
        ("evidence", "string", "first evidence sentence"),
    ),
}

# One SPARQL query per table for its single-valued columns (grouped, so a node
# gives one row even where a field has several values); multi-valued columns and
# counts come from the queries of _LISTS and _COUNTS.
_QUERIES: dict[str, str] = {
    "papers": """
SELECT ?paper (SAMPLE(?id_) AS ?id) (SAMPLE(?title_) AS ?title) (SAMPLE(?abstract_) AS ?abstract)
  (SAMPLE(STR(?date_)) AS ?date) (SAMPLE(?venue_) AS ?venue) (SAMPLE(STR(?url_)) AS ?url) (SAMPLE(?doi_) AS ?doi)
  (SAMPLE(?arxiv_) AS ?arxiv_id) (SAMPLE(?openalex_) AS ?openalex_id) (SAMPLE(?s2_) AS ?semantic_scholar_id)
  (SAMPLE(?count_) AS ?author_count) (SAMPLE(?org_) AS ?organization) (SAMPLE(?upvotes_) AS ?upvotes)
  (SAMPLE(?source_) AS ?source)
WHERE {
  ?paper a rkg:Paper .
  OPTIONAL { ?paper dcterms:identifier ?id_ }
  OPTIONAL { ?paper dcterms:title ?title_ }
  OPTIONAL { ?paper dcterms:abstract ?abstract_ }
  OPTIONAL { ?paper dcterms:date ?date_ }
  OPTIONAL { ?paper rkg:venue ?venue_ }
  OPTIONAL { ?paper schema:url ?url_ }
  OPTIONAL { ?paper rkg:doi ?doi_ }
  OPTIONAL { ?paper rkg:arxivId ?arxiv_ }
  OPTIONAL { ?paper rkg:openAlexId ?openalex_ }
  OPTIONAL { ?paper rkg:semanticScholarId ?s2_ }
  OPTIONAL { ?paper rkg:authorCount ?count_ }
  OPTIONAL { ?paper schema:sourceOrganization/schema:name ?org_ }
  OPTIONAL { ?paper rkg:upvotes ?upvotes_ }
  OPTIONAL { ?paper rkg:sourceRecord ?source_ }
} GROUP BY ?paper""",
    "entities": f"""
SELECT ?entity (SAMPLE(?class) AS ?type) (SAMPLE(?label_) AS ?label) (SAMPLE(?kb_) AS ?kb_key)
  (SAMPLE(?vendor_) AS ?vendor) (SAMPLE(?family_) AS ?family) (SAMPLE(?kind_) AS ?hardware_kind)
  (SAMPLE(?memory_) AS ?memory_gb) (SAMPLE(?unit_) AS ?unit) (SAMPLE(?better_) AS ?higher_is_better)
WHERE {{
  ?entity a ?class . FILTER (?class IN {_ENTITY_TYPES})
  OPTIONAL {{ ?entity skos:prefLabel ?label_ }}
  OPTIONAL {{ ?entity rkg:kbKey ?kb_ }}
  OPTIONAL {{ ?entity rkg:vendor ?vendor_ }}
  OPTIONAL {{ ?entity rkg:family ?family_ }}
  OPTIONAL {{ ?entity rkg:hardwareKind ?kind_ }}
  OPTIONAL {{ ?entity rkg:memoryGB ?memory_ }}
  OPTIONAL {{ ?entity rkg:unit ?unit_ }}
  OPTIONAL {{ ?entity rkg:higherIsBetter ?better_ }}
}} GROUP BY ?entity""",
    "mentions": f"""
SELECT ?mention ?entity (SAMPLE(?paper_) AS ?paper) (SAMPLE(?paper_id_) AS ?paper_id) (SAMPLE(?class) AS ?entity_type)
  (MIN(?text_) AS ?text) (MIN(?start_) AS ?start) (MIN(?end_) AS ?end) (MIN(?sentence_) AS ?sentence)
  (MAX(?confidence_) AS ?confidence)
WHERE {{
  ?mention a rkg:Mention ; rkg:mentionOf ?entity .
  OPTIONAL {{ ?paper_ rkg:hasMention ?mention OPTIONAL {{ ?paper_ dcterms:identifier ?paper_id_ }} }}
  OPTIONAL {{ ?entity a ?class FILTER (?class IN {_ENTITY_TYPES}) }}
  OPTIONAL {{ ?mention rkg:mentionText ?text_ }}
  OPTIONAL {{ ?mention rkg:startOffset ?start_ }}
  OPTIONAL {{ ?mention rkg:endOffset ?end_ }}
  OPTIONAL {{ ?mention rkg:evidence ?sentence_ }}
  OPTIONAL {{ ?mention rkg:confidence ?confidence_ }}
}} GROUP BY ?mention ?entity""",
    "links": f"""
SELECT ?link (SAMPLE(?paper_) AS ?paper) (SAMPLE(?paper_id_) AS ?paper_id) (SAMPLE(?role_) AS ?role)
  (SAMPLE(?entity_) AS ?entity) (SAMPLE(?class) AS ?entity_type) (SAMPLE(?label_) AS ?entity_label)
  (MAX(?confidence_) AS ?confidence) (SAMPLE(?support_) AS ?support) (SAMPLE(?devices_) AS ?device_count)
  (MIN(?evidence_) AS ?evidence)
WHERE {{
  ?link a rkg:EntityLink .
  OPTIONAL {{ ?paper_ rkg:hasLink ?link OPTIONAL {{ ?paper_ dcterms:identifier ?paper_id_ }} }}
  OPTIONAL {{ ?link rkg:role ?role_ }}
  OPTIONAL {{ ?link rkg:linkedEntity ?entity_
    OPTIONAL {{ ?entity_ a ?class FILTER (?class IN {_ENTITY_TYPES}) }}
    OPTIONAL {{ ?entity_ skos:prefLabel ?label_ }} }}
  OPTIONAL {{ ?link rkg:confidence ?confidence_ }}
  OPTIONAL {{ ?link rkg:support ?support_ }}
  OPTIONAL {{ ?link rkg:deviceCount ?devices_ }}
  OPTIONAL {{ ?link rkg:evidence ?evidence_ }}
}} GROUP BY ?link""",
    "results": """
SELECT ?result (SAMPLE(?paper_) AS ?paper) (SAMPLE(?paper_id_) AS ?paper_id) (SAMPLE(?metric_) AS ?metric)
  (SAMPLE(?metric_label_) AS ?metric_label) (SAMPLE(?value_) AS ?value_text) (SAMPLE(?number_) AS ?numeric_value)
  (SAMPLE(?unit_) AS ?unit) (SAMPLE(?direction_) AS ?direction) (SAMPLE(?baseline_) AS ?compared_with)
  (SAMPLE(?dataset_) AS ?dataset) (SAMPLE(?dataset_label_) AS ?dataset_label) (SAMPLE(?method_) AS ?method)
  (SAMPLE(?method_label_) AS ?method_label) (MAX(?confidence_) AS ?confidence) (MIN(?evidence_) AS ?evidence)
WHERE {
  ?result a rkg:Result .
  OPTIONAL { ?paper_ rkg:reportsResult ?result OPTIONAL { ?paper_ dcterms:identifier ?paper_id_ } }
  OPTIONAL { ?result rkg:metric ?metric_ OPTIONAL { ?metric_ skos:prefLabel ?metric_label_ } }
  OPTIONAL { ?result rkg:valueText ?value_ }
  OPTIONAL { ?result rkg:numericValue ?number_ }
  OPTIONAL { ?result rkg:unit ?unit_ }
  OPTIONAL { ?result rkg:direction ?direction_ }
  OPTIONAL { ?result rkg:comparedWith ?baseline_ }
  OPTIONAL { ?result rkg:onDataset ?dataset_ OPTIONAL { ?dataset_ skos:prefLabel ?dataset_label_ } }
  OPTIONAL { ?result rkg:forMethod ?method_ OPTIONAL { ?method_ skos:prefLabel ?method_label_ } }
  OPTIONAL { ?result rkg:confidence ?confidence_ }
  OPTIONAL { ?result rkg:evidence ?evidence_ }
} GROUP BY ?result""",
    "relations": """
SELECT ?statement (SAMPLE(?paper_) AS ?paper) (SAMPLE(?paper_id_) AS ?paper_id) (SAMPLE(?type_) AS ?type)
  (SAMPLE(?subject_) AS ?subject) (SAMPLE(?subject_label_) AS ?subject_label) (SAMPLE(?object_) AS ?object)
  (SAMPLE(?object_label_) AS ?object_label) (MAX(?confidence_) AS ?confidence) (MIN(?evidence_) AS ?evidence)
WHERE {
  ?statement a rkg:RelationStatement .
  OPTIONAL { ?paper_ rkg:statesRelation ?statement OPTIONAL { ?paper_ dcterms:identifier ?paper_id_ } }
  OPTIONAL { ?statement rkg:relationType ?type_ }
  OPTIONAL { ?statement rkg:relationSubject ?subject_ OPTIONAL { ?subject_ skos:prefLabel ?subject_label_ } }
  OPTIONAL { ?statement rkg:relationObject ?object_ OPTIONAL { ?object_ skos:prefLabel ?object_label_ } }
  OPTIONAL { ?statement rkg:confidence ?confidence_ }
  OPTIONAL { ?statement rkg:evidence ?evidence_ }
} GROUP BY ?statement""",
}

#: (table, column) -> (query binding ?key and ?value, separator) for multi-valued columns.
_LISTS: dict[tuple[str, str], tuple[str, str]] = {
    ("papers", "authors"): ("SELECT ?key ?value WHERE { ?key a rkg:Paper ; dcterms:creator ?value }", "; "),
    ("entities", "aliases"): ("SELECT ?key ?value WHERE { ?key skos:altLabel ?value }", " | "),
    ("entities", "exact_match"): ("SELECT ?key ?value WHERE { ?key skos:exactMatch ?value }", " "),
}

#: (table, column) -> query binding ?key and ?n, for count columns (0 where no row).
_COUNTS: dict[tuple[str, str], str] = {
    ("papers", "entities"): "SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE { ?key rkg:hasLink/rkg:linkedEntity ?e } "
    "GROUP BY ?key",
    ("papers", "results"): "SELECT ?key (COUNT(DISTINCT ?r) AS ?n) WHERE { ?key rkg:reportsResult ?r } GROUP BY ?key",
    ("entities", "papers"): "SELECT ?key (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p rkg:hasLink/rkg:linkedEntity ?key } "
    "GROUP BY ?key",
    ("entities", "mentions"): "SELECT ?key (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m rkg:mentionOf ?key } GROUP BY ?key",
}

#: The key column of each table (the node a row describes).
_KEYS = {
    "papers": "paper",
    "entities": "entity",
    "mentions": "mention",
    "links": "link",
    "results": "result",
    "relations": "statement",
}
#: Columns holding ontology terms, written as their local names ("uses", "Method").
_LOCAL_NAMES = {
    ("entities", "type"),
    ("mentions", "entity_type"),
    ("links", "role"),
    ("links", "entity_type"),
    ("relations", "type"),
}


def table_columns(name: str) -> list[str]:
    """The column names of table ``name``, in order.

    >>> table_columns("links")[:4]
    ['link', 'paper', 'paper_id', 'role']
    """
    if name not in TABLES:
        raise ExportError(f"unknown table {name!r}", fix=f"use one of: {', '.join(TABLES)}")
    return [c.name for c in TABLES[name]]


def _text(term: object) -> str | None:
    if term is None:
        return None
    return term.value if hasattr(term, "value") else str(term)


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    return store.query(_PREFIXES + query)  # type: ignore[return-value]


def _frame(store: ox.Store, name: str) -> pd.DataFrame:
    columns = TABLES[name]
    names = [c.name for c in columns]
    solutions = _select(store, _QUERIES[name])
    bound = [v.value for v in solutions.variables if v.value in names]
    rows = [{col: _text(solution[col]) for col in bound} for solution in solutions]
    key = _KEYS[name]
    for (table, column), (query, separator) in _LISTS.items():
        if table != name:
            continue
        values: dict[str, list[str]] = defaultdict(list)
        for solution in _select(store, query):
            values[_text(solution["key"]) or ""].append(_text(solution["value"]) or "")
        for row in rows:
            found = values.get(row[key] or "")
            row[column] = separator.join(sorted(set(found))) if found else None
    for (table, column), query in _COUNTS.items():
        if table != name:
            continue
        counts = {_text(s["key"]): int(_text(s["n"]) or 0) for s in _select(store, query)}
        for row in rows:
            row[column] = counts.get(row[key], 0)
    for table, column in _LOCAL_NAMES:
        if table == name:
            for row in rows:
                value = row.get(column)
                if value and value.startswith(_RKG):
                    row[column] = value[len(_RKG) :]
    frame = pd.DataFrame(rows, columns=names)
    for column in columns:
        series = frame[column.name]
        if column.dtype == "boolean":
            series = series.map(lambda v: None if pd.isna(v) else str(v).lower() in ("true", "1"))
        elif column.dtype in ("Int64", "float64"):
            series = pd.to_numeric(series, errors="coerce")
        frame[column.name] = series.astype(column.dtype)
    return frame.sort_values(names[: 2 if name == "mentions" else 1], ignore_index=True)


def _open(store: str | Path | ox.Store) -> ox.Store:
    if isinstance(store, ox.Store):
        return store
    from kg.graph.store import open_store

    return open_store(store)


def store_tables(store: str | Path | ox.Store, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Return the tables (default: all of :data:`TABLES`) of a store as pandas DataFrames.

    Parameters
    ----------
    store : path or pyoxigraph.Store
        The output folder of ``kg build``, its store folder, or an open store.
    names : iterable of str, optional
        Which tables.

    Raises
    ------
    StoreError
        If there is no store there.
    ExportError
        For an unknown table name.
    """
    wanted = list(names) if names is not None else list(TABLES)
    for name in wanted:
        table_columns(name)
    ox_store = _open(store)
    return {name: _frame(ox_store, name) for name in wanted}


def write_tables(store: str | Path | ox.Store, folder: str | Path, fmt: str = "csv") -> dict[str, Path]:
    """Write every table to ``folder`` as ``<table>.csv`` or ``<table>.parquet``; return the paths by table.

    CSV is UTF-8 with a header row and empty cells for missing values; Parquet
    keeps the dtypes.
    """
    if fmt not in TABLE_FORMATS:
        raise ExportError(f"unknown table format {fmt!r}", fix=f"use one of: {', '.join(TABLE_FORMATS)}")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder", fix="pass a folder for the tables with -o")
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in store_tables(store).items():
        path = out / f"{name}.{fmt}"
        tmp = path.with_name(path.name + ".tmp")
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_parquet(tmp, index=False)
        tmp.replace(path)
        paths[name] = path
    return paths
