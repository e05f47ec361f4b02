"""One reader per input format, chosen by content (not by file extension).

Each reader takes a :class:`~kg.ingest.textio.Sniffed` file and yields
:class:`~kg.records.Paper` or :class:`~kg.records.BadRecord` items, streaming:
no reader loads a whole JSON Lines or CSV file into memory.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from kg.errors import InputError
from kg.ingest.listing import parse_listing
from kg.ingest.paper_fields import make_paper
from kg.ingest.textio import Sniffed, iter_lines, open_text
from kg.records import BadRecord, Paper

__all__ = ["READERS", "ReadWarning", "detect_format", "read_csv", "read_json_array", "read_jsonl", "read_listing"]


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """A record that was kept but changed (its abstract cut): reported, not counted as bad."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


Item = Paper | BadRecord | ReadWarning

#: CSV fields up to this size are read (Python's default, 128 KiB, would refuse a long abstract).
CSV_FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))

_HEADER_WORDS = ("title", "abstract", "summary")


def detect_format(sniffed: Sniffed) -> str:
    """Return the format name of a file from its first bytes.

    One of ``"parquet"``, ``"jsonl"``, ``"json"``, ``"bibtex"``, ``"ris"``,
    ``"csv"``, ``"tsv"`` or ``"listing"`` (plain text copied from a paper site).
    """
    if sniffed.magic.startswith(b"PAR1"):
        return "parquet"
    if sniffed.binary:
        raise InputError(
            f"{sniffed.path} looks like a binary file, not text",
            fix="pass JSON Lines, CSV, BibTeX, Parquet or a text listing",
        )
    head = sniffed.head.lstrip()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    if re.match(r"(?s)^(%[^\n]*\n\s*)*@\w+\s*[{(]", head):
        return "bibtex"
    if re.match(r"TY {1,2}-(?: |\r?\n|$)", head):
        return "ris"
    first = head.split("\n", 1)[0].lower()
    if any(word in first for word in _HEADER_WORDS):
        if first.count("\t") >= 1:
            return "tsv"
        if first.count(",") >= 1 or first.count(";") >= 1:
            return "csv"
    return "listing"


def _source(sniffed: Sniffed, line: int) -> str:
    return f"{sniffed.path}:{line}"


def read_jsonl(sniffed: Sniffed) -> Iterator[Item]:
    """Read JSON Lines: one object per line; blank lines are skipped."""
    for number, line in iter_lines(sniffed):
        if not line.strip():
            continue
        try:
            # strict=False: raw control characters in strings; a BOM starts lines of concatenated files
            record = json.loads(line.lstrip("\ufeff"), strict=False)
        except json.JSONDecodeError as err:
            yield BadRecord(str(sniffed.path), number, f"invalid JSON ({err.msg} at column {err.colno})")
            continue
        except RecursionError:
            yield BadRecord(str(sniffed.path), number, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield BadRecord(str(sniffed.path), number, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield from _paper_or_bad(record, sniffed, number)


def read_json_array(sniffed: Sniffed) -> Iterator[Item]:
    """Read a JSON array of objects (the whole file is parsed at once)."""
    with open_text(sniffed) as fh:
        try:
            records = json.load(fh, strict=False)
        except json.JSONDecodeError as err:
            yield BadRecord(str(sniffed.path), err.lineno, f"invalid JSON ({err.msg})")
            return
        except RecursionError:
            yield BadRecord(str(sniffed.path), 1, "invalid JSON (nested too deeply)")
            return
    if isinstance(records, dict):
        records = records.get("results") or records.get("data") or records.get("papers") or [records]
    if not isinstance(records, list):
        yield BadRecord(str(sniffed.path), 1, "expected a JSON array of objects")
        return
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield BadRecord(str(sniffed.path), 1, f"item {index} is not a JSON object")
            continue
        yield from _paper_or_bad(record, sniffed, 1, item=index)


def _paper_or_bad(record: dict, sniffed: Sniffed, line: int, item: int | None = None) -> Iterator[Item]:
    where = _source(sniffed, line) + (f"#{item}" if item else "")
    notes: list[str] = []
    result = make_paper(record, where, notes.append)
    suffix = f" (item {item})" if item else ""
    if isinstance(result, str):
        yield BadRecord(str(sniffed.path), line, result + suffix)
        return
    for note in notes:
        yield ReadWarning(str(sniffed.path), line, note + suffix)
    yield result


def _read_delimited(sniffed: Sniffed, delimiter: str) -> Iterator[Item]:
    path = str(sniffed.path)
    with open_text(sniffed) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [h.strip().lstrip("\ufeff") for h in header]
        width = len(header)
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                yield BadRecord(path, start, f"unreadable CSV row ({err})")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                yield BadRecord(path, line, f"expected {width} columns, found {len(row)}")
                continue
            notes: list[str] = []
            result = make_paper(dict(zip(header, row)), f"{path}:{line}", notes.append)
            if isinstance(result, str):
                yield BadRecord(path, line, result)
            else:
                yield from (ReadWarning(path, line, note) for note in notes)
                yield result


def read_csv(sniffed: Sniffed) -> Iterator[Item]:
    """Read CSV with a header row (comma or semicolon separated)."""
    first = sniffed.head.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from _read_delimited(sniffed, delimiter)


def read_tsv(sniffed: Sniffed) -> Iterator[Item]:
    """Read tab-separated values with a header row."""
    yield from _read_delimited(sniffed, "\t")


def read_listing(sniffed: Sniffed) -> Iterator[Item]:
    """Read a plain-text listing copied from a paper site."""
    lines = (line for _, line in iter_lines(sniffed))
    for lp in parse_listing(lines):
        record = {
            "title": lp.title,
            "abstract": lp.abstract,
            "date": lp.date,
            "organization": lp.organization,
        }
        notes: list[str] = []
        result = make_paper(record, _source(sniffed, lp.line), notes.append)
        if isinstance(result, str):
            yield BadRecord(str(sniffed.path), lp.line, result)
            continue
        yield from (ReadWarning(str(sniffed.path), lp.line, note) for note in notes)
        yield replace(result, author_count=lp.author_count, upvotes=lp.upvotes)


def read_parquet(sniffed: Sniffed) -> Iterator[Item]:
    """Read a Parquet table with ``title`` and ``abstract`` columns, by row group."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise InputError("reading Parquet needs pyarrow", fix="pip install pyarrow") from err
    try:
        table = pq.ParquetFile(sniffed.path)
    except Exception as err:  # pyarrow raises several unrelated types
        raise InputError(f"{sniffed.path}: unreadable Parquet file ({err})", fix="re-export it") from err
    row = 0
    for batch in table.iter_batches(batch_size=4096):
        for record in batch.to_pylist():
            row += 1
            yield from _paper_or_bad(record, sniffed, row)


def read_bibtex(sniffed: Sniffed) -> Iterator[Item]:
    """Read BibTeX: one paper per entry (see :mod:`kg.ingest.bibtex`)."""
    from kg.ingest.bibtex import read_bibtex as read

    yield from read(sniffed)


def read_ris(sniffed: Sniffed) -> Iterator[Item]:
    """Read RIS: one paper per ``TY`` ... ``ER`` record (see :mod:`kg.ingest.ris`)."""
    from kg.ingest.ris import read_ris as read

    yield from read(sniffed)


def _line_of(item: Item) -> int:
    if isinstance(item, Paper):
        where = (item.source or "").rsplit(":", 1)[-1].split("#")[0]
        return int(where) if where.isdigit() else 0
    return item.line


def _stops_cleanly(reader: Callable[[Sniffed], Iterator[Item]]) -> Callable[[Sniffed], Iterator[Item]]:
    """Report a file that breaks off (a truncated or damaged gzip) as a bad record, keeping what came before."""

    @functools.wraps(reader)
    def read(sniffed: Sniffed) -> Iterator[Item]:
        line = 0
        try:
            for item in reader(sniffed):
                line = max(line, _line_of(item))
                yield item
        except (EOFError, OSError, zlib.error) as err:
            yield BadRecord(str(sniffed.path), line + 1, f"the file breaks off here, the rest is unreadable ({err})")

    return read


READERS: dict[str, Callable[[Sniffed], Iterator[Item]]] = {
    "jsonl": read_jsonl,
    "json": read_json_array,
    "csv": read_csv,
    "tsv": read_tsv,
    "listing": read_listing,
    "parquet": read_parquet,
    "bibtex": read_bibtex,
    "ris": read_ris,
}
READERS = {name: _stops_cleanly(reader) for name, reader in READERS.items()}
