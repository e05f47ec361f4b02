"""arXiv through its documented API (``export.arxiv.org/api/query``, an Atom feed).

The query is arXiv's own search syntax (``ti:lora AND cat:cs.CL``, or plain
words); ``since`` becomes a ``submittedDate`` range. Results come newest
first (``sortBy=submittedDate``), so offset paging stays stable while new
papers arrive: a shifted page repeats papers (skipped by id), it never skips
one. arXiv asks for one request every 3 seconds; that is the default pace.

Examples
--------
>>> feed = b'''<feed xmlns="http://www.w3.org/2005/Atom"
...   xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
... <opensearch:totalResults>1</opensearch:totalResults>
... <entry><id>http://arxiv.org/abs/2106.09685v2</id><published>2021-06-17T17:37:18Z</published>
... <title>LoRA: Low-Rank Adaptation of
...   Large Language Models</title><summary>We propose LoRA.</summary>
... <author><name>Edward J. Hu</name></author><arxiv:doi>10.1000/x</arxiv:doi></entry></feed>'''
>>> page = parse_feed(feed, start=0)
>>> page.records[0]["id"], page.records[0]["title"], page.records[0]["date"], page.next
('2106.09685', 'LoRA: Low-Rank Adaptation of Large Language Models', '2021-06-17', None)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from kg.errors import FetchError
from kg.ingest.fetch.paging import FetchQuery, Page, Service
from kg.ingest.paper_fields import normalize_arxiv_id, normalize_doi

__all__ = ["BASE_URL", "SERVICE", "parse_feed"]

BASE_URL = "https://export.arxiv.org/api/query"

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _entry(entry: ET.Element) -> dict[str, Any] | None:
    raw_id = _text(entry.find("atom:id", _NS))
    arxiv_id = normalize_arxiv_id(raw_id)
    if arxiv_id is None:
        return None
    url = next(
        (
            link.get("href")
            for link in entry.findall("atom:link", _NS)
            if link.get("rel") == "alternate" and link.get("href")
        ),
        raw_id,
    )
    return {
        "id": arxiv_id,
        "title": _text(entry.find("atom:title", _NS)),
        "abstract": _text(entry.find("atom:summary", _NS)),
        "date": _text(entry.find("atom:published", _NS))[:10] or None,
        "authors": [_text(a.find("atom:name", _NS)) for a in entry.findall("atom:author", _NS)],
        "venue": _text(entry.find("arxiv:journal_ref", _NS)) or None,
        "url": url,
        "doi": normalize_doi(_text(entry.find("arxiv:doi", _NS))),
        "arxiv_id": arxiv_id,
    }


def parse_feed(body: bytes, start: int) -> Page:
    """Turn one Atom page of the API into a :class:`Page` (the next cursor is the next offset).

    Raises
    ------
    FetchError
        If the feed is arXiv's error feed (a malformed query).
    """
    root = ET.fromstring(body)
    entries = root.findall("atom:entry", _NS)
    for entry in entries:
        if "/api/errors" in _text(entry.find("atom:id", _NS)):
            raise FetchError(
                f"arXiv refused the query: {_text(entry.find('atom:summary', _NS))}",
                fix="see https://info.arxiv.org/help/api/user-manual.html#query_details",
            )
    total_text = _text(root.find("opensearch:totalResults", _NS))
    total = int(total_text) if total_text.isdigit() else None
    records = [r for r in (_entry(e) for e in entries) if r]
    if entries:
        following = start + len(entries)
        more = total is None or following < total
        return Page(records, following if more else None, total)
    # arXiv now and then answers an empty page inside the results: ask again (run_pages gives up after a few)
    return Page([], start if total and start < total else None, total)


def _search_query(query: FetchQuery) -> str:
    if not query.since_day:
        return query.query
    day = query.since_day.replace("-", "")
    return f"({query.query}) AND submittedDate:[{day}0000 TO 299912312359]"


def fetch_page(client, query: FetchQuery, start: int) -> Page:
    """Fetch the page that starts at offset ``start``."""
    params = {
        "search_query": _search_query(query),
        "start": start,
        "max_results": query.page_size,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    return client.get(query.base_url, params, lambda body: parse_feed(body, start))


SERVICE = Service(
    name="arxiv",
    label="arXiv",
    base_url=BASE_URL,
    env_var="KG_ARXIV_URL",
    interval=3.0,
    page_size=100,
    start=lambda query: 0,
    fetch_page=fetch_page,
)
