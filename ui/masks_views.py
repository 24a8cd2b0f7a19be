"""The Masks page's parts beyond the patterns: padding a batch, −∞ or −1e9, PyTorch's two bool conventions, and
the tutorials' toy run. Each part reads its controls, calls core, and draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from torch import Tensor

from core.mask_effects import (
    FillOutcome,
    add_float16_minimum,
    attend_padded_batch,
    classify_row,
    compare_conventions,
    compare_fills,
)
from core.masks import causal_mask
from core.pipeline import self_attention
from core.tokens import PAD_TOKEN, embed_tokens, fit_to_length, tokenize
from core.tutorial_examples import TOY_BATCH, TOY_D_K, TOY_HEADS, TOY_MASKED_KEY, TOY_SEQ, toy_run, toy_sizes
from ui.cache import cached_model
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.masks import CHART_SIZE, mask_chart, weights_chart
from ui.controls import PERSIST, PlaygroundSettings
from ui.i18n import language, t
from ui.masks_controls import pattern_controls
from ui.presenter import chart_scale, prose
from ui.sequence import TokenSequence
from ui.tutorial_examples_views import sizes_view

SCORE_SCALES = ("1", "10", "100", "1000", "10000")
# Where finfo(float16).min + score overflows (the sum passes −65504 − 16), and a fully masked row past it.
FLOAT16_EDGE_SCORES = (-15.0, -16.0)
FLOAT16_MASKED_ROW = (-16.0, -30.0)
TOY_CHART_SIZE = 150
# Two more sentences of other lengths for the padding batch; the first is the sidebar's sequence.
EXAMPLE_SENTENCES = {
    "en": ("Masks hide keys", "Padding fills the shorter sentences"),
    "zh": ("掩码遮住键", "短句用填充补齐到同样长度"),
}


def number(value: float) -> str:
    """A measured number for a sentence: exact zeros stay "0", the rest 3 significant digits."""
    return "0" if value == 0 else f"{value:.3g}"


def warn_fully_masked(rows: tuple[int, ...] | list[int]) -> None:
    if rows:
        st.warning(t("msg.fully_masked", rows=", ".join(str(i) for i in rows)))


# ── padding a batch ─────────────────────────────────────────────────────────


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
    use_mask = st.toggle(t("masks.padding.toggle"), key="masks_pad_mask", **PERSIST)
    tokens, embeddings = batch_sentences(sequence, settings)
    batch = attend_padded_batch(
        cached_model(settings.d_k, settings.heads, settings.seed), embeddings, use_mask=use_mask
    )
    length = batch.padded_len
    real = batch.key_mask[:, 0, 0].numpy()  # [B, L]
    sentence_names = [t("masks.padding.sentence", n=b + 1, length=n) for b, n in enumerate(batch.lengths)]
    row_names = [t("masks.padding.row", n=b + 1) for b in range(len(tokens))]
    scale, lang = chart_scale(), language()
    figure = mask_chart(
        real,
        row_names,
        [str(i) for i in range(length)],
        title=t("masks.padding.mask_chart"),
        legend_title=t("masks.legend.allowed"),
        scale=scale,
        lang=lang,
        size=max(CHART_SIZE, 24 * length),
    )
    show(st, figure, key="masks_chart_padding_mask")
    st.caption(t("masks.padding.shape", B=len(tokens), L=length))

    columns = st.columns(len(tokens), gap="small")
    for b, (column, words) in enumerate(zip(columns, tokens, strict=True)):
        labels = position_labels(fit_to_length(words, length))
        allowed = np.broadcast_to(real[b] if use_mask else np.ones(length, dtype=bool), (length, length))
        weights = batch.result.attention.weights[b, head].numpy()
        figure = weights_chart(weights, allowed, labels, title=sentence_names[b], scale=scale, lang=lang)
        show(column, figure, key=f"masks_chart_batch_{b}")

    left, right = st.columns(2)
    left.metric(t("masks.padding.pad_weight"), number(batch.max_pad_weight))
    right.metric(t("masks.padding.diff"), number(batch.max_diff_real))
    if use_mask:
        st.success(t("masks.padding.with_mask", pad=PAD_TOKEN))
    else:
        st.warning(t("masks.padding.without_mask", pad=PAD_TOKEN))
    prose(t("masks.padding.pad_queries", pad=PAD_TOKEN))
    empty = [b + 1 for b, n in enumerate(batch.lengths) if n == 0]
    if empty and use_mask:
        st.warning(t("masks.padding.empty", sentences=", ".join(map(str, empty))))


# ── −∞ or −1e9 ──────────────────────────────────────────────────────────────


def signed(value: float) -> str:
    return "−∞" if value == float("-inf") else f"{value:g}".replace("-", "−")


def float16_minimum_sentence() -> str:
    """finfo(float16).min added to scores just above and below −16 (where the sum overflows), then a fully
    masked row of such scores, each value computed in float16."""
    edge = add_float16_minimum(FLOAT16_EDGE_SCORES)
    row = add_float16_minimum(FLOAT16_MASKED_ROW)

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


def fill_cell(leak: float, nan_count: int) -> str:
    text = number(leak)
    return text + (" " + t("masks.fill.nan_rows", n=nan_count) if nan_count else "")


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
    causal = causal_mask(seq_len)
    scale = st.select_slider(
        t("masks.fill.scale"),
        SCORE_SCALES,
        format_func=lambda s: f"× {int(s):,}",
        key="masks_scale",
        help=t("masks.fill.scale.help"),
        **PERSIST,
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


# ── True means…? ────────────────────────────────────────────────────────────


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
    scale, lang = chart_scale(), language()
    for column, (name, weights, visible) in zip(st.columns(3, gap="small"), charts, strict=True):
        title = t(f"masks.convention.{name}")
        figure = weights_chart(weights[head].numpy(), visible, labels, title=title, scale=scale, lang=lang)
        show(column, figure, key=f"masks_chart_{name}")
    left, right = st.columns(2)
    left.metric(t("masks.convention.diff_right"), number(demo.sdpa_vs_mha_inverted))
    right.metric(t("masks.convention.diff_wrong"), number(demo.sdpa_vs_mha_same))
    st.caption(t("masks.convention.ours", diff=number(demo.sdpa_vs_ours)))
    if demo.nan_rows["mha_same"]:
        st.warning(t("masks.convention.nan_same", n=demo.nan_rows["mha_same"]))
    if demo.nan_rows["mha_inverted"]:
        st.warning(t("masks.convention.nan_inverted", n=demo.nan_rows["mha_inverted"]))


# ── the tutorials' toy run ──────────────────────────────────────────────────


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
    scale, lang = chart_scale(), language()
    for b, column in enumerate(st.columns(TOY_BATCH, gap="medium")):
        column.markdown(f"**{t('masks.toy.sample', n=b)}**")
        for h, cell in enumerate(column.columns(TOY_HEADS, gap="small")):
            weights = attention.weights[b, h].numpy()
            title = t("masks.toy.weights", head=h)
            chart = weights_chart(
                weights, allowed[b], positions, title=title, scale=scale, lang=lang, size=TOY_CHART_SIZE
            )
            show(cell, chart, key=f"masks_toy_weights_{b}_{h}")
        tensors = {"q": run.q, "k": run.k, "v": run.v, "output": attention.output}
        for tab, (name, tensor) in zip(column.tabs([names[name] for name in tensors]), tensors.items(), strict=True):
            matrix = tensor[b].reshape(TOY_HEADS * TOY_SEQ, -1).numpy()  # [H, L, d] → [H·L, d]
            title = t("masks.toy.tensor", name=names[name], n=b, rows=matrix.shape[0], cols=matrix.shape[1])
            figure = attention_heatmap(
                matrix,
                rows,
                dims,
                kind="signed",
                title=title,
                scale=scale,
                lang=lang,
                x_title=t("axis.dim"),
                y_title=t("masks.toy.rows"),
                size=TOY_CHART_SIZE,
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
    sizes_view(toy_sizes(run), names, key="masks_toy_bars")
    # A button, not a link: the Multi-head page reads its link parameters only on its first visit.
    if st.button(t("masks.toy.base_link"), key="masks_toy_base", icon=":material/view_module:"):
        st.session_state["mh_example"] = "base"
        st.switch_page("app_pages/multi_head.py")
