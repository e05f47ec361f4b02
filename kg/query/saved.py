"""The library of saved SPARQL queries in ``pipelines/queries/*.rq``.

Each file starts with ``#`` comment lines; the first says what question the
query answers, and is what ``kg query --list`` shows.

Examples
--------
>>> q = saved_queries()["top-methods"]
>>> q.description.startswith("Which methods")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError
from kg.resources import queries_dir

__all__ = ["SavedQuery", "looks_like_sparql", "resolve_query", "saved_queries"]

_SPARQL_START = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|WITH|LOAD|CLEAR|DROP|CREATE)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A saved query: its name (file stem), file, description and text."""

    name: str
    path: Path
    description: str
    text: str


def _describe(text: str) -> str:
    """The first comment line: the question the query answers."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.lstrip("#").strip():
            return line.lstrip("#").strip()
    return ""


def saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Return the saved queries by name, sorted."""
    folder = directory or queries_dir()
    out = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = SavedQuery(path.stem, path, _describe(text), text)
    return out


def looks_like_sparql(text: str) -> bool:
    """True if ``text`` starts like a SPARQL query or update."""
    return bool(_SPARQL_START.match(text))


def resolve_query(arg: str) -> str:
    """Return the SPARQL text that ``arg`` names: a saved query name, an ``.rq`` file or SPARQL itself.

    Raises
    ------
    QueryError
        If ``arg`` is none of these.
    """
    saved = saved_queries()
    if arg in saved:
        return saved[arg].text
    path = Path(arg)
    if arg.endswith((".rq", ".sparql")):
        if not path.is_file():
            raise QueryError(f"no such query file: {arg}", fix="check the path")
        return path.read_text(encoding="utf-8")
    if looks_like_sparql(arg):
        return arg
    names = ", ".join(saved) or "none"
    raise QueryError(f"{arg!r} is not SPARQL, a .rq file or a saved query", fix=f"saved queries: {names}")
