"""The ``kg`` command line: thin wrappers over importable functions.

Every user mistake is a :class:`~kg.errors.KGError`; :func:`main` prints it as
one line (what went wrong and the fix) and exits non-zero, without a
traceback.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import KGError

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Turn paper abstracts into a typed, queryable research knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

_STAGES = {
    "read": "Reading inputs",
    "extract": "Reading, extracting",
    "normalize": "Merging entities",
    "graph": "Building the graph",
    "store": "Writing the store",
    "export": "Writing exports",
    "viewer": "Writing the viewer",
}


@contextlib.contextmanager
def _progress() -> Iterator:
    """Yield a ``progress(stage, done, total)`` callback drawing rich progress bars on stderr."""
    bars = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(_STAGES.get(stage, stage), total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


InputsArg = Annotated[
    list[Path], typer.Argument(help="Files or folders of papers (listings, JSONL, CSV, ...).")
]


@app.command("build")
def build_cli(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders of papers (listings, JSONL, CSV, BibTeX, RIS, Parquet, ...)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("outputs"),
    profile: Annotated[
        str, typer.Option(help="Extraction profile: default, fast or a .cfg path.")
    ] = "default",
    workers: Annotated[int, typer.Option(help="Local processes for extraction.")] = 1,
    scheduler: Annotated[
        str, typer.Option(help="Dask scheduler address (tcp://HOST:PORT): extract on its workers.")
    ] = "",
    partition_size: Annotated[
        int, typer.Option("--partition-size", help="Papers per Dask task (with --scheduler).")
    ] = 200,
    title: Annotated[str, typer.Option(help="Title of the viewer page.")] = "Research knowledge graph",
    no_viewer: Annotated[bool, typer.Option("--no-viewer", help="Skip the HTML viewer.")] = False,
    min_confidence: Annotated[
        float, typer.Option(help="Drop entities, results and relations below this.")
    ] = 0.0,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Ignore papers already in --out; start anew.")
    ] = False,
    arxiv: Annotated[
        str, typer.Option("--arxiv", help="Also fetch the papers of this arXiv query into --out and build them.")
    ] = "",
    arxiv_max: Annotated[int, typer.Option("--arxiv-max", help="How many papers --arxiv fetches.")] = 100,
    arxiv_since: Annotated[
        str, typer.Option("--arxiv-since", help="Earliest submission date for --arxiv, YYYY[-MM[-DD]].")
    ] = "",
) -> None:
    """Build the knowledge graph of INPUTS into --out (papers already there are kept, not re-extracted)."""
    from kg.build import build

    inputs = list(inputs or [])
    if arxiv:
        inputs += _fetch_for_build("arxiv", arxiv, out_dir, arxiv_max, arxiv_since, has_other_inputs=bool(inputs))
    with _progress() as progress:
        summary = build(
            inputs,
            out_dir,
            profile=profile,
            workers=workers,
            scheduler=scheduler or None,
            partition_size=partition_size,
            viewer=not no_viewer,
            title=title,
            min_confidence=min_confidence,
            rebuild=rebuild,
            progress=progress,
        )
    _print_summary(summary, out_dir)


def _print_summary(summary, out_dir: Path) -> None:
    table = Table(
        title=f"Graph of {summary.papers} papers, written in {summary.seconds:.1f} s", show_header=False
    )
    if summary.new_papers or summary.profile != "unchanged":
        table.add_row("new papers", str(summary.new_papers))
    if summary.removed:
        table.add_row("removed papers", str(summary.removed))
    table.add_row("entities", ", ".join(f"{t} {n}" for t, n in summary.entities.items()))
    table.add_row("triples", str(summary.triples))
    if summary.duplicates:
        table.add_row("duplicates merged", str(summary.duplicates))
    table.add_row("unreadable records", str(len(summary.bad_records)))
    for name, path in summary.files.items():
        table.add_row(name, escape(path))
    out.print(table)
    for bad in summary.bad_records[:20]:
        err.print(f"[yellow]skipped[/] {escape(str(bad))}")
    if len(summary.bad_records) > 20:
        err.print(
            f"[yellow]... and {len(summary.bad_records) - 20} more unreadable records (see build.json)[/]"
        )
    for warning in summary.warnings[:20]:
        err.print(f"[yellow]warning[/] {escape(warning)}")
    if "viewer" in summary.files:
        out.print(f"viewer: {escape(summary.files['viewer'])}")
    if "report" in summary.files:  # issue 6
        out.print(f"report: {escape(summary.files['report'])}")
    out.print(
        escape(f"store:  {summary.files['store']}  (query it with: kg query top-methods --store {out_dir})")
    )


@app.command("extract")
def extract_cli(
    inputs: InputsArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="JSON Lines file to write ('-' for stdout).")
    ],
    profile: Annotated[
        str, typer.Option(help="Extraction profile: default, fast or a .cfg path.")
    ] = "default",
    workers: Annotated[int, typer.Option(help="Local processes for extraction.")] = 1,
    scheduler: Annotated[
        str, typer.Option(help="Dask scheduler address (tcp://HOST:PORT): extract on its workers.")
    ] = "",
    partition_size: Annotated[
        int, typer.Option("--partition-size", help="Papers per Dask task (with --scheduler).")
    ] = 200,
    min_confidence: Annotated[
        float, typer.Option(help="Drop entities, results and relations below this.")
    ] = 0.0,
) -> None:
    """Extract entities only: one JSON line per paper (score.py reads it as it is)."""
    from kg.build import extract_corpus
    from kg.export import write_extractions

    with _progress() as progress:
        corpus, report = extract_corpus(
            inputs,
            profile=profile,
            workers=workers,
            min_confidence=min_confidence,
            progress=progress,
            scheduler=scheduler or None,
            partition_size=partition_size,
        )
    if str(output) == "-":
        n = write_extractions(corpus.extractions, sys.stdout, corpus.entities)
    else:
        n = write_extractions(corpus.extractions, output, corpus.entities)
    for bad in report.bad:
        err.print(f"[yellow]skipped[/] {escape(str(bad))}")
    err.print(
        f"{n} papers written to {output}; "
        f"{len(report.bad)} unreadable records, {report.duplicates} duplicates"
    )


@app.command("query")
def query_cli(
    query: Annotated[
        str, typer.Argument(help="SPARQL text, a .rq file, or a saved query name (see --list).")
    ] = "",
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    timeout: Annotated[float, typer.Option(help="Seconds before the query is stopped.")] = 30.0,
    list_saved: Annotated[bool, typer.Option("--list", help="List the saved queries.")] = False,
) -> None:
    """Run a SPARQL query on the built graph."""
    from kg.errors import ConfigError
    from kg.query import resolve_query, run_query, saved_queries

    if list_saved:
        for q in saved_queries().values():
            out.print(f"[bold]{q.name}[/]: {escape(q.description)}")
        return
    if not query:
        raise ConfigError(
            "no query given", fix="pass SPARQL, a .rq file or a saved query name (kg query --list)"
        )
    if fmt not in ("table", "csv", "json"):
        raise ConfigError(f"unknown format {fmt!r}", fix="use table, csv or json")
    result = run_query(store, resolve_query(query), timeout=timeout)
    if result.boolean is not None:
        out.print("true" if result.boolean else "false")
        return
    if fmt == "json":
        bindings = []
        for row, kinds in zip(result.rows, result.kinds or [()] * len(result.rows)):
            b = {}
            for col, value, kind in zip(result.columns, row, kinds or [None] * len(row)):
                if value is not None:
                    b[col] = {"type": kind or "literal", "value": value}
            bindings.append(b)
        json.dump(
            {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}},
            sys.stdout,
            ensure_ascii=False,
        )
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
    else:
        table = Table(*result.columns, title=f"{len(result.rows)} rows")
        for row in result.rows:
            table.add_row(*(escape("" if v is None else v) for v in row))
        out.print(table)


@app.command("view")
def view_cli(
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("graph.html"),
    title: Annotated[str, typer.Option(help="Page title.")] = "Research knowledge graph",
    node_budget: Annotated[int, typer.Option(help="Fold the least connected nodes above this many.")] = 2000,
) -> None:
    """Write the self-contained HTML viewer of a built graph."""
    from kg.api import load
    from kg.viz import write_viewer

    graph = load(store)
    try:
        path = write_viewer(graph, output, title=title, node_budget=node_budget)
    finally:
        graph.close()
    out.print(f"viewer: {path}")


@app.command("remove")
def remove_cli(
    paper_ids: Annotated[list[str], typer.Argument(help="Ids of the papers to remove (dcterms:identifier).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder of `kg build`.")] = Path(
        "outputs"
    ),
    no_viewer: Annotated[bool, typer.Option("--no-viewer", help="Skip the HTML viewer.")] = False,
) -> None:
    """Remove papers, and the links only they supported, from a built graph."""
    from kg.build import remove

    with _progress() as progress:
        summary = remove(paper_ids, out_dir, viewer=not no_viewer, progress=progress)
    _print_summary(summary, out_dir)


@app.command("serve")
def serve_cli(
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    host: Annotated[
        str, typer.Option(help="Address to bind; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    writable: Annotated[
        bool, typer.Option("--writable", help="Accept SPARQL UPDATE and graph writes.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a query is stopped.")] = 30.0,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (Oxigraph server): /query, and /update with --writable."""
    import signal

    from kg.query.serve import serve

    proc = serve(store, host=host, port=port, writable=writable, timeout=timeout)

    def stop(signum: int, frame: object) -> None:  # a SIGTERM to kg serve stops the server too
        proc.terminate()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    mode = "read-write" if writable else "read-only"
    out.print(f"SPARQL endpoint ({mode}): http://{host}:{port}/query  (Ctrl-C stops it)")
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            err.print(escape(line.rstrip()), highlight=False)
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)
        raise
    if code != 0:
        from kg.errors import StoreError

        raise StoreError(
            f"the SPARQL server stopped with exit code {code}", fix="is the port already in use?"
        )


@app.command("push")
def push_cli(
    endpoint: Annotated[str, typer.Option(help="Graph Store Protocol URL, e.g. http://host:7878/store.")],
    graph: Annotated[str, typer.Option(help="Named graph IRI (default: the default graph).")] = "",
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    append: Annotated[
        bool, typer.Option("--append", help="Add to the graph instead of replacing it.")
    ] = False,
) -> None:
    """Load the built graph into a SPARQL 1.1 Graph Store Protocol endpoint."""
    from kg.export.push import push_store
    from kg.graph.store import open_store

    n = push_store(open_store(store), endpoint, named_graph=graph or None, replace=not append)
    out.print(f"pushed {n} triples to {escape(endpoint)}" + (f" (graph {escape(graph)})" if graph else ""))


@app.command("train")
def train_cli(
    shared: Annotated[Path, typer.Option(help="The shared data folder (abstract texts).")] = Path("../shared"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Training folder.")] = Path("training/entities"),
    max_steps: Annotated[int, typer.Option(help="Training steps (0: the config's).")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    install: Annotated[bool, typer.Option("--install", help="Copy the best model into kg/models/entities.")] = False,
    with_scierc: Annotated[
        bool, typer.Option("--with-scierc", help="Also train on SciERC train (off for the shipped model).")
    ] = False,
) -> None:
    """Rebuild the entity model from pipelines/training/ with pipelines/spancat.cfg."""
    import shutil

    from kg.extract.training import train_model
    from kg.resources import model_dir, pipelines_dir

    best = train_model(
        shared,
        output,
        config=pipelines_dir() / "spancat.cfg",
        annotations=pipelines_dir() / "training",
        max_steps=max_steps or None,
        seed=seed,
        with_scierc=with_scierc,
    )
    out.print(f"best model: {escape(str(best))}")
    if install:
        target = model_dir("entities")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(best, target)
        out.print(f"installed into {escape(str(target))}")


@app.command("evaluate")
def evaluate_cli(
    gold: Annotated[Path, typer.Argument(help="Gold JSON Lines (GUIDELINES.md format).")],
    inputs: InputsArg,
    profile: Annotated[str, typer.Option(help="Extraction profile: default, fast or a .cfg path.")] = "default",
    types: Annotated[str, typer.Option(help="Comma-separated types to score.")] = "Method,Dataset,Hardware,Metric,Task",
) -> None:
    """Extract INPUTS and score them against GOLD (the table of score.py, plus proposed and results)."""
    from kg.build import extract_corpus
    from kg.evaluate import evaluate, format_table, load_gold
    from kg.export.extractions import extraction_to_json

    gold_rows = load_gold(gold)
    with _progress() as progress:
        corpus, _ = extract_corpus(inputs, profile=profile, progress=progress)
    rows = [extraction_to_json(ex, corpus.entities) for ex in corpus.extractions]
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    out.print(escape(format_table(evaluate(gold_rows, rows, wanted), wanted)), highlight=False)


@app.command("annotate")
def annotate_cli(
    inputs: InputsArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines to write, in the gold format.")],
    sample: Annotated[int, typer.Option(help="How many papers to sample (0: all).")] = 50,
    seed: Annotated[int, typer.Option(help="Random seed of the sample.")] = 0,
    profile: Annotated[str, typer.Option(help="Extraction profile.")] = "default",
) -> None:
    """Write a sample of papers with the extractor's guesses in the gold format, ready to correct by hand."""
    import random

    from kg.build import extract_corpus
    from kg.evaluate import to_gold_format
    from kg.export.extractions import extraction_to_json

    with _progress() as progress:
        corpus, _ = extract_corpus(inputs, profile=profile, progress=progress)
    extractions = list(corpus.extractions)
    if sample and sample < len(extractions):
        extractions = random.Random(seed).sample(extractions, sample)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as fh:
        for ex in extractions:
            fh.write(json.dumps(to_gold_format(extraction_to_json(ex, corpus.entities)), ensure_ascii=False) + "\n")
    out.print(f"{len(extractions)} papers written to {escape(str(output))}; correct them by hand (GUIDELINES.md)")


@app.command("fetch")
def fetch_cli(
    service: Annotated[str, typer.Argument(help="arxiv, openalex or semanticscholar.")],
    query: Annotated[str, typer.Argument(help="What to search for, in the service's own query syntax.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="JSON Lines to write; OUTPUT.state.json beside it allows resuming.")
    ],
    max_results: Annotated[int, typer.Option("--max", help="How many papers (with abstracts) to fetch.")] = 100,
    since: Annotated[str, typer.Option(help="Earliest publication date, YYYY[-MM[-DD]].")] = "",
    base_url: Annotated[
        str, typer.Option(help="API URL (default: $KG_ARXIV_URL, $KG_OPENALEX_URL or $KG_SEMANTICSCHOLAR_URL).")
    ] = "",
    mailto: Annotated[str, typer.Option(help="Your e-mail, for OpenAlex's polite pool (default: $KG_MAILTO).")] = "",
    bulk: Annotated[
        bool, typer.Option("--bulk", help="semanticscholar: bulk search (no 1,000 cap, boolean syntax).")
    ] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Discard OUTPUT and its state; fetch anew.")] = False,
) -> None:
    """Fetch papers from arXiv, OpenAlex or Semantic Scholar into JSON Lines for `kg build`.

    An interrupted fetch resumes where it stopped when run again; a larger --max extends a finished one.
    """
    _fetch(service, query, output, max_results, since, base_url=base_url, mailto=mailto, bulk=bulk, restart=restart)
    out.print(f"build it with: kg build {escape(str(output))} --out outputs")


def _fetch(service: str, query: str, output: Path, max_results: int, since: str, **options):
    """Run a fetch with a progress bar and report it on stderr; return its summary."""
    from kg.ingest.fetch import SERVICES, fetch

    label = SERVICES[service].label if service in SERVICES else service
    try:
        with _progress() as progress:
            summary = fetch(
                service,
                query,
                output,
                max_results=max_results,
                since=since or None,
                base_url=options.pop("base_url", "") or None,
                mailto=options.pop("mailto", "") or None,
                progress=lambda done, total: progress(f"Fetching from {label}", done, total),
                notify=lambda message: err.print(f"[yellow]waiting[/] {escape(message)}", soft_wrap=True),
                **options,
            )
    except KeyboardInterrupt:
        err.print(f"the papers fetched so far are in {escape(str(output))}; run the same command again to resume")
        raise
    details = []
    if summary.skipped:
        details.append(f"{summary.skipped} without abstract skipped")
    if summary.duplicates:
        details.append(f"{summary.duplicates} already written skipped")
    if summary.resumed:
        details.append("resumed")
    err.print(
        f"{label}: {summary.new} new papers, {summary.written} in {escape(str(output))}"
        + (f" ({', '.join(details)})" if details else "")
    )
    for note in summary.notes:
        err.print(f"[yellow]note[/] {escape(note)}")
    if summary.complete:
        err.print(f"{label} has no more results for this query")
    elif summary.written >= max_results:
        err.print(f"stopped at --max {max_results}; a larger --max fetches more")
    return summary


def _fetch_for_build(
    service: str, query: str, out_dir: Path, max_results: int, since: str, *, has_other_inputs: bool
) -> list[Path]:
    """Fetch ``query`` into a file of ``out_dir`` for `kg build`; the file to add to the inputs."""
    from kg.errors import NoRecordsError
    from kg.ingest.fetch import SERVICES, default_output

    target = default_output(service, query, out_dir)
    summary = _fetch(service, query, target, max_results, since)
    if summary.written:
        return [target]
    if has_other_inputs:
        return []
    raise NoRecordsError(
        f"{SERVICES[service].label} found no paper with an abstract for {query!r}",
        fix="try a broader query or an earlier --arxiv-since",
    )


# issue 6: the topic report
@app.command("report")
def report_cli(
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    title: Annotated[str, typer.Option(help="Page title.")] = "Research knowledge graph",
    top: Annotated[int, typer.Option(help="Entities per chart and rows per ranked table.")] = 10,
) -> None:
    """Write the self-contained HTML topic report of a built graph: top entities, co-occurrence heat maps,
    trends, communities, topics, proposed methods, results and likely gaps."""
    from kg.report import write_report

    with _progress() as progress:
        path = write_report(store, output, title=title, top=top, progress=progress)
    out.print(f"report: {escape(str(path))}")


# issue 4: SHACL validation and exports
@app.command("validate")
def validate_cli(
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Check the built graph against the SHACL shapes (ontologies/shapes.ttl); exit code 1 on any violation.

    Warnings (known shortcomings of the graph writer) are listed but do not fail.
    """
    from kg.errors import ConfigError, ValidationError
    from kg.graph.validate import SEVERITIES, compact, has_violations, validate_store

    if fmt not in ("table", "json"):
        raise ConfigError(f"unknown format {fmt!r}", fix="use table or json")
    records = validate_store(store)
    counts = {s: sum(r.severity == s for r in records) for s in SEVERITIES}
    if fmt == "json":
        json.dump(
            {"conforms": not has_violations(records), "counts": counts, "results": [r.as_dict() for r in records]},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
    elif records:
        table = Table("severity", "focus node", "path", "shape", "message", "value", title=f"{len(records)} results")
        for r in records:
            colour = {"Violation": "red", "Warning": "yellow"}.get(r.severity, "")
            table.add_row(
                f"[{colour}]{r.severity}[/]" if colour else r.severity,
                *(escape(compact(text)) for text in (r.focus, r.path, r.shape, r.message, r.value)),
            )
        (out if out.is_terminal else Console(width=240)).print(table)  # piped: wide rather than wrapped
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items() if n or s == "Violation")
    if has_violations(records):
        raise ValidationError(f"{store}: {summary}", fix="fix the graph (or the shapes) where the results say")
    err.print(escape(f"{store}: {summary}"), highlight=False, soft_wrap=True)


@app.command("export")
def export_cli(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="turtle, ntriples, jsonld, rdfxml, graphml, gexf, csv or parquet.")
    ] = "turtle",
    store: Annotated[Path, typer.Option(help="Output folder of `kg build` (or its store folder).")] = Path(
        "outputs"
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write; a folder for csv and parquet (one file per table); '-' for standard output "
            "(RDF formats). Default: graph.<ext>, or tables/.",
        ),
    ] = None,
) -> None:
    """Export the built graph: RDF (Turtle, N-Triples, JSON-LD, RDF/XML), GraphML, GEXF, or CSV/Parquet tables."""
    from kg.export.formats import export_store

    paths = export_store(store, fmt, output)
    for path in paths:
        err.print(f"wrote {escape(str(path))}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script; returns the exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except KGError as error:
        err.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        err.print("[red]interrupted[/]")
        return 130
    except Exception as error:  # click usage errors and the like carry their own exit codes
        import click

        if isinstance(error, click.exceptions.Exit):
            return error.exit_code
        if isinstance(error, click.ClickException):
            error.show()
            return error.exit_code
        if isinstance(error, click.exceptions.Abort):
            err.print("[red]aborted[/]")
            return 1
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
