"""research-kg: turn paper abstracts into a typed, queryable knowledge graph.

The package is layered as data flows: :mod:`kg.ingest` -> :mod:`kg.extract`
(the only spaCy code) -> :mod:`kg.normalize` -> :mod:`kg.graph` ->
:mod:`kg.query`, :mod:`kg.export`, :mod:`kg.viz`, :mod:`kg.analysis`.
Importing ``kg`` is cheap: the public functions load their layers lazily.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build"]


def __getattr__(name: str):
    if name == "build":
        from kg.build import build

        return build
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
