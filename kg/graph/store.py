"""The persistent, embedded Oxigraph store under the output folder.

A build writes the new store next to the old one and swaps folders only when
the new one is complete, so a build that fails half way leaves the previous
store intact and usable. The swap is two renames (``store`` -> ``store.old``,
``store.new`` -> ``store``); a process killed between them leaves no ``store``
folder, so readers fall back to the complete ``store.old`` and the next write
puts it back before anything is deleted.

Examples
--------
>>> import tempfile, pathlib
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph().add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("v")))
>>> d = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> write_store(g, d)
1
>>> triple_count(d)
1
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import StoreError

__all__ = ["STORE_MARKER", "open_store", "rdflib_graph", "store_to_graph", "triple_count", "write_store"]

#: A file every complete store folder holds (a half-written folder has none).
STORE_MARKER = "KG_STORE"


def _load_graph(store: ox.Store, graph: Graph) -> None:
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)


def _complete(path: Path) -> bool:
    return (path / STORE_MARKER).exists()


def _interrupted_swap(target: Path) -> Path | None:
    """The complete store a swap killed between its two renames left beside ``target``, if any.

    The previous store (``.old``) comes first: the extraction cache is written
    after the swap, so it still describes the previous store.
    """
    if target.exists():
        return None
    for leftover in (target.with_name(target.name + ".old"), target.with_name(target.name + ".new")):
        if _complete(leftover):
            return leftover
    return None


def write_store(graph: Graph | Callable[[ox.Store], None], directory: str | Path) -> int:
    """Replace the store in ``directory`` by one holding ``graph``; return its triple count.

    ``graph`` is an rdflib graph, or a function that fills the new (empty) store it is
    given, for instance through a :class:`kg.graph.bulk.StoreWriter`: how a large build
    writes millions of triples without holding them in memory.
    """
    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    survivor = _interrupted_swap(target)
    if survivor is not None:  # a crash between the renames: put the complete store back first
        survivor.rename(target)
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    store = ox.Store(str(staging))
    if isinstance(graph, Graph):
        _load_graph(store, graph)
    else:
        graph(store)
    store.flush()
    store.optimize()  # compacts the freshly bulk-loaded files, which makes reads faster
    count = len(store)
    del store
    (staging / STORE_MARKER).write_text(f"{count}\n", encoding="utf-8")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return count


def _store_path(directory: str | Path) -> Path:
    """The store folder of an output folder or store folder (the survivor of an interrupted swap)."""
    path = Path(directory)
    if (path / "store" / STORE_MARKER).exists():
        return path / "store"
    return _interrupted_swap(path / "store") or _interrupted_swap(path) or path


def open_store(directory: str | Path, *, read_only: bool = True) -> ox.Store:
    """Open the store of an output folder (or of a store folder).

    Raises
    ------
    StoreError
        If there is no complete store there.
    """
    path = _store_path(directory)
    if not (path / STORE_MARKER).exists():
        raise StoreError(
            f"no graph store in {directory}", fix="run `kg build INPUT --out DIR` first, or pass --store DIR"
        )
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as err:
        raise StoreError(
            f"cannot open the store in {path}: {err}", fix="close other programs using it"
        ) from err


def triple_count(directory: str | Path) -> int:
    """Number of triples in a store folder."""
    return len(open_store(directory))


def store_to_graph(directory: str | Path) -> Graph:
    """Copy a store into an in-memory rdflib graph."""
    store = open_store(directory)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    g = Graph()
    g.parse(data=data, format="nt")
    return g


def rdflib_graph(directory: str | Path) -> Graph:
    """Return an rdflib ``Graph`` backed by the Oxigraph store itself (through oxrdflib).

    The graph is the store's default graph, where :func:`write_store` puts the triples (an rdflib
    ``Graph`` without identifier would be a fresh, empty named graph).
    """
    path = _store_path(directory)
    if not (path / STORE_MARKER).exists():
        raise StoreError(f"no graph store in {directory}", fix="run `kg build` first")
    g = Graph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID)
    g.open(str(path), create=False)
    return g
