"""A small built-in graph with known answers, for examples, doctests and quick experiments.

Nine invented papers (2020-2024) on fine-tuning and quantising language
models, summarisation and on-device object detection. Building it needs no
extraction model: the extractions are written by hand.

Examples
--------
>>> g = demo_graph()
>>> g.papers.year.tolist()
[2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2024]
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from kg.records import EntityRecord, Extraction, Mention, Paper, RelationRecord, ResultRecord

__all__ = ["demo_extractions", "demo_graph", "write_graph"]

# (id, date, title, abstract, entities as (type, name, *other forms), proposed, results, relations)
_PAPERS: list[tuple] = [
    (
        "d1", "2020-06-01", "LoRA: Low-Rank Adaptation of Transformers",
        "We propose LoRA, a low-rank adaptation method for Transformer language models. "
        "LoRA matches full fine-tuning on WikiText-2 for language modeling. "
        "We train on A100 GPUs and report perplexity. LoRA reaches a perplexity of 12.3 on WikiText-2.",
        [("Method", "LoRA", "low-rank adaptation"), ("Method", "Transformer"), ("Task", "language modeling"),
         ("Dataset", "WikiText-2"), ("Hardware", "A100"), ("Metric", "perplexity")],
        ("LoRA",),
        [("perplexity", "12.3", 12.3, None, None, "WikiText-2", None, "LoRA")],
        [("evaluatedOn", "LoRA", "WikiText-2")],
    ),
    (
        "d2", "2021-03-15", "GPTQ: Accurate Post-Training Quantization for Transformers",
        "We propose GPTQ, a post-training quantization method for Transformer models. "
        "GPTQ is evaluated on WikiText-2 and C4 for language modeling. "
        "On A100 GPUs, GPTQ reduces perplexity by 0.8 compared to RTN.",
        [("Method", "GPTQ"), ("Method", "Transformer"), ("Task", "language modeling"), ("Dataset", "WikiText-2"),
         ("Dataset", "C4"), ("Hardware", "A100"), ("Metric", "perplexity")],
        ("GPTQ",),
        [("perplexity", "0.8", 0.8, None, "reduction", "WikiText-2", "RTN", "GPTQ")],
        [("evaluatedOn", "GPTQ", "C4")],
    ),
    (
        "d3", "2022-02-01", "Adapting Transformers for Summarization with LoRA",
        "We apply LoRA to Transformer models for summarization. Experiments on CNN/DailyMail use ROUGE. "
        "Training runs on V100 GPUs. LoRA improves ROUGE by 1.2 on CNN/DailyMail.",
        [("Method", "LoRA"), ("Method", "Transformer"), ("Task", "summarization"), ("Dataset", "CNN/DailyMail"),
         ("Metric", "ROUGE"), ("Hardware", "V100")],
        (),
        [("ROUGE", "1.2", 1.2, None, "gain", "CNN/DailyMail", None, "LoRA")],
        [],
    ),
    (
        "d4", "2022-09-01", "QLoRA: Quantized Low-Rank Adapters",
        "We propose QLoRA, which combines LoRA with quantization. "
        "QLoRA is evaluated on XSum and CNN/DailyMail for summarization with ROUGE. QLoRA fine-tunes on a single A100.",
        [("Method", "QLoRA"), ("Method", "LoRA"), ("Task", "summarization"), ("Dataset", "XSum"),
         ("Dataset", "CNN/DailyMail"), ("Metric", "ROUGE"), ("Hardware", "A100")],
        ("QLoRA",),
        [],
        [("evaluatedOn", "QLoRA", "XSum")],
    ),
    (
        "d5", "2023-01-10", "Real-Time Object Detection with YOLOv8 on Jetson Orin NX",
        "We benchmark YOLOv8 for object detection on COCO. YOLOv8 runs on a Jetson Orin NX and we report mAP. "
        "YOLOv8 reaches 53.9 mAP on COCO.",
        [("Method", "YOLOv8"), ("Task", "object detection"), ("Dataset", "COCO"), ("Hardware", "Jetson Orin NX"),
         ("Metric", "mAP")],
        (),
        [("mAP", "53.9", 53.9, None, None, "COCO", None, "YOLOv8")],
        [("runsOnHardware", "YOLOv8", "Jetson Orin NX")],
    ),
    (
        "d6", "2023-06-01", "Mobile Object Detection with MobileNetV3",
        "We compare MobileNetV3 and YOLOv8 for object detection. "
        "On COCO, MobileNetV3 lowers latency by 12 ms on a Jetson Orin NX, at a cost in mAP.",
        [("Method", "MobileNetV3"), ("Method", "YOLOv8"), ("Task", "object detection"), ("Dataset", "COCO"),
         ("Hardware", "Jetson Orin NX"), ("Metric", "mAP"), ("Metric", "latency")],
        (),
        [("latency", "12 ms", 12.0, "ms", "reduction", "COCO", "YOLOv8", "MobileNetV3")],
        [],
    ),
    (
        "d7", "2024-02-01", "Long-Context Language Modeling with LoRA",
        "We extend LoRA to long-context language modeling. On PG-19, LoRA with FlashAttention lowers perplexity. "
        "Training runs on H100 GPUs.",
        [("Method", "LoRA"), ("Method", "FlashAttention"), ("Task", "language modeling"), ("Dataset", "PG-19"),
         ("Metric", "perplexity"), ("Hardware", "H100")],
        (),
        [],
        [],
    ),
    (
        "d8", "2024-05-01", "Quantized LoRA Fine-Tuning",
        "We combine LoRA and GPTQ for language modeling. On WikiText-2, the combination keeps perplexity within 0.2 "
        "of LoRA. Experiments use H100 GPUs.",
        [("Method", "LoRA"), ("Method", "GPTQ"), ("Task", "language modeling"), ("Dataset", "WikiText-2"),
         ("Metric", "perplexity"), ("Hardware", "H100")],
        (),
        [],
        [],
    ),
    (
        "d9", "2024-09-01", "Efficient Summarization with QLoRA",
        "We fine-tune QLoRA and LoRA for summarization on XSum. QLoRA improves ROUGE by 0.9 on XSum on H100 GPUs.",
        [("Method", "QLoRA"), ("Method", "LoRA"), ("Task", "summarization"), ("Dataset", "XSum"), ("Metric", "ROUGE"),
         ("Hardware", "H100")],
        (),
        [("ROUGE", "0.9", 0.9, None, "gain", "XSum", None, "QLoRA")],
        [],
    ),
]  # fmt: skip


def _sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the title line and of each sentence of the abstract."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        for m in re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", line.group()):
            spans.append((line.start() + m.start(), line.start() + m.end()))
    return spans


def _entity(text: str, etype: str, forms: tuple[str, ...]) -> EntityRecord:
    spans = _sentences(text)
    mentions = []
    for form in forms:
        for m in re.finditer(re.escape(form), text):
            sentence = next(text[a:b] for a, b in spans if a <= m.start() < b)
            mentions.append(Mention(form, m.start(), m.end(), sentence, 0.9, "demo"))
    mentions.sort(key=lambda m: m.start)
    return EntityRecord(etype, forms[0], tuple(mentions), forms[1:], 0.9)


def demo_extractions() -> list[Extraction]:
    """The hand-made extractions of the demo corpus (nine papers).

    >>> [ex.paper.id for ex in demo_extractions()][:3]
    ['d1', 'd2', 'd3']
    """
    out = []
    for pid, date, title, abstract, ents, proposed, results, relations in _PAPERS:
        paper = Paper(pid, title, abstract, date=date, url=f"https://example.org/{pid}")
        text = paper.text
        entities = tuple(_entity(text, etype, tuple(forms)) for etype, *forms in ents)
        res = tuple(
            ResultRecord(
                metric, value, number, unit, direction, dataset, comparison, method,
                next((s for s in abstract.split(". ") if value in s), ""), 0.8,
            )
            for metric, value, number, unit, direction, dataset, comparison, method in results
        )  # fmt: skip
        rels = tuple(
            RelationRecord(rtype, head, tail, next(s for s in abstract.split(". ") if head in s and tail in s), 0.7)
            for rtype, head, tail in relations
        )
        out.append(Extraction(paper, entities, tuple(proposed), res, rels))
    return out


def write_graph(extractions: Iterable[Extraction], path: str | Path) -> Path:
    """Normalise ``extractions`` and write their graph's store into the output folder ``path``.

    Only the store (what :func:`kg.load` reads), none of the exports or pages
    of ``kg build``; for graphs from hand-made or synthetic records.

    Parameters
    ----------
    extractions : iterable of Extraction
        The papers with their entities, results and relations.
    path : path
        Output folder (created if needed); its ``store`` is replaced.

    Returns
    -------
    pathlib.Path
        ``path``, ready for :func:`kg.load`.

    Examples
    --------
    >>> import tempfile, kg
    >>> folder = write_graph(demo_extractions()[:2], tempfile.mkdtemp())
    >>> len(kg.load(folder).papers)
    2
    """
    from kg.graph.rdf import corpus_to_graph
    from kg.graph.store import write_store
    from kg.normalize.canonical import normalize

    path = Path(path)
    write_store(corpus_to_graph(normalize(extractions)), path / "store")
    return path


@cache
def _shared_demo_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kg-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return write_graph(demo_extractions(), folder)


def demo_graph(path: str | Path | None = None):
    """Build the demo corpus into ``path`` (default: a temporary folder shared by the process) and load it.

    Parameters
    ----------
    path : path, optional
        Output folder to build into; without one, a temporary folder (removed
        at exit) is built once and every call loads it again.

    Returns
    -------
    kg.api.KnowledgeGraph

    Examples
    --------
    >>> g = demo_graph()
    >>> g.entities.groupby("type").size().to_dict()
    {'Dataset': 6, 'Hardware': 4, 'Method': 7, 'Metric': 4, 'Task': 3}
    """
    from kg.api import load

    folder = write_graph(demo_extractions(), path) if path is not None else _shared_demo_dir()
    return load(folder)
