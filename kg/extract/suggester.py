"""``kg.entity_suggester.v1``: the candidate spans the span categorizer scores.

Scoring every n-gram up to ten tokens (spaCy's ``ngram_range_suggester``)
costs about 2,000 candidates per abstract. Entity names never start or end
with a function word or punctuation, never cross a sentence, a comma or an
unbalanced bracket, and are never just a number; keeping only such spans
cuts the candidates several times over without losing gold spans, so the
categorizer trains and runs that much faster.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("We apply post-training quantization to the model.")
>>> spans = candidate_spans(doc, max_size=4)
>>> texts = [doc[s:e].text for s, e in spans]
>>> "post-training quantization" in texts, "the model" in texts
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy
from spacy.attrs import LIKE_NUM, ORTH, SPACY
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Ops, get_current_ops
from thinc.types import Ints1d, Ragged

__all__ = ["BOUNDARY_WORDS", "build_entity_suggester", "candidate_spans"]

#: Words that never begin or end an entity name.
BOUNDARY_WORDS = frozenset(
    """a an the this that these those our their its his her we they it is are was were be been being of in on at
    to for from by with without via and or but nor as than then so such both either each every which who whom whose
    what when where while how into onto over under between among through about against across after before during
    also only more most less least very can could may might must shall should will would do does did has have had
    not no yet all any some many much several few other another new novel proposed existing""".split()
)
_BREAKERS = frozenset({",", ";", ".", ":", "!", "?", "\n", "\"", "“", "”", "—"})


def _ok_edge(text: str) -> bool:
    return bool(text) and text.lower() not in BOUNDARY_WORDS and not (len(text) == 1 and not text.isalnum())


def candidate_spans(doc: Doc, max_size: int = 10) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of plausible entity names in ``doc``."""
    if not len(doc):
        return []
    # token attributes as arrays: no Token object per token
    strings = doc.vocab.strings
    attrs = doc.to_array([ORTH, LIKE_NUM, SPACY]).tolist()
    words = [strings[orth] for orth, _, _ in attrs]
    n = len(words)
    edge_ok = [_ok_edge(w) and not w.isspace() for w in words]
    # a function word joined by a hyphen is part of a compound: "in-context", "end-to-end", "all-reduce"
    start_ok = [ok or (i + 1 < n and words[i + 1] in "-–" and words[i].isalpha()) for i, ok in enumerate(edge_ok)]
    end_ok = [ok or (i > 0 and words[i - 1] in "-–" and words[i].isalpha()) for i, ok in enumerate(edge_ok)]
    for i, w in enumerate(words):  # "QuIP#", "C++", "DeepLabv3+": a symbol glued to a name ends it
        if w in ("#", "+", "++") and i > 0 and not attrs[i - 1][2]:
            end_ok[i] = True
    is_num = [bool(like_num) for _, like_num, _ in attrs]
    breaker = [w in _BREAKERS or w.isspace() or "\n" in w for w in words]
    depth_change = [w.count("(") + w.count("[") - w.count(")") - w.count("]") for w in words]
    spans = []
    for start in range(n):
        if not start_ok[start] or breaker[start]:
            continue
        depth = 0
        only_numbers = True
        for end in range(start + 1, min(n, start + max_size) + 1):
            i = end - 1
            if i > start and breaker[i]:
                break
            depth += depth_change[i]
            if depth < 0:
                break
            only_numbers = only_numbers and is_num[i]
            if depth == 0 and end_ok[i] and not only_numbers:
                spans.append((start, end))
    return spans


@registry.misc("kg.entity_suggester.v1")
def build_entity_suggester(max_size: int = 10) -> Callable[[Iterable[Doc], Ops | None], Ragged]:
    """A spaCy span suggester returning :func:`candidate_spans` of each doc."""

    def suggest(docs: Iterable[Doc], *, ops: Ops | None = None) -> Ragged:
        ops = ops or get_current_ops()
        spans = []
        lengths = []
        for doc in docs:
            found = candidate_spans(doc, max_size)
            lengths.append(len(found))
            spans.extend(found)
        data = numpy.asarray(spans, dtype="i") if spans else numpy.zeros((0, 2), dtype="i")
        lengths_array: Ints1d = ops.asarray1i(lengths)
        return Ragged(ops.asarray2i(data), lengths_array)

    return suggest
