"""Out-of-domain check on SciERC test (Luan et al., 2018): ours against spaCy's own NER.

Usage::

    python benchmarks/scierc_compare.py [--shared ../shared] [--steps 2000] [--work training/scierc]

1. SciERC test becomes a gold file in the format of ``GUIDELINES.md``: per
   abstract, the Method, Task and Metric mentions, grouped into entities by
   SciERC's coreference clusters and by identical text. Abstracts have no
   title (they are read as records with an abstract and no title).
2. ``kg extract`` runs on the test abstracts (default profile).
3. The reference is spaCy's NER (``spacy init config --pipeline ner
   --optimize efficiency``) trained only on SciERC train (dev for model
   selection), run on the same abstracts.
4. Both are scored with ``../shared/annotation/score.py`` (paper-level,
   lenient) on Method, Task and Metric, in the same run.

SciERC test is used only here, for reporting; nothing is trained or tuned on it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("Method", "Task", "Metric")


def gold_rows(path: Path) -> list[dict]:
    """SciERC records as gold rows: entities are coreference clusters (or one text) per type."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        ents = r["entities"]
        parent = list(range(len(ents)))

        def find(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for cluster in r.get("coref_clusters", []):
            for a in cluster[1:]:
                parent[find(a)] = find(cluster[0])
        by_text: dict[tuple[str, str], int] = {}
        for i, e in enumerate(ents):
            key = (e["type"], e["text"].lower())
            if key in by_text:
                parent[find(i)] = find(by_text[key])
            by_text.setdefault(key, i)
        groups: dict[int, list[int]] = {}
        for i, e in enumerate(ents):
            if e["type"] in TYPES:
                groups.setdefault(find(i), []).append(i)
        row: dict = {"id": r["id"], "title": "", **{t: [] for t in TYPES}}
        for members in groups.values():
            forms = list(dict.fromkeys(ents[i]["text"] for i in members))
            types = {ents[i]["type"] for i in members}
            if len(types) == 1:
                row[types.pop()].append(forms)
        rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def train_reference(shared: Path, work: Path, steps: int) -> Path:
    """spaCy NER (efficiency config) trained on SciERC train, Method/Task/Metric only."""
    import spacy
    from spacy.tokens import DocBin

    sys.path.insert(0, str(ROOT))
    from kg.extract.training import make_doc, scierc_records

    nlp = spacy.blank("en")
    for split in ("train", "dev"):
        db = DocBin()
        for rec in scierc_records(shared / "external" / "scierc" / f"{split}.jsonl"):
            db.add(make_doc(nlp, rec))
        db.to_disk(work / f"{split}.spacy")
    cfg = work / "ner.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(cfg), "--lang", "en", "--pipeline", "ner",
                    "--optimize", "efficiency", "--force"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "spacy", "train", str(cfg), "--paths.train", str(work / "train.spacy"),
                    "--paths.dev", str(work / "dev.spacy"), "--training.max_steps", str(steps), "-o",
                    str(work / "reference")], check=True, capture_output=True)
    return work / "reference" / "model-best"


def reference_predictions(model: Path, texts: list[tuple[str, str]]) -> list[dict]:
    import spacy

    nlp = spacy.load(model)
    rows = []
    for (rid, _text), doc in zip(texts, nlp.pipe(t for _, t in texts)):
        ents: dict[tuple[str, str], dict] = {}
        for e in doc.ents:
            etype = e.label_.title()
            item = ents.setdefault((etype, e.text.lower()), {"type": etype, "name": e.text, "mentions": []})
            item["mentions"].append(e.text)
        rows.append({"id": rid, "title": "", "entities": list(ents.values())})
    return rows


def score(shared: Path, gold: Path, pred: Path) -> str:
    out = subprocess.run([sys.executable, str(shared / "annotation" / "score.py"), str(gold), str(pred),
                          "--types", ",".join(TYPES)], check=True, capture_output=True, text=True)
    return out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--work", type=Path, default=ROOT / "training" / "scierc")
    ap.add_argument("--steps", type=int, default=2000)
    args = ap.parse_args()
    test = args.shared / "external" / "scierc" / "test.jsonl"
    args.work.mkdir(parents=True, exist_ok=True)
    gold = args.work / "test_gold.jsonl"
    write_jsonl(gold, gold_rows(test))
    records = [json.loads(line) for line in test.read_text(encoding="utf-8").splitlines()]
    inputs = args.work / "test_input.jsonl"
    write_jsonl(inputs, [{"id": r["id"], "abstract": r["text"]} for r in records])
    ours = args.work / "test_ours.jsonl"
    subprocess.run([sys.executable, "-m", "kg", "extract", str(inputs), "-o", str(ours)], check=True,
                   capture_output=True)
    model = train_reference(args.shared, args.work, args.steps)
    ref = args.work / "test_reference.jsonl"
    write_jsonl(ref, reference_predictions(model, [(r["id"], r["text"]) for r in records]))
    print(f"SciERC test, {len(records)} abstracts, paper-level scores from score.py (lenient columns)")
    print("== research-kg (default profile) ==")
    print(score(args.shared, gold, ours))
    print(f"== spaCy NER (efficiency), trained on SciERC train, {args.steps} steps ==")
    print(score(args.shared, gold, ref))


if __name__ == "__main__":
    main()
