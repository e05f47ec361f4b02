"""``kg_abbreviations``: acronym definitions such as "post-training quantization (PTQ)".

The matching is the algorithm of Schwartz and Hearst (2003), "A simple
algorithm for identifying abbreviation definitions in biomedical text"
(PSB 2003), as scispaCy's ``abbreviation_detector`` also uses, adapted to
ML acronyms: plural short forms ("LLMs"), digits and symbols ("QuIP#",
"P3D"), and definitions in either order ("PTQ (post-training quantization)").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract import extensions as _ext  # noqa: F401  (registers Doc._ attributes)
from kg.textnorm import is_short_form, part_initials

__all__ = ["AbbreviationDetector", "find_abbreviations", "is_short_form", "match_long_form"]

_STOP_BEFORE = frozenset({"(", ")", ";", ":", ".", "[", "]", "\n"})


def match_long_form(short: str, candidate: str) -> int | None:
    """Return where the long form of ``short`` starts in ``candidate``, or ``None``.

    Schwartz-Hearst matching: each character of the short form is found in
    the candidate from right to left, and the first character must begin a word.

    >>> c = "we study post-training quantization"
    >>> c[match_long_form("PTQ", c):]
    'post-training quantization'
    >>> match_long_form("XYZ", c) is None
    True
    """
    s = short.lower()
    if s.endswith("s") and len(s) > 2 and short[-1] == "s":
        s = s[:-1]  # "LLMs" -> "llm"
    s = "".join(ch for ch in s if ch.isalnum())
    if not s:
        return None
    c = candidate.lower()
    si = len(s) - 1
    ci = len(c) - 1
    at_word_start = 0
    while si >= 0:
        ch = s[si]
        while ci >= 0 and (c[ci] != ch or (si == 0 and ci > 0 and c[ci - 1].isalnum())):
            ci -= 1
        if ci < 0:
            return None
        if _starts_word(candidate, ci):
            at_word_start += 1
        ci -= 1
        si -= 1
    start = ci + 1
    # the long form must start at a word start, and most letters must begin words
    if start > 0 and candidate[start - 1].isalnum():
        return None
    if at_word_start * 2 < len(s):
        return None
    word = candidate[start:].strip()
    if " " not in word and at_word_start < len(s) and part_initials(word).lower() != s:
        # one word ("LLaMA-2-7B") must give every letter of the acronym a word start,
        # or spell it from its capitalised parts ("TransNormerLLM" -> TNL, "FlashAttention-2" -> FA2)
        return None
    return start


def _starts_word(text: str, i: int) -> bool:
    """True if ``text[i]`` begins a word or a camel-case part ("MatterGPT": M, G)."""
    if i == 0 or not text[i - 1].isalnum():
        return True
    return text[i].isupper() and text[i - 1].islower()


def _candidate_window(doc: Doc, open_i: int, n_short_chars: int) -> tuple[int, int]:
    """Token range before a "(" where the long form may lie (same clause, few words)."""
    max_words = min(n_short_chars + 5, n_short_chars * 2) + 2
    start = open_i
    words = 0
    while start > 0 and words < max_words:
        tok = doc[start - 1]
        if tok.text in _STOP_BEFORE or (tok.is_sent_start and start - 1 != open_i - 1):
            if tok.is_sent_start and tok.text not in _STOP_BEFORE:
                start -= 1
            break
        start -= 1
        if not tok.is_punct:
            words += 1
    return start, open_i


def find_abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """Return ``(long_form, short_form)`` span pairs defined in ``doc``.

    Both orders are found: "long form (SF)" and "SF (long form)".
    """
    pairs: list[tuple[Span, Span]] = []
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.text != "(":
            continue
        close = next((j for j in range(i + 1, min(i + 12, n)) if doc[j].text == ")"), None)
        if close is None or close == i + 1:
            continue
        inner = doc[i + 1 : close]
        # "long form (SF)" or "long form (SF; ...)" / "(SF, ...)"
        sf_end = i + 1
        while sf_end < close and doc[sf_end].text not in {",", ";"}:
            sf_end += 1
        short = doc[i + 1 : sf_end]
        if is_short_form(short.text):
            w_start, w_end = _candidate_window(doc, i, len(short.text))
            if w_start < w_end:
                window = doc[w_start:w_end]
                offset = match_long_form(short.text, window.text)
                if offset is not None:
                    long_span = doc.char_span(
                        window.start_char + offset, window.end_char, alignment_mode="expand"
                    )
                    if (
                        long_span is not None
                        and long_span.text != short.text
                        and (len(long_span) > 1 or len(long_span.text) > len(short.text) + 1)
                    ):
                        pairs.append((long_span, short))
                        continue
        # "SF (long form)"
        if i > 0 and is_short_form(doc[i - 1].text) and len(inner) >= 2:
            offset = match_long_form(doc[i - 1].text, inner.text)
            if offset == 0:
                pairs.append((inner, doc[i - 1 : i]))
    return pairs


class AbbreviationDetector:
    """Store :func:`find_abbreviations` in ``doc._.kg_abbreviations``."""

    def __init__(self, name: str = "kg_abbreviations") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_abbreviations = find_abbreviations(doc)
        return doc


@Language.factory("kg_abbreviations", assigns=["doc._.kg_abbreviations"])
def make_kg_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    """Build the ``kg_abbreviations`` component."""
    return AbbreviationDetector(name)
