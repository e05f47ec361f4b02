"""The curated knowledge base shipped in ``kg/data/kb/``: reviewable TSV files.

One file per type (``methods.tsv``, ``datasets.tsv``, ``hardware.tsv``,
``metrics.tsv``, ``tasks.tsv``), one entry per line: a stable ``key``, the
canonical ``name``, ``aliases`` separated by ``" | "``, type-specific columns
(hardware vendor, family and memory; metric unit and direction) and external
ids (``arxiv``, ``doi``, ``url``, ``wikidata``) filled only where checked.

Examples
--------
>>> kb = load_kb()
>>> kb.lookup("GPUs", "Hardware").name
'GPU'
>>> kb.lookup("no such thing") is None
True
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import ConfigError
from kg.textnorm import form_key

__all__ = ["KB_DIR", "KB_FILES", "KBEntry", "KnowledgeBase", "load_kb"]

#: Where the shipped knowledge base lives.
KB_DIR = Path(__file__).parent / "data" / "kb"

#: File name of each entity type.
KB_FILES: dict[str, str] = {
    "Method": "methods.tsv",
    "Dataset": "datasets.tsv",
    "Hardware": "hardware.tsv",
    "Metric": "metrics.tsv",
    "Task": "tasks.tsv",
}

_ID_COLUMNS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "doi": "https://doi.org/{}",
    "url": "{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
}
_BASE_COLUMNS = frozenset({"key", "name", "aliases", *_ID_COLUMNS})


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One knowledge-base entry."""

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    external_ids: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def attribute(self, name: str) -> str | None:
        """Return the value of a type-specific column, or ``None`` when empty."""
        return next((v for k, v in self.attributes if k == name), None)


class KnowledgeBase:
    """Entries of all types, indexed by the :func:`~kg.textnorm.form_key` of every form."""

    def __init__(self, entries: list[KBEntry]) -> None:
        self.entries: dict[tuple[str, str], KBEntry] = {(e.type, e.key): e for e in entries}
        self._index: dict[str, list[KBEntry]] = {}
        for entry in entries:
            for form in entry.forms:
                key = form_key(form)
                if key:
                    bucket = self._index.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self.entries.values())

    def count(self, etype: str) -> int:
        """Number of entries of one type."""
        return sum(1 for t, _ in self.entries if t == etype)

    def lookup(self, form: str, etype: str | None = None) -> KBEntry | None:
        """Return the entry a surface form names (of ``etype`` if given), or ``None``."""
        for entry in self._index.get(form_key(form), ()):
            if etype is None or entry.type == etype:
                return entry
        return None

    def get(self, etype: str, key: str) -> KBEntry | None:
        """Return the entry of a type and key."""
        return self.entries.get((etype, key))


def _read_file(path: Path, etype: str) -> Iterator[KBEntry]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for line, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise ConfigError(f"{path}:{line}: wrong number of columns", fix="one tab between columns")
            key, name = row["key"].strip(), row["name"].strip()
            if not key or not name:
                raise ConfigError(f"{path}:{line}: empty key or name", fix="fill both columns")
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            ids = tuple(
                template.format(row[col].strip())
                for col, template in _ID_COLUMNS.items()
                if row.get(col, "").strip()
            )
            attrs = tuple(
                (col, row[col].strip()) for col in row if col not in _BASE_COLUMNS and row[col].strip()
            )
            yield KBEntry(key, etype, name, aliases, ids, attrs)


@cache
def _load(directory: str) -> KnowledgeBase:
    entries: list[KBEntry] = []
    for etype, filename in KB_FILES.items():
        path = Path(directory) / filename
        if path.exists():
            entries.extend(_read_file(path, etype))
    return KnowledgeBase(entries)


def load_kb(directory: str | Path | None = None) -> KnowledgeBase:
    """Load (once per process) the knowledge base in ``directory`` (default: the shipped one)."""
    return _load(str(directory or KB_DIR))
