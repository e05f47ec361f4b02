"""Parse paper listings copied from paper sites as plain text.

Three shapes are read, in any mix:

* title / abstract line pairs, one after the other, perhaps after a first
  line holding the search query;
* daily listing pages: page furniture ("Get trending papers ...",
  "Subscribe", "Daily Papers", a page date), then for each paper its title,
  abstract and a metadata block ("• 5 authors" or an organisation line, "·",
  and "Apr 1 7": the date and the upvote count);
* search pages: the same with blank lines between everything.

The parser classifies lines (prose, short line, metadata, furniture) rather
than relying on blank lines, so all three shapes share one code path.

Examples
--------
>>> text = '''my query
... A Title About Things
... This abstract is long enough to be prose. It has two sentences and goes on a while.
...   • 3 authors
... ·
... Nov 28, 2017 4
... '''
>>> [(p.title, p.author_count, p.date, p.upvotes) for p in parse_listing(text.splitlines())]
[('A Title About Things', 3, '2017-11-28', 4)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.ingest.dates import LISTING_DATE_RE, parse_date
from kg.ingest.paper_fields import clean_text

__all__ = ["FURNITURE", "ListingPaper", "is_prose", "organization_name", "parse_listing"]

#: Lines of page furniture that are never titles.
FURNITURE: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "Trending Papers",
        "Search",
    )
)
_GLUED_FURNITURE = re.compile(r"^(?:Subscribe|new)(?=[A-Z0-9])")
_AUTHORS_RE = re.compile(r"^\s*[•·*-]?\s*(\d+)\s+authors?\s*$", re.IGNORECASE)
_DOT_RE = re.compile(r"^\s*[·•]\s*$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")

#: A line this long is prose, whatever else it looks like.
PROSE_CHARS = 200


def is_prose(line: str) -> bool:
    """Return True if ``line`` reads as (part of) an abstract rather than a title.

    >>> is_prose("Attention Is All You Need")
    False
    >>> is_prose("We study X. We find Y, which matters a lot for Z and for many other things too.")
    True
    """
    text = line.strip()
    if len(text) >= PROSE_CHARS:
        return True
    return len(text) >= 60 and len(_SENTENCE_END.findall(text)) >= 2


@dataclass
class ListingPaper:
    """A paper as a listing shows it; fields are filled as lines arrive."""

    title: str
    line: int
    abstract_parts: list[str] = field(default_factory=list)
    author_count: int | None = None
    organization: str | None = None
    date: str | None = None
    upvotes: int | None = None

    @property
    def abstract(self) -> str:
        return clean_text(" ".join(self.abstract_parts))


def organization_name(line: str) -> str:
    """Return the display name of an organisation line ("deepseek-ai DeepSeek" -> "DeepSeek").

    >>> organization_name("Fudan-University Fudan University")
    'Fudan University'
    """
    parts = clean_text(line).split(maxsplit=1)
    return parts[-1] if parts else ""


def _strip_furniture(line: str) -> str:
    text = clean_text(line)
    if text.casefold() in FURNITURE:
        return ""
    return _GLUED_FURNITURE.sub("", text)


def parse_listing(lines: Iterable[str]) -> Iterator[ListingPaper]:
    """Yield the papers of a listing, in order; line numbers are 1-based.

    Parameters
    ----------
    lines : iterable of str
        The lines of the listing, without line endings.

    Yields
    ------
    ListingPaper
        One per title followed by an abstract. A short line not followed by
        prose (a search query, a stray heading) is not a paper.
    """
    shorts: list[tuple[int, str]] = []  # short lines since the last prose line
    current: ListingPaper | None = None
    in_meta = False  # inside the metadata block after an abstract

    entries = [(n, _strip_furniture(raw)) for n, raw in enumerate(lines, start=1)]
    entries = [(n, t) for n, t in entries if t]

    for i, (number, text) in enumerate(entries):
        if is_prose(text):
            if shorts:
                if current is not None:
                    yield current
                title_line, title = shorts[-1]
                current = ListingPaper(title=clean_text(title), line=title_line)
                shorts = []
            elif current is None:
                continue  # prose with no title before it: nothing to attach to
            current.abstract_parts.append(text)
            in_meta = True
            continue
        if current is not None and in_meta:
            if m := _AUTHORS_RE.match(text):
                current.author_count = int(m.group(1))
                continue
            if _DOT_RE.match(text):
                continue
            if m := LISTING_DATE_RE.match(text):
                current.date = parse_date(
                    f"{m['month']} {m['day']}" + (f", {m['year']}" if m["year"] else "")
                )
                if m["upvotes"]:
                    current.upvotes = int(m["upvotes"])
                continue
            following = entries[i + 1][1] if i + 1 < len(entries) else ""
            if _DOT_RE.match(following):
                current.organization = organization_name(text)
                continue
        if LISTING_DATE_RE.match(text) and current is None:
            continue  # the page's own date
        in_meta = False
        shorts.append((number, text))
    if current is not None:
        yield current
