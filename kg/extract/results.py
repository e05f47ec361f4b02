"""``kg_results``: numeric claims such as "+1.7 mAP on COCO over YOLOv8".

For each number in a sentence (with its unit: %, x, times, -fold, points,
ms, GB, tok/s, ...), the nearest Metric mention of the same sentence is its
metric ("1.7 mAP", "improves mAP by 1.7"); a number with no metric near it
is not a result (``GUIDELINES.md``). The direction comes from the verbs and
adjectives around the number ("reduces", "lower" -> reduction; "improves",
"higher", "faster" -> gain); the dataset is the Dataset mention of the
sentence; the comparison is what follows "than", "over", "compared to",
"relative to", "against" or "vs".
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.records import ResultRecord

__all__ = ["VALUE_RE", "ResultFinder", "find_results", "make_kg_results", "parse_value"]

_UNIT = (
    r"\\?%|\s?percentage points|\s?pp\b|\\times|\s?×|x\b|X\b|\s?times\b|-fold\b|\s?fold\b|\s?points?\b|"
    r"\s?ms\b|\s?seconds?\b|\s?s\b|\s?hours?\b|\s?GB\b|\s?MB\b|\s?TB\b|\s?dB\b|\s?tok/s\b|\s?tokens/s\b|"
    r"\s?FPS\b|\s?K\b|\s?M\b|\s?B\b|\s?W\b|\s?J\b|\s?mJ\b|\s?TFLOPS\b|\s?GOPS\b|\s?TOPS\b"
)
#: A number as results are written: "+1.7", "8\\%", "2.38x", "13.7times", "3-5%", "15,944 tok/s".
VALUE_RE = re.compile(
    rf"(?<![\w.\-/])(?P<sign>[+\-−~≈]|>|<|up to )?\s?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)"
    rf"(?:\s?(?:-|–|to)\s?(?P<num2>\d+(?:\.\d+)?))?(?P<unit>{_UNIT})?(?![\w])"
)
_GAIN = frozenset(
    [
        "improve",
        "improves",
        "improved",
        "improving",
        "improvement",
        "improvements",
        "increase",
        "increases",
        "increased",
        "higher",
        "better",
        "outperform",
        "outperforms",
        "outperformed",
        "outperforming",
        "boost",
        "boosts",
        "boosted",
        "gain",
        "gains",
        "faster",
        "speedup",
        "speed-up",
        "speedups",
        "accelerate",
        "accelerates",
        "accelerating",
        "accelerated",
        "exceed",
        "exceeds",
        "surpass",
        "surpasses",
        "up",
        "achieving",
        "achieves",
        "achieve",
        "larger",
        "more",
    ]
)
_REDUCTION = frozenset(
    [
        "reduce",
        "reduces",
        "reduced",
        "reducing",
        "reduction",
        "reductions",
        "lower",
        "lowers",
        "lowering",
        "decrease",
        "decreases",
        "decreased",
        "fewer",
        "less",
        "cut",
        "cuts",
        "cutting",
        "save",
        "saves",
        "saving",
        "savings",
        "drop",
        "drops",
        "smaller",
        "shrink",
        "shrinks",
        "compress",
        "compresses",
        "down",
    ]
)
_COMPARE = (
    "compared to",
    "compared with",
    "relative to",
    "in comparison to",
    "than",
    "over",
    "against",
    "versus",
    "vs.",
    "vs",
)
_STOP = frozenset(
    {",", ";", ".", ":", "on", "by", "in", "and", "while", "with", "at", "for", "(", ")", "which"}
)
_UNIT_NORMAL = {
    "%": "%",
    "\\%": "%",
    "percentage points": "pp",
    "pp": "pp",
    "\\times": "x",
    "×": "x",
    "x": "x",
    "X": "x",
    "times": "x",
    "-fold": "x",
    "fold": "x",
    "point": "points",
    "points": "points",
}


def parse_value(text: str) -> tuple[float | None, str | None]:
    """Return the number and normalised unit of a value as written.

    >>> parse_value("2.38x"), parse_value("8\\\\%"), parse_value("15,944 tok/s"), parse_value("13.7times")
    ((2.38, 'x'), (8.0, '%'), (15944.0, 'tok/s'), (13.7, 'x'))
    """
    m = VALUE_RE.search(text)
    if not m:
        return None, None
    number = float(m["num"].replace(",", ""))
    unit = (m["unit"] or "").strip()
    return number, (_UNIT_NORMAL.get(unit, unit) or None)


def _is_year(m: re.Match) -> bool:
    return not m["unit"] and not m["sign"] and re.fullmatch(r"(19|20)\d\d", m["num"]) is not None


def _direction(words: list[str]) -> str | None:
    gain = sum(w in _GAIN for w in words)
    red = sum(w in _REDUCTION for w in words)
    if gain > red:
        return "gain"
    if red > gain:
        return "reduction"
    return None


def _comparison(sent: Span, after_char: int, spans: list[Span]) -> str | None:
    text = sent.text.lower()
    rel = after_char - sent.start_char
    best = None
    for cue in _COMPARE:
        for m in re.finditer(rf"\b{re.escape(cue)}(?=\W)", text):
            if m.start() < rel - 60:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), m.end())
    if best is None:
        return None
    start_char = sent.start_char + best[1]
    for span in spans:
        if span.start_char >= start_char and span.start_char - start_char <= 12 and span.label_ == "Method":
            return span.text
    tokens = [t for t in sent if t.idx >= start_char]
    words = []
    for t in tokens:
        if t.lower_ in _STOP or len(words) >= 8:
            break
        words.append(t)
    if not words:
        return None
    phrase = sent.doc[words[0].i : words[-1].i + 1].text
    if phrase.lower() in {"the", "a", "an", "baseline", "baselines"}:
        return phrase if phrase.lower().startswith("baseline") else None
    return phrase


def find_results(doc: Doc, max_distance: int = 8) -> list[ResultRecord]:
    """Return the numeric results stated in ``doc`` (see the module docstring)."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    entity_chars = [(s.start_char, s.end_char) for s in spans]
    proposed = list(doc._.kg_proposed or [])
    results: list[ResultRecord] = []
    for sent in doc.sents:
        metrics = [s for s in spans if s.label_ == "Metric" and sent.start <= s.start < sent.end]
        if not metrics:
            continue
        datasets = [s for s in spans if s.label_ == "Dataset" and sent.start <= s.start < sent.end]
        sent_spans = [s for s in spans if sent.start <= s.start < sent.end]
        for m in VALUE_RE.finditer(sent.text):
            if _is_year(m):
                continue
            start = sent.start_char + m.start("num")
            end = sent.start_char + m.end()
            if any(a <= start < b for a, b in entity_chars):
                continue  # a digit inside a name: "GPT-4", "A100"
            value_tok = doc.char_span(start, start + len(m["num"]), alignment_mode="expand")
            if value_tok is None:
                continue
            vi = value_tok.start
            best = None
            for metric in metrics:
                if metric.start >= value_tok.end:
                    distance = metric.start - value_tok.end
                    if distance > 3:
                        continue
                else:
                    distance = vi - metric.end + 1
                if distance < 0 or distance > max_distance:
                    continue
                if best is None or distance < best[0]:
                    best = (distance, metric)
            if best is None:
                continue
            metric = best[1]
            lo = max(sent.start, min(vi, metric.start) - 6)
            words = [t.lower_ for t in doc[lo : max(vi, metric.end) + 1]]
            direction = _direction(words) or _direction([t.lower_ for t in sent])
            if (m["sign"] or "").strip() in {"-", "−"}:
                direction = "reduction"
            elif (m["sign"] or "").strip() == "+":
                direction = "gain"
            value_text = doc.text[start:end].strip()
            if m["sign"] and m["sign"].strip() in {">", "<", "~", "≈"}:
                value_text = doc.text[sent.start_char + m.start() : end].strip()
            number, unit = parse_value(value_text)
            dataset = min(datasets, key=lambda d: abs(d.start - vi)).text if datasets else None
            comparison = _comparison(sent, end, sent_spans)
            method = next((s.text for s in sent_spans if s.label_ == "Method" and s.text in proposed), None)
            results.append(
                ResultRecord(
                    metric=metric.text,
                    value=value_text,
                    number=number,
                    unit=unit,
                    direction=direction,
                    dataset=dataset,
                    comparison=comparison,
                    method=method or (proposed[0] if proposed else None),
                    sentence=sent.text.strip(),
                    confidence=round(0.9 - 0.05 * best[0], 2),
                )
            )
    return results


class ResultFinder:
    """Store :func:`find_results` in ``doc._.kg_results``."""

    def __init__(self, name: str = "kg_results", *, max_distance: int = 8) -> None:
        self.name = name
        self.max_distance = max_distance

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_results = find_results(doc, self.max_distance)
        return doc


@Language.factory(
    "kg_results", assigns=["doc._.kg_results"], requires=["doc.sents"], default_config={"max_distance": 8}
)
def make_kg_results(nlp: Language, name: str, max_distance: int) -> ResultFinder:
    """Build the ``kg_results`` component."""
    return ResultFinder(name, max_distance=max_distance)
