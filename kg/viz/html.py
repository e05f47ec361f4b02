"""The self-contained HTML viewer: one file, no network, no CDN.

vis-network's JavaScript and CSS (shipped inside the ``pyvis`` package) are
inlined; the graph travels as JSON in a ``<script type="application/json">``
block and every string from the input reaches the page through
``textContent``, never as markup, so a title such as ``<script>`` shows as
text. Positions are computed here (networkx) and physics is off, so large
graphs are interactive as soon as they are drawn. Above ``node_budget``
nodes the least connected entities are folded into one summary node per
type, and the page says so.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("m", kind="Method", label="<b>LoRA</b>", aliases="", papers=1)
>>> html = render_viewer(G, {}, title="demo")
>>> "<b>LoRA" in html, "\\\\u003cb\\\\u003eLoRA" in html
(False, True)
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

__all__ = [
    "DEFAULT_NODE_BUDGET",
    "TYPE_STYLE",
    "PaperInfo",
    "fold_graph",
    "layout_positions",
    "render_viewer",
]

#: Colour and vis-network shape per node type (colour-blind safe Okabe-Ito palette).
TYPE_STYLE: dict[str, dict[str, str]] = {
    "Method": {"color": "#0072B2", "shape": "dot"},
    "Task": {"color": "#E69F00", "shape": "diamond"},
    "Dataset": {"color": "#009E73", "shape": "square"},
    "Hardware": {"color": "#CC79A7", "shape": "triangle"},
    "Metric": {"color": "#D55E00", "shape": "star"},
    "Paper": {"color": "#999999", "shape": "dot"},
}

#: Above this many nodes, the least connected entities are folded into summaries.
DEFAULT_NODE_BUDGET = 2000

_TEMPLATE = Path(__file__).with_name("template.html")


@dataclass(frozen=True, slots=True)
class PaperInfo:
    """What the side panel shows of a paper."""

    title: str
    date: str = ""
    url: str = ""
    abstract: str = ""


@dataclass
class _Display:
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    folded: int = 0


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(
        encoding="utf-8"
    )


def fold_graph(G: nx.Graph, node_budget: int) -> tuple[nx.Graph, dict[str, list[str]]]:
    """Keep the ``node_budget`` best-connected nodes; fold the rest into one node per type.

    Returns the reduced undirected graph and, per summary node, the labels folded into it.
    """
    H = nx.Graph(G)
    if H.number_of_nodes() <= node_budget:
        return H, {}
    ranked = sorted(H.nodes, key=lambda n: (-H.degree(n), str(H.nodes[n].get("label", n))))
    n_types = len({H.nodes[n].get("kind") for n in H.nodes})
    keep = set(ranked[: max(1, node_budget - n_types)])
    folded: dict[str, list[str]] = defaultdict(list)
    summary_of: dict[str, str] = {}
    for n in ranked[len(keep) :]:
        kind = H.nodes[n].get("kind", "Entity")
        summary = f"summary:{kind}"
        summary_of[n] = summary
        folded[summary].append(str(H.nodes[n].get("label", n)))
    R = H.subgraph(keep).copy()
    for summary, members in folded.items():
        kind = summary.split(":", 1)[1]
        R.add_node(
            summary,
            kind=kind,
            label=f"{len(members)} more {kind} nodes",
            papers=0,
            summary=True,
            members=sorted(members),
        )
    for u, v in H.edges():
        su, sv = summary_of.get(u, u), summary_of.get(v, v)
        if su != sv and su in R and sv in R:
            if R.has_edge(su, sv):
                R[su][sv]["weight"] = R[su][sv].get("weight", 1) + 1
            else:
                R.add_edge(su, sv, weight=1)
    return R, dict(folded)


def layout_positions(
    G: nx.Graph, scale: float | None = None, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Deterministic force-directed positions, scaled to the node count."""
    if G.number_of_nodes() == 0:
        return {}
    scale = scale or 120.0 * math.sqrt(G.number_of_nodes())
    iterations = 60 if G.number_of_nodes() <= 3000 else 30
    pos = nx.spring_layout(G, seed=seed, iterations=iterations, scale=scale)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in pos.items()}


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def _display(
    G: nx.MultiDiGraph, papers: Mapping[str, PaperInfo], node_budget: int, show_papers: bool
) -> tuple[_Display, dict[str, list[str]]]:
    simple = nx.Graph()
    for n, attrs in G.nodes(data=True):
        if attrs.get("kind") == "Paper" and not show_papers:
            continue
        simple.add_node(n, **attrs)
    support: dict[tuple[str, str], int] = defaultdict(int)
    kinds: dict[tuple[str, str], str] = {}
    evidence: dict[str, list[str]] = defaultdict(list)
    paper_lists: dict[str, list[str]] = defaultdict(list)
    for u, v, attrs in G.edges(data=True):
        if u not in simple or v not in simple:
            if G.nodes[u].get("kind") == "Paper":
                paper_lists[v].append(u)
            continue
        support[(u, v)] += 1
        kinds[(u, v)] = "relation" if G.nodes[u].get("kind") != "Paper" else "paper"
        if G.nodes[u].get("kind") == "Paper":
            paper_lists[v].append(u)
            if attrs.get("evidence") and len(evidence[v]) < 8 and attrs["evidence"] not in evidence[v]:
                evidence[v].append(attrs["evidence"])
        simple.add_edge(u, v)
    reduced, folded = fold_graph(simple, node_budget)
    pos = layout_positions(reduced)
    disp = _Display(folded=sum(len(m) for m in folded.values()))
    max_papers = max([reduced.nodes[n].get("papers", 1) or 1 for n in reduced.nodes] or [1])
    for n in reduced.nodes:
        attrs = reduced.nodes[n]
        kind = attrs.get("kind", "Method")
        label = str(attrs.get("label", n))
        node = {
            "id": n,
            "type": kind,
            "label": label,
            "short": _short(label),
            "x": pos[n][0],
            "y": pos[n][1],
            "papers": int(attrs.get("papers", 0) or 0),
        }
        if kind == "Paper":
            info = papers.get(n)
            node["size"] = 6
            if info:
                node["date"] = info.date
                node["year"] = _year(info.date)
                node["abstract"] = info.abstract
                node["paperList"] = [n]
        else:
            node["size"] = round(8 + 30 * math.sqrt((node["papers"] or 1) / max_papers), 1)
            node["aliases"] = [a for a in str(attrs.get("aliases", "")).split(" | ") if a]
            node["evidence"] = evidence.get(n, [])
            node["paperList"] = paper_lists.get(n, [])[:50]
            years = sorted(
                {y for p in paper_lists.get(n, []) if (y := _year(papers.get(p, PaperInfo("")).date))}
            )
            node["years"] = years
            if attrs.get("external"):
                node["external"] = attrs["external"]
        if attrs.get("summary"):
            node["summary"] = True
            node["members"] = attrs.get("members", [])[:500]
            node["size"] = 30
        disp.nodes.append(node)
    for u, v, attrs in reduced.edges(data=True):
        s = support.get((u, v)) or support.get((v, u)) or attrs.get("weight", 1)
        kind = kinds.get((u, v)) or kinds.get((v, u)) or "paper"
        src, dst = (u, v) if (u, v) in kinds else (v, u)
        disp.edges.append(
            {"from": src, "to": dst, "width": round(min(8.0, 1 + math.log2(s)), 2), "kind": kind}
        )
    return disp, folded


def _safe_json(data: object) -> str:
    """JSON that cannot end the surrounding ``<script>`` element or inject markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_viewer(
    G: nx.MultiDiGraph,
    papers: Mapping[str, PaperInfo],
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
    show_papers: bool = True,
) -> str:
    """Return the viewer page of a projected graph (see :func:`kg.graph.projection.to_networkx`)."""
    disp, _ = _display(G, papers, node_budget, show_papers)
    counts: dict[str, int] = defaultdict(int)
    for n in disp.nodes:
        if not n.get("summary"):
            counts[n["type"]] += 1
    types = {
        t: {**style, "count": counts.get(t, 0)}
        for t, style in TYPE_STYLE.items()
        if counts.get(t, 0) or any(n["type"] == t for n in disp.nodes)
    }
    used_papers = {p for n in disp.nodes for p in n.get("paperList", [])}
    data = {
        "title": title,
        "types": types,
        "nodes": disp.nodes,
        "edges": disp.edges,
        "papers": {
            pid: {"title": info.title, "date": info.date, "url": info.url}
            for pid, info in papers.items()
            if pid in used_papers
        },
        "years": sorted({n["year"] for n in disp.nodes if n.get("year")}),
        "folded": disp.folded,
        "notice": (
            f"This graph has more than {node_budget} nodes: {disp.folded} of the least connected were folded "
            "into one summary node per type (click a summary to list them). Use filters or `kg view "
            "--node-budget N` to see more."
            if disp.folded
            else ""
        ),
    }
    js, css = _vis_assets()
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": css,
        "DATA": _safe_json(data),
        "VIS_JS": js.replace("</script", "<\\/script"),
    }
    # one pass over the template: inserted text is never scanned for markers again
    return re.sub(
        r"__(TITLE|VIS_CSS|DATA|VIS_JS)__", lambda m: parts[m.group(1)], _TEMPLATE.read_text("utf-8")
    )
