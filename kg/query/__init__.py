"""SPARQL over the built store: ad-hoc queries and the library of saved queries."""

from kg.query.saved import SavedQuery, resolve_query, saved_queries
from kg.query.sparql import PREFIXES, QueryResult, run_query

__all__ = ["PREFIXES", "QueryResult", "SavedQuery", "resolve_query", "run_query", "saved_queries"]
