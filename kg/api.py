"""Load a built knowledge graph for analysis in Python: ``kg.load("outputs")``.

:func:`load` returns a :class:`KnowledgeGraph`: the Oxigraph store of a build
seen as an rdflib graph (:attr:`~KnowledgeGraph.rdf`), as a networkx graph
(:attr:`~KnowledgeGraph.nx`) and as pandas tables (:attr:`~KnowledgeGraph.papers`,
:attr:`~KnowledgeGraph.entities`, :attr:`~KnowledgeGraph.edges`,
:attr:`~KnowledgeGraph.links`, :attr:`~KnowledgeGraph.mentions`,
:attr:`~KnowledgeGraph.results`, :attr:`~KnowledgeGraph.relations`). Every view is
built on first use with SPARQL on the store (never by walking rdflib triples)
and then cached, so loading is instant and a view costs only when asked for.
Reading the store costs about as much per row as a table has columns to join,
so the analyses use the narrow tables (``edges`` rather than ``links``, which
adds each link's evidence and confidence). Missing values are ``NaN``.

Examples
--------
>>> import kg
>>> from kg.analysis import demo_graph
>>> g = kg.load(demo_graph().path)
>>> len(g.papers), int((g.entities.type == "Method").sum())
(9, 7)
>>> g.entities.set_index("label").loc["LoRA", "papers"]
np.int64(6)
>>> g.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a rkg:Paper }")
   n
0  9
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyoxigraph as ox

from kg.errors import ConfigError, QueryError
from kg.graph.store import open_store

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

__all__ = ["ENTITY_TYPES", "ROLES", "KnowledgeGraph", "load"]

#: Entity types in display order (as :data:`kg.records.ENTITY_TYPES`).
ENTITY_TYPES: tuple[str, ...] = ("Method", "Task", "Dataset", "Hardware", "Metric")
#: The roles of a paper's links to entities (local names of the rkg: properties).
ROLES: tuple[str, ...] = ("proposes", "uses", "addresses", "evaluatesOn", "measuresWith", "runsOn")
_RELATIONS: tuple[str, ...] = ("evaluatedOn", "runsOnHardware", "usedFor", "measuredOn", "comparedTo")
_RKG = "https://w3id.org/research-kg/ontology#"
#: ``progress(stage, done, total)``, as :data:`kg.analysis._common.Progress`.
_Progress = Callable[[str, int, int | None], None]

_PAPER_COLUMNS = {
    "id": "dcterms:identifier",
    "title": "dcterms:title",
    "date": "dcterms:date",
    "venue": "rkg:venue",
    "url": "schema:url",
    "doi": "rkg:doi",
    "arxiv_id": "rkg:arxivId",
    "abstract": "dcterms:abstract",
}
_ENTITIES = """
SELECT ?entity ?class WHERE {
  VALUES ?class { rkg:Method rkg:Task rkg:Dataset rkg:Hardware rkg:Metric }
  ?entity a ?class .
}"""
_ALIASES = "SELECT ?entity ?alias WHERE { ?entity skos:altLabel ?alias }"
_EXTERNAL = "SELECT ?entity ?external WHERE { ?entity skos:exactMatch ?external }"
_ROLE_TRIPLES = """
SELECT ?paper ?role ?entity WHERE {
  VALUES ?role { rkg:proposes rkg:uses rkg:addresses rkg:evaluatesOn rkg:measuresWith rkg:runsOn }
  ?paper ?role ?entity .
}"""
_LINKS = """
SELECT ?paper ?role ?entity ?confidence ?support ?evidence ?devices WHERE {
  ?paper rkg:hasLink ?link .
  ?link rkg:role ?role ;
        rkg:linkedEntity ?entity .
  OPTIONAL { ?link rkg:confidence ?confidence }
  OPTIONAL { ?link rkg:support ?support }
  OPTIONAL { ?link rkg:evidence ?evidence }
  OPTIONAL { ?link rkg:deviceCount ?devices }
}"""
_MENTIONS = """
SELECT ?mention ?paper ?entity ?text ?start ?end ?evidence ?confidence WHERE {
  ?paper rkg:hasMention ?mention .
  ?mention rkg:mentionOf ?entity .
  OPTIONAL { ?mention rkg:mentionText ?text }
  OPTIONAL { ?mention rkg:startOffset ?start }
  OPTIONAL { ?mention rkg:endOffset ?end }
  OPTIONAL { ?mention rkg:evidence ?evidence }
  OPTIONAL { ?mention rkg:confidence ?confidence }
}"""
_RESULTS = """
SELECT ?result ?paper ?value ?number ?unit ?direction ?metric ?dataset ?method ?compared_with ?evidence ?confidence
WHERE {
  ?paper rkg:reportsResult ?result .
  OPTIONAL { ?result rkg:valueText ?value }
  OPTIONAL { ?result rkg:numericValue ?number }
  OPTIONAL { ?result rkg:unit ?unit }
  OPTIONAL { ?result rkg:direction ?direction }
  OPTIONAL { ?result rkg:metric ?metric }
  OPTIONAL { ?result rkg:onDataset ?dataset }
  OPTIONAL { ?result rkg:forMethod ?method }
  OPTIONAL { ?result rkg:comparedWith ?compared_with }
  OPTIONAL { ?result rkg:evidence ?evidence }
  OPTIONAL { ?result rkg:confidence ?confidence }
}"""
_STATEMENTS = """
SELECT ?statement ?paper ?relation ?head ?tail ?evidence ?confidence WHERE {
  ?paper rkg:statesRelation ?statement .
  ?statement rkg:relationType ?relation ;
             rkg:relationSubject ?head ;
             rkg:relationObject ?tail .
  OPTIONAL { ?statement rkg:evidence ?evidence }
  OPTIONAL { ?statement rkg:confidence ?confidence }
}"""
_RELATION_TRIPLES = """
SELECT ?head ?relation ?tail WHERE {
  VALUES ?relation { rkg:evaluatedOn rkg:runsOnHardware rkg:usedFor rkg:measuredOn rkg:comparedTo }
  ?head ?relation ?tail .
}"""


class _View(cached_property):
    """A cached table or graph view that reports its first reading to the graph's ``progress``."""

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None or self.attrname in instance.__dict__:
            return super().__get__(instance, owner)
        instance._report(self.attrname, 0, 1)
        value = super().__get__(instance, owner)
        instance._report(self.attrname, 1, 1)
        return value


def _local(series: pd.Series) -> pd.Series:
    """``https://...ontology#uses`` -> ``uses``."""
    return series.map(lambda iri: iri.rpartition("#")[2], na_action="ignore")


def _year(dates: pd.Series) -> pd.Series:
    """The year of ISO dates (``2023``, ``2023-05``, ``2023-05-01``); missing for ``--05-01``."""
    head = dates.astype("string").str.slice(0, 4)
    return pd.to_numeric(head.where(head.str.fullmatch(r"\d{4}")), errors="coerce").astype("Int64")


class KnowledgeGraph:
    """A built graph, opened read-only for analysis: tables, rdflib and networkx views.

    Create it with :func:`load`. The views are computed on first use and
    cached; :meth:`cached` memoises analysis results the same way (the
    functions of :mod:`kg.analysis` use it). With ``progress`` (see
    :func:`load`) the first reading of each view is reported.

    Attributes
    ----------
    path : pathlib.Path
        The folder it was loaded from.
    store : pyoxigraph.Store
        The store, opened read-only.
    """

    def __init__(self, path: str | Path, *, progress: _Progress | bool | None = None) -> None:
        self.path = Path(path)
        self.store: ox.Store = open_store(self.path)
        self._memo: dict[Any, Any] = {}
        self._report: _Progress = lambda stage, done, total: None
        if progress is not None and progress is not False:  # kg.analysis (numpy, scipy) only when asked
            from kg.analysis._common import progress_callback

            self._report = progress_callback(progress)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {str(self.path)!r}: {len(self.store)} triples>"

    # -- SPARQL -----------------------------------------------------------------------------
    def query(self, sparql: str) -> pd.DataFrame:
        """Run a SELECT query on the store and return its rows as a DataFrame of strings.

        Common prefixes (``rkg:``, ``skos:``, ``dcterms:``, ``schema:`` ...) are
        declared for you; unbound values are ``NaN``.

        Raises
        ------
        QueryError
            If the query is malformed or not a SELECT.

        Examples
        --------
        >>> from kg.analysis import demo_graph
        >>> q = "SELECT ?label WHERE { ?m a rkg:Dataset ; skos:prefLabel ?label } ORDER BY ?label"
        >>> demo_graph().query(q).label.tolist()[:3]
        ['C4', 'CNN/DailyMail', 'COCO']
        """
        from kg.query.sparql import with_prefixes

        try:
            result = self.store.query(with_prefixes(sparql))
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}".splitlines()[0], fix="check the query") from err
        except (OSError, ValueError) as err:
            raise QueryError(f"query failed: {err}".splitlines()[0]) from err
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT queries give a table", fix="use kg.query.run_query for ASK or CONSTRUCT")
        columns = [v.value for v in result.variables]
        data = result.serialize(format=ox.QueryResultsFormat.CSV)
        frame = pd.DataFrame()
        if data.strip():
            frame = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=False
            )
        if frame.empty:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        frame.columns = columns
        return frame

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Return the value memoised under ``key``, computing it with ``compute()`` the first time.

        >>> from kg.analysis import demo_graph
        >>> demo_graph().cached("answer", lambda: 42)
        42
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _with_columns(self, base: pd.DataFrame, key: str, columns: dict[str, str]) -> pd.DataFrame:
        """``base`` with one column per predicate (its first value per subject), each read by a scan.

        A scan of one predicate costs per triple it holds; an OPTIONAL per subject costs a
        look-up per subject and column, several times more on a large store.
        """
        for col, predicate in columns.items():
            values = self.query(f"SELECT ?{key} ?{col} WHERE {{ ?{key} {predicate} ?{col} }}")
            values = values.sort_values([key, col], kind="stable").drop_duplicates(key)
            base = base.merge(values, on=key, how="left")
        return base

    # -- tables ------------------------------------------------------------------------------
    @_View
    def papers(self) -> pd.DataFrame:
        """One row per paper: ``paper`` (IRI), ``id``, ``title``, ``date``, ``year``, ``venue``,
        ``url``, ``doi``, ``arxiv_id``, ``abstract``; ordered by id."""
        base = self.query("SELECT ?paper WHERE { ?paper a rkg:Paper }").drop_duplicates("paper")
        df = self._with_columns(base, "paper", _PAPER_COLUMNS)
        df.insert(4, "year", _year(df["date"]))
        return df.sort_values(["id", "paper"], na_position="last").reset_index(drop=True)

    @_View
    def entities(self) -> pd.DataFrame:
        """One row per entity: ``entity`` (IRI), ``type``, ``label``, ``aliases`` (`` | ``-joined),
        ``kb_key``, ``external`` (space-joined exactMatch IRIs), ``papers`` (distinct papers
        linking to it) and ``proposed`` (papers proposing it); ordered by type, papers, label."""
        df = self._with_columns(self._entity_classes(), "entity", {"label": "skos:prefLabel", "kb_key": "rkg:kbKey"})
        df["type"] = _local(df.pop("class"))
        df["label"] = df["label"].fillna(df["entity"])
        aliases = self.query(_ALIASES).dropna().sort_values(["entity", "alias"])
        df["aliases"] = df["entity"].map(aliases.groupby("entity")["alias"].agg(" | ".join))
        df["aliases"] = df["aliases"].astype(object).fillna("")
        external = self.query(_EXTERNAL).dropna().sort_values(["entity", "external"])
        df["external"] = df["entity"].map(external.groupby("entity")["external"].agg(" ".join))
        df["external"] = df["external"].astype(object).fillna("")
        edges = self.edges
        df["papers"] = df["entity"].map(edges.groupby("entity")["paper"].nunique()).fillna(0).astype(int)
        proposed = edges[edges["role"] == "proposes"].groupby("entity")["paper"].nunique()
        df["proposed"] = df["entity"].map(proposed).fillna(0).astype(int)
        order = {t: i for i, t in enumerate(ENTITY_TYPES)}
        df = df.assign(_o=df["type"].map(order)).sort_values(
            ["_o", "papers", "label", "entity"], ascending=[True, False, True, True]
        )
        cols = ["entity", "type", "label", "aliases", "kb_key", "external", "papers", "proposed"]
        return df[cols].reset_index(drop=True)

    @_View
    def edges(self) -> pd.DataFrame:
        """One row per paper-entity link, narrow: ``paper``, ``entity``, ``role`` (``uses``,
        ``proposes``, ...) and ``type`` (of the entity); what the analyses are built on."""
        df = self.query(_ROLE_TRIPLES)
        df["role"] = _local(df["role"])
        df["type"] = df["entity"].map(self._entity_types())
        df = df[df["type"].notna()].drop_duplicates()
        return df.sort_values(["paper", "entity", "role"]).reset_index(drop=True)

    @_View
    def links(self) -> pd.DataFrame:
        """:attr:`edges` with each link's details: ``confidence``, ``support`` (mentions),
        ``evidence`` (a sentence) and ``devices`` (a stated device count)."""
        details = self.query(_LINKS)
        details["role"] = _local(details["role"])
        details = details.drop_duplicates(["paper", "role", "entity"])
        df = self.edges.merge(details, on=["paper", "role", "entity"], how="left")
        for col in ("confidence", "support", "devices"):
            df[col] = pd.to_numeric(df[col], errors="coerce")
        cols = ["paper", "entity", "role", "type", "confidence", "support", "evidence", "devices"]
        return df[cols]

    @_View
    def mentions(self) -> pd.DataFrame:
        """One row per mention: ``mention`` (IRI), ``paper``, ``entity``, ``text``, ``start``,
        ``end`` (offsets in title, newline, abstract), ``evidence`` (the sentence), ``confidence``."""
        df = self.query(_MENTIONS).drop_duplicates(["mention", "entity"])
        for col in ("start", "end"):
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce")
        return df.sort_values(["paper", "start", "mention"]).reset_index(drop=True)

    @_View
    def results(self) -> pd.DataFrame:
        """One row per numeric result: ``result``, ``paper``, ``title``, ``metric_label``,
        ``value`` (as written), ``number``, ``unit``, ``direction``, ``dataset_label``,
        ``method_label``, ``compared_with``, ``evidence``, ``confidence`` and the entity IRIs
        ``metric``, ``dataset`` and ``method``."""
        df = self.query(_RESULTS).drop_duplicates("result")
        for col in ("number", "confidence"):
            df[col] = pd.to_numeric(df[col], errors="coerce")
        labels = self._entity_labels()
        for col in ("metric", "dataset", "method"):
            df[f"{col}_label"] = df[col].map(labels)
        df["title"] = df["paper"].map(self.papers.set_index("paper")["title"])
        cols = [
            "result", "paper", "title", "metric_label", "value", "number", "unit", "direction",
            "dataset_label", "method_label", "compared_with", "evidence", "confidence",
            "metric", "dataset", "method",
        ]  # fmt: skip
        return df[cols].sort_values(["paper", "result"]).reset_index(drop=True)

    @_View
    def relations(self) -> pd.DataFrame:
        """One row per relation statement: ``statement``, ``paper``, ``relation``
        (``evaluatedOn``, ...), ``head``, ``tail`` (entity IRIs), their labels
        ``head_label`` and ``tail_label``, ``evidence`` and ``confidence``."""
        df = self.query(_STATEMENTS).drop_duplicates("statement")
        df["relation"] = _local(df["relation"])
        df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce")
        labels = self._entity_labels()
        df["head_label"] = df["head"].map(labels)
        df["tail_label"] = df["tail"].map(labels)
        cols = ["statement", "paper", "relation", "head", "head_label", "tail", "tail_label", "evidence", "confidence"]
        return df[cols].sort_values(["paper", "statement"]).reset_index(drop=True)

    @_View
    def relation_edges(self) -> pd.DataFrame:
        """The direct entity-entity relation triples: ``head``, ``relation``, ``tail``."""
        df = self.query(_RELATION_TRIPLES)
        df["relation"] = _local(df["relation"])
        return df.drop_duplicates().sort_values(["head", "relation", "tail"]).reset_index(drop=True)

    # -- graph views -------------------------------------------------------------------------
    @cached_property
    def rdf(self) -> Graph:
        """The store as a read-only rdflib :class:`~rdflib.Graph` (through oxrdflib).

        Its ``query`` runs on Oxigraph itself; it shares this object's store handle.

        >>> from kg.analysis import demo_graph
        >>> from kg.graph.namespace import RKG
        >>> from rdflib import RDF
        >>> len(list(demo_graph().rdf.subjects(RDF.type, RKG.Paper)))
        9
        """
        from oxrdflib.store import OxigraphStore
        from rdflib import Graph
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from kg.graph.rdf import bind_prefixes

        return bind_prefixes(Graph(store=OxigraphStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID))

    @_View
    def nx(self) -> nx.MultiDiGraph:
        """The paper-entity graph as a networkx ``MultiDiGraph``.

        The same graph as :func:`kg.graph.projection.to_networkx` gives (node
        ``kind``, ``label``, ``aliases``, ``kb_key``, ``papers``; paper-entity
        edges keyed by role with ``evidence`` and ``confidence``; entity-entity
        edges keyed by relation), built from the tables instead of rdflib triples.

        >>> from kg.analysis import demo_graph
        >>> G = demo_graph().nx
        >>> sorted({d["kind"] for _, d in G.nodes(data=True)})
        ['Dataset', 'Hardware', 'Method', 'Metric', 'Paper', 'Task']
        """
        import networkx as nx

        G = nx.MultiDiGraph()
        ents = self.entities
        links = self.links
        role_counts = self.edges.groupby("entity").size()
        for row in ents.itertuples(index=False):
            G.add_node(
                row.entity,
                kind=row.type,
                label=row.label,
                aliases=row.aliases,
                kb_key="" if pd.isna(row.kb_key) else row.kb_key,
                papers=int(role_counts.get(row.entity, 0)),
            )
        evidence = links["evidence"].fillna("").tolist()
        confidence = links["confidence"].fillna(1.0).astype(float).tolist()
        for i, (paper, entity, role) in enumerate(zip(links["paper"], links["entity"], links["role"])):
            G.add_edge(paper, entity, key=role, evidence=evidence[i], confidence=confidence[i])
        papers = self.papers
        labels = papers["title"].fillna(papers["id"]).fillna(papers["paper"])
        for paper, label, date in zip(papers["paper"], labels, papers["date"].fillna("")):
            G.add_node(paper, kind="Paper", label=label, date=date, papers=1)
        for head, rel, tail in self.relation_edges.itertuples(index=False):
            if head in G and tail in G:
                G.add_edge(head, tail, key=rel)
        return G

    # -- look-ups ----------------------------------------------------------------------------
    def _entity_classes(self) -> pd.DataFrame:
        return self.cached("_entity_classes", lambda: self.query(_ENTITIES).drop_duplicates("entity"))

    def _entity_types(self) -> pd.Series:
        def compute() -> pd.Series:
            df = self._entity_classes()
            return pd.Series(_local(df["class"]).to_numpy(), index=df["entity"].to_numpy())

        return self.cached("_entity_types", compute)

    def _entity_labels(self) -> pd.Series:
        return self.cached("_entity_labels", lambda: self.entities.set_index("entity")["label"])

    def entity(self, name: str, type: str | None = None) -> str:
        """The IRI of the entity named ``name`` (its IRI, label or an alias; case is ignored).

        When several entities match, the one in most papers wins.

        Raises
        ------
        ConfigError
            If no entity (of ``type``) has that name.

        Examples
        --------
        >>> from kg.analysis import demo_graph
        >>> demo_graph().entity("low-rank adaptation")
        'https://w3id.org/research-kg/id/method/lora'
        """
        ents = self.entities if type is None else self.entities[self.entities["type"] == type]
        if name in set(ents["entity"]):
            return name
        key = name.casefold().strip()
        hit = ents[ents["label"].str.casefold() == key]
        if hit.empty:
            alias_hit = ents["aliases"].str.casefold().str.split(" | ", regex=False).map(lambda a: key in a)
            hit = ents[alias_hit]
        if hit.empty:
            kind = f"{type} " if type else ""
            raise ConfigError(
                f"no {kind}entity named {name!r} in {self.path}",
                fix="look names up in kg.load(...).entities (label and aliases)",
            )
        return str(hit.sort_values("papers", ascending=False, kind="stable")["entity"].iloc[0])

    def paper(self, key: str) -> str:
        """The IRI of a paper from its IRI, id, DOI, arXiv id or exact title (case is ignored).

        Raises
        ------
        ConfigError
            If no paper matches.

        Examples
        --------
        >>> from kg.analysis import demo_graph
        >>> demo_graph().paper("d1")
        'https://w3id.org/research-kg/id/paper/d1'
        """
        papers = self.papers
        for col in ("paper", "id", "doi", "arxiv_id"):
            hit = papers[papers[col] == key]
            if not hit.empty:
                return str(hit["paper"].iloc[0])
        hit = papers[papers["title"].str.casefold() == key.casefold().strip()]
        if hit.empty:
            raise ConfigError(f"no paper {key!r} in {self.path}", fix="use an id, IRI or title from .papers")
        return str(hit["paper"].iloc[0])

    def close(self) -> None:
        """Drop the cached views and the store handle."""
        self._memo.clear()
        views = ("papers", "entities", "edges", "links", "mentions", "results", "relations", "relation_edges")
        views += ("rdf", "nx")
        for name in views:
            self.__dict__.pop(name, None)
        del self.store


def load(path: str | Path = "outputs", *, progress: _Progress | bool | None = None) -> KnowledgeGraph:
    """Open the graph built into ``path`` (an output folder of ``kg build`` or its store folder).

    Parameters
    ----------
    path : path
        The folder ``kg build --out`` wrote.
    progress : callable or bool, optional
        Report the first reading of each view (``papers``, ``links``, ``nx``
        ...; a large store takes seconds per table): ``True`` draws a progress
        bar per view (tqdm), a callable gets ``progress(view, done, 1)``.

    Returns
    -------
    KnowledgeGraph
        The graph, opened read-only, with lazy, cached table and graph views.

    Raises
    ------
    StoreError
        If there is no complete store there.

    Examples
    --------
    >>> import kg
    >>> from kg.analysis import demo_graph
    >>> g = kg.load(demo_graph().path)
    >>> g.edges.role.value_counts().to_dict()["proposes"]
    3
    >>> len(kg.load(demo_graph().path, progress=True).links)  # draws "Reading links: 100%|████| 1/1" on stderr
    56
    """
    return KnowledgeGraph(path, progress=progress)
