"""Turn one raw record (a dict of strings) into a :class:`~kg.records.Paper`.

Every reader (JSON Lines, CSV, listings, BibTeX) ends here, so the rules for
field names, cleaning and ids live in one place.

Examples
--------
>>> make_paper({"title": " A  <b>title</b>\\n", "abstract": "Text."}, "in.jsonl:1").title
'A <b>title</b>'
>>> make_paper({"title": "No abstract"}, "in.jsonl:2")
'missing abstract'
>>> p = make_paper({"title": "T", "abstract": "A.", "url": "https://arxiv.org/abs/2106.09685v2"}, "x:1")
>>> p.arxiv_id, normalize_doi("https://doi.org/10.48550/arXiv.2106.09685")
('2106.09685', '10.48550/arxiv.2106.09685')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from urllib.parse import quote, unquote

from kg.ingest.dates import parse_date
from kg.ingest.ids import clean_id, paper_id_for
from kg.records import Paper

__all__ = [
    "FIELD_ALIASES",
    "MAX_ABSTRACT_CHARS",
    "clean_text",
    "make_paper",
    "normalize_arxiv_id",
    "normalize_doi",
    "normalize_openalex_id",
    "normalize_s2_id",
]

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
    "doi": ("doi", "prism:doi", "bibo:doi"),
    "arxiv_id": ("arxiv_id", "arxivid", "arxiv", "eprint"),
    "openalex_id": ("openalex_id", "openalexid", "openalex"),
    "s2_id": ("s2_id", "s2id", "s2_paper_id", "semantic_scholar_id", "paperid"),
}

#: Abstracts longer than this are cut (and the cut is reported by the caller).
MAX_ABSTRACT_CHARS = 100_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves from JSON "\ud800" escapes; not encodable


def clean_text(value: object) -> str:
    """Return ``value`` as one clean line: NFC, no control characters, single spaces."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text))
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


_URL_HOST = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(?=[/?#]|$)")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URL_SAFE = ":/?@!$&'()*+,;=%-._~"  # RFC 3986 reserved and unreserved, less "#[]"


def _url(value: object) -> str | None:
    """An http(s) URL as a valid IRI (illegal characters percent-encoded), or ``None``."""
    text = clean_text(value)
    if not _URL_HOST.match(text):
        return None
    text = _BAD_PERCENT.sub("%25", text)
    head, hash_, fragment = text.partition("#")
    return quote(head, safe=_URL_SAFE) + hash_ + quote(fragment, safe=_URL_SAFE)


_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_ARXIV = r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})"
_ARXIV_ID = re.compile(rf"^(?:arxiv:\s*)?{_ARXIV}(?:v\d+)?$", re.IGNORECASE)
_ARXIV_LINK = re.compile(rf"(?:arxiv\.org/(?:abs|pdf)/|^10\.48550/arxiv\.){_ARXIV}(?:v\d+)?", re.IGNORECASE)
_OPENALEX_ID = re.compile(r"^(?:https?://(?:api\.)?openalex\.org/(?:works/)?)?(W\d+)$", re.IGNORECASE)
_S2_ID = re.compile(r"^(?:https?://(?:www\.)?semanticscholar\.org/paper/(?:[^/]+/)?)?([0-9a-f]{40})$", re.IGNORECASE)


def normalize_doi(value: object) -> str | None:
    """A DOI in lowercase without its resolver prefix (DOIs are case-insensitive), or ``None``.

    >>> normalize_doi("doi:10.1145/3442188.3445922."), normalize_doi("n/a")
    ('10.1145/3442188.3445922', None)
    """
    text = clean_text(value)
    if "doi.org/" in text.lower():
        text = unquote(text)
    m = _DOI.search(text)
    return m.group(0).rstrip(".,;").lower() if m else None


def normalize_arxiv_id(value: object) -> str | None:
    """An arXiv id without its version, from an id, ``arXiv:`` form, abs/pdf link or arXiv DOI.

    >>> normalize_arxiv_id("arXiv:2106.09685v2"), normalize_arxiv_id("http://arxiv.org/abs/hep-th/9901001v1")
    ('2106.09685', 'hep-th/9901001')
    """
    text = clean_text(value)
    m = _ARXIV_ID.match(text) or _ARXIV_LINK.search(text)
    return m.group(1) if m else None


def normalize_openalex_id(value: object) -> str | None:
    """An OpenAlex work id (``W`` and digits) from the id or its URL.

    >>> normalize_openalex_id("https://openalex.org/W2741809807")
    'W2741809807'
    """
    m = _OPENALEX_ID.match(clean_text(value))
    return m.group(1).upper() if m else None


def normalize_s2_id(value: object) -> str | None:
    """A Semantic Scholar paperId (40 hex digits) from the id or a paper page URL."""
    m = _S2_ID.match(clean_text(value))
    return m.group(1).lower() if m else None


def _identifiers(record: Mapping[str, object], url: str | None) -> dict[str, str | None]:
    """The DOI, arXiv, OpenAlex and S2 ids of a record; a DOI or arXiv link in the URL counts too."""
    nested: dict[str, object] = {}
    for key, value in record.items():  # raw S2 "externalIds" or OpenAlex "ids" objects
        if str(key).lower() in ("externalids", "ids") and isinstance(value, Mapping):
            nested.update({str(k).lower(): v for k, v in value.items()})
    doi = normalize_doi(_pick(record, "doi") or nested.get("doi"))
    if doi is None and url and "doi.org/" in url:
        doi = normalize_doi(url)
    arxiv_id = normalize_arxiv_id(_pick(record, "arxiv_id") or nested.get("arxiv"))
    for fallback in (doi, url):
        if arxiv_id is None and fallback:
            m = _ARXIV_LINK.search(fallback)
            arxiv_id = m.group(1) if m else None
    return {
        "doi": doi,
        "arxiv_id": arxiv_id,
        "openalex_id": normalize_openalex_id(_pick(record, "openalex_id") or nested.get("openalex")),
        "s2_id": normalize_s2_id(_pick(record, "s2_id")),
    }


def make_paper(
    record: Mapping[str, object], source: str, warn: Callable[[str], None] | None = None
) -> Paper | str:
    """Build a paper from a raw record, or return why it cannot be one.

    Parameters
    ----------
    record : Mapping
        Field names are matched case-insensitively against :data:`FIELD_ALIASES`.
    source : str
        ``"path:line"``, kept on the paper for reports.
    warn : callable, optional
        Called with a message for what was kept but changed (an abstract cut
        to :data:`MAX_ABSTRACT_CHARS`), so the caller can report it.

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
        if warn is not None:
            warn(f"abstract of {len(abstract)} characters cut to the first {MAX_ABSTRACT_CHARS}")
        abstract = abstract[:MAX_ABSTRACT_CHARS].rstrip()
    if len(title) > 1000:
        return "title longer than 1000 characters (is a column misaligned?)"
    authors = _authors(_pick(record, "authors"))
    url = _url(_pick(record, "url"))
    return Paper(
        id=clean_id(_pick(record, "id")) or paper_id_for(title, abstract),
        title=title,
        abstract=abstract,
        date=parse_date(_pick(record, "date")),
        authors=authors,
        author_count=len(authors) or None,
        organization=clean_text(_pick(record, "organization")) or None,
        venue=clean_text(_pick(record, "venue")) or None,
        url=url,
        source=source,
        **_identifiers(record, url),
    )
