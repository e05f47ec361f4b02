"""The extraction cache of an output folder: what makes builds incremental.

``kg build`` keeps every paper's raw extraction (before corpus-wide merging)
in ``<out>/cache/extractions.jsonl.gz``. A later build extracts only papers
that are not there yet, then merges and rebuilds the graph from all of them,
so running the same input twice changes nothing and a second input merges its
entities with the ones already there. ``kg remove`` drops papers from the
cache and rebuilds. The cache is replaced atomically, after the store.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.records import Paper, Extraction, EntityRecord, Mention
>>> mention = Mention("LoRA", 0, 4, "s", 0.9, "ner")
>>> ex = Extraction(Paper("p1", "T", "A."), (EntityRecord("Method", "LoRA", (mention,)),))
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> save_extractions(d, [ex])
>>> load_extractions(d) == [ex]
True
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from kg.errors import StoreError
from kg.records import EntityRecord, Extraction, Mention, Paper, RelationRecord, ResultRecord

__all__ = ["CACHE_FILE", "cache_path", "extraction_from_dict", "load_extractions", "save_extractions"]

CACHE_FILE = Path("cache") / "extractions.jsonl.gz"


def cache_path(out: str | Path) -> Path:
    """The cache file of an output folder."""
    return Path(out) / CACHE_FILE


def _tuple(value: object) -> object:
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def extraction_from_dict(data: dict) -> Extraction:
    """Rebuild an :class:`~kg.records.Extraction` from its ``asdict`` form."""
    paper = Paper(**{k: _tuple(v) for k, v in data["paper"].items()})
    entities = tuple(
        EntityRecord(
            type=e["type"],
            name=e["name"],
            mentions=tuple(Mention(**m) for m in e["mentions"]),
            aliases=tuple(e["aliases"]),
            confidence=e["confidence"],
            key=e["key"],
            attributes=tuple(tuple(a) for a in e["attributes"]),
        )
        for e in data["entities"]
    )
    return Extraction(
        paper=paper,
        entities=entities,
        proposed=tuple(data["proposed"]),
        results=tuple(ResultRecord(**r) for r in data["results"]),
        relations=tuple(RelationRecord(**r) for r in data["relations"]),
    )


def load_extractions(out: str | Path) -> list[Extraction]:
    """The cached raw extractions of an output folder (empty when there is no cache).

    Raises
    ------
    StoreError
        If the cache exists but cannot be read.
    """
    path = cache_path(out)
    if not path.exists():
        return []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [extraction_from_dict(json.loads(line)) for line in fh if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise StoreError(
            f"the extraction cache {path} is damaged ({err})", fix="delete the output folder and build again"
        ) from err


def save_extractions(out: str | Path, extractions: Iterable[Extraction]) -> None:
    """Write the cache atomically (a crash leaves the previous one)."""
    path = cache_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as fh:
        for ex in extractions:
            fh.write(json.dumps(asdict(ex), ensure_ascii=False, separators=(",", ":")) + "\n")
        fh.flush()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(path)
