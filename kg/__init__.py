"""research-kg: turn paper abstracts into a typed, queryable knowledge graph.

The package is layered as data flows: :mod:`kg.ingest` -> :mod:`kg.extract`
(the only spaCy code) -> :mod:`kg.normalize` -> :mod:`kg.graph` ->
:mod:`kg.query`, :mod:`kg.export`, :mod:`kg.viz`, :mod:`kg.analysis`.
Importing ``kg`` is cheap: the public functions load their layers lazily.
"""

from __future__ import annotations

import sys as _sys
import types as _types

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load"]


def __getattr__(name: str):
    if name == "build":
        from kg.build import build

        return build
    if name == "load":  # issue 6: kg.load("outputs") -> kg.api.KnowledgeGraph
        from kg.api import load

        return load
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


class _Package(_types.ModuleType):
    """Keeps ``kg.build`` the function (issue 6).

    Importing the submodule ``kg.build`` binds the name ``build`` on the package
    to the module, so ``kg.build(...)`` worked once and then failed; the module
    stays reachable as ``sys.modules["kg.build"]`` and ``from kg.build import ...``.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "build" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
