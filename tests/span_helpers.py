"""Token spans of phrases in sentences written for rule tests."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

nlp = spacy.blank("en")


def span_of(text: str, phrase: str) -> Span:
    """The first run of tokens of ``text`` (a blank English pipeline) whose words are ``phrase``'s."""
    doc = nlp(text)
    words = phrase.split()
    for i in range(len(doc) - len(words) + 1):
        if [t.text for t in doc[i : i + len(words)]] == words:
            return doc[i : i + len(words)]
    raise AssertionError(f"{phrase!r} not in {text!r}")
