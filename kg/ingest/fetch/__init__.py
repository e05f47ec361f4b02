"""Fetch papers from arXiv, OpenAlex and Semantic Scholar into JSON Lines.

Each service has a module speaking its documented HTTP API
(:mod:`~kg.ingest.fetch.arxiv`, :mod:`~kg.ingest.fetch.openalex`,
:mod:`~kg.ingest.fetch.semanticscholar`); :mod:`~kg.ingest.fetch.client`
paces, retries and backs off; :mod:`~kg.ingest.fetch.paging` writes the pages
and the state file that makes an interrupted fetch resumable.

The output is JSON Lines that ``kg build`` reads as it is: ``id``,
``title``, ``abstract``, ``date``, ``authors``, ``venue``, ``url`` and the
identifiers ``doi``, ``arxiv_id``, ``openalex_id``, ``s2_id``.

The service URL comes from ``base_url``, else the service's environment
variable (``KG_ARXIV_URL``, ``KG_OPENALEX_URL``, ``KG_SEMANTICSCHOLAR_URL``),
else the public API, so a mirror or a test server can stand in.

Examples
--------
>>> sorted(SERVICES)
['arxiv', 'openalex', 'semanticscholar']
>>> default_output("arxiv", "LoRA fine-tuning", "outputs").name
'arxiv-lora-fine-tuning-070da15e.jsonl'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from kg.errors import ConfigError
from kg.ingest.dates import parse_date
from kg.ingest.fetch import arxiv, openalex, semanticscholar
from kg.ingest.fetch.client import RETRY_STATUS, HttpClient, HttpPolicy
from kg.ingest.fetch.paging import FetchQuery, FetchSummary, Service, run_pages, state_path

__all__ = ["SERVICES", "FetchSummary", "HttpPolicy", "default_output", "fetch", "state_path"]

SERVICES: dict[str, Service] = {s.name: s for s in (arxiv.SERVICE, openalex.SERVICE, semanticscholar.SERVICE)}


def default_output(service: str, query: str, folder: str | Path) -> Path:
    """The file a fetch of ``query`` goes to inside ``folder``: ``<service>-<slug>-<hash>.jsonl``."""
    from kg.textnorm import slugify

    digest = hashlib.sha1(query.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return Path(folder) / f"{service}-{slugify(query, 40)}-{digest}.jsonl"


def _since(since: str | None) -> str | None:
    if not since:
        return None
    iso = parse_date(since)
    if iso is None or iso.startswith("--"):
        raise ConfigError(f"cannot read --since {since!r} as a date", fix="write it as YYYY, YYYY-MM or YYYY-MM-DD")
    return iso


def _base_url(service: Service, base_url: str | None) -> str:
    url = base_url or os.environ.get(service.env_var) or service.base_url
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{service.label} URL {url!r} is not an http(s) URL", fix=f"check --base-url or {service.env_var}"
        )
    return url


def fetch(
    service: str,
    query: str,
    output: str | Path,
    *,
    max_results: int = 100,
    since: str | None = None,
    base_url: str | None = None,
    mailto: str | None = None,
    bulk: bool = False,
    restart: bool = False,
    page_size: int | None = None,
    policy: HttpPolicy | None = None,
    progress: Callable[[int, int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> FetchSummary:
    """Fetch up to ``max_results`` papers matching ``query`` from ``service`` into ``output``.

    Parameters
    ----------
    service : str
        ``"arxiv"``, ``"openalex"`` or ``"semanticscholar"``.
    query : str
        The search, in the service's own syntax.
    output : path
        JSON Lines to write; ``<output>.state.json`` beside it records where
        the fetch is, so running the same call again resumes (or extends a
        finished fetch to a larger ``max_results``).
    since : str, optional
        Earliest publication (arXiv: submission) date, ``YYYY[-MM[-DD]]``.
    base_url : str, optional
        The service's API URL (default: its environment variable, then the public API).
    mailto : str, optional
        Your e-mail for OpenAlex's polite pool (default: ``KG_MAILTO``).
    bulk : bool
        Semantic Scholar only: bulk search (token paging, no 1,000 cap).
    restart : bool
        Discard ``output`` and its state and fetch anew.
    page_size : int, optional
        Records per request (default: the most the service allows, or ``max_results`` if fewer).
    policy : HttpPolicy, optional
        Pace, retries and back-off (default: the service's documented pace).
    progress, notify : callable, optional
        ``progress(written, wanted)`` after each page; ``notify(message)`` on waits and retries.

    Raises
    ------
    ConfigError
        For an unknown service, an empty query, a bad date or URL, or an
        ``output`` that holds something else.
    FetchError
        When the service cannot be reached or keeps failing; the papers
        fetched so far stay in ``output`` and the same call resumes.
    """
    if service not in SERVICES:
        raise ConfigError(f"unknown service {service!r}", fix="use one of: " + ", ".join(sorted(SERVICES)))
    svc = SERVICES[service]
    if not query.strip():
        raise ConfigError("empty query", fix=f"pass what to search {svc.label} for")
    if max_results < 1:
        raise ConfigError(f"--max must be at least 1, not {max_results}", fix="ask for 1 or more papers")
    if bulk and service != "semanticscholar":
        raise ConfigError("--bulk applies to semanticscholar only", fix="drop --bulk")
    request = FetchQuery(
        base_url=_base_url(svc, base_url),
        query=query.strip(),
        since=_since(since),
        page_size=max(1, min(page_size or svc.page_size, svc.page_size, max_results)),
        mailto=mailto,
        bulk=bulk,
    )
    client = HttpClient(
        svc.label,
        policy or HttpPolicy(interval=svc.interval),
        headers=svc.headers(request),
        notify=notify,
        env_var=svc.env_var,
        key_env=svc.key_env,
        retry_status=RETRY_STATUS | svc.retry_status,
    )
    key = {"service": service, "query": request.query, "since": request.since}
    if bulk:
        key["bulk"] = True
    summary = run_pages(
        lambda cursor: svc.fetch_page(client, request, cursor),
        output,
        key=key,
        start=svc.start(request),
        max_results=max_results,
        since=request.since,
        restart=restart,
        progress=progress,
    )
    summary.requests = client.requests
    return summary
