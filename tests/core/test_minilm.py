"""The pretrained model: our forward pass against Hugging Face transformers' BertModel, and the proof of
sameness (core.attention recomputes each layer's attention from the layer's input)."""

from __future__ import annotations

import pytest
import torch

from core.minilm import (
    CLS,
    HEAD_SUMMARY_TARGETS,
    MAX_TOKENS,
    SEP,
    UNK,
    MiniLM,
    bundled_model_dir,
    recompute_layer,
    summarize_heads,
)

TEXTS = (
    "The animal didn't cross the street because it was too tired",
    "The keys to the cabinet are on the table",
    "中国的北京和日本的東京",
    "小猫没有过马路,因为它太累了。",  # mostly [UNK]
    "a",
    "",
    "<script>alert(1)</script> & ünïcödé 😀",
)
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM(bundled_model_dir())


@pytest.fixture(scope="module")
def reference():
    transformers = pytest.importorskip("transformers")
    bert = transformers.BertModel.from_pretrained(str(bundled_model_dir()), attn_implementation="eager")
    return bert.eval()


def test_config_is_minilm_l6(model: MiniLM) -> None:
    config = model.config
    assert (config.num_layers, config.num_heads, config.hidden_size, config.head_dim) == (6, 12, 384, 32)


@pytest.mark.parametrize("text", TEXTS)
def test_forward_matches_transformers_bert(model: MiniLM, reference, text: str) -> None:
    encoding = model.encode(text)
    run = model.run(encoding.ids)
    with torch.no_grad():
        expected = reference(encoding.ids.unsqueeze(0), output_attentions=True, output_hidden_states=True)
    attentions = torch.stack(expected.attentions)[:, 0]
    hidden = torch.stack(expected.hidden_states)[:, 0]
    assert run.attentions.shape == attentions.shape == (6, 12, len(encoding.tokens), len(encoding.tokens))
    assert (run.attentions - attentions).abs().max().item() <= TOLERANCE
    # Hidden states are O(1)–O(10) after LayerNorm; the bound is relative to that.
    assert (run.hidden_states - hidden).abs().max().item() <= 1e-4


@pytest.mark.parametrize("text", TEXTS)
def test_core_attention_recomputes_every_layer(model: MiniLM, text: str) -> None:
    run = model.run(model.encode(text).ids)
    for layer in range(model.config.num_layers):
        proof = recompute_layer(model, run, layer)
        assert proof.max_abs_difference <= TOLERANCE
        assert proof.recomputed.scale == pytest.approx(32**-0.5)  # the head's d_k, not d_model = 384
        assert torch.equal(proof.model_weights, run.attentions[layer])


def test_proof_detects_a_wrong_layer(model: MiniLM) -> None:
    """The comparison can fail: layer 2's weights recomputed from layer 1's input differ a lot."""
    run = model.run(model.encode(TEXTS[0]).ids)
    shifted = type(run)(hidden_states=run.hidden_states.roll(1, dims=0), attentions=run.attentions)
    assert recompute_layer(model, shifted, 2).max_abs_difference > 0.1


@pytest.mark.parametrize("text", TEXTS)
def test_weights_are_distributions(model: MiniLM, text: str) -> None:
    run = model.run(model.encode(text).ids)
    assert torch.isfinite(run.attentions).all() and torch.isfinite(run.hidden_states).all()
    assert (run.attentions >= 0).all()
    torch.testing.assert_close(run.attentions.sum(-1), torch.ones(run.attentions.shape[:-1]), atol=1e-5, rtol=0)


def test_encoding_adds_cls_and_sep_and_marks_unknowns(model: MiniLM) -> None:
    encoding = model.encode("The cat")
    assert encoding.tokens == (CLS, "the", "cat", SEP)
    assert not encoding.truncated and encoding.unknown_count == 0
    assert model.encode("").tokens == (CLS, SEP)
    assert model.encode("小猫").unknown_count == 1  # 小 is in the vocabulary, 猫 is not
    assert model.encode("小猫").tokens == (CLS, "小", UNK, SEP)


def test_long_text_is_cut_keeping_sep(model: MiniLM) -> None:
    encoding = model.encode("word " * 200)
    assert encoding.total_tokens == 202 and encoding.truncated
    assert len(encoding.tokens) == MAX_TOKENS == encoding.ids.numel()
    assert encoding.tokens[0] == CLS and encoding.tokens[-1] == SEP
    assert model.encode("word " * 200, max_tokens=2000).ids.numel() == 202  # model limit 512 not reached
    assert len(model.encode("word " * 600, max_tokens=2000).tokens) == 512


def test_head_summary_against_a_loop(model: MiniLM) -> None:
    encoding = model.encode(TEXTS[1])
    run = model.run(encoding.ids)
    summary = summarize_heads(run.attentions, encoding.tokens)
    assert summary.targets == HEAD_SUMMARY_TARGETS
    length = len(encoding.tokens)
    for layer, head in ((0, 2), (3, 1), (5, 11)):
        weights = run.attentions[layer, head]
        cls = sum(weights[q, k] for q in range(length) for k in range(length) if encoding.tokens[k] == CLS) / length
        sep = sum(weights[q, k] for q in range(length) for k in range(length) if encoding.tokens[k] == SEP) / length
        itself = sum(weights[q, q] for q in range(length)) / length
        previous = sum(weights[q, q - 1] for q in range(1, length)) / length
        following = sum(weights[q, q + 1] for q in range(length - 1)) / length
        expected = torch.stack([cls, sep, itself, previous, following])
        torch.testing.assert_close(summary.shares[layer, head], expected, atol=1e-6, rtol=0)


def test_layer_0_head_2_is_a_previous_token_head(model: MiniLM) -> None:
    """A fact about this model the page shows: one head puts nearly everything on the previous token."""
    encoding = model.encode(TEXTS[1])
    shares = summarize_heads(model.run(encoding.ids).attentions, encoding.tokens).shares
    previous = HEAD_SUMMARY_TARGETS.index("previous")
    length = len(encoding.tokens)
    assert shares[0, 2, previous] > 0.9 * (length - 1) / length


def test_encoding_names_the_text_behind_each_unknown_token(model: MiniLM) -> None:
    encoding = model.encode("小猫 😀 héllo 👩‍👩‍👧‍👦")
    assert encoding.tokens.count("[UNK]") == 3
    assert encoding.unknown_texts == ("猫", "😀", "👩\u200d👩\u200d👧\u200d👦")
    cut = model.encode("猫 " * 100, max_tokens=8)  # only the kept [UNK]s are named
    assert cut.unknown_texts == ("猫",) * 6


def test_vocabulary_facts_the_page_states(model: MiniLM) -> None:
    vocabulary = model.tokenizer.get_vocab()
    assert model.han_in_vocabulary == sum(len(p) == 1 and "\u4e00" <= p <= "\u9fff" for p in vocabulary) == 244
    assert model.sentence_transformers_max_tokens == 256
    assert model.config.max_positions == 512
