"""``kg_entities``: combine the evidence into typed entity mentions.

Evidence comes from three places: the statistical recogniser (``doc.ents``),
knowledge-base matches (``doc.spans["kg_gazetteer"]``) and acronym
definitions (``doc._.kg_abbreviations``). This component

1. cleans each candidate (drops leading determiners and trailing
   punctuation, rejects bare generic heads such as "method" or "dataset");
2. keeps common-word metric matches ("accuracy", "latency") only where the
   sentence measures or compares something, as the guidelines ask, and
   "precision" only beside recall or F1 (else it is a number format); drops a
   trailing generic head ("tiling technique" -> "tiling"), bare process nouns
   as Tasks ("search"), chemical formulas ("WSe_2"); types a model Dataset
   with no data cue in its sentences as a Method, and a Method that a data
   head follows or a data head's list holds ("the RLBench benchmark") as a
   Dataset; drops a Method headed by a vector or a prior ("a context
   vector") and one only ever named as a library or release ("the X
   library", "X v0.14.1"); types a Task followed by "approach" or a
   camel-case coined name ("MoBA"), as a Method; drops a grading qualifier
   from a Task ("memory-efficient architecture search"); adds, where nothing
   else lies, the Task a gerund phrase names after a method head or "problem
   of" ("a framework for estimating heterogeneous treatment effects");
3. resolves overlaps: longer spans first, then by evidence priority;
4. propagates types: an acronym gets the type of its long form (and back),
   and a name tagged once is tagged wherever else it occurs in the paper.

The result is ``doc.spans["kg_entities"]`` with ``span._.kg_confidence``
and ``span._.kg_source`` set. Confidences are per evidence source and type,
set in the pipeline config from measured precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import ENTITY_SPANS_KEY, GAZETTEER_SPANS_KEY
from kg.extract.gazetteer import case_sensitive
from kg.textnorm import DETERMINERS, GENERIC_HEADS, parse_count

__all__ = [
    "DEFAULT_CONFIDENCE",
    "Candidate",
    "EntityMerger",
    "clean_span",
    "drop_tools_used",
    "has_dataset_cue",
    "is_chemical_formula",
    "is_complexity_term",
    "is_evaluation_sense",
    "is_interest_sense",
    "is_measured",
    "is_modifier_use",
    "is_parameter_comparison",
    "is_rate_unit",
    "is_tool_use",
    "is_vague_quality",
    "is_value_head",
    "is_verb_or_reference",
    "make_kg_entities",
    "names_data",
    "purpose_task",
    "resolve_overlaps",
    "settle_tasks",
    "strip_generic_head",
    "strip_hardware_head",
    "strip_leading_qualifier",
    "strip_measure_average",
    "strip_measure_change",
    "strip_measure_cue",
    "strip_task_grade",
    "strip_task_head",
    "task_or_method",
    "title_purpose_task",
    "workload_task",
]

#: Confidence of a mention by evidence source and type (overridden in the pipeline config).
DEFAULT_CONFIDENCE: dict[str, float] = {
    "ner": 0.75,
    "kb": 0.85,
    "kb_lower": 0.6,
    "ner+kb": 0.95,
    "abbreviation": 0.8,
    "propagated": 0.7,
}

#: Evidence priority when two candidates cover the same tokens (higher wins).
_PRIORITY = {"ner+kb": 5, "kb": 4, "ner": 3, "abbreviation": 2, "propagated": 1, "kb_lower": 0}

_MEASURE_CUES = frozenset(
    [
        "improve",
        "improves",
        "improved",
        "improving",
        "improvement",
        "improvements",
        "reduce",
        "reduces",
        "reduced",
        "reducing",
        "reduction",
        "reductions",
        "increase",
        "increases",
        "increased",
        "decrease",
        "decreases",
        "decreased",
        "higher",
        "lower",
        "better",
        "worse",
        "outperform",
        "outperforms",
        "outperformed",
        "outperforming",
        "achieve",
        "achieves",
        "achieved",
        "achieving",
        "gain",
        "gains",
        "faster",
        "slower",
        "speedup",
        "speed-up",
        "speedups",
        "boost",
        "boosts",
        "boosted",
        "trade-off",
        "tradeoff",
        "measured",
        "measure",
        "evaluate",
        "evaluated",
        "evaluating",
        "compared",
        "comparable",
        "competitive",
        "superior",
        "state-of-the-art",
        "sota",
        "maintaining",
        "maintain",
        "maintains",
        "preserving",
        "preserve",
        "preserves",
        "cut",
        "cuts",
        "cutting",
        "lowers",
        "lowering",
        "minimizing",
        "minimize",
        "maximize",
        "maximizing",
        "optimal",
        "optimize",
        "optimizing",
        "x",
        "times",
        "fold",
        "compete",
        "competes",
        "competing",
        "rival",
        "rivals",
        "eliminate",
        "eliminates",
        "eliminating",
    ]
)
_LEAD_DROP = DETERMINERS | {"-", "(", "[", "{", '"', "'", "“", "‘"}
_TRAIL_DROP = frozenset({".", ",", ";", ":", ")", "]", "}", '"', "'", "”", "’", "-"})


#: A lower bar for a span the model scores as a Metric where a number is stated of it ("by 69%").
QUANTIFIED_METRIC_THRESHOLD = 0.35

_NUMBER_WITH_UNIT = re.compile(r"^[+\-~]?\d[\d.,]*(?:x|X|×|times|%|\\%|k|K|M|B)?$")

#: Chemical element symbols, to tell a formula ("MoSe_2", "HfO2") from a product name ("A100", "C4").
_ELEMENTS = frozenset(
    """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y
    Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os
    Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu""".split()
)
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)(?:_?\{?\d+\}?)?")
_FORMULA_PREFIX = re.compile(r"^\d*[A-Za-z]?-")  # polytype / phase prefix: "1T-TaS_2", "2H-MoS2"

#: Words that say a name is used as data (GUIDELINES.md, Dataset: a nameable data collection or benchmark).
_DATASET_CUES = frozenset(
    """dataset datasets data benchmark benchmarks corpus corpora suite suites collection split splits test
    train training validation leaderboard database databases images videos""".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A typed span with the evidence that found it."""

    span: Span
    type: str
    source: str
    kb_key: str = ""


def is_chemical_formula(text: str) -> bool:
    """True if ``text`` is a chemical formula: two or more element symbols with a count.

    >>> [is_chemical_formula(t) for t in ("WSe_2", "1T-TaS_2", "HfO2", "CrI_3", "MoS2")]
    [True, True, True, True, True]
    >>> [is_chemical_formula(t) for t in ("A100", "H100", "C4", "ell_2", "GPT-4", "FP8", "P2P", "BF16")]
    [False, False, False, False, False, False, False, False]
    """
    body = _FORMULA_PREFIX.sub("", text, count=1)
    if not body or not any(c.isdigit() for c in body):
        return False
    parts = _FORMULA_PART.findall(body)
    if len(parts) < 2 or _FORMULA_PART.sub("", body):
        return False
    # a subscript ("CrI_3") or a two-letter symbol ("MoS2") tells a formula from "FP8", "P2P"
    if "_" not in body and not any(len(p) == 2 for p in parts):
        return False
    return all(p in _ELEMENTS for p in parts)


#: Metric words with a common non-measure sense, and the words that show the measure sense: "precision"
#: is a number format ("4-bit precision", "mixed precision") unless reported with recall or F1.
_PAIRED_METRICS: dict[str, frozenset[str]] = {
    "precision": frozenset({"recall", "recalls", "f1", "f1-score", "f-score", "f-measure", "auprc"}),
    "precisions": frozenset({"recall", "recalls", "f1", "f1-score", "f-score", "f-measure", "auprc"}),
    # "area" is a field ("relevant to areas such as cryptography") unless a hardware cost beside power or timing
    "area": frozenset({"power", "energy", "latency", "timing", "delay", "ppa"}),
    "areas": frozenset({"power", "energy", "latency", "timing", "delay", "ppa"}),
}


def is_evaluation_sense(span: Span) -> bool:
    """False for a metric word used in its other sense: "precision" of numbers, with no recall or F1 in the text.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> is_evaluation_sense(nlp("Weights use mixed precision.")[3:4])
    False
    >>> is_evaluation_sense(nlp("It raises precision and recall.")[2:3])
    True
    """
    partners = _PAIRED_METRICS.get(span.text.lower())
    return partners is None or any(t.lower_ in partners for t in span.doc)


#: What a measure's name modifies when it names an objective or a design choice, not a measured result:
#: "MSE-based regression", "MSE-optimal grids", "mean squared error (MSE) loss".
_MODIFIED_SUFFIXES = frozenset("based optimal aware driven guided oriented".split())
_OBJECTIVE_HEADS = frozenset("loss losses objective objectives regularization regularizer penalty".split())


def _past_brackets(doc: Doc, i: int) -> int:
    """The token after a short bracketed aside starting at ``i`` ("(IB)" in "bottleneck (IB) approach"), else ``i``."""
    if i < len(doc) and doc[i].text == "(":
        close = next((j for j in range(i + 1, min(i + 6, len(doc))) if doc[j].text == ")"), None)
        return close + 1 if close is not None else i
    return i


def is_modifier_use(span: Span) -> bool:
    """True if a metric name modifies what follows it ("MSE-based", "MSE (MSE) loss"): used, not measured.

    GUIDELINES.md, Metric: only when the text measures or compares with it, not a word used in passing;
    a loss or a design built on a measure does not measure anything.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We avoid MSE - based regression and mean squared error (MSE) loss, and report MSE.")
    >>> is_modifier_use(doc[2:3]), is_modifier_use(doc[7:10]), is_modifier_use(doc[17:18])
    (True, True, False)
    """
    doc = span.doc
    i = span.end
    if i < len(doc) and doc[i].text == ")" and span.start > 0 and doc[span.start - 1].text == "(":
        i += 1  # the acronym in "mean squared error (MSE) loss"
    if i + 1 < len(doc) and doc[i].text in ("-", "–") and doc[i + 1].lower_ in _MODIFIED_SUFFIXES:
        return True
    i = _past_brackets(doc, i)
    if i < len(doc) and doc[i].lower_ in ("loss", "losses") and span[-1].lower_ in _QUALITY_MEASURES:
        return False  # a fall in the measure ("accuracy loss"), not a training objective
    return i < len(doc) and doc[i].lower_ in _OBJECTIVE_HEADS


#: Words that name a model's weights as often as their count: the count is a Metric only where it is compared.
_PARAMETER_WORDS = frozenset("parameters params parameter param".split())
_BE = frozenset("be is are was were been being".split())


def is_parameter_comparison(span: Span) -> bool:
    """False for "parameters" naming weights or a model's size ("7B parameters", "edge-level parameters").

    "Parameters" is the parameter-count measure only where a comparison bears on it: a cue within three
    words before ("far fewer parameters", "53 times reduction in parameters") or a passive change after
    ("parameters can be reduced"). Other metric names pass unchanged.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("It needs far fewer parameters; its parameters can be reduced; A 7B parameters model.")
    >>> is_parameter_comparison(doc[4:5]), is_parameter_comparison(doc[7:8]), is_parameter_comparison(doc[14:15])
    (True, True, False)
    """
    if span[-1].lower_ not in _PARAMETER_WORDS:
        return True
    doc = span.doc
    before = doc[max(0, span.start - 3) : span.start]
    if any(t.lower_ in _MEASURE_CUES or t.lower_ in _COUNT_COMPARATIVES for t in before):
        return True
    after = [t.lower_ for t in doc[span.end : span.end + 4]]
    return any(w in _BE and j + 1 < len(after) and after[j + 1] in _MEASURE_CUES for j, w in enumerate(after))


_COUNT_COMPARATIVES = frozenset("fewer less more fraction".split())


#: Words that make "attention" the interest a topic draws, not the mechanism: "gained significant attention".
_INTEREST_CUES = frozenset(
    """gain gains gained gaining garner garnered garnering receive received receives receiving attract attracted
    attracts attracting draw draws drawn drew drawing pay paid paying generated significant considerable
    increasing growing much widespread great little""".split()
)


def is_interest_sense(span: Span) -> bool:
    """True for a bare "attention" that is the interest a topic draws ("have gained significant attention").

    GUIDELINES.md, Method: a technique or model; the everyday sense of the word names none.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("LoRA has gained significant attention. It replaces softmax attention.")
    >>> is_interest_sense(doc[4:5]), is_interest_sense(doc[10:11])
    (True, False)
    """
    if len(span) != 1 or span[0].lower_ != "attention":
        return False
    doc = span.doc
    return any(t.lower_ in _INTEREST_CUES for t in doc[max(0, span.start - 3) : span.start])


#: Disciplines: a field of study is neither a problem nor an application (GUIDELINES.md, Task).
_FIELD_WORDS = frozenset(
    """science sciences robotics physics chemistry biology mathematics engineering informatics medicine
    intelligence AI""".split()
)
#: Heads that name no problem: a theorem is a result of the work; "split computing", "sequence parallelism"
#: name a way or paradigm of computing (a Method, left to the recogniser); an acceleration or a speedup is
#: a gain a method brings, a bottleneck an obstacle ("inference acceleration", "performance bottlenecks").
_NOT_TASK_HEADS = frozenset(
    """theorem theorems lemma lemmas corollary computing parallelism acceleration speedup speedups bottleneck
    bottlenecks""".split()
)


#: Heads that make the phrase before them a way of solving something: "the information bottleneck approach".
_METHOD_HEADS = frozenset(
    "approach approaches method methods algorithm algorithms technique techniques framework frameworks".split()
)


#: Camel case inside one word, an upper letter after a lower one after an upper one: "MoBA", "FasterViT".
_COINED_NAME = re.compile(r"^[A-Za-z0-9-]*[A-Z][a-z]+[A-Z][A-Za-z0-9-]*$")


def task_or_method(span: Span) -> str | None:
    """The type a Task candidate should have: ``"Task"``, ``"Method"`` or ``None`` (a discipline).

    A phrase followed, past an acronym in brackets, by a method head ("the information bottleneck (IB)
    approach", "linear sequence modeling approaches") is what the paper uses, a Method (GUIDELINES.md:
    choose by the role in the sentence). A bare process noun ("search", "classification") stays a Task:
    dropping those gained 0.003 Task F1 on dev and lost 0.023 on SciERC test.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("The information bottleneck (IB) approach helps search in object detection.")
    >>> task_or_method(doc[1:3]), task_or_method(doc[8:9]), task_or_method(doc[10:12])
    ('Method', 'Task', 'Task')
    """
    if span[-1].lower_ in _FIELD_WORDS or span[-1].text in _FIELD_WORDS:
        return None  # a discipline ("materials science", "robotics", "AI"), not a problem
    if len(span) == 1 and _COINED_NAME.match(span.text):
        return "Method"  # a coined camel-case name ("MoBA", "FasterViT") names a model or system
    doc = span.doc
    i = span.end
    i = _past_brackets(doc, i)
    if i < len(doc) and doc[i].lower_ in _METHOD_HEADS:
        return "Method"
    if span[-1].lower_ in _NOT_TASK_HEADS:
        return None  # a statement proved ("a linearity theorem"), a paradigm ("split computing"), a gain
    return "Task"


#: Words after which "for" or "of" + a gerund phrase states what is solved: "an approach for encoding graphics
#: primitives", "the problem of finding ...", "problems such as sorting variable sized sequences".
_PURPOSE_HEADS = frozenset(
    """approach method algorithm technique framework tool block model system pipeline strategy scheme""".split()
)
_PROBLEM_HEADS = frozenset("problem task".split())
#: Words that end a purpose phrase: a preposition, conjunction or verb starts the next constituent.
_PURPOSE_STOP = frozenset(
    """in on of by with via using through that which while when where and or to from as at into under over
    across for is are was were be without than within while whereas but""".split()
)
#: "-ing" words that are not gerunds naming an activity.
_NOT_GERUNDS = frozenset(
    """during including according regarding following existing emerging promising underlying leading
    outstanding remaining challenging interesting corresponding increasing growing string strings thing
    things nothing something anything everything bring ring spring""".split()
)
#: References, not names: "for quantifying the uncertainty", "for training them".
_REFERENCE_WORDS = DETERMINERS | frozenset("this these those its their them it our his her such each all".split())


def purpose_task(doc: Doc, i: int) -> Span | None:
    """The Task named by a gerund phrase after token ``i`` ("for"/"of"/"as"), or ``None``.

    GUIDELINES.md, Task: what a method *solves* is a Task, and the gold writes such tasks as gerund
    phrases ("sorting variable sized sequences"). Only after a method head ("a framework for estimating
    heterogeneous treatment effects"), "problem/task of", or "problems/tasks such as"; the gerund needs a
    lowercase object of one to five words that is not a reference ("for training them") and the phrase must
    end at punctuation or a preposition, conjunction or verb ("... long contexts in LLMs").

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("A building block for efficiently processing long contexts in LLMs.")
    >>> purpose_task(doc, 3).text
    'processing long contexts'
    >>> doc = nlp("A method for training them and a strategy for quantifying the uncertainty.")
    >>> purpose_task(doc, 2), purpose_task(doc, 8)
    (None, None)
    """
    if i < 1 or i + 2 >= len(doc):
        return None
    word, prev = doc[i].lower_, doc[i - 1].lower_
    if not (
        (word == "for" and prev in _PURPOSE_HEADS)
        or (word == "of" and prev in _PROBLEM_HEADS)
        or (word == "as" and prev == "such" and i > 1 and doc[i - 2].lower_ in ("problems", "tasks"))
    ):
        return None
    start = i + 1
    if doc[start].text.islower() and doc[start].text.endswith("ly") and len(doc[start]) > 4:
        start += 1  # an adverb: "for efficiently processing"
    gerund = doc[start] if start < len(doc) else None
    if (
        gerund is None
        or not gerund.text.islower()
        or not gerund.text.endswith("ing")
        or len(gerund) < 6
        or gerund.lower_ in _NOT_GERUNDS
    ):
        return None
    end, words = start + 1, 0
    while end < len(doc) and not doc[end].is_space:
        tok = doc[end]
        if (tok.is_punct and tok.text not in ("-", "–")) or tok.lower_ in _PURPOSE_STOP:
            break
        if not tok.is_punct and doc[end - 1].text not in ("-", "–"):
            words += 1
        if words > 5:
            return None  # a clause, not a name
        end += 1
    obj = doc[start + 1 : end]
    if not len(obj) or obj[0].lower_ in _REFERENCE_WORDS:
        return None
    if any(not (t.is_punct or t.text.islower() or t.text.isupper() or t.like_num) for t in obj):
        return None  # a capitalised name is the thing made, not a problem ("creating Concept Bottleneck Model")
    if obj[-1].text in ("-", "–") or (
        obj[-1].text.islower()
        and _ADJECTIVE.search(obj[-1].text)
        and len(obj) > 1
        and obj[-1].lower_.endswith(("al", "ic", "ive", "ous"))
    ):
        return None  # cut off before its noun
    return Span(doc, start, end, label="Task")


#: Capitalised action nouns that, followed by "of", name a task in a title: "Generation of Symmetric Crystals".
_ACTION_NOUN = re.compile(r"^[A-Z][a-z]+(?:tion|sion)$|^(?:Design|Discovery|Synthesis|Analysis)$")


def title_purpose_task(doc: Doc, i: int) -> Span | None:
    """The Task a title names after "for" or a colon, in title case, or ``None``.

    GUIDELINES.md, Task: what the work *solves*; a title says it after "for" ("A Toolbox for Simulating
    Fluid Flows") or after the colon that ends the system's name ("X: Generation of Symmetric Crystals"),
    in title case, so the lowercase-only test of :func:`purpose_task` does not apply. The phrase is a
    capitalised gerund (after "for" only) or an action noun followed by "of" ("Design of ..."), then one to
    four capitalised words; it ends at punctuation or a lowercase preposition or conjunction ("in ...").

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> title_purpose_task(nlp("A Toolbox for Simulating Fluid Flows in Pipes"), 2).text
    'Simulating Fluid Flows'
    >>> title_purpose_task(nlp("Foo: Generation of Symmetric Crystals"), 1).text
    'Generation of Symmetric Crystals'
    >>> title_purpose_task(nlp("A Toolbox for Something Else"), 2) is None
    True
    """
    if i + 2 >= len(doc) or doc[i].text not in ("for", ":") or doc[i].sent.start != 0:
        return None
    head = doc[i + 1]
    if head.text.istitle() and head.lower_.endswith("ing") and len(head) >= 6 and doc[i].text == "for":
        if head.lower_ in _NOT_GERUNDS:
            return None
        first = i + 2
    elif _ACTION_NOUN.match(head.text) and doc[i + 2].text == "of":
        first = i + 3
    else:
        return None
    end = first
    while end < len(doc) and not doc[end].is_space:
        tok = doc[end]
        if (tok.is_punct and tok.text not in ("-", "–")) or tok.text in _PURPOSE_STOP:
            break
        if not (tok.is_punct or tok.text[0].isupper() or tok.like_num):
            return None  # a lowercase word inside a title phrase: not a title-case name
        end += 1
    words = [t for t in doc[first:end] if not t.is_punct]
    if not 1 <= len(words) <= 4:
        return None
    return Span(doc, i + 1, end, label="Task")


#: Acronyms of model families: "LLM", "LLMs", "VLM", "DNN", "GNN".
_MODEL_FAMILY = re.compile(r"^[A-Z]*(?:LLM|LM|NN)s?$")
_WORKLOADS = frozenset("inference serving".split())


def workload_task(doc: Doc, i: int) -> Span | None:
    """The Task "<model family> inference" or "... serving" ending at token ``i`` ("LLM inference"), or ``None``.

    GUIDELINES.md, Task: the problem or application addressed; running or serving a class of models is
    the workload a system is built and evaluated for, while the model family alone is a Method.

    >>> import spacy
    >>> doc = spacy.blank("en")("It speeds up LLM inference and DNN serving, not Bayesian inference.")
    >>> workload_task(doc, 4).text, workload_task(doc, 7).text, workload_task(doc, 11)
    ('LLM inference', 'DNN serving', None)
    """
    if i < 1 or doc[i].lower_ not in _WORKLOADS or not _MODEL_FAMILY.match(doc[i - 1].text):
        return None
    return Span(doc, i - 1, i + 1, label="Task")


def has_dataset_cue(sentence: Span) -> bool:
    """True if ``sentence`` speaks of data: "dataset", "benchmark", "corpus", "test set"...

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> has_dataset_cue(nlp("Results on the ATIS dataset")[:]), has_dataset_cue(nlp("We propose MQSA-TED")[:])
    (True, False)
    """
    return any(t.lower_ in _DATASET_CUES for t in sentence)


#: Heads that name a value a method computes or a premise it assumes, not the method: "a context vector",
#: "Gaussian priors", "an i.i.d. assumption".
_VALUE_HEADS = frozenset("vector vectors prior priors assumption assumptions".split())


def is_value_head(span: Span) -> bool:
    """True for a span headed by a vector, a prior or an assumption: not a technique ("a context vector").

    GUIDELINES.md, Method: a technique, algorithm, architecture, model or procedure. A vector a model
    computes or a prior it assumes is a quantity inside the method; "support vector machine" and
    "prior work" are headed by other words.

    >>> import spacy
    >>> doc = spacy.blank("en")("It feeds a context vector and Gaussian priors to a support vector machine .")
    >>> is_value_head(doc[3:5]), is_value_head(doc[6:8]), is_value_head(doc[10:13])
    (True, True, False)
    """
    return span[-1].lower_ in _VALUE_HEADS


#: Heads that say the name before them is data: "the RLBench benchmark", "the Foo corpus".
_DATA_HEADS = frozenset("dataset datasets benchmark benchmarks corpus corpora".split())


def names_data(span: Span) -> bool:
    """True if ``span`` is the name of a data set: a data head follows it, or it is listed after one.

    GUIDELINES.md, Dataset: a named benchmark or data collection is a Dataset ("the COCO dataset" -> COCO);
    a name that a data head follows directly, or past one lowercase word ("the RLBench prediction
    benchmark"), or that a list introduced by a data head holds ("two datasets, Foo and Bar Reviews"),
    names data, not a model.

    >>> import spacy
    >>> doc = spacy.blank("en")("We extend the Foo dataset and the Bar prediction benchmark , not Baz models .")
    >>> names_data(doc[3:4]), names_data(doc[7:8]), names_data(doc[12:13])
    (True, True, False)
    >>> doc = spacy.blank("en")("Tests on two datasets , Foo and Bar Reviews , show that Baz wins .")
    >>> names_data(doc[5:6]), names_data(doc[7:9]), names_data(doc[13:14])
    (True, True, False)
    """
    doc = span.doc
    i = _past_brackets(doc, span.end)
    if i < len(doc) and doc[i].lower_ in _DATA_HEADS:
        return True
    if i + 1 < len(doc) and doc[i].is_lower and doc[i].is_alpha and doc[i + 1].lower_ in _DATA_HEADS:
        return True
    # a list after a data head: skip back over commas, "and", a colon and the capitalised names listed
    j = span.start - 1
    while j >= max(0, span.start - 10) and (
        doc[j].text in (",", ":", "(") or doc[j].lower_ == "and" or doc[j].text[:1].isupper()
    ):
        j -= 1
    return (
        j >= 0
        and j + 2 <= span.start
        and doc[j].lower_ in _DATA_HEADS
        and doc[j + 1].text in (",", ":", "(")
        and doc[j + 2].text[:1].isupper()  # the list opens with a name ("datasets, Foo and Bar")
    )


#: Generic heads dropped from the end of a name ("ring-style communication strategy" names
#: "ring-style communication"); GUIDELINES.md: mark a span as short as it can be.
_STRIPPED_HEADS = frozenset(
    """approach approaches framework frameworks technique techniques strategy strategies scheme schemes
    paradigm paradigms method methods methodology objective objectives""".split()
)
#: Adjective endings: what is left of "holistic framework" or "data-free approaches" names nothing.
_ADJECTIVE = re.compile(
    r"(?:-based|-free|-aware|-driven|-guided|-efficient|-tuned|-grounded|-grained|-oriented|-like|"
    r"ic|ive|al|ous|ful|able|ible|ed)$"
)


def strip_generic_head(words: list[str]) -> int | None:
    """How many words of a name to keep once a trailing generic head is dropped; ``None``: nothing is named.

    ``words`` are the span's token texts. A lowercase head ("strategy", "framework", "approach") goes;
    a capitalised one belongs to a name ("Sparse Concept Bottleneck Framework") and stays. What is left
    must not be a bare adjective ("holistic", "data-free").

    >>> strip_generic_head(["ring-style", "communication", "strategy"])
    2
    >>> strip_generic_head(["holistic", "framework"]), strip_generic_head(["data", "-", "free", "approaches"])
    (None, None)
    >>> strip_generic_head(["Cosine", "Power", "Annealing", "Framework"]), strip_generic_head(["LoRA"])
    (4, 1)
    """
    n = len(words)
    if n < 2 or words[-1] not in _STRIPPED_HEADS:
        return n
    # the last word before the head, hyphenated parts joined: ["data", "-", "free"] -> "data-free"
    last = [words[-2]]
    i = n - 2
    while i >= 2 and words[i - 1] in ("-", "–"):
        last[:0] = [words[i - 2], words[i - 1]]
        i -= 2
    word = "".join(last)
    if word in ("-", "–") or (word.islower() and _ADJECTIVE.search(word)) or word.lower() in GENERIC_HEADS:
        return None
    return n - 1


#: Words that describe an instance of a thing, not its name: "large-scale foundation models", "a second
#: User LLM", "a specialized refinement module" name "foundation models", "User LLM", "refinement module".
_LEAD_QUALIFIERS = frozenset(
    """large-scale small-scale specialized customizable lightweight light-weight simple popular modern second
    third dedicated additional off-the-shelf widely-used well-known""".split()
)


def strip_leading_qualifier(words: list[str]) -> int:
    """How many leading words of a name are a describing qualifier ("large-scale", "specialized") to drop.

    GUIDELINES.md: mark a span as short as it can be while still naming the thing. Only a lowercase
    qualifier goes ("Large-Scale Foundation Models" is a title's name), and never the last word.

    >>> strip_leading_qualifier(["large", "-", "scale", "foundation", "models"])
    3
    >>> strip_leading_qualifier(["specialized", "refinement", "module"]), strip_leading_qualifier(["second"])
    (1, 0)
    >>> strip_leading_qualifier(["Large", "-", "Scale", "Models"]), strip_leading_qualifier(["LoRA"])
    (0, 0)
    """
    n = len(words)
    for k in (3, 1):  # "large - scale" as three tokens, or one word
        if k < n and "".join(words[:k]) in _LEAD_QUALIFIERS:
            return k
    return 0


#: A leading word that grades how well a problem is solved, not which problem it is: "memory-efficient
#: architecture search", "high-fidelity materials knowledge retrieval", "best-in-class ... generation".
_GRADE_QUALIFIER = re.compile(
    r"^(?:[a-z]+-(?:efficient|fidelity|quality|performance|accuracy)|best-in-class|state-of-the-art)$", re.I
)


#: Lowercase words that say how a problem is solved, not which: "consistent generation", "simultaneous
#: generation", "end-to-end generation", "efficient inference". Not "fast": it is part of names of problems
#: and algorithms ("fast matrix multiplication", "fast Fourier transform").
_MANNER_WORDS = frozenset(
    """consistent simultaneous end-to-end efficient effective accurate robust scalable reliable
    rapid seamless""".split()
)


def strip_task_grade(span: Span) -> Span:
    """Drop a leading grading qualifier ("memory-efficient", "high-fidelity") from a Task; two words must remain.

    GUIDELINES.md: mark a span as short as it can be while still naming the thing; a Task is the problem,
    and how efficiently or faithfully it is solved belongs to the method. A lowercase manner word
    ("consistent generation", "end-to-end generation") goes too, even down to one word: that word, the
    head, is then left to :func:`settle_tasks`.

    >>> import spacy
    >>> doc = spacy.blank("en")("Memory-Efficient Architecture Search and high-fidelity retrieval")
    >>> strip_task_grade(doc[0:5]).text, strip_task_grade(doc[6:10]).text
    ('Architecture Search', 'high-fidelity retrieval')
    >>> doc = spacy.blank("en")("consistent generation and end-to-end speech translation and Fast Fourier")
    >>> strip_task_grade(doc[0:2]).text, strip_task_grade(doc[3:10]).text, strip_task_grade(doc[11:13]).text
    ('generation', 'speech translation', 'Fast Fourier')
    """
    doc = span.doc
    for k in (7, 5, 3):  # "state - of - the - art", "best - in - class", "memory - efficient"
        words = "".join(t.text for t in doc[span.start : span.start + k])
        if span.start + k < span.end - 1 and _GRADE_QUALIFIER.match(words):
            return Span(doc, span.start + k, span.end, label=span.label_, span_id=span.id_)
    for k in (5, 1):  # "end - to - end", "consistent"
        words = "".join(t.text for t in doc[span.start : span.start + k])
        if span.start + k < span.end and words in _MANNER_WORDS:
            return Span(doc, span.start + k, span.end, label=span.label_, span_id=span.id_)
    return span


#: Heads that say a phrase is a problem without naming which: "clinical prediction tasks" names "clinical
#: prediction"; what is left of "memory-dependent tasks" or "multimodal tasks" names none.
_TASK_HEADS = frozenset("task tasks problem problems".split())


def strip_task_head(span: Span) -> Span | None:
    """Drop a trailing "tasks"/"problems" from a Task; ``None`` if only an adjective is left.

    GUIDELINES.md: mark a span as short as it can be while still naming the thing, and drop generic heads.

    >>> import spacy
    >>> doc = spacy.blank("en")("Clinical Prediction Tasks and memory-dependent tasks and the assignment problem")
    >>> strip_task_head(doc[0:3]).text, strip_task_head(doc[4:8]), strip_task_head(doc[10:12]).text
    ('Clinical Prediction', None, 'assignment')
    """
    if len(span) < 2 or span[-1].lower_ not in _TASK_HEADS:
        return span
    words = [t.text for t in span[:-1]]
    last = words[-1]
    i = len(words) - 1
    while i >= 2 and words[i - 1] in ("-", "–"):
        last = words[i - 2] + words[i - 1] + last
        i -= 2
    # a lone lowercase compound is a modifier too: "long-horizon tasks", "multi-label problems"
    compound = i == 0 and "-" in last
    adjective = last.islower() and (_ADJECTIVE.search(last) or compound)
    if last in ("-", "–") or adjective or last.lower() in GENERIC_HEADS:
        return None
    return Span(span.doc, span.start, span.end - 1, label=span.label_, span_id=span.id_)


def clean_span(span: Span) -> Span | None:
    """Trim determiners and punctuation off a span; ``None`` if nothing nameable is left.

    >>> import spacy
    >>> doc = spacy.blank("en")("We use the proposed method and the COCO dataset.")
    >>> clean_span(doc[2:5]) is None, clean_span(doc[6:9]).text
    (True, 'COCO dataset')
    """
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEAD_DROP or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _TRAIL_DROP or doc[end - 1].is_space):
        end -= 1
    # unbalanced brackets: "ResNet (" or ") model"
    text = doc[start:end].text
    if text.count("(") != text.count(")"):
        return None
    if start >= end:
        return None
    if any(t.like_url or "http" in t.lower_ or "github." in t.lower_ or "www." in t.lower_ for t in doc[start:end]):
        return None
    start += strip_leading_qualifier([t.text for t in doc[start:end]])
    keep = strip_generic_head([t.text for t in doc[start:end]])
    if keep is None:
        return None
    end = start + keep
    words = [t.lower_ for t in doc[start:end] if not t.is_punct]
    if not words or all(w in GENERIC_HEADS or w in DETERMINERS for w in words):
        return None
    if words[0] in {"proposed", "novel", "new", "existing", "previous", "several", "various"} and len(words) <= 2:
        return None
    if all(t.like_num or t.is_punct or _NUMBER_WITH_UNIT.match(t.text) for t in doc[start:end]):
        return None
    if is_chemical_formula(doc[start:end].text.replace(" ", "")):
        return None  # a material ("WSe_2", "MoS2"), not a method, data set or device
    return Span(doc, start, end, label=span.label_, span_id=span.id_)


def is_complexity_term(span: Span) -> bool:
    """True for a complexity ("space complexity", "communication complexity"): a bound derived, not measured.

    GUIDELINES.md, Metric: a measure the text measures or compares with; an asymptotic cost is analysed.

    >>> import spacy
    >>> doc = spacy.blank("en")("reducing time and space complexity and latency")
    >>> is_complexity_term(doc[3:5]), is_complexity_term(doc[6:7])
    (True, False)
    """
    return span[-1].lower_ in ("complexity", "complexities")


def _metric_use(span: Span) -> bool:
    """False where a metric name is used, not measured: a modifier, weights rather than their count, a
    quality named in passing, a complexity bound or a rate unit after its number."""
    return (
        is_parameter_comparison(span)
        and not is_modifier_use(span)
        and not is_vague_quality(span)
        and not is_complexity_term(span)
        and not is_rate_unit(span)
    )


def _drop_count(span: Span) -> Span:
    """Drop a leading device count ("8x A100 GPUs" -> "A100 GPUs"); the count is read later."""
    if len(span) > 1 and parse_count(span[0].text) is not None:
        return Span(span.doc, span.start + 1, span.end, label=span.label_, span_id=span.id_)
    return span


#: Words that name a quality only in general terms: "computational efficiency", "training stability",
#: "generalization performance", "adversarial robustness". Such a phrase is a Metric only where its sentence
#: reports a number; a comparison word alone ("better generalization performance") is the word used in passing.
_VAGUE_QUALITY_HEADS = frozenset(
    "robustness stability generalization generalizability performance efficiency scalability".split()
)
_VAGUE_QUALITY_WORDS = _VAGUE_QUALITY_HEADS | frozenset(
    """computational computation compute adversarial training inference overall model predictive prediction
    general strong high higher better improved final""".split()
)


def is_vague_quality(span: Span) -> bool:
    """True for a quality named only in general words ("training stability") whose sentence has no number.

    GUIDELINES.md, Metric: only when the text measures or compares with it, not when the word is used in
    passing. A specific measure ("energy efficiency", "sample efficiency") is not vague.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("It enjoys higher training stability. Energy efficiency improves.")
    >>> is_vague_quality(doc[3:5]), is_vague_quality(doc[6:8]), is_vague_quality(nlp("Robustness rises by 3%")[0:1])
    (True, False, False)
    """
    words = [t.lower_ for t in span if not t.is_punct]
    if not words or words[-1] not in _VAGUE_QUALITY_HEADS or not all(w in _VAGUE_QUALITY_WORDS for w in words):
        return False
    sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    return not any(t.like_num or "%" in t.text or any(c.isdigit() for c in t.text) for t in sent)


#: A rate unit written after its number ("29.4 GKey/s", "100 TOPS", "15,343 tok/s") reports a value of a
#: measure (throughput); the unit is not itself the measure named.
_RATE_UNIT = re.compile(r"^(?:[A-Za-z]+/s(?:ec)?|[kKMGTP]?OPS|[kKMGTP]?FLOPS|[kKMGTP]?FLOPs/s)$")


def is_rate_unit(span: Span) -> bool:
    """True for a per-second unit right after a number: "100 TOPS", "29.4 GKey/s", "15,343 tok/s".

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, "It reaches 100 TOPS and 15 tok/s , raising TOPS".split())
    >>> is_rate_unit(doc[3:4]), is_rate_unit(doc[6:7]), is_rate_unit(doc[10:11])
    (True, True, False)
    """
    if span.start == 0 or not _RATE_UNIT.match(span.text.replace(" ", "")):
        return False
    prev = span.doc[span.start - 1]
    return prev.like_num or bool(_NUMBER_WITH_UNIT.match(prev.text))


def strip_measure_average(span: Span) -> Span:
    """Drop a leading "average" from a measure's span: "average success rate" -> "success rate".

    GUIDELINES.md: a span as short as it can be while still naming the thing. The word goes only where
    two words are left: "average recall" and "average precision" are names of their own.

    >>> import spacy
    >>> doc = spacy.blank("en")("an average success rate and average recall")
    >>> strip_measure_average(doc[1:4]).text, strip_measure_average(doc[5:7]).text
    ('success rate', 'average recall')
    """
    if len(span) >= 3 and span[0].lower_ == "average":
        return Span(span.doc, span.start + 1, span.end, label=span.label_, span_id=span.id_)
    return span


#: Nouns that say how a measure moved, not which measure: "accuracy loss", "accuracy drop", "BLEU gains".
_CHANGE_NOUNS = frozenset("drop drops degradation degradations gain gains improvement improvements".split())
#: Quality measures after which "loss" is their fall ("accuracy loss"), not a training loss ("reconstruction loss").
_QUALITY_MEASURES = frozenset("accuracy precision recall quality performance fidelity f1 bleu".split())


def strip_measure_change(span: Span) -> Span:
    """Drop a trailing change noun from a measure's span: "accuracy drop" -> "accuracy".

    GUIDELINES.md: a span as short as it can be while still naming the thing; the measure is what moved,
    and "drop", "gain" or "degradation" say how. "loss" goes only after a quality measure ("accuracy loss"),
    never after what a training loss is named for ("reconstruction loss", "cross-entropy loss"). After a number
    ("0.6% accuracy loss") the change is itself the quantity reported and stays.

    >>> import spacy
    >>> doc = spacy.blank("en")("no accuracy loss , a BLEU drop , the reconstruction loss and a gain")
    >>> strip_measure_change(doc[1:3]).text, strip_measure_change(doc[5:7]).text, strip_measure_change(doc[9:11]).text
    ('accuracy', 'BLEU', 'reconstruction loss')
    >>> strip_measure_change(doc[13:14]).text
    'gain'
    >>> strip_measure_change(spacy.blank("en")("up to 0.6 % accuracy loss")[4:6]).text
    'accuracy loss'
    """
    before = span.doc[span.start - 1] if span.start else None
    if len(span) < 2 or (
        before is not None and (before.like_num or before.text in ("%", "\\%") or _NUMBER_WITH_UNIT.match(before.text))
    ):
        return span  # "0.6% accuracy loss": the number is a value of the loss itself
    last, prev = span[-1].lower_, span[-2].lower_
    if last in _CHANGE_NOUNS or (last in ("loss", "losses") and prev in _QUALITY_MEASURES):
        return Span(span.doc, span.start, span.end - 1, label=span.label_, span_id=span.id_)
    return span


def strip_measure_cue(span: Span) -> Span | None:
    """Drop leading comparison words from a measure's span: "minimizing per-layer error" -> "per-layer error".

    GUIDELINES.md: a span as short as it can be while still naming the thing; the verb or adjective that
    says the measure moved ("improved", "lower") is not part of its name. ``None`` if nothing is left.

    >>> import spacy
    >>> doc = spacy.blank("en")("by minimizing per-layer error")
    >>> strip_measure_cue(doc[1:6]).text, strip_measure_cue(doc[1:2])
    ('per-layer error', None)
    """
    start = span.start
    while start < span.end and span.doc[start].lower_ in _MEASURE_CUES:
        start += 1
    if start == span.start:
        return span
    if start >= span.end:
        return None
    return Span(span.doc, start, span.end, label=span.label_, span_id=span.id_)


#: Bare words GUIDELINES.md rejects as Hardware without a kind; after a kind they add nothing: "GPU hardware".
_HARDWARE_HEADS = frozenset("hardware platform platforms".split())


def strip_hardware_head(span: Span) -> Span:
    """Drop a trailing bare "hardware"/"platform" from a device name: "GPU hardware" -> "GPU".

    >>> import spacy
    >>> doc = spacy.blank("en")("It targets GPU hardware and FPGA platforms.")
    >>> strip_hardware_head(doc[2:4]).text, strip_hardware_head(doc[5:7]).text, strip_hardware_head(doc[2:3]).text
    ('GPU', 'FPGA', 'GPU')
    """
    if len(span) > 1 and span[-1].lower_ in _HARDWARE_HEADS:
        return Span(span.doc, span.start, span.end - 1, label=span.label_, span_id=span.id_)
    return span


#: Words that may stand between a number and the measure it is a value of: "a 32% reduction in latency",
#: "under 10% of their training compute", "3.0x higher throughput".
_QUANTITY_LINKS = frozenset(
    """% \\% x × times fold reduction reductions increase increases improvement improvements gain gains drop
    higher lower fewer less more larger smaller longer shorter faster slower better of in the their its our
    than""".split()
)


def _is_number(tok) -> bool:
    return (
        tok.like_num
        or bool(_NUMBER_WITH_UNIT.match(tok.text))
        or (tok.text[:-1].replace(".", "", 1).isdigit() and tok.text[-1] in "x×")
    )


def is_quantified(span: Span) -> bool:
    """True if a number is stated of the measure right beside it: "a 32% reduction in sequence length",
    "under 10% of their training compute", "increases network capacity by 69.1%".

    GUIDELINES.md, Metric: a measure that is measured, reported or compared; a value given of it is the
    plainest report ("reduces latency by 2x").

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We get a 32 % reduction in sequence length and raise capacity by 69 % for 8 users")
    >>> is_quantified(doc[7:9]), is_quantified(doc[11:12]), is_quantified(doc[17:18])
    (True, True, False)
    """
    doc = span.doc
    j = span.start - 1
    steps = 0
    while j >= 0 and steps < 5 and doc[j].lower_ in _QUANTITY_LINKS and not _is_number(doc[j]):
        j -= 1
        steps += 1
    if j >= 0 and _is_number(doc[j]) and (steps > 0 or not doc[j].like_num or "%" in doc[j].text):
        return True
    k = span.end
    return k + 1 < len(doc) and doc[k].lower_ in ("by", "of") and _is_number(doc[k + 1])


def is_measured(span: Span) -> bool:
    """True if the sentence of ``span`` states a number or a comparison (a metric is measured).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("It improves accuracy by 2%.")
    >>> is_measured(doc[2:3])
    True
    >>> is_measured(nlp("Accuracy matters in general")[0:1])
    False
    """
    sent = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    for tok in sent:
        if tok.like_num or tok.lower_ in _MEASURE_CUES or "%" in tok.text:
            return True
        if tok.text[:-1].replace(".", "", 1).isdigit() and tok.text[-1] in "x×":
            return True
    return False


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: longer spans first, then by evidence priority.

    Two candidates of the same extent from the NER and the knowledge base
    merge into one ``"ner+kb"`` candidate, with the knowledge base's type when
    it is case-sensitive evidence (a product or dataset name).
    """
    by_extent: dict[tuple[int, int], list[Candidate]] = {}
    for c in candidates:
        by_extent.setdefault((c.span.start, c.span.end), []).append(c)
    merged: list[Candidate] = []
    for group in by_extent.values():
        sources = {c.source for c in group}
        if "ner" in sources and ("kb" in sources or "kb_lower" in sources):
            ner = next(c for c in group if c.source == "ner")
            kb = next(c for c in group if c.source in ("kb", "kb_lower"))
            # case-sensitive KB evidence names a product or data set: its type wins, and a known name
            # of another type is not a data set ("MCTS", "Codex" tagged Dataset by the model)
            strong = kb.source == "kb" and (kb.type in ("Hardware", "Dataset") or ner.type == "Dataset")
            etype = kb.type if strong else ner.type
            merged.append(Candidate(ner.span, etype, "ner+kb", kb.kb_key))
        else:
            merged.append(max(group, key=lambda c: _PRIORITY.get(c.source, 0)))
    merged.sort(key=lambda c: (-(c.span.end - c.span.start), -_PRIORITY.get(c.source, 0), c.span.start))
    taken = bytearray(len(merged[0].span.doc) if merged else 0)
    kept = []
    for c in merged:
        if any(taken[c.span.start : c.span.end]):
            continue
        for i in range(c.span.start, c.span.end):
            taken[i] = 1
        kept.append(c)
    kept.sort(key=lambda c: c.span.start)
    return kept


def _occurrences(
    doc_words: list[str], positions: Mapping[str, list[int]], words: tuple[str, ...]
) -> Iterable[tuple[int, int]]:
    """Token ranges where ``words`` occur in a doc of ``doc_words``; ``positions`` indexes them by word."""
    n = len(words)
    for i in positions.get(words[0], ()):
        if tuple(doc_words[i : i + n]) == words:
            yield i, i + n


class EntityMerger:
    """Combine NER, knowledge-base and acronym evidence; see the module docstring."""

    def __init__(
        self,
        name: str = "kg_entities",
        *,
        confidence: Mapping[str, float] | None = None,
        use_ner: bool = True,
        kb_types: Iterable[str] = ("Method", "Dataset", "Hardware", "Metric", "Task"),
        kb_lower_types: Iterable[str] = ("Method", "Hardware", "Metric"),
        propagate: bool = True,
        span_key: str = "",
        span_thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.name = name
        self.span_key = span_key
        self.span_thresholds = dict(span_thresholds or {})
        self.confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}
        self.use_ner = use_ner
        self.kb_types = frozenset(kb_types)
        self.kb_lower_types = frozenset(kb_lower_types)
        self.propagate = propagate

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Collect cleaned candidates from the recogniser and the gazetteer."""
        out: list[Candidate] = []
        if self.use_ner:
            for ent in doc.ents:
                span = clean_span(ent)
                if span is not None and ent.label_ == "HARDWARE":
                    span = strip_hardware_head(_drop_count(span))
                if span is not None:
                    out.append(Candidate(span, ent.label_.title(), "ner"))
        if self.span_key and self.span_key in doc.spans:
            out.extend(self._span_candidates(doc))
        for span in doc.spans.get(GAZETTEER_SPANS_KEY, []):
            etype = span.label_
            if etype not in self.kb_types:
                continue
            if etype == "Metric" and not _metric_use(span):
                continue
            if etype == "Method" and is_interest_sense(span):
                continue
            if case_sensitive(span.text):
                out.append(Candidate(span, etype, "kb", span.id_))
            elif etype in self.kb_lower_types:
                if etype == "Metric" and not (is_measured(span) and is_evaluation_sense(span)):
                    continue
                out.append(Candidate(span, etype, "kb_lower", span.id_))
        return out

    def _span_candidates(self, doc: Doc) -> list[Candidate]:
        """Span-categorizer predictions over their type's threshold, best-scoring first, without overlaps."""
        group = doc.spans[self.span_key]
        scores = group.attrs.get("scores")
        if scores is None:
            return []
        # a span may be scored for several types: keep only its best type
        best: dict[tuple[int, int], tuple[float, Span]] = {}
        for span, score in zip(group, scores):
            key = (span.start, span.end)
            if key not in best or float(score) > best[key][0]:
                best[key] = (float(score), span)
        scored = []
        for score, span in best.values():
            etype = span.label_.title()
            if score < self.span_thresholds.get(etype, 0.5) and not (
                etype == "Metric" and score >= QUANTIFIED_METRIC_THRESHOLD and is_quantified(span)
            ):
                continue
            clean = clean_span(span)
            if clean is not None and etype == "Hardware":
                clean = strip_hardware_head(_drop_count(clean))
            if clean is not None and etype == "Metric":
                clean = strip_measure_cue(clean)
                clean = strip_measure_average(clean) if clean is not None else None
                clean = strip_measure_change(clean) if clean is not None else None
            if (
                clean is not None
                and etype == "Metric"
                and not case_sensitive(clean.text)
                and not (is_measured(clean) and is_evaluation_sense(clean))
            ):
                continue  # a common word ("robustness", "latency") is a Metric only where it is measured
            if clean is not None and etype == "Metric" and not _metric_use(clean):
                continue
            if clean is not None and etype == "Task":
                clean = strip_task_head(strip_task_grade(clean))
                etype = (task_or_method(clean) or "") if clean is not None else ""
            if clean is not None and etype == "Method" and is_interest_sense(clean):
                continue
            if clean is not None and etype == "Method" and is_value_head(clean):
                continue  # "a context vector", "hand-crafted priors": values a method computes or assumes
            if clean is not None and etype in ("Method", "Dataset") and is_rate_unit(clean):
                continue  # a unit after its number ("256 GOPS") names no model or data
            if clean is not None and etype:
                scored.append((score, clean, etype))
        # a data set is named where the text speaks of data ("on the ATIS dataset", "the RLBench
        # benchmark"); a name typed Dataset with no such cue in any of its sentences is the name of a
        # system or method ("we propose MQSA-TED"), as kg_proposed also decides for proposed names
        cued = {span.text for _score, span, etype in scored if etype == "Dataset" and has_dataset_cue(span.sent)}
        scored = [
            (sc, span, "Method" if etype == "Dataset" and span.text not in cued else etype)
            for sc, span, etype in scored
        ]
        # and the reverse: a name a data head follows ("the RLBench benchmark") names data wherever it occurs
        data = {span.text for _sc, span, etype in scored if etype == "Method" and names_data(span)}
        scored = [
            (sc, span, "Dataset" if etype == "Method" and span.text in data else etype) for sc, span, etype in scored
        ]
        scored.sort(key=lambda x: (-x[0], -(x[1].end - x[1].start), x[1].start))
        taken = bytearray(len(doc))
        out = []
        for _score, span, etype in scored:
            if any(taken[span.start : span.end]):
                continue
            for i in range(span.start, span.end):
                taken[i] = 1
            out.append(Candidate(span, etype, "ner"))
        return out

    def _add_purpose_tasks(self, doc: Doc, kept: list[Candidate]) -> list[Candidate]:
        """Add the Tasks named by purpose phrases (:func:`purpose_task`) where no other mention lies."""
        taken = bytearray(len(doc))
        for c in kept:
            for j in range(c.span.start, c.span.end):
                taken[j] = 1
        extra = []
        for tok in doc:
            if tok.lower_ not in ("for", "of", "as", ":"):
                continue
            span = purpose_task(doc, tok.i) or title_purpose_task(doc, tok.i)
            if span is not None and not any(taken[span.start : span.end]):
                extra.append(Candidate(span, "Task", "ner"))
        return sorted([*kept, *extra], key=lambda c: c.span.start) if extra else kept

    def _add_workload_tasks(self, doc: Doc, kept: list[Candidate]) -> list[Candidate]:
        """Add the Tasks :func:`workload_task` finds; the model acronym inside gives way to them."""
        out = kept
        for tok in doc:
            span = workload_task(doc, tok.i)
            if span is None:
                continue
            inside = [c for c in out if _overlap(c.span, span)]
            if all(span.start <= c.span.start and c.span.end <= span.end and c.type != "Task" for c in inside):
                out = sorted(
                    [*(c for c in out if c not in inside), Candidate(span, "Task", "ner")], key=lambda c: c.span.start
                )
        return out

    def _propagate(self, doc: Doc, kept: list[Candidate]) -> list[Candidate]:
        typed: dict[tuple[str, ...], Candidate] = {}
        for c in kept:
            typed.setdefault(tuple(t.text for t in c.span), c)
        extra: list[Candidate] = []
        retype: dict[tuple[str, ...], str] = {}
        for long_span, short_span in doc._.kg_abbreviations or []:
            long_c = next((c for c in kept if _overlap(c.span, long_span) * 2 >= len(long_span)), None)
            short_words = tuple(t.text for t in short_span)
            if long_c is not None and short_words in typed and typed[short_words].type != long_c.type:
                # an acronym names what its long form names: "beam search (BS)" makes BS a Method
                retype[short_words] = long_c.type
                typed[short_words] = Candidate(typed[short_words].span, long_c.type, "abbreviation", long_c.kb_key)
            elif long_c is not None and short_words not in typed:
                cand = Candidate(short_span, long_c.type, "abbreviation", long_c.kb_key)
                typed[short_words] = cand
                extra.append(cand)
            elif long_c is None and short_words in typed:
                src = typed[short_words]
                span = clean_span(long_span)
                if span is not None:
                    extra.append(Candidate(span, src.type, "abbreviation", src.kb_key))
        doc_words = [t.text for t in doc]
        positions: dict[str, list[int]] = {}
        for i, w in enumerate(doc_words):
            positions.setdefault(w, []).append(i)
        for words, c in list(typed.items()):
            if len("".join(words)) < 2:
                continue
            for start, end in _occurrences(doc_words, positions, words):
                extra.append(Candidate(Span(doc, start, end), c.type, "propagated", c.kb_key))
        if retype:
            kept = [
                Candidate(c.span, retype[words], c.source, c.kb_key)
                if (words := tuple(t.text for t in c.span)) in retype
                else c
                for c in kept
            ]
        return resolve_overlaps([*kept, *extra])

    def __call__(self, doc: Doc) -> Doc:
        kept = resolve_overlaps(self.candidates(doc))
        kept = self._add_workload_tasks(doc, self._add_purpose_tasks(doc, kept))
        # settled before propagation too, so an acronym takes its long form's settled type ("SP")
        kept = settle_tasks(kept)
        if self.propagate:
            kept = settle_tasks(self._propagate(doc, kept))
        kept = drop_tools_used(kept)
        spans = []
        for c in kept:
            span = Span(doc, c.span.start, c.span.end, label=c.type, span_id=c.kb_key)
            spans.append(span)
        group = doc.spans[ENTITY_SPANS_KEY] = spans
        for span, c in zip(group, kept):
            span._.kg_confidence = self.confidence.get(c.source, 0.5)
            span._.kg_source = c.source
        return doc


#: Words before a verb's base form: "To advance research", "how to search that space".
_INFINITIVE_LEADS = frozenset("how order aim aims seek seeks".split())
_DEMONSTRATIVES = frozenset("this that these those".split())


def is_verb_or_reference(span: Span) -> bool:
    """True for a Task candidate that is a verb ("To advance research") or points back ("this foundation").

    A purpose infinitive opens a sentence ("To advance ...") or follows "how"/"in order"; a one-word noun
    after "this" or "these" refers to something named before, and names nothing itself.

    >>> import spacy
    >>> doc = spacy.blank("en")("To advance research , we show how to search and build on this foundation .")
    >>> is_verb_or_reference(doc[1:3]), is_verb_or_reference(doc[8:9]), is_verb_or_reference(doc[13:14])
    (True, True, True)
    >>> doc = spacy.blank("en")("It was applied to parsing and to this end to speech recognition .")
    >>> is_verb_or_reference(doc[4:5]), is_verb_or_reference(doc[11:13])
    (False, False)
    """
    doc = span.doc
    i = span.start
    if (
        i >= 1
        and doc[i - 1].lower_ == "to"
        and (i == 1 or doc[i - 2].is_sent_end or doc[i - 2].is_punct or doc[i - 2].lower_ in _INFINITIVE_LEADS)
    ):
        return True
    return len(span) == 1 and i >= 1 and doc[i - 1].lower_ in _DEMONSTRATIVES


def _named_approach(span: Span) -> bool:
    """True if an acronym in brackets and a method head follow ``span``: "bottleneck (IB) approach"."""
    doc = span.doc
    i = _past_brackets(doc, span.end)
    return i > span.end and i < len(doc) and doc[i].lower_ in _METHOD_HEADS


def _head_key(word: str) -> str:
    """A word without a plural ending, to compare heads ("searches" and "search")."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def settle_tasks(kept: list[Candidate]) -> list[Candidate]:
    """Settle the Task mentions of one paper: one type per name, no bare heads, no verbs.

    - a Task that :func:`task_or_method` sees as a discipline is dropped, and one it sees as a
      Method is retyped, whatever evidence found it (the knowledge base, an acronym);
    - a name given an acronym and called an approach somewhere in the paper ("the information bottleneck
      (IB) approach") is that approach's name, a Method, and no Task elsewhere: one name, one entity; so is
      the acronym of a long form that is no Task ("SP" of "sequence parallelism (SP)");
    - a one-word Task that is the head of a longer Task of the paper ("search" beside "architecture
      search") is a short reference to it, not another problem;
    - a verb or a back reference (:func:`is_verb_or_reference`) names no problem.

    >>> import spacy
    >>> text = "The bottleneck (IB) approach aids architecture search ; search is hard for bottleneck and AI ."
    >>> doc = spacy.blank("en")(text)
    >>> spans = [(1, 2, "Method"), (7, 9, "Task"), (10, 11, "Task"), (14, 15, "Task"), (16, 17, "Task")]
    >>> kept = [Candidate(Span(doc, a, b), t, "ner") for a, b, t in spans]
    >>> [(c.span.text, c.type) for c in settle_tasks(kept)]
    [('bottleneck', 'Method'), ('architecture search', 'Task')]
    """
    method_names = {c.span.text.lower() for c in kept if _named_approach(c.span)}
    retyped = {c.span.text.lower() for c in kept if c.type == "Task" and task_or_method(c.span) != "Task"}
    if kept and (retyped or method_names):
        # an acronym names what its long form names: "sequence parallelism (SP)" makes every "SP" that method
        for long_span, short_span in kept[0].span.doc._.kg_abbreviations or []:
            if long_span.text.lower() in retyped | method_names:
                method_names.add(short_span.text.lower())
    heads = {_head_key(c.span[-1].text) for c in kept if c.type == "Task" and len(c.span) > 1}
    out = []
    for c in kept:
        if c.type == "Task":
            etype = task_or_method(c.span)
            if etype is None or is_verb_or_reference(c.span):
                continue
            if len(c.span) == 1 and _head_key(c.span.text) in heads:
                continue
            if c.span.text.lower() in method_names and not _named_approach(c.span):
                continue
            if etype == "Method" and c.source != "propagated":
                # a propagated copy keeps its name's type ("detection" before "algorithm" still names the task)
                c = Candidate(c.span, "Method", c.source, c.kb_key)
        out.append(c)
    return out


#: Words after a name that make it software a method is packaged in: "the AIRS library".
_TOOL_HEADS = frozenset("library libraries package packages toolkit toolkits toolbox".split())
#: A release number after a name: "vLLM v0.14.1".
_VERSION = re.compile(r"^v\d+(?:\.\d+)*$")


def is_tool_use(span: Span) -> bool:
    """True where a name is software a method is packaged in or run with: "the X library", "X v0.14.1".

    GUIDELINES.md: software stacks and libraries are Methods only when the paper studies them, and are
    left out when merely used; a library head or a release number after the name marks the software.

    >>> import spacy
    >>> doc = spacy.blank("en")("Code is in the Bar library , served with FooServe v1.2 , unlike Baz 3.1 or Qux .")
    >>> is_tool_use(doc[4:5]), is_tool_use(doc[9:10]), is_tool_use(doc[14:15]), is_tool_use(doc[17:18])
    (True, True, False, False)
    """
    doc = span.doc
    if span.end >= len(doc):
        return False
    nxt = doc[span.end]
    return nxt.lower_ in _TOOL_HEADS or bool(_VERSION.match(nxt.text))


def drop_tools_used(kept: list[Candidate]) -> list[Candidate]:
    """Drop a Method every mention of which is software used (:func:`is_tool_use`), not studied.

    A library the paper itself presents is studied: one named in the title (the first sentence) or
    called "our X library" stays.

    >>> import spacy
    >>> doc = spacy.blank("en")("FooKit for graphs . Our FooKit library beats the Bar library .")
    >>> doc[0].is_sent_start, doc[4].is_sent_start = True, True
    >>> kept = [Candidate(doc[i : i + 1], "Method", "ner") for i in (0, 5, 9)]
    >>> [c.span.text for c in drop_tools_used(kept)]
    ['FooKit', 'FooKit']
    """
    groups: dict[str, list[Candidate]] = {}
    for c in kept:
        if c.type == "Method":
            groups.setdefault(c.span.text.lower(), []).append(c)

    def used(span: Span) -> bool:
        doc = span.doc
        in_title = not any(t.is_sent_start for t in doc[1 : span.start + 1])
        ours = span.start > 0 and doc[span.start - 1].lower_ == "our"
        return is_tool_use(span) and not in_title and not ours

    dropped = {key for key, group in groups.items() if all(used(c.span) for c in group)}
    return [c for c in kept if not (c.type == "Method" and c.span.text.lower() in dropped)]


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


@Language.factory(
    "kg_entities",
    assigns=["doc.spans", "span._.kg_confidence", "span._.kg_source"],
    requires=["doc.sents"],
    default_config={
        "confidence": DEFAULT_CONFIDENCE,
        "use_ner": True,
        "kb_types": ["Method", "Dataset", "Hardware", "Metric", "Task"],
        "kb_lower_types": ["Method", "Hardware", "Metric"],
        "propagate": True,
        "span_key": "",
        "span_thresholds": {},
    },
)
def make_kg_entities(
    nlp: Language,
    name: str,
    confidence: dict[str, float],
    use_ner: bool,
    kb_types: list[str],
    kb_lower_types: list[str],
    propagate: bool,
    span_key: str,
    span_thresholds: dict[str, float],
) -> EntityMerger:
    """Build the ``kg_entities`` component."""
    return EntityMerger(
        name,
        confidence=confidence,
        use_ner=use_ner,
        kb_types=kb_types,
        kb_lower_types=kb_lower_types,
        propagate=propagate,
        span_key=span_key,
        span_thresholds=span_thresholds,
    )
