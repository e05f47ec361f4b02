"""Link entities to the shipped knowledge base.

A surface form is looked up as it is, then without generic heads ("A100
GPUs" -> "A100", "COCO dataset" -> "COCO") and without a leading vendor. A
hit must have the entity's type: "Transformer" the method is never linked to
a hardware product.

Examples
--------
>>> from kg.kb import load_kb
>>> kb = load_kb()
>>> link("A100-40G GPUs", "Hardware", kb).name
'NVIDIA A100 40GB'
>>> link("some new thing", "Method", kb) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.kb import KBEntry, KnowledgeBase
from kg.normalize.hardware import strip_hardware_heads

__all__ = ["link", "link_forms", "lookup_variants"]

_DATASET_HEADS = re.compile(
    r"\s+(?:dataset|datasets|benchmark|benchmarks|corpus|corpora|suite)$", re.IGNORECASE
)
_MODEL_HEADS = re.compile(r"\s+(?:model|models|architecture|algorithm|method|framework)$", re.IGNORECASE)
_VENDORS = re.compile(r"^(?:NVIDIA|Nvidia|nVidia|Google|Intel|AMD|Apple|Qualcomm|Xilinx|ARM|Arm)\s+")


def lookup_variants(form: str, etype: str) -> Iterator[str]:
    """Yield the forms tried for a lookup, most specific first."""
    yield form
    if etype == "Hardware":
        stripped = strip_hardware_heads(form)
        yield stripped
        yield _VENDORS.sub("", stripped)
    elif etype == "Dataset":
        yield _DATASET_HEADS.sub("", form)
    elif etype == "Method":
        yield _MODEL_HEADS.sub("", form)


def link(form: str, etype: str, kb: KnowledgeBase) -> KBEntry | None:
    """Return the knowledge-base entry of one surface form, or ``None``."""
    for variant in lookup_variants(form, etype):
        entry = kb.lookup(variant, etype)
        if entry is not None:
            return entry
    return None


def link_forms(forms: Iterable[str], etype: str, kb: KnowledgeBase) -> KBEntry | None:
    """Return the entry of the first form that links (forms in order of preference)."""
    for form in forms:
        entry = link(form, etype, kb)
        if entry is not None:
            return entry
    return None
