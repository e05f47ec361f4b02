"""Turn a normalised corpus into an RDF graph (rdflib).

Each paper links to its entities twice: directly (``paper rkg:uses method``,
for simple queries) and through a qualified :class:`rkg:EntityLink` that
keeps the evidence sentence, the confidence and the number of mentions.
Mentions, results and relation statements are nodes of their own.

A few statistics are precomputed from the whole corpus at build time (see
:func:`add_statistics`): each entity's paper count, the pairs of methods that
papers mention together, the datasets each method is evaluated on and the
metrics measured for each task (with each pair's rank in its saved query's
order), so that the saved queries need not join every paper with every other,
nor sort every pair by label, at query time.
``kg build`` and ``kg remove`` rebuild the graph from all papers, which keeps
them right.

Everything is deterministic: the same corpus gives the same triples.

Examples
--------
>>> from kg.records import Paper, Extraction, EntityRecord, Mention
>>> from kg.normalize.canonical import normalize
>>> m = Mention("LoRA", 0, 4, "LoRA adapts models.")
>>> ex = Extraction(Paper("p1", "LoRA", "LoRA adapts models."), (EntityRecord("Method", "LoRA", (m,)),))
>>> g = corpus_to_graph(normalize([ex]))
>>> from kg.graph.namespace import RKG
>>> len(list(g.subjects(RKG.uses, None)))
1
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import combinations

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.graph.iris import (
    BASE,
    entity_iri,
    link_iri,
    mention_iri,
    org_iri,
    pair_iri,
    paper_iri,
    relation_iri,
    result_iri,
)
from kg.graph.namespace import RKG
from kg.normalize.canonical import Corpus
from kg.records import CanonicalEntity, EntityRecord, Extraction, Mention, Paper
from kg.textnorm import form_key

__all__ = [
    "CLASS_BY_TYPE",
    "RELATION_PROPERTY",
    "ROLE_BY_TYPE",
    "SCHEMA",
    "add_entity",
    "add_extraction",
    "add_statistics",
    "bind_prefixes",
    "corpus_to_graph",
    "date_literal",
]

SCHEMA = Namespace("https://schema.org/")

CLASS_BY_TYPE: dict[str, URIRef] = {
    "Method": RKG.Method,
    "Task": RKG.Task,
    "Dataset": RKG.Dataset,
    "Hardware": RKG.Hardware,
    "Metric": RKG.Metric,
}
#: The role of a paper's link to an entity of each type (a proposed method gets rkg:proposes).
ROLE_BY_TYPE: dict[str, URIRef] = {
    "Method": RKG.uses,
    "Task": RKG.addresses,
    "Dataset": RKG.evaluatesOn,
    "Hardware": RKG.runsOn,
    "Metric": RKG.measuresWith,
}
RELATION_PROPERTY: dict[str, URIRef] = {
    "evaluatedOn": RKG.evaluatedOn,
    "runsOnHardware": RKG.runsOnHardware,
    "usedFor": RKG.usedFor,
    "measuredOn": RKG.measuredOn,
    "comparedTo": RKG.comparedTo,
}
_ATTRIBUTE_PROPERTY = {
    "vendor": (RKG.vendor, XSD.string),
    "family": (RKG.family, XSD.string),
    "kind": (RKG.hardwareKind, XSD.string),  # hardware only: the KB's kind of a method is not a hardware kind
    "memory_gb": (RKG.memoryGB, XSD.decimal),
    "memoryGB": (RKG.memoryGB, XSD.decimal),
    "unit": (RKG.unit, XSD.string),
    "higher_is_better": (RKG.higherIsBetter, XSD.boolean),
}


def canonical_literals(g: Graph) -> Graph:
    """Copy ``g`` with numeric literals in one lexical form, for comparing graphs across stores.

    Stores and serialisers write the same decimal differently (Turtle ``1.0``,
    Oxigraph ``1``); the values are equal. Compare graphs with
    ``isomorphic(canonical_literals(a), canonical_literals(b))``.

    >>> from rdflib import URIRef
    >>> a = Graph().add((URIRef("x:s"), URIRef("x:p"), Literal("1.0", datatype=XSD.decimal)))
    >>> b = Graph().add((URIRef("x:s"), URIRef("x:p"), Literal("1", datatype=XSD.decimal)))
    >>> set(canonical_literals(a)) == set(canonical_literals(b))
    True
    """
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype in (XSD.decimal, XSD.double, XSD.float, XSD.integer):
            try:
                number = Decimal(str(o.toPython())).normalize()
                o = Literal(format(number, "f"), datatype=o.datatype)
            except (ArithmeticError, ValueError):
                pass
        out.add((s, p, o))
    return out


def bind_prefixes(g: Graph) -> Graph:
    """Bind the prefixes used in the graph's serialisations."""
    g.bind("rkg", str(RKG._NS))
    g.bind("kgid", BASE)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    g.bind("schema", SCHEMA)
    return g


def date_literal(date: str) -> Literal:
    """Return an ISO date string as a typed literal (xsd:date, gYearMonth, gYear or gMonthDay).

    >>> date_literal("2017-11-28").datatype == XSD.date, date_literal("--03-12").datatype == XSD.gMonthDay
    (True, True)
    """
    if date.startswith("--"):
        return Literal(date, datatype=XSD.gMonthDay)
    parts = date.count("-")
    datatype = {0: XSD.gYear, 1: XSD.gYearMonth}.get(parts, XSD.date)
    return Literal(date, datatype=datatype)


_YEAR = re.compile(r"^[0-9]{4}(-|$)")


def _decimal(value: float | Decimal | str) -> Literal:
    """An xsd:decimal in canonical lexical form ("1", "0.95"), as stores write it back."""
    number = Decimal(str(round(float(value), 3))).normalize()
    text = format(number, "f")
    return Literal(text, datatype=XSD.decimal)


def add_entity(g: Graph, entity: CanonicalEntity) -> URIRef:
    """Add a canonical entity with its labels, knowledge-base ids and attributes."""
    node = entity_iri(entity.key)
    g.add((node, RDF.type, CLASS_BY_TYPE[entity.type]))
    g.add((node, SKOS.prefLabel, Literal(entity.name)))
    g.add((node, RDFS.label, Literal(entity.name)))
    for alias in entity.aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    if entity.kb_id:
        g.add((node, RKG.kbKey, Literal(entity.kb_id)))
    for ext in entity.exact_match:
        g.add((node, SKOS.exactMatch, URIRef(ext)))
    for name, value in entity.attributes:
        if name not in _ATTRIBUTE_PROPERTY or not value:
            continue
        if name == "kind" and entity.type != "Hardware":
            continue
        prop, datatype = _ATTRIBUTE_PROPERTY[name]
        if datatype == XSD.boolean:
            g.add((node, prop, Literal(value.lower() == "true", datatype=XSD.boolean)))
        elif datatype == XSD.decimal:
            try:
                g.add((node, prop, _decimal(value)))
            except (ArithmeticError, ValueError):
                continue
        else:
            g.add((node, prop, Literal(value)))
    return node


def _add_paper_metadata(g: Graph, paper: Paper) -> URIRef:
    """Add a paper's bibliographic data: title, abstract, date, authors, venue and identifiers.

    Each identifier is a literal (``rkg:doi``, ``rkg:arxivId``,
    ``rkg:openAlexId``, ``rkg:semanticScholarId``) and a ``schema:sameAs``
    link to the page it resolves to. Authors are ``dcterms:creator`` names
    and ``schema:author`` ``schema:Person`` nodes, one per exact name.
    """
    import unicodedata
    from urllib.parse import quote

    node = paper_iri(paper.id)
    g.add((node, RDF.type, RKG.Paper))
    g.add((node, DCTERMS.identifier, Literal(paper.id)))
    if paper.title:
        g.add((node, DCTERMS.title, Literal(paper.title)))
        g.add((node, RDFS.label, Literal(paper.title)))
    g.add((node, DCTERMS.abstract, Literal(paper.abstract)))
    if paper.date:
        g.add((node, DCTERMS.date, date_literal(paper.date)))
        if _YEAR.match(paper.date):  # a gMonthDay ("--03-12") has no year
            g.add((node, RKG.year, Literal(paper.date[:4], datatype=XSD.gYear)))
    if paper.author_count is not None:
        g.add((node, RKG.authorCount, Literal(paper.author_count)))
    for author in paper.authors:
        g.add((node, DCTERMS.creator, Literal(author)))
        person_key = "-".join(unicodedata.normalize("NFKC", author).casefold().replace(".", " ").split())
        person = URIRef(f"{BASE}person/{quote(person_key, safe='-._~', errors='surrogatepass')}")
        g.add((node, SCHEMA.author, person))
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, SCHEMA.name, Literal(author)))
    if paper.organization:
        org = org_iri(paper.organization)
        g.add((node, SCHEMA.sourceOrganization, org))
        g.add((org, RDF.type, SCHEMA.Organization))
        g.add((org, SCHEMA.name, Literal(paper.organization)))
    if paper.venue:
        g.add((node, RKG.venue, Literal(paper.venue)))
    if paper.url:
        g.add((node, SCHEMA.url, URIRef(paper.url)))
    for value, prop, resolver in (
        (paper.doi, RKG.doi, "https://doi.org/"),
        (paper.arxiv_id, RKG.arxivId, "https://arxiv.org/abs/"),
        (paper.openalex_id, RKG.openAlexId, "https://openalex.org/"),
        (paper.s2_id, RKG.semanticScholarId, "https://www.semanticscholar.org/paper/"),
    ):
        if value:
            g.add((node, prop, Literal(value)))
            g.add((node, SCHEMA.sameAs, URIRef(resolver + quote(value, safe="/:;()._-", errors="surrogatepass"))))
    if paper.upvotes is not None:
        g.add((node, RKG.upvotes, Literal(paper.upvotes)))
    if paper.source:
        g.add((node, RKG.sourceRecord, Literal(paper.source)))
    return node


def add_extraction(g: Graph, ex: Extraction) -> URIRef:
    """Add one paper: metadata, entity links, mentions, results and relations."""
    pid = ex.paper.id
    node = _add_paper_metadata(g, ex.paper)
    proposed = {form_key(p) for p in ex.proposed}
    key_by_form: dict[tuple[str, str], str] = {}
    mentions: dict[URIRef, tuple[URIRef, Mention]] = {}
    for e in ex.entities:
        for f in e.forms:
            key_by_form.setdefault((e.type, form_key(f)), e.key)
        role = _role(e, proposed)
        target = entity_iri(e.key)
        g.add((node, role, target))
        link = link_iri(pid, role.fragment, e.key)
        g.add((node, RKG.hasLink, link))
        g.add((link, RDF.type, RKG.EntityLink))
        g.add((link, RKG.role, role))
        g.add((link, RKG.linkedEntity, target))
        g.add((link, RKG.support, Literal(len(e.mentions))))
        g.add((link, RKG.confidence, _decimal(e.confidence)))
        if e.mentions:
            g.add((link, RKG.evidence, Literal(e.mentions[0].sentence)))
        for name, value in e.attributes:
            if name == "count":
                g.add((link, RKG.deviceCount, Literal(int(value))))
        for m in e.mentions:
            # one node per entity and span: a span found twice (by two components) keeps its highest confidence
            mnode = mention_iri(pid, m.start, m.end, e.key)
            if mnode not in mentions or m.confidence > mentions[mnode][1].confidence:
                mentions[mnode] = (target, m)
    for mnode, (target, m) in mentions.items():
        g.add((node, RKG.hasMention, mnode))
        g.add((mnode, RDF.type, RKG.Mention))
        g.add((mnode, RKG.mentionOf, target))
        g.add((mnode, RKG.mentionText, Literal(m.text)))
        g.add((mnode, RKG.startOffset, Literal(m.start)))
        g.add((mnode, RKG.endOffset, Literal(m.end)))
        g.add((mnode, RKG.evidence, Literal(m.sentence)))
        g.add((mnode, RKG.confidence, _decimal(m.confidence)))

    def resolve(etype: str, form: str | None) -> URIRef | None:
        if not form:
            return None
        key = key_by_form.get((etype, form_key(form)))
        return entity_iri(key) if key else None

    for i, r in enumerate(ex.results, start=1):
        rnode = result_iri(pid, i)
        g.add((node, RKG.reportsResult, rnode))
        g.add((rnode, RDF.type, RKG.Result))
        g.add((rnode, RDFS.label, Literal(f"{r.metric} {r.value}")))
        g.add((rnode, RKG.valueText, Literal(r.value)))
        if r.number is not None:
            g.add((rnode, RKG.numericValue, _decimal(r.number)))
        if r.unit:
            g.add((rnode, RKG.unit, Literal(r.unit)))
        if r.direction:
            g.add((rnode, RKG.direction, Literal(r.direction)))
        if r.comparison:
            g.add((rnode, RKG.comparedWith, Literal(r.comparison)))
        for etype, form, prop in (
            ("Metric", r.metric, RKG.metric),
            ("Dataset", r.dataset, RKG.onDataset),
            ("Method", r.method, RKG.forMethod),
        ):
            target = resolve(etype, form)
            if target is not None:
                g.add((rnode, prop, target))
        if r.sentence:
            g.add((rnode, RKG.evidence, Literal(r.sentence)))
        g.add((rnode, RKG.confidence, _decimal(r.confidence)))

    head_types = {
        "evaluatedOn": "Method",
        "runsOnHardware": "Method",
        "usedFor": "Method",
        "measuredOn": "Metric",
        "comparedTo": "Method",
    }
    tail_types = {
        "evaluatedOn": "Dataset",
        "runsOnHardware": "Hardware",
        "usedFor": "Task",
        "measuredOn": "Dataset",
        "comparedTo": "Method",
    }
    # one statement per paper, type, head and tail: a relation stated in several sentences keeps every
    # sentence as evidence and the highest confidence
    confidence: dict[URIRef, float] = {}
    for rel in ex.relations:
        prop = RELATION_PROPERTY.get(rel.type)
        head = resolve(head_types.get(rel.type, ""), rel.head)
        tail = resolve(tail_types.get(rel.type, ""), rel.tail)
        if prop is None or head is None or tail is None or head == tail:
            continue
        g.add((head, prop, tail))
        snode = relation_iri(pid, rel.type, str(head), str(tail))
        g.add((node, RKG.statesRelation, snode))
        g.add((snode, RDF.type, RKG.RelationStatement))
        g.add((snode, RKG.relationType, prop))
        g.add((snode, RKG.relationSubject, head))
        g.add((snode, RKG.relationObject, tail))
        g.add((snode, RKG.evidence, Literal(rel.sentence)))
        g.add((snode, PROV.wasDerivedFrom, node))
        confidence[snode] = max(confidence.get(snode, rel.confidence), rel.confidence)
    for snode, value in confidence.items():
        g.add((snode, RKG.confidence, _decimal(value)))
    return node


def _role(e: EntityRecord, proposed: set[str]) -> URIRef:
    """The role of a paper's link to ``e``: rkg:proposes for a method whose form the paper proposes."""
    is_proposed = e.type == "Method" and any(form_key(f) in proposed for f in e.forms)
    return RKG.proposes if is_proposed else ROLE_BY_TYPE[e.type]


def _roles(ex: Extraction) -> list[tuple[str, URIRef]]:
    """(entity key, role) of each entity a paper links, as :func:`add_extraction` writes them."""
    proposed = {form_key(p) for p in ex.proposed}
    return [(e.key, _role(e, proposed)) for e in ex.entities]


def add_statistics(
    g: Graph, entity_keys: Iterable[str], papers: Sequence[Extraction], labels: Mapping[str, str] | None = None
) -> None:
    """Add counts over all ``papers`` that queries would otherwise compute by joining papers at query time.

    * ``rkg:paperCount`` on each entity of ``entity_keys``: how many papers link it, in any role (0 if none);
    * one ``rkg:MethodPair`` for each two methods that at least two papers use or propose together:
      ``rkg:firstMethod`` (the one whose IRI sorts first), ``rkg:secondMethod`` and ``rkg:sharedPapers``
      (pairs of a single paper are left out: they are the bulk of all pairs and no saved query reports them);
    * one ``rkg:MethodDatasetPair`` for each method and dataset that some paper links together (it uses or
      proposes the method and evaluates on the dataset): ``rkg:pairedMethod``, ``rkg:pairedDataset``,
      ``rkg:evaluationPapers`` and ``rkg:evaluationRank`` (its position, from 1, when all these pairs are
      sorted by papers, most first, then method label, then dataset label: the order of the method-datasets
      query, so that it reads only the first rows instead of sorting every pair by label);
    * one ``rkg:TaskMetricPair`` for each task and metric that some paper links together (it addresses the
      task and measures with the metric): ``rkg:pairedTask``, ``rkg:pairedMetric``, ``rkg:measuringPapers``
      and ``rkg:measuringRank`` (its position, from 1, sorted by task label, then papers, most first, then
      metric label: the order of the metrics-per-task query).

    Labels are ``labels[key]``, else the entities' ``skos:prefLabel`` in ``g`` (compared by code point, as
    SPARQL orders plain strings); a pair whose entity has no label is ranked by the entity's key. A write-only
    ``g`` (:class:`kg.graph.bulk.StoreWriter`) cannot be read back: pass ``labels``.
    """
    paper_count: Counter[str] = Counter()
    pair_count: Counter[tuple[str, str]] = Counter()
    evaluation_count: Counter[tuple[str, str]] = Counter()
    measuring_count: Counter[tuple[str, str]] = Counter()
    for ex in papers:
        roles = _roles(ex)
        paper_count.update({key for key, _ in roles})
        methods = sorted({key for key, role in roles if role in (RKG.uses, RKG.proposes)}, key=entity_iri)
        pair_count.update(combinations(methods, 2))
        datasets = {key for key, role in roles if role == RKG.evaluatesOn}
        evaluation_count.update((m, d) for m in methods for d in datasets)
        tasks = {key for key, role in roles if role == RKG.addresses}
        metrics = {key for key, role in roles if role == RKG.measuresWith}
        measuring_count.update((t, m) for t in tasks for m in metrics)
    for key in entity_keys:
        g.add((entity_iri(key), RKG.paperCount, Literal(paper_count.get(key, 0))))
    for (first, second), n in pair_count.items():
        if n < 2:
            continue
        pair = pair_iri(first, second)
        g.add((pair, RDF.type, RKG.MethodPair))
        g.add((pair, RKG.firstMethod, entity_iri(first)))
        g.add((pair, RKG.secondMethod, entity_iri(second)))
        g.add((pair, RKG.sharedPapers, Literal(n)))
    known: dict[str, str] = dict(labels or {})

    def label(key: str) -> str:
        if key not in known:
            value = g.value(entity_iri(key), SKOS.prefLabel) if hasattr(g, "value") else None
            known[key] = str(value) if value is not None else key
        return known[key]

    evaluation_order = sorted(evaluation_count, key=lambda p: (-evaluation_count[p], label(p[0]), label(p[1])))
    for rank, (method, dataset) in enumerate(evaluation_order, start=1):
        pair = pair_iri(method, dataset)
        g.add((pair, RDF.type, RKG.MethodDatasetPair))
        g.add((pair, RKG.pairedMethod, entity_iri(method)))
        g.add((pair, RKG.pairedDataset, entity_iri(dataset)))
        g.add((pair, RKG.evaluationPapers, Literal(evaluation_count[method, dataset])))
        g.add((pair, RKG.evaluationRank, Literal(rank)))
    measuring_order = sorted(measuring_count, key=lambda p: (label(p[0]), -measuring_count[p], label(p[1])))
    for rank, (task, metric) in enumerate(measuring_order, start=1):
        pair = pair_iri(task, metric)
        g.add((pair, RDF.type, RKG.TaskMetricPair))
        g.add((pair, RKG.pairedTask, entity_iri(task)))
        g.add((pair, RKG.pairedMetric, entity_iri(metric)))
        g.add((pair, RKG.measuringPapers, Literal(measuring_count[task, metric])))
        g.add((pair, RKG.measuringRank, Literal(rank)))


def corpus_to_graph(
    corpus: Corpus, graph: Graph | None = None, papers: Iterable[Extraction] | None = None
) -> Graph:
    """Return (or fill) a graph with the entities and papers of ``corpus`` and their statistics.

    The statistics (:func:`add_statistics`) count the papers written: all of ``corpus``, or ``papers``;
    a graph written in several calls (``papers`` in chunks) would get one count per call, so write
    all papers in one call.
    """
    g = bind_prefixes(graph if graph is not None else Graph())
    for entity in corpus.entities.values():
        add_entity(g, entity)
    written = list(papers if papers is not None else corpus.extractions)
    for ex in written:
        add_extraction(g, ex)
    add_statistics(g, corpus.entities, written, {key: e.name for key, e in corpus.entities.items()})
    return g
