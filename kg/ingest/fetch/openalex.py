"""OpenAlex through its documented REST API (``api.openalex.org/works``).

The query is a full-text ``search``; ``since`` becomes the
``from_publication_date`` filter, and ``has_abstract:true`` leaves out works
without one. Pages are fetched with cursor paging (``cursor=*``, then
``meta.next_cursor``), 100 works at a time. OpenAlex does not ship abstracts
as text but as an ``abstract_inverted_index`` (word -> positions), which is
turned back into the text here.

OpenAlex asks for an API key (free, at openalex.org/settings/api) since
February 2026; without one only a few searches a day are answered. Set it in
``OPENALEX_API_KEY``; ``--mailto`` (or ``KG_MAILTO``) is sent as well. A 403
from OpenAlex means "slow down" and is retried like a 429.

Examples
--------
>>> abstract_from_inverted_index({"We": [0], "tune": [1, 4], "and": [3], "prune,": [2]})
'We tune prune, and tune'
>>> work = {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1234/ABC", "title": "T",
...         "abstract_inverted_index": {"A.": [0]}, "publication_date": "2024-02-01",
...         "authorships": [{"author": {"display_name": "Ada Lovelace"}}],
...         "locations": [{"landing_page_url": "https://arxiv.org/abs/2402.00001v1"}]}
>>> r = work_to_record(work)
>>> r["id"], r["doi"], r["arxiv_id"], r["authors"], r["abstract"]
('W1', '10.1234/abc', '2402.00001', ['Ada Lovelace'], 'A.')
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from kg.ingest.fetch.paging import FetchQuery, Page, Service, fetch_error_for
from kg.ingest.paper_fields import normalize_arxiv_id, normalize_doi, normalize_openalex_id

__all__ = ["BASE_URL", "SERVICE", "abstract_from_inverted_index", "work_to_record"]

BASE_URL = "https://api.openalex.org"

_SELECT = (
    "id,doi,title,display_name,publication_date,publication_year,authorships,"
    "primary_location,locations,abstract_inverted_index,ids"
)


def abstract_from_inverted_index(index: Mapping[str, Any] | None) -> str:
    """The abstract text from OpenAlex's ``abstract_inverted_index`` (word -> list of positions)."""
    if not index:
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions or ():
            if isinstance(position, int):
                words[position] = word
    return " ".join(words[i] for i in sorted(words))


def _name(obj: Any, *path: str) -> str | None:
    for key in path:
        obj = obj.get(key) if isinstance(obj, Mapping) else None
    return obj if isinstance(obj, str) and obj.strip() else None


def work_to_record(work: Mapping[str, Any]) -> dict[str, Any]:
    """Turn one OpenAlex work into a raw paper record."""
    primary = work.get("primary_location") or {}
    locations = [loc for loc in [primary, *(work.get("locations") or [])] if isinstance(loc, Mapping)]
    doi = normalize_doi(work.get("doi") or _name(work, "ids", "doi"))
    arxiv_id = normalize_arxiv_id(doi) if doi else None
    for loc in locations:
        for key in ("landing_page_url", "pdf_url"):
            arxiv_id = arxiv_id or normalize_arxiv_id(loc.get(key) or "")
    openalex_id = normalize_openalex_id(work.get("id") or "")
    date = work.get("publication_date") or work.get("publication_year")
    return {
        "id": openalex_id,
        "title": " ".join(str(work.get("title") or work.get("display_name") or "").split()),
        "abstract": " ".join(abstract_from_inverted_index(work.get("abstract_inverted_index")).split()),
        "date": str(date) if date else None,
        "authors": [
            name
            for a in work.get("authorships") or []
            if (name := _name(a, "author", "display_name") or _name(a, "raw_author_name"))
        ],
        "venue": _name(primary, "source", "display_name"),
        "url": primary.get("landing_page_url") or (f"https://doi.org/{doi}" if doi else None),
        "doi": doi,
        "arxiv_id": arxiv_id,
        "openalex_id": openalex_id,
    }


def parse_works(body: bytes) -> Page:
    """Turn one page of ``/works`` into a :class:`Page` (the next cursor is ``meta.next_cursor``)."""
    data = json.loads(body)
    try:
        meta = data.get("meta") or {}
        works = data["results"]
        records = [work_to_record(w) for w in works if isinstance(w, Mapping)]
    except (AttributeError, KeyError, TypeError) as err:
        raise fetch_error_for("OpenAlex", err) from err
    cursor = meta.get("next_cursor") if works else None
    return Page(records, cursor or None, meta.get("count"))


def fetch_page(client, query: FetchQuery, cursor: str) -> Page:
    """Fetch the page at ``cursor`` (``*`` for the first)."""
    filters = ["has_abstract:true"]
    if query.since_day:
        filters.append(f"from_publication_date:{query.since_day}")
    params = {
        "search": query.query,
        "filter": ",".join(filters),
        "per_page": query.page_size,
        "cursor": cursor,
        "select": _SELECT,
        "mailto": query.mailto or os.environ.get("KG_MAILTO") or None,
        "api_key": os.environ.get("OPENALEX_API_KEY") or None,
    }
    return client.get(query.base_url.rstrip("/") + "/works", params, parse_works)


SERVICE = Service(
    name="openalex",
    label="OpenAlex",
    base_url=BASE_URL,
    env_var="KG_OPENALEX_URL",
    interval=0.15,
    page_size=100,
    start=lambda query: "*",
    fetch_page=fetch_page,
    key_env="OPENALEX_API_KEY",
    retry_status=frozenset({403}),
)
