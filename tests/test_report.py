"""The HTML report: its numbers against the graph (SPARQL on the store), escaping, and headless Chromium."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kg
from kg.analysis import communities, demo_graph, link_gaps
from kg.cli import main
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.normalize.canonical import normalize
from kg.query import run_query, saved_queries
from kg.records import EntityRecord, Extraction, Mention, Paper, ResultRecord
from kg.report import render_report, write_report
from kg.viz.browser import CHROMIUM, launch
from tests.corpus_fixture import fixture_extractions

SECTIONS = [
    "overview", "top-entities", "method-dataset", "method-hardware", "task-metric", "trends", "communities",
    "topics", "proposed", "results", "gaps",
]  # fmt: skip
HOSTILE_TITLE = "<script>window.__pwned=1</script> Hostile & <b>bold</b> paper"
HOSTILE_METHOD = '<img src=x onerror="window.__pwned=2">Evil'


class Page(HTMLParser):
    """What a report shows: chart marks (their data-* attributes), tables (cell texts) and stats."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.marks: dict[str, list[dict]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.stats: dict[str, str] = {}
        self.ids: set[str] = set()
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        cls = a.get("class", "")
        if cls in ("bar", "cell", "column", "point"):
            self.marks.setdefault(cls, []).append(a)
        if cls == "stat":
            self.stats[a["id"]] = a["data-value"]
        if tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, table: str) -> list[list[str]]:
        """Body rows of a table (without the header)."""
        if f"{table}-table" not in self.ids:
            raise KeyError(table)
        return self.tables.get(f"{table}-table", [[]])[1:]  # a <p> says "Nothing to show" instead of a table


def _store(folder: Path, extractions) -> Path:
    write_store(corpus_to_graph(normalize(extractions)), folder / "store")
    return folder


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> Path:
    return _store(tmp_path_factory.mktemp("report-fx"), fixture_extractions())


@pytest.fixture(scope="module")
def fx_page(fx) -> Page:
    return Page(render_report(kg.load(fx), title="Fixture"))


def sparql(store: Path, text: str) -> list[tuple]:
    return [tuple(r) for r in run_query(store, text, timeout=None).rows]


def test_overview_counts_match_the_store(fx, fx_page):
    stats = fx_page.stats
    assert stats["overview-papers"] == sparql(fx, "SELECT (COUNT(*) AS ?n) WHERE { ?p a rkg:Paper }")[0][0] == "3"
    for etype in ("Method", "Task", "Dataset", "Hardware", "Metric"):
        ((n,),) = sparql(fx, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a rkg:{etype} }}")
        assert stats[f"overview-{etype.lower()}"] == n
    assert stats["overview-results"] == sparql(fx, "SELECT (COUNT(*) AS ?n) WHERE { ?r a rkg:Result }")[0][0]
    assert stats["overview-relations"] == "1" and stats["overview-proposed"] == "1"
    assert stats["overview-years"] == "2023–2024"


def test_bars_count_papers_per_entity_as_sparql_does(fx, fx_page):
    bars = fx_page.marks["bar"]
    for etype in ("Method", "Task", "Dataset", "Hardware", "Metric"):
        expected = dict(
            sparql(
                fx,
                f"SELECT ?label (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p ?role ?e . ?e a rkg:{etype} ; "
                "skos:prefLabel ?label . VALUES ?role { rkg:proposes rkg:uses rkg:addresses rkg:evaluatesOn "
                "rkg:measuresWith rkg:runsOn } } GROUP BY ?label",
            )
        )
        shown = {b["data-label"]: b["data-value"] for b in bars if b["data-series"] == etype}
        assert shown == expected, etype
    methods = [b["data-label"] for b in bars if b["data-series"] == "Method"]
    assert methods == ["Transformer", "LoRA", "BlockSparse"]  # most papers first


def test_heat_maps_match_the_saved_queries(fx, fx_page):
    cells = fx_page.marks["cell"]
    shown = {(c["data-row"], c["data-col"], c["data-value"]) for c in cells if c["data-value"] != "0"}
    method_dataset = set(sparql(fx, saved_queries()["method-datasets"].text))
    task_metric = set(sparql(fx, saved_queries()["metrics-per-task"].text))
    method_hardware = set(
        sparql(
            fx,
            "SELECT ?m ?h (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p rkg:uses|rkg:proposes ?x ; rkg:runsOn ?y . "
            "?x skos:prefLabel ?m . ?y skos:prefLabel ?h } GROUP BY ?m ?h",
        )
    )
    assert shown == method_dataset | task_metric | method_hardware
    assert ("Transformer", "PG-19", "2") in shown


def test_trends_papers_per_year_and_tables(fx, fx_page):
    columns = {c["data-year"]: c["data-value"] for c in fx_page.marks["column"]}
    assert columns == dict(sparql(fx, saved_queries()["papers-per-year"].text)) == {"2023": "1", "2024": "1"}
    assert {"emerging-table", "declining-table"} <= fx_page.ids


def test_proposed_results_gaps_and_communities_tables(fx, fx_page):
    proposed = fx_page.rows("proposed")
    assert [(r[0], r[1], r[2], r[3]) for r in proposed] == [
        ("BlockSparse", "1", "1", "BlockSparse: Sparse Attention (2023-05-01)")
    ]
    ((metric, value, direction, dataset, compared, title),) = sparql(fx, saved_queries()["results-by-metric"].text)
    assert fx_page.rows("results") == [[metric, value, direction, dataset, "BlockSparse", compared, title]]
    g = kg.load(fx)
    expected_gaps = [
        (r.source, r.target)
        for kind in (("Method", "Dataset"), ("Method", "Task"))
        for r in link_gaps(g, *kind, n=10).itertuples()
    ]
    assert [(r[1], r[2]) for r in fx_page.rows("gaps")] == expected_gaps
    found = communities(g)
    assert [int(r[2]) for r in fx_page.rows("communities")] == found["size"].tolist()


def test_demo_report_answers_with_the_demo_numbers():
    page = Page(render_report(demo_graph()))
    lora = next(b for b in page.marks["bar"] if b["data-label"] == "LoRA")
    assert lora["data-value"] == "6"
    gaps = page.rows("gaps")
    assert gaps[0][:3] == ["Method / Dataset", "Transformer", "XSum"]
    assert "LoRA" in gaps[0][-1]
    emerging = [r[0] for r in page.rows("emerging")]
    declining = [r[0] for r in page.rows("declining")]
    assert "NVIDIA H100" in emerging and "Transformer" in declining
    points = {(p["data-series"], p["data-year"]): p["data-value"] for p in page.marks["point"]}
    assert points[("LoRA", "2024")] == "3" and points[("Transformer", "2021")] == "1"
    assert [r[0] for r in page.rows("proposed")] == ["LoRA", "GPTQ", "QLoRA"]
    assert len(page.rows("topics")) == 2 and len(page.rows("communities")) == 3


def _hostile(folder: Path) -> Path:
    title = HOSTILE_TITLE
    text = f"{title}\nWe propose {HOSTILE_METHOD} on COCO. It reaches 50.0 mAP on COCO."
    start = text.index(HOSTILE_METHOD)

    def ent(etype, form):
        i = text.index(form, len(title))
        sentence = text[len(title) + 1 :].split(". ")[0]
        return EntityRecord(etype, form, (Mention(form, i, i + len(form), sentence + "</style><script>x=1</script>"),))

    paper = Paper("h1", title, text[len(title) + 1 :], date="2024-01-01", url="javascript:window.__pwned=3")
    other = Paper("h2", "A calm paper", "We use COCO and mAP.", date="2023", url="https://example.org/h2")
    assert start > 0
    return _store(
        folder,
        [
            Extraction(
                paper,
                (ent("Method", HOSTILE_METHOD), ent("Dataset", "COCO"), ent("Metric", "mAP")),
                proposed=(HOSTILE_METHOD,),
                results=(ResultRecord("mAP", "50.0", 50.0, None, None, "COCO", "<i>base</i>", HOSTILE_METHOD,
                                      "It reaches 50.0 mAP on COCO.", 0.9),),
            ),
            Extraction(other, (EntityRecord("Dataset", "COCO", (Mention("COCO", 30, 34, "We use COCO and mAP."),)),)),
        ],
    )  # fmt: skip


def test_every_input_string_is_escaped(tmp_path):
    page = render_report(kg.load(_hostile(tmp_path)), title="<script>window.__pwned=4</script>")
    assert "<script" not in page and "<img" not in page and "<b>bold" not in page and "<i>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; Hostile &amp; &lt;b&gt;bold&lt;/b&gt; paper" in page
    parsed = Page(page)
    assert any(b["data-label"] == HOSTILE_METHOD for b in parsed.marks["bar"])
    assert parsed.rows("proposed")[0][0] == HOSTILE_METHOD


def test_write_report_is_atomic_and_the_cli_writes_it(fx, tmp_path, capsys):
    target = tmp_path / "deep" / "r.html"
    assert write_report(fx, target) == target and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(target.parent.glob("*.tmp"))
    out = tmp_path / "cli.html"
    assert main(["report", "--store", str(fx), "-o", str(out), "--title", "CLI <report>"]) == 0
    assert "report:" in capsys.readouterr().out
    assert "<title>CLI &lt;report&gt;</title>" in out.read_text(encoding="utf-8")
    assert main(["report", "--store", str(tmp_path / "nothing"), "-o", str(out)]) == 1
    assert "no graph store" in capsys.readouterr().err


def test_build_writes_the_report_beside_the_viewer(tmp_path, fixtures):
    summary = kg.build([fixtures / "demo_papers.jsonl"], out=tmp_path / "out", profile="fast")
    report = Path(summary.files["report"])
    assert report == tmp_path / "out" / "report.html" and report.exists()
    assert Path(summary.files["viewer"]).parent == report.parent
    page = Page(report.read_text(encoding="utf-8"))
    assert page.stats["overview-papers"] == "4"
    assert set(SECTIONS) <= page.ids


# -- headless Chromium -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the [test] extras install playwright")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)", pytrace=False)
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def _open(browser, path: Path):
    """Open a page; return it and the problems seen (console errors, page errors, requests, dialogs)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else problems.append(f"request: {r.url}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, problems


def test_report_renders_in_chromium_without_errors(browser, tmp_path):
    path = write_report(demo_graph(), tmp_path / "report.html", title="Demo report")
    page, problems = _open(browser, path)
    for section in SECTIONS:
        assert page.locator(f"#{section}").is_visible(), section
    assert page.locator("svg.chart").count() >= 9
    box = page.locator("#method-dataset svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert page.locator("#gaps-table tbody tr").count() >= 2
    page.close()
    assert problems == []


def test_hostile_strings_show_as_text_in_chromium(browser, tmp_path):
    path = write_report(kg.load(_hostile(tmp_path)), tmp_path / "r.html", title="<script>window.__pwned=4</script>")
    page, problems = _open(browser, path)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "<script>window.__pwned=4</script>"
    text = page.inner_text("body")
    assert HOSTILE_TITLE in text and "<script>window.__pwned=4</script>" in text
    assert page.locator("#proposed-table td").first.inner_text() == HOSTILE_METHOD
    assert page.locator("#proposed a").count() == 0  # a javascript: URL is not a link
    page.close()
    assert problems == []
