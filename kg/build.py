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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from kg.cache import load_extractions, save_extractions
from kg.errors import StoreError
from kg.export import dump_store, write_extractions, write_graphml
from kg.extract.parallel import extract_parallel
from kg.graph.bulk import StoreWriter
from kg.graph.rdf import corpus_to_graph
from kg.graph.store import write_store
from kg.ingest import IngestReport, PaperStream
from kg.ingest.ids import title_key
from kg.normalize.canonical import Corpus, normalize
from kg.records import ENTITY_TYPES, Extraction, Paper

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
    new_papers: int = 0
    removed: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def extract(
    inputs: Iterable[str | Path],
    *,
    profile: str = "default",
    workers: int = 1,
    progress: Progress = _no_progress,
    skip: Callable[[Paper], bool] | None = None,
    scheduler: str | None = None,
    partition_size: int = 200,
) -> tuple[list[Extraction], IngestReport]:
    """Read ``inputs`` and extract every paper (but those ``skip`` says are known).

    ``workers > 1`` extracts in local processes; ``scheduler`` (``tcp://HOST:PORT``)
    on a Dask cluster, ``partition_size`` papers a task (see
    :mod:`kg.extract.parallel`). Extractions come back in input order whatever
    the number of workers or partitions, so the graph is the same.

    Input is streamed (:class:`~kg.ingest.PaperStream`): papers are read as the
    extraction asks for them, never all at once.

    Returns the raw extractions (before corpus-wide merging) and the ingest report.
    """
    stream = PaperStream(inputs)
    papers = (p for p in stream if not (skip and skip(p)))
    extractions: list[Extraction] = []
    for ex in extract_parallel(papers, profile, workers=workers, scheduler=scheduler, partition_size=partition_size):
        extractions.append(ex)
        progress("extract", len(extractions), None)
    progress("read", stream.report.papers, stream.report.papers)
    return _with_updates(extractions, stream.updates, profile), stream.report


def _with_updates(extractions: list[Extraction], updates: dict[str, dict], profile: str) -> list[Extraction]:
    """Give each paper the fields its later duplicates filled in (see :class:`~kg.ingest.PaperStream`).

    A paper whose title or abstract came from a duplicate is extracted again: its text changed.
    """
    again: list[int] = []
    for i, ex in enumerate(extractions):
        filled = updates.get(ex.paper.id)
        if filled:
            extractions[i] = replace(ex, paper=replace(ex.paper, **filled))
            if "title" in filled or "abstract" in filled:
                again.append(i)
    if again:
        redone = extract_parallel([extractions[i].paper for i in again], profile)
        for i, ex in zip(again, redone):
            extractions[i] = ex
    return extractions


def extract_corpus(
    inputs: Iterable[str | Path],
    *,
    profile: str = "default",
    workers: int = 1,
    min_confidence: float = 0.0,
    progress: Progress = _no_progress,
    scheduler: str | None = None,
    partition_size: int = 200,
) -> tuple[Corpus, IngestReport]:
    """Read, extract and merge ``inputs``: the normalised corpus and the ingest report."""
    extractions, report = extract(
        inputs,
        profile=profile,
        workers=workers,
        progress=progress,
        scheduler=scheduler,
        partition_size=partition_size,
    )
    corpus = filter_confidence(normalize(extractions), min_confidence)
    progress("normalize", 1, 1)
    return corpus, report


def _paper_keys(paper: Paper) -> set[str]:
    """Keys under which a paper is known: id, DOI, arXiv id and normalised title."""
    keys = {"id:" + paper.id}
    if paper.title:
        keys.add("title:" + title_key(paper.title))
    for name in ("doi", "arxiv_id"):
        value = getattr(paper, name, None)
        if value:
            keys.add(f"{name}:{value}")
    return keys


def filter_confidence(corpus: Corpus, min_confidence: float) -> Corpus:
    """Drop entities, results and relations whose confidence is under ``min_confidence``."""
    if min_confidence <= 0:
        return corpus
    out = []
    kept: set[str] = set()
    for ex in corpus.extractions:
        ents = tuple(e for e in ex.entities if e.confidence >= min_confidence)
        kept.update(e.key for e in ents)
        out.append(
            replace(
                ex,
                entities=ents,
                results=tuple(r for r in ex.results if r.confidence >= min_confidence),
                relations=tuple(r for r in ex.relations if r.confidence >= min_confidence),
            )
        )
    return Corpus(tuple(out), {k: v for k, v in corpus.entities.items() if k in kept})


def build(
    inputs: Iterable[str | Path],
    out: str | Path = "outputs",
    *,
    profile: str = "default",
    workers: int = 1,
    viewer: bool = True,
    title: str | None = None,
    min_confidence: float = 0.0,
    rebuild: bool = False,
    progress: Progress = _no_progress,
    scheduler: str | None = None,
    partition_size: int = 200,
) -> BuildSummary:
    """Build (or add to) the knowledge graph of ``inputs`` in the folder ``out``.

    Papers already in ``out`` (from earlier builds) are not extracted again;
    the graph is rebuilt from all papers, so entities of new papers merge with
    the ones already there. ``rebuild=True`` starts from scratch.
    ``workers`` local processes, or the Dask cluster at ``scheduler``
    (``partition_size`` papers a task), run the extraction; the graph is the
    same as a serial build's.

    Writes ``store/`` (Oxigraph), ``graph.ttl``, ``graph.graphml``,
    ``extractions.jsonl``, ``graph.html`` (unless ``viewer=False``),
    ``build.json`` (this summary) and the extraction cache.
    """
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    existing = [] if rebuild else load_extractions(out)
    known = set().union(*(_paper_keys(ex.paper) for ex in existing)) if existing else set()
    new, report = extract(
        inputs,
        profile=profile,
        workers=workers,
        progress=progress,
        skip=lambda p: bool(_paper_keys(p) & known),
        scheduler=scheduler,
        partition_size=partition_size,
    )
    summary = BuildSummary(profile=profile)
    summary.new_papers = len(new)
    summary.bad_records = [str(b) for b in report.bad]
    summary.duplicates = report.duplicates
    summary.warnings = list(report.warnings)
    extractions = existing + new
    del existing, new  # _write_outputs empties the one list left once it is written
    return _write_outputs(extractions, out, summary, min_confidence, viewer, title, progress, started)


def remove(
    paper_ids: Iterable[str],
    out: str | Path = "outputs",
    *,
    viewer: bool = True,
    title: str | None = None,
    min_confidence: float = 0.0,
    progress: Progress = _no_progress,
) -> BuildSummary:
    """Remove papers (by id) from a built graph, with every link only they supported.

    Raises
    ------
    StoreError
        If ``out`` has no build, or no paper has one of the ids.
    """
    started = time.perf_counter()
    out = Path(out)
    existing = load_extractions(out)
    if not existing:
        raise StoreError(
            f"no build in {out} to remove papers from", fix="run `kg build INPUT --out DIR` first"
        )
    ids = set(paper_ids)
    unknown = ids - {ex.paper.id for ex in existing}
    if unknown:
        raise StoreError(
            f"no paper with id {sorted(unknown)[0]!r} in {out}",
            fix='list ids with: kg query "SELECT ?id WHERE { ?p dcterms:identifier ?id }"',
        )
    kept = [ex for ex in existing if ex.paper.id not in ids]
    summary = BuildSummary(profile="unchanged")
    summary.removed = len(existing) - len(kept)
    return _write_outputs(kept, out, summary, min_confidence, viewer, title, progress, started)


def _graph_writer(corpus: Corpus, progress: Progress) -> Callable[[object], None]:
    """A function writing the graph of ``corpus`` into the (new) store it is given."""

    def fill(store: object) -> None:
        with StoreWriter(store) as sink:
            corpus_to_graph(corpus, graph=sink)
        progress("graph", 1, 1)

    return fill


def _write_outputs(
    extractions: list[Extraction],
    out: Path,
    summary: BuildSummary,
    min_confidence: float,
    viewer: bool,
    title: str | None,
    progress: Progress,
    started: float,
) -> BuildSummary:
    """Merge ``extractions`` and write every output.

    The graph goes straight into the store (:class:`~kg.graph.bulk.StoreWriter`),
    never into an rdflib graph, and everything after the store is read back from
    it table by table (:func:`kg.load`); ``extractions`` is emptied once written,
    so the records and the graph are not in memory together.
    """
    corpus = filter_confidence(normalize(extractions), min_confidence)
    progress("normalize", 1, 1)
    summary.papers = len(corpus.extractions)
    counts = Counter(e.type for e in corpus.entities.values())
    summary.entities = {t: counts.get(t, 0) for t in ENTITY_TYPES}

    summary.triples = write_store(_graph_writer(corpus, progress), out / "store")
    summary.files["store"] = str(out / "store")
    progress("store", 1, 1)
    save_extractions(out, extractions)
    write_extractions(corpus.extractions, out / "extractions.jsonl", corpus.entities)
    summary.files["extractions"] = str(out / "extractions.jsonl")
    extractions.clear()
    del corpus

    summary.files["turtle"] = str(dump_store(out / "store", "turtle", out / "graph.ttl"))
    from kg.api import load

    graph = load(out)
    try:
        summary.files["graphml"] = str(write_graphml(graph.nx, out / "graph.graphml"))
        progress("export", 1, 1)
        if viewer:
            from kg.viz import write_viewer

            summary.files["viewer"] = str(
                write_viewer(graph, out / "graph.html", title=title or "Research knowledge graph")
            )
            progress("viewer", 1, 1)
            # issue 6: the analysis report beside the viewer
            from kg.report import write_report

            summary.files["report"] = str(
                write_report(graph, out / "report.html", title=title or "Research knowledge graph", progress=progress)
            )
    finally:
        graph.close()

    summary.seconds = round(time.perf_counter() - started, 2)
    tmp = out / "build.json.tmp"
    tmp.write_text(summary.to_json(), encoding="utf-8")
    tmp.replace(out / "build.json")
    summary.files["summary"] = str(out / "build.json")
    return summary
