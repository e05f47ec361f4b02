"""The kg command line, run as a user runs it (a subprocess), and in-process for speed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.graph.rdf import canonical_literals
from kg.graph.store import store_to_graph


def run_kg(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_build_writes_store_exports_viewer_and_summary(demo_build):
    out, summary = demo_build
    assert summary.papers == 4
    assert summary.entities["Method"] >= 5 and summary.entities["Hardware"] >= 2
    for name in ("store", "graph.ttl", "graph.graphml", "graph.html", "extractions.jsonl", "build.json"):
        assert (out / name).exists(), name
    assert summary.triples == len(store_to_graph(out))
    assert json.loads((out / "build.json").read_text())["papers"] == 4


def test_graph_ttl_round_trips_to_the_store_graph(demo_build):
    out, _ = demo_build
    from_ttl = canonical_literals(Graph().parse(out / "graph.ttl"))
    assert len(from_ttl) > 500
    assert isomorphic(from_ttl, canonical_literals(store_to_graph(out)))


def test_extract_output_has_the_documented_shape(tmp_path, fixtures, capsys):
    target = tmp_path / "x.jsonl"
    assert main(["extract", str(fixtures / "demo_papers.jsonl"), "-o", str(target), "--profile", "fast"]) == 0
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["demo-1", "demo-2", "demo-3", "demo-4"]
    entity = rows[0]["entities"][0]
    assert set(entity) >= {"type", "name", "mentions", "aliases"}
    assert set(entity["mentions"][0]) >= {"text", "start", "end", "sentence"}
    text = "QuickQuant: Post-Training Quantization for Large Language Models on Edge GPUs\n"
    m = entity["mentions"][0]
    assert (text + "x" * 1000)[m["start"] : m["end"]] == m["text"] or m["start"] >= len(text)
    assert {"proposed", "results"} <= set(rows[0])


def test_query_formats(demo_build, capsys):
    out, _ = demo_build
    assert main(["query", "top-methods", "--store", str(out), "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["method", "label", "papers"] and len(table) > 3
    assert main(["query", "SELECT ?p WHERE { ?p a rkg:Paper }", "--store", str(out), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["p"] and len(data["results"]["bindings"]) == 4
    assert data["results"]["bindings"][0]["p"]["type"] == "uri"


def test_view_writes_a_page(demo_build, tmp_path):
    out, _ = demo_build
    assert main(["view", "--store", str(out), "-o", str(tmp_path / "v.html")]) == 0
    assert "vis.Network" in (tmp_path / "v.html").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "nope.jsonl"], "no such file or folder: nope.jsonl (fix: check the path)"),
        (["query", "top-methods", "--store", "nowhere"], "no graph store in nowhere"),
        (["query", "what is this", "--store", "."], "is not SPARQL, a .rq file or a saved query"),
        (["build", "x", "--profile", "turbo"], "unknown extraction profile 'turbo'"),
    ],
)
def test_user_errors_print_one_line_and_exit_non_zero(tmp_path, args, message):
    (tmp_path / "x").write_text('{"title": "t", "abstract": "a."}\n')
    result = run_kg(*args, cwd=tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert message in lines[0] and "Traceback" not in result.stderr


def test_empty_input_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run_kg("build", "empty.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert "empty.txt holds no readable paper record" in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_and_help():
    result = run_kg("--help")
    assert result.returncode == 0 and "build" in result.stdout and "query" in result.stdout


def test_annotate_then_evaluate_round_trip(tmp_path, fixtures, capsys):
    todo = tmp_path / "todo.jsonl"
    src = str(fixtures / "demo_papers.jsonl")
    assert main(["annotate", src, "-o", str(todo), "--sample", "2", "--profile", "fast"]) == 0
    rows = [json.loads(line) for line in todo.read_text().splitlines()]
    assert len(rows) == 2 and {"Method", "Task", "Dataset", "Hardware", "Metric", "proposed", "results"} <= set(rows[0])
    capsys.readouterr()
    # the guesses, taken as gold, score perfectly against the same extraction
    assert main(["evaluate", str(todo), src, "--profile", "fast"]) == 0
    table = capsys.readouterr().out
    assert "lenient micro-F1 1.000" in table
