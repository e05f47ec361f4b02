"""The ``KGError`` tree.

Every error a user can cause is a :class:`KGError`. The CLI catches it, prints
``str(err)`` on one line (the message says what went wrong and how to fix it)
and exits with :attr:`KGError.exit_code`. Anything else is a bug and keeps its
traceback.

Examples
--------
>>> from kg.errors import InputError
>>> str(InputError("no such file: x.jsonl", fix="check the path"))
'[KG101] no such file: x.jsonl (fix: check the path)'
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ExportError",
    "FetchError",
    "InputError",
    "KGError",
    "ModelError",
    "NoRecordsError",
    "QueryError",
    "QueryTimeoutError",
    "StoreError",
    "ValidationError",
]


class KGError(Exception):
    """Base class of every error the user can cause or fix."""

    code = "KG100"
    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        if self.fix:
            text += f" (fix: {self.fix})"
        return text


class InputError(KGError):
    """An input path is missing, unreadable or of an unknown format."""

    code = "KG101"


class NoRecordsError(InputError):
    """The inputs were read but held no usable paper record."""

    code = "KG102"


class ConfigError(KGError):
    """A pipeline config or an option value is invalid."""

    code = "KG110"


class StoreError(KGError):
    """The graph store is missing, locked or damaged."""

    code = "KG120"


class QueryError(KGError):
    """A SPARQL query is unknown or malformed."""

    code = "KG130"


class QueryTimeoutError(QueryError):
    """A SPARQL query ran longer than its time limit."""

    code = "KG131"


class ExportError(KGError):
    """An export format is unknown or the target cannot be written."""

    code = "KG140"


class ModelError(KGError):
    """The shipped extraction model is missing or cannot be loaded."""

    code = "KG150"


class FetchError(KGError):
    """A paper service (arXiv, OpenAlex, Semantic Scholar) cannot be reached or refused a request."""

    code = "KG160"


class ValidationError(KGError):
    """The graph does not conform to the SHACL shapes (``kg validate``)."""

    code = "KG170"
