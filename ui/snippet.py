"""The playground's current view as a runnable PyTorch script: only torch and the standard library, nothing
from this project, so a reader can run it anywhere and get the numbers on the page.

It repeats what ``core`` does, step for step: embeddings as in ``core/tokens.py``, weights drawn as in
``core/multihead.py`` (``build_model``), masks as in ``core/masks.py`` and attention as in
``core/attention.py``. tests/ui/test_snippet.py runs it and compares every number with ``core``.
"""

from __future__ import annotations

from string import Template

import torch

from ui.controls import PlaygroundSettings
from ui.sequence import TokenSequence

LINE_WIDTH = 100

_HEADER = Template('''\
"""Attention Lab, playground: $summary.

Plain PyTorch (made with torch $torch_version); run it with `python` and compare with the page.
"""

import hashlib
import math

import torch
import torch.nn.functional as F

L, d_k, heads, seed = $seq_len, $d_k, $heads, $seed
d_model = heads * d_k
head = $head  # the head the page's large charts show


def token_seed(text: str) -> int:
    """A stable 63-bit seed from the seed and the case-folded text (Python's hash() changes per process)."""
    digest = hashlib.blake2b(f"{seed}\\x1f{text.casefold()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF


''')

_SENTENCE = Template("""\
# Embeddings: each token's vector depends only on its text and the seed; padding embeds to zeros.
tokens = $tokens
real_len = $real_len  # tokens that are not padding
generator = torch.Generator()
rows = []
for token in tokens:
    if token == "<pad>":
        rows.append(torch.zeros(d_model))
    else:
        generator.manual_seed(token_seed(token))
        rows.append(torch.randn(d_model, generator=generator))
x = torch.stack(rows).unsqueeze(0)  # [1, L, d_model]
""")

_RANDOM = Template("""\
# Random tokens: standard normal embeddings from a stream of their own.
x = torch.randn(L, d_model, generator=torch.Generator().manual_seed(token_seed("\\x00random"))).unsqueeze(0)
real_len = L  # random tokens are never padding
""")

_MASKS = {
    "none": "allowed = torch.ones(L, L, dtype=torch.bool)  # no mask",
    "causal": "allowed = torch.ones(L, L, dtype=torch.bool).tril()  # causal: query i sees keys 0..i",
    "padding": "allowed = (torch.arange(L) < real_len).expand(L, L)  # padding: no query sees a <pad> key",
    "sliding": (
        "positions = torch.arange(L)\n"
        "window = $window\n"
        "allowed = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs() <= window  # sliding: |i - j| ≤ window"
    ),
}

_ATTENTION = Template('''
# W_q, W_k, W_v: normal with std 1/√d_model, drawn in this order from one generator seeded with the seed.
generator = torch.Generator().manual_seed(seed)
w_q, w_k, w_v = (torch.empty(d_model, d_model).normal_(0.0, d_model**-0.5, generator=generator) for _ in range(3))


def split_heads(t: torch.Tensor) -> torch.Tensor:
    """[1, L, d_model] -> [1, heads, L, d_k]"""
    return t.view(1, L, heads, d_k).transpose(1, 2)


q, k, v = (split_heads(F.linear(x, w)) for w in (w_q, w_k, w_v))

# Mask: True = may attend.
$mask

scores = q @ k.transpose(-2, -1)  # [1, heads, L, L]
scaled = scores * (1.0 / math.sqrt(d_k))
masked = scaled.masked_fill(~allowed, float("-inf"))
empty_rows = ~allowed.any(dim=-1).unsqueeze(-1)  # a query that may attend to nothing gets weights 0, not NaN
weights = torch.softmax(masked.masked_fill(empty_rows, 0.0), dim=-1).masked_fill(empty_rows, 0.0)
output = weights @ v  # [1, heads, L, d_k]

torch.set_printoptions(precision=4, sci_mode=False, linewidth=160)
print(f"Scaled scores (head {head}):", masked[0, head], sep="\\n")
print(f"Softmax weights (head {head}):", weights[0, head], sep="\\n")
print(f"Output (head {head}):", output[0, head], sep="\\n")
''')


def playground_snippet(settings: PlaygroundSettings, sequence: TokenSequence, head: int) -> str:
    """A script that prints the scaled scores, weights and output the playground shows for ``head``."""
    if settings.mode == "sentence":
        summary = f"sentence mode, L = {settings.seq_len}"
        inputs = _SENTENCE.substitute(tokens=_list_literal(sequence.tokens), real_len=sequence.real_len)
    else:
        summary = f"random tokens, L = {settings.seq_len}"
        inputs = _RANDOM.substitute()
    summary += f", d_k = {settings.d_k}, {settings.heads} head(s), mask {settings.mask}, seed {settings.seed}"
    header = _HEADER.substitute(
        summary=summary,
        torch_version=torch.__version__,
        seq_len=settings.seq_len,
        d_k=settings.d_k,
        heads=settings.heads,
        seed=settings.seed,
        head=head,
    )
    mask = Template(_MASKS[settings.mask]).substitute(window=settings.window)
    return header + inputs + _ATTENTION.substitute(mask=mask)


def _list_literal(items: list[str]) -> str:
    """A list of strings as Python source (``repr`` keeps any text a valid literal), wrapped at LINE_WIDTH."""
    lines, line = [], "    "
    for item in map(repr, items):
        if len(line) + len(item) + 1 > LINE_WIDTH and line.strip():
            lines.append(line.rstrip())
            line = "    "
        line += item + ", "
    lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n]"
