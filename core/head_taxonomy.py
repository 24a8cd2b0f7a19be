"""What each attention head looks at, measured over a corpus (after Clark et al. 2019, "What Does BERT Look
At?"): mean attention to [CLS], to [SEP], to punctuation, to the token itself, to the previous and next token,
and mean row entropy; heads' pairwise Jensen–Shannon distances and a 2-D map of them (classical MDS)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

MEASURES = ("cls", "sep", "punctuation", "self", "previous", "next", "entropy")
PUNCTUATION = frozenset(".,;:!?'\"()-")


def sentence_measures(attentions: Tensor, tokens: tuple[str, ...]) -> Tensor:
    """``[layers, heads, 7]`` for one sentence's ``attentions [layers, heads, L, L]``: each measure in the order of
    ``MEASURES`` averaged over the query tokens (entropy in bits)."""
    length = attentions.size(-1)
    is_cls = torch.tensor([token == "[CLS]" for token in tokens])
    is_sep = torch.tensor([token == "[SEP]" for token in tokens])
    is_punct = torch.tensor([token in PUNCTUATION for token in tokens])
    eye = torch.eye(length, dtype=torch.bool)
    masks = (
        is_cls.expand(length, length),
        is_sep.expand(length, length),
        is_punct.expand(length, length),
        eye,
        eye.roll(-1, dims=1).tril(),  # key = query − 1
        eye.roll(1, dims=1).triu(),  # key = query + 1
    )
    shares = [(attentions * mask).sum(-1).mean(-1) for mask in masks]
    return torch.stack([*shares, entropy_bits(attentions).mean(-1)], dim=-1)


def entropy_bits(p: Tensor) -> Tensor:
    """Shannon entropy in bits over the last axis (0·log 0 = 0)."""
    return -torch.special.xlogy(p, p).sum(-1) / math.log(2)


def sentence_js(attentions: Tensor) -> tuple[Tensor, int]:
    """Sum over query tokens of the Jensen–Shannon divergence (bits) between every pair of heads, and the number
    of query tokens. ``attentions [layers, heads, L, L]`` → ``[N, N]`` with N = layers·heads (layer-major)."""
    rows = attentions.flatten(0, 1)  # [N, L, L]
    # JS(p, q) = H(½p + ½q) − ½H(p) − ½H(q): one logarithm per pair instead of three.
    own = entropy_bits(rows)  # [N, L]
    mixed = entropy_bits(0.5 * (rows.unsqueeze(1) + rows.unsqueeze(0)))  # [N, N, L]
    return (mixed - 0.5 * own.unsqueeze(1) - 0.5 * own.unsqueeze(0)).sum(-1), rows.size(1)


@dataclass(frozen=True)
class CorpusTaxonomy:
    """``measures [layers, heads, 7]`` averaged over sentences (each sentence's mean over its queries);
    ``distances [N, N]``: √(mean JS divergence over all query tokens of the corpus), N = layers·heads,
    layer-major; ``map [N, 2]``: classical MDS of the distances; ``sentences``: how many were read."""

    measures: Tensor
    distances: Tensor
    map: Tensor
    map_kept: float
    sentences: int


def classical_mds(distances: Tensor, dims: int = 2) -> tuple[Tensor, float]:
    """Torgerson's classical MDS: double-centre −½·D², keep the top ``dims`` eigenvectors scaled by √eigenvalue.
    Also returns the share of the positive eigenvalues' sum those ``dims`` keep."""
    n = distances.size(0)
    centre = torch.eye(n, dtype=distances.dtype) - 1.0 / n
    gram = -0.5 * centre @ (distances**2) @ centre
    values, vectors = torch.linalg.eigh(gram)
    top = values.argsort(descending=True)[:dims]
    kept = (values[top].clamp_min(0).sum() / values.clamp_min(0).sum().clamp_min(1e-30)).item()
    return vectors[:, top] * values[top].clamp_min(0).sqrt(), kept


def corpus_taxonomy(runs: list[tuple[Tensor, tuple[str, ...]]]) -> CorpusTaxonomy:
    """Measures and head distances over ``runs``: (attentions [layers, heads, L, L], tokens) per sentence."""
    measures, js_total, queries = [], None, 0
    for attentions, tokens in runs:
        measures.append(sentence_measures(attentions.double(), tokens))
        js, count = sentence_js(attentions)
        js_total = js if js_total is None else js_total + js
        queries += count
    distances = (js_total / queries).clamp_min(0).sqrt()
    distances.fill_diagonal_(0.0)
    points, kept = classical_mds(distances.double())
    return CorpusTaxonomy(
        measures=torch.stack(measures).mean(0).float(),
        distances=distances.float(),
        map=points.float(),
        map_kept=kept,
        sentences=len(runs),
    )


TARGETS = MEASURES[:-1]  # the shares; entropy is not a target
CATEGORY_SHARE = 0.5  # a head is named after a target that gets at least half of its attention on average
BROAD_BITS = 2.5  # else "broad" when rows spread over about 2^2.5 ≈ 6 tokens or more, else "mixed"


def head_category(measures: Tensor) -> str:
    """The category of one head from its ``measures [7]`` (order of ``MEASURES``), by the thresholds above."""
    shares = measures[: len(TARGETS)]
    top = int(shares.argmax())
    if shares[top] >= CATEGORY_SHARE:
        return TARGETS[top]
    return "broad" if measures[-1] >= BROAD_BITS else "mixed"


def head_categories(measures: Tensor) -> tuple[str, ...]:
    """Every head's category, layer by layer: ``measures [layers, heads, 7]`` → ``layers × heads`` names."""
    return tuple(head_category(row) for row in measures.flatten(0, 1))


@dataclass(frozen=True)
class MeasureExtremes:
    """The heads with the largest and the smallest value of one measure."""

    top_layer: int
    top_head: int
    top: float
    low_layer: int
    low_head: int
    low: float


def measure_extremes(measures: Tensor, measure: str) -> MeasureExtremes:
    """``measures [layers, heads, 7]``; ties go to the first head in layer-then-head order."""
    values = measures[:, :, MEASURES.index(measure)]
    heads = values.size(1)
    top_layer, top_head = divmod(int(values.argmax()), heads)
    low_layer, low_head = divmod(int(values.argmin()), heads)
    return MeasureExtremes(
        top_layer, top_head, float(values[top_layer, top_head]), low_layer, low_head, float(values[low_layer, low_head])
    )
