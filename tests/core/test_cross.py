"""Cross-attention against F.scaled_dot_product_attention, and the same word in two contexts."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from strategies import SEEDS, sizes

from core.masks import causal_mask
from core.multihead import merge_heads, split_heads
from core.pipeline import build_model, self_attention
from core.self_cross import (
    build_cross_model,
    compare_in_contexts,
    cosine,
    cross_attention,
    encoder_decoder,
    find_word,
    row_sum_range,
)
from core.tokens import embed_tokens, tokenize


@settings(max_examples=60, deadline=None)
@given(**sizes(H=6, d_k=12, L_t=10, L_s=10), seed=SEEDS)
def test_cross_attention_matches_pytorch_sdpa(parity, H: int, d_k: int, L_t: int, L_s: int, seed: int) -> None:
    model = build_model(d_k, H, seed)
    g = torch.Generator().manual_seed(seed)
    target = torch.randn(L_t, H * d_k, generator=g)
    source = torch.randn(L_s, H * d_k, generator=g)
    result = cross_attention(model, target, source)

    with torch.no_grad():
        q = split_heads((target @ model.w_q.weight.T).unsqueeze(0), H)  # [1, H, L_t, d_k] from the target
        k = split_heads((source @ model.w_k.weight.T).unsqueeze(0), H)  # [1, H, L_s, d_k] from the source
        v = split_heads((source @ model.w_v.weight.T).unsqueeze(0), H)
        expected = merge_heads(F.scaled_dot_product_attention(q, k, v)) @ model.w_o.weight.T
        scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)
    assert result.attention.weights.shape == (1, H, L_t, L_s)
    parity.check(f"cross output {H=} {d_k=} {L_t=} {L_s=}", result.output, expected)
    parity.check(f"cross weights {H=} {d_k=} {L_t=} {L_s=}", result.attention.weights, scores.softmax(dim=-1))


def test_find_word_is_case_folded_and_finds_the_first_occurrence() -> None:
    tokens = tokenize("The bank by the Bank")
    assert find_word(tokens, ["BANK"]) == 1
    assert find_word(tokens, ["by", "the", "bank"]) == 2
    assert find_word(tokenize("苹果发布了新手机"), tokenize("苹果")) == 0
    assert find_word(tokens, ["river"]) is None
    assert find_word(tokens, []) is None
    assert find_word(["a"], ["a", "b"]) is None


def test_cosine_of_identical_and_opposite_vectors() -> None:
    v = torch.randn(64, generator=torch.Generator().manual_seed(0))
    assert cosine(v, v) == pytest.approx(1.0, abs=1e-12)
    assert cosine(v, -v) == pytest.approx(-1.0, abs=1e-12)
    assert cosine(v, torch.zeros(64)) == 0.0


@pytest.mark.parametrize(
    ("sentence_a", "sentence_b", "word"),
    [
        ("I sat on the river bank", "I put money in the bank", "bank"),
        ("我吃了一个苹果", "苹果发布了新手机", "苹果"),
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_same_embedding_different_output(sentence_a: str, sentence_b: str, word: str, seed: int) -> None:
    d_k, heads = 8, 2
    model = build_model(d_k, heads, seed)
    tokens_a, tokens_b, word_tokens = tokenize(sentence_a), tokenize(sentence_b), tokenize(word)
    start_a, start_b = find_word(tokens_a, word_tokens), find_word(tokens_b, word_tokens)
    emb_a, emb_b = (embed_tokens(t, d_k * heads, seed) for t in (tokens_a, tokens_b))
    comparison = compare_in_contexts(model, emb_a, emb_b, start_a, start_b, len(word_tokens))

    assert len(comparison.tokens) == len(word_tokens)
    for offset, token in enumerate(comparison.tokens):
        assert (token.position_a, token.position_b) == (start_a + offset, start_b + offset)
        assert token.same_embedding
        assert token.embedding_cosine == pytest.approx(1.0, abs=1e-9)
        assert token.output_cosine < 0.999  # the context changed the vector
        expected = F.cosine_similarity(
            comparison.result_a.output[0, token.position_a], comparison.result_b.output[0, token.position_b], dim=0
        ).item()
        assert token.output_cosine == pytest.approx(expected, abs=1e-6)
        assert len(token.head_output_cosines) == heads


def test_same_word_in_the_same_sentence_keeps_its_output() -> None:
    """Control: with an identical context the output is identical too, so the drop above is the context's doing."""
    model = build_model(8, 2, 0)
    tokens = tokenize("I put money in the bank")
    emb = embed_tokens(tokens, 16, 0)
    comparison = compare_in_contexts(model, emb, emb.clone(), 5, 5, 1)
    assert comparison.tokens[0].output_cosine == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 7, 2**31 - 1])
def test_cross_model_has_its_own_weights(seed: int) -> None:
    own, cross = build_model(4, 2, seed), build_cross_model(4, 2, seed)
    for name in ("w_q", "w_k", "w_v", "w_o"):
        assert not torch.allclose(getattr(own, name).weight, getattr(cross, name).weight), name
    again = build_cross_model(4, 2, seed)
    assert torch.equal(cross.w_q.weight, again.w_q.weight)  # seeded: the same every time


@pytest.mark.parametrize("causal", [False, True])
def test_encoder_decoder_is_cross_attention_beside_self_attention(causal: bool) -> None:
    model, cross_model = build_model(4, 2, 3), build_cross_model(4, 2, 3)
    target, source = embed_tokens(tokenize("a b c"), 8, 3), embed_tokens(tokenize("x y"), 8, 3)
    step = encoder_decoder(model, cross_model, target, source, causal)
    assert torch.equal(step.cross.weights, cross_attention(cross_model, target, source).attention.weights)
    own = self_attention(model, target, causal_mask(3) if causal else None).attention
    assert torch.equal(step.own.weights, own.weights)
    assert row_sum_range(step.cross.weights[0, 1]) == pytest.approx((1.0, 1.0))


def test_the_words_rows_interleave_the_two_sentences() -> None:
    model = build_model(4, 2, 0)
    tokens_a, tokens_b = tokenize("I sat on the river bank"), tokenize("the bank is here")
    emb_a, emb_b = embed_tokens(tokens_a, 8, 0), embed_tokens(tokens_b, 8, 0)
    comparison = compare_in_contexts(model, emb_a, emb_b, 5, 1, 1)
    embeddings, outputs = comparison.word_vectors(emb_a, emb_b)
    assert torch.equal(embeddings, torch.stack([emb_a[5], emb_b[1]]))
    assert torch.equal(outputs, torch.stack([comparison.result_a.output[0, 5], comparison.result_b.output[0, 1]]))
    weights_a, weights_b = comparison.word_weights(1)
    assert torch.equal(weights_a, comparison.result_a.attention.weights[0, 1, [5]])
    assert torch.equal(weights_b, comparison.result_b.attention.weights[0, 1, [1]])
    assert comparison.same_embeddings and not comparison.same_outputs
    assert comparison.tokens[0].verdict == "same_differ"
