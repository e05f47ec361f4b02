"""`kg serve` and `kg push` against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from kg.errors import KGError
from kg.export.push import PushError, push_graph
from kg.graph.store import store_to_graph, triple_count
from kg.query.serve import oxigraph_binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


@pytest.fixture(scope="module")
def endpoint(demo_build):
    out, _ = demo_build
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(out), "--port", str(port), "--timeout", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_up(base + "/query?query=" + urllib.parse.quote("ASK {}"), proc)
    yield base, out
    proc.terminate()
    proc.wait(timeout=10)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/research-kg/ontology#Paper> }"


@pytest.mark.parametrize(
    "accept, parse",
    [
        ("application/sparql-results+json", lambda t: json.loads(t)["results"]["bindings"][0]["n"]["value"]),
        ("application/sparql-results+xml", lambda t: ET.fromstring(t).find(".//{*}literal").text),
        ("text/csv", lambda t: list(csv.reader(io.StringIO(t)))[1][0]),
        ("text/tab-separated-values", lambda t: t.splitlines()[1].split("\t")[0].split("^^")[0].strip('"')),
    ],
)
def test_select_by_get_and_post_in_every_format(endpoint, accept, parse):
    base, _ = endpoint
    status, ctype, body = http(base + "/query?query=" + urllib.parse.quote(COUNT), headers={"Accept": accept})
    assert status == 200 and accept.split("/")[1].split("+")[0] in ctype
    assert parse(body) == "4"
    status, _, body = http(base + "/query", data=COUNT.encode(), method="POST",
                           headers={"Accept": accept, "Content-Type": "application/sparql-query"})
    assert status == 200 and parse(body) == "4"


def test_update_is_refused_on_a_read_only_endpoint(endpoint):
    base, out = endpoint
    before = triple_count(out)
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    status, _, _ = http(base + "/update", data=update.encode(), method="POST",
                        headers={"Content-Type": "application/sparql-update"})
    assert 400 <= status < 500
    status, _, body = http(base + "/query?query=" + urllib.parse.quote("ASK { <http://x/a> ?p ?o }"),
                           headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False
    assert triple_count(out) == before


def test_a_runaway_query_is_stopped_by_the_timeout(endpoint):
    base, _ = endpoint
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.time()
    status, _, body = http(base + "/query?query=" + urllib.parse.quote(slow), headers={"Accept": "text/csv"})
    assert time.time() - started < 15
    # Oxigraph has already sent the 200 header when it cancels, so the message is in the body
    assert status >= 400 or "cancelled" in body


def test_push_to_a_graph_store_endpoint(demo_build):
    out, _ = demo_build
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base + "/query?query=" + urllib.parse.quote("ASK {}"), proc)
        graph = store_to_graph(out)
        result = subprocess.run(
            [sys.executable, "-m", "kg", "push", "--endpoint", base + "/store", "--graph", "https://example.org/g",
             "--store", str(out)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }"
        _, _, body = http(base + "/query?query=" + urllib.parse.quote(q), headers={"Accept": "text/csv"})
        assert int(body.splitlines()[1]) == len(graph)
        push_graph(graph, base + "/store", named_graph="https://example.org/g")  # PUT replaces, no duplicates
        _, _, body = http(base + "/query?query=" + urllib.parse.quote(q), headers={"Accept": "text/csv"})
        assert int(body.splitlines()[1]) == len(graph)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_push_to_nowhere_is_a_clear_error(demo_build):
    out, _ = demo_build
    with pytest.raises(PushError, match="cannot reach"):
        push_graph(store_to_graph(out), f"http://127.0.0.1:{free_port()}/store")
    assert issubclass(PushError, KGError)
