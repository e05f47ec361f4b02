"""``kg.tokenizer.v1``: spaCy's English tokenizer with two rules for paper text.

* a device count glued to a product name is split off: "8xA100" -> "8x" "A100"
  (so the mention can be "A100-40G GPUs" and the count an attribute);
* nothing else: spaCy already splits glued sentences ("constraints.While").

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
>>> [t.text for t in nlp("on 8xA100-40G GPUs")]
['on', '8x', 'A100', '-', '40', 'G', 'GPUs']
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_prefix_regex, registry

__all__ = ["EXTRA_PREFIXES", "create_kg_tokenizer"]

#: Prefixes split off the front of a token, before spaCy's own.
EXTRA_PREFIXES: tuple[str, ...] = (r"\d+\s?[x×](?=[A-Z])",)


@registry.tokenizers("kg.tokenizer.v1")
def create_kg_tokenizer() -> Callable[[Language], Tokenizer]:
    """Return a factory of the default tokenizer with :data:`EXTRA_PREFIXES`."""

    def make(nlp: Language) -> Tokenizer:
        tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        prefixes = list(EXTRA_PREFIXES) + list(nlp.Defaults.prefixes or [])
        tokenizer.prefix_search = compile_prefix_regex(prefixes).search
        return tokenizer

    return make
