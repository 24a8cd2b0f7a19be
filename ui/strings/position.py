"""Strings of the “Position” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "position.title": {"en": "Position: attention does not see order", "zh": "位置：注意力本身看不到顺序"},
    "position.intro": {
        "en": "Self-attention compares every token with every other token, whatever their places. Shuffle the "
        "tokens and the outputs are shuffled the same way, with nothing else changed (permutation equivariance): "
        "“dog bites man” and “man bites dog” look alike. Adding a position encoding to each token's embedding "
        "breaks that symmetry. Every number below is computed live, without a mask.",
        "zh": "自注意力把每个词元与所有其他词元相比较，与它们所在的位置无关。打乱词元的顺序，输出也以同样的方式被打乱，"
        "除此之外没有任何变化（置换等变性）：“狗咬人”和“人咬狗”看起来一样。把位置编码加到每个词元的词嵌入上，"
        "就打破了这种对称性。下面的每个数字都是实时计算的，不使用掩码。",
    },
    "position.add": {"en": "Add sinusoidal position encoding", "zh": "加上正弦位置编码"},
    "position.add.help": {
        "en": "Input at position p = token embedding + PE[p]. The shuffled tokens get the PE of their new positions.",
        "zh": "位置 p 的输入 = 词嵌入 + PE[p]。打乱后的词元加上的是它们新位置的位置编码。",
    },
    "position.shuffle": {"en": "Shuffle seed", "zh": "打乱的随机种子"},
    "position.shuffle.help": {
        "en": "Chooses the shuffle; the same seed gives the same order.",
        "zh": "决定如何打乱；相同的种子得到相同的顺序。",
    },
    "position.table.original": {"en": "original", "zh": "原顺序"},
    "position.table.shuffled": {"en": "shuffled", "zh": "打乱后"},
    "position.table.from": {"en": "came from position", "zh": "原来的位置"},
    "position.one_token": {
        "en": "With one token there is nothing to shuffle; use a longer sequence.",
        "zh": "只有一个词元时没有什么可打乱的；请使用更长的序列。",
    },
    "position.chart.after": {"en": "Attend, then shuffle the outputs", "zh": "先做注意力，再打乱输出"},
    "position.chart.before": {"en": "Shuffle the tokens, then attend", "zh": "先打乱词元，再做注意力"},
    "position.chart.diff": {"en": "Difference (middle − left)", "zh": "差值（中图 − 左图）"},
    "position.axis.shuffled": {"en": "shuffled position", "zh": "打乱后的位置"},
    "position.dims_cut": {
        "en": "Showing the first {shown} of d_model = {d_model} dimensions; the differences below cover all of them.",
        "zh": "只显示 d_model = {d_model} 个维度中的前 {shown} 个；下面的差值覆盖全部维度。",
    },
    "position.metric.output": {"en": "Max |difference| of the outputs", "zh": "输出的最大 |差值|"},
    "position.metric.weights": {
        "en": "Max |difference| of the attention weights (all heads)",
        "zh": "注意力权重的最大 |差值|（所有头）",
    },
    "position.equivariant": {
        "en": "Equal up to float rounding ({diff:.1e}): the shuffled sentence gives the same outputs, only reordered. "
        "Self-attention cannot tell the two orders apart.",
        "zh": "在浮点舍入误差范围内相等（{diff:.1e}）：打乱后的句子得到同样的输出，只是顺序变了。"
        "自注意力分不清这两种顺序。",
    },
    "position.broken": {
        "en": "The outputs differ by up to {diff:.3g}: each token now carries its position, so the shuffled "
        "sentence is a different input, not just a reordering.",
        "zh": "输出最多相差 {diff:.3g}：每个词元现在都带有自己的位置信息，"
        "所以打乱后的句子是一个不同的输入，而不只是重新排列。",
    },
    "position.why": {
        "en": "Why: the scores Q·Kᵀ and the weighted sum over V depend only on which tokens meet, not on where "
        "they stand; a causal mask would also reveal order, so none is used here.",
        "zh": "原因：得分 Q·Kᵀ 和对 V 的加权求和只取决于哪些词元相遇，而不取决于它们的位置；"
        "因果掩码也会暴露顺序，所以这里不使用掩码。",
    },
    "position.pe.title": {"en": "The sinusoidal position encoding", "zh": "正弦位置编码"},
    "position.span": {"en": "Positions shown", "zh": "显示的位置数"},
    "position.chart.pe": {"en": "PE[pos, dim]", "zh": "位置编码 PE[pos, dim]"},
    "position.chart.similarity": {"en": "PE[i] · PE[j]", "zh": "点积 PE[i] · PE[j]"},
    "position.axis.pos": {"en": "position", "zh": "位置"},
    "position.axis.pos_j": {"en": "position j", "zh": "位置 j"},
    "position.pe.caption": {
        "en": "Each pair of columns is a sine and a cosine of one frequency: fast in the first dimensions, slower "
        "and slower to the right, so every position gets its own pattern. The first {L} rows are what is added "
        "to the sentence above (d_model = {d_model}).",
        "zh": "每两列是同一频率的正弦和余弦：前面的维度变化快，越往右越慢，因此每个位置都有自己独特的模式。"
        "前 {L} 行就是加到上面句子上的编码（d_model = {d_model}）。",
    },
    "position.similarity.even": {
        "en": "PE[i]·PE[j] = Σ cos(ω·(i − j)) depends only on the distance i − j: measured, the values along each "
        "diagonal differ by at most {spread:.1e}.",
        "zh": "PE[i]·PE[j] = Σ cos(ω·(i − j)) 只取决于距离 i − j：实测每条对角线上的值最多相差 {spread:.1e}。",
    },
    "position.similarity.odd": {
        "en": "d_model is odd, so the last sine column has no cosine partner and PE[i]·PE[j] no longer depends on "
        "i − j alone: the values along a diagonal differ by up to {spread:.1e}.",
        "zh": "d_model 是奇数，最后一个正弦列没有对应的余弦列，PE[i]·PE[j] 不再只取决于 i − j："
        "同一条对角线上的值最多相差 {spread:.1e}。",
    },
    "position.code": {"en": "The code that computes the encoding", "zh": "计算位置编码的代码"},
}
