"""Write the graph and the extractions to files: RDF serialisations, GraphML, JSON Lines."""

from kg.export.extractions import extraction_to_json, write_extractions
from kg.export.graphml import write_graphml
from kg.export.rdf import RDF_FORMATS, write_rdf

__all__ = ["RDF_FORMATS", "extraction_to_json", "write_extractions", "write_graphml", "write_rdf"]
