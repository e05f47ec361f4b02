"""The research-kg ontology as a closed rdflib namespace.

Generated from ``ontologies/kg.ttl`` (the source of truth); ``tests/test_namespace.py``
checks that the two hold the same terms. A misspelt term raises ``AttributeError``.

Examples
--------
>>> RKG.Paper
rdflib.term.URIRef('https://w3id.org/research-kg/ontology#Paper')
>>> RKG.Papr  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
AttributeError: term 'Papr' not in namespace 'https://w3id.org/research-kg/ontology#'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["ONTOLOGY_IRI", "RKG"]

ONTOLOGY_IRI = "https://w3id.org/research-kg/ontology"


class RKG(DefinedNamespace):
    """Terms of ``ontologies/kg.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/research-kg/ontology#")

    # classes
    # One run of research-kg that added papers to the graph.
    Build: URIRef
    # A specific, nameable data collection, corpus, benchmark suite or knowledge base used as data.
    Dataset: URIRef
    # Something a paper mentions: a method, task, dataset, hardware or metric. Its canonical name is
    # skos:prefLabel and every other surface form a skos:altLabel.
    Entity: URIRef
    # The qualified form of a paper-entity role (such as rkg:uses): which entity, in which role, the
    # evidence sentence, the confidence and the number of mentions.
    EntityLink: URIRef
    # A physical computing platform, processor or device that work runs on or targets.
    Hardware: URIRef
    # One occurrence of an entity in a paper's title or abstract, with its character offsets and sentence.
    Mention: URIRef
    # A technique, algorithm, model architecture, named model or system, learning paradigm, or training or
    # inference procedure.
    Method: URIRef
    # A method and a dataset that papers link together (the paper uses or proposes the method and evaluates on
    # the dataset), with the number of such papers; precomputed from all papers when the graph is built.
    MethodDatasetPair: URIRef
    # Two methods that at least two papers use or propose together, with the number of such papers;
    # precomputed from all papers when the graph is built.
    MethodPair: URIRef
    # A measure used to evaluate or compare.
    Metric: URIRef
    # A research paper known from its title and abstract.
    Paper: URIRef
    # The qualified form of a relation between two entities (such as rkg:evaluatedOn), with the paper and
    # sentence that state it and a confidence.
    RelationStatement: URIRef
    # A numeric claim of a paper: a value of a metric, perhaps on a dataset and against a baseline.
    Result: URIRef
    # The problem, application or research goal a paper addresses.
    Task: URIRef
    # A task and a metric that papers link together (the paper addresses the task and measures with the
    # metric), with the number of such papers; precomputed from all papers when the graph is built.
    TaskMetricPair: URIRef

    # properties
    # The paper addresses this task.
    addresses: URIRef
    # The paper's arXiv identifier without version (2106.09685); schema:sameAs links its abstract page.
    arxivId: URIRef
    # Number of authors, as a listing states it.
    authorCount: URIRef
    # A method is compared to another method.
    comparedTo: URIRef
    # What the result is compared to, as written (a baseline method or setting).
    comparedWith: URIRef
    # How sure the extractor is, from 0 to 1 (calibrated on annotated abstracts).
    confidence: URIRef
    # How many devices of a hardware entity the paper states (8 in "8xA100 GPUs").
    deviceCount: URIRef
    # "gain" or "reduction": whether the claim states an increase or a decrease.
    direction: URIRef
    # The paper's DOI in lowercase, without the resolver (10.18653/v1/n19-1423); schema:sameAs links
    # https://doi.org/ and the DOI.
    doi: URIRef
    # Character offset just after the mention (exclusive), in the title, a newline and the abstract.
    endOffset: URIRef
    # A method is evaluated on a dataset (stated in one sentence of some paper).
    evaluatedOn: URIRef
    # The paper uses this dataset or benchmark.
    evaluatesOn: URIRef
    # How many papers use or propose the method of a method-dataset pair and evaluate on its dataset
    # (precomputed when the graph is built).
    evaluationPapers: URIRef
    # The position (from 1) of a method-dataset pair when all are sorted by evaluation papers (most first),
    # method label and dataset label (precomputed when the graph is built).
    evaluationRank: URIRef
    # The sentence that supports a mention, link, result or relation.
    evidence: URIRef
    # The extraction profile a build used (default, fast, ...).
    extractionProfile: URIRef
    # The product family or architecture of a hardware product (Ampere, Hopper, Jetson).
    family: URIRef
    # The method of a pair whose IRI sorts first.
    firstMethod: URIRef
    # The method that achieved a result.
    forMethod: URIRef
    # The kind of hardware: GPU, TPU, CPU, NPU, FPGA, ASIC, MCU, SoC, supercomputer.
    hardwareKind: URIRef
    # A qualified paper-entity link of the paper.
    hasLink: URIRef
    # An occurrence of an entity in the paper.
    hasMention: URIRef
    # True if larger values of the metric are better, false if smaller are.
    higherIsBetter: URIRef
    # Key of the entry of the shipped knowledge base that this entity was linked to.
    kbKey: URIRef
    # The entity of a qualified link.
    linkedEntity: URIRef
    # A metric is measured on a dataset.
    measuredOn: URIRef
    # The paper measures or compares with this metric.
    measuresWith: URIRef
    # How many papers address the task of a task-metric pair and measure with its metric (precomputed when
    # the graph is built).
    measuringPapers: URIRef
    # The position (from 1) of a task-metric pair when all are sorted by task label, measuring papers (most
    # first) and metric label (precomputed when the graph is built).
    measuringRank: URIRef
    # Device memory of a hardware product, in gigabytes.
    memoryGB: URIRef
    # The entity a mention names.
    mentionOf: URIRef
    # The surface form as written.
    mentionText: URIRef
    # The paper's title or abstract mentions the entity, in some role.
    mentions: URIRef
    # The metric a result is stated in.
    metric: URIRef
    # The value of a result as a number.
    numericValue: URIRef
    # The dataset a result was measured on.
    onDataset: URIRef
    # The paper's OpenAlex work id (W2741809807); schema:sameAs links https://openalex.org/ and the id.
    openAlexId: URIRef
    # The dataset of a method-dataset pair.
    pairedDataset: URIRef
    # The method of a method-dataset pair.
    pairedMethod: URIRef
    # The metric of a task-metric pair.
    pairedMetric: URIRef
    # The task of a task-metric pair.
    pairedTask: URIRef
    # How many papers link the entity, in any role (precomputed when the graph is built).
    paperCount: URIRef
    # The paper introduces this method.
    proposes: URIRef
    # The tail entity of a relation statement.
    relationObject: URIRef
    # The head entity of a relation statement.
    relationSubject: URIRef
    # The direct property a relation statement qualifies (such as rkg:evaluatedOn).
    relationType: URIRef
    # A numeric claim the paper makes.
    reportsResult: URIRef
    # The role of a qualified link: one of the sub-properties of rkg:mentions.
    role: URIRef
    # The paper's work runs on or targets this hardware.
    runsOn: URIRef
    # A method runs on or is designed for a hardware platform.
    runsOnHardware: URIRef
    # The method of a pair whose IRI sorts second.
    secondMethod: URIRef
    # The paper's Semantic Scholar paperId (40 hexadecimal digits); schema:sameAs links its paper page.
    semanticScholarId: URIRef
    # How many papers use or propose both methods of a pair (precomputed when the graph is built).
    sharedPapers: URIRef
    # The input file and line the paper was read from.
    sourceRecord: URIRef
    # Character offset where the mention starts in the title, a newline and the abstract.
    startOffset: URIRef
    # A qualified relation statement made in the paper.
    statesRelation: URIRef
    # How many mentions in the paper support a link.
    support: URIRef
    # The research-kg version that ran a build.
    toolVersion: URIRef
    # The unit a metric or a result value is expressed in (%, ms, x, dB).
    unit: URIRef
    # Upvotes the paper had on the listing it was copied from.
    upvotes: URIRef
    # A method is used for a task.
    usedFor: URIRef
    # The paper uses, studies or compares against this method.
    uses: URIRef
    # The value of a result exactly as the abstract writes it ("1.7", "8%", "13.7times").
    valueText: URIRef
    # The company that makes a hardware product.
    vendor: URIRef
    # Conference or journal, as the input names it.
    venue: URIRef
    # The year of the paper's dcterms:date, when the date gives one (for grouping by year).
    year: URIRef
