"""``kg_relations``: typed relations between entities of one sentence.

A pair of entity mentions in one sentence (one clause, when the sentence has
a semicolon) is a candidate for the relation its types allow:

=================  ============  ==========  ==================================
relation           head          tail        cue words between or around
=================  ============  ==========  ==================================
evaluatedOn        Method        Dataset     on, evaluate, benchmark, experiment
runsOnHardware     Method        Hardware    on, using, deploy, run, across
usedFor            Method        Task        for, to, task, apply
measuredOn         Metric        Dataset     on, of
comparedTo         Method        Method      than, over, outperform, vs, against
=================  ============  ==========  ==================================

Confidence grows with a cue word between the two mentions and falls with
the distance between them; a pair with neither cue nor closeness is dropped.
"""

from __future__ import annotations

import itertools
import math

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.records import RELATION_TYPES, RelationRecord

__all__ = ["CUES", "RelationFinder", "find_relations", "make_kg_relations", "relation_confidence"]

CUES: dict[str, frozenset[str]] = {
    "evaluatedOn": frozenset(
        [
            "on",
            "evaluate",
            "evaluated",
            "evaluating",
            "evaluation",
            "benchmark",
            "benchmarks",
            "experiments",
            "results",
            "achieves",
            "achieve",
            "reaches",
            "tested",
            "across",
        ]
    ),
    "runsOnHardware": frozenset(
        [
            "on",
            "using",
            "use",
            "deploy",
            "deployed",
            "deploying",
            "run",
            "runs",
            "running",
            "across",
            "accelerate",
            "accelerates",
            "executed",
            "implementation",
            "implemented",
            "trained",
            "inference",
        ]
    ),
    "usedFor": frozenset(
        [
            "for",
            "to",
            "task",
            "tasks",
            "apply",
            "applied",
            "applying",
            "address",
            "addresses",
            "tackle",
            "solve",
            "solving",
            "enables",
        ]
    ),
    "measuredOn": frozenset(["on", "of", "in", "across"]),
    "comparedTo": frozenset(
        [
            "than",
            "over",
            "outperform",
            "outperforms",
            "outperformed",
            "outperforming",
            "vs",
            "vs.",
            "versus",
            "against",
            "compared",
            "surpasses",
            "beats",
        ]
    ),
}

# relation types keyed by (head type, tail type), in both orders
_BY_TYPES: dict[tuple[str, str], str] = {}
for _name, (_h, _t) in RELATION_TYPES.items():
    _BY_TYPES[(_h, _t)] = _name


def relation_confidence(rtype: str, between: list[str], distance: int) -> float:
    """Confidence of a candidate pair from the words between the mentions and their distance.

    >>> relation_confidence("evaluatedOn", ["on"], 3) > relation_confidence("evaluatedOn", ["and"], 3)
    True
    """
    cue = any(w in CUES[rtype] for w in between)
    base = 0.75 if cue else 0.35
    return round(base * math.exp(-max(0, distance - 2) / 20), 3)


def _clauses(sent: Span) -> list[Span]:
    cuts = [t.i for t in sent if t.text == ";"]
    bounds = [sent.start, *[c + 1 for c in cuts], sent.end]
    return [sent.doc[a:b] for a, b in itertools.pairwise(bounds) if b > a]


#: Mentions farther apart than this many tokens are never paired (keeps long sentences linear).
MAX_DISTANCE = 40


def find_relations(doc: Doc, min_confidence: float = 0.2) -> list[RelationRecord]:
    """Return typed relations between entity mentions of one sentence or clause."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    out: dict[tuple[str, str, str], RelationRecord] = {}
    for sent in doc.sents:
        for clause in _clauses(sent):
            inside = [s for s in spans if clause.start <= s.start and s.end <= clause.end]
            for i, a in enumerate(inside):
                for b in inside[i + 1 :]:
                    if b.start - a.end > MAX_DISTANCE:
                        break
                    for head, tail in ((a, b), (b, a)):
                        rtype = _BY_TYPES.get((head.label_, tail.label_))
                        if rtype is None or head.text == tail.text:
                            continue
                        if rtype == "comparedTo" and head.start > tail.start:
                            continue  # "A outperforms B": the head comes first
                        lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
                        between = [t.lower_ for t in doc[lo:hi]]
                        conf = relation_confidence(rtype, between, hi - lo)
                        if conf < min_confidence:
                            continue
                        key = (rtype, head.text, tail.text)
                        if key not in out or out[key].confidence < conf:
                            out[key] = RelationRecord(rtype, head.text, tail.text, sent.text.strip(), conf)
    return list(out.values())


class RelationFinder:
    """Store :func:`find_relations` in ``doc._.kg_relations``."""

    def __init__(self, name: str = "kg_relations", *, min_confidence: float = 0.2) -> None:
        self.name = name
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_relations = find_relations(doc, self.min_confidence)
        return doc


@Language.factory(
    "kg_relations",
    assigns=["doc._.kg_relations"],
    requires=["doc.sents"],
    default_config={"min_confidence": 0.2},
)
def make_kg_relations(nlp: Language, name: str, min_confidence: float) -> RelationFinder:
    """Build the ``kg_relations`` component."""
    return RelationFinder(name, min_confidence=min_confidence)
