"""Sense separation against numpy cosines, and its refusal without both kinds of pair."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core.senses import sense_separation, word_vectors


def test_matches_numpy() -> None:
    g = torch.Generator().manual_seed(0)
    vectors = torch.randn(5, 3, 8, generator=g, dtype=torch.float64)
    senses = ("a", "a", "b", "b", "a")
    v = vectors.numpy()
    same, different = [], []
    for i in range(5):
        for j in range(i + 1, 5):
            cos = (v[i] * v[j]).sum(-1) / (np.linalg.norm(v[i], axis=-1) * np.linalg.norm(v[j], axis=-1))
            (same if senses[i] == senses[j] else different).append(cos)
    result = sense_separation(vectors, senses)
    np.testing.assert_allclose(result.same.numpy(), np.mean(same, axis=0), atol=1e-12)
    np.testing.assert_allclose(result.different.numpy(), np.mean(different, axis=0), atol=1e-12)
    assert (result.same_pairs, result.different_pairs) == (4, 6)


def test_separated_senses_give_a_positive_gap() -> None:
    vectors = torch.tensor([[[1.0, 0.0]], [[1.0, 0.1]], [[0.0, 1.0]], [[0.1, 1.0]]])
    result = sense_separation(vectors, ("x", "x", "y", "y"))
    assert result.gap.item() > 0.8


def test_needs_both_kinds_of_pair() -> None:
    with pytest.raises(ValueError):
        sense_separation(torch.ones(2, 1, 3), ("x", "y"))


def test_word_vectors_take_the_words_hidden_states_in_each_sentence() -> None:
    hidden_a, hidden_b = torch.randn(3, 4, 5), torch.randn(3, 2, 5)
    vectors = word_vectors([(("a", "bank", "c", "d"), hidden_a), (("bank", "x"), hidden_b)], "bank")
    assert torch.equal(vectors, torch.stack([hidden_a[:, 1], hidden_b[:, 0]]))
