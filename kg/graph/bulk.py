"""Stream triples into an Oxigraph store without building an rdflib graph in memory.

rdflib's in-memory store costs about 1 KB per triple: the graph of 50,000
abstracts (over 20 million triples) would not fit in memory, let alone the
4 GB a build may use. :class:`StoreWriter` looks like an rdflib ``Graph`` to
the graph writers of :mod:`kg.graph.rdf` (they only call ``add`` and
``bind``), converts each triple to Oxigraph terms and loads them in chunks.
Oxigraph keeps one copy of each triple, as an rdflib graph does.

Examples
--------
>>> import pyoxigraph as ox
>>> from rdflib import Literal, URIRef, XSD
>>> store = ox.Store()
>>> with StoreWriter(store) as sink:
...     _ = sink.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("1.50", datatype=XSD.decimal)))
...     _ = sink.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("1.50", datatype=XSD.decimal)))
>>> len(store), sink.added
(1, 2)
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["StoreWriter", "nt_term"]


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: Node) -> str:
    r"""One rdflib term in N-Triples syntax (what Oxigraph's bulk loader reads fastest).

    >>> from rdflib import URIRef, Literal, XSD
    >>> print(nt_term(URIRef("http://x/a")), nt_term(Literal('say "hi"' + chr(10), lang="en")))
    <http://x/a> "say \"hi\"\n"@en
    >>> nt_term(Literal("1.5", datatype=XSD.decimal))
    '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


class StoreWriter:
    """A write-only, rdflib-``Graph``-like sink that loads triples into ``store``'s default graph.

    Parameters
    ----------
    store : pyoxigraph.Store
        The (new, staging) store to fill.
    chunk : int
        Triples buffered before each load; memory stays bounded by it.

    Use it as a context manager, or call :meth:`flush` at the end.
    """

    def __init__(self, store: ox.Store, chunk: int = 100_000) -> None:
        self.store = store
        self.chunk = chunk
        self.added = 0
        self._buffer: list[str] = []
        self._iris: dict[str, str] = {}  # IRI -> "<IRI>": predicates, classes and entities repeat a lot

    def add(self, triple: tuple[Node, Node, Node]) -> StoreWriter:
        """Queue one triple (an rdflib ``(s, p, o)``); loads a chunk when the buffer is full."""
        s, p, o = triple
        self._buffer.append(f"{self._term(s)} {self._term(p)} {self._term(o)} .\n")
        self.added += 1
        if len(self._buffer) >= self.chunk:
            self.flush()
        return self

    def _term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            text = self._iris.get(term)
            if text is None:
                if len(self._iris) > 200_000:  # bounded: a huge corpus must not grow it without end
                    self._iris.clear()
                text = self._iris[term] = f"<{term}>"
            return text
        return nt_term(term)

    def bind(self, prefix: str, namespace: Any, *args: Any, **kwargs: Any) -> None:
        """Accept a prefix and ignore it: a store keeps no prefixes (see :func:`kg.export.rdf.store_prefixes`)."""

    def flush(self) -> None:
        """Load the buffered triples."""
        if self._buffer:
            self.store.bulk_load("".join(self._buffer).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            self._buffer = []

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()
