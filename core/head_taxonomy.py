"""What each attention head looks at, measured over a corpus (after Clark et al. 2019, "What Does BERT Look
At?"): mean attention to [CLS], to [SEP], to punctuation, to the token itself, to the previous and next token,
and mean row entropy; heads' pairwise Jensen–Shannon distances and a 2-D map of them (classical MDS)."""

from __future__ import annotations

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
    logs = torch.where(attentions > 0, attentions.clamp_min(1e-30).log2(), torch.zeros_like(attentions))
    entropy = -(attentions * logs).sum(-1).mean(-1)
    return torch.stack([*shares, entropy], dim=-1)


def sentence_js(attentions: Tensor) -> tuple[Tensor, int]:
    """Sum over query tokens of the Jensen–Shannon divergence (bits) between every pair of heads, and the number
    of query tokens. ``attentions [layers, heads, L, L]`` → ``[N, N]`` with N = layers·heads (layer-major)."""
    rows = attentions.flatten(0, 1)  # [N, L, L]
    p, q = rows.unsqueeze(1), rows.unsqueeze(0)  # [N, 1, L, L], [1, N, L, L]
    m = 0.5 * (p + q)

    def kl(a: Tensor) -> Tensor:
        return torch.where(a > 0, a * (a.clamp_min(1e-30).log2() - m.clamp_min(1e-30).log2()), 0.0).sum(-1)

    return (0.5 * kl(p) + 0.5 * kl(q)).sum(-1), rows.size(1)


@dataclass(frozen=True)
class CorpusTaxonomy:
    """``measures [layers, heads, 7]`` averaged over sentences (each sentence's mean over its queries);
    ``distances [N, N]``: √(mean JS divergence over all query tokens of the corpus), N = layers·heads,
    layer-major; ``map [N, 2]``: classical MDS of the distances; ``sentences``: how many were read."""

    measures: Tensor
    distances: Tensor
    map: Tensor
    sentences: int


def classical_mds(distances: Tensor, dims: int = 2) -> Tensor:
    """Torgerson's classical MDS: double-centre −½·D², keep the top ``dims`` eigenvectors scaled by √eigenvalue."""
    n = distances.size(0)
    centre = torch.eye(n, dtype=distances.dtype) - 1.0 / n
    gram = -0.5 * centre @ (distances**2) @ centre
    values, vectors = torch.linalg.eigh(gram)
    top = values.argsort(descending=True)[:dims]
    return vectors[:, top] * values[top].clamp_min(0).sqrt()


def corpus_taxonomy(runs: list[tuple[Tensor, tuple[str, ...]]]) -> CorpusTaxonomy:
    """Measures and head distances over ``runs``: (attentions [layers, heads, L, L], tokens) per sentence."""
    measures, js_total, queries = [], None, 0
    for attentions, tokens in runs:
        measures.append(sentence_measures(attentions.double(), tokens))
        js, count = sentence_js(attentions.double())
        js_total = js if js_total is None else js_total + js
        queries += count
    distances = (js_total / queries).clamp_min(0).sqrt()
    distances.fill_diagonal_(0.0)
    return CorpusTaxonomy(
        measures=torch.stack(measures).mean(0).float(),
        distances=distances.float(),
        map=classical_mds(distances).float(),
        sentences=len(runs),
    )
