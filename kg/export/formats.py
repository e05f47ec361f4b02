"""``kg export``: write a built graph in one of :data:`EXPORT_FORMATS`.

RDF formats (Turtle, N-Triples, JSON-LD, RDF/XML) serialise the store's graph;
GraphML and GEXF the paper-entity network (:attr:`kg.api.KnowledgeGraph.nx`, the
graph :func:`kg.graph.projection.to_networkx` gives, read from the store's tables); ``csv`` and ``parquet`` write the
tables of :mod:`kg.export.tables` into a folder, one file per table.

Examples
--------
>>> default_output("turtle"), default_output("parquet")
(PosixPath('graph.ttl'), PosixPath('tables'))
>>> export_store("outputs", "xml")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kg.errors.ExportError: [KG140] unknown export format 'xml' (fix: use one of: turtle, ...)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from kg.errors import ExportError
from kg.export.rdf import RDF_FORMATS, STORE_FORMATS, dump_store

__all__ = ["EXPORT_FORMATS", "default_output", "export_store"]

#: Format name -> default output (a file, or a folder for tables).
EXPORT_FORMATS: dict[str, str] = {
    "turtle": "graph.ttl",
    "ntriples": "graph.nt",
    "jsonld": "graph.jsonld",
    "rdfxml": "graph.rdf",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "csv": "tables",
    "parquet": "tables",
}


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", fix=f"use one of: {', '.join(EXPORT_FORMATS)}")


def default_output(fmt: str) -> Path:
    """Where ``fmt`` is written without ``-o``: ``graph.<ext>`` or ``tables/``, in the current folder."""
    _check_format(fmt)
    return Path(EXPORT_FORMATS[fmt])


def export_store(
    store: str | Path, fmt: str, output: str | Path | None = None, *, stdout: IO[str] | None = None
) -> list[Path]:
    """Export the graph of ``store`` (a ``kg build`` output folder or store folder) as ``fmt``.

    Parameters
    ----------
    store : path
        Output folder of ``kg build`` or its store folder.
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    output : path, optional
        File to write (a folder for ``csv`` and ``parquet``); default :func:`default_output`.
        ``"-"`` writes an RDF format to standard output.
    stdout : text stream, optional
        Where ``"-"`` writes (default ``sys.stdout``).

    Returns
    -------
    list of Path
        The files written (empty for standard output).

    Raises
    ------
    ExportError
        For an unknown format, or ``-`` with a format that is not text RDF.
    StoreError
        If there is no store.
    """
    _check_format(fmt)
    target = Path(output) if output is not None and str(output) != "-" else None
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and fmt not in RDF_FORMATS:
        raise ExportError(f"{fmt} cannot go to standard output", fix="pass a file or folder with -o")
    if target is None and not to_stdout:
        target = default_output(fmt)
    if fmt in ("csv", "parquet"):
        from kg.export.tables import write_tables

        assert target is not None
        return list(write_tables(store, target, fmt).values())
    if target is not None and target.is_dir():
        raise ExportError(f"{target} is a folder", fix=f"pass a file name with -o, such as {default_output(fmt)}")

    if fmt in STORE_FORMATS:  # straight from Oxigraph: the same triples, fast, without a round trip through rdflib
        if to_stdout:
            data = dump_store(store, fmt)
            assert isinstance(data, bytes)
            (stdout or sys.stdout).write(data.decode("utf-8"))
            return []
        assert target is not None
        return [Path(dump_store(store, fmt, target))]

    if fmt in ("graphml", "gexf"):  # the network, read table by table from the store (any size)
        from kg.api import load

        assert target is not None
        kg = load(store)
        try:
            if fmt == "graphml":
                from kg.export.graphml import write_graphml

                return [write_graphml(kg.nx, target)]
            from kg.export.network import write_gexf

            return [write_gexf(kg.nx, target)]
        finally:
            kg.close()

    from kg.graph.store import store_to_graph

    graph = store_to_graph(store)  # JSON-LD and RDF/XML: rdflib's writers
    if fmt in RDF_FORMATS:
        from kg.export.rdf import serialize_rdf, write_rdf
        from kg.graph.rdf import bind_prefixes

        bind_prefixes(graph)
        if to_stdout:
            (stdout or sys.stdout).write(serialize_rdf(graph, fmt))
            return []
        assert target is not None
        return [write_rdf(graph, target, fmt)]
    raise AssertionError(f"unhandled export format {fmt}")  # pragma: no cover: _check_format covers every format
