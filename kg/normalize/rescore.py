"""Calibrated entity confidence: a small logistic model over evidence features.

The recogniser and the rules propose candidate entities; this model says how
likely each one is an entity a careful annotator would mark, from features
any corpus has: its type, which evidence found it (NER, knowledge base,
acronym), whether it is in the title or the knowledge base, its length and
shape (acronym, capitals, digits), how often the paper and the corpus mention
it, and whether the paper proposes it. No word lists from evaluation data go
in. The weights live in ``kg/models/rescorer.json`` (readable, a few numbers
per type) and are rebuilt by ``kg train --rescorer``.

Each entity's confidence becomes the model's probability; entities under the
model's threshold (chosen by cross-validation for the best F1) are dropped,
and ``kg build --min-confidence`` can raise the bar.

Examples
--------
>>> from kg.records import EntityRecord, Mention
>>> e = EntityRecord("Method", "LoRA", (Mention("LoRA", 0, 4, "LoRA.", 0.95, "ner+kb"),), key="Method/lora")
>>> len(entity_features(e, title_length=10, doc_freq=3, n_papers=10, proposed=set()))
len(FEATURE_NAMES)
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kg.normalize.canonical import Corpus
from kg.records import EntityRecord, Extraction
from kg.resources import model_dir
from kg.textnorm import form_key, is_acronym

__all__ = ["FEATURE_NAMES", "entity_features", "corpus_features", "Rescorer", "load_rescorer", "rescore"]

_SOURCES = ("ner", "kb", "kb_lower", "ner+kb", "abbreviation", "propagated")
_GENERIC_LAST = frozenset(
    """model models network networks method methods learning system systems architecture architectures
    algorithm algorithms framework frameworks approach approaches technique techniques layer layers module
    modules mechanism mechanisms process processes function functions strategy strategies""".split()
)

FEATURE_NAMES: tuple[str, ...] = (
    *(f"source={s}" for s in _SOURCES),
    "kb_linked",
    "in_title",
    "log_mentions",
    "log_doc_freq",
    "doc_fraction",
    "n_words=1",
    "n_words=2",
    "n_words=3",
    "n_words>=4",
    "log_chars",
    "acronym",
    "defines_acronym",
    "has_digit",
    "inner_capital",
    "all_lower",
    "generic_last_word",
    "hyphen",
    "proposed",
    "first_position",
    "bias",
)


def _best_source(e: EntityRecord) -> str:
    order = {s: i for i, s in enumerate(("ner+kb", "kb", "ner", "abbreviation", "propagated", "kb_lower"))}
    sources = [m.source for m in e.mentions if m.source in order]
    return min(sources, key=order.__getitem__) if sources else "ner"


def entity_features(
    e: EntityRecord, *, title_length: int, doc_freq: int, n_papers: int, proposed: set[str], text_length: int = 1
) -> list[float]:
    """The feature vector of one paper's entity (order of :data:`FEATURE_NAMES`)."""
    best = _best_source(e)
    words = e.name.split()
    n = len(words)
    forms = e.forms
    first = min((m.start for m in e.mentions), default=0)
    feats = [1.0 if best == s else 0.0 for s in _SOURCES]
    feats += [
        1.0 if e.key.startswith("kb:") or "kb" in {m.source for m in e.mentions} or best in ("kb", "ner+kb") else 0.0,
        1.0 if any(m.start < title_length for m in e.mentions) else 0.0,
        math.log1p(len(e.mentions)),
        math.log1p(doc_freq),
        doc_freq / max(1, n_papers),
        1.0 if n == 1 else 0.0,
        1.0 if n == 2 else 0.0,
        1.0 if n == 3 else 0.0,
        1.0 if n >= 4 else 0.0,
        math.log1p(len(e.name)),
        1.0 if is_acronym(e.name) else 0.0,
        1.0 if any(is_acronym(f) for f in forms) and any(" " in f for f in forms) else 0.0,
        1.0 if any(c.isdigit() for c in e.name) else 0.0,
        1.0 if any(c.isupper() for c in e.name[1:]) else 0.0,
        1.0 if e.name == e.name.lower() else 0.0,
        1.0 if words and words[-1].lower() in _GENERIC_LAST else 0.0,
        1.0 if "-" in e.name else 0.0,
        1.0 if any(form_key(f) in proposed for f in forms) else 0.0,
        first / max(1, text_length),
        1.0,
    ]
    return feats


def corpus_features(corpus: Corpus) -> list[tuple[int, int, list[float]]]:
    """Features of every entity of ``corpus``: ``(paper index, entity index, vector)``."""
    doc_freq = Counter(e.key for ex in corpus.extractions for e in {x.key: x for x in ex.entities}.values())
    n = len(corpus.extractions)
    out = []
    for pi, ex in enumerate(corpus.extractions):
        proposed = {form_key(p) for p in ex.proposed}
        title_length = len(ex.paper.title) + 1 if ex.paper.title else 0
        for ei, e in enumerate(ex.entities):
            out.append((pi, ei, entity_features(e, title_length=title_length, doc_freq=doc_freq[e.key],
                                                n_papers=n, proposed=proposed,
                                                text_length=len(ex.paper.text))))
    return out


@dataclass(frozen=True)
class Rescorer:
    """Per-type logistic weights and the keep threshold."""

    weights: dict[str, list[float]]
    threshold: float = 0.5
    features: tuple[str, ...] = FEATURE_NAMES

    def probability(self, etype: str, features: list[float]) -> float:
        w = self.weights.get(etype)
        if w is None:
            return 1.0
        z = sum(a * b for a, b in zip(w, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps(
            {"features": list(self.features), "threshold": self.threshold, "weights": self.weights}, indent=1
        )

    @classmethod
    def from_json(cls, text: str) -> Rescorer:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError("rescorer features differ from this version's; rebuild with `kg train --rescorer`")
        return cls({k: list(map(float, v)) for k, v in data["weights"].items()}, float(data["threshold"]))


def load_rescorer(path: str | Path | None = None) -> Rescorer | None:
    """Load the shipped rescorer (``None`` when there is none)."""
    p = Path(path) if path else model_dir("ner").parent / "rescorer.json"
    if not p.exists():
        return None
    return Rescorer.from_json(p.read_text(encoding="utf-8"))


def rescore(corpus: Corpus, rescorer: Rescorer | None, min_confidence: float | None = None) -> Corpus:
    """Set each entity's confidence to the model's probability and drop those under the threshold.

    ``min_confidence`` replaces the model's own threshold when given.
    """
    if rescorer is None and not min_confidence:
        return corpus
    threshold = min_confidence if min_confidence is not None else (rescorer.threshold if rescorer else 0.0)
    feats = corpus_features(corpus) if rescorer else []
    probs: dict[tuple[int, int], float] = {
        (pi, ei): rescorer.probability(corpus.extractions[pi].entities[ei].type, f) for pi, ei, f in feats
    } if rescorer else {}
    out: list[Extraction] = []
    kept_keys: set[str] = set()
    for pi, ex in enumerate(corpus.extractions):
        ents = []
        for ei, e in enumerate(ex.entities):
            p = probs.get((pi, ei), e.confidence)
            if p >= threshold:
                ents.append(replace(e, confidence=round(p, 3)))
                kept_keys.add(e.key)
        out.append(replace(ex, entities=tuple(ents)))
    entities = {k: v for k, v in corpus.entities.items() if k in kept_keys}
    return Corpus(tuple(out), entities)


def training_rows(corpus: Corpus, labels: Iterable[tuple[int, int, int]]) -> tuple[list[list[float]], list[int], list[str]]:
    """Pair features with labels ``(paper index, entity index, 0/1)``; returns X, y and types."""
    feats = {(pi, ei): f for pi, ei, f in corpus_features(corpus)}
    X, y, types = [], [], []
    for pi, ei, label in labels:
        X.append(feats[(pi, ei)])
        y.append(label)
        types.append(corpus.extractions[pi].entities[ei].type)
    return X, y, types


