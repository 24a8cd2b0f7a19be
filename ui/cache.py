"""Process-wide caches. Cached objects are shared by every session and thread: never mutate them."""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable

import numpy as np
import streamlit as st

from core.corpus import corpus_sentences
from core.cost import COST_MASK_KINDS, MaskShape, TimingRun, tile_fractions, time_attention
from core.head_taxonomy import CorpusTaxonomy, corpus_taxonomy
from core.minilm import Encoding, MiniLM, ModelRun, bundled_model_dir
from core.multihead import MultiHeadAttention
from core.pipeline import build_model
from core.self_cross import build_cross_model
from ui.memory import give_freed_memory_back


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_model(d_k: int, num_heads: int, seed: int) -> MultiHeadAttention:
    return build_model(d_k, num_heads, seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_cross_model(d_k: int, num_heads: int, seed: int) -> MultiHeadAttention:
    return build_cross_model(d_k, num_heads, seed)


@st.cache_resource(show_spinner=False)
def cached_minilm() -> MiniLM:
    """The pretrained model, read once per process (about 90 MB of weights) and shared by every session."""
    return MiniLM(bundled_model_dir())


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_minilm_run(text: str, max_tokens: int) -> tuple[Encoding, ModelRun]:
    """One forward pass per distinct text: revisits and other sessions reading the same example reuse it."""
    model = cached_minilm()
    encoding = model.encode(text, max_tokens)
    return encoding, model.run(encoding.ids)


@st.cache_resource(show_spinner=False)
def cached_corpus_taxonomy() -> tuple[CorpusTaxonomy, float]:
    """The head measures over the shipped corpus, computed once per process, with the seconds it took."""
    model = cached_minilm()
    start = time.perf_counter()
    runs = []
    for sentence in corpus_sentences():
        encoding = model.encode(sentence)
        runs.append((model.run(encoding.ids).attentions, encoding.tokens))
    taxonomy = corpus_taxonomy(runs)
    return taxonomy, time.perf_counter() - start


@functools.cache
def source_of(*functions: Callable) -> str:
    """The source code of ``functions``, a blank line apart, for a page's "the code" expander (read once)."""
    return "\n\n".join(inspect.getsource(function) for function in functions)


# ── Cost ─────────────────────────────────────────────────────────────────────

TIMING_CACHE_SECONDS = 600


@st.cache_data(ttl=TIMING_CACHE_SECONDS, max_entries=32, show_spinner=False)
def cached_timing(lengths: tuple[int, ...], d_k: int, repeats: int, budget_seconds: float) -> TimingRun:
    """``core.cost.time_attention``, shared by every session: one student's measurement serves the whole class for
    ``TIMING_CACHE_SECONDS``."""
    run = time_attention(lengths, d_k, repeats=repeats, budget_seconds=budget_seconds)
    give_freed_memory_back()
    return run


@st.cache_data(max_entries=64, show_spinner=False)
def cached_tile_fractions(seq_len: int, shape: MaskShape, tiles: int) -> np.ndarray:
    """Shapes: ``[kinds, tiles, tiles]`` (``COST_MASK_KINDS`` order), the share of allowed pairs per tile."""
    return np.stack([tile_fractions(kind, seq_len, shape, tiles).numpy() for kind in COST_MASK_KINDS])


# ── Why √d_k ─────────────────────────────────────────────────────────────────


@st.cache_data(show_spinner=False, max_entries=32)
def cached_why_scale_sweep(seed: int) -> tuple:
    """The d_k sweep of ``core.why_scale.scaling_sweep`` as (long frame for the chart, wide curves: index d_k, one
    column per (setting, metric)), both pandas DataFrames."""
    from core.why_scale import scaling_sweep
    from ui.charts.why_scale import sweep_curves, sweep_frame

    frame = sweep_frame(scaling_sweep(seed=seed))
    return frame, sweep_curves(frame)


# ── Common mistakes ──────────────────────────────────────────────────────────


def tensor_bytes(tensor) -> bytes:
    """A tensor's cache key: its numbers, dtype and shape."""
    return tensor.numpy().tobytes() + str((tensor.dtype, tuple(tensor.shape))).encode()


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={"torch.Tensor": tensor_bytes})
def cached_mistake_diagnosis(mistake: str, q, k, v, mask, seed: int):
    """``core.mistakes.diagnose`` (a ``MistakeReport``) of torch tensors q, k, v ``[1, H, L, d_k]`` and mask
    ``[L, L]`` or None. The leak probe re-runs attention once per token: ~0.2 s at L = 64 with 8 heads of 128."""
    from core.mistakes import diagnose

    return diagnose(mistake, q, k, v, mask, seed=seed)


# ── Position ─────────────────────────────────────────────────────────────────


@st.cache_data(show_spinner=False, max_entries=32)
def cached_encoding_pictures(span: int, d_model: int):
    """``core.position.encoding_pictures`` (PE, PE·PEᵀ, its diagonal spread and colour extent) per (span, d_model)."""
    from core.position import encoding_pictures

    return encoding_pictures(span, d_model)


# ── Multi-head ───────────────────────────────────────────────────────────────


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_torch_and_copy(d_k: int, heads: int, seed: int):
    """PyTorch's ``nn.MultiheadAttention`` (``core.parity.seeded_torch_attention``) and our copy of it, a
    ``MultiHeadAttention``; shared by every session, so never mutated."""
    from core.parity import seeded_torch_attention

    module = seeded_torch_attention(d_k, heads, seed)
    return module, MultiHeadAttention.from_torch(module).eval()


@st.cache_data(max_entries=8, show_spinner=False)
def cached_example_sizes(example: str, seed: int):
    """Every tensor's shape (``TensorSize``) in a real run of a tutorial's example, "toy" or "base" (the base
    model's run takes ~0.05 s, its tensors ~40 MB)."""
    from core.tutorial_examples import base_sizes, toy_run, toy_sizes

    return toy_sizes(toy_run(seed)) if example == "toy" else base_sizes(seed)
