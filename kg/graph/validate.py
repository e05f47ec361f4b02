"""Check a graph against the SHACL shapes of ``ontologies/shapes.ttl`` (pyshacl).

The ontology (``ontologies/kg.ttl``) is mixed into the data graph, as the
shapes expect (class hierarchy, domains and ranges of roles and relations);
there is no RDFS inference, so each node is checked for what it states. Each
result comes back as a plain :class:`Violation` record: severity, focus node,
path, shape, message, offending value and SHACL constraint component.
``sh:Violation`` results are errors; ``sh:Warning`` results flag what the
current graph writer is known to get wrong and do not make a graph invalid.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef, RDF, SKOS
>>> from kg.graph.namespace import RKG
>>> g = Graph()
>>> m = URIRef("https://w3id.org/research-kg/id/method/lora")
>>> _ = g.add((m, RDF.type, RKG.Method))
>>> [(v.severity, v.path, v.constraint) for v in validate_graph(g)]
[('Violation', 'http://www.w3.org/2004/02/skos/core#prefLabel', 'MinCountConstraintComponent')]
>>> _ = g.add((m, SKOS.prefLabel, Literal("LoRA")))
>>> validate_graph(g)
[]
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.errors import ConfigError
from kg.resources import ontologies_dir

__all__ = [
    "SEVERITIES",
    "Violation",
    "compact",
    "has_violations",
    "load_ontology",
    "load_shapes",
    "validate_graph",
    "validate_store",
]

SH = Namespace("http://www.w3.org/ns/shacl#")

#: Severities in report order, most serious first.
SEVERITIES = ("Violation", "Warning", "Info")

_PREFIXES = (
    ("rkg:", "https://w3id.org/research-kg/ontology#"),
    ("rkgsh:", "https://w3id.org/research-kg/shapes#"),
    ("kgid:", "https://w3id.org/research-kg/id/"),
    ("skos:", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms:", "http://purl.org/dc/terms/"),
    ("schema:", "https://schema.org/"),
    ("prov:", "http://www.w3.org/ns/prov#"),
    ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
    ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, as plain strings.

    Attributes
    ----------
    severity : str
        ``"Violation"``, ``"Warning"`` or ``"Info"``.
    focus : str
        The node that fails (an IRI, ``_:`` blank node id or literal text).
    path : str
        The property (IRI), ``^IRI`` for an inverse path, or ``""`` for a node constraint.
    shape : str
        The shape that failed: its IRI, or the IRI of the node shape of a blank property shape.
    message : str
        What is wrong.
    value : str
        The offending value (IRI or literal text), or ``""``.
    constraint : str
        The SHACL constraint component, such as ``"MinCountConstraintComponent"``.
    """

    severity: str
    focus: str
    path: str
    shape: str
    message: str
    value: str = ""
    constraint: str = ""

    def as_dict(self) -> dict[str, str]:
        """The record as a JSON-ready dict.

        >>> Violation("Violation", "x:a", "x:p", "x:S", "bad").as_dict()["message"]
        'bad'
        """
        return asdict(self)


def compact(text: str) -> str:
    """Shorten the IRIs in ``text`` with the graph's usual prefixes (for tables and messages).

    >>> compact("https://w3id.org/research-kg/ontology#confidence"), compact("^http://purl.org/dc/terms/title")
    ('rkg:confidence', '^dcterms:title')
    >>> compact("role https://w3id.org/research-kg/ontology#runsOn takes a https://w3id.org/research-kg/ontology#Hardware")
    'role rkg:runsOn takes a rkg:Hardware'
    """
    for prefix, namespace in _PREFIXES:
        text = text.replace(namespace, prefix)
    return text


@functools.cache
def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def load_shapes(path: str | Path | None = None) -> Graph:
    """The shapes graph (default: ``ontologies/shapes.ttl``), parsed once: treat it as read-only.

    Raises
    ------
    ConfigError
        If the file is missing or is not Turtle.
    """
    return _load(Path(path) if path else ontologies_dir() / "shapes.ttl", "shapes")


def load_ontology(path: str | Path | None = None) -> Graph:
    """The ontology graph (default: ``ontologies/kg.ttl``), parsed once: treat it as read-only."""
    return _load(Path(path) if path else ontologies_dir() / "kg.ttl", "ontology")


def _load(path: Path, what: str) -> Graph:
    if not path.is_file():
        raise ConfigError(f"no {what} file at {path}", fix="reinstall research-kg or pass an existing file")
    try:
        return _parse(path.resolve())
    except Exception as error:  # rdflib raises many parser error types
        raise ConfigError(f"cannot read the {what} file {path}: {error}", fix="fix its Turtle syntax") from error


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path_text(path: Node | None, graphs: tuple[Graph, ...]) -> str:
    """An IRI path as the IRI, an inverse path as ``^IRI``; other complex paths in Turtle-ish form."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    for g in graphs:
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(inverse, graphs)
    return _text(path)


def _shape_text(shape: Node | None, shapes: Graph) -> str:
    """A shape's IRI; a blank property shape is named by the node shape that holds it."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = shapes.value(None, SH.property, shape)
        if parent is None:
            break
        shape = parent
    return _text(shape)


def _sort_key(v: Violation) -> tuple:
    rank = SEVERITIES.index(v.severity) if v.severity in SEVERITIES else len(SEVERITIES)
    return (rank, v.shape, v.path, v.focus, v.constraint, v.value, v.message)


@functools.lru_cache(maxsize=256)
def _prepared_query(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A graph whose SPARQL texts are parsed once per process.

    pyshacl runs a SPARQL constraint once per focus node with the same text and
    ``$this`` bound; rdflib would parse the text every time (about 60 ms), which
    made validating the 300 seed papers take minutes.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared_query(query_object)
        return super().query(query_object, *args, **kwargs)


def validate_graph(
    graph: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None
) -> list[Violation]:
    """Validate ``graph`` against the shapes; return every result (empty: the graph conforms).

    Parameters
    ----------
    graph : rdflib.Graph
        The data graph; it is not changed.
    shapes, ontology : rdflib.Graph, optional
        Default: ``ontologies/shapes.ttl`` and ``ontologies/kg.ttl``.

    Returns
    -------
    list of Violation
        Sorted by severity (violations first), shape, path and focus node.
    """
    from pyshacl import validate

    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    data = _PreparedQueryGraph()  # a copy: pyshacl mixes the ontology into it
    for triple in graph:
        data.add(triple)
    _, report, _ = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        inplace=True,
    )
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure: the shapes themselves are wrong
        raise ConfigError(f"the shapes cannot be checked: {report}", fix="fix the shapes file")
    records = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        component = report.value(result, SH.sourceConstraintComponent)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        records.append(
            Violation(
                severity=str(severity).rpartition("#")[2] if severity is not None else "Violation",
                focus=_text(report.value(result, SH.focusNode)),
                path=_path_text(report.value(result, SH.resultPath), (report, shapes)),
                shape=_shape_text(report.value(result, SH.sourceShape), shapes),
                message=str(message) if message is not None else "",
                value=str(value) if isinstance(value, Literal) else _text(value),
                constraint=str(component).rpartition("#")[2] if component is not None else "",
            )
        )
    return sorted(set(records), key=_sort_key)


def validate_store(directory: str | Path) -> list[Violation]:
    """Validate the graph of a store (the output folder of ``kg build`` or its store folder).

    Raises
    ------
    StoreError
        If there is no store there.
    """
    from kg.graph.store import store_to_graph

    return validate_graph(store_to_graph(directory))


def has_violations(records: list[Violation]) -> bool:
    """Whether any record is a ``sh:Violation`` (warnings and infos do not count).

    >>> has_violations([Violation("Warning", "x", "", "s", "m")])
    False
    """
    return any(r.severity == "Violation" for r in records)
