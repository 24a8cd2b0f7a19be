"""Head measures, Jensen–Shannon distances and classical MDS against plain numpy computations."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core.head_taxonomy import (
    MEASURES,
    classical_mds,
    corpus_taxonomy,
    head_categories,
    head_category,
    measure_extremes,
    sentence_measures,
)

TOKENS = ("[CLS]", "the", "dog", ",", "ran", "[SEP]")


def random_attention(seed: int, layers: int = 2, heads: int = 3, length: int = 6) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.softmax(3 * torch.randn(layers, heads, length, length, generator=g, dtype=torch.float64), -1)


def numpy_measures(a: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    layers, heads, length, _ = a.shape
    out = np.zeros((layers, heads, len(MEASURES)))
    for layer in range(layers):
        for head in range(heads):
            rows = a[layer, head]
            for q in range(length):
                out[layer, head, 0] += rows[q, 0] / length
                out[layer, head, 1] += rows[q, length - 1] / length
                out[layer, head, 2] += rows[q, 3] / length
                out[layer, head, 3] += rows[q, q] / length
                out[layer, head, 4] += (rows[q, q - 1] if q > 0 else 0.0) / length
                out[layer, head, 5] += (rows[q, q + 1] if q < length - 1 else 0.0) / length
                out[layer, head, 6] += -(rows[q] * np.log2(rows[q])).sum() / length
    return out


def js(p: np.ndarray, q: np.ndarray) -> float:
    m = (p + q) / 2
    return 0.5 * (p * np.log2(p / m)).sum() + 0.5 * (q * np.log2(q / m)).sum()


def test_sentence_measures_match_numpy() -> None:
    a = random_attention(1)
    np.testing.assert_allclose(sentence_measures(a, TOKENS).numpy(), numpy_measures(a.numpy(), TOKENS), atol=1e-10)


def test_a_previous_token_head_scores_its_share() -> None:
    previous = torch.zeros(1, 1, 6, 6, dtype=torch.float64)
    previous[0, 0, 0, 0] = 1.0
    for q in range(1, 6):
        previous[0, 0, q, q - 1] = 1.0
    measures = sentence_measures(previous, TOKENS)[0, 0]
    assert measures[MEASURES.index("previous")].item() == 5 / 6
    assert measures[MEASURES.index("entropy")].item() == 0.0


def test_corpus_distances_and_mds_match_numpy() -> None:
    runs = [(random_attention(seed), TOKENS) for seed in (2, 3)]
    result = corpus_taxonomy(runs)
    rows = [r[0].flatten(0, 1).numpy() for r in runs]  # [N, L, L] each
    n = rows[0].shape[0]
    expected = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            total = sum(js(r[i, q], r[j, q]) for r in rows for q in range(6))
            expected[i, j] = np.sqrt(max(total / 12, 0.0)) if i != j else 0.0
    np.testing.assert_allclose(result.distances.numpy(), expected, atol=1e-5)
    means = np.mean([numpy_measures(r[0].numpy(), TOKENS) for r in runs], axis=0)
    np.testing.assert_allclose(result.measures.numpy(), means, atol=1e-5)


def test_mds_recovers_planar_points() -> None:
    points = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0], [3.0, 4.0], [1.0, 2.0]], dtype=torch.float64)
    distances = torch.cdist(points, points)
    embedded, kept = classical_mds(distances)
    torch.testing.assert_close(torch.cdist(embedded, embedded), distances)
    assert kept == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("shares", "entropy", "expected"),
    [
        ((0.1, 0.6, 0.0, 0.1, 0.1, 0.1), 1.0, "sep"),  # half or more of the attention on one target
        ((0.0, 0.0, 0.0, 0.0, 0.5, 0.0), 3.0, "previous"),  # exactly at CATEGORY_SHARE
        ((0.2, 0.2, 0.1, 0.1, 0.1, 0.1), 2.5, "broad"),  # no target ≥ ½, rows over ≥ 2^2.5 tokens
        ((0.2, 0.2, 0.1, 0.1, 0.1, 0.1), 2.4, "mixed"),
    ],
)
def test_head_category_follows_the_stated_thresholds(shares: tuple, entropy: float, expected: str) -> None:
    assert head_category(torch.tensor([*shares, entropy], dtype=torch.float64)) == expected


def test_categories_and_extremes_read_every_head_in_layer_order() -> None:
    measures = torch.zeros(2, 3, len(MEASURES))
    measures[..., -1] = 3.0  # broad everywhere …
    measures[1, 2, MEASURES.index("sep")] = 0.9  # … but one [SEP] head
    measures[0, 1, MEASURES.index("sep")] = -0.1
    assert head_categories(measures) == ("broad",) * 5 + ("sep",)
    extremes = measure_extremes(measures, "sep")
    assert (extremes.top_layer, extremes.top_head, extremes.low_layer, extremes.low_head) == (1, 2, 0, 1)
    assert extremes.top == pytest.approx(0.9) and extremes.low == pytest.approx(-0.1)
