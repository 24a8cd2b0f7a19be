"""Masks: which scores a query may use, how −∞ turns into an exact 0, and the traps around it
(padding a batch, −∞ versus −1e9 in float32/float16, PyTorch's two opposite bool conventions)."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pandas as pd
import streamlit as st
import torch
from torch import Tensor

from core import masks as mask_builders
from core.mask_effects import (
    FillOutcome,
    add_float16_minimum,
    attend_padded_batch,
    classify_row,
    compare_conventions,
    compare_fills,
)
from core.masks import mask_from_code, mask_to_code, summarize_mask
from core.pipeline import self_attention
from core.tokens import PAD_TOKEN, embed_tokens, fit_to_length, tokenize
from core.tutorial_examples import TOY_BATCH, TOY_D_K, TOY_HEADS, TOY_MASKED_KEY, TOY_SEQ, toy_run, toy_sizes
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.charts.tutorial_examples import dimension_bars, shapes_table
from ui.controls import (
    MAX_SEQ_LEN,
    PlaygroundSettings,
    head_selector,
    model_controls,
    seed_control,
    sequence_controls,
)
from ui.i18n import language, t
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import TokenSequence, prepare_sequence
from ui.url_state import bool_param, choice_param, int_param, page_params, text_param

VIEWS = ("patterns", "padding", "fill", "convention", "toy")
KINDS = ("causal", "sliding", "block", "strided", "global", "custom")
SCORE_SCALES = ("1", "10", "100", "1000", "10000")
# Where finfo(float16).min + score overflows (the sum passes −65504 − 16), and a fully masked row past it.
FLOAT16_EDGE_SCORES = (-15.0, -16.0)
FLOAT16_MASKED_ROW = (-16.0, -30.0)
MAX_CUSTOM_LEN = 12  # a checkbox grid wider than this no longer fits the page
VALUES_IN_CELLS_UP_TO = 12
CHART_SIZE = 200
TOY_CHART_SIZE = 150
# Two more sentences of other lengths for the padding batch; the first is the sidebar's sequence.
EXAMPLE_SENTENCES = {
    "en": ("Masks hide keys", "Padding fills the shorter sentences"),
    "zh": ("掩码遮住键", "短句用填充补齐到同样长度"),
}
_PERSIST = {"persist_state": "session"}
_GRID_VERSION = "_masks_grid_version"  # part of the editor's key: a new version starts with no edits
_GRID_BASE = "_masks_grid_base"  # (labels, code): the grid the editor's edits apply to


# ── reading the controls ────────────────────────────────────────────────────


def parse_positions(text: str, seq_len: int) -> tuple[list[int], bool]:
    """Global positions typed as "0, 7" (any separators). Returns (positions in range, whether all was usable)."""
    parts = [part for part in re.split(r"[\s,，、;；]+", text.strip()) if part]
    positions: list[int] = []
    usable = True
    for part in parts:
        if part.isascii() and part.isdigit() and int(part) < seq_len:
            positions.append(int(part))
        else:
            usable = False
    return sorted(set(positions)), usable


def stored_grid(size: int) -> Tensor:
    """The custom mask from the session (or link), fitted to ``size``: kept where it overlaps, causal elsewhere."""
    causal = mask_builders.causal_mask(size)
    code = st.session_state.get("masks_cells", "")
    if not code:
        return causal
    try:
        grid = mask_from_code(code, MAX_CUSTOM_LEN)
    except ValueError:
        st.warning(t("masks.custom.bad_code"))
        st.session_state["masks_cells"] = ""
        return causal
    keep = min(size, grid.size(0))
    fitted = causal.clone()
    fitted[:keep, :keep] = grid[:keep, :keep]
    return fitted


def reset_grid(pattern: str) -> None:
    size = st.session_state["_masks_custom_len"]
    grids = {
        "all": torch.ones(size, size, dtype=torch.bool),
        "causal": mask_builders.causal_mask(size),
        "none": torch.zeros(size, size, dtype=torch.bool),
    }
    st.session_state["masks_cells"] = "" if pattern == "causal" else mask_to_code(grids[pattern])
    st.session_state[_GRID_VERSION] = st.session_state.get(_GRID_VERSION, 0) + 1


def custom_grid(labels: list[str]) -> Tensor:
    """The checkbox grid (rows = queries, columns = keys). Shapes: ``[L, L]`` bool, True = may attend.

    The editor keeps its edits relative to the table it was first given, so that table stays fixed while the
    editor lives; the edited grid goes into ``masks_cells`` (and the link) on every run.
    """
    state = st.session_state
    size = len(labels)
    state["_masks_custom_len"] = size
    buttons = st.container(horizontal=True)
    for pattern in ("all", "causal", "none"):
        buttons.button(
            t(f"masks.custom.reset.{pattern}"), key=f"masks_reset_{pattern}", on_click=reset_grid, args=(pattern,)
        )
    base = state.get(_GRID_BASE)
    if base is not None and base[0] != tuple(labels):
        state[_GRID_VERSION] = state.get(_GRID_VERSION, 0) + 1  # other tokens: old edits no longer apply
    key = f"masks_grid_{state.get(_GRID_VERSION, 0)}"
    if base is None or base[0] != tuple(labels) or key not in state:  # a new editor starts from the stored grid
        base = (tuple(labels), mask_to_code(stored_grid(size)))
        state[_GRID_BASE] = base
    frame = pd.DataFrame(mask_from_code(base[1], MAX_CUSTOM_LEN).numpy(), index=labels, columns=labels)
    edited = st.data_editor(
        frame,
        key=key,
        num_rows="fixed",
        column_config={label: st.column_config.CheckboxColumn(label, width=64) for label in labels},
        width="content",
    )
    grid = torch.from_numpy(edited.to_numpy(dtype=bool).copy())
    # The causal default stays out of the link.
    state["masks_cells"] = "" if torch.equal(grid, mask_builders.causal_mask(size)) else mask_to_code(grid)
    return grid


def pattern_controls(labels: list[str]) -> tuple[str, Tensor]:
    """The mask kind and its parameter. Returns (kind, allowed ``[L, L]``); custom grids have L ≤ 12."""
    kind = st.segmented_control(
        t("masks.kind"), KINDS, format_func=lambda k: t(f"masks.kind.{k}"), key="masks_kind", **_PERSIST
    )
    kind = kind or "causal"  # a segmented control can be deselected
    seq_len = len(labels)
    prose(t(f"masks.kind.{kind}.help"))
    if kind == "causal":
        return kind, mask_builders.causal_mask(seq_len)
    if kind == "custom":
        return kind, custom_grid(labels[:MAX_CUSTOM_LEN])
    left, right = st.columns(2)
    if kind == "block":
        block = int(left.slider(t("masks.block"), 1, MAX_SEQ_LEN, key="masks_block", **_PERSIST))
        return kind, mask_builders.block_mask(seq_len, block)
    if kind == "strided":
        stride = int(left.slider(t("masks.stride"), 1, MAX_SEQ_LEN, key="masks_stride", **_PERSIST))
        return kind, mask_builders.strided_mask(seq_len, stride)
    window = int(left.slider(t("masks.window"), 0, MAX_SEQ_LEN - 1, key="masks_window", **_PERSIST))
    local = mask_builders.sliding_window_mask(seq_len, window)
    if kind == "sliding":
        return kind, local
    text = right.text_input(t("masks.global"), key="masks_global", help=t("masks.global.help"), **_PERSIST)
    positions, usable = parse_positions(text, seq_len)
    if not usable:
        st.warning(t("masks.global.bad", max=seq_len - 1, used=", ".join(map(str, positions)) or "—"))
    return kind, local | mask_builders.global_tokens_mask(seq_len, positions)


def kind_summary_table(seq_len: int, custom: Tensor) -> pd.DataFrame:
    """Allowed scores for every mask kind at the current settings."""
    state = st.session_state
    window = int(state["masks_window"])
    positions, _ = parse_positions(state["masks_global"], seq_len)
    patterns = {
        "none": torch.ones(seq_len, seq_len, dtype=torch.bool),
        "causal": mask_builders.causal_mask(seq_len),
        "sliding": mask_builders.sliding_window_mask(seq_len, window),
        "block": mask_builders.block_mask(seq_len, int(state["masks_block"])),
        "strided": mask_builders.strided_mask(seq_len, int(state["masks_stride"])),
        "global": mask_builders.sliding_window_mask(seq_len, window)
        | mask_builders.global_tokens_mask(seq_len, positions),
        "custom": custom,
    }
    rows = []
    for kind, allowed in patterns.items():
        summary = summarize_mask(allowed)
        rows.append(
            {
                t("masks.table.kind"): t(f"masks.kind.{kind}"),
                t("masks.table.allowed"): summary.allowed,
                t("masks.table.total"): summary.total,
                t("masks.table.share"): f"{summary.share:.0%}",
                t("masks.table.empty_rows"): len(summary.fully_masked_rows),
            }
        )
    return pd.DataFrame(rows)


# ── small drawing helpers ───────────────────────────────────────────────────


def mask_chart(allowed: np.ndarray, row_labels: list[str], col_labels: list[str], title: str, size: int = CHART_SIZE):
    return heatmap(
        to_long_df(allowed.astype(np.float64), row_labels, col_labels, allowed),
        kind="weights",
        title=title,
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("masks.legend.allowed"),
        masked_text="✗",
        show_values=False,
        size=size,
        scale=chart_scale(),
    )


def weights_chart(weights: np.ndarray, allowed: np.ndarray, labels: list[str], title: str, size: int = CHART_SIZE):
    return heatmap(
        to_long_df(weights, labels, labels, allowed),
        kind="weights",
        title=title,
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        masked_text="0",
        show_values=len(labels) <= VALUES_IN_CELLS_UP_TO,
        # PyTorch's NaN rows (conventions part) have no sum to show; their cells are masked.
        row_sums=None if np.isnan(weights).any() else weights.sum(axis=-1),
        size=size,
        scale=chart_scale(),
    )


def warn_fully_masked(rows: tuple[int, ...] | list[int]) -> None:
    if rows:
        st.warning(t("msg.fully_masked", rows=", ".join(str(i) for i in rows)))


def number(value: float) -> str:
    """A measured number for a sentence: exact zeros stay "0", the rest 3 significant digits."""
    return "0" if value == 0 else f"{value:.3g}"


# ── the four views ──────────────────────────────────────────────────────────


def patterns_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    labels = position_labels(sequence.tokens)
    kind, allowed = pattern_controls(labels)
    size = allowed.size(0)
    if size < len(labels):
        st.info(t("masks.custom.cut", max=MAX_CUSTOM_LEN))
    result = self_attention(
        cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings[:size], allowed
    )
    attention = result.attention
    labels = labels[:size]
    allowed_np = allowed.numpy()
    weights = attention.weights[0, head].numpy()
    summary = summarize_mask(allowed)

    left, middle, right = st.columns(3, gap="small")
    show(left, mask_chart(allowed_np, labels, labels, t("chart.mask")), key="masks_chart_mask")
    show(
        middle,
        heatmap(
            to_long_df(attention.masked[0, head].numpy(), labels, labels, allowed_np),
            kind="signed",
            title=t("chart.scaled"),
            x_title=t("axis.key"),
            y_title=t("axis.query"),
            legend_title=t("axis.value"),
            show_values=size <= VALUES_IN_CELLS_UP_TO,
            size=CHART_SIZE,
            scale=chart_scale(),
        ),
        key="masks_chart_scores",
    )
    show(right, weights_chart(weights, allowed_np, labels, t("chart.weights")), key="masks_chart_weights")
    masked_weights = attention.weights[..., ~allowed]  # every head
    st.caption(
        t("masks.stats", allowed=summary.allowed, total=summary.total, share=summary.share)
        + " "
        + t(
            "masks.exact_zero",
            masked=summary.total - summary.allowed,
            neg_inf=int(attention.masked[0, head].isneginf().sum()),
            largest=number(float(masked_weights.abs().max()) if masked_weights.numel() else 0.0),
        )
    )
    warn_fully_masked(summary.fully_masked_rows)
    st.latex(
        r"s = \frac{QK^\top}{\sqrt{d_k}}, \quad M_{ij} = \begin{cases} 0 & \text{"
        + t("masks.latex.allowed")
        + r"} \\ -\infty & \text{"
        + t("masks.latex.masked")
        + r"} \end{cases}, \quad w_{ij} = \frac{e^{s_{ij} + M_{ij}}}{\sum_{j'} e^{s_{ij'} + M_{ij'}}}, "
        r"\quad e^{-\infty} = 0"
    )

    st.subheader(t("masks.table.title"), anchor=False)
    st.caption(t("masks.table.caption", L=len(sequence.tokens)))
    custom = allowed if kind == "custom" else stored_grid(min(len(sequence.tokens), MAX_CUSTOM_LEN))
    st.dataframe(kind_summary_table(len(sequence.tokens), custom), hide_index=True, width="content")
    builder = {"sliding": "sliding_window_mask", "global": "global_tokens_mask"}.get(kind, f"{kind}_mask")
    if kind != "custom":
        with st.expander(t("masks.code")):
            st.code(inspect.getsource(getattr(mask_builders, builder)), language="python")


def batch_sentences(sequence: TokenSequence, settings: PlaygroundSettings) -> tuple[list[list[str]], list[Tensor]]:
    """The sidebar's sequence (its real tokens) and two example sentences of other lengths."""
    tokens = [sequence.tokens[: sequence.real_len]]
    embeddings = [sequence.embeddings[: sequence.real_len]]
    for sentence in EXAMPLE_SENTENCES[language()]:
        words = tokenize(sentence)
        tokens.append(words)
        embeddings.append(embed_tokens(words, settings.d_model, settings.seed))
    return tokens, embeddings


def padding_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    prose(t("masks.padding.intro"))
    use_mask = st.toggle(t("masks.padding.toggle"), key="masks_pad_mask", **_PERSIST)
    tokens, embeddings = batch_sentences(sequence, settings)
    batch = attend_padded_batch(
        cached_model(settings.d_k, settings.heads, settings.seed), embeddings, use_mask=use_mask
    )
    length = batch.padded_len
    real = batch.key_mask[:, 0, 0].numpy()  # [B, L]
    positions = [str(i) for i in range(length)]
    sentence_names = [t("masks.padding.sentence", n=b + 1, length=n) for b, n in enumerate(batch.lengths)]
    row_names = [t("masks.padding.row", n=b + 1) for b in range(len(tokens))]
    show(
        st,
        mask_chart(real, row_names, positions, t("masks.padding.mask_chart"), size=max(CHART_SIZE, 24 * length)),
        key="masks_chart_padding_mask",
    )
    st.caption(t("masks.padding.shape", B=len(tokens), L=length))

    columns = st.columns(len(tokens), gap="small")
    for b, (column, words) in enumerate(zip(columns, tokens, strict=True)):
        labels = position_labels(fit_to_length(words, length))
        keys_allowed = np.broadcast_to(real[b] if use_mask else np.ones(length, dtype=bool), (length, length))
        weights = batch.result.attention.weights[b, head].numpy()
        show(column, weights_chart(weights, keys_allowed, labels, sentence_names[b]), key=f"masks_chart_batch_{b}")

    left, right = st.columns(2)
    left.metric(t("masks.padding.pad_weight"), number(batch.max_pad_weight))
    right.metric(t("masks.padding.diff"), number(batch.max_diff_real))
    if use_mask:
        st.success(t("masks.padding.with_mask", pad=PAD_TOKEN))
    else:
        st.warning(t("masks.padding.without_mask", pad=PAD_TOKEN))
    st.caption(t("masks.padding.pad_queries", pad=PAD_TOKEN))
    empty = [b + 1 for b, n in enumerate(batch.lengths) if n == 0]
    if empty and use_mask:
        st.warning(t("masks.padding.empty", sentences=", ".join(map(str, empty))))


def fill_cell(leak: float, nan_count: int) -> str:
    text = number(leak)
    return text + (" " + t("masks.fill.nan_rows", n=nan_count) if nan_count else "")


def float16_minimum_sentence() -> str:
    """finfo(float16).min added to scores just above and below −16 (where the sum overflows), then a fully
    masked row of such scores, each value computed in float16."""
    edge = add_float16_minimum(FLOAT16_EDGE_SCORES)
    row = add_float16_minimum(FLOAT16_MASKED_ROW)

    def signed(value: float) -> str:
        return "−∞" if value == float("-inf") else f"{value:g}".replace("-", "−")

    def values(numbers) -> str:
        return "(" + ", ".join(signed(value) for value in numbers) + ")"

    (low, high), (low_sum, high_sum) = edge.scores, edge.sums
    weights = row.fully_masked_weights
    return t(
        "masks.fill.half_min",
        fill=signed(edge.fill),
        low=signed(low),
        high=signed(high),
        low_sum=signed(low_sum),
        high_sum=signed(high_sum),
        scores=values(row.scores),
        sums=values(row.sums),
        weights=values(weights.tolist()).replace("nan", "NaN"),
        kind=t(f"masks.fill.row.{classify_row(weights)}"),
    )


def fill_symbol(value: float) -> str:
    """−∞, −1e9, −1e4 as people write them."""
    if value == float("-inf"):
        return "−∞"
    mantissa, exponent = f"{value:e}".split("e")
    text = f"{float(mantissa):g}e{int(exponent)}" if abs(value) >= 1e4 else f"{value:g}"
    return text.replace("-", "−")


def fill_table(outcomes: tuple[FillOutcome, ...], keys: int) -> pd.DataFrame:
    rows = []
    for outcome in outcomes:
        kind = outcome.fully_masked_kind
        rows.append(
            {
                t("masks.fill.col.fill"): fill_symbol(outcome.fill),
                t("masks.fill.col.dtype"): str(outcome.dtype).removeprefix("torch."),
                t("masks.fill.col.stored"): fill_symbol(outcome.stored),
                t("masks.fill.col.masked_fill"): t(
                    "masks.fill.error" if outcome.masked_fill_error else "masks.fill.ok"
                ),
                t("masks.fill.col.replace"): fill_cell(outcome.replace_leak, outcome.replace_nan_rows),
                t("masks.fill.col.add"): fill_cell(outcome.add_leak, outcome.add_nan_rows),
                t("masks.fill.col.fully"): t(f"masks.fill.row.{kind}", n=keys, w=1 / keys),
            }
        )
    return pd.DataFrame(rows)


def fill_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    prose(t("masks.fill.intro"))
    seq_len = len(sequence.tokens)
    causal = mask_builders.causal_mask(seq_len)
    scale = st.select_slider(
        t("masks.fill.scale"),
        SCORE_SCALES,
        format_func=lambda s: f"× {int(s):,}",
        key="masks_scale",
        help=t("masks.fill.scale.help"),
        **_PERSIST,
    )
    result = self_attention(cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings, causal)
    scaled = result.attention.scaled[0, head]
    outcomes = compare_fills(scaled, causal, score_scale=float(scale))
    factor = f"{int(scale):,}"
    st.caption(
        t("masks.fill.setup", L=seq_len, head=head, scale=factor, largest=float(scaled.abs().max()) * int(scale))
    )
    st.table(fill_table(outcomes, seq_len), hide_index=True)
    errors = {o.masked_fill_error for o in outcomes if o.masked_fill_error}
    for error in sorted(errors):
        st.caption(t("masks.fill.error_text", error=error))

    by_key = {(o.fill, str(o.dtype)): o for o in outcomes}
    inf32, big32 = by_key[(float("-inf"), "torch.float32")], by_key[(-1e9, "torch.float32")]
    big16 = by_key[(-1e9, "torch.float16")]
    small32, small16 = by_key[(-1e4, "torch.float32")], by_key[(-1e4, "torch.float16")]
    st.markdown(t("masks.fill.same32", inf=number(inf32.replace_leak), big=number(big32.replace_leak)))
    st.markdown(t("masks.fill.fully", n=seq_len, w=1 / seq_len))
    st.markdown(t("masks.fill.half", stored=fill_symbol(big16.stored)))
    st.markdown(float16_minimum_sentence())
    leaks = {"scale": factor, "leak16": number(small16.add_leak), "leak32": number(small32.add_leak)}
    if max(small16.add_leak, small32.add_leak) > 1e-3:
        st.warning(t("masks.fill.leaks", **leaks))
    else:
        st.caption(t("masks.fill.holds", **leaks))
    if seq_len < 2:
        st.info(t("masks.fill.too_short"))


def convention_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    prose(t("masks.convention.intro"))
    labels = position_labels(sequence.tokens)
    _, allowed = pattern_controls(labels)
    size = allowed.size(0)
    labels = labels[:size]
    demo = compare_conventions(
        cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings[:size], allowed
    )
    st.code(
        "sdpa = F.scaled_dot_product_attention\n"
        f"mha = nn.MultiheadAttention(d_model, heads, batch_first=True)  # {t('masks.convention.code.copied')}\n\n"
        f"sdpa(q, k, v, attn_mask=allowed)  # {t('masks.convention.code.may')}\n"
        f"mha(x, x, x, attn_mask=~allowed)  # {t('masks.convention.code.may_not')}\n"
        f"mha(x, x, x, attn_mask=allowed)   # {t('masks.convention.code.same')}",
        language="python",
    )
    allowed_np = allowed.numpy()
    charts = (
        ("sdpa", demo.sdpa, allowed_np),
        ("mha_inverted", demo.mha_inverted, allowed_np),
        ("mha_same", demo.mha_same, ~allowed_np),  # MultiheadAttention hides what we allowed
    )
    for column, (name, weights, visible) in zip(st.columns(3, gap="small"), charts, strict=True):
        show(
            column,
            weights_chart(weights[head].numpy(), visible, labels, t(f"masks.convention.{name}")),
            key=f"masks_chart_{name}",
        )
    left, right = st.columns(2)
    left.metric(t("masks.convention.diff_right"), number(demo.sdpa_vs_mha_inverted))
    right.metric(t("masks.convention.diff_wrong"), number(demo.sdpa_vs_mha_same))
    st.caption(t("masks.convention.ours", diff=number(demo.sdpa_vs_ours)))
    if demo.nan_rows["mha_same"]:
        st.warning(t("masks.convention.nan_same", n=demo.nan_rows["mha_same"]))
    if demo.nan_rows["mha_inverted"]:
        st.warning(t("masks.convention.nan_inverted", n=demo.nan_rows["mha_inverted"]))


def example_names() -> dict[str, str]:
    names = ("table", "x", "q", "k", "v", "mask", "weights", "head_outputs", "concat", "output")
    return {name: t(f"example.name.{name}") for name in names}


def toy_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    """The tutorials' toy run, batch dimension shown: each sample's weights per head, and its Q, K, V and output."""
    prose(t("masks.toy.intro"))
    run = toy_run(settings.seed)
    attention = run.attention
    positions = [str(i) for i in range(TOY_SEQ)]
    dims = [str(d) for d in range(TOY_D_K)]
    rows = [f"{h} · {i}" for h in range(TOY_HEADS) for i in range(TOY_SEQ)]  # [H·L]: head h, position i
    allowed = run.allowed.expand(TOY_BATCH, 1, TOY_SEQ, TOY_SEQ)[:, 0].numpy()  # [B, L, S]
    names = example_names()
    for b, column in enumerate(st.columns(TOY_BATCH, gap="medium")):
        column.markdown(f"**{t('masks.toy.sample', n=b)}**")
        for h, cell in enumerate(column.columns(TOY_HEADS, gap="small")):
            chart = weights_chart(
                attention.weights[b, h].numpy(), allowed[b], positions, t("masks.toy.weights", head=h), TOY_CHART_SIZE
            )
            show(cell, chart, key=f"masks_toy_weights_{b}_{h}")
        tensors = {"q": run.q, "k": run.k, "v": run.v, "output": attention.output}
        for tab, (name, tensor) in zip(column.tabs([names[name] for name in tensors]), tensors.items(), strict=True):
            matrix = tensor[b].reshape(TOY_HEADS * TOY_SEQ, -1).numpy()  # [H, L, d] → [H·L, d]
            title = t("masks.toy.tensor", name=names[name], n=b, rows=matrix.shape[0], cols=matrix.shape[1])
            figure = heatmap(
                to_long_df(matrix, rows, dims),
                kind="signed",
                title=title,
                x_title=t("axis.dim"),
                y_title=t("masks.toy.rows"),
                legend_title=t("axis.value"),
                size=TOY_CHART_SIZE,
                scale=chart_scale(),
            )
            show(tab, figure, key=f"masks_toy_{name}_{b}")
    sums = attention.weights.sum(dim=-1)
    st.caption(
        t(
            "masks.toy.check",
            largest=number(float(attention.weights[..., TOY_MASKED_KEY].max())),
            low=float(sums.min()),
            high=float(sums.max()),
        )
    )
    st.subheader(t("masks.toy.shapes.header"), anchor=False)
    sizes = toy_sizes(run)
    table, bars = st.columns([2, 3], gap="medium")
    table.table(
        shapes_table(sizes, names, tensor_title=t("example.tensor"), shape_title=t("example.shape")), hide_index=True
    )
    figure = dimension_bars(
        sizes,
        names,
        title=t("example.bars.title"),
        length_title=t("example.bars.length"),
        width_title=t("example.bars.width"),
        value_title=t("example.bars.value"),
    )
    show(bars, figure, key="masks_toy_bars")
    # A button, not a link: the Multi-head page reads its link parameters only on its first visit.
    if st.button(t("masks.toy.base_link"), key="masks_toy_base", icon=":material/view_module:"):
        st.session_state["mh_example"] = "base"
        st.switch_page("app_pages/multi_head.py")


# ── page ────────────────────────────────────────────────────────────────────

st.header(t("masks.title"), anchor=False)
prose(t("masks.intro"))
page_params(
    "masks",
    {
        "masks_view": choice_param(VIEWS, "patterns"),
        "masks_kind": choice_param(KINDS, "causal"),
        "masks_window": int_param(0, MAX_SEQ_LEN - 1, 1),
        "masks_block": int_param(1, MAX_SEQ_LEN, 3),
        "masks_stride": int_param(1, MAX_SEQ_LEN, 3),
        "masks_global": text_param("0"),
        "masks_cells": text_param(""),
        "masks_pad_mask": bool_param(True),
        "masks_scale": choice_param(SCORE_SCALES, "1"),
    },
)
mode, text, seq_len = sequence_controls()
d_k, heads = model_controls()
seed = seed_control()
settings = PlaygroundSettings(
    mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask="none", window=0, seed=seed
)
sequence = prepare_sequence(settings)
head = head_selector(heads) if heads > 1 else 0

causal = mask_builders.causal_mask(seq_len)
first_row = int(causal[0].sum())
predict_then_reveal(
    "masks_causal_first",
    t("predict.masks.question", L=seq_len),
    {str(count): str(count) for count in (0, 1, seq_len // 2, seq_len)},  # equal counts (L ≤ 2) merge
    str(first_row),
    lambda: st.markdown(
        t(
            "predict.masks.explain",
            first=first_row,
            last=int(causal[-1].sum()),
            allowed=int(causal.sum()),
            cells=seq_len * seq_len,
        )
    ),
)

view = st.segmented_control(
    t("masks.view"), VIEWS, format_func=lambda v: t(f"masks.view.{v}"), key="masks_view", **_PERSIST
)
{"patterns": patterns_view, "padding": padding_view, "fill": fill_view, "convention": convention_view, "toy": toy_view}[
    view or "patterns"
](sequence, settings, head)
