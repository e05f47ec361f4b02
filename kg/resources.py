"""Where the package's data lives: ontologies, pipeline configs, models.

In a source checkout (and an editable install) ``ontologies/`` and
``pipelines/`` sit beside ``kg/``; a built wheel carries copies in
``kg/_resources/``. Models always live in ``kg/models/``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["model_dir", "ontologies_dir", "package_dir", "pipelines_dir", "queries_dir"]


def package_dir() -> Path:
    """The ``kg`` package folder."""
    return Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    checkout = package_dir().parent / name
    if checkout.is_dir():
        return checkout
    return package_dir() / "_resources" / name


def ontologies_dir() -> Path:
    """The folder of the OWL ontology and SHACL shapes."""
    return _resource("ontologies")


def pipelines_dir() -> Path:
    """The folder of extraction profiles (``*.cfg``) and saved queries."""
    return _resource("pipelines")


def queries_dir() -> Path:
    """The folder of saved SPARQL queries (``*.rq``)."""
    return pipelines_dir() / "queries"


def model_dir(name: str) -> Path:
    """The folder of a shipped trained model, such as ``"ner"``."""
    return package_dir() / "models" / name
