"""The spaCy components on blank pipelines: acronyms, gazetteer, merger, proposed, results, relations."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from kg.extract.abbreviations import find_abbreviations, match_long_form
from kg.extract.extensions import ENTITY_SPANS_KEY
from kg.extract.proposed import find_proposed
from kg.extract.relations import find_relations
from kg.extract.results import find_results, parse_value
from kg.extract.sentences import sentence_starts


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    nlp.add_pipe("kg_sentencizer")
    return nlp


def _with_entities(nlp, text, ents):
    """A doc whose kg_entities are the given (text, label) pairs, first occurrence each."""
    doc = nlp(text)
    doc._.kg_abbreviations = []
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.spans[ENTITY_SPANS_KEY] = sorted(spans, key=lambda s: s.start)
    return doc


def test_abbreviations_both_orders_and_plurals(nlp):
    doc = nlp("Post-training quantization (PTQ) helps large language models (LLMs). We use PTQ.")
    pairs = [(long.text, short.text) for long, short in find_abbreviations(doc)]
    assert pairs == [("Post-training quantization", "PTQ"), ("large language models", "LLMs")]
    assert match_long_form("LLMs", "a new LLaMA-2-7B") is None  # letters inside one word are not initials


def test_sentences_split_title_and_keep_abbreviations(nlp):
    doc = nlp("A Title\nWe use e.g. BERT. It works.")
    assert [s.text.strip() for s in doc.sents] == ["A Title", "We use e.g. BERT.", "It works."]
    assert sentence_starts([], []) == []


def test_tokenizer_splits_device_counts(nlp):
    assert [t.text for t in nlp("on 8xA100-40G GPUs")][:3] == ["on", "8x", "A100"]


def test_gazetteer_and_merger_without_ner(nlp):
    pipe = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    for name in ("kg_sentencizer", "kg_abbreviations", "kg_gazetteer"):
        pipe.add_pipe(name)
    pipe.add_pipe("kg_entities", config={"use_ner": False})
    doc = pipe("We run LoRA on NVIDIA A100 GPUs and report accuracy gains of 2% on ImageNet.")
    found = {(s.text, s.label_) for s in doc.spans[ENTITY_SPANS_KEY]}
    assert {
        ("LoRA", "Method"),
        ("NVIDIA A100 GPUs", "Hardware"),
        ("ImageNet", "Dataset"),
        ("accuracy", "Metric"),
    } <= found
    assert all(0 < s._.kg_confidence <= 1 for s in doc.spans[ENTITY_SPANS_KEY])
    quiet = pipe("Accuracy is a word we mention in passing.")
    assert not any(s.label_ == "Metric" for s in quiet.spans[ENTITY_SPANS_KEY])


def test_acronym_inherits_type_of_its_long_form():
    pipe = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    for name in ("kg_sentencizer", "kg_abbreviations", "kg_gazetteer"):
        pipe.add_pipe(name)
    pipe.add_pipe("kg_entities", config={"use_ner": False})
    doc = pipe("We study knowledge distillation (KD). Later, KD is cheap.")
    kd = [s for s in doc.spans[ENTITY_SPANS_KEY] if s.text == "KD"]
    assert len(kd) == 2 and {s.label_ for s in kd} == {"Method"}


def test_proposed_from_title_and_proposal_verbs(nlp):
    doc = _with_entities(
        nlp,
        "Hydra: Adapters for Fine-tuning\nWe propose Hydra. We compare with LoRA.",
        [("Hydra", "Method"), ("LoRA", "Method")],
    )
    assert [s.text for s in find_proposed(doc)] == ["Hydra"]
    doc = _with_entities(
        nlp,
        "On Things\nIn this paper, we introduce BlockSparse, a sparse attention.",
        [("BlockSparse", "Method"), ("sparse attention", "Method")],
    )
    assert [s.text for s in find_proposed(doc)] == ["BlockSparse"]


def test_results_attach_numbers_to_the_nearest_metric(nlp):
    text = (
        "Title\nOur model improves mAP by 1.7 on COCO compared to YOLOv8, and cuts latency by 12 ms in 2023."
    )
    doc = _with_entities(
        nlp, text, [("mAP", "Metric"), ("COCO", "Dataset"), ("YOLOv8", "Method"), ("latency", "Metric")]
    )
    doc._.kg_proposed = []
    results = find_results(doc)
    assert [(r.metric, r.value, r.direction, r.dataset) for r in results] == [
        ("mAP", "1.7", "gain", "COCO"),
        ("latency", "12 ms", "reduction", "COCO"),
    ]
    assert results[0].comparison == "YOLOv8"


def test_parse_value_units():
    assert parse_value("2.4\\times") == (2.4, "x")
    assert parse_value("3-5%") == (3.0, "%")
    assert parse_value("no number") == (None, None)


def test_relations_need_a_cue_or_closeness(nlp):
    text = "Title\nBlockSparse is evaluated on PG-19 and runs on A100 GPUs; it outperforms Longformer."
    doc = _with_entities(
        nlp,
        text,
        [
            ("BlockSparse", "Method"),
            ("PG-19", "Dataset"),
            ("A100 GPUs", "Hardware"),
            ("Longformer", "Method"),
        ],
    )
    rels = {(r.type, r.head, r.tail) for r in find_relations(doc)}
    assert ("evaluatedOn", "BlockSparse", "PG-19") in rels
    assert ("runsOnHardware", "BlockSparse", "A100 GPUs") in rels
    assert not any(r[0] == "comparedTo" for r in rels)  # different clauses (the semicolon)
    assert all(0 <= r.confidence <= 1 for r in find_relations(doc))


def test_span_extension_defaults(nlp):
    doc = nlp("x y")
    assert Span(doc, 0, 1)._.kg_confidence == 1.0


def test_chemical_formulas_are_not_entities():
    from kg.extract.entities import clean_span, is_chemical_formula

    assert all(is_chemical_formula(f) for f in ("WSe_2", "MoSe_2", "1T-TaS_2", "CrI_3", "HfO2"))
    assert not any(is_chemical_formula(f) for f in ("A100", "H100", "C4", "FP8", "P2P", "ell_2", "GPT-4", "PhysiX"))
    doc = spacy.blank("en")("flakes of WSe_2 on A100")
    assert clean_span(doc[2:3]) is None and clean_span(doc[4:5]).text == "A100"


def test_dataset_cue():
    from kg.extract.entities import has_dataset_cue

    nlp = spacy.blank("en")
    assert has_dataset_cue(nlp("Experiments on the ATIS dataset.")[:])
    assert has_dataset_cue(nlp("It generalizes to the RLBench benchmark.")[:])
    assert not has_dataset_cue(nlp("We propose a new method called MQSA-TED.")[:])


def test_case_sensitive_kb_type_beats_a_dataset_guess():
    from kg.extract.entities import Candidate, resolve_overlaps

    doc = spacy.blank("en")("We evaluate Codex and ImageNet.")
    kept = resolve_overlaps(
        [
            Candidate(doc[2:3], "Dataset", "ner"),
            Candidate(doc[2:3], "Method", "kb", "codex"),
            Candidate(doc[4:5], "Method", "ner"),
            Candidate(doc[4:5], "Dataset", "kb", "imagenet"),
        ]
    )
    assert [(c.span.text, c.type, c.source) for c in kept] == [
        ("Codex", "Method", "ner+kb"),
        ("ImageNet", "Dataset", "ner+kb"),
    ]


def test_acronym_retyped_to_its_long_forms_type():
    from kg.extract.entities import Candidate, EntityMerger

    doc = spacy.blank("en")("We use beam search (BS). BS is fast.")
    doc._.kg_abbreviations = [(doc[2:4], doc[5:6])]
    merger = EntityMerger(use_ner=False)
    kept = [Candidate(doc[2:4], "Method", "kb"), Candidate(doc[5:6], "Task", "ner")]
    out = merger._propagate(doc, kept)
    assert {(c.span.text, c.type) for c in out} == {("beam search", "Method"), ("BS", "Method")}
    assert sum(c.span.text == "BS" for c in out) == 2


def test_precision_is_a_metric_only_beside_recall_or_f1():
    from kg.extract.entities import is_evaluation_sense

    nlp = spacy.blank("en")
    assert not is_evaluation_sense(nlp("Weights are kept in mixed precision.")[5:6])
    assert is_evaluation_sense(nlp("Precision rises while recall holds.")[0:1])
    assert is_evaluation_sense(nlp("Accuracy rises.")[0:1])  # other metric words are not concerned


def test_model_metrics_need_a_measurement():
    from kg.extract.entities import EntityMerger

    pipe = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer.v1"}}})
    pipe.add_pipe("kg_sentencizer")

    def with_metric_span(text, surface):
        doc = pipe(text)
        doc._.kg_abbreviations = []
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label="METRIC")
        doc.spans["sc"] = [span]
        doc.spans["sc"].attrs["scores"] = [0.9]
        return EntityMerger(use_ner=False, span_key="sc", span_thresholds={"Metric": 0.5})(doc)

    quiet = with_metric_span("Robustness is a concern for deployed systems.", "Robustness")
    assert not list(quiet.spans[ENTITY_SPANS_KEY])
    measured = with_metric_span("It improves robustness by 3 points.", "robustness")
    assert [s.text for s in measured.spans[ENTITY_SPANS_KEY]] == ["robustness"]


def test_generic_heads_are_stripped_or_rejected():
    from kg.extract.entities import clean_span, strip_generic_head

    assert strip_generic_head(["ring-style", "communication", "strategy"]) == 2
    assert strip_generic_head(["tiling", "technique"]) == 1
    assert strip_generic_head(["holistic", "framework"]) is None
    assert strip_generic_head(["sample", "-", "efficient", "model", "-", "based", "framework"]) is None
    assert strip_generic_head(["Concept", "Bottleneck", "Framework"]) == 3  # capitalised: part of the name
    assert strip_generic_head(["diffusion", "models"]) == 2  # "models" is not stripped
    doc = spacy.blank("en")("We use a barycentric interpolation scheme and a data-free approach.")
    assert clean_span(doc[3:6]).text == "barycentric interpolation"
    assert clean_span(doc[8:12]) is None


def test_task_role_rules():
    from kg.extract.entities import task_or_method

    doc = spacy.blank("en")("Linear sequence modeling approaches help search and planning in video classification.")
    assert task_or_method(doc[0:3]) == "Method"  # followed by a method head: what the paper uses
    # bare process nouns stay Tasks: dropping them over-fitted dev (+0.003 Task) and cost SciERC test 0.023
    assert task_or_method(doc[5:6]) == "Task" and task_or_method(doc[7:8]) == "Task"
    assert task_or_method(doc[9:11]) == "Task"


def test_metric_names_used_as_modifiers_are_not_measured():
    from kg.extract.entities import is_modifier_use

    nlp = spacy.blank("en")
    doc = nlp("We avoid MSE - based regression and a mean squared error (MSE) loss, and report MSE.")
    assert is_modifier_use(doc[2:3])  # "MSE-based": a design built on the measure
    assert is_modifier_use(doc[8:11]) and is_modifier_use(doc[12:13])  # a loss, long form and acronym
    assert not is_modifier_use(doc[18:19])  # reported: a measure


def test_parameters_are_a_metric_only_where_compared():
    from kg.extract.entities import is_parameter_comparison

    nlp = spacy.blank("en")
    doc = nlp("It matches them with far fewer parameters. Its parameters can be reduced by 25%.")
    assert is_parameter_comparison(doc[6:7]) and is_parameter_comparison(doc[9:10])
    doc = nlp("The largest model uses 7B parameters. It adds edge-level parameters to reduce noise.")
    assert not is_parameter_comparison(doc[5:6])  # a model's size, not a compared measure
    assert not is_parameter_comparison(doc[12:13])  # weights
    assert is_parameter_comparison(nlp("Latency stays low.")[0:1])  # other metric names pass


def test_area_is_a_metric_only_beside_power_or_timing():
    from kg.extract.entities import is_evaluation_sense

    nlp = spacy.blank("en")
    assert not is_evaluation_sense(nlp("It is relevant to the area of cryptography.")[5:6])
    assert is_evaluation_sense(nlp("It improves timing, area and power.")[4:5])


def test_attention_as_interest_is_no_method():
    from kg.extract.entities import is_interest_sense

    nlp = spacy.blank("en")
    doc = nlp("LoRA methods have gained significant attention. It replaces softmax attention with linear attention.")
    assert is_interest_sense(doc[5:6])
    assert not is_interest_sense(doc[10:11]) and not is_interest_sense(doc[13:14])
    assert not is_interest_sense(nlp("Much attention mechanism work")[1:3])  # only the bare word


def test_a_discipline_is_no_task():
    from kg.extract.entities import task_or_method

    doc = spacy.blank("en")("Robotics and materials science need crystal structure prediction.")
    assert task_or_method(doc[0:1]) is None and task_or_method(doc[2:4]) is None
    assert task_or_method(doc[5:8]) == "Task"


def test_vague_quality_is_a_metric_only_beside_a_number():
    from kg.extract.entities import is_vague_quality

    nlp = spacy.blank("en")
    doc = nlp("It gives better generalization performance and higher training stability.")
    assert is_vague_quality(doc[3:5]) and is_vague_quality(doc[7:9])
    assert not is_vague_quality(nlp("Robustness rises by 3%.")[0:1])  # a number: measured
    assert not is_vague_quality(nlp("Energy efficiency improves.")[0:2])  # a specific measure


def test_complexity_is_no_metric():
    from kg.extract.entities import is_complexity_term

    doc = spacy.blank("en")("It lowers communication complexity and communication volume.")
    assert is_complexity_term(doc[2:4]) and not is_complexity_term(doc[5:7])


def test_rate_unit_after_a_number_is_no_metric():
    from spacy.tokens import Doc

    from kg.extract.entities import is_rate_unit

    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words="It reaches 29.4 GKey/s , 100 TOPS and 15,343 tok/s .".split())
    assert is_rate_unit(doc[3:4]) and is_rate_unit(doc[6:7]) and is_rate_unit(doc[9:10])
    assert not is_rate_unit(Doc(vocab, words="TOPS rise with throughput".split())[0:1])  # no value


def test_measure_cue_is_stripped_from_a_metric_span():
    from kg.extract.entities import strip_measure_cue

    doc = spacy.blank("en")("by minimizing per-layer error and improved accuracy")
    assert strip_measure_cue(doc[1:6]).text == "per-layer error"
    assert strip_measure_cue(doc[7:9]).text == "accuracy"
    assert strip_measure_cue(doc[1:2]) is None


def test_leading_qualifier_is_dropped_from_a_name():
    from kg.extract.entities import clean_span, strip_leading_qualifier

    assert strip_leading_qualifier(["large", "-", "scale", "foundation", "models"]) == 3
    assert strip_leading_qualifier(["Large", "-", "Scale", "Models"]) == 0  # a title's name
    assert strip_leading_qualifier(["specialized"]) == 0  # nothing would be left
    doc = spacy.blank("en")("We train a second User LLM.")
    assert clean_span(doc[2:6]).text == "User LLM"


def test_bare_hardware_head_is_dropped_after_a_kind():
    from kg.extract.entities import strip_hardware_head

    doc = spacy.blank("en")("It targets GPU hardware and FPGA platforms on mobile devices.")
    assert strip_hardware_head(doc[2:4]).text == "GPU" and strip_hardware_head(doc[5:7]).text == "FPGA"
    assert strip_hardware_head(doc[8:10]).text == "mobile devices"  # a kind of device: kept


def test_leading_average_is_dropped_from_a_measure():
    from kg.extract.entities import strip_measure_average

    doc = spacy.blank("en")("an average success rate, average inference time and average precision")
    assert strip_measure_average(doc[1:4]).text == "success rate"
    assert strip_measure_average(doc[5:8]).text == "inference time"
    assert strip_measure_average(doc[9:11]).text == "average precision"  # a name of its own


def test_objective_head_is_stripped_or_rejected():
    from kg.extract.entities import strip_generic_head

    assert strip_generic_head(["next", "-", "token", "prediction", "objective"]) == 4
    assert strip_generic_head(["penalty", "-", "based", "objectives"]) is None  # nothing named


def test_purpose_phrase_names_a_task():
    from kg.extract.entities import purpose_task

    nlp = spacy.blank("en")
    doc = nlp("We propose a framework for estimating heterogeneous treatment effects in trials.")
    assert purpose_task(doc, 4).text == "estimating heterogeneous treatment effects"
    doc = nlp("Problems such as sorting variable sized sequences are hard.")
    assert purpose_task(doc, 2).text == "sorting variable sized sequences"
    doc = nlp("A method for training them, a framework for creating Concept Bottleneck Model.")
    assert purpose_task(doc, 2) is None  # a reference, not a name
    assert purpose_task(doc, 8) is None  # a capitalised name is what is made
    assert purpose_task(nlp("We ask for help parsing text."), 2) is None  # "ask" is no method head
    doc = nlp("A method for obtaining high-quality two-dimensional (2D) materials.")
    assert purpose_task(doc, 2) is None  # cut off before its noun


def test_grading_qualifier_is_dropped_from_a_task():
    from kg.extract.entities import strip_task_grade

    doc = spacy.blank("en")("best-in-class symmetry-conditioned generation and high-fidelity retrieval")
    assert strip_task_grade(doc[0:9]).text == "symmetry-conditioned generation"
    assert strip_task_grade(doc[10:14]).text == "high-fidelity retrieval"  # one word would be left


def test_coined_camel_case_name_is_a_method():
    from kg.extract.entities import task_or_method

    doc = spacy.blank("en")("We analyse MoBA on ASR and QA.")
    assert task_or_method(doc[2:3]) == "Method"  # a coined name: a model or system
    assert task_or_method(doc[4:5]) == "Task" and task_or_method(doc[6:7]) == "Task"  # task acronyms stay


def test_camel_case_and_hyphenated_names_define_acronyms_from_their_parts(nlp):
    doc = nlp("We build DeepGraphWalker (DGW) on SparseMixer-3 (SM3). DGW is fast.")
    pairs = [(long.text, short.text) for long, short in find_abbreviations(doc)]
    assert pairs == [("DeepGraphWalker", "DGW"), ("SparseMixer-3", "SM3")]
    assert match_long_form("SM4", "SparseMixer-3") is None  # the number is part of the acronym
    assert match_long_form("GW", "DeepGraphWalker") is None  # the long form starts at a word start


def _grouped(nlp, text, ents):
    from kg.extract.to_records import group_mentions

    return sorted(sorted(s.text for s in spans) for _, spans in group_mentions(_with_entities(nlp, text, ents)))


def test_variants_of_one_name_in_a_paper_are_one_entity(nlp):
    text = (
        "Deep Walker is new. DeepWalker beats Capsule Nets and capsule networks. "
        "We compare SparseMixer-3 with SM3 and ConFormer with Convolution Transformer."
    )
    ents = [
        ("Deep Walker", "Method"),
        ("DeepWalker", "Method"),
        ("Capsule Nets", "Method"),
        ("capsule networks", "Method"),
        ("SparseMixer-3", "Method"),
        ("SM3", "Method"),
        ("ConFormer", "Method"),
        ("Convolution Transformer", "Method"),
    ]
    assert _grouped(nlp, text, ents) == [
        ["Capsule Nets", "capsule networks"],
        ["ConFormer", "Convolution Transformer"],
        ["Deep Walker", "DeepWalker"],
        ["SM3", "SparseMixer-3"],
    ]


def test_different_things_in_a_paper_stay_apart(nlp):
    text = (
        "GPT-4 and GPT-4o differ. BERT and BERT4Rec differ. SparseMixer-3 is not SM4. "
        "GraphFormer is not Graph Transformer. Deep Walker is a Task here, DeepWalker a Method."
    )
    ents = [
        ("GPT-4", "Method"),
        ("GPT-4o", "Method"),
        ("BERT", "Method"),
        ("BERT4Rec", "Method"),
        ("SparseMixer-3", "Method"),
        ("SM4", "Method"),
        ("GraphFormer", "Method"),
        ("Graph Transformer", "Method"),
        ("Deep Walker", "Task"),
        ("DeepWalker", "Method"),
    ]
    assert all(len(group) == 1 for group in _grouped(nlp, text, ents))


def test_an_acronym_with_two_possible_long_forms_is_left_alone(nlp):
    text = "SM wins over SparseModel and StateMachine."
    ents = [("SparseModel", "Method"), ("StateMachine", "Method"), ("SM", "Method")]
    assert all(len(group) == 1 for group in _grouped(nlp, text, ents))


def test_a_form_using_a_defined_acronym_joins_the_spelt_out_form(nlp):
    from kg.extract.to_records import group_mentions

    text = (
        "Concept bottleneck models (CBMs) help. Sparse-CBM and Sparse Concept Bottleneck Models agree; "
        "Sparse-CBMv2 and CBM-4 differ."
    )
    ents = [
        ("Concept bottleneck models", "Method"),
        ("CBMs", "Method"),
        ("Sparse-CBM", "Method"),
        ("Sparse Concept Bottleneck Models", "Method"),
        ("Sparse-CBMv2", "Method"),
        ("CBM-4", "Method"),
    ]
    doc = _with_entities(nlp, text, ents)
    doc._.kg_abbreviations = find_abbreviations(doc)
    groups = sorted(sorted(s.text for s in spans) for _, spans in group_mentions(doc))
    assert groups == [
        ["CBM-4"],
        ["CBMs", "Concept bottleneck models"],
        ["Sparse Concept Bottleneck Models", "Sparse-CBM"],
        ["Sparse-CBMv2"],
    ]
