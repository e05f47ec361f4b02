"""Quality on our held-out annotations: a second gold set, never trained or tuned on.

Usage::

    python benchmarks/heldout_quality.py [--shared ../shared] [--profile default] [--work training/heldout]

``pipelines/heldout/*.jsonl`` holds our own annotations (``GUIDELINES.md`` format,
entity forms, ``proposed`` and ``results``) of 400 ACL Anthology abstracts (CC BY 4.0)
from ``shared/external/abstracts``; like the training annotations they store ids and
forms only, and the text is joined from the shared corpus here. The span categorizer
is not trained on them (``kg train`` reads ``pipelines/training`` only) and no rule
is tuned on them: they show whether a change that helps on ``dev.jsonl`` helps on
papers it was not written against. Scores are those of ``kg evaluate``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def heldout_files() -> list[Path]:
    """The held-out annotation files, in a fixed order."""
    return sorted((ROOT / "pipelines" / "heldout").glob("*.jsonl"))


def write_inputs(shared: Path, work: Path) -> tuple[Path, Path]:
    """Write the gold file (with titles, for pairing) and the input abstracts; return their paths."""
    rows = [json.loads(line) for path in heldout_files() for line in path.open(encoding="utf-8") if line.strip()]
    wanted = {r["id"] for r in rows}
    corpus = shared / "external" / "abstracts" / "abstracts.jsonl.gz"
    if not corpus.exists():
        sys.exit(f"error: {corpus} is missing (put the shared data folder beside the checkout)")
    texts = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in wanted:
                texts[rec["id"]] = rec
    missing = sorted(wanted - set(texts))
    if missing:
        sys.exit(f"error: {len(missing)} held-out ids are not in {corpus}, e.g. {missing[0]}")
    work.mkdir(parents=True, exist_ok=True)
    gold, inputs = work / "gold.jsonl", work / "input.jsonl"
    with gold.open("w", encoding="utf-8") as g, inputs.open("w", encoding="utf-8") as i:
        for r in rows:
            src = texts[r["id"]]
            g.write(json.dumps({**r, "title": src["title"]}) + "\n")
            i.write(json.dumps({"id": r["id"], "title": src["title"], "abstract": src["abstract"]}) + "\n")
    return gold, inputs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--profile", default="default")
    ap.add_argument("--work", type=Path, default=ROOT / "training" / "heldout")
    args = ap.parse_args()
    gold, inputs = write_inputs(args.shared, args.work)
    print(f"held-out annotations: {sum(1 for _ in gold.open(encoding='utf-8'))} abstracts ({args.profile} profile)")
    cmd = [sys.executable, "-m", "kg", "evaluate", str(gold), str(inputs), "--profile", args.profile]
    sys.stdout.write(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


if __name__ == "__main__":
    main()
