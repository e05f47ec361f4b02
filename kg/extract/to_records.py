"""Turn a processed ``Doc`` into an :class:`~kg.records.Extraction`.

This is the only reader of the ``Doc._`` attributes; everything after the
extract layer sees plain records. Mentions of one entity are grouped by the
:func:`~kg.textnorm.form_key` of their text, by acronym definitions and by
knowledge-base key, so "post-training quantization", "Post-training
quantization" and "PTQ" become one entity with all three forms.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.records import EntityRecord, Extraction, Mention, Paper, RelationRecord, ResultRecord
from kg.textnorm import compact_key, form_key, is_blend, parse_count, part_initials

__all__ = ["choose_name", "doc_to_extraction", "group_mentions"]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def choose_name(forms: Counter[str], long_forms: set[str]) -> str:
    """Pick the fullest form: a defined long form first, then more words, then more frequent.

    >>> choose_name(Counter({"PTQ": 3, "post-training quantization": 1}), {"post-training quantization"})
    'post-training quantization'
    >>> choose_name(Counter({"LLMs": 2, "LLM": 1}), set())
    'LLMs'
    """
    return max(forms, key=lambda f: (f in long_forms, len(f.split()), forms[f], len(f), f))


def group_mentions(doc: Doc) -> list[tuple[str, list[Span]]]:
    """Group the entity spans of ``doc`` into entities: ``[(type, spans), ...]`` in text order."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    uf = _UnionFind()
    keys = []
    for span in spans:
        key = (span.label_, form_key(span.text))
        uf.find(key)
        keys.append(key)
        if span.id_:
            uf.union(key, (span.label_, "kb:" + span.id_))
    for long_span, short_span in doc._.kg_abbreviations or []:
        long_key = form_key(long_span.text)
        short_key = form_key(short_span.text)
        for etype in {s.label_ for s in spans}:
            a, b = (etype, long_key), (etype, short_key)
            if a in uf.parent and b in uf.parent:
                uf.union(a, b)
            else:
                # the long form may be tagged a little shorter or longer ("Word Error Eate" vs "Word Error")
                match = next(
                    (k for k in keys if k[0] == etype and k[1] and (k[1] in long_key or long_key in k[1])),
                    None,
                )
                if match is not None and b in uf.parent and len(match[1]) > len(short_key):
                    uf.union(match, b)
    expansions: dict[str, set[str]] = {}
    for long_span, short_span in doc._.kg_abbreviations or []:
        expansions.setdefault(form_key(short_span.text), set()).add(form_key(long_span.text))
    _merge_variants(uf, spans, keys, set(expansions))
    _merge_expanded(uf, keys, {k: v.pop() for k, v in expansions.items() if len(v) == 1 and " " not in k})
    groups: dict[tuple[str, str], list[Span]] = {}
    for span, key in zip(spans, keys):
        groups.setdefault(uf.find(key), []).append(span)
    ordered = sorted(groups.values(), key=lambda g: g[0].start)
    return [(g[0].label_, g) for g in ordered]


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9]$")


def _merge_variants(uf: _UnionFind, spans: list[Span], keys: list[tuple[str, str]], defined: set[str]) -> None:
    """Join forms of one name in one paper that :func:`form_key` keeps apart.

    Within one type: spacing, case and "Net"/"Network" variants (one
    :func:`~kg.textnorm.compact_key`: "Markov Junior" / "MarkovJunior"); an
    undefined acronym spelt by the capitalised parts of exactly one other
    name ("FA2" / "FlashAttention-2"); a camel-case blend of exactly one
    two-word name ("WyFormer" / "Wyckoff Transformer"). Versions and suffixes
    are never dropped, so "GPT-4" and "GPT-4o" stay apart.
    """
    forms: dict[tuple[str, str], str] = {}
    for span, key in zip(spans, keys):
        forms.setdefault(key, span.text)
    by_compact: dict[tuple[str, str], tuple[str, str]] = {}
    for key, text in forms.items():
        ck = (key[0], compact_key(text))
        if len(ck[1]) < 2:
            continue
        first = by_compact.setdefault(ck, key)
        if first != key:
            uf.union(first, key)
    for key, text in forms.items():
        if key[1] in defined:
            continue  # a defined acronym is joined to its definition only
        if _ACRONYM.match(text):
            longs = {k for k, t in forms.items() if k[0] == key[0] and k != key and part_initials(t) == text}
        elif " " not in text and "-" not in text:
            longs = {k for k, t in forms.items() if k[0] == key[0] and k != key and is_blend(text, t)}
        else:
            continue
        if len({uf.find(k) for k in longs}) == 1:
            uf.union(longs.pop(), key)


def _merge_expanded(uf: _UnionFind, keys: list[tuple[str, str]], expansions: dict[str, str]) -> None:
    """Join a form that uses a defined acronym to the form that spells it out, in one type.

    With "concept bottleneck models (CBMs)" defined, "Sparse-CBM" and "Sparse
    Concept Bottleneck Models" are one entity: their keys agree once the
    acronym is written out. Nothing else of either form may differ.
    """
    known = set(keys)
    for etype, key in known:
        words = key.split()
        if len(words) < 2 or not any(w in expansions for w in words):
            continue
        full = " ".join(expansions.get(w, w) for w in words)
        if full != key and (etype, full) in known:
            uf.union((etype, key), (etype, full))


_COUNTED_HEADS = frozenset(
    [
        "gpu",
        "gpus",
        "tpu",
        "tpus",
        "cpu",
        "cpus",
        "chips",
        "chip",
        "cards",
        "card",
        "devices",
        "device",
        "nodes",
        "node",
        "accelerators",
        "cores",
    ]
)
_NOT_COUNTED_AFTER = frozenset({"hours", "hour", "days", "day", "-", "hrs", "h"})


def _hardware_count(spans: list[Span]) -> tuple[tuple[str, str], ...]:
    """``(("count", "8"),)`` when a mention is preceded by a device count: "8x A100 GPUs", "eight TPUs"."""
    for span in spans:
        if span.start == 0:
            continue
        doc = span.doc
        prev = doc[span.start - 1]
        count = parse_count(prev.text)
        if count is None:
            continue
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        names_device = (
            span[-1].lower_ in _COUNTED_HEADS
            or nxt in _COUNTED_HEADS
            or prev.text.lower().endswith(("x", "×"))
        )
        if names_device and nxt not in _NOT_COUNTED_AFTER:
            return (("count", str(count)),)
    return ()


class _Sentences:
    """The text of ``span.sent`` (stripped), from the sentence starts found once per doc.

    ``Span.sent`` walks the tokens to both sentence boundaries for every span;
    this looks them up: the sentence of the span's first token up to the first
    sentence start at or after its end, as ``Span.sent`` does.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [sent.start for sent in doc.sents] if doc.has_annotation("SENT_START") else None
        self.texts: dict[tuple[int, int], str] = {}

    def text(self, span: Span) -> str:
        if self.starts is None:
            return span.sent.text.strip()  # raises as spaCy does without sentence boundaries
        start = self.starts[bisect_right(self.starts, span.start) - 1]
        k = bisect_left(self.starts, span.end)
        end = self.starts[k] if k < len(self.starts) else len(self.doc)
        key = (start, end)
        if key not in self.texts:
            self.texts[key] = self.doc[start:end].text.strip()
        return self.texts[key]


def doc_to_extraction(doc: Doc, paper: Paper) -> Extraction:
    """Build the extraction record of one paper from its processed ``Doc``."""
    long_forms = {lf.text for lf, _ in doc._.kg_abbreviations or []}
    sentences = _Sentences(doc)
    entities = []
    for etype, spans in group_mentions(doc):
        forms = Counter(s.text for s in spans)
        name = choose_name(forms, long_forms)
        mentions = tuple(
            Mention(
                s.text,
                s.start_char,
                s.end_char,
                sentences.text(s),
                round(float(s._.kg_confidence), 3),
                s._.kg_source,
            )
            for s in spans
        )
        confidence = 1.0
        for m in mentions:
            confidence *= 1.0 - m.confidence
        kb_key = next((s.id_ for s in spans if s.id_), "")
        attributes = _hardware_count(spans) if etype == "Hardware" else ()
        entities.append(
            EntityRecord(
                type=etype,
                name=name,
                mentions=mentions,
                aliases=tuple(sorted(f for f in forms if f != name)),
                confidence=round(1.0 - confidence, 3),
                key=f"kb:{kb_key}" if kb_key else form_key(name),
                attributes=attributes,
            )
        )
    proposed = tuple(doc._.kg_proposed or ())
    results: tuple[ResultRecord, ...] = tuple(doc._.kg_results or ())
    relations: tuple[RelationRecord, ...] = tuple(doc._.kg_relations or ())
    return Extraction(paper, tuple(entities), proposed, results, relations)
