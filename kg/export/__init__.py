"""Write the graph and the extractions to files: RDF serialisations, GraphML, GEXF, tables, JSON Lines.

:func:`export_store` is what ``kg export`` runs; the tables (CSV, Parquet) live in
:mod:`kg.export.tables`, imported on use since they need pandas.
"""

from kg.export.extractions import extraction_to_json, write_extractions
from kg.export.formats import EXPORT_FORMATS, default_output, export_store
from kg.export.graphml import write_graphml
from kg.export.network import write_gexf
from kg.export.rdf import (
    RDF_FORMATS,
    STORE_FORMATS,
    dump_store,
    graph_to_jsonld,
    jsonld_context,
    serialize_rdf,
    write_rdf,
)

__all__ = [
    "EXPORT_FORMATS",
    "RDF_FORMATS",
    "STORE_FORMATS",
    "default_output",
    "dump_store",
    "export_store",
    "extraction_to_json",
    "graph_to_jsonld",
    "jsonld_context",
    "serialize_rdf",
    "write_extractions",
    "write_gexf",
    "write_graphml",
    "write_rdf",
]
