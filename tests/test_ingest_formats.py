from __future__ import annotations

import json

import pytest

from kg.errors import InputError, NoRecordsError
from kg.ingest import read_papers


def _jsonl(path, rows):
    path.write_text(
        "".join((json.dumps(r) if not isinstance(r, str) else r) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_jsonl_bad_lines_are_reported_with_file_and_line_and_good_ones_kept(tmp_path):
    path = _jsonl(
        tmp_path / "in.jsonl",
        [
            {"title": "One", "abstract": "First."},
            "{not json",
            {"title": "No abstract"},
            ["a list"],
            {"title": "Two", "abstract": "Second.", "date": "2021"},
        ],
    )
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["One", "Two"]
    assert [(b.line, b.reason.split(" (")[0]) for b in result.bad] == [
        (2, "invalid JSON"),
        (3, "missing abstract"),
        (4, "expected a JSON object, got list"),
    ]
    assert all(b.path == str(path) for b in result.bad)
    assert result.papers[1].date == "2021"


def test_format_is_chosen_by_content_not_extension(tmp_path):
    json_as_txt = _jsonl(tmp_path / "papers.txt", [{"title": "T", "abstract": "A."}])
    csv_as_dat = tmp_path / "papers.dat"
    csv_as_dat.write_text(
        'id,title,abstract,date\nx1,"A, comma title","An abstract.",2020\n', encoding="utf-8"
    )
    result = read_papers([json_as_txt, csv_as_dat])
    assert result.report.formats == {str(json_as_txt): "jsonl", str(csv_as_dat): "csv"}
    assert [p.title for p in result.papers] == ["T", "A, comma title"]
    assert result.papers[1].id == "x1"


def test_csv_rows_with_wrong_column_count_are_reported(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("title,abstract\nGood,Fine abstract.\nBad,Too,many,cells\nAlso good,Another one.\n")
    result = read_papers([path])
    assert [p.title for p in result.papers] == ["Good", "Also good"]
    assert [(b.line, b.reason) for b in result.bad] == [(3, "expected 2 columns, found 4")]


def test_record_without_title_is_accepted_with_a_stable_id(tmp_path):
    path = _jsonl(tmp_path / "in.jsonl", [{"id": "scierc-1", "text": "An abstract with no title."}])
    [paper] = read_papers([path]).papers
    assert (paper.id, paper.title, paper.abstract) == ("scierc-1", "", "An abstract with no title.")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "latin-1"])
def test_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "in.csv"
    path.write_bytes("title,abstract\nCafé résumé,Ünïcödé abstract.\n".encode(encoding))
    [paper] = read_papers([path]).papers
    assert paper.title == "Café résumé"


def test_missing_file_and_empty_input_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        read_papers([tmp_path / "nope.jsonl"])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(NoRecordsError, match="holds no readable paper record"):
        read_papers([empty])
    bad_only = _jsonl(tmp_path / "bad.jsonl", ["{oops"])
    with pytest.raises(NoRecordsError, match="1 unreadable records"):
        read_papers([bad_only])


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        read_papers([path])


def test_duplicate_id_with_different_content_is_renamed_and_reported(tmp_path):
    path = _jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a", "title": "One", "abstract": "x."}, {"id": "a", "title": "Two", "abstract": "y."}],
    )
    result = read_papers([path])
    assert [p.id for p in result.papers] == ["a", "a~1"]
    assert any("already used" in w for w in result.report.warnings)
