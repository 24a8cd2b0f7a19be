"""Strings of the “Why √d_k” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "scale.title": {"en": "Why divide by √d_k?", "zh": "为什么要除以 √d_k?"},
    "scale.intro": {
        "en": "A dot product of two d_k-dimensional vectors with unit-variance entries has variance d_k. "
        "Without scaling, bigger heads feed the softmax ever larger scores: it saturates (one weight near 1, "
        "the rest near 0), and for the typical row the gradient flowing back through it vanishes. Dividing by "
        "√d_k brings the variance back to 1 for every d_k. Every number on this page is measured live.",
        "zh": "两个 d_k 维、各分量方差为 1 的向量，其点积的方差是 d_k。如果不缩放，d_k 越大，"
        "送入 softmax 的得分就越大："
        "softmax 趋于饱和（一个权重接近 1，其余接近 0），对典型的一行来说，反向穿过它的梯度会消失。除以 √d_k 后，"
        "无论 d_k 多大，方差都回到 1。本页的每个数字都是实时测量的。",
    },
    # 1. The sweep
    "scale.sweep.header": {"en": "1 · Measured for d_k = 1, 2, 4, …, 512", "zh": "1 · 对 d_k = 1, 2, 4, …, 512 的实测"},
    "scale.sweep.caption": {
        "en": "Each point: {queries} queries, each scored against its own {keys} keys, with q and k entries drawn "
        "from N(0, 1) (as the app's projections produce) using the sidebar's seed {seed}. Dotted lines mark "
        "the two values of d_k compared in part 2.",
        "zh": "每个点：{queries} 个查询，每个查询与各自的 {keys} 个键计算得分；q 和 k 的分量取自 N(0, 1)"
        "（与本应用的投影得到的分布相同），使用侧边栏的随机种子 {seed}。虚线标出第 2 部分比较的两个 d_k。",
    },
    "scale.chart.variance": {"en": "Variance of the scores", "zh": "得分的方差"},
    "scale.chart.max_weight": {"en": "Mean largest softmax weight", "zh": "平均最大 softmax 权重"},
    "scale.chart.entropy": {"en": "Mean row entropy of the weights", "zh": "权重每行的平均熵"},
    "scale.chart.score_gradient": {
        "en": "Gradient reaching q·k (median row)",
        "zh": "传到 q·k 的梯度（中位数行）",
    },
    "scale.axis.d_k": {"en": "d_k (log scale)", "zh": "d_k（对数刻度）"},
    "scale.axis.variance": {"en": "variance (log scale)", "zh": "方差（对数刻度）"},
    "scale.axis.max_weight": {"en": "largest weight", "zh": "最大权重"},
    "scale.axis.entropy": {"en": "entropy (nats)", "zh": "熵（奈特）"},
    "scale.axis.score_gradient": {"en": "‖∂p/∂(q·k)‖_F (log scale)", "zh": "‖∂p/∂(q·k)‖_F（对数刻度）"},
    "scale.legend": {"en": "softmax of", "zh": "softmax 的输入"},
    "scale.setting.unscaled": {"en": "q·k (unscaled)", "zh": "q·k（不缩放）"},
    "scale.setting.scaled": {"en": "q·k/√d_k (scaled)", "zh": "q·k/√d_k（缩放）"},
    "scale.sweep.unscaled": {
        "en": "**Unscaled**, from d_k = 1 to {d_max}: the variance of q·k {variance} (≈ d_k); the mean largest "
        "weight {max_weight}; the mean entropy {entropy} nats (uniform over {keys} keys would be "
        "ln {keys} = {ent_uniform:.3f}); the median gradient reaching q·k {gradient}.",
        "zh": "**不缩放**时，d_k 从 1 增大到 {d_max}:q·k 的方差{variance}（≈ d_k）；平均最大权重{max_weight}；"
        "平均熵{entropy} 奈特（{keys} 个键上的均匀分布为 ln {keys} = {ent_uniform:.3f}）；"
        "传到 q·k 的梯度的中位数{gradient}。",
    },
    "scale.sweep.scaled": {
        "en": "**Scaled** by 1/√d_k: the variance stays between {var_low:.3f} and {var_high:.3f}, the largest "
        "weight between {max_low:.3f} and {max_high:.3f} and the entropy between {ent_low:.3f} and {ent_high:.3f} "
        "nats; the median gradient reaching q·k {gradient}, because the chain rule multiplies it by the "
        "scale 1/√d_k itself.",
        "zh": "**乘以 1/√d_k 缩放**后：方差保持在 {var_low:.3f} 到 {var_high:.3f} 之间，最大权重在 {max_low:.3f} 到 "
        "{max_high:.3f} 之间，熵在 {ent_low:.3f} 到 {ent_high:.3f} 奈特之间；传到 q·k 的梯度的中位数{gradient}，"
        "因为链式法则把缩放因子 1/√d_k 本身也乘了进去。",
    },
    "scale.grad.median.more": {
        "en": "**The gradient that reaches q·k** (and so W_q and W_k): at d_k = {d_max} the typical (median) row "
        "gets {ratio:.1f}× more with scaling than without",
        "zh": "**传到 q·k（进而传到 W_q、W_k）的梯度**：在 d_k = {d_max} 时，典型（中位数）行在缩放后得到的梯度"
        "是不缩放时的 {ratio:.1f} 倍",
    },
    "scale.grad.median.less": {
        "en": "**The gradient that reaches q·k** (and so W_q and W_k): at d_k = {d_max} the typical (median) row "
        "gets {ratio:.1f}× less with scaling than without",
        "zh": "**传到 q·k（进而传到 W_q、W_k）的梯度**：在 d_k = {d_max} 时，典型（中位数）行在缩放后得到的梯度"
        "只有不缩放时的 1/{ratio:.1f}",
    },
    "scale.grad.median.values": {
        "en": " ({scaled:.2g} vs {unscaled:.2g}).",
        "zh": "（{scaled:.2g} 对 {unscaled:.2g}）。",
    },
    "scale.grad.from": {
        "en": "The scaled median is ahead from d_k = {d_k} on; below that, the unscaled softmax has not saturated "
        "yet and the 1/√d_k factor costs more than it saves.",
        "zh": "从 d_k = {d_k} 起，缩放后的中位数领先；在此之下，不缩放的 softmax 还没有饱和，1/√d_k 这个因子带来的损失"
        "大于它的好处。",
    },
    "scale.grad.never": {
        "en": "Up to d_k = {d_max}, the scaled median does not stay ahead of the unscaled one.",
        "zh": "直到 d_k = {d_max}，缩放后的中位数都没有一直领先于不缩放的。",
    },
    "scale.grad.mean.agrees": {
        "en": "The mean says the same: {scaled:.2g} with scaling vs {unscaled:.2g} without.",
        "zh": "平均值的结论相同：缩放后 {scaled:.2g}，不缩放 {unscaled:.2g}。",
    },
    "scale.grad.mean.tail": {
        "en": "The mean says the opposite: {scaled:.2g} with scaling vs {unscaled:.2g} without. A few near-tied "
        "unscaled rows keep a large gradient and lift the mean, while scaling multiplies every row's gradient by "
        "1/√d_k = {factor:.3f}. So “scaling keeps gradients from vanishing” is a claim about the typical row, "
        "not about the average.",
        "zh": "平均值的结论相反：缩放后 {scaled:.2g}，不缩放 {unscaled:.2g}。少数几乎打平的未缩放行仍保留很大的梯度，"
        "拉高了平均值；而缩放把每一行的梯度都乘以 1/√d_k = {factor:.3f}。所以“缩放防止梯度消失”说的是典型的一行，"
        "而不是平均值。",
    },
    "scale.grad.mean.differs": {
        "en": "The mean says the opposite: {scaled:.2g} with scaling vs {unscaled:.2g} without.",
        "zh": "平均值的结论相反：缩放后 {scaled:.2g}，不缩放 {unscaled:.2g}。",
    },
    "scale.gradient.explain": {
        "en": "W_q and W_k learn through the gradient that reaches the raw score q·k. For p = softmax(c·q·k), with "
        "c = 1 unscaled and c = 1/√d_k scaled, the chain rule gives ∂p/∂(q·k) = c·(diag(p) − p pᵀ): the "
        "softmax's Jacobian at its own input, times c. When one weight is ≈ 1 and the rest ≈ 0, every entry of "
        "diag(p) − p pᵀ is ≈ 0 and the gradient vanishes. The chart shows the Frobenius norm of ∂p/∂(q·k), "
        "computed by torch.autograd through the scaling, for the median row; the table below also gives the "
        "mean and the Jacobian at the softmax's own input (without the factor c).",
        "zh": "W_q 和 W_k 通过传到原始得分 q·k 的梯度来学习。设 p = softmax(c·q·k)，不缩放时 c = 1，缩放时 c = 1/√d_k，"
        "由链式法则 ∂p/∂(q·k) = c·（diag(p) − p pᵀ）：即 softmax 在其自身输入处的雅可比矩阵再乘以 c。"
        "当一个权重 ≈ 1、其余 ≈ 0 时，diag(p) − p pᵀ 的每个元素都 ≈ 0，梯度随之消失。图中是 ∂p/∂（q·k）的"
        "弗罗贝尼乌斯范数（由 torch.autograd 穿过缩放计算）的中位数行；下表还给出平均值，以及 softmax 在其自身输入处"
        "的雅可比矩阵（不含因子 c）。",
    },
    "scale.numbers": {"en": "The numbers", "zh": "具体数值"},
    "scale.col.d_k": {"en": "d_k", "zh": "d_k（维度）"},
    "scale.col.variance": {"en": "variance {setting}", "zh": "方差 {setting}"},
    "scale.col.max_weight": {"en": "largest weight {setting}", "zh": "最大权重 {setting}"},
    "scale.col.entropy": {"en": "entropy {setting}", "zh": "熵 {setting}"},
    "scale.col.score_gradient": {
        "en": "median gradient reaching q·k {setting}",
        "zh": "传到 q·k 的梯度中位数 {setting}",
    },
    "scale.col.score_gradient_mean": {
        "en": "mean gradient reaching q·k {setting}",
        "zh": "传到 q·k 的梯度平均值 {setting}",
    },
    "scale.col.jacobian": {
        "en": "mean softmax Jacobian at its own input {setting}",
        "zh": "softmax 在自身输入处的雅可比矩阵平均值 {setting}",
    },
    "scale.short.unscaled": {"en": "(unscaled)", "zh": "（不缩放）"},
    "scale.short.scaled": {"en": "(scaled)", "zh": "（缩放）"},
    "scale.code": {"en": "The code that measures it", "zh": "测量所用的代码"},
    # 2. Side by side on the sentence
    "scale.pair.header": {
        "en": "2 · On the sentence: two values of d_k side by side",
        "zh": "2 · 在句子上：并排比较两个 d_k",
    },
    "scale.pair.caption": {
        "en": "One head (d_model = d_k), no mask; the model's projections give q and k entries of variance 1. "
        "Both sides use the same tokens and the same seed.",
        "zh": "单头（d_model = d_k），不加掩码；模型的投影使 q 和 k 的分量方差为 1。"
        "两侧使用相同的词元和相同的随机种子。",
    },
    "scale.ctl.d_k_left": {"en": "d_k, left", "zh": "左侧的 d_k"},
    "scale.ctl.d_k_right": {"en": "d_k, right", "zh": "右侧的 d_k"},
    "scale.ctl.divide": {"en": "Divide the scores by √d_k", "zh": "将得分除以 √d_k"},
    "scale.chart.unscaled": {"en": "d_k = {d_k}: softmax(Q·Kᵀ)", "zh": "d_k = {d_k}:softmax(Q·Kᵀ)（不缩放）"},
    "scale.chart.scaled": {"en": "d_k = {d_k}: softmax(Q·Kᵀ/√d_k)", "zh": "d_k = {d_k}:softmax(Q·Kᵀ/√d_k)（缩放）"},
    "scale.pair.measure": {"en": "measured on this sentence", "zh": "在本句上的测量值"},
    "scale.pair.side": {"en": "{side}: d_k = {d_k}", "zh": "{side}:d_k = {d_k}"},
    "scale.pair.left": {"en": "left", "zh": "左"},
    "scale.pair.right": {"en": "right", "zh": "右"},
    "scale.row.variance": {"en": "variance of Q·Kᵀ (raw scores)", "zh": "Q·Kᵀ 的方差（原始得分）"},
    "scale.row.max_weight": {"en": "mean largest weight", "zh": "平均最大权重"},
    "scale.row.entropy": {"en": "mean row entropy (nats)", "zh": "每行的平均熵（奈特）"},
    "scale.row.score_gradient": {
        "en": "median gradient reaching Q·Kᵀ, ‖∂p/∂(q·k)‖_F",
        "zh": "传到 Q·Kᵀ 的梯度中位数 ‖∂p/∂(q·k)‖_F",
    },
    "scale.row.score_gradient_mean": {
        "en": "mean gradient reaching Q·Kᵀ, ‖∂p/∂(q·k)‖_F",
        "zh": "传到 Q·Kᵀ 的梯度平均值 ‖∂p/∂(q·k)‖_F",
    },
    "scale.pair.note": {
        "en": "{cells} scores per side; a uniform row over {keys} keys has entropy ln {keys} = {uniform:.3f} nats. "
        "The raw variance is measured on few, correlated scores, so it only roughly follows d_k.",
        "zh": "每侧 {cells} 个得分；{keys} 个键上的均匀分布的熵为 ln {keys} = {uniform:.3f} 奈特。"
        "原始得分的方差只基于少量且相关的得分，所以只大致等于 d_k。",
    },
}
