"""Every ``Doc._`` / ``Span._`` attribute of the package, registered once.

Names carry a ``kg_`` prefix so they never clash with other packages', and
registration is idempotent (``force`` is never used: a clash is a bug).

========================  ==================================================
attribute                 set by
========================  ==================================================
``Doc._.kg_abbreviations``  ``kg_abbreviations``: list of (long, short) spans
``Doc._.kg_proposed``       ``kg_proposed``: spans of proposed methods
``Doc._.kg_results``        ``kg_results``: list of :class:`~kg.records.ResultRecord`
``Doc._.kg_relations``      ``kg_relations``: list of (type, head span, tail span, confidence)
``Span._.kg_confidence``    ``kg_entities``: confidence of an entity span
``Span._.kg_source``        ``kg_entities``: which evidence found it
========================  ==================================================
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

__all__ = ["ENTITY_SPANS_KEY", "GAZETTEER_SPANS_KEY", "register_extensions"]

#: ``doc.spans`` key of the final, typed entity mentions.
ENTITY_SPANS_KEY = "kg_entities"
#: ``doc.spans`` key of knowledge-base and pattern matches (candidates).
GAZETTEER_SPANS_KEY = "kg_gazetteer"


def register_extensions() -> None:
    """Register the package's extension attributes (safe to call many times)."""
    for name in ("kg_abbreviations", "kg_proposed", "kg_results", "kg_relations"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("kg_confidence"):
        Span.set_extension("kg_confidence", default=1.0)
    if not Span.has_extension("kg_source"):
        Span.set_extension("kg_source", default="")


register_extensions()
