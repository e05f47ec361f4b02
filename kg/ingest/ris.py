"""Read RIS files (EndNote, Zotero, Scopus, Web of Science exports): one paper per record.

The file is streamed record by record (``TY  -`` to ``ER  -``) and each
record is parsed by rispy, so a bad record is reported with the line it
starts on and the others are kept. Title (``TI``/``T1``), abstract
(``AB``/``N2``), authors (``AU``/``A1``, ``Last, First`` becomes ``First
Last``), date (``DA``, ``PY``, ``Y1``), venue (``JF``, ``JO``, ``T2``,
``J2``), ``DO`` and the first ``UR`` are kept; an arXiv link or arXiv DOI
gives the arXiv id.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.ingest.textio import sniff
>>> p = pathlib.Path(tempfile.mkdtemp()) / "refs.ris"
>>> _ = p.write_text('''TY  - JOUR
... TI  - Attention Is All You Need
... AU  - Vaswani, Ashish
... AB  - We propose the Transformer.
... PY  - 2017/12/04/
... DO  - 10.48550/arXiv.1706.03762
... ER  -
... TY  - CONF
... TI  - No abstract
... ER  -
... ''')
>>> paper, bad = read_ris(sniff(p))
>>> paper.authors, paper.date, paper.arxiv_id, bad.line, bad.reason
(('Ashish Vaswani',), '2017-12-04', '1706.03762', 8, 'missing abstract')
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.ingest.paper_fields import make_paper
from kg.ingest.readers import Item, ReadWarning
from kg.ingest.textio import Sniffed, iter_lines
from kg.records import BadRecord

__all__ = ["read_ris", "ris_to_record"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: |$)")
_RIS_DATE = re.compile(r"^\s*(\d{4})(?:/(\d{1,2})?(?:/(\d{1,2})?)?)?")


def _ris_date(value: object) -> str | None:
    """``2017/12/04/`` or ``2017///`` as ISO 8601; anything else is passed on as written."""
    text = str(value or "").strip()
    m = _RIS_DATE.match(text)
    if not m:
        return text or None
    year, month, day = m.groups()
    if month and day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{int(month):02d}" if month else year


def _name(value: str) -> str:
    last, comma, first = value.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if comma and first.strip() else value.strip()


def ris_to_record(entry: dict) -> dict[str, object]:
    """Turn one rispy record into a raw paper record.

    >>> ris_to_record({"primary_title": "T", "notes_abstract": "A.", "first_authors": ["Doe, Jane"]})
    {'title': 'T', 'abstract': 'A.', 'authors': ['Jane Doe']}
    """
    record: dict[str, object] = {}
    if entry.get("id"):
        record["id"] = entry["id"]
    for name, tags in (
        ("title", ("title", "primary_title", "translated_title")),
        ("abstract", ("abstract", "notes_abstract")),
        ("venue", ("alternate_title3", "journal_name", "secondary_title", "alternate_title1")),
        ("doi", ("doi",)),
    ):
        value = next((entry[t] for t in tags if entry.get(t)), None)
        if value:
            record[name] = value
    authors = [_name(a) for a in (entry.get("authors") or entry.get("first_authors") or []) if a.strip()]
    if authors:
        record["authors"] = authors
    date = next((entry[t] for t in ("date", "year", "publication_year") if entry.get(t)), None)
    if date:
        record["date"] = _ris_date(date)
    urls = entry.get("urls") or []
    if urls:
        record["url"] = urls[0]
    return record


def _records(sniffed: Sniffed) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line, lines)`` of each record, from a ``TY`` tag to its ``ER`` tag."""
    start, lines = 0, []
    for number, line in iter_lines(sniffed):
        line = line.lstrip("\ufeff").rstrip("\r\n")
        tag = _TAG.match(line)
        if tag and tag.group(1) == "TY":
            if lines:  # a record without its ER: keep what it has
                yield start, lines
            start, lines = number, [line]
        elif lines:
            lines.append(line)
            if tag and tag.group(1) == "ER":
                yield start, lines
                lines = []
    if lines:
        yield start, lines


def read_ris(sniffed: Sniffed) -> Iterator[Item]:
    """Read an RIS file, one paper per ``TY`` ... ``ER`` record."""
    import rispy

    path = str(sniffed.path)
    for line, lines in _records(sniffed):
        if not lines[-1].startswith("ER"):
            lines = [*lines, "ER  - "]
        try:
            parsed = rispy.loads("\n".join(lines) + "\n", skip_unknown_tags=True)
        except Exception as err:  # rispy raises plain IOError/ValueError on malformed records
            yield BadRecord(path, line, f"unreadable RIS record ({err})")
            continue
        for entry in parsed:
            notes: list[str] = []
            result = make_paper(ris_to_record(entry), f"{path}:{line}", notes.append)
            if isinstance(result, str):
                yield BadRecord(path, line, result)
                continue
            yield from (ReadWarning(path, line, note) for note in notes)
            yield result
