"""The viewer page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Each page is checked for console errors, page errors and requests that leave the file.
What the page draws is read from vis-network itself (``body.nodeIndices`` and
``body.edgeIndices``: the nodes and edges it draws) and compared with the graph.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import networkx as nx
import pytest

from kg.viz.html import PaperInfo, render_viewer

sync_api = pytest.importorskip("playwright.sync_api", reason="the [test] extras install playwright")

from kg.viz.browser import CHROMIUM, launch  # noqa: E402

if not os.path.exists(CHROMIUM):
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)", pytrace=False)

PWN = ["<script>window.__pwned=1</script>", '"onerror="window.__pwned=2', '<img src=x onerror="window.__pwned=3">']
HOSTILE_TITLE = "".join(PWN) + " Hostile paper"
HOSTILE_LABEL = "<svg onload=window.__pwned=4>Evil</svg>"


def demo_graph() -> tuple[nx.MultiDiGraph, dict[str, PaperInfo]]:
    """A small graph: dated papers, aliases, evidence, a relation, hostile strings."""
    G = nx.MultiDiGraph()
    papers = {
        "p1": PaperInfo("Adapters for large language models", "2019-04-01", "https://example.org/p1"),
        "p2": PaperInfo("Quantization on edge GPUs", "2021-06-01", "https://arxiv.org/abs/2106.09685"),
        "p3": PaperInfo("Sparse attention", "2022"),
        "p4": PaperInfo("Benchmarks on mobile", "2024-02-02"),
        "p5": PaperInfo(HOSTILE_TITLE, "2024", "javascript:window.__pwned=5",
                        abstract="</script><script>window.__pwned=6</script> abstract"),
        "p6": PaperInfo("Undated paper"),
    }
    for pid, info in papers.items():
        G.add_node(pid, kind="Paper", label=info.title)
    entities = {
        "lora": ("Method", "LoRA", "Low-Rank Adaptation | low-rank adaptation"),
        "gptq": ("Method", "GPTQ", ""),
        "bert": ("Method", "BERT", ""),
        "evil": ("Method", HOSTILE_LABEL, '"><img src=x onerror=window.__pwned=7>'),
        "glue": ("Dataset", "GLUE", "General Language Understanding Evaluation"),
        "wiki": ("Dataset", "WikiText-2", ""),
        "a100": ("Hardware", "NVIDIA A100", "A100"),
        "ppl": ("Metric", "perplexity", "PPL"),
        "lonely": ("Metric", "latency", ""),
    }
    links = {
        "p1": ["lora", "glue", "bert"], "p2": ["gptq", "wiki", "a100", "ppl", "lora"], "p3": ["bert", "ppl"],
        "p4": ["bert", "glue"], "p5": ["evil", "lora"], "p6": ["a100"],
    }
    for key, (kind, label, aliases) in entities.items():
        n = sum(key in v for v in links.values())
        G.add_node(key, kind=kind, label=label, aliases=aliases, papers=n)
    for pid, keys in links.items():
        for key in keys:
            G.add_edge(pid, key, key="uses", evidence=f"In {pid}, we use {G.nodes[key]['label']} here.", support=2)
    G.add_edge("lora", "glue", key="evaluatedOn", support=1, statements=[("p1", "LoRA is evaluated on GLUE.")])
    return G, papers


def pairs(G: nx.Graph) -> set[frozenset]:
    return {frozenset((u, v)) for u, v in G.edges() if u != v}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def open_page(browser):
    """Open a page from disk; fail the test on console errors, page errors or network requests."""
    opened = []

    def _open(path: Path, timeout_ms: int = 20_000):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:"))
                else problems.append(f"request: {r.url}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(path.resolve().as_uri())
        # a DOM attribute, not wait_for_function: the page's CSP forbids the eval that polling needs
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=timeout_ms)
        opened.append((context, problems))
        return page

    yield _open
    for context, problems in opened:
        context.close()
        assert problems == []


def drawn(page) -> tuple[set[str], int]:
    """Ids of the nodes vis-network draws, and how many edges it draws."""
    ids, n_edges = page.evaluate("[kgNetwork.body.nodeIndices.slice(), kgNetwork.body.edgeIndices.length]")
    return set(ids), n_edges


def node_point(page, node_id: str) -> tuple[float, float]:
    """Bring a node into view; a page point where the pointer is over that node and no other."""
    page.evaluate("id => kgNetwork.moveTo({position: kgNetwork.getPosition(id), scale: 1.5, animation: false})",
                  node_id)
    box = page.locator("[data-testid=network]").bounding_box()
    found = page.evaluate("""id => {
        var c = kgNetwork.canvasToDOM(kgNetwork.getPosition(id));
        var r = kgNetwork.body.nodes[id].options.size * kgNetwork.getScale();
        for (var f = 0; f <= 0.6; f += 0.2) for (var a = 0; a < 8; a++) {
            var p = {x: c.x + f * r * Math.cos(a * Math.PI / 4), y: c.y + f * r * Math.sin(a * Math.PI / 4)};
            if (kgNetwork.getNodeAt(p) === id) return p;
        }
        return null; }""", node_id)
    assert found, f"{node_id} is hidden under other nodes"
    return box["x"] + found["x"], box["y"] + found["y"]


def click_node(page, node_id: str) -> None:
    """Click a node with the mouse where it is drawn."""
    page.mouse.click(*node_point(page, node_id))


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory) -> tuple[Path, nx.MultiDiGraph]:
    G, papers = demo_graph()
    path = tmp_path_factory.mktemp("viewer") / "demo.html"
    path.write_text(render_viewer(G, papers, title="Demo"), encoding="utf-8")
    return path, G


def test_draws_every_node_and_edge_without_errors(open_page, demo_page):
    path, G = demo_page
    page = open_page(path)
    ids, n_edges = drawn(page)
    assert ids == set(G.nodes) and n_edges == len(pairs(G))
    stats = page.evaluate("window.kgStats")
    assert (stats["nodes"], stats["edges"]) == (G.number_of_nodes(), len(pairs(G)))
    legend = page.locator("[data-testid=legend]").inner_text()
    for text in ("Method (4)", "Dataset (2)", "Hardware (1)", "Metric (2)", "papers (6)"):
        assert text in legend
    assert page.locator("[data-testid=fold-notice]").is_hidden()
    assert page.locator("[data-testid=status]").inner_text().startswith("15 of 15 nodes")


def test_search_by_alias_focuses_and_highlights(open_page, demo_page):
    page = open_page(demo_page[0])
    page.fill("[data-testid=search]", "low-rank adaptation")
    page.press("[data-testid=search]", "Enter")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["lora"]
    assert page.get_attribute("body", "data-highlight") == "lora"  # its neighbourhood stands out
    assert page.locator("[data-testid=panel-name]").inner_text() == "LoRA"
    assert page.locator("[data-testid=panel-type]").inner_text() == "Method"
    assert "Low-Rank Adaptation" in page.locator("[data-testid=panel-aliases]").inner_text()
    papers = page.locator("[data-testid=panel-papers] li").all_inner_texts()
    assert len(papers) == 3 and any("Adapters for large language models (2019-04-01)" in p for p in papers)
    assert page.locator("[data-testid=panel-papers] a[href='https://example.org/p1']").count() == 1
    page.fill("[data-testid=search]", "a1")  # part of an alias
    page.press("[data-testid=search]", "Enter")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["a100"]
    page.fill("[data-testid=search]", "no such thing")
    page.press("[data-testid=search]", "Enter")
    assert page.get_attribute("[data-testid=search]", "aria-invalid") == "true"


def test_type_paper_year_and_count_filters(open_page, demo_page):
    path, G = demo_page
    page = open_page(path)

    def check(expected: set[str]) -> None:
        ids, n_edges = drawn(page)
        assert ids == expected
        assert n_edges == len(pairs(G.subgraph(expected)))
        assert page.evaluate("kgStats.nodes") == len(expected)

    everything = set(G.nodes)
    datasets = {n for n in G if G.nodes[n]["kind"] == "Dataset"}
    page.uncheck("[data-testid=filter-Dataset]")
    check(everything - datasets)
    page.check("[data-testid=filter-Dataset]")
    page.uncheck("[data-testid=show-papers]")
    check({n for n in G if G.nodes[n]["kind"] != "Paper"})
    page.check("[data-testid=show-papers]")
    page.fill("[data-testid=min-papers]", "2")
    check({n for n in G if G.nodes[n]["kind"] == "Paper" or G.nodes[n]["papers"] >= 2})
    page.fill("[data-testid=min-papers]", "0")
    assert page.locator("[data-testid=year-from]").input_value() == "2019"
    page.fill("[data-testid=year-from]", "2022")
    # papers dated before 2022 go, undated ones stay; entities stay when one of their papers is in range
    check(everything - {"p1", "p2", "gptq", "wiki", "a100"})  # a100: its one dated paper is from 2021
    page.click("[data-testid=reset]")
    check(everything)


def test_neighbourhood_mode_depth_one_and_two(open_page, demo_page):
    path, G = demo_page
    page = open_page(path)
    U = nx.Graph(G)
    page.evaluate("kgFocus('GLUE')")
    page.select_option("[data-testid=depth]", "1")
    assert drawn(page)[0] == {"glue", *U["glue"]}
    page.select_option("[data-testid=depth]", "2")
    assert drawn(page)[0] == set(nx.single_source_shortest_path_length(U, "glue", cutoff=2))
    click_node(page, "p4")  # a new focus in neighbourhood mode
    assert drawn(page)[0] == set(nx.single_source_shortest_path_length(U, "p4", cutoff=2))
    page.select_option("[data-testid=depth]", "0")
    assert drawn(page)[0] == set(G.nodes)


def test_clicking_a_node_shows_its_evidence(open_page, demo_page):
    page = open_page(demo_page[0])
    click_node(page, "gptq")
    assert page.get_attribute("[data-testid=panel]", "data-node-id") == "gptq"
    assert page.locator("[data-testid=panel-name]").inner_text() == "GPTQ"
    evidence = page.locator("[data-testid=panel-evidence]").inner_text()
    assert "In p2, we use GPTQ here." in evidence and "Quantization on edge GPUs" in evidence
    click_node(page, "glue")
    linked = page.locator("[data-testid=panel-linked]").inner_text()
    assert "evaluated on" in linked and "LoRA" in linked
    page.click("[data-testid=panel-linked] [data-node-id=p4]")  # follow a link in the panel
    assert page.locator("[data-testid=panel-name]").inner_text() == "Benchmarks on mobile"
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["p4"]


def test_malicious_titles_and_names_show_as_text_and_run_nothing(open_page, demo_page):
    page = open_page(demo_page[0])
    click_node(page, "p5")
    assert page.locator("[data-testid=panel-name]").inner_text() == HOSTILE_TITLE
    assert "</script><script>window.__pwned=6</script>" in page.locator("[data-testid=panel-abstract]").inner_text()
    page.evaluate("kgFocus('Evil')")
    assert page.locator("[data-testid=panel-name]").inner_text() == HOSTILE_LABEL
    for node in ("p5", "evil"):  # tooltips too
        page.mouse.move(*node_point(page, node))
        page.wait_for_selector("div.vis-tooltip", state="visible")
        assert page.locator("div.vis-tooltip").inner_text().startswith(HOSTILE_TITLE if node == "p5" else HOSTILE_LABEL)
        page.mouse.move(5, 5)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("body img, body svg, body iframe").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.title() == "Demo"


def test_large_graph_is_folded_and_says_so(open_page, tmp_path):
    """5,000+ nodes: above the 2,000-node budget, summaries per type and a notice; still interactive."""
    rng = random.Random(5)
    G = nx.MultiDiGraph()
    kinds = ["Method", "Method", "Dataset", "Hardware", "Metric"]
    n_papers, n_entities = 2200, 3000
    for i in range(n_entities):
        G.add_node(f"e{i}", kind=kinds[i % 5], label=f"entity {i}", aliases=f"alias {i}", papers=0)
    for p in range(n_papers):
        G.add_node(f"p{p}", kind="Paper", label=f"Paper {p}")
        for i in {int(rng.paretovariate(0.7)) % n_entities for _ in range(4)} | {rng.randrange(n_entities)}:
            G.add_edge(f"p{p}", f"e{i}", key="uses", evidence=f"Paper {p} uses entity {i}.")
    for n in G:
        if G.nodes[n]["kind"] != "Paper":
            G.nodes[n]["papers"] = G.in_degree(n)
    path = tmp_path / "big.html"
    path.write_text(render_viewer(G, {}), encoding="utf-8")
    page = open_page(path, timeout_ms=30_000)
    ids, n_edges = drawn(page)
    stats = page.evaluate("window.kgStats")
    assert G.number_of_nodes() == 5200 and len(ids) == stats["totalNodes"] <= 2000
    assert n_edges == stats["edges"] == stats["totalEdges"]
    notice = page.locator("[data-testid=fold-notice]")
    assert notice.is_visible() and "folded" in notice.inner_text()
    folded = int(notice.get_attribute("data-folded"))
    summaries = [i for i in ids if i.startswith("summary:")]
    assert folded == G.number_of_nodes() - (len(ids) - len(summaries)) and summaries
    page.fill("[data-testid=search]", "entity 2999")  # a folded name leads to its summary
    page.press("[data-testid=search]", "Enter")
    selected = page.evaluate("kgNetwork.getSelectedNodes()")
    assert selected[0] in ("e2999", "summary:Metric")
    page.uncheck("[data-testid=show-papers]")
    assert not any(G.nodes[i]["kind"] == "Paper" for i in drawn(page)[0] if not i.startswith("summary:"))


def test_real_build_page(open_page, tmp_path, fixtures):
    """`kg build --profile fast` on the demo papers: the page draws the projected graph."""
    from kg.cli import main
    from kg.graph.projection import to_networkx
    from kg.graph.store import store_to_graph

    out = tmp_path / "out"
    assert main(["build", str(fixtures / "demo_papers.jsonl"), "--out", str(out), "--profile", "fast"]) == 0
    G = to_networkx(store_to_graph(out))
    page = open_page(out / "graph.html")
    ids, n_edges = drawn(page)
    assert ids == set(G.nodes) and n_edges == len(pairs(G))
    entity = max((n for n in G if G.nodes[n]["kind"] != "Paper"), key=lambda n: G.nodes[n]["papers"])
    click_node(page, entity)
    assert page.locator("[data-testid=panel-name]").inner_text() == G.nodes[entity]["label"]
    assert page.locator("[data-testid=panel-evidence] li").count() >= 1
