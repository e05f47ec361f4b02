"""Semantic Scholar through its documented Graph API (``api.semanticscholar.org/graph/v1``).

Two searches, as the API documents them:

* relevance search (``/paper/search``, the default): the most relevant
  papers first, offset paging (``offset``, then ``next``), 100 a page; the
  API returns at most the first 1,000 results;
* bulk search (``/paper/search/bulk``, ``--bulk``): token paging (``token``),
  1,000 a page and no cap, with a boolean query syntax (``+``, ``|``, ``-``,
  ``"phrase"``).

``since`` becomes ``publicationDateOrYear=<since>:``. Many papers have no
abstract in Semantic Scholar (publisher licences); they are skipped and
counted. Set ``SEMANTIC_SCHOLAR_API_KEY`` to send your key (``x-api-key``).

Examples
--------
>>> paper = {"paperId": "649def34f8be52c8b66281af98ae884c09aef38b", "title": "Attention Is All You Need",
...          "abstract": "The dominant models...", "externalIds": {"DOI": "10.5555/1", "ArXiv": "1706.03762"},
...          "year": 2017, "authors": [{"authorId": "1", "name": "Ashish Vaswani"}], "venue": "NeurIPS"}
>>> r = paper_to_record(paper)
>>> r["id"] == r["s2_id"], r["arxiv_id"], r["date"], r["venue"]
(True, '1706.03762', '2017', 'NeurIPS')
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from kg.ingest.fetch.paging import FetchQuery, Page, Service, fetch_error_for
from kg.ingest.paper_fields import normalize_arxiv_id, normalize_doi, normalize_s2_id

__all__ = ["BASE_URL", "RELEVANCE_LIMIT", "SERVICE", "paper_to_record"]

BASE_URL = "https://api.semanticscholar.org/graph/v1"

#: Relevance search returns no result past this offset (the API's documented cap).
RELEVANCE_LIMIT = 1000

FIELDS = "paperId,externalIds,url,title,abstract,venue,publicationVenue,year,publicationDate,authors"


def paper_to_record(paper: Mapping[str, Any]) -> dict[str, Any]:
    """Turn one Graph API paper into a raw paper record."""
    external = paper.get("externalIds") or {}
    venue = paper.get("venue") or (paper.get("publicationVenue") or {}).get("name")
    date = paper.get("publicationDate") or paper.get("year")
    s2_id = normalize_s2_id(paper.get("paperId") or "")
    return {
        "id": s2_id,
        "title": " ".join(str(paper.get("title") or "").split()),
        "abstract": " ".join(str(paper.get("abstract") or "").split()),
        "date": str(date) if date else None,
        "authors": [a["name"] for a in paper.get("authors") or [] if isinstance(a, Mapping) and a.get("name")],
        "venue": venue or None,
        "url": paper.get("url"),
        "doi": normalize_doi(external.get("DOI")),
        "arxiv_id": normalize_arxiv_id(external.get("ArXiv") or ""),
        "s2_id": s2_id,
    }


def _parse(body: bytes, bulk: bool, offset: int) -> Page:
    data = json.loads(body)
    try:
        papers = data.get("data") or []
        records = [paper_to_record(p) for p in papers if isinstance(p, Mapping)]
        total = data.get("total")
    except (AttributeError, TypeError) as err:
        raise fetch_error_for("Semantic Scholar", err) from err
    if bulk:
        return Page(records, data.get("token") or None, total)
    following = data.get("next")
    note = None
    if following is not None and following >= RELEVANCE_LIMIT:
        following = None
        note = f"Semantic Scholar's relevance search stops at {RELEVANCE_LIMIT} papers; use --bulk for more"
    return Page(records, following if papers else None, total, note)


def fetch_page(client, query: FetchQuery, cursor: Any) -> Page:
    """Fetch one page: at offset ``cursor`` (relevance) or with token ``cursor`` (bulk, ``""`` first)."""
    params: dict[str, Any] = {"query": query.query, "fields": FIELDS}
    if query.since:
        params["publicationDateOrYear"] = f"{query.since}:"
    base = query.base_url.rstrip("/")
    if query.bulk:
        params["token"] = cursor or None
        return client.get(base + "/paper/search/bulk", params, lambda body: _parse(body, True, 0))
    offset = int(cursor)
    params["offset"] = offset
    params["limit"] = max(1, min(query.page_size, RELEVANCE_LIMIT - offset))
    return client.get(base + "/paper/search", params, lambda body: _parse(body, False, offset))


def _headers(query: FetchQuery) -> dict[str, str]:
    key = os.environ.get("SEMANTIC_SCHOLAR_API_KEY") or os.environ.get("S2_API_KEY")
    return {"x-api-key": key} if key else {}


SERVICE = Service(
    name="semanticscholar",
    label="Semantic Scholar",
    base_url=BASE_URL,
    env_var="KG_SEMANTICSCHOLAR_URL",
    interval=1.1,
    page_size=100,
    start=lambda query: "" if query.bulk else 0,
    fetch_page=fetch_page,
    headers=_headers,
    key_env="SEMANTIC_SCHOLAR_API_KEY",
)
