"""kg fetch against a local server that answers like arXiv, OpenAlex and Semantic Scholar.

The server (http.server in a thread on 127.0.0.1) writes its answers in each
service's documented format: the arXiv API's Atom feed with offset paging,
OpenAlex ``/works`` JSON with ``abstract_inverted_index`` and cursor paging,
and the Semantic Scholar Graph API paper search with offset (relevance) and
token (bulk) paging. Faults are scripted per page: a status (500, 429 with
Retry-After), a connection dropped mid-body, or a body cut short. Waits go to
a list instead of sleeping, so the tests are fast and can check them.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

from kg.cli import main
from kg.errors import ConfigError, FetchError
from kg.ingest import read_papers
from kg.ingest.fetch import HttpPolicy, fetch, state_path
from kg.ingest.fetch.arxiv import parse_feed
from kg.ingest.fetch.client import retry_after_seconds
from kg.ingest.fetch.openalex import parse_works
from kg.ingest.fetch.semanticscholar import _parse as parse_s2

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Invented papers, newest first, as the services would index them.
PAPERS = [
    {
        "n": i,
        "arxiv": f"2403.{10000 + i}",
        "doi": f"10.5555/kg-test.{i}" if i % 2 == 0 else None,
        "title": f"Test Paper {i}: Sparse Tuning of Model {i}",
        "abstract": f"We tune model {i} with LoRA on {i + 1} NVIDIA A100 GPUs and gain {i}.5 points.",
        "date": f"2024-0{9 - i}-1{i}",
        "authors": [f"Author {i}A", f"Author {i}B"],
    }
    for i in range(7)
]


def _since(papers: list[dict], day: str | None) -> list[dict]:
    return [p for p in papers if not day or p["date"] >= day]


def arxiv_answer(params: dict[str, str]) -> tuple[str, bytes]:
    query = params.get("search_query", "")
    m = re.search(r"submittedDate:\[(\d{4})(\d{2})(\d{2})\d{4} TO", query)
    papers = _since(PAPERS, f"{m[1]}-{m[2]}-{m[3]}" if m else None)
    start, size = int(params.get("start", 0)), int(params.get("max_results", 10))
    entries = []
    for p in papers[start : start + size]:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p["authors"])
        doi = f'<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{p["doi"]}</arxiv:doi>' if p["doi"] else ""
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{p['arxiv']}v2</id><updated>{p['date']}T10:00:00Z</updated>"
            f"<published>{p['date']}T09:00:00Z</published><title>{escape(p['title'])}</title>"
            f"<summary>{escape(p['abstract'])}</summary>{authors}{doi}"
            f'<link href="http://arxiv.org/abs/{p["arxiv"]}v2" rel="alternate" type="text/html"/></entry>'
        )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<title>ArXiv Query: {escape(query)}</title>"
        f"<opensearch:totalResults>{len(papers)}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>{''.join(entries)}</feed>"
    )
    return "application/atom+xml", feed.encode()


def openalex_work(p: dict) -> dict:
    words: dict[str, list[int]] = {}
    for i, word in enumerate(p["abstract"].split()):
        words.setdefault(word, []).append(i)
    return {
        "id": f"https://openalex.org/W{900 + p['n']}",
        "doi": f"https://doi.org/{p['doi']}" if p["doi"] else f"https://doi.org/10.48550/arxiv.{p['arxiv']}",
        "title": p["title"],
        "display_name": p["title"],
        "publication_date": p["date"],
        "publication_year": int(p["date"][:4]),
        "primary_location": {"landing_page_url": f"https://arxiv.org/abs/{p['arxiv']}", "source": None},
        "authorships": [{"author": {"display_name": a}} for a in p["authors"]],
        "abstract_inverted_index": words,
    }


def openalex_answer(params: dict[str, str]) -> tuple[str, bytes]:
    m = re.search(r"from_publication_date:([\d-]+)", params.get("filter", ""))
    papers = _since(PAPERS, m[1] if m else None)
    cursor = params.get("cursor", "*")
    start = 0 if cursor == "*" else int(cursor.removeprefix("c"))
    size = int(params.get("per_page", 25))
    page = papers[start : start + size]
    following = f"c{start + size}" if start + size < len(papers) else None
    body = {
        "meta": {"count": len(papers), "per_page": size, "next_cursor": following},
        "results": [openalex_work(p) for p in page],
        "group_by": [],
    }
    return "application/json", json.dumps(body).encode()


def s2_paper(p: dict) -> dict:
    return {
        "paperId": f"{p['n']:040x}",
        "externalIds": {"ArXiv": p["arxiv"], **({"DOI": p["doi"].upper()} if p["doi"] else {})},
        "url": f"https://www.semanticscholar.org/paper/{p['n']:040x}",
        "title": p["title"],
        "abstract": None if p["n"] == 2 else p["abstract"],  # S2 often has no abstract (publisher licence)
        "venue": "arXiv.org",
        "year": int(p["date"][:4]),
        "publicationDate": p["date"],
        "authors": [{"authorId": str(k), "name": a} for k, a in enumerate(p["authors"])],
    }


def s2_answer(path: str, params: dict[str, str]) -> tuple[str, bytes]:
    since = params.get("publicationDateOrYear", "").rstrip(":") or None
    papers = _since(PAPERS, since)
    if path.endswith("/bulk"):
        start = int(params.get("token", "t0").removeprefix("t"))
        page = papers[start : start + 3]
        token = f"t{start + 3}" if start + 3 < len(papers) else None
        body = {"total": len(papers), "token": token, "data": [s2_paper(p) for p in page]}
    else:
        start, size = int(params.get("offset", 0)), int(params.get("limit", 10))
        page = papers[start : start + size]
        body = {"total": len(papers), "offset": start, "data": [s2_paper(p) for p in page]}
        if start + size < len(papers):
            body["next"] = start + size
    return "application/json", json.dumps(body).encode()


class FakeServices:
    """What the server answers, the faults it plays, and the requests it saw."""

    def __init__(self) -> None:
        self.url = ""
        self.faults: dict[tuple[str, str], list] = {}
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []

    def fault(self, route: str, cursor: str, *actions) -> None:
        self.faults.setdefault((route, cursor), []).extend(actions)

    def pages(self, route: str) -> list[str]:
        """The cursor of each request to ``route``, in order."""
        return [_cursor(path, params) for path, params, _ in self.requests if path == route]


def _cursor(path: str, params: dict[str, str]) -> str:
    return params.get("start") or params.get("cursor") or params.get("offset") or params.get("token") or ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        return None

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        fake: FakeServices = self.server.fake  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        fake.requests.append((url.path, params, {k.lower(): v for k, v in self.headers.items()}))
        if url.path == "/arxiv/api/query":
            ctype, body = arxiv_answer(params)
        elif url.path == "/openalex/works":
            ctype, body = openalex_answer(params)
        elif url.path.startswith("/s2/graph/v1/paper/search"):
            ctype, body = s2_answer(url.path, params)
        else:
            self._send(404, "application/json", b'{"error": "Not found"}')
            return
        actions = fake.faults.get((url.path, _cursor(url.path, params)))
        action = actions.pop(0) if actions else None
        if action == "drop":  # headers promise the whole body, half comes, the connection closes
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif action == "cut":  # no length given: the body just stops
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif isinstance(action, tuple) and action[0] == 429:
            self._send(429, "application/json", b'{"message": "Too Many Requests"}', {"Retry-After": action[1]})
        elif isinstance(action, int):
            self._send(action, "application/json", b'{"message": "Internal Server Error"}')
        else:
            self._send(200, ctype, body)


@pytest.fixture()
def fake():
    services = FakeServices()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.fake = services  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    services.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield services
    server.shutdown()
    server.server_close()


@pytest.fixture()
def sleeps() -> list[float]:
    return []


@pytest.fixture()
def policy(sleeps) -> HttpPolicy:
    return HttpPolicy(
        interval=0.5, retries=3, connect_retries=1, backoff=0.25, max_backoff=1.0, timeout=5, sleep=sleeps.append
    )


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the documented formats, parsed from sample pages --------------------------------------------


def test_sample_pages_of_each_service_parse_into_records_with_identifiers():
    arxiv = parse_feed((FIXTURES / "fetch_arxiv_page.xml").read_bytes(), start=0)
    assert arxiv.next == 2 and arxiv.total == 5
    first, old = arxiv.records
    assert first["id"] == first["arxiv_id"] == "2402.05678"
    assert first["title"] == "QuantEdge: 4-bit Inference of Language Models on Jetson Orin"
    assert first["abstract"].startswith("QuantEdge runs 7B") and first["date"] == "2024-02-08"
    assert first["authors"] == ["Min-Jun Lee", "Ravi Patel"]
    assert old["arxiv_id"] == "hep-th/9901001" and old["doi"] == "10.5555/oldstyle.1999.1"
    assert old["venue"] == "Journal of Examples 12 (1999) 1-10"

    openalex = parse_works((FIXTURES / "fetch_openalex_page.json").read_bytes())
    assert openalex.next.startswith("IlsxMDAu") and openalex.total == 3
    work = openalex.records[0]
    assert work["abstract"] == (
        "QuantEdge runs 7B language models on a Jetson Orin with 4-bit weights, reaching 20 tokens per second."
    )
    assert (work["openalex_id"], work["arxiv_id"], work["doi"]) == (
        "W4391234567",
        "2402.05678",
        "10.48550/arxiv.2402.05678",
    )
    assert openalex.records[1]["abstract"] == "We fine-tune ViT-B/16 on 40 Raspberry Pi boards on CIFAR-100."
    assert openalex.records[1]["venue"] == "Journal of Example Learning"

    s2 = parse_s2((FIXTURES / "fetch_s2_search.json").read_bytes(), bulk=False, offset=0)
    assert s2.next == 2 and s2.total == 3
    paper, closed = s2.records
    assert paper["s2_id"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c" and paper["arxiv_id"] == "2402.05678"
    assert closed["abstract"] == "" and closed["doi"] == "10.5555/closed.2022.1"

    # the same paper from the three services, read together, is one paper with all its identifiers
    assert {r["arxiv_id"] for r in (first, work, paper)} == {"2402.05678"}


def test_arxiv_error_feed_is_a_clear_error():
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad</id>'
        b"<title>Error</title><summary>malformed query: ti:(</summary></entry></feed>"
    )
    with pytest.raises(FetchError, match="malformed query"):
        parse_feed(feed, start=0)


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0


# --- each service, paged ----------------------------------------------------------------------------


def test_arxiv_fetch_pages_politely_and_keeps_identifiers(fake, policy, sleeps, tmp_path):
    out = tmp_path / "papers.jsonl"
    summary = fetch("arxiv", "ti:tuning", out, max_results=5, page_size=2, base_url=fake.url + "/arxiv/api/query",
                    policy=policy)
    assert (summary.new, summary.written, summary.complete) == (5, 5, False)
    assert fake.pages("/arxiv/api/query") == ["0", "2", "4"]
    params = fake.requests[0][1]
    assert params["sortBy"] == "submittedDate" and params["search_query"] == "ti:tuning"
    assert "research-kg" in fake.requests[0][2]["user-agent"]
    assert len(sleeps) == 2 and all(0.1 < s <= 0.5 for s in sleeps)  # one polite wait between requests
    rows = _rows(out)
    assert [r["id"] for r in rows] == [p["arxiv"] for p in PAPERS[:5]]
    assert rows[0]["arxiv_id"] == PAPERS[0]["arxiv"] and rows[0]["doi"] == PAPERS[0]["doi"]
    assert rows[0]["url"].endswith("v2") and rows[0]["authors"] == PAPERS[0]["authors"]
    papers = read_papers([out]).papers
    assert papers[0].arxiv_id == PAPERS[0]["arxiv"] and papers[0].date == PAPERS[0]["date"]
    assert json.loads(state_path(out).read_text())["cursor"] == 4  # the last page was only partly taken


def test_arxiv_since_becomes_a_submitted_date_range(fake, policy, tmp_path):
    out = tmp_path / "recent.jsonl"
    summary = fetch("arxiv", "all:lora", out, since="2024-06", base_url=fake.url + "/arxiv/api/query",
                    policy=policy)
    assert "submittedDate:[202406010000 TO" in fake.requests[0][1]["search_query"]
    assert summary.complete and {r["date"] for r in _rows(out)} == {p["date"] for p in PAPERS[:4]}


def test_openalex_follows_the_cursor_and_rebuilds_abstracts(fake, policy, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_OPENALEX_URL", fake.url + "/openalex")
    monkeypatch.setenv("OPENALEX_API_KEY", "oa-key")
    out = tmp_path / "openalex.jsonl"
    summary = fetch("openalex", "sparse tuning", out, max_results=50, page_size=3, since="2024",
                    mailto="me@example.org", policy=policy)
    assert summary.complete and summary.written == 7 and summary.total == 7
    assert fake.pages("/openalex/works") == ["*", "c3", "c6"]
    params = fake.requests[0][1]
    assert params["search"] == "sparse tuning" and params["mailto"] == "me@example.org"
    assert params["api_key"] == "oa-key" and params["per_page"] == "3"
    assert params["filter"] == "has_abstract:true,from_publication_date:2024-01-01"
    rows = _rows(out)
    assert rows[3]["abstract"] == PAPERS[3]["abstract"]
    assert rows[3]["openalex_id"] == "W903" and rows[3]["arxiv_id"] == PAPERS[3]["arxiv"]
    assert rows[1]["doi"] == f"10.48550/arxiv.{PAPERS[1]['arxiv']}"


def test_semanticscholar_offset_paging_skips_papers_without_abstract(fake, policy, tmp_path, monkeypatch):
    monkeypatch.setenv("SEMANTIC_SCHOLAR_API_KEY", "test-key")
    out = tmp_path / "s2.jsonl"
    summary = fetch("semanticscholar", "sparse tuning", out, max_results=50, page_size=4,
                    base_url=fake.url + "/s2/graph/v1", policy=policy)
    assert fake.pages("/s2/graph/v1/paper/search") == ["0", "4"]
    assert fake.requests[0][2]["x-api-key"] == "test-key"
    assert "abstract" in fake.requests[0][1]["fields"]
    assert (summary.written, summary.skipped, summary.complete) == (6, 1, True)
    row = _rows(out)[0]
    assert row["s2_id"] == row["id"] == f"{0:040x}" and row["doi"] == PAPERS[0]["doi"]


def test_semanticscholar_bulk_search_follows_the_token(fake, policy, tmp_path):
    out = tmp_path / "bulk.jsonl"
    summary = fetch("semanticscholar", "sparse + tuning", out, max_results=50, bulk=True,
                    base_url=fake.url + "/s2/graph/v1", policy=policy)
    assert fake.pages("/s2/graph/v1/paper/search/bulk") == ["", "t3", "t6"]
    assert summary.complete and summary.written == 6


def test_the_same_paper_from_three_services_becomes_one_paper(fake, policy, tmp_path):
    files = []
    for service, url in (
        ("arxiv", "/arxiv/api/query"),
        ("openalex", "/openalex"),
        ("semanticscholar", "/s2/graph/v1"),
    ):
        files.append(tmp_path / f"{service}.jsonl")
        fetch(service, "tuning", files[-1], max_results=3, base_url=fake.url + url, policy=policy)
    result = read_papers(files)
    # S2 has no abstract for paper 2 and fetches paper 3 instead: 9 records, 4 papers
    assert len(result.papers) == 4 and result.report.duplicates == 5
    first = result.papers[0]
    assert (first.arxiv_id, first.doi, first.openalex_id, first.s2_id) == (
        PAPERS[0]["arxiv"],
        PAPERS[0]["doi"],
        "W900",
        f"{0:040x}",
    )


# --- errors, rate limits, interruptions ---------------------------------------------------------------


def test_a_server_error_is_retried_with_backoff(fake, policy, sleeps, tmp_path):
    policy.interval = 0.1
    fake.fault("/openalex/works", "*", 500, 403)  # OpenAlex answers 403 for "slow down"
    out = tmp_path / "p.jsonl"
    summary = fetch("openalex", "q", out, max_results=2, base_url=fake.url + "/openalex", policy=policy)
    assert summary.written == 2 and fake.pages("/openalex/works") == ["*", "*", "*"]
    assert 0.25 <= sleeps[0] <= 0.32 and 0.5 <= sleeps[1] <= 0.63  # exponential back-off with jitter


def test_rate_limit_honours_retry_after(fake, policy, sleeps, tmp_path):
    fake.fault("/s2/graph/v1/paper/search", "0", (429, "7"))
    notes: list[str] = []
    out = tmp_path / "p.jsonl"
    fetch("semanticscholar", "q", out, max_results=2, base_url=fake.url + "/s2/graph/v1", policy=policy,
          notify=notes.append)
    assert 7.0 in sleeps and "rate limited" in notes[0]
    assert len(_rows(out)) == 2


def test_a_long_retry_after_stops_with_a_message_and_the_fetch_resumes_later(fake, policy, tmp_path):
    fake.fault("/arxiv/api/query", "2", (429, "86400"))
    out = tmp_path / "p.jsonl"
    url = fake.url + "/arxiv/api/query"
    with pytest.raises(FetchError, match=r"asked to wait 86400 s") as info:
        fetch("arxiv", "q", out, max_results=4, page_size=2, base_url=url, policy=policy)
    assert "\n" not in str(info.value) and "resume" in str(info.value)
    assert len(_rows(out)) == 2
    fetch("arxiv", "q", out, max_results=4, page_size=2, base_url=url, policy=policy)
    assert [r["id"] for r in _rows(out)] == [p["arxiv"] for p in PAPERS[:4]]


@pytest.mark.parametrize("how", ["drop", "cut"])
def test_a_page_broken_off_mid_body_is_fetched_again(fake, policy, tmp_path, how):
    fake.fault("/openalex/works", "c2", how)
    out = tmp_path / "p.jsonl"
    summary = fetch("openalex", "q", out, max_results=6, page_size=2, base_url=fake.url + "/openalex",
                    policy=policy)
    assert fake.pages("/openalex/works") == ["*", "c2", "c2", "c4"]
    ids = [r["id"] for r in _rows(out)]
    assert summary.written == 6 and ids == [f"W{900 + i}" for i in range(6)]


def test_an_interrupted_fetch_resumes_where_it_stopped_without_duplicates(fake, policy, tmp_path):
    url = fake.url + "/s2/graph/v1"
    fake.fault("/s2/graph/v1/paper/search", "4", *["drop"] * 10)  # more drops than retries
    out = tmp_path / "p.jsonl"
    with pytest.raises(FetchError, match="dropped the connection"):
        fetch("semanticscholar", "q", out, max_results=50, page_size=2, base_url=url, policy=policy)
    assert len(_rows(out)) == 3  # pages 0 and 2 (paper 2 has no abstract)
    assert json.loads(state_path(out).read_text())["cursor"] == 4
    with open(out, "a", encoding="utf-8") as fh:  # the process died half way through writing a page
        fh.write('{"id": "half a rec')
    fake.faults.clear()
    before = len(fake.requests)
    summary = fetch("semanticscholar", "q", out, max_results=50, page_size=2, base_url=url, policy=policy)
    assert summary.resumed and summary.complete
    assert [_cursor(p, q) for p, q, _ in fake.requests[before:]] == ["4", "6"]  # pages 0 and 2 not fetched again
    ids = [r["id"] for r in _rows(out)]
    assert len(ids) == len(set(ids)) == 6


def test_finished_fetch_is_not_repeated_and_a_larger_max_extends_it(fake, policy, tmp_path):
    url = fake.url + "/arxiv/api/query"
    out = tmp_path / "p.jsonl"
    fetch("arxiv", "q", out, max_results=3, page_size=2, base_url=url, policy=policy)
    assert fake.pages("/arxiv/api/query") == ["0", "2"]
    again = fetch("arxiv", "q", out, max_results=3, page_size=2, base_url=url, policy=policy)
    assert again.new == 0 and again.written == 3 and fake.pages("/arxiv/api/query") == ["0", "2"]
    more = fetch("arxiv", "q", out, max_results=6, page_size=2, base_url=url, policy=policy)
    assert more.new == 3 and fake.pages("/arxiv/api/query") == ["0", "2", "2", "4"]
    ids = [r["id"] for r in _rows(out)]
    assert ids == [p["arxiv"] for p in PAPERS[:6]]


def test_output_of_another_query_or_not_from_fetch_is_refused_unless_restart(fake, policy, tmp_path):
    url = fake.url + "/arxiv/api/query"
    out = tmp_path / "p.jsonl"
    fetch("arxiv", "q", out, max_results=2, base_url=url, policy=policy)
    with pytest.raises(ConfigError, match="another query"):
        fetch("arxiv", "other", out, max_results=2, base_url=url, policy=policy)
    summary = fetch("arxiv", "other", out, max_results=1, base_url=url, policy=policy, restart=True)
    assert summary.written == 1 and len(_rows(out)) == 1
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"title": "T", "abstract": "A."}\n')
    with pytest.raises(ConfigError, match="not written by kg fetch"):
        fetch("arxiv", "q", mine, base_url=url, policy=policy)


def test_a_refused_request_is_not_retried(fake, policy, tmp_path):
    with pytest.raises(FetchError, match=r"refused the request with HTTP 404: Not found"):
        fetch("openalex", "q", tmp_path / "p.jsonl", base_url=fake.url + "/nowhere", policy=policy)
    assert len(fake.requests) == 1
    fake.fault("/s2/graph/v1/paper/search", "0", 403)
    with pytest.raises(FetchError, match=r"HTTP 403.*SEMANTIC_SCHOLAR_API_KEY"):
        fetch("semanticscholar", "q", tmp_path / "s2.jsonl", base_url=fake.url + "/s2/graph/v1", policy=policy)
    assert len(fake.requests) == 2


def test_bad_options_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown service"):
        fetch("scholar", "q", tmp_path / "p.jsonl")
    with pytest.raises(ConfigError, match="--since"):
        fetch("arxiv", "q", tmp_path / "p.jsonl", since="last week")
    with pytest.raises(ConfigError, match="--bulk"):
        fetch("arxiv", "q", tmp_path / "p.jsonl", bulk=True)


def test_no_network_is_a_one_line_fetch_error(policy, tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/api/query"
    with pytest.raises(FetchError) as info:
        fetch("arxiv", "q", tmp_path / "p.jsonl", base_url=url, policy=policy)
    message = str(info.value)
    assert message.startswith("[KG160] cannot reach arXiv at 127.0.0.1:") and "\n" not in message
    assert "KG_ARXIV_URL" in message and "network" in message


# --- the command line ---------------------------------------------------------------------------------


@pytest.fixture()
def fast_policy(monkeypatch, sleeps):
    """The CLI builds its own policy: make its waits instant."""
    import kg.ingest.fetch as fetch_module

    monkeypatch.setattr(
        fetch_module, "HttpPolicy", functools.partial(HttpPolicy, backoff=0.01, sleep=sleeps.append)
    )


def test_cli_fetch_writes_jsonl_and_reports(fake, fast_policy, tmp_path, capsys):
    out = tmp_path / "papers.jsonl"
    code = main(["fetch", "openalex", "tuning", "--max", "4", "-o", str(out), "--base-url", fake.url + "/openalex"])
    assert code == 0 and len(_rows(out)) == 4
    captured = capsys.readouterr()
    assert "OpenAlex: 4 new papers" in captured.err and "kg build" in captured.out


def test_cli_without_network_prints_one_line(fast_policy, tmp_path, capsys):
    url = f"http://127.0.0.1:{_closed_port()}"
    code = main(["fetch", "semanticscholar", "q", "-o", str(tmp_path / "p.jsonl"), "--base-url", url])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "[KG160] cannot reach Semantic Scholar" in lines[0]


def test_build_with_arxiv_fetches_into_the_output_folder(fake, fast_policy, tmp_path, monkeypatch):
    from rdflib import URIRef

    from kg.graph.iris import paper_iri
    from kg.graph.namespace import RKG
    from kg.graph.rdf import SCHEMA
    from kg.graph.store import store_to_graph

    monkeypatch.setenv("KG_ARXIV_URL", fake.url + "/arxiv/api/query")
    out = tmp_path / "out"
    args = ["build", "--arxiv", "ti:tuning", "--arxiv-max", "3", "--out", str(out), "--profile", "fast", "--no-viewer"]
    assert main(args) == 0
    fetched = list(out.glob("arxiv-ti-tuning-*.jsonl"))
    assert len(fetched) == 1 and state_path(fetched[0]).exists()
    g = store_to_graph(out)
    paper = paper_iri(PAPERS[0]["arxiv"])
    assert str(g.value(paper, RKG.arxivId)) == PAPERS[0]["arxiv"]
    assert (paper, SCHEMA.sameAs, URIRef(f"https://arxiv.org/abs/{PAPERS[0]['arxiv']}")) in g
    assert (paper, SCHEMA.sameAs, URIRef(f"https://doi.org/{PAPERS[0]['doi']}")) in g
    assert {str(g.value(a, SCHEMA.name)) for a in g.objects(paper, SCHEMA.author)} == set(PAPERS[0]["authors"])
    assert main(args) == 0  # the same command again: nothing new to fetch, the build is unchanged
    assert fake.pages("/arxiv/api/query") == ["0"]
