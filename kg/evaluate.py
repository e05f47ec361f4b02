"""Measure extraction quality against hand-annotated papers (``kg evaluate``).

Gold files follow ``GUIDELINES.md``: one paper per line with its entities
per type as lists of surface forms, ``proposed`` and ``results``. Entities
are matched paper by paper, as the project's scorer does: a gold and a
predicted entity match when some form of each is equal after normalisation
(strict) or when the tokens of one form occur as a contiguous run in the
other (lenient); each entity is used at most once and strict pairs are taken
first. ``proposed`` forms and ``results`` (metric and value) are scored the
same way, per paper.

Examples
--------
>>> gold = [{"title": "T", "Method": [["post-training quantization", "PTQ"]], "Metric": []}]
>>> pred = [{"title": "T", "entities": [{"type": "Method", "name": "PTQ"}]}]
>>> table = score_entities(gold, pred, ["Method"])
>>> table["lenient"]["Method"].f1
1.0
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.records import ENTITY_TYPES

__all__ = [
    "PRF",
    "evaluate",
    "format_table",
    "load_gold",
    "score_entities",
    "score_proposed",
    "score_results",
    "tokens",
]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts and precision, recall and F1."""

    tp: int
    pred: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)


def tokens(form: str) -> tuple[str, ...]:
    """Normalised tokens of a form: NFKC, lower case, alphanumerics (with # and +), crude singulars."""
    form = unicodedata.normalize("NFKC", form).translate(_DASHES).lower().replace("\\%", "%")
    out = []
    for tok in re.findall(r"[a-z0-9#+]+", form):
        if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            tok = tok[:-1]
        out.append(tok)
    return tuple(out)


def _title_key(title: str) -> str:
    return "".join(tokens(title))


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return n > 0 and any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _match(gold: set[tuple[str, ...]], pred: set[tuple[str, ...]], lenient: bool) -> bool:
    return any(g == p or (lenient and (_contains(g, p) or _contains(p, g))) for g in gold for p in pred)


def matched_pairs(gold: Sequence[set], pred: Sequence[set], lenient: bool = True) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs ``(gold index, pred index)``; strict pairs are taken before lenient ones."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for mode in [False, True] if lenient else [False]:
        for i, g in enumerate(gold):
            if i in used_g:
                continue
            for j, p in enumerate(pred):
                if j not in used_p and _match(g, p, mode):
                    used_g.add(i)
                    used_p.add(j)
                    pairs.append((i, j))
                    break
    return pairs


def _pair_up(gold: Sequence[set], pred: Sequence[set], lenient: bool) -> int:
    return len(matched_pairs(gold, pred, lenient))


def gold_forms(gold_row: Mapping, etype: str) -> list[set[tuple[str, ...]]]:
    """The token forms of each gold entity of one type."""
    return [{tokens(f) for f in ent if tokens(f)} for ent in gold_row.get(etype, [])]


def entity_forms(forms: Iterable[str]) -> set[tuple[str, ...]]:
    """The token forms of one predicted entity's surface forms."""
    return {tokens(f) for f in forms if f and tokens(f)}


def _pred_forms(entity: Mapping) -> set[tuple[str, ...]]:
    forms = [entity.get("name", ""), *(entity.get("aliases") or [])]
    for m in entity.get("mentions") or []:
        forms.append(m["text"] if isinstance(m, dict) else m)
    return {tokens(f) for f in forms if f and tokens(f)}


def _pairing(gold_rows: Sequence[Mapping], pred_rows: Iterable[Mapping]):
    by_title: dict[str, Mapping] = {}
    by_id: dict[str, Mapping] = {}
    for row in pred_rows:
        by_title.setdefault(_title_key(row.get("title", "")), row)
        if row.get("id"):
            by_id.setdefault(str(row["id"]), row)

    def find(g: Mapping) -> Mapping | None:
        if g.get("id") and str(g["id"]) in by_id:
            return by_id[str(g["id"])]
        return by_title.get(_title_key(g.get("title", ""))) if g.get("title") else None

    return find


def score_entities(
    gold_rows: Sequence[Mapping], pred_rows: Sequence[Mapping], types: Sequence[str] = ENTITY_TYPES
) -> dict[str, dict[str, PRF]]:
    """Return ``{"strict"|"lenient": {type: PRF, "micro": PRF}}``."""
    find = _pairing(gold_rows, pred_rows)
    table: dict[str, dict[str, PRF]] = {}
    for mode in ("strict", "lenient"):
        lenient = mode == "lenient"
        per_type = {}
        for t in types:
            total = PRF(0, 0, 0)
            for g in gold_rows:
                gold = [{tokens(f) for f in ent if tokens(f)} for ent in g.get(t, [])]
                row = find(g) or {}
                pred = [
                    p for p in (_pred_forms(e) for e in row.get("entities", []) if e.get("type") == t) if p
                ]
                total = total + PRF(_pair_up(gold, pred, lenient), len(pred), len(gold))
            per_type[t] = total
        micro = PRF(0, 0, 0)
        for t in types:
            micro = micro + per_type[t]
        per_type["micro"] = micro
        table[mode] = per_type
    return table


def score_proposed(gold_rows: Sequence[Mapping], pred_rows: Sequence[Mapping]) -> PRF:
    """Lenient paper-level matching of ``proposed`` forms.

    A predicted proposal counts with all forms of its entity, so "Hydra"
    matches a gold "Multi-head Low-rank Adaptation" when they are one entity.
    """
    find = _pairing(gold_rows, pred_rows)
    total = PRF(0, 0, 0)
    for g in gold_rows:
        row = find(g) or {}
        gold = [{tokens(f)} for f in g.get("proposed", []) if tokens(f)]
        pred = []
        for form in row.get("proposed", []):
            forms = {tokens(form)}
            for e in row.get("entities", []):
                ef = _pred_forms(e)
                if tokens(form) in ef:
                    forms |= ef
            gold_entity_forms = [
                {tokens(f) for f in ent}
                for ent in g.get("Method", [])
                if tokens(form) in {tokens(f) for f in ent}
            ]
            for extra in gold_entity_forms:
                forms |= extra
            pred.append({f for f in forms if f})
        total = total + PRF(_pair_up(gold, pred, True), len(pred), len(gold))
    return total


def _number(value: str) -> float | None:
    m = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?", value or "")
    return float(m.group(0).replace(",", "")) if m else None


def score_results(gold_rows: Sequence[Mapping], pred_rows: Sequence[Mapping]) -> PRF:
    """Paper-level matching of results: the same number and a leniently matching metric."""
    find = _pairing(gold_rows, pred_rows)
    total = PRF(0, 0, 0)
    for g in gold_rows:
        row = find(g) or {}
        gold = g.get("results", [])
        pred = row.get("results", [])
        used: set[int] = set()
        hits = 0
        for gr in gold:
            gv, gm = _number(gr.get("value", "")), tokens(gr.get("metric") or "")
            for j, pr in enumerate(pred):
                if j in used:
                    continue
                pm = tokens(pr.get("metric") or "")
                if (
                    gv is not None
                    and gv == _number(pr.get("value", ""))
                    and (gm == pm or _contains(gm, pm) or _contains(pm, gm))
                ):
                    used.add(j)
                    hits += 1
                    break
        total = total + PRF(hits, len(pred), len(gold))
    return total


def load_gold(path: str | Path) -> list[dict]:
    """Read a gold JSON Lines file.

    Raises
    ------
    InputError
        If the file is missing or a line is not a JSON object.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such gold file: {p}", fix="check the path")
    rows = []
    with open(p, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(
                    f"{p}:{number}: invalid JSON ({err.msg})", fix="one JSON object per line"
                ) from err
            if not isinstance(row, dict):
                raise InputError(f"{p}:{number}: not a JSON object", fix="one JSON object per line")
            rows.append(row)
    if not rows:
        raise InputError(f"{p} holds no gold record", fix="one annotated paper per line (GUIDELINES.md)")
    return rows


@dataclass(frozen=True)
class Evaluation:
    """Entity tables plus proposed and results scores."""

    papers: int
    missing: int
    entities: dict[str, dict[str, PRF]]
    proposed: PRF
    results: PRF


def evaluate(
    gold_rows: Sequence[Mapping], pred_rows: Sequence[Mapping], types: Sequence[str] = ENTITY_TYPES
) -> Evaluation:
    """Score predictions (``kg extract`` output rows) against gold rows."""
    find = _pairing(gold_rows, pred_rows)
    missing = sum(1 for g in gold_rows if find(g) is None)
    return Evaluation(
        papers=len(gold_rows),
        missing=missing,
        entities=score_entities(gold_rows, pred_rows, types),
        proposed=score_proposed(gold_rows, pred_rows),
        results=score_results(gold_rows, pred_rows),
    )


def format_table(ev: Evaluation, types: Sequence[str] = ENTITY_TYPES) -> str:
    """The score table as plain text (the layout of the project's scorer, plus proposed and results)."""
    lines = [f"papers {ev.papers}, without prediction {ev.missing}"]
    lines.append(f"{'type':10} {'strict P/R/F1':>22} {'lenient P/R/F1':>22} {'gold':>5} {'pred':>5}")
    for t in [*types, "micro"]:
        s, le = ev.entities["strict"][t], ev.entities["lenient"][t]
        gold = "" if t == "micro" else s.gold
        pred = "" if t == "micro" else s.pred
        lines.append(
            f"{t:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   "
            f"{le.precision:6.3f} {le.recall:6.3f} {le.f1:6.3f} {gold:>5} {pred:>5}"
        )
    for name, prf in (("proposed", ev.proposed), ("results", ev.results)):
        scores = f"{prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f}"
        lines.append(f"{name:10} {'':>22}   {scores} {prf.gold:>5} {prf.pred:>5}")
    micro = ev.entities["lenient"]["micro"]
    lines.append(f"lenient micro-F1 {micro.f1:.3f} over {', '.join(types)}")
    return "\n".join(lines)


def to_gold_format(row: Mapping) -> dict:
    """One ``kg extract`` row in the gold format of ``GUIDELINES.md`` (for hand correction).

    >>> to_gold_format({"id": "p", "title": "T", "entities": [{"type": "Method", "name": "LoRA",
    ...     "aliases": ["low-rank adaptation"]}], "proposed": ["LoRA"], "results": []})["Method"]
    [['LoRA', 'low-rank adaptation']]
    """
    out: dict = {"id": row.get("id"), "title": row.get("title", "")}
    for t in ENTITY_TYPES:
        out[t] = []
    for e in row.get("entities", []):
        forms = [e["name"], *[a for a in e.get("aliases", []) if a != e["name"]]]
        forms += [m["text"] for m in e.get("mentions", []) if isinstance(m, dict) and m["text"] not in forms]
        out.setdefault(e["type"], []).append(forms)
    out["proposed"] = list(row.get("proposed", []))
    out["results"] = [
        {"metric": r.get("metric"), "value": r.get("value"), "dataset": r.get("dataset"),
         "comparison": r.get("comparison")}
        for r in row.get("results", [])
    ]
    return out
