"""Turn one raw record (a dict of strings) into a :class:`~kg.records.Paper`.

Every reader (JSON Lines, CSV, listings, BibTeX) ends here, so the rules for
field names, cleaning and ids live in one place.

Examples
--------
>>> make_paper({"title": " A  <b>title</b>\\n", "abstract": "Text."}, "in.jsonl:1").title
'A <b>title</b>'
>>> make_paper({"title": "No abstract"}, "in.jsonl:2")
'missing abstract'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from kg.ingest.dates import parse_date
from kg.ingest.ids import clean_id, paper_id_for
from kg.records import Paper

__all__ = ["FIELD_ALIASES", "MAX_ABSTRACT_CHARS", "clean_text", "make_paper"]

#: Field names accepted for each paper attribute, first match wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "paper_id", "paperid", "doc_key", "key", "identifier"),
    "title": ("title", "paper_title", "name"),
    "abstract": ("abstract", "summary", "paperabstract", "abstract_text", "text", "description"),
    "date": ("date", "published", "publication_date", "year", "pub_date", "publicationdate"),
    "authors": ("authors", "author", "creators"),
    "venue": ("venue", "journal", "booktitle", "conference", "source"),
    "url": ("url", "link", "pdf_url", "landing_page_url"),
    "organization": ("organization", "organisation", "org", "affiliation"),
}

#: Abstracts longer than this are cut (and the cut is reported by the caller).
MAX_ABSTRACT_CHARS = 100_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Return ``value`` as one clean line: NFC, no control characters, single spaces."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _pick(record: Mapping[str, object], name: str) -> object:
    lowered = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    for alias in FIELD_ALIASES[name]:
        value = lowered.get(alias)
        if value not in (None, "", [], {}):
            return value
    return None


def _authors(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = (
            re.split(r"\s*;\s*|\s+and\s+", value) if ";" in value or " and " in value else value.split(",")
        )
        return tuple(p for p in (clean_text(x) for x in parts) if p)
    if isinstance(value, (list, tuple)):
        names = []
        for item in value:
            if isinstance(item, Mapping):
                item = (
                    item.get("name")
                    or item.get("display_name")
                    or " ".join(str(item.get(k, "")) for k in ("given", "family"))
                )
            name = clean_text(item)
            if name:
                names.append(name)
        return tuple(names)
    return ()


def _url(value: object) -> str | None:
    text = clean_text(value)
    return text if re.match(r"^https?://\S+$", text) else None


def make_paper(record: Mapping[str, object], source: str) -> Paper | str:
    """Build a paper from a raw record, or return why it cannot be one.

    Parameters
    ----------
    record : Mapping
        Field names are matched case-insensitively against :data:`FIELD_ALIASES`.
    source : str
        ``"path:line"``, kept on the paper for reports.

    Returns
    -------
    Paper or str
        The paper, or a short reason such as ``"missing abstract"``.
    """
    title = clean_text(_pick(record, "title"))
    abstract = clean_text(_pick(record, "abstract"))
    if not abstract:
        return "missing abstract"
    if len(abstract) > MAX_ABSTRACT_CHARS:
        abstract = abstract[:MAX_ABSTRACT_CHARS]
    if len(title) > 1000:
        return "title longer than 1000 characters (is a column misaligned?)"
    authors = _authors(_pick(record, "authors"))
    return Paper(
        id=clean_id(_pick(record, "id")) or paper_id_for(title, abstract),
        title=title,
        abstract=abstract,
        date=parse_date(_pick(record, "date")),
        authors=authors,
        author_count=len(authors) or None,
        organization=clean_text(_pick(record, "organization")) or None,
        venue=clean_text(_pick(record, "venue")) or None,
        url=_url(_pick(record, "url")),
        source=source,
    )
