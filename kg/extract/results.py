"""``kg_results``: numeric claims such as "+1.7 mAP on COCO over YOLOv8".

For each number in a sentence (with its unit: %, x, times, -fold, points,
ms, GB, tok/s, ...), the nearest Metric mention of the same sentence is its
metric ("1.7 mAP", "improves mAP by 1.7"); a number with no metric near it
is not a result (``GUIDELINES.md``). The direction comes from the verbs and
adjectives around the number ("reduces", "lower" -> reduction; "improves",
"higher", "faster" -> gain); the dataset is the Dataset mention of the
sentence; the comparison is what follows "than", "over", "compared to",
"relative to", "against" or "vs".

Reading rules (``GUIDELINES.md``: values as written; no named measure, no result):

- a metric written after the value counts only within the same claim ("1.7 mAP",
  "3-fold reduction in cost"), never across "and", a comma or "by"; a metric before
  the value does not reach past "but", "while" or ";";
- a list of values and a list of metrics of one length pair in order ("cuts energy and
  latency by 30% and 45%"), also with measures listed before "respectively";
- bare integers and decimals that count a following noun are not results ("3 benchmarks",
  "8-bit", "(2)", "4.5 megapixels"), unless a unit written once serves the list
  ("1,200 and 1,350 tok/s"); nor are spreads, baselines and bracketed restatements
  ("+/- 0.2", "up from 75%", "64% vs 58%", "2.4% (2.6 +/- 0.2)");
- "between 70% and 85%" is one value;
- with no Metric mention, a value with %, x or points takes the bare noun phrase that
  names its measure ("35% drop in power draw", "cuts storage cost by 20%"), and tok/s
  names throughput.
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
        "raise",
        "raises",
        "raised",
        "raising",
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
_STOP = frozenset({",", ";", ".", ":", "on", "by", "in", "and", "while", "with", "at", "for", "(", ")", "which"})
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


_STRONG_UNITS = frozenset({"%", "pp", "x", "points"})
#: Words that separate two claims: a metric across one of them belongs to another number.
_GAP_STOP = frozenset(
    (
        ", ; : and or but while whereas by with on at for than over to compared versus vs vs. which that when"
        " across under"
    ).split()
)
#: Change words that may stand between a value and its measure: "2x higher throughput", "5% reduction in error".
_CHANGE = frozenset(
    "less more higher lower fewer smaller larger greater faster slower better reduction reductions improvement"
    " improvements increase increases decrease decreases gain gains drop relative absolute average overall"
    " end-to-end in of".split()
)
#: Function words and participles that end a bare noun phrase (there is no tagger in the pipeline).
_FUNCTION = _GAP_STOP | frozenset(
    "a an the this that these those its their our his her it we they is are was were be been being has have had"
    " can could will would from in of into as up down only also still even about around nearly almost per"
    " respectively without within through after before during if so such both each all not no there here then"
    " due via among between using comparing including given requiring reaching achieving maintaining keeping"
    " leading resulting".split()
)
#: Endings of adverbs and adjectives, which do not end the name of a measure.
_ADJECTIVE_ENDINGS = ("ly", "ous", "ive", "able", "ible", "ful", "ient")
#: Words that open a new claim: a metric before one of them is not the measure of a value after it.
_CONTRAST = frozenset({"but", "while", "whereas", ";", "although", "though", "yet"})
#: Verbs whose object is the rival: "outperforms vLLM by 1.1x".
_RIVAL_VERBS = frozenset(
    {"outperform", "outperforms", "outperformed", "outperforming", "exceed", "exceeds", "surpass", "surpasses"}
)
_CHANGE_VERBS = frozenset(w for w in _GAIN | _REDUCTION if w.endswith(("e", "es", "ed", "ing", "s")))
_LIST_GAP_RE = re.compile(r"\s*(?:,\s*and|,\s*or|,|and|or)\s*")
_SPREAD_RE = re.compile(r"(?:\+/-|±|\\pm|\bpm)\s*$")


class _Value:
    """One number of a sentence as a result candidate: its regex match and token span."""

    __slots__ = ("end", "first", "last", "match", "start", "text")

    def __init__(self, match: re.Match, start: int, end: int, first: int, last: int, text: str) -> None:
        self.match, self.start, self.end, self.first, self.last, self.text = match, start, end, first, last, text

    @property
    def unit(self) -> str | None:
        return parse_value(self.text)[1]


def _is_count(m: re.Match, before: str, after: str) -> bool:
    """Whether a number with no unit is a count, a size or a label rather than a measured value.

    Results are written with a unit, a sign or decimals ("+1.7", "0.93", "8%"); a bare
    integer is a count ("18 tasks", "2 datasets"), a setting ("4-bit") or an enumerator
    ("(2)"); a bare decimal followed by a word counts that word ("2.3 Mpixels",
    "18.9 million tokens") unless the word is the metric itself ("1.7 mAP", checked by the caller).
    """
    if m["unit"] or (m["sign"] or "").strip():
        return False
    if "." not in m["num"]:
        return True
    word = re.match(r"\s?([A-Za-z][\w\-]*)", after)
    return word is not None and word[1].lower() not in _FUNCTION and not before.endswith("(")


def _sentence_values(doc: Doc, sent: Span, entity_chars: list[tuple[int, int]], metric_starts: set[int]) -> list:
    """The result candidates of a sentence, with the numbers that are not results left out."""
    text = sent.text
    out: list[_Value] = []
    skip_until = -1
    for m in VALUE_RE.finditer(text):
        if m.start() < skip_until or _is_year(m):
            continue
        start = sent.start_char + m.start("num")
        end = sent.start_char + m.end()
        if any(a <= start < b for a, b in entity_chars):
            continue  # a digit inside a name: "GPT-4", "A100"
        before, after = text[: m.start()], text[m.end() :]
        tok = doc.char_span(start, end, alignment_mode="expand")
        if tok is None:
            continue
        shares_unit = re.match(rf"\s*(?:,\s*and|,|and|or|to)\s*{VALUE_RE.pattern}", after)
        if _is_count(m, before, after) and tok.end not in metric_starts and not (shares_unit and shares_unit["unit"]):
            continue  # but "15,944 and 15,343 tok/s" share the unit written once
        low = before.lower().rstrip()
        if _SPREAD_RE.search(low) or re.search(r"(?:\bfrom|\bvs\.?|\bversus)$", low):
            continue  # "1.9 +/- 0.1", "up from 58.8%", "49% vs 28%": a spread or the baseline's value
        if out and re.fullmatch(r"\s*\(", text[out[-1].end - sent.start_char : m.start()]):
            continue  # "1.93% (1.98 +/- 0.07)": a bracketed restatement of the value before it
        if before.rstrip().endswith("(") and re.match(r"\s*(?:\+/-|±|\\pm|pm\b)", after):
            continue  # "5.5% error (5.8 +/- 0.3)": a bracketed mean and spread restate a value given before
        if (m["sign"] or "").strip() in {">", "<", "~", "≈"}:
            start = sent.start_char + m.start()
        value_text = doc.text[start:end].strip()
        second = VALUE_RE.match(after, re.match(r"\s*and\s*", after).end()) if re.match(r"\s*and\s", after) else None
        if low.endswith("between") and second:
            # "between 67% and 89%" is one value, written as such (GUIDELINES: values as written)
            start = sent.start_char + len(before.rstrip()) - len("between")
            end = sent.start_char + m.end() + second.end()
            value_text = doc.text[start:end]
            skip_until = m.end() + second.end()
            tok = doc.char_span(start, end, alignment_mode="expand")
        out.append(_Value(m, start, end, tok.start, tok.end, value_text))
    return out


def _groups(items: list, gap_text) -> list[list[int]]:
    """Indices of runs of items written as a list ("A, B, and C"), two or more long."""
    runs: list[list[int]] = []
    for i in range(len(items)):
        if i and _LIST_GAP_RE.fullmatch(gap_text(items[i - 1], items[i])):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [r for r in runs if len(r) > 1]


def _parallel(doc: Doc, values: list[_Value], metrics: list[Span]) -> dict[int, Span]:
    """Pair a list of values with a list of metrics of the same length, in order.

    "reduces power and latency by 49% and 89%" and "17.77%, 2.49x and 2.32x reductions on
    latency, energy and area" state one value per metric, in the order of the metrics
    (with or without "respectively").
    """
    value_runs = _groups(values, lambda a, b: doc.text[a.end : b.start])
    metric_runs = _groups(metrics, lambda a, b: doc.text[a.end_char : b.start_char])
    paired: dict[int, Span | str] = {}
    for run in value_runs:
        same = [mr for mr in metric_runs if len(mr) == len(run)]
        if not same:
            phrases = _respectively(doc, values[run[-1]])
            if len(phrases) == len(run):
                paired.update(zip(run, phrases))
            continue
        near = min(same, key=lambda mr: abs(metrics[mr[0]].start - values[run[0]].first))
        for vi, mi in zip(run, near):
            paired[vi] = metrics[mi]
    return paired


def _respectively(doc: Doc, last: _Value) -> list[str]:
    """The measures listed between a list of values and "respectively" ("3x and 2x A and B respectively").

    Used when the measures are not Metric mentions; each must be a bare noun phrase.
    """
    sent = doc[last.last - 1].sent
    tokens = list(doc[last.last : sent.end])
    end = next((i for i, t in enumerate(tokens) if t.lower_ == "respectively"), None)
    if end is None or end > 14:
        return []
    parts: list[list] = [[]]
    for t in tokens[:end]:
        if t.lower_ in {",", "and", "or"}:
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    parts = [p for p in parts if p]
    while parts and len(parts[0]) > 1 and parts[0][0].lower_ in _CHANGE:
        parts[0] = parts[0][1:]  # "2x larger batch size and context length respectively"
    if any(len(_phrase_tokens(p)) != len(p) for p in parts):
        return []
    return [_noun_phrase(p) for p in parts]


def _clean_gap(tokens: Span) -> bool:
    """Whether the words between a value and a metric after it keep them in one claim."""
    depth = 0
    for t in tokens:
        if t.text in "([":
            depth += 1
        elif t.text in ")]":
            depth -= 1
        elif depth == 0 and (t.lower_ in _GAP_STOP or t.like_num):
            return False
    return True


def _nearest_metric(doc: Doc, value: _Value, metrics: list[Span], max_distance: int) -> tuple[int, Span] | None:
    """The metric of a value: one written after it in the same claim, else the nearest one before it."""
    after = [
        (m.start - value.last, m)
        for m in metrics
        if m.start >= value.last and m.start - value.last <= 5 and _clean_gap(doc[value.last : m.start])
    ]
    if after:
        return min(after, key=lambda x: x[0])
    before = [(value.first - m.end + 1, m) for m in metrics if m.end <= value.first]
    before = [
        b
        for b in before
        if 0 <= b[0] <= max_distance and not any(t.lower_ in _CONTRAST for t in doc[b[1].end : value.first])
    ]
    return min(before, key=lambda x: x[0]) if before else None


def _phrase_tokens(tokens: list) -> list:
    """The tokens of the leading bare noun phrase of ``tokens`` (up to four words), or [].

    A hyphenated compound is one word ("end-to-end latency", "self-attention latency"), so
    the phrase never stops inside it.
    """
    out: list = []
    words = 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.text == "-" and out and not out[-1].whitespace_ and i + 1 < len(tokens):
            out += [t, tokens[i + 1]]
            i += 2
            continue
        if t.lower_ in _FUNCTION or t.like_num or not re.fullmatch(r"[A-Za-z][A-Za-z\-]*", t.text) or words == 4:
            break
        out.append(t)
        words += 1
        i += 1
    while out and out[-1].lower_ in _CHANGE:
        out.pop()  # "3x higher throughput overall"
    if not out or out[-1].text == "-" or out[-1].lower_.endswith(_ADJECTIVE_ENDINGS):
        return []  # a measure is named by a noun: "3x more sample efficient" names none
    return out


def _noun_phrase(tokens: list) -> str | None:
    """The text of the leading bare noun phrase of ``tokens``, or None."""
    found = _phrase_tokens(tokens)
    return found[0].doc[found[0].i : found[-1].i + 1].text if found else None


def _after_phrase(rest: list) -> str | None:
    """The measure named right after a value: "77.1% data compression", "5% reduction in error"."""
    i = 0
    while i < len(rest) and i < 3 and rest[i].lower_ in _CHANGE - {"in", "of"}:
        i += 1
    share = False
    if 0 < i < len(rest) and rest[i].lower_ in {"in", "of"}:
        i += 1  # "5% reduction in error"
    elif i < len(rest) and rest[i].lower_ == "of":
        # "99% of Transformer quality", "10% of their compute": a share of a measure, named in a short
        # phrase; a longer one counts items ("90% of sampled structures obeying physical constraints")
        share = True
        i += 2 if len(rest) > 1 and rest[1].lower_ in {"the", "its", "their", "our"} else 1
    found = _phrase_tokens(rest[i:])
    if not found:
        return None
    following = rest[i + len(found)] if i + len(found) < len(rest) else None
    if share and (
        len(found) > 3
        or any(t.lower_.endswith(("ing", "ed")) for t in found[1:])
        or not (following is None or following.lower_ in _FUNCTION or following.is_punct)
    ):
        return None  # "90% of molecules satisfying the rules" counts items; it names no measure
    if (
        len(found) == 1
        and found[0].lower_.endswith("er")
        and (following is None or not following.is_alpha or following.lower_ in _FUNCTION)
    ):
        return None  # a lone comparative ("27x longer than", "15 times closer to") names no measure
    return _noun_phrase(found)


def _phrase_metric(doc: Doc, sent: Span, value: _Value) -> str | None:
    """The measure a value names without a Metric mention: "77.1% data compression",
    "2x higher measurement variability", "increases network capacity by 69.1%", "15,944 tok/s".

    Only values with a unit that marks a measurement (%, x, points) are read this way; a
    number with no named measure is not a result (GUIDELINES.md).
    """
    unit = value.unit
    if unit in {"tok/s", "tokens/s"}:
        return "throughput"  # the unit names the measure
    if unit not in _STRONG_UNITS:
        return None
    phrase = _after_phrase(list(doc[value.last : sent.end]))
    if phrase:
        return phrase
    # "<verb> NP by (up to) 69.1%": the lower-case noun phrase between a change verb and "by";
    # after "outperforms"/"surpasses" that phrase is the rival, not the measure
    prev = list(doc[sent.start : value.first])
    while prev and prev[-1].lower_ in {"up", "to", "over", "about", "nearly", "almost", "around", "only"}:
        prev.pop()
    if prev and prev[-1].lower_ == "by":
        k = len(prev) - 1
        j = k
        while j > 0 and k - j < 6 and prev[j - 1].lower_ not in _CHANGE_VERBS:
            j -= 1
        if 0 < j < k and prev[j - 1].lower_ in _CHANGE_VERBS - _RIVAL_VERBS:
            found = _phrase_tokens(prev[j:k])
            if len(found) == k - j and all(t.text == t.lower_ for t in found):
                return _noun_phrase(found)
    return None


def find_results(doc: Doc, max_distance: int = 8) -> list[ResultRecord]:
    """Return the numeric results stated in ``doc`` (see the module docstring)."""
    spans = list(doc.spans.get(ENTITY_SPANS_KEY, []))
    entity_chars = [(s.start_char, s.end_char) for s in spans]
    proposed = list(doc._.kg_proposed or [])
    results: list[ResultRecord] = []
    for sent in doc.sents:
        metrics = [s for s in spans if s.label_ == "Metric" and sent.start <= s.start < sent.end]
        datasets = [s for s in spans if s.label_ == "Dataset" and sent.start <= s.start < sent.end]
        sent_spans = [s for s in spans if sent.start <= s.start < sent.end]
        values = _sentence_values(doc, sent, entity_chars, {s.start for s in metrics})
        paired = _parallel(doc, values, metrics)
        for n, value in enumerate(values):
            vi = value.first
            if n in paired:
                metric_span = paired[n] if isinstance(paired[n], Span) else None
                metric, distance = (metric_span.text if metric_span else paired[n]), 0
            else:
                best = _nearest_metric(doc, value, metrics, max_distance)
                if best is not None:
                    distance, metric_span = best
                    metric = metric_span.text
                else:
                    metric, distance, metric_span = _phrase_metric(doc, sent, value), 4, None
                    if metric is None:
                        continue
            lo = max(sent.start, min(vi, metric_span.start if metric_span else vi) - 6)
            hi = max(value.last, metric_span.end if metric_span else value.last)
            words = [t.lower_ for t in doc[lo : hi + 1]]
            direction = _direction(words) or _direction([t.lower_ for t in sent])
            sign = (value.match["sign"] or "").strip()
            if sign in {"-", "−"}:
                direction = "reduction"
            elif sign == "+":
                direction = "gain"
            number, unit = parse_value(value.text)
            dataset = min(datasets, key=lambda d: abs(d.start - vi)).text if datasets else None
            comparison = _comparison(sent, value.end, sent_spans)
            method = next((s.text for s in sent_spans if s.label_ == "Method" and s.text in proposed), None)
            results.append(
                ResultRecord(
                    metric=metric,
                    value=value.text,
                    number=number,
                    unit=unit,
                    direction=direction,
                    dataset=dataset,
                    comparison=comparison,
                    method=method or (proposed[0] if proposed else None),
                    sentence=sent.text.strip(),
                    confidence=round(0.9 - 0.05 * distance, 2),
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
