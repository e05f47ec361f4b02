"""One reader per input format, chosen by content (not by file extension).

Each reader takes a :class:`~kg.ingest.textio.Sniffed` file and yields
:class:`~kg.records.Paper` or :class:`~kg.records.BadRecord` items, streaming:
no reader loads a whole JSON Lines or CSV file into memory.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from kg.errors import InputError
from kg.ingest.listing import parse_listing
from kg.ingest.paper_fields import make_paper
from kg.ingest.textio import Sniffed, iter_lines, open_text
from kg.records import BadRecord, Paper

__all__ = ["READERS", "detect_format", "read_csv", "read_json_array", "read_jsonl", "read_listing"]

Item = Paper | BadRecord

_HEADER_WORDS = ("title", "abstract", "summary")


def detect_format(sniffed: Sniffed) -> str:
    """Return the format name of a file from its first bytes.

    One of ``"parquet"``, ``"jsonl"``, ``"json"``, ``"bibtex"``, ``"csv"``,
    ``"tsv"`` or ``"listing"`` (plain text copied from a paper site).
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
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield BadRecord(str(sniffed.path), number, f"invalid JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(record, dict):
            yield BadRecord(str(sniffed.path), number, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield _paper_or_bad(record, sniffed, number)


def read_json_array(sniffed: Sniffed) -> Iterator[Item]:
    """Read a JSON array of objects (the whole file is parsed at once)."""
    with open_text(sniffed) as fh:
        try:
            records = json.load(fh)
        except json.JSONDecodeError as err:
            yield BadRecord(str(sniffed.path), err.lineno, f"invalid JSON ({err.msg})")
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
        yield _paper_or_bad(record, sniffed, 1, item=index)


def _paper_or_bad(record: dict, sniffed: Sniffed, line: int, item: int | None = None) -> Item:
    where = _source(sniffed, line) + (f"#{item}" if item else "")
    result = make_paper(record, where)
    if isinstance(result, str):
        return BadRecord(str(sniffed.path), line, result + (f" (item {item})" if item else ""))
    return result


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
            result = make_paper(dict(zip(header, row)), f"{path}:{line}")
            if isinstance(result, str):
                yield BadRecord(path, line, result)
            else:
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
        result = make_paper(record, _source(sniffed, lp.line))
        if isinstance(result, str):
            yield BadRecord(str(sniffed.path), lp.line, result)
            continue
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
            yield _paper_or_bad(record, sniffed, row)


READERS: dict[str, Callable[[Sniffed], Iterator[Item]]] = {
    "jsonl": read_jsonl,
    "json": read_json_array,
    "csv": read_csv,
    "tsv": read_tsv,
    "listing": read_listing,
    "parquet": read_parquet,
}
