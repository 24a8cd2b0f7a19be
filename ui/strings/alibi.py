"""Strings of the “ALiBi” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.alibi": {"en": "ALiBi", "zh": "线性偏置 ALiBi"},
    "alibi.title": {"en": "ALiBi: a distance penalty instead of positions", "zh": "ALiBi：用距离惩罚代替位置编码"},
    "alibi.intro": {
        "en": "ALiBi (Press et al. 2022, “Train Short, Test Long”; used by BLOOM and MPT) adds no position vector at "
        "all. Each head subtracts m_h·(i − j) from the score of query i and key j: the further back a key, the "
        "larger the penalty. The heads' slopes m_h form a geometric sequence, so some heads look far and some "
        "near. The bias is just a float mask added to the scaled scores, with −∞ above the diagonal (causal). "
        "Every number below is computed live (random weights, no training).",
        "zh": "ALiBi（Press 等，2022,“Train Short, Test Long”;BLOOM 和 MPT 在用）完全不加位置向量。"
        "每个头从查询 i 对键 j 的得分中减去 m_h·（i − j）：键越靠前，惩罚越大。各头的斜率 m_h 是等比数列，"
        "所以有的头看得远，有的头看得近。这个偏置就是加到缩放得分上的浮点掩码，对角线以上为 −∞（因果）。"
        "下面的每个数字都是实时计算的（随机权重，未经训练）。",
    },
    "alibi.compare": {"en": "Show the weights without ALiBi too", "zh": "同时显示不加 ALiBi 的权重"},
    "alibi.compare.help": {
        "en": "The same q, k, v with the causal mask only: no position information at all.",
        "zh": "同样的 q、k、v，只用因果掩码：完全没有位置信息。",
    },
    "alibi.slopes.title": {"en": "2 · The slopes of the {H} heads", "zh": "2 · {H} 个头的斜率"},
    "alibi.slopes.caption": {
        "en": "m_h = 2^(−8h/H): for H = {H} they start at {first:.4g} and end at {last:.4g}, each {ratio:.4g} times "
        "the one before. With H = 8 they are 1/2, 1/4, …, 1/256, the paper's values.",
        "zh": "m_h = 2^(−8h/H):H = {H} 时从 {first:.4g} 开始到 {last:.4g} 结束，每个是前一个的 {ratio:.4g} 倍。"
        "H = 8 时就是论文中的 1/2, 1/4, …, 1/256。",
    },
    "alibi.slopes.single": {
        "en": "One head gets m = 2^(−8) = {first:.4g}: a gentle penalty. With H = 8 the slopes are 1/2, 1/4, …, "
        "1/256, the paper's values.",
        "zh": "只有一个头时 m = 2^(−8) = {first:.4g}：惩罚很轻。H = 8 时斜率是 1/2, 1/4, …, 1/256，即论文中的值。",
    },
    "alibi.slopes.not_power": {
        "en": "H = {H} is not a power of 2: as in the paper's code, the first {below} slopes are those of {below} "
        "heads and the rest are every other slope of {twice} heads.",
        "zh": "H = {H} 不是 2 的幂：按论文代码的做法，前 {below} 个斜率取 {below} 个头的斜率，"
        "其余取 {twice} 个头的斜率中每隔一个的值。",
    },
    "alibi.table.head": {"en": "head", "zh": "头"},
    "alibi.table.slope": {"en": "slope m", "zh": "斜率 m"},
    "alibi.table.power": {"en": "as a power of 2", "zh": "写成 2 的幂"},
    "alibi.table.with": {"en": "mean distance looked back, ALiBi", "zh": "平均回看距离（ALiBi）"},
    "alibi.table.without": {"en": "mean distance, no ALiBi", "zh": "平均回看距离（无 ALiBi）"},
    "alibi.head.title": {"en": "1 · Head {h}: bias beside weights", "zh": "1 · 第 {h} 个头：偏置与权重"},
    "alibi.chart.bias": {"en": "Bias −m·(i − j), m = {m:.4g}", "zh": "偏置 −m·(i − j),m = {m:.4g}"},
    "alibi.chart.weights": {"en": "Weights with ALiBi", "zh": "加 ALiBi 的权重"},
    "alibi.chart.without": {"en": "Weights without ALiBi (causal only)", "zh": "不加 ALiBi 的权重（只有因果掩码）"},
    "alibi.nearer": {
        "en": "In head {h} (slope {m:.4g}) a query looks back {with_:.2f} tokens on average with ALiBi and "
        "{without:.2f} without: the penalty pulls attention nearer.",
        "zh": "在第 {h} 个头（斜率 {m:.4g}）中，加 ALiBi 时查询平均回看 {with_:.2f} 个词元，不加时为 {without:.2f}："
        "惩罚把注意力拉近了。",
    },
    "alibi.same": {
        "en": "In head {h} every query looks back {with_:.2f} tokens on average, with or without ALiBi: with one "
        "token there is no distance to penalise.",
        "zh": "在第 {h} 个头中，无论加不加 ALiBi，查询平均都回看 {with_:.2f} 个词元：只有一个词元时没有距离可惩罚。",
    },
    "alibi.parity": {
        "en": "The same bias given to torch.nn.functional.scaled_dot_product_attention as a float attn_mask: the "
        "outputs differ by at most {diff:.1e}.",
        "zh": "把同一个偏置作为浮点 attn_mask 传给 torch.nn.functional.scaled_dot_product_attention："
        "输出最多相差 {diff:.1e}。",
    },
    "alibi.trained": {
        "en": "Why it extrapolates (the paper's claim, for trained models): the penalty is defined for any distance, "
        "so a model trained on 1024 tokens can be run on longer inputs; these random weights cannot show that.",
        "zh": "为什么能外推（论文针对训练好的模型的结论）：惩罚对任意距离都有定义，所以在 1024 个词元上训练的模型"
        "可以用在更长的输入上；这里的随机权重无法展示这一点。",
    },
    "alibi.code": {"en": "The code that computes the slopes and the bias", "zh": "计算斜率和偏置的代码"},
    "predict.alibi.question": {
        "en": "In head {h} (the steepest slope, {m:.4g}), does the last token give the first token more or less "
        "weight with ALiBi than without?",
        "zh": "在第 {h} 个头（斜率最陡，{m:.4g}）中，与不加 ALiBi 相比，最后一个词元给第一个词元的权重是更多还是更少?",
    },
    "predict.alibi.more": {"en": "More", "zh": "更多"},
    "predict.alibi.less": {"en": "Less", "zh": "更少"},
    "predict.alibi.same": {"en": "The same", "zh": "一样"},
    "predict.alibi.explain": {
        "en": "Measured: {with_:.4f} with ALiBi, {without:.4f} without. The first token is {d} positions back, so "
        "its score loses {penalty:.3g} before the softmax.",
        "zh": "实测：加 ALiBi 时为 {with_:.4f}，不加时为 {without:.4f}。第一个词元在 {d} 个位置之前，"
        "所以它的得分在 softmax 之前减少了 {penalty:.3g}。",
    },
}
