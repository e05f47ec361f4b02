"""Hand-written inline SVG charts: horizontal bars, a heat map, columns per year, lines per year.

Every string is HTML-escaped; each mark carries its numbers in ``data-*``
attributes and a ``<title>`` (the browser's tooltip), so the charts can be
read by people and checked by tests without any JavaScript.

Examples
--------
>>> svg = bar_chart([("LoRA", 6), ("<b>x</b>", 1)], series="Method")
>>> 'data-label="LoRA" data-value="6"' in svg, "<b>" in svg, "&lt;b&gt;x&lt;/b&gt;" in svg
(True, False, True)
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

__all__ = ["PALETTE", "TYPE_COLORS", "bar_chart", "column_chart", "esc", "heatmap", "line_chart"]

#: Colour per entity type (colour-blind safe Okabe-Ito palette, as the viewer).
TYPE_COLORS: dict[str, str] = {
    "Method": "#0072B2",
    "Task": "#E69F00",
    "Dataset": "#009E73",
    "Hardware": "#CC79A7",
    "Metric": "#D55E00",
    "Paper": "#999999",
}
#: Colours of series in line charts.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def esc(value: object) -> str:
    """HTML-escape any value (quotes too), for text and attributes alike.

    >>> esc('<script>"x"</script>')
    '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
    """
    return html.escape(str(value), quote=True)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _num(value: float) -> str:
    """A number as a short text: integers without decimals, others with up to 3 significant decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def _unit(value: float, unit: str) -> str:
    """``unit`` in the singular for a value of 1 (``papers`` -> ``paper``)."""
    return unit[:-1] if value == 1 and unit.endswith("s") else unit


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    series: str = "",
    color: str | None = None,
    unit: str = "papers",
    width: int = 460,
    label_width: int = 190,
    bar_height: int = 20,
) -> str:
    """Horizontal bars, one per ``(label, value)``, longest scale = largest value.

    >>> "<svg" in bar_chart([("a", 1)]), bar_chart([]).count("<rect")
    (True, 0)
    """
    color = color or TYPE_COLORS.get(series, "#0072B2")
    gap = 6
    height = max(len(items), 1) * (bar_height + gap) + gap
    biggest = max((v for _, v in items), default=0) or 1
    room = width - label_width - 50
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(series or "bars")}" data-series="{esc(series)}" xmlns="http://www.w3.org/2000/svg" {_FONT}>'
    ]
    if not items:
        parts.append(f'<text x="4" y="{height - 8}" font-size="12" fill="#666">nothing to show</text>')
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = max(room * value / biggest, 1 if value else 0)
        parts.append(
            f'<g class="bar" data-series="{esc(series)}" data-label="{esc(label)}" data-value="{esc(_num(value))}">'
            f"<title>{esc(label)}: {esc(_num(value))} {esc(_unit(value, unit))}</title>"
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.72:.1f}" font-size="12" text-anchor="end" '
            f'fill="#222">{esc(_clip(str(label), 27))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="2" fill="{color}"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.72:.1f}" font-size="12" '
            f'fill="#222">{esc(_num(value))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _mix(color: str, t: float) -> str:
    """``color`` blended with white: ``t`` = 0 gives white, 1 the colour."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 + (c - 255) * t) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    name: str = "heatmap",
    color: str = "#0072B2",
    unit: str = "papers",
    cell: int = 30,
    label_width: int = 190,
    header_height: int = 120,
) -> str:
    """A rows x columns grid of cells shaded by value, with the value written in each non-zero cell.

    >>> svg = heatmap(["LoRA"], ["PG-19", "C4"], [[2, 0]], name="md")
    >>> 'data-row="LoRA" data-col="PG-19" data-value="2"' in svg, svg.count('class="cell"')
    (True, 2)
    """
    width = label_width + cell * len(columns) + 90  # room for the last slanted column label
    height = header_height + cell * len(rows) + 10
    biggest = max((v for row in values for v in row), default=0) or 1
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(name)}" data-name="{esc(name)}" xmlns="http://www.w3.org/2000/svg" {_FONT}>'
    ]
    for j, col in enumerate(columns):
        x = label_width + j * cell + cell / 2
        parts.append(
            f'<text class="col-label" x="{x:.1f}" y="{header_height - 6}" font-size="12" fill="#222" '
            f'transform="rotate(-50 {x:.1f} {header_height - 6})"><title>{esc(col)}</title>{esc(_clip(col, 20))}</text>'
        )
    for i, row in enumerate(rows):
        y = header_height + i * cell
        parts.append(
            f'<text class="row-label" x="{label_width - 6}" y="{y + cell * 0.65:.1f}" font-size="12" '
            f'text-anchor="end" fill="#222"><title>{esc(row)}</title>{esc(_clip(row, 27))}</text>'
        )
        for j, col in enumerate(columns):
            v = values[i][j]
            x = label_width + j * cell
            fill = _mix(color, 0.15 + 0.85 * math.sqrt(v / biggest)) if v else "#f3f3f3"
            ink = "#fff" if v and v / biggest > 0.45 else "#222"
            text = (
                f'<text x="{x + cell / 2:.1f}" y="{y + cell * 0.65:.1f}" font-size="11" text-anchor="middle" '
                f'fill="{ink}">{esc(_num(v))}</text>'
                if v
                else ""
            )
            parts.append(
                f'<g class="cell" data-row="{esc(row)}" data-col="{esc(col)}" data-value="{esc(_num(v))}">'
                f"<title>{esc(row)} × {esc(col)}: {esc(_num(v))} {esc(_unit(v, unit))}</title>"
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"/>{text}</g>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _axis_years(years: Sequence[int], x0: float, step: float, base: float) -> list[str]:
    every = max(1, math.ceil(len(years) / 12))
    return [
        f'<text x="{x0 + i * step:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" fill="#444">{y}</text>'
        for i, y in enumerate(years)
        if i % every == 0 or i == len(years) - 1
    ]


def column_chart(
    points: Sequence[tuple[int, float]],
    *,
    name: str = "per-year",
    color: str = "#999999",
    unit: str = "papers",
    width: int = 640,
    height: int = 200,
) -> str:
    """Vertical columns per year: ``(year, value)`` pairs.

    >>> 'data-year="2024" data-value="3"' in column_chart([(2023, 2), (2024, 3)])
    True
    """
    left, bottom, top = 40, 26, 14
    base = height - bottom
    biggest = max((v for _, v in points), default=0) or 1
    step = (width - left - 10) / max(len(points), 1)
    parts = [
        f'<svg class="chart columns" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(name)}" data-name="{esc(name)}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="#444">{esc(_num(biggest))}</text>',
        f'<text x="{left - 6}" y="{base}" font-size="11" text-anchor="end" fill="#444">0</text>',
    ]
    for i, (year, value) in enumerate(points):
        h = (base - top) * value / biggest
        x = left + i * step
        parts.append(
            f'<g class="column" data-year="{year}" data-value="{esc(_num(value))}">'
            f"<title>{year}: {esc(_num(value))} {esc(_unit(value, unit))}</title>"
            f'<rect x="{x + step * 0.12:.1f}" y="{base - h:.1f}" width="{step * 0.76:.1f}" height="{h:.1f}" '
            f'fill="{color}"/></g>'
        )
    parts += _axis_years([y for y, _ in points], left + step / 2, step, base)
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    name: str = "trends",
    unit: str = "papers",
    width: int = 640,
    height: int = 240,
    percent: bool = False,
) -> str:
    """One line per ``(label, values by year)``, with a legend; ``percent`` shows values as percentages.

    >>> svg = line_chart([2023, 2024], [("LoRA", [1, 3])])
    >>> 'data-series="LoRA" data-year="2024" data-value="3"' in svg
    True
    """
    left, bottom, top = 44, 26, 14
    legend_h = 18 * ((len(series) + 2) // 3)
    base = height - bottom
    total_h = height + legend_h
    biggest = max((v for _, vals in series for v in vals), default=0) or 1
    step = (width - left - 20) / max(len(years) - 1, 1)

    def fmt(v: float) -> str:
        return f"{100 * v:.0f}%" if percent else _num(v)

    parts = [
        f'<svg class="chart lines" viewBox="0 0 {width} {total_h}" width="{width}" height="{total_h}" role="img" '
        f'aria-label="{esc(name)}" data-name="{esc(name)}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" fill="#444">{esc(fmt(biggest))}</text>',
        f'<text x="{left - 6}" y="{base}" font-size="11" text-anchor="end" fill="#444">{esc(fmt(0))}</text>',
    ]
    for k, (label, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        coords = [(left + i * step, base - (base - top) * v / biggest) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<g class="series" data-series="{esc(label)}">')
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for (x, y), year, v in zip(coords, years, values):
            parts.append(
                f'<circle class="point" data-series="{esc(label)}" data-year="{year}" data-value="{esc(_num(v))}" '
                f'cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{esc(label)}, {year}: {esc(fmt(v))} '
                f"{'' if percent else esc(_unit(v, unit))}</title></circle>"
            )
        parts.append("</g>")
        lx = 10 + (k % 3) * (width - 20) / 3
        ly = height + 4 + 18 * (k // 3)
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly + 10:.1f}" font-size="12" fill="#222">{esc(_clip(label, 30))}</text>'
        )
    parts += _axis_years(list(years), left, step, base)
    parts.append("</svg>")
    return "".join(parts)
