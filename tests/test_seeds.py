"""The sample corpus in ../shared/seeds: exactly 300 unique papers with their metadata."""

from __future__ import annotations

import json
import re
from collections import Counter

from kg.ingest import read_papers
from kg.ingest.ids import title_key


def test_seed_listings_give_300_unique_papers_with_metadata(shared):
    result = read_papers([shared / "seeds"])
    papers = result.papers
    assert len(papers) == 300
    assert result.bad == []
    assert set(result.report.formats.values()) == {"listing"}
    assert all(p.title and len(p.abstract) > 200 for p in papers)
    assert len({p.id for p in papers}) == 300
    dated = [p for p in papers if p.date]
    assert len(dated) == 102
    shapes = Counter("no-year" if p.date.startswith("--") else "full" for p in dated)
    assert all(re.fullmatch(r"--\d\d-\d\d|\d{4}-\d\d-\d\d", p.date) for p in dated)
    assert shapes["no-year"] > 0 and shapes["full"] > 0
    assert sum(1 for p in papers if p.author_count) == 97
    assert {p.organization for p in papers if p.organization} >= {"DeepSeek", "TIGER-Lab", "Fudan University"}
    assert not any(p.title.startswith("Subscribe") for p in papers)


def test_every_dev_paper_is_in_the_seeds(shared):
    keys = {title_key(p.title) for p in read_papers([shared / "seeds"]).papers}
    lines = (shared / "annotation" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    gold = [json.loads(line) for line in lines]
    assert all(title_key(g["title"]) in keys for g in gold)
