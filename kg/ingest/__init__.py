"""Read paper records from files: listings, JSON Lines, JSON, CSV/TSV, Parquet.

The format of each input is chosen by its content. Records that cannot be
read are reported as :class:`~kg.records.BadRecord` (file and line) and
counted; the good records around them are kept. Papers are de-duplicated by
DOI, then arXiv id (any version), then normalised title, the first listing
winning and later ones filling its gaps.

Examples
--------
>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "papers.txt"
>>> _ = p.write_text(json.dumps({"title": "T", "abstract": "A."}) + "\\nnot json\\n")
>>> result = read_papers([p])
>>> len(result.papers), [b.line for b in result.bad]
(1, [2])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from kg.errors import InputError, NoRecordsError
from kg.ingest.ids import title_key
from kg.ingest.readers import READERS, ReadWarning, detect_format
from kg.ingest.textio import sniff
from kg.records import BadRecord, Paper

__all__ = ["IngestReport", "IngestResult", "PaperStream", "expand_inputs", "iter_papers", "read_papers"]


@dataclass
class IngestReport:
    """Counts and problems seen while reading; filled as the stream is consumed."""

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    read: int = 0
    duplicates: int = 0
    bad: list[BadRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def papers(self) -> int:
        """Unique papers passed on."""
        return self.read - self.duplicates


@dataclass(frozen=True)
class IngestResult:
    """All unique papers of the inputs, and the report of reading them."""

    papers: tuple[Paper, ...]
    report: IngestReport

    @property
    def bad(self) -> list[BadRecord]:
        return self.report.bad


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Return the files named by ``inputs``; a folder stands for the files in it.

    Raises
    ------
    InputError
        If no input is given or a path does not exist.
    """
    paths: list[Path] = []
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise InputError(f"no such file or folder: {p}", fix="check the path")
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            if not found:
                raise NoRecordsError(f"folder {p} holds no files", fix="pass a folder of paper files")
            paths.extend(found)
        else:
            paths.append(p)
    if not paths:
        raise InputError("no input given", fix="pass one or more files of papers")
    return paths


def _iter_read(inputs: Iterable[str | Path], report: IngestReport) -> Iterator[Paper]:
    """Yield every readable paper of every input, duplicates included."""
    for path in expand_inputs(inputs):
        sniffed = sniff(path)
        fmt = detect_format(sniffed)
        report.files.append(str(path))
        report.formats[str(path)] = fmt
        if sniffed.fallback_encoding:
            report.warnings.append(f"{path}: not valid UTF-8 or UTF-16; read as Windows-1252")
        good = 0
        first_bad = len(report.bad)
        for item in READERS[fmt](sniffed):
            if isinstance(item, BadRecord):
                report.bad.append(item)
                continue
            if isinstance(item, ReadWarning):
                report.warnings.append(str(item))
                continue
            good += 1
            report.read += 1
            yield item
        if good == 0:
            bad_here = report.bad[first_bad:]
            detail = f" ({len(bad_here)} unreadable records; first: {bad_here[0]})" if bad_here else ""
            raise NoRecordsError(
                f"{path} holds no readable paper record{detail}",
                fix="give each record a title and an abstract (JSON Lines, CSV, BibTeX or a text listing)",
            )


def _dedupe_keys(paper: Paper) -> list[str]:
    """The keys a duplicate can share, strongest first: DOI, arXiv id, normalised title."""
    keys = ["doi:" + paper.doi.lower()] if paper.doi else []
    if paper.arxiv_id:
        keys.append("arxiv:" + paper.arxiv_id.lower())
    keys.append("title:" + (title_key(paper.title) or "abstract:" + title_key(paper.abstract)))
    return keys


def _strong_ids(paper: Paper) -> tuple[str | None, str | None]:
    """The DOI (other than arXiv's own 10.48550 DOIs) and arXiv id, which tell two papers apart."""
    doi = paper.doi.lower() if paper.doi and not paper.doi.startswith("10.48550/") else None
    return doi, paper.arxiv_id.lower() if paper.arxiv_id else None


class _Deduper:
    """Which earlier paper a paper duplicates: same DOI, else arXiv id, else normalised title.

    A title match does not count when both papers carry different DOIs or
    different arXiv ids (two papers that share a title such as "Editorial").
    Only keys and ids are kept, never the papers.
    """

    def __init__(self) -> None:
        self.group_of: dict[str, int] = {}
        self.ids: list[list[str | None]] = []

    def _conflicts(self, group: int, paper: Paper) -> bool:
        return any(a and b and a != b for a, b in zip(self.ids[group], _strong_ids(paper)))

    def match(self, paper: Paper) -> tuple[str, bool]:
        """Return the paper's group key and whether an earlier paper is in that group."""
        keys = _dedupe_keys(paper)
        group = None
        for key in keys:
            found = self.group_of.get(key)
            if found is not None and not (key.startswith("title:") and self._conflicts(found, paper)):
                group = found
                break
        duplicate = group is not None
        if group is None:
            group = len(self.ids)
            self.ids.append([None, None])
        for key in keys:
            self.group_of.setdefault(key, group)
        self.ids[group] = [old or new for old, new in zip(self.ids[group], _strong_ids(paper))]
        return f"#{group}", duplicate


def _unique_id(paper: Paper, key: str, seen_ids: dict[str, str], report: IngestReport) -> Paper:
    """Rename a paper whose input id is already taken by a different paper."""
    if paper.id in seen_ids and seen_ids[paper.id] != key:
        new_id = f"{paper.id}~{len(seen_ids)}"
        report.warnings.append(
            f"{paper.source}: id {paper.id!r} already used by another paper; renamed to {new_id!r}"
        )
        paper = replace(paper, id=new_id)
    seen_ids[paper.id] = key
    return paper


def iter_papers(inputs: Iterable[str | Path], report: IngestReport | None = None) -> Iterator[Paper]:
    """Stream the unique papers of ``inputs``; problems go into ``report``.

    Duplicates are dropped as they arrive (the first wins), so memory holds
    only the keys seen; :class:`PaperStream` also tells what later duplicates add.

    Raises
    ------
    NoRecordsError
        When an input holds no readable paper record.
    """
    stream = PaperStream(inputs, report)
    yield from stream


_SKIPPED_FIELDS = ("id", "source")
_EMPTY = (None, "", ())


def _missing(paper: Paper) -> frozenset[str]:
    return frozenset(
        f.name for f in fields(Paper) if f.name not in _SKIPPED_FIELDS and getattr(paper, f.name) in _EMPTY
    )


class PaperStream:
    """The unique papers of ``inputs``, read lazily, once: input is never loaded whole.

    Iterating yields each paper at its first listing. A later duplicate cannot
    change a paper already passed on; what it adds (fields the first listing left
    empty: a date, authors, a DOI...) is gathered in :attr:`updates`, complete
    once the stream is exhausted. Memory holds keys and those few fields only.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
    >>> rows = [{"id": "a", "title": "T", "abstract": "A."}, {"title": "T", "abstract": "A.", "date": "2024"}]
    >>> _ = p.write_text("\\n".join(json.dumps(r) for r in rows))
    >>> stream = PaperStream([p])
    >>> [paper.id for paper in stream], stream.updates, stream.report.duplicates
    (['a'], {'a': {'date': '2024'}}, 1)
    """

    def __init__(self, inputs: Iterable[str | Path], report: IngestReport | None = None) -> None:
        self.inputs = inputs
        self.report = report if report is not None else IngestReport()
        #: paper id -> the fields later duplicates filled in
        self.updates: dict[str, dict[str, object]] = {}

    def __iter__(self) -> Iterator[Paper]:
        deduper = _Deduper()
        seen_ids: dict[str, str] = {}
        missing: dict[str, tuple[str, frozenset[str]]] = {}  # group key -> (paper id, its empty fields)
        shared: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct set of empty fields
        for paper in _iter_read(self.inputs, self.report):
            key, duplicate = deduper.match(paper)
            if duplicate:
                self.report.duplicates += 1
                pid, empty = missing[key]
                filled = {name: getattr(paper, name) for name in sorted(empty) if getattr(paper, name) not in _EMPTY}
                if filled:
                    self.updates.setdefault(pid, {}).update(filled)
                    left = frozenset(empty - filled.keys())
                    missing[key] = (pid, shared.setdefault(left, left))
                continue
            paper = _unique_id(paper, key, seen_ids, self.report)
            empty = _missing(paper)
            missing[key] = (paper.id, shared.setdefault(empty, empty))
            yield paper


def read_papers(inputs: Iterable[str | Path]) -> IngestResult:
    """Read every input and return the unique papers with a report.

    Later duplicates fill the missing metadata (date, authors, ...) of the first.
    """
    stream = PaperStream(inputs)
    papers = [replace(p, **stream.updates[p.id]) if p.id in stream.updates else p for p in list(stream)]
    return IngestResult(tuple(papers), stream.report)
