"""Hardware details from surface forms: memory size and device count.

"8xA100-40G GPUs" names an NVIDIA A100 with 40 GB, eight of them. The count
is read by the extractor (it precedes the mention); the memory is read here
from the form itself.

Examples
--------
>>> memory_gb("A100-40G GPUs"), memory_gb("NVIDIA A100 (80GB)"), memory_gb("TPU v4")
(40.0, 80.0, None)
>>> strip_hardware_heads("NVIDIA A100 GPUs")
'NVIDIA A100'
>>> parse_count("8x"), parse_count("4"), parse_count("eight"), parse_count("x")
(8, 4, 8, None)
"""

from __future__ import annotations

import re

from kg.textnorm import COUNT_WORDS, parse_count

__all__ = ["COUNT_WORDS", "memory_gb", "parse_count", "strip_hardware_heads"]

_MEMORY = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d)?)\s?(?:GB|G|GiB)\b", re.IGNORECASE)
_HEADS = re.compile(
    r"(?:\s*[-(]?\s*(?:GPUs?|TPUs?|CPUs?|chips?|cards?|accelerators?|devices?|boards?|pods?|nodes?|SoCs?|"
    r"processors?|Tensor Core GPUs?|GPU cluster|cluster)\)?)+$",
    re.IGNORECASE,
)


def memory_gb(form: str) -> float | None:
    """Return the memory size (GB) a hardware form states, or ``None``."""
    m = _MEMORY.search(form)
    if not m:
        return None
    value = float(m.group(1))
    return value if 0 < value <= 4096 else None


def strip_hardware_heads(form: str) -> str:
    """Drop trailing generic heads ("GPUs", "chips") so the product name remains."""
    stripped = _HEADS.sub("", form).strip(" -(")
    return stripped or form
