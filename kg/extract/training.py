"""Training data for the statistical entity recogniser.

Annotations in the gold format of ``GUIDELINES.md`` list each entity as its
surface forms, not as offsets. :func:`align_forms` finds every whole-word
occurrence of every form in the paper text and resolves overlaps (longest
first), which gives the token-level spans a spaCy ``ner`` component learns.

Annotation files in ``pipelines/training/`` carry no abstract text (the text
of third-party papers is not ours to ship): each record names its source and
id, and :func:`load_training_records` joins it with the text read from the
source file.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kg.errors import InputError
from kg.records import ENTITY_TYPES

__all__ = [
    "NER_LABELS",
    "TrainingRecord",
    "align_forms",
    "load_training_records",
    "make_doc",
    "scierc_records",
    "train_model",
    "training_files",
    "write_docbins",
]

#: ``doc.spans`` key of the gold spans, for a span categorizer.
SPANS_KEY = "sc"

#: spaCy labels of the five entity types.
NER_LABELS: dict[str, str] = {t: t.upper() for t in ENTITY_TYPES}


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """One annotated text: ``spans`` are ``(start, end, type)`` character offsets."""

    id: str
    text: str
    spans: tuple[tuple[int, int, str], ...]
    origin: str
    missing: tuple[tuple[int, int], ...] = ()


def _is_boundary(text: str, i: int) -> bool:
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())


def align_forms(text: str, record: Mapping[str, object]) -> list[tuple[int, int, str]]:
    """Return non-overlapping ``(start, end, type)`` spans for every form of every entity.

    Parameters
    ----------
    text : str
        The annotated text (title, newline, abstract).
    record : Mapping
        A gold-format record: ``{"Method": [["form", ...], ...], ...}``.

    Examples
    --------
    >>> rec = {"Method": [["post-training quantization", "PTQ"]], "Metric": [["accuracy"]]}
    >>> text = "Post-training quantization (PTQ) keeps accuracy; PTQ is cheap."
    >>> [(text[s:e], t) for s, e, t in align_forms(text, rec)]
    [('PTQ', 'Method'), ('accuracy', 'Metric'), ('PTQ', 'Method')]
    """
    found: list[tuple[int, int, str]] = []
    for etype in ENTITY_TYPES:
        for entity in record.get(etype, []) or []:
            for form in entity:
                if not form or not form.strip():
                    continue
                for m in re.finditer(re.escape(form), text):
                    s, e = m.start(), m.end()
                    if _is_boundary(text, s) and _is_boundary(text, e):
                        found.append((s, e, etype))
    # longest first; ties keep the earlier type in ENTITY_TYPES order
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0], ENTITY_TYPES.index(x[2])))
    taken: list[tuple[int, int, str]] = []
    occupied = [False] * (len(text) + 1)
    for s, e, t in found:
        if any(occupied[s:e]):
            continue
        for i in range(s, e):
            occupied[i] = True
        taken.append((s, e, t))
    return sorted(taken)


def make_doc(nlp: Language, record: TrainingRecord) -> Doc:
    """Tokenise ``record.text`` and set its entities; spans that cut tokens are widened."""
    doc = nlp.make_doc(record.text)
    ents = []
    last_end = -1
    for s, e, t in record.spans:
        span = doc.char_span(s, e, label=NER_LABELS[t], alignment_mode="expand")
        if span is None or span.start < last_end:
            continue
        ents.append(span)
        last_end = span.end
    missing = []
    for s, e in record.missing:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and not any(span.start < x.end and x.start < span.end for x in ents):
            missing.append(span)
    missing = filter_spans(missing)
    doc.set_ents(ents, missing=missing, default="outside")
    doc.spans[SPANS_KEY] = list(ents)
    return doc


def _read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_training_records(annotation_files: Iterable[Path], shared: Path) -> list[TrainingRecord]:
    """Join annotation files with their texts.

    A record with ``"abstract"`` carries its own text (our own demo abstracts);
    one with ``"source": "abstracts"`` takes title and abstract from
    ``shared/external/abstracts/abstracts.jsonl.gz`` by id.

    Raises
    ------
    InputError
        If a source the annotations need is missing.
    """
    records = []
    needed: dict[str, dict] = {}
    annotations = []
    for path in annotation_files:
        for rec in _read_jsonl(Path(path)):
            annotations.append((Path(path).stem, rec))
            if "abstract" not in rec:
                needed[rec["id"]] = rec
    texts: dict[str, tuple[str, str]] = {}
    if needed:
        corpus = shared / "external" / "abstracts" / "abstracts.jsonl.gz"
        if not corpus.exists():
            raise InputError(f"training needs {corpus}", fix="put the shared data folder beside the checkout")
        for row in _read_jsonl(corpus):
            if row["id"] in needed:
                texts[row["id"]] = (row["title"], row["abstract"])
    for origin, rec in annotations:
        if "abstract" in rec:
            title, abstract = rec.get("title", ""), rec["abstract"]
        elif rec["id"] in texts:
            title, abstract = texts[rec["id"]]
        else:
            raise InputError(
                f"no text for annotated record {rec['id']!r} ({origin})", fix="check the corpus version"
            )
        text = f"{title}\n{abstract}" if title else abstract
        records.append(TrainingRecord(rec["id"], text, tuple(align_forms(text, rec)), origin))
    return records


#: How SciERC's types map onto ours (SciERC has no Dataset or Hardware type).
SCIERC_TYPES = {"Method": "Method", "Task": "Task", "Metric": "Metric"}
#: SciERC types whose spans are marked unknown (no gradient): Material mixes datasets with other data.
SCIERC_MISSING = frozenset({"Material"})


def scierc_records(path: Path) -> list[TrainingRecord]:
    """Read a SciERC JSONL split (Luan et al., 2018) as training records.

    Method, Task and Metric are kept (nested spans keep the outermost);
    Material spans are marked missing, so the model is not taught that a
    dataset named in SciERC is no entity.
    """
    out = []
    for row in _read_jsonl(path):
        missing = tuple((e["start"], e["end"]) for e in row["entities"] if e["type"] in SCIERC_MISSING)
        spans = sorted(
            (e["start"], e["end"], SCIERC_TYPES[e["type"]])
            for e in row["entities"]
            if e["type"] in SCIERC_TYPES
        )
        flat: list[tuple[int, int, str]] = []
        for s, e, t in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
            if flat and s < flat[-1][1]:
                continue
            flat.append((s, e, t))
        out.append(TrainingRecord(row["id"], row["text"], tuple(flat), "scierc", missing))
    return out


def write_docbins(
    nlp: Language,
    records: list[TrainingRecord],
    out_dir: Path,
    dev_fraction: float = 0.1,
    seed: int = 0,
    train_only: Sequence[TrainingRecord] = (),
) -> tuple[Path, Path]:
    """Split ``records`` into train/dev and write ``train.spacy`` and ``dev.spacy``.

    ``train_only`` records (another annotation scheme, such as SciERC's) go to train only, so the
    dev split, and with it the choice of the best model, stays the same as without them.
    """
    rng = random.Random(seed)
    shuffled = sorted(records, key=lambda r: r.id)
    rng.shuffle(shuffled)
    n_dev = max(1, int(len(shuffled) * dev_fraction))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, part in (("train", shuffled[n_dev:] + list(train_only)), ("dev", shuffled[:n_dev])):
        db = DocBin(store_user_data=False)
        for rec in part:
            db.add(make_doc(nlp, rec))
        path = out_dir / f"{name}.spacy"
        db.to_disk(path)
        paths.append(path)
    return paths[0], paths[1]


def training_files(directory: Path) -> list[Path]:
    """The annotation files used to train the shipped model, in a fixed order."""
    return sorted(Path(directory).glob("*.jsonl"))


def train_model(
    shared: Path,
    output: Path,
    *,
    config: Path,
    annotations: Path,
    max_steps: int | None = None,
    seed: int = 0,
    with_scierc: bool = False,
) -> Path:
    """Rebuild the entity model: write train/dev ``.spacy`` files and run ``spacy train``.

    Parameters
    ----------
    shared : Path
        The shared data folder (the annotations of third-party abstracts read their text from it).
    output : Path
        Where the trained pipeline goes; the best model is ``output / "model-best"``.
    config : Path
        The training config (``pipelines/spancat.cfg``).
    annotations : Path
        The folder of annotation files (``pipelines/training``).
    with_scierc : bool
        Also train on SciERC train (``shared/external/scierc/train.jsonl``, Luan et al., 2018).
        Off for the shipped model: it gains out of domain (SciERC dev) but loses on our dev set
        (README, "Extraction").

    Returns
    -------
    Path
        The folder of the best model.
    """
    from spacy.cli.train import train as spacy_train

    import kg.extract.suggester
    import kg.extract.tokenizer  # noqa: F401  (registers kg.tokenizer.v1)

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    records = load_training_records(training_files(annotations), shared)
    extra: list[TrainingRecord] = []
    if with_scierc:
        scierc = shared / "external" / "scierc" / "train.jsonl"
        if not scierc.exists():
            raise InputError(f"--with-scierc needs {scierc}", fix="put the shared data folder beside the checkout")
        extra = scierc_records(scierc)
    corpus_dir = output / "corpus"
    train_path, dev_path = write_docbins(nlp, records, corpus_dir, seed=seed, train_only=extra)
    overrides: dict[str, object] = {"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": seed}
    if max_steps:
        overrides["training.max_steps"] = max_steps
    spacy_train(config, output, overrides=overrides)
    return output / "model-best"
