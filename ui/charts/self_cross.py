"""The Self vs cross lesson's tables and labels: the same word in two contexts (core/self_cross.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core.self_cross import ContextComparison


def context_table(comparison: ContextComparison, tokens_a: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """One row per token of the word: the token, its positions in A and B, whether its embeddings are identical,
    the cosines of its embeddings and outputs, then one cosine per head. ``columns`` names the six fixed columns
    and then the heads'."""
    tokens = comparison.tokens
    values = [
        [tokens_a[token.position_a] for token in tokens],
        [token.position_a for token in tokens],
        [token.position_b for token in tokens],
        [token.same_embedding for token in tokens],
        [token.embedding_cosine for token in tokens],
        [token.output_cosine for token in tokens],
    ]
    heads = len(columns) - len(values)
    values += [[token.head_output_cosines[h] for token in tokens] for h in range(heads)]
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def vector_labels(comparison: ContextComparison, labels_a: Sequence[str], labels_b: Sequence[str]) -> list[str]:
    """The rows of ``ContextComparison.word_vectors``: "A · 3 bank", "B · 5 bank", … (A before B, per token)."""
    return [
        f"{sentence} · {labels[i]}"
        for token in comparison.tokens
        for sentence, labels, i in (("A", labels_a, token.position_a), ("B", labels_b, token.position_b))
    ]
