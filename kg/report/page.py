"""The topic report: one self-contained HTML page that answers a researcher's questions.

Each section asks a question (what comes up most, what is evaluated on what,
what is rising, which groups of work belong together, what was proposed,
what results are reported, what has not been tried) and answers it with
inline SVG charts and tables computed by :mod:`kg.analysis`. The page loads
nothing (a Content-Security-Policy forbids it), runs no script, and every
string from the input is HTML-escaped. It holds no timestamp: the same graph
gives the same page.

Examples
--------
>>> from kg.analysis import demo_graph
>>> page = render_report(demo_graph(), title="<demo>")
>>> "<title>&lt;demo&gt;</title>" in page, 'id="gaps"' in page, "<script" in page
(True, True, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from kg.analysis import (
    communities,
    cooccurrence,
    declining,
    emerging,
    gaps,
    method_proposals,
    overview,
    papers_per_year,
    top_entities,
    top_results,
    topic_clusters,
    yearly_counts,
)
from kg.analysis._common import ENTITY_TYPES, Progress, ProgressArg, as_graph, no_progress, progress_bars
from kg.report.svg import TYPE_COLORS, bar_chart, column_chart, esc, heatmap, line_chart

__all__ = ["render_report", "write_report"]

_PLURAL = {"Method": "methods", "Task": "tasks", "Dataset": "datasets", "Hardware": "hardware", "Metric": "metrics"}

_CSS = """
:root { --ink:#1d1d1f; --muted:#5f6368; --line:#e3e3e3; --bg:#fafafa; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       color:var(--ink); background:var(--bg); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 4px; }
h3 { font-size: 1rem; margin: 12px 0 6px; }
.sub, .note { color: var(--muted); }
.note { font-size: .9rem; margin: 4px 0 12px; }
nav { margin: 12px 0 4px; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: .92rem; }
nav a { color: #0b57d0; text-decoration: none; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 8px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.stat b { display: block; font-size: 1.35rem; }
.stat span { color: var(--muted); font-size: .85rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 8px 24px; }
.card { min-width: 0; }
.scroll { overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; display: block; }
ol.rank { margin: 4px 0 8px; padding-left: 24px; font-size: .92rem; }
ol.rank span { color: var(--muted); }
table.data { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
                               vertical-align: top; }
table.data th { background: #f4f4f4; font-weight: 600; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.evidence { color: var(--muted); font-size: .85rem; }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 30px; }
"""


def _n(count: int, noun: str) -> str:
    """``1 paper``, ``2 papers``; ``noun`` is the plural (``communities`` -> ``community``).

    >>> _n(1, "papers"), _n(3, "papers"), _n(1, "communities")
    ('1 paper', '3 papers', '1 community')
    """
    if count != 1:
        return f"{count} {noun}"
    singular = noun[:-3] + "y" if noun.endswith("ies") else noun[:-1] if noun.endswith("s") else noun
    return f"{count} {singular}"


def _fmt(value: object, digits: int = 3) -> str:
    """A cell value as text: '' for missing, integers plain, floats rounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.{digits}g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _table(
    table_id: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    raw: Iterable[int] = (),
) -> str:
    """An HTML table; cells are escaped, except columns in ``raw`` (already-escaped markup)."""
    numeric, raw = set(numeric), set(raw)
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = value if i in raw else esc(_fmt(value))
            cells.append(f'<td class="num">{text}</td>' if i in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        return f'<p class="note" id="{esc(table_id)}-table">Nothing to show.</p>'
    return (
        f'<div class="scroll"><table class="data" id="{esc(table_id)}-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _link(title: object, url: object) -> str:
    """The escaped title, as a link when ``url`` is an http(s) URL."""
    text = esc(_fmt(title))
    if isinstance(url, str) and urlparse(url).scheme in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{text}</a>'
    return text


def _section(section_id: str, question: str, body: str, note: str = "") -> str:
    note_html = f'<p class="note">{note}</p>' if note else ""
    return f'<section id="{esc(section_id)}"><h2>{esc(question)}</h2>{note_html}{body}</section>'


def _overview(g, info: dict) -> str:
    years = f"{info['first_year']}–{info['last_year']}" if info["first_year"] is not None else "no dates"
    stats = [("papers", info["papers"], "overview-papers")]
    stats += [(_PLURAL[t], n, f"overview-{t.lower()}") for t, n in info["entities"].items()]
    stats += [
        ("results", info["results"], "overview-results"),
        ("relations", info["relations"], "overview-relations"),
        ("papers proposing a method", info["proposed"], "overview-proposed"),
        ("years", years, "overview-years"),
    ]
    cards = "".join(
        f'<div class="stat" id="{esc(i)}" data-value="{esc(v)}"><b>{esc(v)}</b><span>{esc(k)}</span></div>'
        for k, v, i in stats
    )
    return _section("overview", "What is in this graph?", f'<div class="stats">{cards}</div>')


def _top(g, n: int, progress: Progress) -> str:
    by_papers = top_entities(g, by="papers", n=n, progress=progress)
    by_rank = top_entities(g, by="pagerank", n=min(n, 5))
    cards = []
    for etype in ENTITY_TYPES:
        sub = by_papers[by_papers["type"] == etype]
        items = list(zip(sub["label"], sub["papers"]))
        ranked = by_rank[by_rank["type"] == etype]
        ranked_html = "".join(
            f'<li data-label="{esc(r.label)}" data-pagerank="{r.pagerank:.6f}">{esc(r.label)} '
            f"<span>({r.pagerank:.4f}, {_n(int(r.papers), 'papers')})</span></li>"
            for r in ranked.itertuples()
        )
        cards.append(
            f'<div class="card" id="top-{etype.lower()}"><h3><span class="swatch" style="background:'
            f'{TYPE_COLORS[etype]}"></span>{esc(_PLURAL[etype].capitalize())} by papers</h3>'
            f"{bar_chart(items, series=etype)}"
            + (
                f'<h3>Most central by PageRank</h3><ol class="rank" data-series="{esc(etype)}">{ranked_html}</ol>'
                if ranked_html
                else ""
            )
            + "</div>"
        )
    note = (
        "Bars count the papers that link to each entity in any role. PageRank ranks the same entities by "
        "their place in the whole graph of papers, entities and relations: an entity linked from papers that "
        "link many other central entities ranks high."
    )
    return _section(
        "top-entities",
        "Which methods, tasks, datasets, hardware and metrics come up most?",
        f'<div class="grid">{"".join(cards)}</div>',
        note,
    )


def _heat(g, rows: str, cols: str, top: int, section_id: str, question: str, note: str) -> str:
    table = cooccurrence(g, rows, cols, top=top)
    if table.empty:
        body = '<p class="note">No paper links both kinds of entity.</p>'
    else:
        body = '<div class="scroll">' + heatmap(
            list(table.index), list(table.columns), table.to_numpy().tolist(), name=section_id,
            color=TYPE_COLORS[cols],
        ) + "</div>"  # fmt: skip
    return _section(section_id, question, body, note)


def _trends(g, n: int) -> str:
    per_year = papers_per_year(g)
    if len(per_year) == 0:
        return _section(
            "trends",
            "What is rising and what is fading?",
            "",
            "No paper has a publication year, so there are no trends; inputs with dates (arXiv, OpenAlex, "
            "Semantic Scholar and most listings give them) show papers per year and emerging topics here.",
        )
    full = range(int(per_year.index.min()), int(per_year.index.max()) + 1)
    points = [(y, int(per_year.get(y, 0))) for y in full]
    parts = ["<h3>Papers per year</h3>", column_chart(points, name="papers-per-year")]
    counts = yearly_counts(g, types="Method", top=6)
    counts = counts[counts.sum(axis=1) >= 2]
    if not counts.empty and len(counts.columns) >= 2:
        parts.append("<h3>The most frequent methods, papers per year</h3>")
        parts.append(
            line_chart(
                [int(c) for c in counts.columns],
                [(label, row.tolist()) for label, row in counts.iterrows()],
                name="method-trends",
            )
        )
    header = ["Entity", "Type", "Dated papers", "Years", "Trend (share points/year)", "Recent share", "Earlier share"]

    def rows(df: pd.DataFrame):
        for r in df.itertuples():
            yield [
                r.label, r.type, int(r.papers), f"{r.first_year}–{r.last_year}", f"{r.slope:+.1f}",
                f"{100 * r.recent_share:.0f}%", f"{100 * r.earlier_share:.0f}%",
            ]  # fmt: skip

    if len(per_year) >= 2:
        parts.append("<h3>Emerging</h3>")
        parts.append(_table("emerging", header, rows(emerging(g, n=n)), numeric=(2, 4, 5, 6)))
        parts.append("<h3>Declining</h3>")
        parts.append(_table("declining", header, rows(declining(g, n=n)), numeric=(2, 4, 5, 6)))
    note = (
        "An entity's share of a year is the fraction of that year's papers that link to it; its trend is the "
        "slope of the share over the years (weighted by papers per year). Emerging: rising, and more common "
        "in the last two years than before; declining: the opposite. Entities in fewer than two dated papers "
        f"are left out. Papers without a year: {len(g.papers) - int(per_year.sum())}."
    )
    return _section("trends", "What is rising and what is fading?", "".join(parts), note)


def _communities(g, n: int, progress: Progress) -> str:
    found = communities(g, progress=progress)
    rows = []
    for r in found.head(n).itertuples():
        types = ", ".join(f"{k} {v}" for k, v in r.types.items())
        members = r.members[:12]
        more = f" … (+{len(r.members) - 12})" if len(r.members) > 12 else ""
        rows.append([r.community + 1, r.label, int(r.size), int(r.papers), types, ", ".join(members) + more])
    note = (
        "Entities are joined by the number of papers that link both; Louvain modularity (fixed seed) groups "
        "them, and each group is named after its most central members. "
        f"{_n(len(found), 'communities')} in all" + (f"; the {n} largest are shown." if len(found) > n else ".")
    )
    table = _table(
        "communities", ["#", "Named after", "Entities", "Papers", "Types", "Members (most central first)"], rows,
        numeric=(0, 2, 3),
    )  # fmt: skip
    return _section("communities", "Which groups of work belong together?", table, note)


def _topics(g, progress: Progress) -> str:
    found = topic_clusters(g, progress=progress)
    rows = [[r.topic + 1, int(r.size), r.years, ", ".join(r.terms), " · ".join(r.papers)] for r in found.itertuples()]
    note = (
        "Papers are clustered by the words of their titles and abstracts (TF-IDF and k-means, fixed seed); "
        "each cluster shows its most characteristic words and its most typical papers."
    )
    table = _table("topics", ["#", "Papers", "Years", "Top terms", "Typical papers"], rows, numeric=(0, 1))
    return _section("topics", "What do the papers cluster into?", table, note)


def _date(value: object) -> str:
    """A date to show: ISO dates as they are; a month and day without a year ("--02-27") as nothing."""
    text = _fmt(value)
    return text if text[:1].isdigit() else ""


def _proposed(g, n: int) -> str:
    df = method_proposals(g)
    rows = []
    for r in df.head(n).itertuples():
        papers = [
            _link(t, u) + (f" ({esc(_date(d))})" if _date(d) else "")
            for t, u, d in zip(r.titles[:3], r.urls[:3], r.dates[:3])
        ]
        more = f" … and {len(r.titles) - 3} more" if len(r.titles) > 3 else ""
        rows.append(
            [esc(r.method), esc(r.papers), esc(r.proposed_by), "<br>".join(papers) + esc(more),
             f'<span class="evidence">{esc(_fmt(r.evidence))}</span>']
        )  # fmt: skip
    shown = f" The first {n} of {len(df)} are shown." if len(df) > n else ""
    note = (
        "Methods that a paper says it introduces, with the sentence that says so; the most widely used first. "
        "Methods that three or more papers claim to propose come last: they are usually general terms." + shown
    )
    table = _table(
        "proposed", ["Method", "Papers using it", "Proposed by", "Proposed in", "Evidence"], rows,
        numeric=(1, 2), raw=(0, 1, 2, 3, 4),
    )  # fmt: skip
    return _section("proposed", "Which new methods were proposed, and where?", table, note)


def _results(g, n: int) -> str:
    df = top_results(g, n=n)
    rows = [
        [r.metric, r.value, _fmt(r.direction), _fmt(r.dataset), _fmt(r.method), _fmt(r.compared_with), r.title]
        for r in df.itertuples()
    ]
    note = (
        f"{len(g.results)} numeric results in all. Grouped by metric (the most reported first), the largest "
        "stated values first; a value is what the abstract states: a score, or a gain or reduction when the "
        "direction says so."
    )
    table = _table(
        "results", ["Metric", "Value", "Direction", "Dataset", "Method", "Compared with", "Paper"], rows,
        numeric=(1,),
    )  # fmt: skip
    return _section("results", "Which results do papers report?", table, note)


def _gaps(g, n: int, progress: Progress) -> str:
    df = gaps(g, n=n, progress=progress)
    rows = [
        [r.kind.replace("-", " / "), r.source, r.target, f"{r.normalized:.3f}", f"{r.score:.2f}", int(r.n_shared),
         ", ".join(r.shared)]
        for r in df.itertuples()
    ]  # fmt: skip
    note = (
        "Pairs that no paper links yet, but whose neighbours in the co-occurrence graph overlap: both appear "
        "with the same tasks, metrics, hardware and methods. Adamic-Adar sums the shared neighbours, each "
        "counting more the rarer it is; the score divides it by the two entities' own neighbourhoods (a "
        "weighted cosine from 0 to 1), so specific pairs rank above generic hubs. The last column gives the "
        "reason: the shared neighbours, rarest first. Entities in fewer than two papers, and pairs with fewer "
        "than two shared neighbours, are left out."
    )
    table = _table(
        "gaps", ["Pair", "Method", "Dataset / task", "Score", "Adamic-Adar", "Shared", "Why (shared neighbours)"],
        rows, numeric=(3, 4, 5),
    )  # fmt: skip
    return _section("gaps", "What has not been tried yet?", table, note)


_NAV = [
    ("overview", "Overview"),
    ("top-entities", "Top entities"),
    ("method-dataset", "Methods × datasets"),
    ("method-hardware", "Methods × hardware"),
    ("task-metric", "Tasks × metrics"),
    ("trends", "Trends"),
    ("communities", "Communities"),
    ("topics", "Topics"),
    ("proposed", "Proposed methods"),
    ("results", "Results"),
    ("gaps", "Gaps"),
]


def render_report(
    source,
    *,
    title: str = "Research knowledge graph",
    top: int = 10,
    progress: ProgressArg = no_progress,
) -> str:
    """Return the report page of a graph as one HTML string.

    Parameters
    ----------
    source : KnowledgeGraph or path
        A loaded graph or an output folder of ``kg build``.
    title : str
        Page title (escaped).
    top : int
        Entities per chart and rows per ranked table.
    progress : callable or bool, optional
        ``progress("report", sections done, sections)``; the heavy analyses
        report their own stages too. ``True`` draws progress bars (tqdm).

    Returns
    -------
    str
        A complete, self-contained HTML document.

    Examples
    --------
    >>> from kg.analysis import demo_graph
    >>> page = render_report(demo_graph())
    >>> 'data-label="LoRA" data-value="6"' in page
    True
    """
    g = as_graph(source)
    info = overview(g)
    with progress_bars(progress) as report:
        steps: list[Callable[[], str]] = [
            lambda: _overview(g, info),
            lambda: _top(g, top, report),
            lambda: _heat(
                g, "Method", "Dataset", 15, "method-dataset", "Which datasets is each method evaluated on?",
                "Papers that link both the method and the dataset; the methods and datasets that co-occur most.",
            ),
            lambda: _heat(
                g, "Method", "Hardware", 12, "method-hardware", "Which hardware do methods run on?",
                "Papers that link both the method and the hardware.",
            ),
            lambda: _heat(
                g, "Task", "Metric", 12, "task-metric", "How is each task measured?",
                "Papers that address the task and measure with the metric.",
            ),
            lambda: _trends(g, top),
            lambda: _communities(g, 15, report),
            lambda: _topics(g, report),
            lambda: _proposed(g, 50),
            lambda: _results(g, 25),
            lambda: _gaps(g, top, report),
        ]  # fmt: skip
        sections = []
        for i, step in enumerate(steps):
            report("report", i, len(steps))
            sections.append(step())
        report("report", len(steps), len(steps))
    years = f", {info['first_year']}–{info['last_year']}" if info["first_year"] is not None else ""
    nav = "".join(f'<a href="#{esc(i)}">{esc(t)}</a>' for i, t in _NAV)
    from kg import __version__

    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1 id="title">{esc(title)}</h1>'
        f'<div class="sub">A report of {info["papers"]} papers{esc(years)}, made by research-kg {esc(__version__)} '
        f"from the knowledge graph in {esc(g.path.name or str(g.path))}.</div><nav>{nav}</nav></header>"
        f"<main>{''.join(sections)}</main>"
        "<footer>Counts are of distinct papers. Entities are merged across spelling variants and acronyms; "
        "each number can be checked with <code>kg query</code> on the same store.</footer>"
        "</body></html>\n"
    )


def write_report(
    source,
    path: str | Path = "report.html",
    *,
    title: str = "Research knowledge graph",
    top: int = 10,
    progress: ProgressArg = no_progress,
) -> Path:
    """Write the report of a graph (a loaded graph or an output folder) to ``path``; return the path.

    The file is written to a temporary name first and then renamed, so a
    failure never leaves half a page. ``title``, ``top`` and ``progress``
    are as in :func:`render_report` (``progress=True`` draws progress bars).

    Raises
    ------
    StoreError
        If ``source`` is a folder without a built graph.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.analysis import demo_graph
    >>> out = write_report(demo_graph(), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    page = render_report(source, title=title, top=top, progress=progress)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
