"""``kg push``: load the graph into any SPARQL 1.1 Graph Store Protocol endpoint.

The graph goes as N-Triples in one HTTP request, streamed from a file when it
comes from a store (a graph of millions of triples is never held in memory):
``PUT`` replaces the target
graph (default), ``POST`` adds to it. ``graph`` names a named graph; without
it the default graph is used (``?default``).

Examples
--------
>>> gsp_url("http://localhost:7878/store", "https://example.org/g")
'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg'
>>> gsp_url("http://localhost:7878/store", None)
'http://localhost:7878/store?default'
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import KGError

__all__ = ["PushError", "gsp_url", "push_graph", "push_store"]


class PushError(KGError):
    """The endpoint could not be reached or refused the graph."""

    code = "KG161"


def gsp_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of a (named or default) graph."""
    sep = "&" if "?" in endpoint else "?"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}" if graph else f"{endpoint}{sep}default"


def push_graph(
    graph: Graph, endpoint: str, *, named_graph: str | None = None, replace: bool = True, timeout: float = 120
) -> int:
    """Send ``graph`` to ``endpoint``; returns the number of triples sent.

    Raises
    ------
    PushError
        On a network error or a non-2xx answer.
    """
    _check(endpoint)
    _send(graph.serialize(format="nt", encoding="utf-8"), endpoint, named_graph, replace, timeout)
    return len(graph)


def push_store(
    store: ox.Store, endpoint: str, *, named_graph: str | None = None, replace: bool = True, timeout: float = 600
) -> int:
    """Send the default graph of an Oxigraph ``store`` to ``endpoint``; returns the number of triples sent.

    The triples are dumped by Oxigraph to a temporary N-Triples file and uploaded from it.

    Raises
    ------
    PushError
        On a network error or a non-2xx answer.
    """
    _check(endpoint)
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        path = Path(tmp) / "graph.nt"
        store.dump(str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        with path.open("rb") as body:
            _send(body, endpoint, named_graph, replace, timeout, length=path.stat().st_size)
    return len(store)


def _check(endpoint: str) -> None:
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(
            f"not an HTTP endpoint: {endpoint}", fix="pass the Graph Store URL, e.g. http://host:7878/store"
        )


def _send(body, endpoint: str, named_graph: str | None, replace: bool, timeout: float, length: int | None = None):
    headers = {"Content-Type": "application/n-triples"}
    if length is not None:
        headers["Content-Length"] = str(length)  # a file body is streamed, not chunked
    request = urllib.request.Request(
        gsp_url(endpoint, named_graph), data=body, method="PUT" if replace else "POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip().splitlines()[:1]
        raise PushError(
            f"{endpoint} answered {err.code} {err.reason}: {' '.join(detail)}",
            fix="check the URL is a Graph Store endpoint that accepts writes",
        ) from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise PushError(
            f"cannot reach {endpoint} ({reason})", fix="check the server is running and the URL"
        ) from err
    if not 200 <= status < 300:
        raise PushError(f"{endpoint} answered {status}", fix="check the endpoint")
