"""Resumable paging: write pages of records to JSON Lines, with a state file beside them.

A fetch writes each page to the output, flushes it to disk, and only then
records in ``<output>.state.json`` the cursor of the next page (an offset,
an OpenAlex cursor or a Semantic Scholar token) and the output's size. If a
fetch stops (no network, rate limit, Ctrl-C), running the same command
again cuts off a half-written page, skips the papers already in the output
(by id), and continues from the saved cursor: no page is fetched twice and
no paper is written twice. A finished fetch can be extended by asking for
more papers (a larger ``--max``) with the same query.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
>>> def pages(cursor):
...     rows = [{"id": str(i), "title": f"P{i}", "abstract": "A."} for i in range(cursor, cursor + 2)]
...     return Page(rows, cursor + 2 if cursor < 4 else None, 6)
>>> summary = run_pages(pages, out, key={"query": "q"}, start=0, max_results=5)
>>> summary.new, summary.written, summary.complete
(5, 5, False)
>>> summary = run_pages(pages, out, key={"query": "q"}, start=0, max_results=50)
>>> summary.new, summary.written, summary.complete, summary.resumed
(1, 6, True, True)
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, FetchError

__all__ = [
    "STATE_SUFFIX",
    "FetchQuery",
    "FetchState",
    "FetchSummary",
    "Page",
    "Service",
    "fetch_error_for",
    "load_state",
    "run_pages",
    "save_state",
    "state_path",
]

#: The state file of ``papers.jsonl`` is ``papers.jsonl.state.json``.
STATE_SUFFIX = ".state.json"

#: A run stops after this many pages in a row that bring no record (arXiv sometimes answers an empty page).
MAX_EMPTY_PAGES = 3


@dataclass(frozen=True)
class Page:
    """One page of a service's answer: records (raw paper dicts), the next cursor (``None``: no more), the total."""

    records: list[dict[str, Any]]
    next: Any
    total: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class FetchQuery:
    """What to ask a service: the query, the earliest date (ISO), the page size and options."""

    base_url: str
    query: str
    since: str | None = None
    page_size: int = 100
    mailto: str | None = None
    bulk: bool = False

    @property
    def since_day(self) -> str | None:
        """``since`` as a full day: ``2023`` is ``2023-01-01``, ``2023-05`` is ``2023-05-01``."""
        return (self.since + "-01-01")[:10] if self.since else None


@dataclass(frozen=True)
class Service:
    """One paper service: where it is, how fast it may be asked, and how to fetch one page.

    ``start(query)`` is the cursor of the first page; ``fetch_page(client,
    query, cursor)`` returns a :class:`Page` whose records are raw paper
    dicts (``id``, ``title``, ``abstract``, ``date``, ``authors``, ``venue``,
    ``url``, ``doi``, ``arxiv_id``, ``openalex_id``, ``s2_id``). ``key_env``
    names the environment variable of an API key; ``retry_status`` adds
    statuses this service uses for "slow down" to the ones always retried.
    """

    name: str
    label: str
    base_url: str
    env_var: str
    interval: float
    page_size: int
    start: Callable[[FetchQuery], Any]
    fetch_page: Callable[[Any, FetchQuery, Any], Page]
    headers: Callable[[FetchQuery], dict[str, str]] = lambda query: {}
    key_env: str | None = None
    retry_status: frozenset[int] = frozenset()


@dataclass
class FetchState:
    """What ``<output>.state.json`` holds."""

    key: dict[str, Any]
    cursor: Any
    written: int = 0
    size: int = 0
    complete: bool = False
    total: int | None = None
    version: int = 1


@dataclass
class FetchSummary:
    """What a fetch did."""

    output: str
    state: str
    new: int = 0
    written: int = 0
    skipped: int = 0
    duplicates: int = 0
    total: int | None = None
    complete: bool = False
    resumed: bool = False
    requests: int = 0
    notes: list[str] = field(default_factory=list)


def state_path(output: str | Path) -> Path:
    """The state file beside ``output``."""
    output = Path(output)
    return output.with_name(output.name + STATE_SUFFIX)


def load_state(path: Path) -> FetchState | None:
    """The saved state, or ``None`` when there is none.

    Raises
    ------
    ConfigError
        If the file exists but is not a fetch state.
    """
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return FetchState(**data)
    except (ValueError, TypeError) as err:
        raise ConfigError(
            f"{path} is not a fetch state file ({err})", fix="delete it, or pass --restart to fetch anew"
        ) from err


def save_state(path: Path, state: FetchState) -> None:
    """Replace the state file atomically (a crash leaves the old or the new one, never half of one)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _known_ids(output: Path) -> set[str]:
    ids: set[str] = set()
    with open(output, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and record.get("id"):
                    ids.add(str(record["id"]))
    return ids


def _open_state(output: Path, key: dict[str, Any], start: Any, restart: bool) -> tuple[FetchState, bool]:
    spath = state_path(output)
    state = None if restart else load_state(spath)
    if state is not None and state.key != key:
        raise ConfigError(
            f"{output} holds a fetch of another query ({json.dumps(state.key, ensure_ascii=False)})",
            fix="pass --restart to replace it, or write to another file with -o",
        )
    if state is None:
        if not restart and output.exists() and output.stat().st_size > 0:
            raise ConfigError(
                f"{output} exists and was not written by kg fetch",
                fix="pass --restart to replace it, or write to another file with -o",
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(b"")
        state = FetchState(key=key, cursor=start)
        save_state(spath, state)
        return state, False
    if not output.exists():
        output.write_bytes(b"")
    size = output.stat().st_size
    if size > state.size:  # a page written but not committed when the fetch stopped
        with open(output, "r+b") as fh:
            fh.truncate(state.size)
    state.size = min(size, state.size)
    return state, True


def _in_range(record: dict[str, Any], since: str | None) -> bool:
    date = str(record.get("date") or "")
    return not since or not date or date >= since[: len(date)]


def run_pages(
    fetch_page: Callable[[Any], Page],
    output: str | Path,
    *,
    key: dict[str, Any],
    start: Any,
    max_results: int,
    since: str | None = None,
    restart: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> FetchSummary:
    """Fetch pages with ``fetch_page(cursor)`` into ``output`` until ``max_results`` papers are there.

    ``key`` names the query (service, query text, options); a state file
    with another key is refused. Records without an abstract are skipped
    (they cannot be built), and so are records whose ``date`` is before
    ``since`` and ids already written.

    Raises
    ------
    ConfigError
        If ``output`` holds another fetch or a file not written by a fetch.
    FetchError
        From ``fetch_page``; what was fetched so far is kept for resuming.
    """
    output = Path(output)
    state, resumed = _open_state(output, key, start, restart)
    spath = state_path(output)
    summary = FetchSummary(str(output), str(spath), written=state.written, resumed=resumed, total=state.total)
    known = _known_ids(output) if resumed else set()
    state.written = len(known) if resumed else 0
    summary.written = state.written
    empty_pages = 0
    with open(output, "ab") as fh:
        while state.written < max_results and not state.complete:
            page = fetch_page(state.cursor)
            if page.note and page.note not in summary.notes:
                summary.notes.append(page.note)
            lines = []
            taken_all = True
            for record in page.records:
                rid = str(record.get("id") or "")
                if not record.get("abstract"):
                    summary.skipped += 1
                elif not rid or rid in known:
                    summary.duplicates += 1
                elif _in_range(record, since):
                    if state.written + len(lines) >= max_results:
                        taken_all = False  # the rest of this page is fetched again if more are asked for
                        break
                    known.add(rid)
                    kept = {k: v for k, v in record.items() if v not in (None, "", [])}
                    lines.append(json.dumps(kept, ensure_ascii=False) + "\n")
            fh.write("".join(lines).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
            state.size = fh.tell()
            state.written += len(lines)
            state.total = page.total if page.total is not None else state.total
            empty_pages = empty_pages + 1 if not page.records else 0
            if taken_all:
                state.cursor = page.next
                state.complete = page.next is None or empty_pages >= MAX_EMPTY_PAGES
            save_state(spath, state)
            summary.new += len(lines)
            summary.written = state.written
            if progress:
                progress(state.written, max_results)
    summary.total = state.total
    summary.complete = state.complete
    return summary


def fetch_error_for(label: str, err: Exception) -> FetchError:
    """A FetchError for a service answer that is well-formed but not what the service documents."""
    return FetchError(
        f"{label} answered in an unexpected format ({err})",
        fix="check the service URL, or report this with the query you ran",
    )
