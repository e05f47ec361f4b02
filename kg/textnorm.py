"""String normalisation shared by extraction, merging and linking.

:func:`form_key` decides when two surface forms name the same thing: case,
plural, hyphen/space and letter-digit spacing variants share a key
("Llama 2", "LLaMA-2", "llama2"), while different things keep different keys
("GPT-4" vs "GPT-4o", "BERT" vs "BERT4Rec", "QuIP" vs "QuIP#").

Examples
--------
>>> form_key("LLaMA-2") == form_key("Llama 2") == form_key("llama2")
True
>>> form_key("GPT-4") == form_key("GPT-4o")
False
>>> form_key("Large Language Models")
'large language model'
>>> slugify("Post-training Quantization (PTQ)")
'post-training-quantization-ptq'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "DASHES",
    "DETERMINERS",
    "GENERIC_HEADS",
    "compact_key",
    "form_key",
    "is_acronym",
    "is_blend",
    "is_short_form",
    "name_parts",
    "part_initials",
    "singular",
    "slugify",
]

#: Unicode dashes and minus signs, mapped to ASCII "-".
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")

#: Words dropped from the start of a span.
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "its",
        "this",
        "these",
        "those",
        "that",
        "his",
        "her",
        "your",
        "my",
        "such",
        "each",
        "every",
        "both",
    ]
)

#: Bare heads that never name an entity on their own (GUIDELINES.md, Method "No").
GENERIC_HEADS = frozenset(
    [
        "method",
        "methods",
        "approach",
        "approaches",
        "model",
        "models",
        "framework",
        "frameworks",
        "technique",
        "techniques",
        "architecture",
        "architectures",
        "algorithm",
        "algorithms",
        "system",
        "systems",
        "dataset",
        "datasets",
        "benchmark",
        "benchmarks",
        "task",
        "tasks",
        "problem",
        "problems",
        "metric",
        "metrics",
        "data",
        "network",
        "networks",
        "module",
        "modules",
        "pipeline",
        "pipelines",
        "strategy",
        "strategies",
        "scheme",
        "schemes",
        "paradigm",
        "paradigms",
        "baseline",
        "baselines",
        "variant",
        "variants",
        "work",
        "works",
        "solution",
        "solutions",
        "tool",
        "tools",
        "procedure",
        "procedures",
        "mechanism",
        "mechanisms",
        "design",
        "designs",
        "component",
        "components",
        "layer",
        "layers",
        "device",
        "devices",
        "hardware",
        "platform",
        "platforms",
        "accelerator",
        "accelerators",
        "performance",
        "results",
        "result",
        "experiments",
        "experiment",
        "evaluation",
        "analysis",
        "study",
    ]
)

_KEEP = re.compile(r"[^\w#+.]+", re.UNICODE)
_WORD_CHAR = re.compile(r"[\w#+.]")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)")
_DOT_NOT_IN_NUMBER = re.compile(r"(?<!\d)\.|\.(?!\d)")


def singular(word: str) -> str:
    """Return a crude singular of an English (or acronym) plural.

    >>> [singular(w) for w in ("models", "LLMs", "GPUs", "strategies", "processes", "class", "bus")]
    ['model', 'LLM', 'GPU', 'strategy', 'process', 'class', 'bus']
    """
    if len(word) >= 3 and word[-1] == "s" and word[-2].isupper():
        return word[:-1]  # acronym plural: "GPUs", "LLMs"
    lower = word.casefold()  # lengths as after case folding ("ß" -> "ss"), so that form_key is idempotent
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith(("ss", "us", "is", "'s")):
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def _blank_non_word(text: str) -> str:
    """Blank what is not a word character, ``#``, ``+`` or ``.``; combining marks (not ``\\w``) are kept."""
    if text.isascii():
        return _KEEP.sub(" ", text)
    return "".join(c if _WORD_CHAR.match(c) or unicodedata.category(c)[0] == "M" else " " for c in text)


def form_key(form: str) -> str:
    """Return the merge key of a surface form (see the module docstring)."""
    text = unicodedata.normalize("NFKC", form).translate(DASHES)
    text = text.replace("\\%", "%")
    text = _DOT_NOT_IN_NUMBER.sub(" ", text)
    text = _blank_non_word(text).replace("_", " ")
    words = text.split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    # NFKC again after case folding: casefold() can leave decomposed text ("ΰ" vs "Ϋ́")
    words = _LETTER_DIGIT.sub(" ", unicodedata.normalize("NFKC", " ".join(words).casefold())).split()
    while words and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(words)


_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+(?:\.\d+)*")
_NET = re.compile(r"network$")


def name_parts(form: str) -> list[str]:
    """Split a name into its words and camel-case parts; a run of capitals is one part.

    >>> name_parts("TransNormerLLM"), name_parts("FlashAttention-2"), name_parts("Llama 3.1")
    (['Trans', 'Normer', 'LLM'], ['Flash', 'Attention', '2'], ['Llama', '3.1'])
    """
    return _PART.findall(unicodedata.normalize("NFKC", form).translate(DASHES))


def part_initials(form: str) -> str:
    """The acronym a name spells from its capitalised parts: initials, numbers kept whole.

    Empty unless the name has two or more parts and every word part is
    capitalised (lower-case words such as "of" make no acronym here).

    >>> part_initials("TransNormerLLM"), part_initials("FlashAttention-2"), part_initials("GPT-4o")
    ('TNL', 'FA2', '')
    """
    parts = name_parts(form)
    letters = [p for p in parts if p[0].isalpha()]
    if len(letters) < 2 or any(not p[0].isupper() for p in letters):
        return ""
    if "".join(parts) != re.sub(r"[\s\-_/]", "", unicodedata.normalize("NFKC", form).translate(DASHES)):
        return ""  # symbols or stray characters ("QuIP#", "C++") are part of the name
    return "".join(p[0] if p[0].isalpha() else p for p in parts)


def compact_key(form: str) -> str:
    """:func:`form_key` without the spaces, and a final "network" written "net".

    Two forms with one compact key are spacing or case variants of one name,
    or use "Net" for "Network": "Markov Junior" / "MarkovJunior", "Pointer
    Net" / "Pointer Networks". Versions and suffixes are kept ("GPT-4" vs "GPT-4o").

    >>> compact_key("Markov Junior") == compact_key("MarkovJunior")
    True
    >>> compact_key("Pointer Net") == compact_key("pointer networks")
    True
    >>> compact_key("GPT-4") == compact_key("GPT-4o"), compact_key("BERT") == compact_key("BERT4Rec")
    (False, False)
    """
    return _NET.sub("net", form_key(form).replace(" ", ""))


def is_blend(short: str, long: str) -> bool:
    """True if the one-word camel-case ``short`` blends the cut first and last words of ``long``.

    "WyFormer" is "Wy(ckoff) (Trans)former": its first part begins the first
    word, its last part ends the last word, and both words are cut, so a
    name that is a word of its own ("GraphFormer" beside "Graph Transformer")
    is not a blend.

    >>> is_blend("WyFormer", "Wyckoff Transformer"), is_blend("GraphFormer", "Graph Transformer")
    (True, False)
    """
    if " " in short or "-" in short:
        return False
    parts = name_parts(short)
    words = long.split()
    if len(parts) != 2 or len(words) != 2 or "".join(parts) != short:
        return False
    first, last = parts[0].lower(), parts[1].lower()
    w1, w2 = words[0].lower(), words[1].lower()
    return (
        len(first) >= 2
        and len(last) >= 3
        and w1.startswith(first)
        and w2.endswith(last)
        and len(first) < len(w1)
        and len(last) < len(w2)
    )


def slugify(text: str, max_len: int = 80) -> str:
    """Return a lowercase ASCII slug for IRIs: letters, digits and single hyphens.

    Non-ASCII letters are transliterated where Unicode allows; what is left
    is dropped. An empty result becomes ``"x"``.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("#", "-sharp").replace("+", "-plus")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_len].strip("-") or "x"


def is_short_form(text: str) -> bool:
    """Return True if ``text`` can be the short form in an acronym definition.

    Loose on purpose: the parentheses around it are the main evidence.

    >>> [is_short_form(t) for t in ("PTQ", "LLMs", "QuIP#", "e.g.", "see above", "x")]
    [True, True, True, False, False, False]
    """
    if not 2 <= len(text) <= 12 or text.count(" ") > 1:
        return False
    if not text[0].isalnum():
        return False
    if not any(c.isupper() for c in text):
        return False
    return any(c.isalpha() for c in text) and "." not in text


def is_acronym(text: str) -> bool:
    """Return True if ``text`` is an acronym-like name: one word with two or more capitals.

    >>> [is_acronym(t) for t in ("PTQ", "LLMs", "LoRA", "GPT-4", "Transformer", "Mamba", "large")]
    [True, True, True, True, False, False, False]
    """
    if " " in text or not 2 <= len(text) <= 12:
        return False
    return sum(c.isupper() for c in text) >= 2


COUNT_WORDS = {
    w: i
    for i, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        start=1,
    )
} | {"sixteen": 16, "thirty-two": 32, "sixty-four": 64, "single": 1, "dual": 2}
_COUNT = re.compile(r"^(\d{1,6})\s?[x×]?$", re.IGNORECASE)


def parse_count(token: str) -> int | None:
    """Return the device count a token states ("8x", "8", "eight"), or ``None``.

    >>> parse_count("8x"), parse_count("4"), parse_count("eight"), parse_count("x")
    (8, 4, 8, None)
    """
    text = token.strip().lower()
    if text in COUNT_WORDS:
        return COUNT_WORDS[text]
    m = _COUNT.match(text)
    if m:
        n = int(m.group(1))
        return n if 0 < n <= 1_000_000 else None
    return None
