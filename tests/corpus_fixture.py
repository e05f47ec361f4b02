"""A tiny hand-made corpus with known answers, for graph and saved-query tests."""

from __future__ import annotations

from kg.records import EntityRecord, Extraction, Mention, Paper, RelationRecord, ResultRecord


def _e(etype: str, *forms: str, attrs: tuple = ()) -> EntityRecord:
    sentence = f"A sentence about {forms[0]}."
    mentions = tuple(Mention(f, i * 10, i * 10 + len(f), sentence, 0.9) for i, f in enumerate(forms))
    return EntityRecord(etype, forms[0], mentions, forms[1:], 0.9, "", attrs)


def fixture_extractions() -> list[Extraction]:
    p1 = Paper("p1", "BlockSparse: Sparse Attention", "We propose BlockSparse.", date="2023-05-01")
    p2 = Paper("p2", "Tuning Transformers with LoRA", "LoRA on PG-19.", date="2024")
    p3 = Paper("p3", "Summaries with Transformers", "Transformers summarise.", url="https://example.org/p3")
    return [
        Extraction(
            p1,
            (
                _e("Method", "BlockSparse"),
                _e("Method", "Transformer"),
                _e("Dataset", "PG-19"),
                _e("Metric", "perplexity"),
                _e("Hardware", "A100 GPUs", attrs=(("count", "8"),)),
                _e("Task", "language modeling"),
            ),
            proposed=("BlockSparse",),
            results=(
                ResultRecord(
                    "perplexity",
                    "0.1",
                    0.1,
                    None,
                    "reduction",
                    "PG-19",
                    "dense attention",
                    "BlockSparse",
                    "It keeps perplexity within 0.1.",
                    0.8,
                ),
            ),
            relations=(RelationRecord("evaluatedOn", "BlockSparse", "PG-19", "BlockSparse on PG-19.", 0.7),),
        ),
        Extraction(
            p2,
            (
                _e("Method", "Transformer"),
                _e("Method", "LoRA", "low-rank adaptation"),
                _e("Dataset", "PG-19"),
                _e("Metric", "perplexity"),
                _e("Hardware", "A100"),
                _e("Task", "language modeling", "Language Modeling"),
            ),
        ),
        Extraction(
            p3,
            (
                _e("Method", "Transformers"),
                _e("Method", "LoRA"),
                _e("Metric", "ROUGE"),
                _e("Task", "summarization"),
            ),
        ),
    ]
