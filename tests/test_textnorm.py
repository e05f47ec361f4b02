from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.textnorm import form_key, is_acronym, slugify


@pytest.mark.parametrize(
    "a, b",
    [
        ("Llama 2", "LLaMA-2"),
        ("LLaMA-2", "llama2"),
        ("GPUs", "GPU"),
        ("large language models", "Large Language Model"),
        ("post-training quantization", "Post-Training  Quantization"),
        ("the COCO dataset", "COCO dataset"),
        ("ResNet-50", "ResNet50"),
    ],
)
def test_variants_share_a_key(a, b):
    assert form_key(a) == form_key(b)


@pytest.mark.parametrize(
    "a, b",
    [("GPT-4", "GPT-4o"), ("BERT", "BERT4Rec"), ("QuIP", "QuIP#"), ("LoRA", "QLoRA"), ("A100", "H100")],
)
def test_different_things_keep_different_keys(a, b):
    assert form_key(a) != form_key(b)


@given(st.text(max_size=80))
def test_form_key_is_idempotent_on_its_output_and_case_blind(text):
    key = form_key(text)
    assert form_key(key) == key or not key
    assert form_key(text.upper()) == form_key(text.lower()) or any(c in text for c in "ßİıſ")


@given(st.text(max_size=120))
def test_slugify_gives_iri_safe_text(text):
    slug = slugify(text)
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def test_acronym_test():
    assert is_acronym("PTQ") and is_acronym("LoRA") and is_acronym("GPT-4")
    assert not is_acronym("Transformer") and not is_acronym("large language models")
