"""Read BibTeX (and BibLaTeX) files: one paper per entry.

Entries are split and parsed by bibtexparser 2: ``@string`` macros are
resolved and the outer braces or quotes removed. Title, abstract, names and
venue are then decoded from LaTeX (``M{\\"u}ller`` becomes ``Müller``,
``{LoRA}`` becomes ``LoRA``, ``3$\\times$`` becomes ``3×``); ``url``, ``doi`` and
``eprint`` are left as they are, since ``~`` and ``_`` mean something else
there. Names written ``Last, First`` become ``First Last``. The citation key
is the paper id; the DOI, the arXiv id (``eprint`` with ``archivePrefix =
arXiv``, or an arXiv URL), the venue (``journal``, ``booktitle``,
``journaltitle``) and the date (``date``, or ``year``/``month``/``day``) are
kept.

An entry without an abstract, or one that cannot be parsed (an unbalanced
brace), is a :class:`~kg.records.BadRecord` with the file and the line the
entry starts on; the entries around it are read.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.ingest.textio import sniff
>>> p = pathlib.Path(tempfile.mkdtemp()) / "refs.bib"
>>> _ = p.write_text('''@article{hu2021, title = {{LoRA}: Low-Rank Adaptation},
...   author = {Hu, Edward J. and Shen, Yelong}, year = 2021, month = jun,
...   eprint = {2106.09685v2}, archivePrefix = {arXiv}, abstract = {We freeze 99% of weights.}}
... @misc{draft, title = {No abstract yet}}
... ''')
>>> paper, bad = read_bibtex(sniff(p))
>>> paper.id, paper.title, paper.authors, paper.date, paper.arxiv_id
('hu2021', 'LoRA: Low-Rank Adaptation', ('Edward J. Hu', 'Yelong Shen'), '2021-06', '2106.09685')
>>> paper.abstract
'We freeze 99% of weights.'
>>> str(bad).endswith(":4: missing abstract (@misc{draft})")
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from kg.ingest.dates import MONTHS
from kg.ingest.paper_fields import make_paper
from kg.ingest.readers import Item, ReadWarning
from kg.ingest.textio import Sniffed, open_text
from kg.records import BadRecord

__all__ = ["bibtex_entry_to_record", "read_bibtex"]

#: Fields decoded from LaTeX to plain text; the others (url, doi, eprint, ...) are kept as written.
TEXT_FIELDS = ("title", "abstract", "journal", "journaltitle", "booktitle", "author")

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")  # a bare "%" in an abstract is a percent sign, not a comment


def _latex_decoder():
    from pylatexenc.latex2text import LatexNodes2Text  # installed with bibtexparser

    return LatexNodes2Text(math_mode="text", keep_braced_groups=False)


def _decode(decoder, text: str) -> str:
    try:
        return decoder.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", text))
    except Exception:  # pylatexenc raises several types on odd input; keep the text without braces
        return text.replace("{", "").replace("}", "")


def _date(fields: dict[str, str]) -> str | None:
    if fields.get("date"):
        return fields["date"]
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return year or None
    month_text = fields.get("month", "").strip().lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text) or MONTHS.get(month_text[:3])
    if not month or not 1 <= month <= 12:
        return year
    day = fields.get("day", "").strip()
    if day.isdigit() and 1 <= int(day) <= 31:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}"


def bibtex_entry_to_record(key: str, fields: dict[str, object], decoder=None) -> dict[str, object]:
    """Turn one parsed entry (its key and fields, authors already split) into a raw paper record.

    >>> bibtex_entry_to_record("k", {"title": "{BERT}", "author": ["Jacob Devlin"], "booktitle": "NAACL"})
    {'id': 'k', 'title': 'BERT', 'authors': ['Jacob Devlin'], 'venue': 'NAACL'}
    """
    decoder = decoder or _latex_decoder()
    lowered = {k.lower(): v for k, v in fields.items()}
    text: dict[str, object] = {}
    for name, value in lowered.items():
        if name in TEXT_FIELDS:
            if isinstance(value, list):
                value = [_decode(decoder, str(v)) for v in value]
            else:
                value = _decode(decoder, str(value))
        text[name] = value
    record: dict[str, object] = {"id": key}
    for name in ("title", "abstract", "doi", "url"):
        if text.get(name):
            record[name] = text[name]
    if text.get("author"):
        authors = text["author"]
        record["authors"] = authors if isinstance(authors, list) else [authors]
    venue = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    if venue:
        record["venue"] = venue
    date = _date({k: str(v) for k, v in text.items() if isinstance(v, str)})
    if date:
        record["date"] = date
    prefix = str(text.get("archiveprefix") or text.get("eprinttype") or "arxiv").lower()
    if text.get("eprint") and prefix == "arxiv":
        record["arxiv_id"] = text["eprint"]
    return record


def _parse(text: str, strings: list | None = None):
    import bibtexparser
    from bibtexparser import Library
    from bibtexparser import middlewares as mw

    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)  # failed blocks are reported as bad records instead
    try:
        return bibtexparser.parse_string(
            text,
            append_middleware=[mw.SeparateCoAuthors(), mw.SplitNameParts(), mw.MergeNameParts(style="first")],
            library=Library(strings) if strings else None,
        )
    finally:
        log.setLevel(level)


def _entries(sniffed: Sniffed) -> Iterator[tuple[int, object] | BadRecord]:
    """Yield ``(line, entry)`` for each entry in file order, and a BadRecord for each unparsable block."""
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    with open_text(sniffed) as fh:
        library = _parse(fh.read())
    path = str(sniffed.path)
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, Entry):
            yield line, block
        elif isinstance(block, DuplicateBlockKeyBlock) and block.raw:
            # the same citation key twice: read the second entry on its own; de-duplication decides
            for entry in _parse(block.raw, library.strings).entries:
                yield line, entry
        elif isinstance(block, ParsingFailedBlock):
            fallback = block.ignore_error_block
            if isinstance(fallback, Entry):  # a middleware failed on it: keep the entry as parsed
                yield line, fallback
                continue
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
            yield BadRecord(path, line, f"unreadable BibTeX entry ({reason.strip().splitlines()[0]})")


def read_bibtex(sniffed: Sniffed) -> Iterator[Item]:
    """Read a BibTeX or BibLaTeX file: one paper per entry (``@comment``, ``@string`` are skipped)."""
    path = str(sniffed.path)
    decoder = _latex_decoder()
    for item in _entries(sniffed):
        if isinstance(item, BadRecord):
            yield item
            continue
        line, entry = item
        fields = {f.key: f.value for f in entry.fields}
        record = bibtex_entry_to_record(entry.key, fields, decoder)
        notes: list[str] = []
        result = make_paper(record, f"{path}:{line}", notes.append)
        where = f"@{entry.entry_type}{{{entry.key}}}"
        if isinstance(result, str):
            yield BadRecord(path, line, f"{result} ({where})")
            continue
        yield from (ReadWarning(path, line, f"{note} ({where})") for note in notes)
        yield result
