"""RDF serialisations of the graph (Turtle, N-Triples, JSON-LD, RDF/XML).

JSON-LD is compacted with the context of ``ontologies/context.jsonld``: terms
such as ``prefLabel``, ``confidence`` and ``linkedEntity`` instead of full
IRIs, node ids as ``kgid:paper/p1``, decimals as strings typed by the context,
integers and booleans as JSON numbers and booleans. The context is written
inline, so the file parses offline into the same graph.

Examples
--------
>>> import tempfile, pathlib
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph().add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("v")))
>>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> write_rdf(g, p) == p, Graph().parse(p).isomorphic(g)
(True, True)
>>> from rdflib import SKOS
>>> m = URIRef("https://w3id.org/research-kg/id/method/lora")
>>> doc = graph_to_jsonld(Graph().add((m, SKOS.prefLabel, Literal("LoRA"))))
>>> {k: v for k, v in doc.items() if k != "@context"}
{'id': 'kgid:method/lora', 'prefLabel': 'LoRA'}
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.errors import ExportError
from kg.resources import ontologies_dir

__all__ = [
    "RDF_FORMATS",
    "STORE_FORMATS",
    "dump_store",
    "graph_to_jsonld",
    "jsonld_context",
    "serialize_rdf",
    "write_rdf",
]

#: Format name -> (rdflib serializer, file extension).
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "ntriples": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "rdfxml": ("xml", ".rdf"),
}


@functools.cache
def _context_file(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["@context"]


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of ``ontologies/context.jsonld`` (the value of its ``@context``).

    >>> jsonld_context()["prefLabel"]
    'skos:prefLabel'
    """
    path = ontologies_dir() / "context.jsonld"
    try:
        return dict(_context_file(path))
    except (OSError, ValueError, KeyError) as error:
        raise ExportError(f"cannot read the JSON-LD context {path}: {error}", fix="reinstall research-kg") from error


def _compact_ids(node: Any, iri_keys: frozenset[str], prefixes: list[tuple[str, str]]) -> Any:
    """Write instance IRIs as compact IRIs (``kgid:paper/p1``) where the context says a value is an IRI.

    rdflib compacts only IRIs whose namespace ends at their last ``/`` or ``#``;
    ``https://w3id.org/research-kg/id/paper/p1`` has ``kgid:`` as a prefix
    nonetheless, which JSON-LD expands back to the same IRI.
    """

    def shrink(value: Any) -> Any:
        if isinstance(value, str):
            for namespace, prefix in prefixes:
                if value.startswith(namespace) and len(value) > len(namespace):
                    return f"{prefix}:{value[len(namespace):]}"
            return value
        return _compact_ids(value, iri_keys, prefixes)

    if isinstance(node, list):
        return [_compact_ids(item, iri_keys, prefixes) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = value
        elif key in iri_keys:
            out[key] = [shrink(v) for v in value] if isinstance(value, list) else shrink(value)
        else:
            out[key] = _compact_ids(value, iri_keys, prefixes)
    return out


def graph_to_jsonld(graph: Graph) -> dict[str, Any]:
    """Return ``graph`` as a compact JSON-LD document with the inline context of ``ontologies/context.jsonld``.

    Nodes are sorted by id so that the same graph always gives the same file.
    """
    context = jsonld_context()
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    id_keys = {name for name, value in context.items() if value == "@id"} | {"@id"}
    iri_keys = frozenset(
        id_keys
        | {
            name
            for name, value in context.items()
            if isinstance(value, dict) and value.get("@type") in ("@id", "@vocab")
        }
    )
    prefixes = sorted(
        (
            (value, name)
            for name, value in context.items()
            if isinstance(value, str) and value.endswith(("/", "#")) and not name.startswith("@")
        ),
        key=lambda item: -len(item[0]),
    )
    data = _compact_ids(data, iri_keys, prefixes)
    if isinstance(data.get("@graph"), list):
        first = [k for k in ("id", "@id", "type", "@type") if k in context or k.startswith("@")]
        nodes = [
            {**{k: n[k] for k in first if k in n}, **{k: v for k, v in n.items() if k not in first}}
            if isinstance(n, dict)
            else n
            for n in data["@graph"]
        ]
        data["@graph"] = sorted(nodes, key=lambda n: str(n.get("id", n.get("@id", ""))) if isinstance(n, dict) else "")
    return data


def serialize_rdf(graph: Graph, fmt: str = "turtle") -> str:
    """Return ``graph`` as text in ``fmt`` (one of :data:`RDF_FORMATS`).

    >>> from rdflib import URIRef, Literal
    >>> serialize_rdf(Graph().add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("v"))), "ntriples")
    '<http://x/a> <http://x/p> "v" .\\n'
    """
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}", fix=f"use one of: {', '.join(RDF_FORMATS)}")
    if fmt == "jsonld":
        return json.dumps(graph_to_jsonld(graph), indent=2, ensure_ascii=False) + "\n"
    text = graph.serialize(format=RDF_FORMATS[fmt][0])
    return text.lstrip("\n") if fmt == "ntriples" else text


def write_rdf(graph: Graph, path: str | Path, fmt: str = "turtle") -> Path:
    """Serialise ``graph`` to ``path`` in ``fmt`` (one of :data:`RDF_FORMATS`)."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}", fix=f"use one of: {', '.join(RDF_FORMATS)}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if fmt == "jsonld":
        tmp.write_text(serialize_rdf(graph, fmt), encoding="utf-8")
    else:
        graph.serialize(destination=str(tmp), format=RDF_FORMATS[fmt][0], encoding="utf-8")
    tmp.replace(out)
    return out


#: Formats Oxigraph writes straight from the store (JSON-LD needs rdflib for the compacted context).
STORE_FORMATS: dict[str, str] = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML"}


def store_prefixes() -> dict[str, str]:
    """The prefixes of :func:`kg.graph.rdf.bind_prefixes`, for Oxigraph's serialisers."""
    from kg.graph.rdf import bind_prefixes

    return {prefix: str(ns) for prefix, ns in bind_prefixes(Graph(bind_namespaces="none")).namespaces() if prefix}


def dump_store(store: str | Path, fmt: str = "turtle", path: str | Path | None = None) -> bytes | Path:
    r"""Serialise the graph of a store folder (or ``kg build`` output folder) with Oxigraph.

    rdflib's Turtle writer spends time quadratic in the number of distinct IRI
    namespaces (a minute for 1,000 papers, hours for 20,000); Oxigraph streams the
    same triples in seconds. Returns the bytes, or ``path`` once written
    (through a temporary file, so a crash never leaves half a file).

    >>> import tempfile, pathlib
    >>> from rdflib import URIRef, Literal
    >>> from kg.graph.store import write_store
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_store(Graph().add((URIRef("https://w3id.org/research-kg/id/paper/p1"),
    ...     URIRef("http://purl.org/dc/terms/title"), Literal("A"))), d / "store")
    >>> print(dump_store(d, "turtle").decode().splitlines()[-1])
    kgid:paper\/p1 dcterms:title "A" .
    """
    import pyoxigraph as ox

    from kg.graph.store import open_store

    if fmt not in STORE_FORMATS:
        raise ExportError(f"Oxigraph does not write {fmt!r} here", fix=f"use one of: {', '.join(STORE_FORMATS)}")
    ox_store = open_store(store)
    kwargs = {"format": getattr(ox.RdfFormat, STORE_FORMATS[fmt]), "from_graph": ox.DefaultGraph()}
    if fmt != "ntriples":
        kwargs["prefixes"] = store_prefixes()
    if path is None:
        return ox_store.dump(**kwargs)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    ox_store.dump(str(tmp), **kwargs)
    tmp.replace(out)
    return out
