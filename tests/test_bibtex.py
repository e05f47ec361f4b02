"""Reference-manager formats (BibTeX, RIS), Parquet, identifier-based de-duplication and paper metadata in the graph."""

from __future__ import annotations

import json
import shutil

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.cache import extraction_from_dict
from kg.graph.iris import paper_iri
from kg.graph.namespace import RKG
from kg.graph.rdf import SCHEMA, corpus_to_graph
from kg.ingest import iter_papers, read_papers
from kg.normalize.canonical import normalize
from kg.records import Extraction, Paper


def test_bibtex_entries_become_papers_with_identifiers_authors_venue_and_date(fixtures):
    result = read_papers([fixtures / "refs.bib"])
    assert result.report.formats == {str(fixtures / "refs.bib"): "bibtex"}
    by_id = {p.id: p for p in result.papers}
    sparse = by_id["moller2023sparse"]
    assert sparse.title == "SparseTune: Fine-Tuning LLaMA with 90% Fewer Updates"
    assert sparse.abstract == (
        "We present SparseTune, which updates 10% of the weights of LLaMA-2 and matches full fine-tuning "
        "on GLUE with 3× less memory on NVIDIA A100 GPUs."
    )
    assert sparse.authors == ("Jörg Möller", "Ana García", "Wei Chen") and sparse.author_count == 3
    assert sparse.venue == "Advances in Neural Information Processing Systems"  # an @string macro
    assert sparse.date == "2023-12"
    assert sparse.doi == "10.5555/neurips.2023.abc_1" and sparse.arxiv_id == "2310.01234"
    assert sparse.url == "https://example.org/~moller/sparse_tune.pdf"  # no LaTeX decoding of URLs
    assert sparse.source == f"{fixtures / 'refs.bib'}:4"
    assert by_id["quantedge2024"].arxiv_id == "2402.05678"  # from the arXiv URL
    graphrag = by_id["graphrag2024"]
    assert graphrag.date == "2024-05-17" and graphrag.venue == "Proceedings of the Workshop on Example Systems"


def test_bibtex_bad_entries_are_reported_with_file_and_line_and_the_rest_is_read(fixtures):
    result = read_papers([fixtures / "refs.bib"])
    path = str(fixtures / "refs.bib")
    assert [(b.path, b.line) for b in result.bad] == [(path, 19), (path, 28)]
    assert result.bad[0].reason == "missing abstract (@article{noabstract2022})"
    assert result.bad[1].reason.startswith("unreadable BibTeX entry")
    # the entries after the broken one are read, and a reused citation key does not hide a paper
    titles = [p.title for p in result.papers]
    assert "QuantEdge: 4-bit Inference on Jetson Orin" in titles
    assert "A Different Paper That Reuses a Citation Key" in titles
    assert len(result.papers) == 4


def test_bibtex_is_detected_by_content_not_extension(fixtures, tmp_path):
    renamed = tmp_path / "export.txt"
    shutil.copy(fixtures / "refs.bib", renamed)
    assert read_papers([renamed]).report.formats[str(renamed)] == "bibtex"


def test_ris_records_become_papers_and_a_record_without_abstract_is_reported(fixtures, tmp_path):
    renamed = tmp_path / "zotero-export.txt"
    renamed.write_bytes(b"\xef\xbb\xbf" + (fixtures / "refs.ris").read_bytes())  # exports often start with a BOM
    result = read_papers([renamed])
    assert result.report.formats[str(renamed)] == "ris"
    fedvit, loihi = result.papers
    assert fedvit.authors == ("Giulia Rossi", "Ken Nakamura") and fedvit.date == "2023-09-14"
    assert fedvit.venue == "Journal of Example Learning" and fedvit.doi == "10.5555/jel.2023.77"
    assert loihi.abstract.startswith("We map spiking") and loihi.arxiv_id == "2401.09876"
    assert loihi.date == "2024-02" and loihi.venue == "Neuromorphic Computing Handbook"
    assert [(b.line, b.reason) for b in result.bad] == [(13, "missing abstract")]


def test_parquet_is_read_by_content(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": ["pq-1", "pq-2", "pq-3"],
            "title": ["Parquet One", "Parquet Two", "No Abstract"],
            "abstract": ["First abstract.", "Second abstract.", None],
            "year": [2021, 2022, 2023],
            "doi": ["https://doi.org/10.5555/PQ.1", None, None],
            "authors": [["Ada Lovelace", "Alan Turing"], [], ["Grace Hopper"]],
        }
    )
    path = tmp_path / "papers.data"
    pq.write_table(table, path)
    result = read_papers([path])
    assert result.report.formats[str(path)] == "parquet"
    assert [p.id for p in result.papers] == ["pq-1", "pq-2"]
    first = result.papers[0]
    assert first.date == "2021" and first.doi == "10.5555/pq.1" and first.authors == ("Ada Lovelace", "Alan Turing")
    assert [(b.line, b.reason) for b in result.bad] == [(3, "missing abstract")]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_same_paper_is_one_paper_by_doi_then_arxiv_id_then_title(tmp_path):
    first = _jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "title": "Sparse Tuning (preprint title)", "abstract": "A.", "doi": "10.5555/ST.1"},
            {"id": "a2", "title": "Edge Quantization", "abstract": "B.", "url": "https://arxiv.org/abs/2402.05678v1"},
            {"id": "a3", "title": "Graph RAG for Notebooks", "abstract": "C."},
        ],
    )
    second = _jsonl(
        tmp_path / "b.jsonl",
        [
            # same DOI (written as a link, other case), published under another title
            {"id": "b1", "title": "Sparse Tuning", "abstract": "A, final.", "doi": "https://doi.org/10.5555/st.1",
             "venue": "NeurIPS"},
            # a later arXiv version, renamed
            {"id": "b2", "title": "QuantEdge", "abstract": "B2.", "arxiv_id": "arXiv:2402.05678v3",
             "date": "2024-02-08"},
            # same title, no identifiers
            {"id": "b3", "title": "Graph RAG for notebooks!", "abstract": "C.", "openalex_id": "W123"},
        ],
    )
    result = read_papers([first, second])
    assert [p.id for p in result.papers] == ["a1", "a2", "a3"] and result.report.duplicates == 3
    a1, a2, a3 = result.papers
    assert a1.venue == "NeurIPS" and a1.doi == "10.5555/st.1"  # later duplicates fill the gaps
    assert a2.date == "2024-02-08" and a2.arxiv_id == "2402.05678"
    assert a3.openalex_id == "W123"
    assert [p.id for p in iter_papers([first, second])] == ["a1", "a2", "a3"]


def test_same_title_with_different_dois_stays_two_papers(tmp_path):
    path = _jsonl(
        tmp_path / "editorials.jsonl",
        [
            {"id": "e1", "title": "Editorial", "abstract": "Issue 1.", "doi": "10.5555/j.1"},
            {"id": "e2", "title": "Editorial", "abstract": "Issue 2.", "doi": "10.5555/j.2"},
            {"id": "e3", "title": "Editorial", "abstract": "Issue 1 again.", "doi": "10.5555/J.1"},
        ],
    )
    result = read_papers([path])
    assert [p.id for p in result.papers] == ["e1", "e2"] and result.report.duplicates == 1


def test_paper_identifiers_authors_and_venue_are_in_the_graph():
    paper = Paper(
        "p1",
        "QuantEdge",
        "QuantEdge runs on Jetson Orin.",
        date="2024-02-08",
        authors=("Min-Jun Lee", "Ravi Patel"),
        author_count=2,
        venue="MLSys",
        doi="10.5555/qe.1",
        arxiv_id="2402.05678",
        openalex_id="W4391234567",
        s2_id="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",
    )
    other = Paper("p2", "Other", "Other text.", authors=("Ravi Patel",))
    g = corpus_to_graph(normalize([Extraction(paper), Extraction(other)]))
    node = paper_iri("p1")
    assert g.value(node, RKG.doi) == Literal("10.5555/qe.1")
    assert g.value(node, RKG.arxivId) == Literal("2402.05678")
    assert g.value(node, RKG.openAlexId) == Literal("W4391234567")
    assert g.value(node, RKG.semanticScholarId) == Literal(paper.s2_id)
    assert set(g.objects(node, SCHEMA.sameAs)) == {
        URIRef("https://doi.org/10.5555/qe.1"),
        URIRef("https://arxiv.org/abs/2402.05678"),
        URIRef("https://openalex.org/W4391234567"),
        URIRef(f"https://www.semanticscholar.org/paper/{paper.s2_id}"),
    }
    assert g.value(node, DCTERMS.identifier) == Literal("p1")  # the paper id stays the only dcterms:identifier
    authors = set(g.objects(node, SCHEMA.author))
    assert {str(g.value(a, SCHEMA.name)) for a in authors} == {"Min-Jun Lee", "Ravi Patel"}
    assert all((a, RDF.type, SCHEMA.Person) in g for a in authors)
    # one person node per name, shared by both papers
    assert set(g.objects(node, SCHEMA.author)) & set(g.objects(paper_iri("p2"), SCHEMA.author))
    assert g.value(node, RKG.venue) == Literal("MLSys")


def test_extraction_caches_written_before_the_identifier_fields_still_load():
    old = {
        "paper": {"id": "p1", "title": "T", "abstract": "A.", "date": None, "authors": ["X"], "author_count": 1,
                  "organization": None, "venue": None, "url": None, "upvotes": None, "source": "in.jsonl:1"},
        "entities": [], "proposed": [], "results": [], "relations": [],
    }
    paper = extraction_from_dict(old).paper
    assert paper.authors == ("X",) and paper.doi is None and paper.arxiv_id is None
