"""Strings of the “Common mistakes” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "mistakes.title": {"en": "Common mistakes", "zh": "常见错误"},
    "mistakes.intro": {
        "en": "Pick a mistake: the page runs the broken computation next to the right one, on the sidebar's "
        "sentence and settings, and measures what breaks.",
        "zh": "选择一种错误：本页在侧边栏的句子和设置上，把出错的计算与正确的计算并排运行，并测量哪里出了问题。",
    },
    "mistakes.pick": {"en": "Mistake", "zh": "错误类型"},
    "mistakes.kind.no_scaling": {"en": "No scaling", "zh": "忘记缩放"},
    "mistakes.kind.softmax_over_queries": {"en": "Softmax over the wrong axis", "zh": "softmax 用错维度"},
    "mistakes.kind.mask_after_softmax": {"en": "Mask after softmax", "zh": "softmax 之后才加掩码"},
    "mistakes.kind.scale_by_d_model": {"en": "Scaling by d_model", "zh": "用 d_model 缩放"},
    "mistakes.what.no_scaling": {
        "en": "The scores are not divided by √d_k.",
        "zh": "得分没有除以 √d_k。",
    },
    "mistakes.what.softmax_over_queries": {
        "en": "The softmax runs over the queries (dim=−2, down each column) instead of over the keys "
        "(dim=−1, along each row).",
        "zh": "softmax 沿查询方向（dim=−2，每一列）计算，而不是沿键方向（dim=−1，每一行）。",
    },
    "mistakes.what.mask_after_softmax": {
        "en": "The softmax runs over every key, and only then are the masked weights set to 0 "
        "(weights × mask), instead of setting masked scores to −∞ before the softmax.",
        "zh": "先对所有键做 softmax，之后才把被遮蔽的权重置为 0（权重 × 掩码），"
        "而不是在 softmax 之前把被遮蔽的得分设为 −∞。",
    },
    "mistakes.what.scale_by_d_model": {
        "en": "The scores are divided by √d_model (all heads together) instead of by √d_k (one head).",
        "zh": "得分除以 √d_model（所有头加在一起的维度），而不是 √d_k（单个头的维度）。",
    },
    "mistakes.right": {"en": "Right", "zh": "正确"},
    "mistakes.wrong": {"en": "With the mistake", "zh": "出错"},
    "mistakes.causal_used": {
        "en": "This mistake is about masking, and the sidebar's mask is “none”, so both sides use the causal mask.",
        "zh": "这个错误与掩码有关，而侧边栏的掩码为“无”，所以两侧都使用因果掩码。",
    },
    "mistakes.chart.correct": {"en": "Right: weights (row sums in Σ)", "zh": "正确的权重（Σ 列为行和）"},
    "mistakes.chart.broken": {"en": "With the mistake: weights (row sums in Σ)", "zh": "出错后的权重（Σ 列为行和）"},
    "mistakes.head": {
        "en": "Head {head} of {heads}; grey = masked. Hover a cell for its exact value.",
        "zh": "第 {head} 个头（共 {heads} 个）；灰色 = 已遮蔽。将鼠标悬停在格子上可查看精确值。",
    },
    # Diagnostics table
    "mistakes.col.measure": {"en": "measured (all heads)", "zh": "测量项（所有头）"},
    "mistakes.col.correct": {"en": "right", "zh": "正确"},
    "mistakes.col.broken": {"en": "with the mistake", "zh": "出错"},
    "mistakes.row.row_sums": {"en": "row sums, min – max", "zh": "行和，最小 – 最大"},
    "mistakes.row.column_sums": {"en": "column sums, min – max", "zh": "列和，最小 – 最大"},
    "mistakes.row.forbidden_weight": {"en": "largest weight on a masked key", "zh": "被遮蔽的键上的最大权重"},
    "mistakes.row.influence": {
        "en": "largest change of an output when a token it may not see changes",
        "zh": "改变一个不允许看到的词元时，输出的最大变化",
    },
    "mistakes.row.output_difference": {
        "en": "largest |output − right output|",
        "zh": "|输出 − 正确输出| 的最大值",
    },
    "mistakes.row.entropy": {"en": "mean row entropy of the weights (nats)", "zh": "权重每行的平均熵（奈特）"},
    "mistakes.row.scale": {"en": "scale factor", "zh": "缩放因子"},
    "mistakes.not_distribution": {"en": "— (rows are not distributions)", "zh": "—（各行不是概率分布）"},
    "mistakes.influence.how": {
        "en": "How the leak is measured: each token j in turn gets fresh random q, k and v; the table reports the "
        "largest change of any output i that may not attend to j (j ≠ i). Right attention gives exactly 0.",
        "zh": "泄漏的测量方法：依次把每个词元 j 的 q、k、v 换成新的随机向量，表中报告不允许关注 j 的任一输出 i(j ≠ i)"
        "的最大变化。正确的注意力得到的恰好是 0。",
    },
    # What breaks, with the live numbers
    "mistakes.breaks.no_scaling": {
        "en": "Without 1/√d_k the scores have variance ≈ d_k = {d_k} instead of ≈ 1, so the softmax is peakier: "
        "mean row entropy {entropy:.3f} nats instead of {correct_entropy:.3f}, and the outputs move by up to "
        "{difference:.3f}. The rows still sum to 1 and nothing leaks, so no check of sums or masks catches "
        "it; training suffers (see the lesson “Why √d_k”).",
        "zh": "没有 1/√d_k 时，得分的方差约为 d_k = {d_k}，而不是约 1，所以 softmax 更尖锐："
        "每行的平均熵为 {entropy:.3f} "
        "奈特，而正确的是 {correct_entropy:.3f}；输出最多偏差 {difference:.3f}。各行之和仍为 1，也没有泄漏，"
        "所以检查行和或掩码都发现不了它；受影响的是训练（见“为什么除以 √d_k”一课）。",
    },
    "mistakes.breaks.no_scaling.d_k_1": {
        "en": "With d_k = 1, √d_k = 1 and this mistake changes nothing (largest output difference {difference:.3g}). "
        "Raise d_k in the sidebar to see it.",
        "zh": "d_k = 1 时 √d_k = 1，这个错误不改变任何结果（输出最大差 {difference:.3g}）。请在侧边栏增大 d_k。",
    },
    "mistakes.breaks.softmax_over_queries": {
        "en": "softmax(dim=−2) normalises each column: the column sums are {col_low:.4f} – {col_high:.4f}, but "
        "the row sums range from {row_low:.4f} to {row_high:.4f}, so a query's weights are no longer a "
        "distribution and its output is no longer a weighted average of the values.",
        "zh": "softmax(dim=−2) 把每一列归一化：列和为 {col_low:.4f} – {col_high:.4f}，但行和在 {row_low:.4f} 到 "
        "{row_high:.4f} 之间，所以一个查询的权重不再是概率分布，它的输出也不再是值的加权平均。",
    },
    "mistakes.breaks.softmax_over_queries.nan_rows": {
        "en": "softmax(dim=−2) normalises each column: the column sums are {col_low:.4f} – {col_high:.4f} where "
        "some query may see the key, but the rows now hold NaN (below), so no query's weights are a distribution.",
        "zh": "softmax(dim=−2) 把每一列归一化：在有查询可以看到该键的列上，列和为 {col_low:.4f} – {col_high:.4f}；"
        "但各行中出现了 NaN（见下文），所以没有一个查询的权重是概率分布。",
    },
    "mistakes.breaks.softmax_over_queries.leak": {
        "en": "Each column is normalised over the scores of other queries, so a query's weights depend on "
        "other queries, and through them on tokens it may not see: changing one moves an output by up to "
        "{influence:.4f} (the output of {query} when {token} changes; right attention: {correct_influence:.4f}).",
        "zh": "每一列都在其他查询的得分上归一化，所以一个查询的权重依赖于其他查询，并由此依赖于它不允许看到的词元："
        "改变这样一个词元，输出最多变化 {influence:.4f}"
        "（改变 {token} 时 {query} 的输出；正确的注意力：{correct_influence:.4f}）。",
    },
    "mistakes.breaks.softmax_over_queries.causal": {
        "en": "Under the causal mask, column j is normalised over every query from j on, later ones included: "
        "the future leaks into the past. Changing a later token moves an earlier output by up to "
        "{influence:.4f} (the output of {query} when {token} changes; right attention: {correct_influence:.4f}).",
        "zh": "在因果掩码下，第 j 列在从 j 开始的所有查询上归一化，其中包括后面的查询：未来的信息泄漏到了过去。"
        "改变一个后面的词元，前面的输出最多变化 {influence:.4f}"
        "（改变 {token} 时 {query} 的输出；正确的注意力：{correct_influence:.4f}）。",
    },
    "mistakes.breaks.mask_after_softmax": {
        "en": "The weights on masked keys are {forbidden:.4f}, so the heatmap looks right. But the rows sum to "
        "{row_low:.4f} – {row_high:.4f} instead of 1, and every weight was divided by a sum that included the "
        "masked keys: changing a token a query may not see moves its output by up to {influence:.4f} "
        "(the output of {query} when {token} changes; right attention: {correct_influence:.4f}).",
        "zh": "被遮蔽的键上的权重为 {forbidden:.4f}，所以热力图看起来是对的。但行和为 {row_low:.4f} – {row_high:.4f}，"
        "而不是 1；而且每个权重都除以了包含被遮蔽键的总和：改变一个查询不允许看到的词元，它的输出最多变化 "
        "{influence:.4f}（改变 {token} 时 {query} 的输出；"
        "正确的注意力：{correct_influence:.4f}）。",
    },
    "mistakes.breaks.mask_after_softmax.causal": {
        "en": "Under the causal mask this is the future leaking into the past, through the softmax's denominator.",
        "zh": "在因果掩码下，这就是未来的信息通过 softmax 的分母泄漏到了过去。",
    },
    "mistakes.breaks.mask_after_softmax.no_effect": {
        "en": "This mask hides nothing here (every query may see every key), so the mistake changes nothing. "
        "Choose the causal mask, or pad the sentence and choose the padding mask.",
        "zh": "这里的掩码没有遮蔽任何东西（每个查询都能看到所有键），所以这个错误不改变结果。请选择因果掩码，"
        "或者填充句子并选择填充掩码。",
    },
    "mistakes.breaks.scale_by_d_model": {
        "en": "d_model = heads × d_k = {heads} × {d_k} = {d_model}, so the scale 1/√{d_model} = {wrong:.4f} is "
        "smaller than 1/√{d_k} = {right:.4f}. The weights are flatter: mean row entropy {entropy:.3f} nats "
        "instead of {correct_entropy:.3f}, and the outputs move by up to {difference:.3f}. The error grows "
        "with the number of heads.",
        "zh": "d_model = 头数 × d_k = {heads} × {d_k} = {d_model}，所以缩放因子 1/√{d_model} = {wrong:.4f} 小于 "
        "1/√{d_k} = {right:.4f}。权重更平坦：每行的平均熵为 {entropy:.3f} 奈特，而正确的是 {correct_entropy:.3f}；"
        "输出最多偏差 {difference:.3f}。头数越多，误差越大。",
    },
    "mistakes.breaks.scale_by_d_model.one_head": {
        "en": "With one head d_model = d_k, so this mistake changes nothing here (largest output difference "
        "{difference:.3g}). Choose 2 or more heads in the sidebar.",
        "zh": "只有一个头时 d_model = d_k，所以这个错误在这里不改变结果（输出最大差 {difference:.3g}）。"
        "请在侧边栏选择 2 个或更多的头。",
    },
    "mistakes.nan": {
        "en": "{count} weights are NaN: a key that no query may see (here, padding) has a column of −∞ only, and "
        "softmax down that column is 0/0. The NaN spreads into the outputs ({outputs} NaN output values). "
        "The heatmap shows those cells grey.",
        "zh": "有 {count} 个权重是 NaN：没有任何查询可以看到的键（这里是填充）所在的列全是 −∞，"
        "沿这一列做 softmax 就是 0/0。NaN 会扩散到输出中（输出中有 {outputs} 个 NaN）。热力图中这些格子显示为灰色。",
    },
    "mistakes.code": {"en": "The code of the mistake", "zh": "出错的代码"},
}
