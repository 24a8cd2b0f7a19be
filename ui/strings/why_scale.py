"""Strings of the “Why √d_k” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "scale.title": {"en": "Why divide by √d_k?", "zh": "为什么要除以 √d_k?"},
    "scale.intro": {
        "en": "A dot product of two d_k-dimensional vectors with unit-variance entries has variance d_k. "
        "Without scaling, bigger heads feed the softmax ever larger scores: it saturates (one weight near 1, "
        "the rest near 0) and the gradient flowing back through it shrinks. Dividing by √d_k brings the "
        "variance back to 1 for every d_k. Every number on this page is measured live.",
        "zh": "两个 d_k 维、各分量方差为 1 的向量,其点积的方差是 d_k。如果不缩放,d_k 越大,送入 softmax 的得分就越大:"
        "softmax 趋于饱和(一个权重接近 1,其余接近 0),反向传播穿过它的梯度也随之变小。除以 √d_k 后,"
        "无论 d_k 多大,方差都回到 1。本页的每个数字都是实时测量的。",
    },
    # 1. The sweep
    "scale.sweep.header": {"en": "1 · Measured for d_k = 1, 2, 4, …, 512", "zh": "1 · 对 d_k = 1, 2, 4, …, 512 的实测"},
    "scale.sweep.caption": {
        "en": "Each point: {queries} queries, each scored against its own {keys} keys, with q and k entries drawn "
        "from N(0, 1) (as the app's projections produce) using the sidebar's seed {seed}. Dotted lines mark "
        "the two values of d_k compared in part 2.",
        "zh": "每个点:{queries} 个查询,每个查询与各自的 {keys} 个键计算得分;q 和 k 的分量取自 N(0, 1)"
        "(与本应用的投影得到的分布相同),使用侧边栏的随机种子 {seed}。虚线标出第 2 部分比较的两个 d_k。",
    },
    "scale.chart.variance": {"en": "Variance of the scores", "zh": "得分的方差"},
    "scale.chart.max_weight": {"en": "Mean largest softmax weight", "zh": "平均最大 softmax 权重"},
    "scale.chart.entropy": {"en": "Mean row entropy of the weights", "zh": "权重每行的平均熵"},
    "scale.chart.jacobian": {"en": "Mean gradient norm of the softmax", "zh": "softmax 梯度范数的平均值"},
    "scale.axis.d_k": {"en": "d_k (log scale)", "zh": "d_k(对数刻度)"},
    "scale.axis.variance": {"en": "variance (log scale)", "zh": "方差(对数刻度)"},
    "scale.axis.max_weight": {"en": "largest weight", "zh": "最大权重"},
    "scale.axis.entropy": {"en": "entropy (nats)", "zh": "熵(奈特)"},
    "scale.axis.jacobian": {"en": "‖∂softmax/∂s‖_F", "zh": "‖∂softmax/∂s‖_F(弗罗贝尼乌斯范数)"},
    "scale.legend": {"en": "softmax of", "zh": "softmax 的输入"},
    "scale.setting.unscaled": {"en": "q·k (unscaled)", "zh": "q·k(不缩放)"},
    "scale.setting.scaled": {"en": "q·k/√d_k (scaled)", "zh": "q·k/√d_k(缩放)"},
    "scale.sweep.unscaled": {
        "en": "**Unscaled**, from d_k = 1 to {d_max}: the variance of q·k grows from {var_first:.2f} to "
        "{var_last:.1f} (≈ d_k); the mean largest weight rises from {max_first:.3f} to {max_last:.3f}; the "
        "mean entropy falls from {ent_first:.3f} to {ent_last:.3f} nats (uniform over {keys} keys would be "
        "ln {keys} = {ent_uniform:.3f}); the gradient norm peaks at {grad_peak:.4f} (d_k = {d_peak}) and then "
        "falls to {grad_last:.4f}.",
        "zh": "**不缩放**时,d_k 从 1 增大到 {d_max}:q·k 的方差从 {var_first:.2f} 增大到 {var_last:.1f}(≈ d_k);"
        "平均最大权重从 {max_first:.3f} 升到 {max_last:.3f};平均熵从 {ent_first:.3f} 降到 {ent_last:.3f} 奈特"
        "({keys} 个键上的均匀分布为 ln {keys} = {ent_uniform:.3f});梯度范数在 d_k = {d_peak} 处达到峰值 "
        "{grad_peak:.4f},随后降到 {grad_last:.4f}。",
    },
    "scale.sweep.scaled": {
        "en": "**Scaled** by 1/√d_k: the variance stays between {var_low:.3f} and {var_high:.3f}, the largest "
        "weight between {max_low:.3f} and {max_high:.3f}, the entropy between {ent_low:.3f} and {ent_high:.3f} "
        "nats and the gradient norm between {grad_low:.4f} and {grad_high:.4f}. At d_k = {d_max} the scaled "
        "softmax passes {ratio:.1f}× the gradient of the unscaled one.",
        "zh": "**乘以 1/√d_k 缩放**后:方差保持在 {var_low:.3f} 到 {var_high:.3f} 之间,最大权重在 {max_low:.3f} 到 "
        "{max_high:.3f} 之间,熵在 {ent_low:.3f} 到 {ent_high:.3f} 奈特之间,梯度范数在 {grad_low:.4f} 到 "
        "{grad_high:.4f} 之间。在 d_k = {d_max} 时,缩放后的 softmax 传回的梯度是不缩放时的 {ratio:.1f} 倍。",
    },
    "scale.gradient.explain": {
        "en": "Every gradient that reaches W_q and W_k passes through the softmax's Jacobian (above, for one "
        "row p = softmax(s)). When one weight is ≈ 1 and the rest ≈ 0, every entry of diag(p) − p pᵀ is ≈ 0 "
        "and the gradient vanishes. The gradient chart shows the Frobenius norm of this Jacobian, computed by "
        "torch.autograd (one backward pass per weight) and averaged over the rows. A slightly peaked softmax "
        "passes a little more gradient than a flat one, so the unscaled curve first rises, then falls as the "
        "softmax saturates.",
        "zh": "到达 W_q 和 W_k 的每个梯度都要穿过 softmax 的雅可比矩阵(上式,p = softmax(s) 为一行)。"
        "当一个权重 ≈ 1、其余 ≈ 0 时,diag(p) − p pᵀ 的每个元素都 ≈ 0,梯度随之消失。梯度图显示的是这个雅可比矩阵的"
        "弗罗贝尼乌斯范数,由 torch.autograd 计算(每个权重做一次反向传播),再对各行取平均。略微尖锐的 softmax "
        "比完全平坦的 softmax 传回的梯度稍多,所以不缩放的曲线先略升,随后随着 softmax 饱和而下降。",
    },
    "scale.numbers": {"en": "The numbers", "zh": "具体数值"},
    "scale.col.d_k": {"en": "d_k", "zh": "d_k(维度)"},
    "scale.col.variance": {"en": "variance {setting}", "zh": "方差 {setting}"},
    "scale.col.max_weight": {"en": "largest weight {setting}", "zh": "最大权重 {setting}"},
    "scale.col.entropy": {"en": "entropy {setting}", "zh": "熵 {setting}"},
    "scale.col.jacobian": {"en": "gradient norm {setting}", "zh": "梯度范数 {setting}"},
    "scale.short.unscaled": {"en": "(unscaled)", "zh": "(不缩放)"},
    "scale.short.scaled": {"en": "(scaled)", "zh": "(缩放)"},
    "scale.code": {"en": "The code that measures it", "zh": "测量所用的代码"},
    # 2. Side by side on the sentence
    "scale.pair.header": {
        "en": "2 · On the sentence: two values of d_k side by side",
        "zh": "2 · 在句子上:并排比较两个 d_k",
    },
    "scale.pair.caption": {
        "en": "One head (d_model = d_k), no mask; the model's projections give q and k entries of variance 1. "
        "Both sides use the same tokens and the same seed.",
        "zh": "单头(d_model = d_k),不加掩码;模型的投影使 q 和 k 的分量方差为 1。两侧使用相同的词元和相同的随机种子。",
    },
    "scale.ctl.d_k_left": {"en": "d_k, left", "zh": "左侧的 d_k"},
    "scale.ctl.d_k_right": {"en": "d_k, right", "zh": "右侧的 d_k"},
    "scale.ctl.divide": {"en": "Divide the scores by √d_k", "zh": "将得分除以 √d_k"},
    "scale.chart.unscaled": {"en": "d_k = {d_k}: softmax(Q·Kᵀ)", "zh": "d_k = {d_k}:softmax(Q·Kᵀ)(不缩放)"},
    "scale.chart.scaled": {"en": "d_k = {d_k}: softmax(Q·Kᵀ/√d_k)", "zh": "d_k = {d_k}:softmax(Q·Kᵀ/√d_k)(缩放)"},
    "scale.pair.measure": {"en": "measured on this sentence", "zh": "在本句上的测量值"},
    "scale.pair.side": {"en": "{side}: d_k = {d_k}", "zh": "{side}:d_k = {d_k}"},
    "scale.pair.left": {"en": "left", "zh": "左"},
    "scale.pair.right": {"en": "right", "zh": "右"},
    "scale.row.variance": {"en": "variance of Q·Kᵀ (raw scores)", "zh": "Q·Kᵀ 的方差(原始得分)"},
    "scale.row.max_weight": {"en": "mean largest weight", "zh": "平均最大权重"},
    "scale.row.entropy": {"en": "mean row entropy (nats)", "zh": "每行的平均熵(奈特)"},
    "scale.row.jacobian": {"en": "mean gradient norm ‖∂softmax/∂s‖_F", "zh": "平均梯度范数 ‖∂softmax/∂s‖_F"},
    "scale.pair.note": {
        "en": "{cells} scores per side; a uniform row over {keys} keys has entropy ln {keys} = {uniform:.3f} nats. "
        "The raw variance is measured on few, correlated scores, so it only roughly follows d_k.",
        "zh": "每侧 {cells} 个得分;{keys} 个键上的均匀分布的熵为 ln {keys} = {uniform:.3f} 奈特。"
        "原始得分的方差只基于少量且相关的得分,所以只大致等于 d_k。",
    },
}
