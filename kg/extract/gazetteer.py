"""``kg_gazetteer``: knowledge-base names and aliases matched in the text.

Names with capitals beyond the first letter or of four characters or fewer
("GPU", "A100", "BLEU", "LoRA") match case-sensitively; other names
("knowledge distillation", "Transformer") match in any case. Plural forms
are added for both. Matches go to ``doc.spans["kg_gazetteer"]`` with the
type as label and the KB key in ``span.id_``; :mod:`kg.extract.entities`
decides which of them become entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.extensions import GAZETTEER_SPANS_KEY
from kg.kb import KBEntry, load_kb

__all__ = ["Gazetteer", "case_sensitive", "make_kg_gazetteer", "pattern_forms"]


def case_sensitive(form: str) -> bool:
    """Return True if ``form`` must match with its exact case.

    >>> [case_sensitive(f) for f in ("GPU", "LoRA", "accuracy", "Transformer", "ImageNet", "TPU v4")]
    [True, True, False, False, True, True]
    """
    return len(form) <= 4 or any(c.isupper() for c in form[1:])


def pattern_forms(form: str) -> Iterator[str]:
    """Yield ``form`` and its plural ("GPU" -> "GPUs", "graph neural network" -> "...networks")."""
    yield form
    last = form.rsplit(" ", 1)[-1]
    if last and last[-1].isalpha() and not last.lower().endswith("s"):
        yield form + "s"


class Gazetteer:
    """Match knowledge-base forms; see the module docstring."""

    def __init__(
        self,
        nlp: Language,
        name: str = "kg_gazetteer",
        *,
        kb_dir: str = "",
        types: Iterable[str] = ("Method", "Dataset", "Hardware", "Metric", "Task"),
        min_chars: int = 2,
    ) -> None:
        self.name = name
        self.types = tuple(types)
        self.kb = load_kb(kb_dir or None)
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entries: dict[str, KBEntry] = {}
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        for entry in self.kb:
            if entry.type not in self.types:
                continue
            label = f"{entry.type}|{entry.key}"
            self._entries[label] = entry
            for form in entry.forms:
                if len(form) < min_chars:
                    continue
                target = exact if case_sensitive(form) else lower
                for variant in pattern_forms(form):
                    target.setdefault(label, []).append(nlp.make_doc(variant))
        for label, docs in exact.items():
            self._exact.add(label, docs)
        for label, docs in lower.items():
            self._lower.add(label, docs)

    def match(self, doc: Doc) -> list[Span]:
        """Return the longest non-overlapping matches, labelled with their type, KB key in ``id_``."""
        spans = []
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                label = doc.vocab.strings[match_id]
                entry = self._entries[label]
                spans.append(Span(doc, start, end, label=entry.type, span_id=entry.key))
        return filter_spans(spans)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[GAZETTEER_SPANS_KEY] = self.match(doc)
        return doc


@Language.factory(
    "kg_gazetteer",
    assigns=["doc.spans"],
    default_config={
        "kb_dir": "",
        "types": ["Method", "Dataset", "Hardware", "Metric", "Task"],
        "min_chars": 2,
    },
)
def make_kg_gazetteer(nlp: Language, name: str, kb_dir: str, types: list[str], min_chars: int) -> Gazetteer:
    """Build the ``kg_gazetteer`` component (``kb_dir`` empty: the shipped knowledge base)."""
    return Gazetteer(nlp, name, kb_dir=kb_dir, types=types, min_chars=min_chars)
