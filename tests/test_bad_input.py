"""Bad input loses nothing and lets nothing in (issue 9).

Every bad record is reported with its file and line and counted; every good
record around it is kept; nothing ends in a traceback. Inputs that cannot be
read at all (a binary file, a file with no readable record) stop the build
with one line naming the file, before anything is written, so the previous
graph stays as it was (SECURITY.md). ``tests/test_ingest_formats.py`` has the
basic cases; this file adds the hostile ones and the end-to-end runs of
``kg build`` as a subprocess.
"""

from __future__ import annotations

import codecs
import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import DCTERMS

from kg.build import build
from kg.errors import InputError, NoRecordsError
from kg.graph.namespace import RKG
from kg.graph.store import store_to_graph, triple_count
from kg.ingest import read_papers
from kg.ingest.paper_fields import MAX_ABSTRACT_CHARS, clean_text, make_paper
from kg.query.serve import serve

ROOT = Path(__file__).resolve().parents[1]

#: Titles that break naive quoting in Turtle, SPARQL, CSV, HTML, JSON or a terminal.
HOSTILE_TITLES = [
    "Quotes \"double\" and 'single' and `back` ticks",
    "<script>alert('x')</script> & <b>bold</b> &amp; </script><!-- --> ]]>",
    "Emoji 🚀🔥 with ZWJ 👩‍🔬 and a flag 🇪🇺 in a title",
    "Right-to-left שלום עולם and مرحبا بالعالم with an override \u202eevil\u202c inside",
    'Turtle breakers """ \'\'\' \\ @prefix x: <http://x/> . ; , {{ }} $x ?y',
    "A newline\nin the title\r\nand a\ttab",
]
#: An abstract that keeps extraction cheap: ``kg_sentencizer`` is quadratic in the number of
#: tokens of an abstract (100 000 characters of ordinary prose take ~15 s with --profile fast), so the
#: 5 MB abstracts are long words with a few sentences of prose first.
BIG_ABSTRACT = "We fine-tune LLaMA-2 with LoRA on 8 A100 GPUs. " + " ".join(["x" * 99] * 50_000)


def run_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "500", "PYTHONPATH": str(ROOT)}  # no wrapped report lines
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300, env=env
    )


def _line(record: object) -> str:
    return (record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)) + "\n"


def _records(path: Path, rows: list, encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(_line(r) for r in rows).encode(encoding))
    return path


# --------------------------------------------------------------------------- end to end


def test_a_build_full_of_bad_records_keeps_every_good_one_and_reports_the_rest(tmp_path):
    """One `kg build` over every kind of bad record at once, run as the user runs it."""
    jsonl = _records(
        tmp_path / "papers.jsonl",
        [
            {"id": "h1", "title": HOSTILE_TITLES[0], "abstract": "We use LoRA on A100 GPUs."},  # 1
            '{"title": "Broken", "abstract": "no closing brace"',  # 2 malformed
            "[1, 2, 3]",  # 3 not an object
            {"title": "Title without an abstract"},  # 4
            '{"title": "Deep", "abstract": ' + "[" * 50_000 + "]" * 50_000 + "}",  # 5 nested too deeply
            '{"id": "raw", "title": "Raw\tcontrol\x07 chars\x1b[31m", "abstract": "Bell\x07 and DEL\x7f kept."}',  # 6
            r'{"id": "esc", "title": "Escaped \u0000 NUL and a lone \ud800 half", "abstract": "Still \u0007 fine."}',
            {"id": "dup", "title": "First paper with id dup", "abstract": "One content."},  # 8
            {"id": "dup", "title": "Second paper with id dup", "abstract": "Another content."},  # 9 renamed
            {"id": "dup2", "title": "first PAPER with id DUP!", "abstract": "Same title, new text."},  # 10 merged
            {"id": "big", "title": "A five megabyte abstract", "abstract": BIG_ABSTRACT},  # 11 cut
            *({"id": f"h{i}", "title": t, "abstract": f"Hostile {i}."} for i, t in enumerate(HOSTILE_TITLES[1:], 2)),
            "",  # blank lines are not records
            '{"title": "Last line", "abstract": "Has no newline at the end."}',
        ],
    )
    jsonl.write_bytes(jsonl.read_bytes().rstrip(b"\n"))
    csv_file = tmp_path / "papers.csv"
    csv_file.write_text(
        "id,title,abstract\n"
        'c1,"A CSV title, with a comma","Fine abstract."\n'
        "c2,Missing a column\n"
        "c3,Too,many,columns\n"
        'c4,"Multi-line\nquoted title","An abstract over\ntwo lines."\n'
        f'c5,"Big CSV cell","{"y" * 200_000}"\n'
        'c6,"Unterminated quote,An abstract\n',
        encoding="utf-8",
    )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("title;abstract\nCafé “Zürich”;Résumé d’un modèle.\n".encode("cp1252"))
    utf16 = tmp_path / "utf16.tsv"
    utf16.write_bytes("title\tabstract\nUTF-16 title ✓\tAn abstract in UTF-16.\n".encode("utf-16"))
    bom = _records(tmp_path / "bom.jsonl", [{"title": "BOM first", "abstract": "After a BOM."}], "utf-8-sig")

    result = run_kg("build", *(p.name for p in (jsonl, csv_file, latin1, utf16, bom)),
                    "--out", "out", "--profile", "fast", "--no-viewer", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    summary = json.loads((tmp_path / "out" / "build.json").read_text(encoding="utf-8"))
    bad = summary["bad_records"]
    assert [b.split(": ", 1)[0] for b in bad] == [
        "papers.jsonl:2", "papers.jsonl:3", "papers.jsonl:4", "papers.jsonl:5",
        "papers.csv:3", "papers.csv:4", "papers.csv:9",  # c4 spans lines 5-7
    ]
    assert "invalid JSON" in bad[0] and "expected a JSON object" in bad[1] and "missing abstract" in bad[2]
    assert "nested too deeply" in bad[3]
    assert "expected 3 columns, found 2" in bad[4] and "expected 3 columns, found 4" in bad[5]
    warnings = summary["warnings"]
    cut = f"abstract of {len(BIG_ABSTRACT)} characters cut to the first {MAX_ABSTRACT_CHARS}"
    assert f"papers.jsonl:11: {cut}" in warnings
    assert any(w.startswith("papers.csv:8: abstract of 200000 characters cut") for w in warnings)
    assert "latin1.csv: not valid UTF-8 or UTF-16; read as Windows-1252" in warnings
    assert any("id 'dup' already used by another paper" in w for w in warnings)
    assert summary["duplicates"] == 1
    # each problem is on stderr too, one line each, with file and line
    for line in ("skipped papers.jsonl:2: invalid JSON", "skipped papers.csv:9:", "warning papers.jsonl:11: abstract"):
        assert line in result.stderr

    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    titles = {str(o) for o in g.objects(None, DCTERMS.title)}
    expected = {clean_text(t) for t in HOSTILE_TITLES} | {
        "Raw control chars [31m", "Escaped NUL and a lone \ufffd half", "First paper with id dup",
        "Second paper with id dup", "A five megabyte abstract", "Last line", "A CSV title, with a comma",
        "Multi-line quoted title", "Big CSV cell", "Café “Zürich”", "UTF-16 title ✓", "BOM first",
    }
    assert titles == expected
    assert summary["papers"] == len(expected) == len(set(g.subjects(RDF.type, RKG.Paper)))
    ids = {str(o) for o in g.objects(None, DCTERMS.identifier)}
    [renamed] = [i for i in ids if i.startswith("dup~")]  # "dup~<n>", as the warning says
    assert "dup" in ids and "dup2" not in ids and any(f"renamed to {renamed!r}" in w for w in warnings)
    [big] = [o for s in g.subjects(DCTERMS.identifier, Literal("big")) for o in g.objects(s, DCTERMS.abstract)]
    assert len(big) == MAX_ABSTRACT_CHARS and str(big) == BIG_ABSTRACT[:MAX_ABSTRACT_CHARS]
    assert triple_count(tmp_path / "out") == len(g)


def test_a_binary_input_among_good_ones_is_one_line_naming_it_and_nothing_changes(tmp_path):
    """Decision (SECURITY.md): a binary file is an input error for the whole build, not a skipped record.

    It cannot be split into records, and building without it would silently drop a whole file; the
    user gets one line naming the file, and the previous graph stays as it was.
    """
    good = _records(tmp_path / "good.jsonl", [{"title": "Good", "abstract": "We use LoRA."}])
    build([good], tmp_path / "out", profile="fast", viewer=False)
    before = (triple_count(tmp_path / "out"), (tmp_path / "out" / "graph.ttl").read_bytes())
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 64)
    more = _records(tmp_path / "more.jsonl", [{"title": "More", "abstract": "We use QLoRA."}])

    result = run_kg("build", good.name, "blob.bin", more.name, "--out", "out", "--profile", "fast",
                    "--no-viewer", cwd=tmp_path)

    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "error: [KG101] blob.bin looks like a binary file, not text "
        "(fix: pass JSON Lines, CSV, BibTeX, Parquet or a text listing)"
    ]
    assert "Traceback" not in result.stdout
    assert (triple_count(tmp_path / "out"), (tmp_path / "out" / "graph.ttl").read_bytes()) == before


def test_hostile_titles_reach_the_viewer_only_escaped(tmp_path):
    """The viewer page carries input as JSON with <, >, & and U+2028/9 escaped (its JS uses textContent)."""
    rows = [{"title": t, "abstract": f"Abstract {i} with </script><script>alert({i})</script> in it.",
             "url": "javascript:alert(1)" if i == 0 else f"https://example.org/a?<b>{i}"}
            for i, t in enumerate(HOSTILE_TITLES)]
    out = tmp_path / "out"
    build([_records(tmp_path / "in.jsonl", rows)], out, profile="fast", title="<img src=x onerror=alert(1)>")
    page = (out / "graph.html").read_text(encoding="utf-8")
    for needle in ("<script>alert", "</script><!--", "<b>bold", "<img src=x", "javascript:alert", "\u2028"):
        assert needle not in page, needle
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    g = store_to_graph(out)
    assert {str(o) for o in g.objects(None, DCTERMS.title)} == {clean_text(t) for t in HOSTILE_TITLES}


# --------------------------------------------------------------------------- readers, in process


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "listing"])
@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "gzip+utf-16"],
)
def test_every_format_in_every_encoding(tmp_path, fmt, encoding):
    title, abstract = "Café “naïve” résumé", "Ünïcödé abstract about a model. It has two sentences, and more words."
    text = {
        "jsonl": _line({"title": title, "abstract": abstract}),
        "json": json.dumps([{"title": title, "abstract": abstract}], ensure_ascii=False),
        "csv": f'title,abstract\n"{title}","{abstract}"\n',
        "tsv": f"title\tabstract\n{title}\t{abstract}\n",
        "listing": f"search query\n{title}\n{abstract}\n",
    }[fmt]
    if encoding == "latin-1":
        title, abstract = title.replace("“", "").replace("”", ""), abstract
        text = text.replace("“", "").replace("”", "")
    path = tmp_path / "in.txt"
    if encoding.startswith("gzip+"):
        path.write_bytes(gzip.compress(text.encode(encoding.split("+")[1])))
    else:
        path.write_bytes(text.encode(encoding))
    result = read_papers([path])
    assert result.report.formats[str(path)] == fmt
    assert [(p.title, p.abstract) for p in result.papers] == [(title, abstract)]
    assert not result.bad
    fallback = [w for w in result.report.warnings if "read as Windows-1252" in w]
    assert bool(fallback) == (encoding in ("cp1252", "latin-1"))


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"title,abstract\n", b"[]", b"{}\n", b"\t\n"],
    ids=["empty", "blank-lines", "utf8-bom-only", "utf16-bom-only", "csv-header-only", "empty-array",
         "empty-object", "tab"],
)
def test_an_empty_file_is_a_clear_error_naming_it_even_among_good_files(tmp_path, content):
    good = _records(tmp_path / "good.jsonl", [{"title": "Good", "abstract": "Fine."}])
    empty = tmp_path / "empty.dat"
    empty.write_bytes(content)
    with pytest.raises(NoRecordsError, match=r"empty\.dat holds no readable paper record"):
        read_papers([good, empty])


@pytest.mark.parametrize(
    "content, message",
    [
        (bytes(range(256)) * 8, "looks like a binary file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "looks like a binary file"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "looks like a binary file"),
        (b'{"title": "NUL \x00 in the first block", "abstract": "x"}\n', "looks like a binary file"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate", "cannot be decompressed"),
        (b"PAR1 not really parquet", "unreadable Parquet file"),
    ],
    ids=["bytes", "png", "elf", "nul-in-first-8k", "bad-gzip", "bad-parquet"],
)
def test_unreadable_files_are_input_errors_naming_the_file(tmp_path, content, message):
    path = tmp_path / "weird.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_papers([path])
    assert str(path) in str(info.value)


def test_control_characters_are_removed_and_their_records_kept(tmp_path):
    controls = "".join(map(chr, [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
    others = "\u200b\u2028\u2029\ufeff\ufffe\uffff"
    filler = [{"title": f"Filler {i}", "abstract": "x" * 100} for i in range(100)]  # the NUL below is past 8 KiB
    path = tmp_path / "ctl.jsonl"
    path.write_bytes("".join(_line(r) for r in [
        *filler,
        f'{{"title": "Raw{controls}title", "abstract": "Raw{controls}{others}abstract"}}',
        '{"title": "Raw NUL \x00 late in the file", "abstract": "Kept."}',
        json.dumps({"title": "Escaped" + controls + "\x00", "abstract": "Escaped" + others}),
    ]).encode("utf-8"))
    csv_path = tmp_path / "ctl.csv"  # under 5 % control characters: text, not binary
    csv_rows = "".join(f"CSV filler {i},An abstract of some length.\n" for i in range(100))
    csv_path.write_bytes(f"title,abstract\n{csv_rows}CSV{controls[:20]}title,CSV\x7fabstract\n".encode())
    result = read_papers([path, csv_path])
    assert not result.bad
    papers = [p for p in result.papers if "iller" not in p.title]
    assert [p.title for p in papers] == ["Raw title", "Raw NUL late in the file", "Escaped", "CSV title"]
    assert [p.abstract for p in papers] == ["Raw abstract", "Kept.", "Escaped", "CSV abstract"]
    for p in result.papers:
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in p.title + p.abstract)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "listing"])
def test_a_5_mb_abstract_is_kept_cut_and_reported_with_file_and_line(tmp_path, fmt):
    big = BIG_ABSTRACT
    path = tmp_path / "big.txt"
    path.write_text({
        "jsonl": _line({"title": "Small", "abstract": "Short."}) + _line({"title": "Big", "abstract": big}),
        "json": json.dumps([{"title": "Small", "abstract": "Short."}, {"title": "Big", "abstract": big}]),
        "csv": f'title,abstract\nSmall,Short.\nBig,"{big}"\n',
        "tsv": f"title\tabstract\nSmall\tShort.\nBig\t{big}\n",
        "listing": f"Small\nShort. And enough words to be an abstract, really. Yes it is.\nBig\n{big}\n",
    }[fmt], encoding="utf-8")
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["Small", "Big"]
    assert len(result.papers[1].abstract) == MAX_ABSTRACT_CHARS
    line = {"jsonl": 2, "json": 1, "csv": 3, "tsv": 3, "listing": 3}[fmt]
    item = " (item 2)" if fmt == "json" else ""
    assert result.report.warnings == [
        f"{path}:{line}: abstract of {len(big)} characters cut to the first {MAX_ABSTRACT_CHARS}{item}"
    ]
    assert not result.bad


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"title": "x", "abstract": "y"', "invalid JSON"),
        ("{'title': 'python', 'abstract': 'dict'}", "invalid JSON"),
        ('{"title": "a", "abstract": "b"}{"title": "c", "abstract": "d"}', "invalid JSON (Extra data"),
        ('{"title": "t", "abstract": "a",}', "invalid JSON"),
        ('"just a string"', "expected a JSON object, got str"),
        ("null", "expected a JSON object, got NoneType"),
        ('{"title": "t", "abstract": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid JSON (nested too deeply)"),
        ('{"title": "t", "abstract": ""}', "missing abstract"),
        ('{"title": "t", "abstract": "   \\u0000  "}', "missing abstract"),
        ('{"title": "' + "t" * 1001 + '", "abstract": "a"}', "title longer than 1000 characters"),
    ],
)
def test_malformed_json_lines_are_bad_records_between_good_ones(tmp_path, line, reason):
    path = _records(tmp_path / "in.jsonl", [{"title": "Before", "abstract": "A."}, line,
                                            {"title": "After", "abstract": "B."}])
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["Before", "After"]
    [bad] = result.bad
    assert (bad.path, bad.line) == (str(path), 2) and bad.reason.startswith(reason)


def test_concatenated_files_with_byte_order_marks_keep_every_record(tmp_path):
    one = codecs.BOM_UTF8 + _line({"title": "One", "abstract": "A."}).encode()
    two = codecs.BOM_UTF8 + _line({"title": "Two", "abstract": "B."}).encode()
    path = tmp_path / "cat.jsonl"
    path.write_bytes(one + two)  # what `cat a.jsonl b.jsonl` gives
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["One", "Two"] and not result.bad


def test_a_truncated_gzip_keeps_the_records_before_the_break_and_reports_it(tmp_path):
    data = "".join(_line({"title": f"Paper {i}", "abstract": f"Abstract {i} " + "x" * 40}) for i in range(20_000))
    packed = gzip.compress(data.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    result = read_papers([path])
    [bad] = result.bad
    assert bad.path == str(path) and "breaks off" in bad.reason
    assert len(result.papers) == bad.line - 1 > 1000
    assert [p.title for p in result.papers[:2]] == ["Paper 0", "Paper 1"]


def test_a_deeply_nested_json_array_file_is_a_bad_record_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(NoRecordsError, match="nested too deeply"):
        read_papers([path])


def test_csv_rows_with_missing_extra_and_broken_cells(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id;title;abstract\n"  # semicolons
        "1;Good;Fine abstract.\n"
        "2;Missing\n"
        "3;Extra;cells;here\n"
        ";;\n"  # an empty row is not a record
        "4;;\n"  # no title, no abstract
        '5;"Quoted ""inner"" title";"Abstract; with a semicolon."\n'
        "6;Good again;Another abstract.\n",
        encoding="utf-8",
    )
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["Good", 'Quoted "inner" title', "Good again"]
    assert [(b.line, b.reason) for b in result.bad] == [
        (3, "expected 3 columns, found 2"), (4, "expected 3 columns, found 4"), (6, "missing abstract"),
    ]


def test_duplicate_ids_with_different_content_across_files_are_all_kept(tmp_path):
    a = _records(tmp_path / "a.jsonl", [{"id": "same", "title": "Paper A", "abstract": "A."}])
    b = _records(tmp_path / "b.jsonl", [{"id": "same", "title": "Paper B", "abstract": "B."},
                                        {"id": "same", "title": "Paper A", "abstract": "A again, longer."}])
    result = read_papers([a, b])
    assert [(p.id, p.title, p.abstract) for p in result.papers] == [("same", "Paper A", "A."),
                                                                    ("same~1", "Paper B", "B.")]
    assert result.report.duplicates == 1
    assert result.report.warnings == [f"{b}:1: id 'same' already used by another paper; renamed to 'same~1'"]


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2401.00001"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("http://user:pw@evil.example/", None),
        ("https://example.org/a b<c>\"d\"{e}|f^g`h\\i", "https://example.org/a%20b%3Cc%3E%22d%22%7Be%7D%7Cf%5Eg%60h%5Ci"),
        ("https://example.org/100%/x#a#b", "https://example.org/100%25/x#a%23b"),
        ("https://example.org/ünï/ç?q=é", "https://example.org/%C3%BCn%C3%AF/%C3%A7?q=%C3%A9"),
    ],
)
def test_urls_are_kept_only_as_valid_http_iris(url, kept):
    paper = make_paper({"title": "T", "abstract": "A.", "url": url}, "x:1")
    assert paper.url == kept


# --------------------------------------------------------------------------- the endpoint


def test_the_endpoint_answers_a_50_mb_query_body_and_refuses_a_50_mb_update(tmp_path):
    """Oxigraph's server has no request-size limit (SECURITY.md): a 50 MB body is read and parsed.

    A 50 MB comment costs well under a second; what a huge body costs depends on what it holds
    (a 5-million-item ``IN (...)`` list took over 2 minutes and 3.4 GB to parse, SECURITY.md).
    Read-only, a 50 MB update is refused and the store stays as it was.
    """
    out = tmp_path / "out"
    build([_records(tmp_path / "in.jsonl", [{"title": "T", "abstract": "We use LoRA."}])], out, profile="fast",
          viewer=False)
    before = triple_count(out)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = serve(out, port=port, timeout=10)
    try:
        def post(path: str, body: bytes, ctype: str) -> tuple[int, bytes]:
            for _ in range(100):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    conn.request("POST", path, body=body, headers={"Content-Type": ctype, "Accept": "text/csv"})
                    response = conn.getresponse()
                    return response.status, response.read()
                except ConnectionRefusedError:
                    time.sleep(0.1)
            raise AssertionError("the server did not start")

        padding = b"# " + b"x" * (50 * 1024 * 1024) + b"\n"
        status, body = post("/query", padding + b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                            "application/sparql-query")
        assert status == 200 and body.split()[-1] == str(before).encode()
        update = b'INSERT DATA { <http://x/s> <http://x/p> "' + b"y" * (50 * 1024 * 1024) + b'" }'
        status, _ = post("/update", update, "application/sparql-update")
        assert 400 <= status < 500
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert triple_count(out) == before


def test_build_query_and_view_open_no_network_connection(tmp_path, monkeypatch):
    """SECURITY.md: only `kg fetch`, `kg build --arxiv`, `kg push` and `kg serve` (which listens) use the network."""
    from kg.query import run_query
    from kg.viz import write_viewer

    def refuse(*args, **kwargs):
        raise AssertionError(f"network use: {args!r}")

    for name in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    rows = [{"title": t, "abstract": "We fine-tune LLaMA-2 with LoRA on 8 A100 GPUs.", "url": "https://example.org/x"}
            for t in HOSTILE_TITLES]
    out = tmp_path / "out"
    summary = build([_records(tmp_path / "in.jsonl", rows)], out, profile="fast")
    assert summary.papers == len(HOSTILE_TITLES)
    assert run_query(out, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0] == str(summary.triples)
    write_viewer(store_to_graph(out), tmp_path / "again.html")
