"""Load an extraction profile and run it over papers.

A profile is a spaCy config in ``pipelines/<profile>.cfg``. The ``default``
profile sources the trained span categorizer shipped in ``kg/models/entities``;
the ``fast`` profile is rules only (acronyms, knowledge base, patterns).

Examples
--------
>>> from kg.records import Paper
>>> nlp = load_pipeline("fast")
>>> paper = Paper("p1", "Fast LLM serving", "We serve large language models (LLMs) on NVIDIA A100 GPUs.")
>>> ex = next(extract_papers([paper], nlp))
>>> sorted((e.type, e.name) for e in ex.entities if e.type == "Hardware")
[('Hardware', 'NVIDIA A100 GPUs')]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import MethodType

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.errors import ConfigError, ModelError
from kg.extract import extensions as _extensions  # noqa: F401  (registers Doc._ attributes)
from kg.extract.to_records import doc_to_extraction
from kg.records import Extraction, Paper
from kg.resources import model_dir, pipelines_dir

__all__ = ["PROFILES", "extract_papers", "load_pipeline", "profile_path"]

#: Profiles shipped with the package.
PROFILES: tuple[str, ...] = ("default", "fast")


def profile_path(profile: str) -> Path:
    """Return the config file of a profile name, or of a path to a ``.cfg`` file."""
    if profile.endswith(".cfg"):
        path = Path(profile)
        if not path.exists():
            raise ConfigError(f"no such pipeline config: {path}", fix="check the path")
        return path
    path = pipelines_dir() / f"{profile}.cfg"
    if not path.exists():
        raise ConfigError(f"unknown extraction profile {profile!r}", fix=f"use one of: {', '.join(PROFILES)}")
    return path


@cache
def _load(profile: str) -> Language:
    path = profile_path(profile)
    config = spacy.util.load_config(path, interpolate=False)
    overrides = {}
    if "paths" in config and "entity_model" in config["paths"]:
        model = model_dir("entities")
        if not (model / "config.cfg").exists():
            raise ModelError(f"the trained model is missing from {model}", fix="run `kg train` or use --profile fast")
        overrides["paths.entity_model"] = str(model)
    try:
        nlp = spacy.util.load_model_from_config(
            spacy.util.load_config(path, overrides=overrides, interpolate=True), auto_fill=True, validate=True
        )
    except Exception as err:  # spaCy raises config errors of several types
        if isinstance(err, (ConfigError, ModelError)):
            raise
        raise ConfigError(f"cannot build pipeline from {path}: {err}".splitlines()[0]) from err
    if "spancat" in nlp.pipe_names:
        _tune_spancat(nlp, config)
    return nlp


def _tune_spancat(nlp: Language, config: spacy.util.Config) -> None:
    """Set up the sourced span categorizer for inference as the profile asks.

    * ``[components.spancat.suggester]`` in the profile replaces the suggester
      the model was trained with (spaCy ignores settings of a sourced
      component): the model scores each span on its own, so scoring fewer,
      plausible candidates (``kg.entity_suggester.v1``) gives the same
      entities several times faster;
    * the categorizer keeps every span the merger might accept: the merger
      (``kg_entities``) applies the per-type thresholds;
    * its span group is built from the kept scores only, with numpy, instead
      of spaCy's Python loop over every candidate and label (same spans, same
      order).
    """
    spancat = nlp.get_pipe("spancat")
    suggester = config.get("components", {}).get("spancat", {}).get("suggester")
    if suggester:
        import kg.extract.suggester  # noqa: F401  (registers kg.entity_suggester.v1)

        try:
            spancat.suggester = spacy.util.registry.resolve({"suggester": dict(suggester)})["suggester"]
        except Exception as err:  # catalogue and confection raise several types
            raise ConfigError(f"bad [components.spancat.suggester]: {err}".splitlines()[0]) from err
    if "kg_entities" in nlp.pipe_names:
        thresholds = nlp.get_pipe("kg_entities").span_thresholds
        spancat.cfg["threshold"] = min([*thresholds.values(), 0.5])
    if spancat.cfg.get("max_positive") is None:
        spancat._make_span_group_multilabel = MethodType(_span_group_over_threshold, spancat)


def _span_group_over_threshold(self, doc: Doc, indices, scores) -> SpanGroup:
    """``SpanCategorizer._make_span_group_multilabel`` (``max_positive`` unset) without a loop over candidates."""
    spans = SpanGroup(doc, name=self.key)
    if scores.size == 0:
        return spans
    scores = self.model.ops.to_numpy(scores)
    indices = self.model.ops.to_numpy(indices)
    keeps = scores >= self.cfg["threshold"]
    negative = self._negative_label_i
    if negative is not None:
        keeps[:, negative] = False
    rows, cols = numpy.nonzero(keeps)  # row-major: the order of spaCy's loop
    labels = self.labels
    for i, j in zip(rows.tolist(), cols.tolist()):
        spans.append(Span(doc, int(indices[i, 0]), int(indices[i, 1]), label=labels[j]))
    spans.attrs["scores"] = scores[rows, cols]
    return spans


def load_pipeline(profile: str = "default") -> Language:
    """Return the spaCy pipeline of a profile (built once per process)."""
    return _load(profile)


def extract_papers(
    papers: Iterable[Paper], nlp: Language | None = None, *, batch_size: int = 32, n_process: int = 1
) -> Iterator[Extraction]:
    """Run the pipeline over ``papers`` and yield one :class:`~kg.records.Extraction` each, in order.

    ``n_process > 1`` runs :func:`kg.extract.parallel.extract_local`: worker
    processes send back records, never ``Doc`` objects, and the output is the
    same as a serial run. Each paper's mentions, results and relations share one
    string per sentence.
    """
    nlp = nlp or load_pipeline()
    n_process = max(1, min(n_process, os.cpu_count() or 1))
    if n_process > 1:
        from kg.extract.parallel import extract_local

        yield from extract_local(papers, nlp, workers=n_process, batch_size=batch_size)
        return
    stream = ((p.text, p) for p in papers)
    for doc, paper in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield _share_sentences(doc_to_extraction(doc, paper))


def _share_sentences(ex: Extraction) -> Extraction:
    """Make equal sentence strings of one extraction one object (a sentence with 5 mentions is kept once)."""
    seen: dict[str, str] = {}
    one = seen.setdefault
    entities = tuple(
        replace(e, mentions=tuple(replace(m, sentence=one(m.sentence, m.sentence)) for m in e.mentions))
        for e in ex.entities
    )
    results = tuple(replace(r, sentence=one(r.sentence, r.sentence)) for r in ex.results)
    relations = tuple(replace(r, sentence=one(r.sentence, r.sentence)) for r in ex.relations)
    return replace(ex, entities=entities, results=results, relations=relations)
