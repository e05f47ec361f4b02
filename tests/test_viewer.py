"""The viewer page without a browser: data, folding, layout, escaping, `kg view`.

The same pages in headless Chromium: test_viewer_browser.py.
"""

from __future__ import annotations

import json
import math
import re

import networkx as nx
import pytest

from kg.viz.html import (
    DEFAULT_NODE_BUDGET,
    PaperInfo,
    fold_graph,
    layout_positions,
    render_viewer,
    viewer_data,
)

HOSTILE = '<script>window.__pwned=1</script>"onerror="window.__pwned=2'


def page_data(page: str) -> dict:
    """The JSON the page draws (its escapes are valid JSON)."""
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def small_graph() -> tuple[nx.MultiDiGraph, dict[str, PaperInfo]]:
    G = nx.MultiDiGraph()
    papers = {
        "p1": PaperInfo("Adapters for LLMs", date="2021-05-01", url="https://example.org/p1"),
        "p2": PaperInfo(HOSTILE, date="2023", url="javascript:alert(1)", abstract="</script><b>x</b>"),
        "p3": PaperInfo("Undated", date="--06-09"),
    }
    for pid, info in papers.items():
        G.add_node(pid, kind="Paper", label=info.title)
    G.add_node("lora", kind="Method", label="LoRA", aliases="Low-Rank Adaptation | low-rank adaptation", papers=2)
    G.add_node("glue", kind="Dataset", label="GLUE", aliases="", papers=1)
    G.add_node("a100", kind="Hardware", label="A100", aliases="", papers=1)
    G.add_edge("p1", "lora", key="uses", evidence="We fine-tune with LoRA.", support=3)
    G.add_edge("p2", "lora", key="proposes", evidence="LoRA freezes the weights.")
    G.add_edge("p1", "glue", key="evaluatesOn", evidence="Results on GLUE.")
    G.add_edge("p3", "a100", key="runsOn", evidence="on A100 GPUs")
    G.add_edge("lora", "glue", key="evaluatedOn", support=2, statements=[("p1", "LoRA is evaluated on GLUE.")])
    return G, papers


def test_viewer_data_nodes_edges_support_evidence_years():
    G, papers = small_graph()
    data = viewer_data(G, papers)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == set(G.nodes)
    assert len(data["edges"]) == 5  # one per linked pair
    lora = nodes["lora"]
    assert lora["aliases"] == ["Low-Rank Adaptation", "low-rank adaptation"]
    assert lora["evidence"] == [["p1", "We fine-tune with LoRA."], ["p2", "LoRA freezes the weights."]]
    assert lora["years"] == [2021, 2023] and nodes["p1"]["year"] == 2021 and nodes["p3"]["year"] is None
    assert nodes["p3"]["date"] == "06-09 (month-day, year unknown)"
    edge = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edge[("p1", "lora")]["support"] == 3 and edge[("p1", "lora")]["width"] == round(1 + math.log2(3), 2)
    rel = edge[("lora", "glue")]
    assert (rel["kind"], rel["rel"], rel["support"]) == ("relation", ["evaluatedOn"], 2)
    assert rel["evidence"] == [["p1", "LoRA is evaluated on GLUE."]]
    assert data["years"] == [2021, 2023]
    assert data["papers"]["p2"]["url"] == "" and data["papers"]["p1"]["url"] == "https://example.org/p1"
    assert lora["size"] > nodes["glue"]["size"]  # size grows with the paper count
    assert data["folded"] == 0 and data["notice"] == ""
    assert {t: s["count"] for t, s in data["types"].items()} == {"Method": 1, "Dataset": 1, "Hardware": 1, "Paper": 3}


def test_papers_can_be_left_out_and_evidence_stays():
    G, papers = small_graph()
    data = viewer_data(G, papers, show_papers=False)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {"lora", "glue", "a100"}
    assert len(nodes["lora"]["evidence"]) == 2 and nodes["lora"]["paperList"] == ["p1", "p2"]
    assert [(e["from"], e["to"]) for e in data["edges"]] == [("lora", "glue")]
    assert "p1" in data["papers"]  # the side panel still lists the papers


def test_page_is_one_file_with_input_escaped():
    G, papers = small_graph()
    page = render_viewer(G, papers, title="<img src=x onerror=alert(1)>")
    for needle in ("<script>window", "</script><b>", "<b>x", "javascript:alert", "<img src=x", 'onerror="window'):
        assert needle not in page, needle
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)  # nothing fetched
    assert "default-src 'none'" in page  # and the page may not fetch anything
    assert {n["id"]: n for n in page_data(page)["nodes"]}["p2"]["label"] == HOSTILE  # the text survives, as data


def test_fold_keeps_the_budget_and_the_best_connected():
    G = nx.barabasi_albert_graph(400, 2, seed=3)
    for n in G:
        G.nodes[n].update(kind="Method" if n % 3 else "Dataset", label=f"e{n}")
    R, folded = fold_graph(G, 100)
    assert R.number_of_nodes() <= 100
    assert set(folded) == {"summary:Method", "summary:Dataset"}
    kept = [n for n in R if not str(n).startswith("summary:")]
    assert len(kept) + sum(map(len, folded.values())) == 400
    assert min(G.degree(int(n)) for n in kept) >= max(G.degree(int(m[1:])) for ms in folded.values() for m in ms)
    assert fold_graph(G, 100)[1] == folded  # deterministic
    assert fold_graph(G, 400)[1] == {}


def test_notice_and_summaries_above_the_budget():
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"p{i}", kind="Paper", label=f"Paper {i}")
        G.add_node(f"m{i}", kind="Method", label=f"method {i}", aliases="", papers=1)
        G.add_edge(f"p{i}", f"m{i}", key="uses")
        G.add_node("hub", kind="Dataset", label="Hub", aliases="", papers=60)
        G.add_edge(f"p{i}", "hub", key="evaluatesOn")
    data = viewer_data(G, {}, node_budget=50)
    assert len(data["nodes"]) <= 50
    summaries = [n for n in data["nodes"] if n.get("summary")]
    assert summaries and all(n["members"] for n in summaries)
    assert data["folded"] == sum(len(n["members"]) for n in summaries) == 121 - (len(data["nodes"]) - len(summaries))
    assert "folded" in data["notice"] and "--node-budget" in data["notice"]
    assert {e["kind"] for e in data["edges"]} >= {"summary"}
    assert sum(t["count"] for t in data["types"].values()) == 121  # the legend counts folded nodes too
    with pytest.raises(ValueError):
        viewer_data(G, {}, node_budget=0)


def test_layout_is_deterministic_spread_and_keeps_components_close():
    main = nx.barabasi_albert_graph(300, 2, seed=1)
    G = nx.disjoint_union_all([main, nx.path_graph(3), nx.empty_graph(5), nx.path_graph(7)])
    pos = layout_positions(G)
    assert pos == layout_positions(G)
    radius = max(math.hypot(*pos[n]) for n in main)
    outer = max(math.hypot(*xy) for xy in pos.values())
    assert outer < 1.6 * radius  # small components sit near the main one, not far away
    distinct = {(round(x), round(y)) for x, y in pos.values()}
    assert len(distinct) == len(pos)  # no two nodes on top of each other
    assert layout_positions(nx.Graph()) == {} and layout_positions(nx.empty_graph(1)) == {0: (0.0, 0.0)}


def test_default_budget_is_2000():
    assert DEFAULT_NODE_BUDGET == 2000


def test_kg_view_writes_the_store_graph(demo_build, tmp_path):
    from kg.cli import main
    from kg.graph.projection import to_networkx
    from kg.graph.store import store_to_graph

    out, _ = demo_build
    target = tmp_path / "v.html"
    assert main(["view", "--store", str(out), "-o", str(target), "--title", "Demo <graph>"]) == 0
    page = target.read_text(encoding="utf-8")
    data = page_data(page)
    G = to_networkx(store_to_graph(out))
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert len(data["edges"]) == len({frozenset((u, v)) for u, v in G.edges() if u != v})
    assert data["title"] == "Demo <graph>" and "<title>Demo &lt;graph&gt;</title>" in page
    entities = [n for n in data["nodes"] if n["type"] != "Paper"]
    assert any(n["evidence"] for n in entities)
    assert all(data["papers"][p]["title"] for n in entities for p in n["paperList"])
    assert any(p["url"].startswith("https://") for p in data["papers"].values())  # links when known
    assert (out / "graph.html").is_file() and page_data((out / "graph.html").read_text("utf-8"))["nodes"]
