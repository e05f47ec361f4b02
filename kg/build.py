"""The whole build: inputs in, graph, store, exports and viewer out.

``kg build`` is a thin wrapper over :func:`build`; notebooks call it directly.
Each step reports progress through an optional callback, so the CLI can draw
progress bars while the library stays silent.

Examples
--------
>>> import tempfile, pathlib, json
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> record = {"title": "Fast LoRA", "abstract": "We tune LLaMA-2 with LoRA on GPUs."}
>>> _ = (d / "in.jsonl").write_text(json.dumps(record))
>>> summary = build([d / "in.jsonl"], out=d / "out", profile="fast", viewer=False)
>>> summary.papers, (d / "out" / "graph.ttl").exists()
(1, True)
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.export import write_extractions, write_graphml, write_rdf
from kg.extract.pipeline import extract_papers, load_pipeline
from kg.graph.projection import to_networkx
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.ingest import IngestReport, read_papers
from kg.normalize.canonical import Corpus, normalize
from kg.records import ENTITY_TYPES, Extraction

__all__ = ["BuildSummary", "Progress", "build", "extract"]

#: ``progress(stage, done, total)``; ``total`` is ``None`` when unknown.
Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass
class BuildSummary:
    """What a build did: counts, files and timing."""

    papers: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    files: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    bad_records: list[str] = field(default_factory=list)
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    profile: str = "default"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def extract(
    inputs: Iterable[str | Path],
    *,
    profile: str = "default",
    workers: int = 1,
    progress: Progress = _no_progress,
) -> tuple[Corpus, IngestReport]:
    """Read and extract ``inputs``; return the normalised corpus and the ingest report."""
    result = read_papers(inputs)
    papers = result.papers
    progress("read", len(papers), len(papers))
    nlp = load_pipeline(profile)
    extractions: list[Extraction] = []
    for ex in extract_papers(papers, nlp, n_process=workers):
        extractions.append(ex)
        progress("extract", len(extractions), len(papers))
    corpus = normalize(extractions)
    progress("normalize", 1, 1)
    return corpus, result.report


def build(
    inputs: Iterable[str | Path],
    out: str | Path = "outputs",
    *,
    profile: str = "default",
    workers: int = 1,
    viewer: bool = True,
    title: str | None = None,
    progress: Progress = _no_progress,
) -> BuildSummary:
    """Build the knowledge graph of ``inputs`` into the folder ``out``.

    Writes ``store/`` (Oxigraph), ``graph.ttl``, ``graph.graphml``,
    ``extractions.jsonl``, ``graph.html`` (unless ``viewer=False``) and
    ``build.json`` (this summary).
    """
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus, report = extract(inputs, profile=profile, workers=workers, progress=progress)

    graph = corpus_to_graph(corpus)
    progress("graph", 1, 1)
    summary = BuildSummary(profile=profile)
    summary.papers = len(corpus.extractions)
    counts = Counter(e.type for e in corpus.entities.values())
    summary.entities = {t: counts.get(t, 0) for t in ENTITY_TYPES}
    summary.triples = write_store(graph, out / "store")
    summary.files["store"] = str(out / "store")
    progress("store", 1, 1)

    summary.files["turtle"] = str(write_rdf(graph, out / "graph.ttl", "turtle"))
    G = to_networkx(graph)
    summary.files["graphml"] = str(write_graphml(G, out / "graph.graphml"))
    summary.files["extractions"] = str(
        write_extractions(corpus.extractions, out / "extractions.jsonl", corpus.entities)
        and out / "extractions.jsonl"
    )
    progress("export", 1, 1)
    if viewer:
        from kg.viz import write_viewer

        summary.files["viewer"] = str(
            write_viewer(graph, out / "graph.html", title=title or "Research knowledge graph")
        )
        progress("viewer", 1, 1)

    summary.bad_records = [str(b) for b in report.bad]
    summary.duplicates = report.duplicates
    summary.warnings = list(report.warnings)
    summary.seconds = round(time.perf_counter() - started, 2)
    (out / "build.json").write_text(summary.to_json(), encoding="utf-8")
    summary.files["summary"] = str(out / "build.json")
    return summary
