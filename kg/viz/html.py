"""The self-contained HTML viewer: one file, no network, no CDN.

vis-network's JavaScript and CSS (shipped inside the ``pyvis`` package) are
inlined; the graph travels as JSON in a ``<script type="application/json">``
block and every string from the input reaches the page through
``textContent``, never as markup, so a title such as ``<script>`` shows as
text (links are kept only when they are ``http(s)``). Positions are computed
here and physics is off, so large graphs are interactive as soon as they are
drawn. Above ``node_budget`` nodes the least connected nodes are folded into
one summary node per type, and the page says so.

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
import numpy as np

__all__ = [
    "DEFAULT_NODE_BUDGET",
    "TYPE_STYLE",
    "PaperInfo",
    "fold_graph",
    "layout_positions",
    "render_viewer",
    "viewer_data",
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
_OTHER_STYLE = {"color": "#56B4E9", "shape": "hexagon"}

#: Above this many nodes, the least connected nodes are folded into summaries.
DEFAULT_NODE_BUDGET = 2000

#: Evidence sentences kept per entity, and per relation edge.
MAX_EVIDENCE = 6
MAX_EDGE_EVIDENCE = 2

_TEMPLATE = Path(__file__).with_name("template.html")


@dataclass(frozen=True, slots=True)
class PaperInfo:
    """What the side panel shows of a paper (``url`` is dropped unless it is http or https).

    Examples
    --------
    >>> PaperInfo("A title", date="2024-03-12", url="https://arxiv.org/abs/2106.09685").title
    'A title'
    """

    title: str
    date: str = ""
    url: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    venue: str = ""


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
    """Keep the best-connected nodes; fold the rest into one summary node per type.

    The result has at most ``node_budget`` nodes (kept nodes plus one ``summary:<type>``
    node per folded type). Nodes are ranked by degree, then by paper count, then by label,
    so the fold is deterministic. Edges from kept nodes to folded ones become one edge to
    the summary, whose ``weight`` counts them.

    Returns
    -------
    The reduced undirected graph and, per summary node, the labels folded into it.

    Examples
    --------
    >>> G = nx.star_graph(5)
    >>> nx.set_node_attributes(G, "Method", "kind")
    >>> R, folded = fold_graph(G, 3)
    >>> sorted(map(str, R.nodes)), folded["summary:Method"]
    (['0', '1', 'summary:Method'], ['2', '3', '4', '5'])
    >>> R.nodes["summary:Method"]["label"], R["0"]["summary:Method"]["weight"]
    ('4 more Method nodes', 4)
    """
    H = nx.Graph(G)
    if H.number_of_nodes() <= node_budget:
        return H, {}
    ranked = sorted(
        H.nodes,
        key=lambda n: (-H.degree(n), -int(H.nodes[n].get("papers", 0) or 0), str(H.nodes[n].get("label", n)), str(n)),
    )
    n_types = len({H.nodes[n].get("kind", "Entity") for n in H.nodes})
    keep = set(ranked[: max(1, node_budget - n_types)])
    folded: dict[str, list[str]] = defaultdict(list)
    summary_of: dict[object, str] = {}
    for n in ranked:
        if n in keep:
            continue
        kind = H.nodes[n].get("kind", "Entity")
        summary_of[n] = f"summary:{kind}"
        folded[summary_of[n]].append(str(H.nodes[n].get("label", n)))
    R = nx.Graph()
    for n in ranked:
        if n in keep:
            R.add_node(str(n), **H.nodes[n])
    for summary, members in folded.items():
        kind = summary.split(":", 1)[1]
        R.add_node(
            summary,
            kind=kind,
            label=f"{len(members)} more {kind} nodes",
            papers=0,
            summary=True,
            members=sorted(members, key=str.casefold),
        )
    for u, v in H.edges():
        su, sv = summary_of.get(u, str(u)), summary_of.get(v, str(v))
        if su == sv:
            continue
        if R.has_edge(su, sv):
            R[su][sv]["weight"] += 1
        else:
            R.add_edge(su, sv, weight=1, summary=su.startswith("summary:") or sv.startswith("summary:"))
    return R, dict(folded)


def _kernel_fft(m: int) -> tuple[np.ndarray, np.ndarray]:
    """FFT of the repulsion kernel ``r / |r|**2`` over cell offsets (grid padded to ``2m``)."""
    off = np.fft.fftfreq(2 * m, 1.0 / (2 * m))
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx**2 + dy**2
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _add_along(disp: np.ndarray, i: np.ndarray, j: np.ndarray, force: np.ndarray) -> None:
    """``disp[i] += force; disp[j] -= force`` for index arrays with repeats."""
    n = len(disp)
    for axis in (0, 1):
        disp[:, axis] += np.bincount(i, force[:, axis], n) - np.bincount(j, force[:, axis], n)


def _force_layout(n: int, edges: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold in near-linear time per step (unit ideal edge length).

    Repulsion between all pairs is computed on a grid (particle-mesh: node density
    convolved with the ``r / |r|**2`` kernel by FFT, bilinear deposit and read-back), plus
    exact repulsion between nodes closer than a grid cell; attraction along edges is
    ``d**2``; a weak gravity keeps the drawing centred.
    """
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    radius = 1.2 * math.sqrt(n)
    angle = rng.uniform(0, 2 * math.pi, n)
    dist = radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.column_stack([dist * np.cos(angle), dist * np.sin(angle)])
    m = 64 if n <= 3000 else 128
    kx, ky = _kernel_fft(m)
    a, b = edges[:, 0], edges[:, 1]
    temperature = radius / 3
    cooling = (0.02 / temperature) ** (1 / max(1, iterations - 1))
    gravity = 0.5 * math.sqrt(n) / radius
    rho = np.zeros((2 * m, 2 * m))
    for _ in range(iterations):
        low = pos.min(axis=0)
        h = max(float((pos.max(axis=0) - low).max()), 1e-6) / (m - 1.001)
        grid = (pos - low) / h
        cell = np.minimum(np.floor(grid).astype(np.int64), m - 2)
        frac = grid - cell
        corners = [
            ((1 - frac[:, 0]) * (1 - frac[:, 1]), 0, 0),
            (frac[:, 0] * (1 - frac[:, 1]), 1, 0),
            ((1 - frac[:, 0]) * frac[:, 1], 0, 1),
            (frac[:, 0] * frac[:, 1], 1, 1),
        ]
        rho[:] = 0
        for weight, ox, oy in corners:
            rho.reshape(-1)[:] += np.bincount((cell[:, 0] + ox) * 2 * m + cell[:, 1] + oy, weight, 4 * m * m)
        spectrum = np.fft.rfft2(rho)
        field_x = np.fft.irfft2(spectrum * kx, s=rho.shape) / h
        field_y = np.fft.irfft2(spectrum * ky, s=rho.shape) / h
        disp = -gravity * (pos - pos.mean(axis=0))
        for weight, ox, oy in corners:
            disp[:, 0] += weight * field_x[cell[:, 0] + ox, cell[:, 1] + oy]
            disp[:, 1] += weight * field_y[cell[:, 0] + ox, cell[:, 1] + oy]
        pairs = cKDTree(pos).query_pairs(max(h, 1.0), output_type="ndarray")
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            _add_along(disp, pairs[:, 0], pairs[:, 1], delta / np.maximum((delta**2).sum(axis=1), 1e-4)[:, None])
        if len(a):
            delta = pos[a] - pos[b]
            _add_along(disp, b, a, delta * np.sqrt((delta**2).sum(axis=1))[:, None])
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    return pos - pos.mean(axis=0)


def _small_layout(n: int, edges: np.ndarray, seed: int, iterations: int = 60) -> np.ndarray:
    """Exact Fruchterman-Reingold for a handful of nodes (unit ideal edge length)."""
    if n <= 4:  # a point, a segment, a triangle or a square
        angle = np.arange(n) * 2 * math.pi / n
        return np.column_stack([np.cos(angle), np.sin(angle)]) * (0.0 if n == 1 else 0.5 / math.sin(math.pi / n))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1, 1, (n, 2)) * math.sqrt(n)
    temperature = math.sqrt(n)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
        disp = (delta / d2[:, :, None]).sum(axis=1)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            _add_along(disp, edges[:, 1], edges[:, 0], delta * np.sqrt((delta**2).sum(axis=1))[:, None])
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= 0.93
    return pos - pos.mean(axis=0)


def _layout(n: int, edges: np.ndarray, seed: int, iterations: int | None) -> np.ndarray:
    """Lay out the large components together, then pack the small ones on rings around them.

    The result is scaled so that the median distance between nearest neighbours is 1.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    adjacency = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    count, label = connected_components(adjacency, directed=False)
    sizes = np.bincount(label, minlength=count)
    big = sizes >= max(30, 0.05 * n)
    if not big.any():
        big[int(sizes.argmax())] = True
    pos = np.zeros((n, 2))
    main = np.flatnonzero(big[label])
    local = np.full(n, -1)
    local[main] = np.arange(len(main))
    main_edges = local[edges[big[label[edges[:, 0]]]]] if len(edges) else edges
    if len(main) > 60:
        pos[main] = _force_layout(len(main), main_edges, seed, iterations or (150 if len(main) <= 3000 else 100))
    else:
        pos[main] = _small_layout(len(main), main_edges, seed)
    if len(main) > 1:
        nn, _ = cKDTree(pos[main]).query(pos[main], k=2)
        pos[main] /= max(float(np.median(nn[:, 1])), 1e-6)
    # small components, largest first, on rings around the main drawing
    ring = (float(np.sqrt((pos[main] ** 2).sum(axis=1)).max()) if len(main) else 0.0) + 2.0
    angle, ring_width = 0.0, 0.0
    order = sorted((c for c in range(count) if not big[c]), key=lambda c: (-sizes[c], c))
    by_label = np.argsort(label, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    edge_order = np.argsort(label[edges[:, 0]], kind="stable") if len(edges) else np.zeros(0, np.int64)
    edge_starts = np.concatenate([[0], np.cumsum(np.bincount(label[edges[:, 0]], minlength=count))])
    for c in order:
        members = by_label[starts[c] : starts[c + 1]]
        local[members] = np.arange(len(members))
        sub = _small_layout(len(members), local[edges[edge_order[edge_starts[c] : edge_starts[c + 1]]]], seed + int(c))
        if len(members) > 1:
            nn, _ = cKDTree(sub).query(sub, k=2)
            sub /= max(float(np.median(nn[:, 1])), 1e-6)
        r = float(np.sqrt((sub**2).sum(axis=1)).max()) + 0.8
        step = 2 * r / (ring + r)
        if angle + step > 2 * math.pi:
            ring += ring_width + 0.5
            angle, ring_width = 0.0, 0.0
            step = 2 * r / (ring + r)
        centre = (ring + r) * np.array([math.cos(angle + step / 2), math.sin(angle + step / 2)])
        pos[members] = sub + centre
        angle += step
        ring_width = max(ring_width, 2 * r)
    return pos


def _separate(pos: np.ndarray, radii: np.ndarray, gap: float = 4.0, rounds: int = 40) -> np.ndarray:
    """Push overlapping discs apart (pixels) until each pair is ``gap`` apart, or ``rounds`` pass."""
    from scipy.spatial import cKDTree

    reach = 2 * float(radii.max()) + gap
    for _ in range(rounds):
        pairs = cKDTree(pos).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = pos[i] - pos[j]
        dist = np.sqrt((delta**2).sum(axis=1))
        overlap = radii[i] + radii[j] + gap - dist
        hit = overlap > 0.01
        if not hit.any():
            break
        i, j, delta, dist, overlap = i[hit], j[hit], delta[hit], dist[hit], overlap[hit]
        same = dist < 1e-6
        delta[same] = np.column_stack([np.cos(i[same]), np.sin(i[same])])
        dist[same] = 1.0
        move = delta * (0.5 * overlap / dist)[:, None]
        disp = np.zeros_like(pos)
        _add_along(disp, i, j, move)
        pos = pos + disp
    return pos


def layout_positions(
    G: nx.Graph,
    scale: float | None = None,
    seed: int = 7,
    iterations: int | None = None,
    radii: Mapping[object, float] | None = None,
) -> dict[str, tuple[float, float]]:
    """Deterministic force-directed positions in pixels, for the page to draw without physics.

    Large components are laid out together (Fruchterman-Reingold with grid-based
    repulsion: about a second for 2,000 nodes); small components are packed on rings
    around them. Neighbouring nodes end up about 45 px apart, or the drawing is scaled so
    that its farthest node lies ``scale`` px from the centre. With ``radii`` (px per node),
    overlapping nodes are then pushed apart so that each one can be seen and clicked.

    Examples
    --------
    >>> pos = layout_positions(nx.path_graph(3), scale=100)
    >>> sorted(pos), max(abs(c) for xy in pos.values() for c in xy) == 100.0
    ([0, 1, 2], True)
    >>> layout_positions(nx.path_graph(3)) == layout_positions(nx.path_graph(3))
    True
    """
    nodes = list(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    pos = _layout(n, edges, seed, iterations)
    pos *= (scale / (float(np.abs(pos).max()) or 1.0)) if scale else 45.0
    if radii:
        pos = _separate(pos, np.array([float(radii.get(v, 0.0)) for v in nodes]))
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos)}


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def _shown_date(date: str) -> str:
    """ISO dates as they are; ``--06-09`` (month and day, no year) said in words."""
    if date.startswith("--"):
        return f"{date[2:]} (month-day, year unknown)"
    return date


def _safe_url(url: str) -> str:
    return url if re.match(r"(?i)https?://[^\s]+$", url or "") else ""


def _node_size(attrs: Mapping, max_papers: int) -> float:
    """Radius in px: papers small, entities growing with the square root of their paper count."""
    if attrs.get("summary"):
        return 30.0
    if attrs.get("kind") == "Paper":
        return 7.0
    return round(8 + 30 * math.sqrt(max(int(attrs.get("papers", 0) or 0), 1) / max_papers), 1)


def _paper_info(G: nx.Graph, n: str, papers: Mapping[str, PaperInfo]) -> PaperInfo:
    info = papers.get(n)
    if info is not None:
        return info
    attrs = G.nodes[n] if n in G else {}
    return PaperInfo(title=str(attrs.get("label", n)), date=str(attrs.get("date", "") or ""))


def _display(
    G: nx.Graph, papers: Mapping[str, PaperInfo], node_budget: int, show_papers: bool
) -> tuple[_Display, dict[str, list[str]]]:
    """Merge parallel edges, gather evidence, fold, lay out; the rows the page draws."""
    if not all(isinstance(n, str) for n in G):
        G = nx.relabel_nodes(G, str)  # ids travel as JSON strings
    is_paper = {n: attrs.get("kind") == "Paper" for n, attrs in G.nodes(data=True)}
    simple = nx.Graph()
    # nodes and edges in a fixed order: the page depends on the graph, not on how it was read
    for n, attrs in sorted(G.nodes(data=True), key=lambda item: item[0]):
        if is_paper[n] and not show_papers:
            continue
        simple.add_node(n, **{k: v for k, v in attrs.items() if k != "members"})
    support: dict[frozenset, int] = defaultdict(int)
    rels: dict[frozenset, set[str]] = defaultdict(set)
    direction: dict[frozenset, tuple[str, str]] = {}
    edge_evidence: dict[frozenset, list[tuple[str, str]]] = defaultdict(list)
    evidence: dict[str, list[tuple[str, str]]] = defaultdict(list)
    paper_lists: dict[str, list[str]] = defaultdict(list)
    listed: set[tuple[str, str]] = set()
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for u, v, *rest in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]) if len(e) == 4 else "")):
        attrs = rest[-1]
        key = rest[0] if len(rest) == 2 else attrs.get("key", "")
        if u == v:
            continue
        if is_paper.get(u) and not is_paper.get(v):
            if (u, v) not in listed:
                listed.add((u, v))
                paper_lists[v].append(u)
            sentence = attrs.get("evidence")
            fresh = isinstance(sentence, str) and sentence and all(sentence != s for _, s in evidence[v])
            if fresh and len(evidence[v]) < MAX_EVIDENCE:
                evidence[v].append((u, sentence))
        if u not in simple or v not in simple:
            continue
        pair = frozenset((u, v))
        support[pair] += int(attrs.get("support", 1) or 1)
        if key:
            rels[pair].add(str(key))
        direction.setdefault(pair, (u, v))
        statements = attrs.get("statements") or []
        for paper, sentence in statements:
            if len(edge_evidence[pair]) < MAX_EDGE_EVIDENCE and sentence:
                edge_evidence[pair].append((str(paper), str(sentence)))
        simple.add_edge(u, v)
    for n in simple.nodes:
        if not is_paper.get(n) and not simple.nodes[n].get("papers"):
            simple.nodes[n]["papers"] = len(paper_lists.get(n, []))

    reduced, folded = fold_graph(simple, node_budget)
    summaries = [n for n in reduced.nodes if reduced.nodes[n].get("summary")]
    max_papers = max([int(reduced.nodes[n].get("papers", 0) or 0) for n in reduced.nodes] or [1]) or 1
    sizes = {n: _node_size(reduced.nodes[n], max_papers) for n in reduced.nodes}
    pos = layout_positions(reduced.subgraph([n for n in reduced.nodes if n not in summaries]), radii=sizes)
    if summaries:
        ring = 1.15 * max([math.hypot(x, y) for x, y in pos.values()] or [100.0])
        for i, s in enumerate(summaries):
            angle = 2 * math.pi * i / len(summaries) - math.pi / 2
            pos[s] = (round(ring * math.cos(angle), 1), round(ring * math.sin(angle), 1))

    disp = _Display(folded=sum(len(m) for m in folded.values()))
    for n in reduced.nodes:
        attrs = reduced.nodes[n]
        kind = str(attrs.get("kind", "Method"))
        label = str(attrs.get("label", n))
        count = int(attrs.get("papers", 0) or 0)
        node: dict = {"id": n, "type": kind, "label": label, "short": _short(label),
                      "x": pos[n][0], "y": pos[n][1], "papers": count}
        if attrs.get("summary"):
            node.update(summary=True, members=list(attrs.get("members", [])), size=sizes[n], papers=0)
        elif kind == "Paper":
            info = _paper_info(G, n, papers)
            node.update(size=sizes[n], date=_shown_date(info.date), year=_year(info.date), abstract=info.abstract,
                        paperList=[n])
        else:
            node["size"] = sizes[n]
            node["aliases"] = [a for a in str(attrs.get("aliases", "") or "").split(" | ") if a and a != label]
            node["evidence"] = [list(e) for e in evidence.get(n, [])]
            node["paperList"] = paper_lists.get(n, [])[:100]
            node["years"] = sorted(
                {y for p in paper_lists.get(n, []) if (y := _year(_paper_info(G, p, papers).date))}
            )
            external = [u for u in (attrs.get("external") or []) if _safe_url(str(u))]
            if external:
                node["external"] = external
        disp.nodes.append(node)
    for u, v, attrs in reduced.edges(data=True):
        pair = frozenset((u, v))
        src, dst = direction.get(pair, (u, v))
        s = support.get(pair) or int(attrs.get("weight", 1))
        if attrs.get("summary"):
            kind = "summary"
        elif reduced.nodes[src].get("kind") == "Paper" or reduced.nodes[dst].get("kind") == "Paper":
            kind = "paper"
        else:
            kind = "relation"
        edge = {"from": src, "to": dst, "support": s, "width": round(min(8.0, 1 + math.log2(max(s, 1))), 2),
                "kind": kind, "rel": sorted(rels.get(pair, []))}
        if edge_evidence.get(pair):
            edge["evidence"] = [list(e) for e in edge_evidence[pair]]
        disp.edges.append(edge)
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


def viewer_data(
    G: nx.Graph,
    papers: Mapping[str, PaperInfo],
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
    show_papers: bool = True,
) -> dict:
    """The data the viewer page draws: nodes with positions, merged edges, papers, notice.

    Parallel edges between two nodes become one edge whose ``support`` adds up their
    ``support`` attributes (1 where absent) and whose width grows with it.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", kind="Paper", label="A paper")
    >>> G.add_node("m", kind="Method", label="LoRA", aliases="low-rank adaptation", papers=1)
    >>> G.add_edge("p", "m", key="uses", evidence="We use LoRA.", support=3)
    'uses'
    >>> data = viewer_data(G, {"p": PaperInfo("A paper", date="2024-05-01")})
    >>> [(n["label"], n.get("years")) for n in data["nodes"]]
    [('LoRA', [2024]), ('A paper', None)]
    >>> data["edges"][0]["support"], data["nodes"][0]["evidence"], data["folded"]
    (3, [['p', 'We use LoRA.']], 0)
    """
    if node_budget < 1:
        raise ValueError("node_budget must be at least 1")
    disp, folded = _display(G, papers, node_budget, show_papers)
    counts: dict[str, int] = defaultdict(int)
    for n in disp.nodes:
        counts[n["type"]] += len(n["members"]) if n.get("summary") else 1
    types = {t: {**TYPE_STYLE.get(t, _OTHER_STYLE), "count": counts[t]} for t in TYPE_STYLE if counts.get(t)}
    types.update({t: {**_OTHER_STYLE, "count": c} for t, c in sorted(counts.items()) if t not in types})
    used_papers = {p for n in disp.nodes for p in n.get("paperList", [])}
    used_papers |= {p for n in disp.nodes for p, _ in n.get("evidence", [])}
    used_papers |= {p for e in disp.edges for p, _ in e.get("evidence", [])}
    paper_table = {}
    for pid in sorted(used_papers):
        info = _paper_info(G, pid, papers)
        row = {"title": info.title, "date": _shown_date(info.date), "url": _safe_url(info.url)}
        if info.authors:
            row["authors"] = list(info.authors)
        if info.venue:
            row["venue"] = info.venue
        paper_table[pid] = row
    total = sum(counts.values())
    return {
        "title": title,
        "types": types,
        "nodes": disp.nodes,
        "edges": disp.edges,
        "papers": paper_table,
        "years": sorted({y for n in disp.nodes for y in ([n["year"]] if n.get("year") else n.get("years", []))}),
        "maxPapers": max([n["papers"] for n in disp.nodes] or [1]),
        "folded": disp.folded,
        "notice": (
            f"This graph has {total} nodes, more than the budget of {node_budget}: the {disp.folded} least "
            f"connected were folded into {len(folded)} summary node(s), one per type (click a summary to list "
            "them; search finds folded names too). Rewrite the page with `kg view --node-budget N` to show more."
            if disp.folded
            else ""
        ),
    }


def render_viewer(
    G: nx.Graph,
    papers: Mapping[str, PaperInfo],
    *,
    title: str = "Research knowledge graph",
    node_budget: int = DEFAULT_NODE_BUDGET,
    show_papers: bool = True,
) -> str:
    """Return the viewer page of a projected graph (see :func:`kg.graph.projection.to_networkx`).

    Nodes carry ``kind``, ``label``, ``aliases`` (``" | "``-separated) and ``papers``;
    paper→entity edges may carry ``evidence`` (a sentence) and ``support`` (mentions);
    entity→entity edges ``support`` (papers stating it) and ``statements`` (``(paper,
    sentence)`` pairs). ``papers`` maps paper nodes to what the side panel shows.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("p", "m")])
    >>> G.nodes["p"].update(kind="Paper", label="<script>alert(1)</script>")
    >>> G.nodes["m"].update(kind="Method", label="LoRA")
    >>> page = render_viewer(G, {})
    >>> "<script>alert" in page, page.count("vis.Network(") == 1
    (False, True)
    """
    data = viewer_data(G, papers, title=title, node_budget=node_budget, show_papers=show_papers)
    js, css = _vis_assets()
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": css.replace("</style", "<\\/style"),
        "DATA": _safe_json(data),
        "VIS_JS": js.replace("</script", "<\\/script"),
    }
    # one pass over the template: inserted text is never scanned for markers again
    return re.sub(
        r"__(TITLE|VIS_CSS|DATA|VIS_JS)__", lambda m: parts[m.group(1)], _TEMPLATE.read_text("utf-8")
    )
