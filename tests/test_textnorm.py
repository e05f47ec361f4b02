from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.textnorm import compact_key, form_key, is_acronym, is_blend, part_initials, slugify


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


# --------------------------------------------------------------------------- alias variants in one paper


@pytest.mark.parametrize(
    "a, b",
    [
        ("Deep Walker", "DeepWalker"),
        ("Ring Attention", "RingAttention"),
        ("Capsule Net", "capsule networks"),
        ("Siamese Nets", "Siamese Network"),
        ("U-Net", "UNet"),
    ],
)
def test_spacing_case_and_net_variants_share_a_compact_key(a, b):
    assert compact_key(a) == compact_key(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("GPT-4", "GPT-4o"),
        ("BERT", "BERT4Rec"),
        ("Llama-2-7B", "Llama-7B"),
        ("QuIP", "QuIP#"),
        ("ResNet-50", "ResNet-101"),
        ("Graph Network", "Graph Networks Library"),
    ],
)
def test_compact_key_keeps_versions_and_suffixes(a, b):
    assert compact_key(a) != compact_key(b)


@pytest.mark.parametrize(
    "form, initials",
    [
        ("DeepWalker", "DW"),
        ("SparseMixerNet-3", "SMN3"),
        ("VisionLLM", "VL"),  # a run of capitals is one part
        ("Graph Attention Network", "GAN"),
        ("graph attention network", ""),  # lower-case words spell no acronym here
        ("GPT-4o", ""),
        ("QuIP#", ""),
        ("Transformer", ""),
    ],
)
def test_part_initials(form, initials):
    assert part_initials(form) == initials


@pytest.mark.parametrize(
    "short, long, expected",
    [
        ("ConFormer", "Convolution Transformer", True),
        ("MolFormer", "Molecular Transformer", True),
        ("GraphFormer", "Graph Transformer", False),  # the first word is whole, not cut
        ("Transformer", "Vision Transformer", False),  # one part only
        ("BERT4Rec", "BERT Recommender", False),
        ("ViTFormer", "Vision Transformer Former", False),  # three words
    ],
)
def test_is_blend(short, long, expected):
    assert is_blend(short, long) is expected


@given(st.text(max_size=30))
def test_compact_key_is_blind_to_hyphens_and_case_and_has_no_spaces(text):
    key = compact_key(text)
    assert " " not in key
    assert compact_key(text.replace(" ", "-")) == key
    assert compact_key(text.upper()) == compact_key(text.lower())


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789- ", max_size=30))
def test_part_initials_are_short_and_from_the_name(text):
    initials = part_initials(text)
    assert len(initials) <= len(text)
    assert all(c in text for c in initials)
