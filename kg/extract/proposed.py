"""``kg_proposed``: which methods the paper itself introduces.

Evidence, strongest first:

* the title names the approach: "Hydra: Multi-head Low-rank Adaptation ..."
  (the part before the colon), or a Method mention that is most of the title
  ("Pointer Networks");
* a proposal verb with the paper as subject: "we propose / introduce /
  present / develop X", "this paper presents X", "X is proposed";
* naming: "called X", "named X", "dubbed X", "termed X", "X, a novel ...";
* "our proposed X"; a variant whose name extends a proposed name ("LASP-2H"
  beside "LASP-2"); when the title has no other proposal, the title phrase
  after "via / with / using / through".

A coined name that the recogniser missed ("named Hydra", "we introduce
DiffCrysGen, a ...", the title head "Hydra: ...") is added as a Method span
(source ``coined``). Broad, well-known concepts ("LLMs", "fine-tuning", "a
statistical model") are not proposals, nor is what a sentence names as a
problem ("a problem called set disjointness"), nor the base of "an X-based
method". The proposal verb's object ends at a relative clause ("which",
"that", ...).

The result is the list of Method mentions, as written, in
``doc._.kg_proposed`` (one form per entity, grouped as the records group them).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.extract.to_records import group_mentions
from kg.kb import KnowledgeBase, load_kb

__all__ = [
    "NAMING_WORDS",
    "PROPOSAL_VERBS",
    "ProposalFinder",
    "add_coined_names",
    "find_proposed",
    "is_generic",
    "link_title_names",
    "make_kg_proposed",
]

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
_NOVEL = frozenset({"novel", "new", "first", "simple", "efficient", "general", "unified", "lightweight", "scalable"})


_DATA_WORDS = frozenset(
    "dataset datasets benchmark benchmarks benchmarking corpus corpora suite collection data leaderboard".split()
)
#: Bare heads that name no particular method (GUIDELINES: "method", "model", "framework", ...).
_GENERIC_HEADS = frozenset(
    "method methods approach approaches model models framework frameworks technique techniques architecture "
    "architectures algorithm algorithms system systems network networks".split()
)
#: Modifiers that leave a generic head generic: "a statistical model", "a new neural architecture".
_BROAD_MODIFIERS = frozenset(
    "neural statistical deep generative probabilistic mathematical computational theoretical analytical numerical "
    "predictive new novel simple general efficient unified hybrid learning machine language".split()
)
#: Knowledge-base kinds of broad concepts; an entry of these kinds with no paper of its own is a general term.
_BROAD_KINDS = frozenset({"paradigm", "technique"})
#: Words that begin a relative clause: what follows is not the proposal verb's object.
_CLAUSE_BREAKS = frozenset({"which", "that", "where", "whose", "who", "whereby", ";"})
#: Prepositions after which a method is an instrument of the proposal, not the proposal: "a method ... with CBMs".
_INSTRUMENTS = frozenset({"with", "using", "via", "by"})
#: Nouns before a naming word that say the name is a problem or a notion, not a method.
_NOT_METHOD_NOUNS = frozenset(
    "problem problems task tasks phenomenon issue challenge setting term effect concept notion property".split()
)
_APPOSITION = frozenset({",", "(", "-", "--", ":", "namely", "called", "named", "dubbed", "termed", "i.e."})
_BASED = re.compile(r"(?:\s*\([^()]{1,20}\))?-based\b")
#: Verbs by which a proposed name takes a new part: "PhysiX incorporates a refinement module".
_COMPONENT_VERBS = frozenset({"incorporates", "introduces", "features", "comprises", "contains", "includes"})
_TITLE_LINKS = frozenset({"via", "with", "using", "through"})
_DETERMINERS = frozenset({"a", "an", "the", "our", "this", "its"})
_NOT_NAMES = frozenset(
    "a an the this these that those our we it its in on of for to and or with by from as at here there then "
    "first second finally specifically moreover furthermore additionally".split()
)


@cache
def _kb() -> KnowledgeBase:
    """The shipped knowledge base, loaded once (kinds of linked entries)."""
    return load_kb()


def _has_subject(words: list[str], i: int) -> bool:
    """Whether the paper is the subject of the verb ``words[i]``: "we propose", "this paper presents".

    A relative pronoun in between ends the search: in "a version of this
    architecture, which introduces ..." the subject is not the paper.
    """
    before = words[max(0, i - 4) : i]
    cut = max((k + 1 for k, w in enumerate(before) if w in _CLAUSE_BREAKS), default=0)
    if set(before[cut:]) & _SUBJECTS:
        return True
    # "we integrated A with B and proposed C": a verb coordinated with one whose subject is "we"
    head = words[:i]
    return i > 1 and words[i - 1] == "and" and "we" in head and not set(head[head.index("we") :]) & _CLAUSE_BREAKS


def _is_naming(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` introduces a name: "called", "named", ..., or "as" in "known as"."""
    return words[i] in NAMING_WORDS or (words[i] == "as" and i > 0 and words[i - 1] == "known")


def _method_spans(doc: Doc) -> list[Span]:
    return [s for s in doc.spans.get(ENTITY_SPANS_KEY, []) if s.label_ == "Method"]


def is_generic(span: Span, kb: KnowledgeBase | None = None) -> bool:
    """Whether ``span`` names a broad, well-known concept that no paper proposes.

    A knowledge-base entry of a broad kind (paradigm, technique) with no paper
    of its own ("LLMs", "fine-tuning", "lifelong learning"), or a lower-case
    generic head with only broad modifiers ("statistical model", "neural
    architecture"; GUIDELINES: bare generic heads are not Methods).
    """
    if span.id_:
        entry = (kb or _kb()).get("Method", span.id_)
        if entry is not None and entry.attribute("kind") in _BROAD_KINDS and not entry.external_ids:
            return True
    words = [t.lower_ for t in span if t.is_alpha]
    if not words or span.text != span.text.lower():
        return False
    return words[-1] in _GENERIC_HEADS and all(w in _BROAD_MODIFIERS for w in words[:-1])


def _is_based_on(span: Span) -> bool:
    """Whether ``span`` is only the base of what is proposed: "a Monte Carlo Tree Search (MCTS)-based strategy"."""
    rest = span.doc.text[span.end_char : span.end_char + 60]
    return _BASED.match(rest) is not None


def _name_shaped(tok) -> bool:
    """A token that looks like part of a coined name: capitalised, or with an inner capital or a digit."""
    text = tok.text
    if not any(c.isalpha() for c in text) or tok.lower_ in _NOT_NAMES:
        return False
    return text[0].isupper() or any(c.isupper() or c.isdigit() for c in text[1:])


def _name_at(doc: Doc, i: int, end: int) -> tuple[int, int] | None:
    """The run of name-shaped tokens starting at ``i`` (hyphens inside kept): "Hydra", "Partially-Connected DARTS"."""
    j = i
    while j < end and (
        _name_shaped(doc[j]) or (doc[j].text == "-" and j > i and j + 1 < end and not doc[j].whitespace_)
    ):
        j += 1
    while j > i and doc[j - 1].text == "-":
        j -= 1
    return (i, j) if j > i and _name_shaped(doc[i]) else None


def _starts_list(doc: Doc, end: int) -> bool:
    """Whether a name ending at ``end`` is the first of a list: "namely Hopper, Ada, and Ampere"."""
    nxt = doc[end : end + 3]
    return len(nxt) >= 2 and nxt[0].text in {",", "and"} and (_name_shaped(nxt[1]) or nxt[1].lower_ == "and")


def _covered(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def add_coined_names(doc: Doc, confidence: float = 0.7) -> None:
    """Add a Method span for each coined name the recogniser missed, and for its other mentions.

    A coined name is a run of name-shaped tokens right after a naming word
    ("the proposed method, named Hydra, ..."), right after a proposal verb
    with the paper as subject when an apposition follows ("we introduce
    DiffCrysGen, a ..."), or a one-word title head before a colon
    ("Hydra: Multi-head ..."). Names that overlap an entity span are left to
    the recogniser.
    """
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    found: set[tuple[str, ...]] = set()
    title_end = _title_end(doc)
    colon = next((t.i for t in doc[:title_end] if t.text == ":"), None)
    if colon is not None and not any(t.lower_ in _DATA_WORDS for t in doc[:title_end]):
        head = doc[:colon]
        one_word = all(not t.whitespace_ for t in head[:-1])
        if head.text and one_word and _name_at(doc, 0, colon) == (0, colon) and not _covered(spans, 0, colon):
            found.add(tuple(t.text for t in head))
    for sent in doc.sents:
        if sent.start < title_end:
            continue
        words = [t.lower_ for t in sent]
        for k, tok in enumerate(sent):
            i = tok.i
            if _is_naming(words, k):
                if set(words[max(0, k - 3) : k]) & _NOT_METHOD_NOUNS:
                    continue
                j = i + 1 + (i + 1 < sent.end and doc[i + 1].text in {",", '"', "“"})
                span = _name_at(doc, j, sent.end)
                if span is not None and _starts_list(doc, span[1]):
                    continue
            elif tok.lower_ == "our":
                span = _name_at(doc, i + 1, sent.end)
                if span is None or span[1] >= sent.end or doc[span[1]].lower_ not in _GENERIC_HEADS:
                    continue
            elif tok.lower_ in PROPOSAL_VERBS and _has_subject(words, k):
                span = _name_at(doc, i + 1, sent.end)
                if span is not None and (span[1] >= sent.end or doc[span[1]].text not in {",", "(", ":", "--"}):
                    span = None
            else:
                continue
            if span is not None and not _covered(spans, *span):
                found.add(tuple(t.text for t in doc[span[0] : span[1]]))
    if not found:
        return
    added = []
    # longest names first, then by text: the order decides which of two overlapping names is kept
    # ("Vision MambaMixer" over "MambaMixer"), and a set's order changes from process to process
    for name in sorted(found, key=lambda n: (-len(n), n)):
        n = len(name)
        for i in range(len(doc) - n + 1):
            if tuple(t.text for t in doc[i : i + n]) == name and not _covered(spans + added, i, i + n):
                added.append(Span(doc, i, i + n, label="Method"))
    kept = [(s, s._.kg_confidence, s._.kg_source) for s in spans]
    kept += [(s, confidence, "coined") for s in added]
    kept.sort(key=lambda x: (x[0].start, x[0].end))
    doc.spans[ENTITY_SPANS_KEY] = [s for s, _, _ in kept]
    for span, (_, conf, source) in zip(doc.spans[ENTITY_SPANS_KEY], kept):
        span._.kg_confidence = conf
        span._.kg_source = source


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


def _data_word_near(span: Span, before: int = 8, after: int = 6) -> bool:
    """Whether a data word stands near ``span`` in its sentence, not inside a compound ("data-free")."""
    doc = span.doc
    sent = span.sent
    lo, hi = max(sent.start, span.start - before), min(sent.end, span.end + after)
    for t in doc[lo:hi]:
        if t.lower_ not in _DATA_WORDS or span.start <= t.i < span.end:
            continue
        joined = (t.i + 1 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_) or (
            t.i > 0 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_
        )
        if not joined:
            return True
    return False


def retype_proposals(doc: Doc, window: int = 14) -> None:
    """Make a name the paper proposes a Method when the recogniser typed it Dataset.

    "We propose CS-IB, ..." names a method unless a data word stands near the
    name ("we introduce X, a benchmark of ..."), which keeps the Dataset type;
    a compound such as "data-free" is not a data word.
    """
    spans = [s for s in doc.spans.get(ENTITY_SPANS_KEY, []) if s.label_ == "Dataset"]
    if not spans:
        return
    texts = set()
    for sent in doc.sents:
        words = [t.lower_ for t in sent]
        for i, tok in enumerate(sent):
            if tok.lower_ in PROPOSAL_VERBS and _has_subject(words, i):
                after = [s for s in spans if tok.i < s.start <= tok.i + window and s.end <= sent.end]
                texts.update(s.text for s in after[:1] if not _data_word_near(s))
            elif _is_naming(words, i):
                texts.update(s.text for s in spans if tok.i < s.start <= tok.i + 2 and not _data_word_near(s))
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


def _title_case(span: Span) -> bool:
    """Whether every word of ``span`` is capitalised ("Worst-path" counts by its first piece)."""
    doc = span.doc
    for t in span:
        piece = t.i > span.start and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_
        if t.is_alpha and not piece and t.lower_ not in {"of", "for", "and", "with", "in"} and not t.text[0].isupper():
            return False
    return True


def _title_proposals(doc: Doc, methods: list[Span], title_end: int) -> list[Span]:
    """Method spans the title names as the paper's approach (see :func:`find_proposed`)."""
    title = doc[:title_end]
    colon = next((t.i for t in title if t.text == ":"), None)
    head_end = colon if colon is not None and colon <= 8 else None
    chosen = []
    for span in methods:
        if span.start >= title_end:
            break
        starts_title = span.start == 0 or (span.start == 1 and doc[0].lower_ in _DETERMINERS)
        if (
            (head_end is not None and span.start < head_end and span.end <= head_end)
            or (starts_title and len(span) * 10 >= 6 * max(1, title_end - (1 if colon is None else 0)))
            or (head_end is None and span.start == 0 and len(span) >= max(2, (title_end - 1) // 2))
        ):
            chosen.append(span)
        elif (
            span.start == 0
            and span.end < title_end
            and doc[span.end].lower_ == "for"
            and _title_case(span)
            and not span.id_
            and not is_generic(span)
        ):
            chosen.append(span)  # "PAC Prediction Sets for Large Language Models of Code"
    if chosen:
        return chosen
    # GUIDELINES: the title phrase is the proposal when nothing else names it:
    # "Retrosynthesis Planning via Worst-path Policy Optimisation"; one plain word ("through Transformation") is no name
    for span in methods:
        if span.start >= title_end:
            break
        prev = doc[span.start - 1].lower_ if span.start else ""
        named = len(span) > 1 or any(c.isupper() or c.isdigit() for c in span.text[1:])
        if prev in _TITLE_LINKS and named and _title_case(span) and not span.id_ and not is_generic(span):
            return [span]
    return []


def _object_candidates(doc: Doc, tok, sent: Span, methods: list[Span], spans: list[Span], window: int) -> list[Span]:
    """The Method spans a proposal verb introduces: its first object, an apposition, a second one after "and"."""
    end = min(sent.end, tok.i + window + 1)
    stop = next((t.i for t in doc[tok.i + 1 : end] if t.lower_ in _CLAUSE_BREAKS | _INSTRUMENTS), end)
    first_any = next((s for s in spans if tok.i < s.start < stop), None)
    if first_any is not None and first_any.label_ == "Dataset":
        return []  # "we introduce X, a benchmark ...": the object is data
    after = [m for m in methods if tok.i < m.start < stop and m.end <= sent.end]
    cand: list[Span] = []
    k = 0
    while k < len(after):
        m = after[k]
        # "a novel CBM approach -- called DN-CBM" after "CBMs": a known name only modifies the generic head
        modifier = m.end < len(doc) and doc[m.end].lower_ in _GENERIC_HEADS and not _first_mention(m)
        if not is_generic(m) and not _is_based_on(m) and not modifier:
            cand.append(m)
            break
        # "we propose a generative model, Wyckoff Diffusion": pass over a generic head to its apposition
        nxt = after[k + 1] if k + 1 < len(after) else None
        gap = {t.lower_ for t in doc[m.end : nxt.start]} if nxt is not None else {"."}
        if not gap or not gap <= (_APPOSITION | _DETERMINERS):
            break
        k += 1
    if cand:
        rest = [m for m in after if m.start >= cand[0].end]
        # "we propose A and B": a second name joined by "and"
        if rest:
            gap = [t.lower_ for t in doc[cand[0].end : rest[0].start]]
            if "and" in gap and len(gap) <= 3 and not is_generic(rest[0]):
                cand.append(rest[0])
    return cand


def _variants(doc: Doc, methods: list[Span], chosen: dict[int, Span]) -> list[Span]:
    """Names that extend a proposed coined name by a short affix: "LASP-2H" beside "LASP-2"."""
    names = {s.text for s in chosen.values() if len(s) == 1 and len(s.text) >= 4 and _name_shaped(s[0])}
    out = []
    for m in methods:
        if " " in m.text or m.id_ or m.start in chosen or m.text in names:
            continue
        if any(n in m.text and 0 < len(m.text) - len(n) <= 2 for n in names) or any(
            _other_number(n, m.text) for n in names
        ):
            out.append(m)
    return out


def _first_mention(span: Span) -> bool:
    """Whether no earlier tokens read as ``span`` (or its plural): a coined name is new where first used."""
    doc = span.doc
    n = len(span)
    forms = {span.text, span.text + "s"}
    return not any(doc[i : i + n].text in forms for i in range(span.start))


def _other_number(name: str, other: str) -> bool:
    """Whether ``other`` is ``name`` with another number: "any3" beside "any4"."""
    return name != other and any(c.isdigit() for c in name) and re.sub(r"\d+", "#", name) == re.sub(r"\d+", "#", other)


def find_proposed(doc: Doc, window: int = 14) -> list[Span]:
    """Return the Method spans ``doc`` proposes, in text order (see the module docstring)."""
    methods = _method_spans(doc)
    if not methods:
        return []
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    chosen: dict[int, Span] = {}
    title_end = _title_end(doc)
    for span in _title_proposals(doc, methods, title_end):
        chosen[span.start] = span
    for sent in doc.sents:
        if sent.start < title_end:
            continue
        words = [t.lower_ for t in sent]
        for i, tok in enumerate(sent):
            lower = tok.lower_
            if lower in PROPOSAL_VERBS:
                passive = lower.endswith("ed") and i > 0 and words[i - 1] in {"is", "are", "be"}
                if lower == "proposed" and i > 0 and words[i - 1] in {"our", "the"}:
                    cand = _adjectival_proposal(doc, tok, methods)
                elif not _has_subject(words, i) and not passive:
                    continue
                elif passive:
                    cand = [m for m in methods if sent.start <= m.start and m.end <= tok.i and tok.i - m.end <= 3]
                    cand = cand[-1:]
                else:
                    cand = _object_candidates(doc, tok, sent, methods, spans, window)
                for m in cand:
                    if not is_generic(m):
                        chosen.setdefault(m.start, m)
            elif lower == "our":
                # "with our Concept Matrix Search algorithm": the paper's own named method
                m = next((m for m in methods if m.start == tok.i + 1), None)
                if (
                    m is not None
                    and not m.id_
                    and m.end < sent.end
                    and doc[m.end].lower_ in _GENERIC_HEADS
                    and any(_name_shaped(t) for t in m)
                ):
                    chosen.setdefault(m.start, m)
            elif lower in _COMPONENT_VERBS and any(
                m.end == tok.i and m.text in {c.text for c in chosen.values()} for m in methods
            ):
                # "PhysiX incorporates a refinement module": a new part of the proposal
                for m in _object_candidates(doc, tok, sent, methods, spans, window)[:1]:
                    if not m.id_:
                        chosen.setdefault(m.start, m)
            elif _is_naming(words, i):
                if set(words[max(0, i - 3) : i]) & _NOT_METHOD_NOUNS:
                    continue  # "a problem called set disjointness"
                cand = [m for m in methods if tok.i < m.start <= tok.i + 2]
                for m in cand[:1]:
                    if not _starts_list(doc, m.end):
                        chosen.setdefault(m.start, m)
        # "X, a novel framework that ..." at the start of a sentence
        first = next((m for m in methods if m.start == sent.start), None)
        if first is not None and first.end + 2 < sent.end:
            after = [t.lower_ for t in doc[first.end : first.end + 3]]
            if after[:1] == [","] and any(w in _NOVEL for w in after[1:]):
                chosen.setdefault(first.start, first)
        for m in methods:
            if m.start < sent.start or m.start >= sent.end or m.id_:
                continue
            after = [t.lower_ for t in doc[m.end : min(sent.end, m.end + 3)]]
            prev = doc[m.start - 1].lower_ if m.start > sent.start else ""
            # "..., All-Scan, a new collective primitive"; "the new Greedy-Intersections strategy"
            if (after[:1] == [","] and after[1:2] in (["a"], ["an"]) and after[2:3] in (["new"], ["novel"])) or (
                prev in {"new", "novel"} and any(_name_shaped(t) for t in m) and _first_mention(m)
            ):
                chosen.setdefault(m.start, m)
    for m in _variants(doc, methods, chosen):
        chosen.setdefault(m.start, m)
    return [chosen[k] for k in sorted(chosen)]


def _adjectival_proposal(doc: Doc, tok, methods: list[Span]) -> list[Span]:
    """ "our proposed end-to-end Graph R-Learner": a coined name a few modifiers after "proposed"."""
    for m in methods:
        if tok.i < m.start <= tok.i + 8:
            gap = [t.lower_ for t in doc[tok.i + 1 : m.start]]
            if any(w in _GENERIC_HEADS or not (w.isalpha() or w == "-") for w in gap):
                return []
            return [m] if any(_name_shaped(t) for t in m) else []
    return []


def _entity_of(doc: Doc) -> dict[tuple[int, int], int]:
    """Map each entity span ``(start, end)`` to the index of its entity, grouped as the records group them."""
    out: dict[tuple[int, int], int] = {}
    for k, (_, group) in enumerate(group_mentions(doc)):
        for s in group:
            out.setdefault((s.start, s.end), k)
    return out


def link_title_names(doc: Doc) -> None:
    """Record the title's name and its other forms as one entity, through ``doc._.kg_abbreviations``.

    * "Hydra: Multi-head Low-rank Adaptation ...": a plain one-word name
      before the colon and the capitalised Method phrase right after it;
    * "FreeBird.jl: ..." and "FreeBird" in the abstract: one name with and
      without a package suffix.
    """
    title_end = _title_end(doc)
    colon = next((t.i for t in doc[:title_end] if t.text == ":"), None)
    if colon is None:
        return
    methods = _method_spans(doc)
    head = next((m for m in methods if m.start == 0 and m.end == colon), None)
    if head is None:
        return
    pairs = list(doc._.kg_abbreviations or [])
    word = head.text
    if len(head) == 1 and word.isalpha() and word[0].isupper() and word[1:].islower():
        long = next((m for m in methods if m.start == colon + 1 and m.end <= title_end), None)
        if long is not None and len(long) > 1 and _title_case(long) and not long.id_ and not is_generic(long):
            pairs.append((long, head))
    other = next((m for m in methods if m.start >= title_end and _same_name(m.text, word)), None)
    if other is not None:
        pairs.append((head, other))
    doc._.kg_abbreviations = pairs


def _same_name(a: str, b: str) -> bool:
    """Whether one name is the other with a package suffix: "FreeBird" and "FreeBird.jl" ("SAM2Act+" is a variant)."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short) and re.fullmatch(r"\.[a-z]{1,4}", long[len(short) :]) is not None


class ProposalFinder:
    """Store the surface forms of :func:`find_proposed` in ``doc._.kg_proposed``."""

    def __init__(self, name: str = "kg_proposed", *, window: int = 14) -> None:
        self.name = name
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        add_coined_names(doc)
        link_title_names(doc)
        retype_title_proposal(doc)
        retype_proposals(doc, self.window)
        found = find_proposed(doc, self.window)
        entity = _entity_of(doc) if found else {}
        seen: set[object] = set()
        forms = []
        for span in found:
            # one form per entity: "HLLM" and "Hierarchical Large Language Model" are one proposal
            key = entity.get((span.start, span.end), span.text)
            if key in seen or span.text in seen or any(_same_name(span.text, f) for f in forms):
                continue
            seen.update((key, span.text))
            forms.append(span.text)
        doc._.kg_proposed = forms
        return doc


@Language.factory("kg_proposed", assigns=["doc._.kg_proposed"], requires=["doc.sents"], default_config={"window": 14})
def make_kg_proposed(nlp: Language, name: str, window: int) -> ProposalFinder:
    """Build the ``kg_proposed`` component."""
    return ProposalFinder(name, window=window)
