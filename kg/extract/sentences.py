"""``kg_sentencizer``: sentence boundaries for titles and abstracts.

spaCy's rule-based sentencizer misses two things of paper text: the title is
its own sentence (a newline, not a full stop, ends it), and copied abstracts
glue sentences ("constraints.While previous work"). This component splits on
both, and keeps abbreviations such as "e.g." and "et al." inside a sentence.
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["KGSentencizer", "make_kg_sentencizer", "sentence_starts"]

_ENDS = frozenset({".", "!", "?", "...", "…"})
_NO_SPLIT_BEFORE = frozenset({"al", "e.g", "i.e", "cf", "vs", "fig", "eq", "sec", "no", "approx", "resp"})


def sentence_starts(words: list[str], spaces: list[str]) -> list[bool]:
    """Return, for each token, whether it starts a sentence.

    Parameters
    ----------
    words : list of str
        Token texts.
    spaces : list of str
        The whitespace after each token (``token.whitespace_``).

    Examples
    --------
    >>> sentence_starts(["Title", "\\n", "We", "go", ".", "It", "works", "."], [""] * 8)
    [True, False, True, False, False, True, False, False]
    """
    starts = [False] * len(words)
    if not words:
        return starts
    starts[0] = True
    for i in range(1, len(words)):
        prev = words[i - 1]
        word = words[i]
        if word.isspace():
            continue
        if "\n" in prev or "\n" in spaces[i - 1]:
            starts[i] = True
            continue
        j = i - 1
        while j > 0 and words[j].isspace():
            j -= 1
        prev = words[j]
        if prev in _ENDS:
            before = words[j - 1].lower().rstrip(".") if j > 0 else ""
            if before in _NO_SPLIT_BEFORE:
                continue
            if word[:1].isupper() or word[:1].isdigit() or not word[:1].isalpha():
                starts[i] = True
    return starts


class KGSentencizer:
    """Set ``token.is_sent_start`` from :func:`sentence_starts`."""

    def __init__(self, name: str = "kg_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
        spaces = [" " if space else "" for space in doc.to_array(SPACY).tolist()]
        flags = sentence_starts(words, spaces)
        # one array write instead of a Token object and a property call per token (1: starts, -1: does not)
        doc.from_array([SENT_START], numpy.where(numpy.array(flags, dtype=bool), 1, -1).astype("uint64"))
        return doc


@Language.factory("kg_sentencizer", assigns=["token.is_sent_start", "doc.sents"])
def make_kg_sentencizer(nlp: Language, name: str) -> KGSentencizer:
    """Build the ``kg_sentencizer`` component."""
    return KGSentencizer(name)
