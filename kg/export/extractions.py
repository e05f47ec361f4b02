"""JSON Lines of extractions, one paper per line (what ``kg extract`` writes).

The format is the one ``../shared/annotation/score.py`` reads::

    {"id", "title", "entities": [{"type", "name", "key", "confidence",
      "mentions": [{"text", "start", "end", "sentence", "confidence"}],
      "aliases": [...], "kb": {...}}],
     "proposed": [...], "results": [...], "relations": [...]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import IO

from kg.records import CanonicalEntity, Extraction

__all__ = ["extraction_to_json", "write_extractions"]


def extraction_to_json(ex: Extraction, entities: Mapping[str, CanonicalEntity] | None = None) -> dict:
    """Return one paper's extraction as a JSON-ready dict.

    With ``entities`` (canonical entities by key) each entity carries its
    corpus-wide canonical name, and the paper's own forms stay in ``aliases``.
    """
    ents = []
    for e in ex.entities:
        canon = entities.get(e.key) if entities else None
        name = canon.name if canon else e.name
        forms = [f for f in dict.fromkeys(e.forms) if f != name]
        item = {
            "type": e.type,
            "name": name,
            "key": e.key,
            "confidence": e.confidence,
            "mentions": [
                {
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "sentence": m.sentence,
                    "confidence": m.confidence,
                }
                for m in e.mentions
            ],
            "aliases": forms,
        }
        if canon and canon.kb_id:
            item["kb"] = {"key": canon.kb_id, "exact_match": list(canon.exact_match)}
        if e.attributes:
            item["attributes"] = dict(e.attributes)
        ents.append(item)
    return {
        "id": ex.paper.id,
        "title": ex.paper.title,
        "entities": ents,
        "proposed": list(ex.proposed),
        "results": [{k: v for k, v in asdict(r).items() if v is not None and v != ""} for r in ex.results],
        "relations": [asdict(r) for r in ex.relations],
    }


def write_extractions(
    extractions: Iterable[Extraction],
    target: str | Path | IO[str],
    entities: Mapping[str, CanonicalEntity] | None = None,
) -> int:
    """Write extractions as JSON Lines to a path or an open text stream; return the count."""
    n = 0
    if isinstance(target, (str, Path)):
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            n = write_extractions(extractions, fh, entities)
        tmp.replace(path)
        return n
    for ex in extractions:
        target.write(json.dumps(extraction_to_json(ex, entities), ensure_ascii=False) + "\n")
        n += 1
    return n
