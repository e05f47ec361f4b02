from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import read_papers
from kg.ingest.dates import parse_date
from kg.ingest.listing import is_prose, organization_name, parse_listing


def test_listing_daily_page_reads_titles_abstracts_and_metadata(fixtures):
    papers = list(parse_listing((fixtures / "listing_daily.txt").read_text().splitlines()))
    assert [p.title for p in papers] == [
        "Demo Paper One: A Title Without Much Else",
        "Demo Paper Two: Another Invented Title",
        "Demo Paper Three: Without Metadata",
    ]
    one, two, three = papers
    assert (one.author_count, one.date, one.upvotes, one.organization) == (5, "--04-01", 7, None)
    assert (two.author_count, two.date, two.upvotes, two.organization) == (
        None,
        "2024-02-13",
        5,
        "Demo Organisation",
    )
    assert (three.author_count, three.date, three.upvotes) == (None, None, None)
    assert all(p.abstract.endswith(".") for p in papers)


def test_listing_pairs_skip_the_query_line_and_unglue_furniture(fixtures):
    papers = list(parse_listing((fixtures / "listing_pairs.txt").read_text().splitlines()))
    assert [p.title for p in papers] == ["Demo Pair One: Title Line", "Demo Pair Two: A Glued Title"]
    assert papers[0].line == 2


def test_listing_search_page_with_blank_lines_and_multi_paragraph_abstract():
    text = (
        "\n\nA Title\n\nFirst paragraph of the abstract is long. It goes on and on for a while here.\n\n"
        "Second paragraph continues the same abstract. It also has two sentences in it.\n"
    )
    [paper] = parse_listing(text.splitlines())
    assert paper.title == "A Title"
    assert "First paragraph" in paper.abstract and "Second paragraph" in paper.abstract


def test_read_papers_dedupes_by_normalised_title_and_merges_metadata(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(
        "Flexible MOFGeneration with Flow Matching\n" + "An abstract sentence that is long. " * 8 + "\n"
    )
    b = tmp_path / "b.txt"
    b.write_text(
        "Flexible MOF Generation with Flow Matching\n\n"
        + "An abstract sentence that is long. " * 8
        + "\n\n  • 3 authors\n·\nNov 28, 2017 4\n"
    )
    result = read_papers([a, b])
    assert len(result.papers) == 1 and result.report.duplicates == 1
    paper = result.papers[0]
    assert (paper.author_count, paper.date, paper.upvotes) == (3, "2017-11-28", 4)


def test_organization_line_keeps_display_name():
    assert organization_name("deepseek-ai DeepSeek") == "DeepSeek"
    assert organization_name("Solo") == "Solo"


def test_is_prose_separates_titles_from_abstracts():
    assert not is_prose("Attention Is All You Need")
    assert is_prose("x" * 250)
    assert is_prose("We do A. Then we do B, and it all works out fine for everyone involved.")


def test_parse_date_forms():
    assert parse_date("Mar 12") == "--03-12"
    assert parse_date("Nov 28, 2017") == "2017-11-28"
    assert parse_date("12 March 2024") == "2024-03-12"
    assert parse_date("2024-02") == "2024-02"
    assert parse_date(2021) == "2021"
    assert parse_date("Feb 30") == "--02-30"  # listings carry no year, so no calendar check
    assert parse_date("13/45") is None and parse_date("") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=30))
def test_parse_listing_never_crashes_and_yields_titled_prose(lines):
    for paper in parse_listing(lines):
        assert paper.title.strip()
        assert paper.abstract.strip()
        assert "\n" not in paper.title
