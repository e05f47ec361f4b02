"""``kg_proposed``: which methods the paper itself introduces.

Evidence, strongest first:

* the title names the approach: "Hydra: Multi-head Low-rank Adaptation ..."
  (the part before the colon), or a Method mention that is most of the title
  ("Pointer Networks");
* a proposal verb with the paper as subject: "we propose / introduce /
  present / develop X", "this paper presents X", "X is proposed";
* naming: "called X", "named X", "dubbed X", "termed X", "X, a novel ...".

The result is the list of Method mentions, as written, in
``doc._.kg_proposed`` (duplicates and acronyms of one entity are kept once).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY

__all__ = ["NAMING_WORDS", "PROPOSAL_VERBS", "ProposalFinder", "find_proposed", "make_kg_proposed"]

PROPOSAL_VERBS = frozenset(
    [
        "propose",
        "proposes",
        "proposed",
        "introduce",
        "introduces",
        "introduced",
        "present",
        "presents",
        "presented",
        "develop",
        "develops",
        "developed",
        "design",
        "designs",
        "designed",
        "devise",
        "devises",
        "devised",
        "build",
        "builds",
        "built",
        "create",
        "creates",
        "created",
        "contribute",
        "contributes",
        "offer",
        "offers",
        "establish",
        "establishes",
    ]
)
NAMING_WORDS = frozenset({"called", "named", "dubbed", "termed", "coined", "namely"})
_SUBJECTS = frozenset({"we", "paper", "work", "article", "study", "here", "thus", "this"})
_NOVEL = frozenset(
    {"novel", "new", "first", "simple", "efficient", "general", "unified", "lightweight", "scalable"}
)


_DATA_WORDS = frozenset(
    "dataset datasets benchmark benchmarks benchmarking corpus corpora suite collection data leaderboard".split()
)


def _method_spans(doc: Doc) -> list[Span]:
    return [s for s in doc.spans.get(ENTITY_SPANS_KEY, []) if s.label_ == "Method"]


def _retype(doc: Doc, texts: set[str]) -> None:
    """Relabel every entity mention whose text is in ``texts`` as a Method."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    kept = []
    for s in spans:
        new = Span(doc, s.start, s.end, label="Method", span_id=s.id_) if s.text in texts else s
        kept.append((new, s._.kg_confidence, s._.kg_source))
    doc.spans[ENTITY_SPANS_KEY] = [s for s, _, _ in kept]
    for span, (_, conf, source) in zip(doc.spans[ENTITY_SPANS_KEY], kept):
        span._.kg_confidence = conf
        span._.kg_source = source


def retype_proposals(doc: Doc, window: int = 14) -> None:
    """Make a name the paper proposes a Method when the recogniser typed it Dataset.

    "We propose CS-IB, ..." names a method unless the sentence presents data
    ("we introduce X, a benchmark of ..."), which keeps the Dataset type.
    """
    spans = [s for s in doc.spans.get(ENTITY_SPANS_KEY, []) if s.label_ == "Dataset"]
    if not spans:
        return
    texts = set()
    for sent in doc.sents:
        words = [t.lower_ for t in sent]
        if any(w in _DATA_WORDS for w in words):
            continue
        for i, tok in enumerate(sent):
            if tok.lower_ in PROPOSAL_VERBS and set(words[max(0, i - 4) : i]) & _SUBJECTS:
                after = [s for s in spans if tok.i < s.start <= tok.i + window and s.end <= sent.end]
                texts.update(s.text for s in after[:1])
            elif tok.lower_ in NAMING_WORDS:
                texts.update(s.text for s in spans if tok.i < s.start <= tok.i + 2)
    if texts:
        _retype(doc, texts)


def retype_title_proposal(doc: Doc) -> None:
    """Make the title's head name a Method when the title does not present data.

    "PhysiX: A Foundation Model for ..." names the paper's method even when the
    recogniser typed "PhysiX" as a dataset; "LIBERO: Benchmarking ..." keeps
    its Dataset type. Every mention with the same text is retyped.
    """
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    title_end = _title_end(doc)
    colon = next((t.i for t in doc[:title_end] if t.text == ":"), None)
    if colon is None or colon > 8:
        return
    if any(t.lower_ in _DATA_WORDS for t in doc[:title_end]):
        return
    heads = {s.text for s in spans if s.end <= colon and s.label_ in ("Dataset", "Metric")}
    if heads:
        _retype(doc, heads)


def _title_end(doc: Doc) -> int:
    for tok in doc:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            return tok.i + (0 if "\n" in tok.text else 1)
    return len(doc)


def find_proposed(doc: Doc, window: int = 14) -> list[Span]:
    """Return the Method spans ``doc`` proposes, in text order (see the module docstring)."""
    methods = _method_spans(doc)
    if not methods:
        return []
    chosen: dict[int, Span] = {}
    title_end = _title_end(doc)
    title = doc[:title_end]
    colon = next((t.i for t in title if t.text == ":"), None)
    head_end = colon if colon is not None and colon <= 8 else None
    for span in methods:
        if span.start >= title_end:
            break
        if (
            (head_end is not None and span.start < head_end and span.end <= head_end)
            or len(span) * 10 >= 6 * max(1, title_end - (1 if colon is None else 0))
            or (head_end is None and span.start == 0 and len(span) >= max(2, (title_end - 1) // 2))
        ):
            chosen[span.start] = span
    for sent in doc.sents:
        if sent.start < title_end:
            continue
        words = [t.lower_ for t in sent]
        for i, tok in enumerate(sent):
            lower = tok.lower_
            if lower in PROPOSAL_VERBS:
                before = set(words[max(0, i - 4) : i])
                passive = (
                    lower.endswith("ed") and i > 0 and words[i - 1] in {"is", "are", "was", "were", "be"}
                )
                if not (before & _SUBJECTS) and not passive:
                    continue
                if passive:
                    cand = [
                        m for m in methods if sent.start <= m.start and m.end <= tok.i and tok.i - m.end <= 3
                    ]
                    cand = cand[-1:]
                else:
                    after = [m for m in methods if tok.i < m.start <= tok.i + window and m.end <= sent.end]
                    cand = after[:1]
                    # "we propose A and B": a second name joined by "and"
                    if len(after) > 1:
                        gap = [t.lower_ for t in doc[after[0].end : after[1].start]]
                        if "and" in gap and len(gap) <= 3:
                            cand.append(after[1])
                for m in cand:
                    chosen.setdefault(m.start, m)
            elif lower in NAMING_WORDS:
                cand = [m for m in methods if tok.i < m.start <= tok.i + 2]
                for m in cand[:1]:
                    chosen.setdefault(m.start, m)
        # "X, a novel framework that ..." at the start of a sentence
        first = next((m for m in methods if m.start == sent.start), None)
        if first is not None and first.end + 2 < sent.end:
            after = [t.lower_ for t in doc[first.end : first.end + 3]]
            if after[:1] == [","] and any(w in _NOVEL for w in after[1:]):
                chosen.setdefault(first.start, first)
    return [chosen[k] for k in sorted(chosen)]


class ProposalFinder:
    """Store the surface forms of :func:`find_proposed` in ``doc._.kg_proposed``."""

    def __init__(self, name: str = "kg_proposed", *, window: int = 14) -> None:
        self.name = name
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        retype_title_proposal(doc)
        retype_proposals(doc, self.window)
        seen: set[str] = set()
        forms = []
        for span in find_proposed(doc, self.window):
            if span.text not in seen:
                seen.add(span.text)
                forms.append(span.text)
        doc._.kg_proposed = forms
        return doc


@Language.factory(
    "kg_proposed", assigns=["doc._.kg_proposed"], requires=["doc.sents"], default_config={"window": 14}
)
def make_kg_proposed(nlp: Language, name: str, window: int) -> ProposalFinder:
    """Build the ``kg_proposed`` component."""
    return ProposalFinder(name, window=window)
