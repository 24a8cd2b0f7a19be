"""Strings of the playground's padding notice: how much weight the <pad> tokens get, and the mask that hides them."""

STRINGS: dict[str, dict[str, str]] = {
    "pg.pads.attended": {
        "en": "{pads} of the {L} tokens are {pad}: L is longer than the sentence's {n} tokens. Without the padding "
        "mask the sentence's rows attend to them: each {pad} gets {weight} of a row's weight, {share:.0%} of every "
        "row in all (mean of the {n} rows, head {head}).",
        "zh": "{L} 个词元中有 {pads} 个是 {pad}：L 比句子的 {n} 个词元长。没有填充掩码时，句子的每一行都会关注它们："
        "每个 {pad} 分到一行权重的 {weight}，合计占每行权重的 {share:.0%}（{n} 行的平均值，头 {head}）。",
    },
    "pg.pads.ignored": {
        "en": "{pads} of the {L} tokens are {pad}. With the {mask} mask they get 0 of the sentence's weight: its {n} "
        "rows attend to its own tokens only.",
        "zh": "{L} 个词元中有 {pads} 个是 {pad}。使用{mask}掩码时，它们从句子得到的权重为 0："
        "句子的 {n} 行只关注句子自己的词元。",
    },
    "pg.pads.use_mask": {"en": "Use the padding mask", "zh": "使用填充掩码"},
}
