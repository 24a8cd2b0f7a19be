"""The Pretrained model lesson's numbers (core/pretrained.py) on small made-up weights."""

from __future__ import annotations

import torch

from core.minilm import HEAD_SUMMARY_TARGETS, summarize_heads
from core.pretrained import focus_index, pronoun_candidates, pronoun_choice, strongest_links, target_heads

TOKENS = ("[CLS]", "the", "animal", "crossed", "the", "street", "because", "it", "tired", "[SEP]")


def weights(layers: int = 2, heads: int = 3, seed: int = 0) -> torch.Tensor:
    length = len(TOKENS)
    scores = torch.randn(layers, heads, length, length, generator=torch.Generator().manual_seed(seed))
    return scores.softmax(dim=-1)


def test_strongest_links_are_the_largest_weights_to_other_words() -> None:
    attentions = weights()
    query = 7
    links = strongest_links(attentions, TOKENS, query, top=5)
    candidates = sorted(
        (
            (float(attentions[layer, head, query, key]), layer, head, key)
            for layer in range(2)
            for head in range(3)
            for key in range(len(TOKENS))
            if key != query and TOKENS[key] not in ("[CLS]", "[SEP]")
        ),
        reverse=True,
    )[:5]
    assert [(link.weight, link.layer, link.head, link.key) for link in links] == candidates


def test_strongest_links_stop_where_there_are_no_other_words() -> None:
    attentions = torch.full((1, 1, 3, 3), 1 / 3)
    assert strongest_links(attentions, ("[CLS]", "it", "[SEP]"), query=1, top=6) == ()


def test_pronoun_choice_counts_the_heads_that_prefer_the_animal() -> None:
    attentions = weights()
    choice = pronoun_choice(attentions, TOKENS)
    animal, street = attentions[:, :, 7, 2], attentions[:, :, 7, 5]
    assert choice.last_word == "tired"
    assert choice.preferring_animal == int((animal > street).sum())
    assert pronoun_candidates(attentions[1, 2], TOKENS)["street"] == float(attentions[1, 2, 7, 5])


def test_target_heads_name_the_head_with_the_largest_share() -> None:
    summary = summarize_heads(weights(), TOKENS)
    for target in HEAD_SUMMARY_TARGETS:
        found = target_heads(summary, target)
        shares = summary.shares[:, :, HEAD_SUMMARY_TARGETS.index(target)]
        assert found.share == float(shares[found.layer, found.head]) == float(shares.max())
        assert found.above_half == int((shares > 0.5).sum()) and found.total == 6


def test_focus_is_the_last_occurrence_else_the_first_word() -> None:
    assert focus_index(TOKENS, "the") == 4
    assert focus_index(TOKENS, None) == 1
    assert focus_index(("[CLS]",), "x") == 0
