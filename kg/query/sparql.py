"""Run SPARQL on the embedded Oxigraph store, with a time limit.

Common prefixes (``rkg:``, ``skos:``, ``dcterms:``, ...) are declared for the
user when the query does not declare them itself. A query with a time limit
runs in a child process that is stopped when the limit passes: Oxigraph has
no cancellation of its own.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, QueryTimeoutError, StoreError
from kg.graph.store import open_store

__all__ = ["DEFAULT_TIMEOUT", "PREFIXES", "QueryResult", "run_query", "with_prefixes"]

#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 30.0

PREFIXES: dict[str, str] = {
    "rkg": "https://w3id.org/research-kg/ontology#",
    "kgid": "https://w3id.org/research-kg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "mls": "http://www.w3.org/ns/mls#",
}


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT (values as plain Python strings or ``None``), or a boolean of an ASK."""

    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()
    boolean: bool | None = None
    kinds: tuple[tuple[str | None, ...], ...] = field(default=(), repr=False)

    def to_dicts(self) -> list[dict[str, str | None]]:
        """The rows as dicts keyed by column."""
        return [dict(zip(self.columns, row)) for row in self.rows]


def with_prefixes(text: str) -> str:
    """Prepend the :data:`PREFIXES` the query uses but does not declare.

    >>> "PREFIX rkg:" in with_prefixes("SELECT ?p WHERE { ?p a rkg:Paper }")
    True
    """
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE)}
    lines = [
        f"PREFIX {p}: <{iri}>"
        for p, iri in PREFIXES.items()
        if p not in declared and re.search(rf"(?<![\w<]){p}:", text)
    ]
    return "\n".join([*lines, text]) if lines else text


def _term(value: object) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, ox.NamedNode):
        return value.value, "uri"
    if isinstance(value, ox.BlankNode):
        return "_:" + value.value, "bnode"
    if isinstance(value, ox.Literal):
        return value.value, "literal"
    return str(value), "literal"


def _execute(store_dir: str, text: str) -> QueryResult:
    store = open_store(store_dir)
    try:
        result = store.query(text)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {err}".splitlines()[0], fix="check the query") from err
    except (OSError, ValueError) as err:
        raise QueryError(f"query failed: {err}".splitlines()[0]) from err
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(v.value for v in result.variables)
        rows, kinds = [], []
        for solution in result:
            pairs = [_term(solution[c]) for c in columns]
            rows.append(tuple(p[0] for p in pairs))
            kinds.append(tuple(p[1] for p in pairs))
        return QueryResult(columns, tuple(rows), None, tuple(kinds))
    # CONSTRUCT / DESCRIBE: triples as rows
    rows = tuple((t.subject.value, t.predicate.value, _term(t.object)[0]) for t in result)
    return QueryResult(("subject", "predicate", "object"), rows)


def _child(store_dir: str, text: str, out: mp.Queue) -> None:
    try:
        out.put(("ok", _execute(store_dir, text)))
    except Exception as err:  # sent to the parent, which raises it
        out.put(("error", err))


def run_query(store_dir: str | Path, text: str, *, timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a SPARQL query on the store in ``store_dir``.

    Parameters
    ----------
    store_dir : path
        An output folder of ``kg build`` or its ``store`` folder.
    text : str
        The query; missing common prefixes are added.
    timeout : float or None
        Seconds before the query is stopped; ``None`` runs it in this process with no limit.

    Raises
    ------
    QueryTimeoutError
        When the query runs longer than ``timeout``.
    """
    text = with_prefixes(text)
    if re.match(r"^\s*(?:PREFIX[^\n]*\n\s*)*(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE)\b", text, re.IGNORECASE):
        raise QueryError(
            "kg query is read-only; updates are not run", fix="use `kg serve --writable` for updates"
        )
    if timeout is None:
        return _execute(str(store_dir), text)
    open_store(store_dir)  # fail fast, with a clear message, before starting a process
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(store_dir), text, out), daemon=True)
    proc.start()
    try:
        status, payload = out.get(timeout=timeout)
    except queue.Empty:
        proc.kill()
        proc.join()
        raise QueryTimeoutError(
            f"query stopped after {timeout:g} s", fix="add a LIMIT, narrow the pattern, or raise --timeout"
        ) from None
    proc.join()
    if status == "error":
        if isinstance(payload, (QueryError, StoreError)):
            raise payload
        raise QueryError(f"query failed: {payload}")
    return payload
