"""Strings of the variants lesson (app_pages/variants.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "var.title": {"en": "Attention variants", "zh": "注意力变体"},
    "var.intro": {
        "en": "Attention needs a score for every query–key pair; a row softmax turns each row of scores into "
        "weights. Below, four score functions get the same queries and keys, hard attention replaces the weights "
        "by a single key, and a temperature makes the softmax sharper or flatter. Every number is computed live.",
        "zh": "注意力需要为每一对查询–键计算一个得分，再按行做 softmax 把得分变成权重。下面四种打分函数使用相同的"
        "查询和键；接着硬注意力只选一个键来代替权重；最后用温度让 softmax 更尖锐或更平缓。所有数字都是实时计算的。",
    },
    # 1. score functions
    "var.scoring.title": {"en": "Four score functions, one input", "zh": "四种打分函数，同一个输入"},
    "var.scoring.inputs": {
        "en": "All four score the same vectors: head {head}'s queries and keys (d_k = {d_k}) for the {L} tokens. "
        "W, U and v are random (drawn from the seed), not trained.",
        "zh": "四种函数对相同的向量打分：第 {head} 个头的查询和键（d_k = {d_k}），共 {L} 个词元。"
        "W、U、v 由随机种子生成，没有经过训练。",
    },
    "var.name.dot": {"en": "dot", "zh": "点积"},
    "var.name.scaled_dot": {"en": "scaled dot", "zh": "缩放点积"},
    "var.name.general": {"en": "general (bilinear)", "zh": "通用（双线性）"},
    "var.name.additive": {"en": "additive", "zh": "加性"},
    "var.chart.panels": {
        "en": "Attention weights of each score function (each row sums to 1)",
        "zh": "各打分函数的注意力权重（每行之和为 1）",
    },
    "var.weight": {"en": "weight", "zh": "权重"},
    "var.score": {"en": "score", "zh": "得分"},
    "var.col.variant": {"en": "score function", "zh": "打分函数"},
    "var.col.same_top": {
        "en": "rows whose top key matches scaled dot (of {L})",
        "zh": "最大键与缩放点积相同的行（共 {L} 行）",
    },
    "var.col.score_min": {"en": "lowest score", "zh": "最低得分"},
    "var.col.score_max": {"en": "highest score", "zh": "最高得分"},
    "var.col.max_weight": {"en": "largest weight", "zh": "最大权重"},
    "var.col.entropy": {"en": "mean entropy (nats)", "zh": "平均熵（奈特）"},
    "var.scoring.note": {
        "en": "Dot and scaled dot rank the keys alike: the same top key in {same} of {L} rows. Dividing by "
        "√d_k = {sqrt:.2f} only flattens each row: mean entropy {dot:.3f} → {scaled:.3f} nats (uniform weights "
        "would give ln L = {ln:.3f}). General and additive scores depend on their random W, U and v, so they may "
        "rank the keys differently.",
        "zh": "点积和缩放点积对键的排序相同：{L} 行中有 {same} 行的最大键相同。除以 √d_k = {sqrt:.2f} 只会让"
        "每一行更平缓：平均熵从 {dot:.3f} 变为 {scaled:.3f} 奈特（均匀权重为 ln L = {ln:.3f}）。通用和加性得分"
        "取决于随机的 W、U、v，因此可能给出不同的排序。",
    },
    "var.code": {"en": "The code that computes the scores", "zh": "计算得分的代码"},
    # 2. soft vs hard
    "var.hard.title": {"en": "Soft vs hard attention", "zh": "软注意力与硬注意力"},
    "var.hard.intro": {
        "en": "Soft attention mixes all values with the softmax weights. Hard attention takes one key: the argmax, "
        "or a key sampled with the softmax weights as probabilities (as in “Show, Attend and Tell”). "
        "The scores here are the scaled dot ones.",
        "zh": "软注意力用 softmax 权重混合所有的值。硬注意力只取一个键：得分最大的键（argmax），或以 softmax "
        "权重为概率抽取的一个键（如 “Show, Attend and Tell”）。这里使用缩放点积得分。",
    },
    "var.query": {"en": "Query", "zh": "查询"},
    "var.draws": {"en": "Samples N", "zh": "抽样次数 N"},
    "var.series.soft": {"en": "soft: softmax weights", "zh": "软：softmax 权重"},
    "var.series.argmax": {"en": "hard: argmax one-hot", "zh": "硬：argmax 独热向量"},
    "var.series.sampled": {"en": "hard, sampled: share of {n} draws", "zh": "硬（抽样）：{n} 次抽样中的比例"},
    "var.chart.bars": {"en": "Weights of query {query}", "zh": "查询 {query} 的权重"},
    "var.hard.argmax": {
        "en": "Argmax takes {chosen} (soft weight {weight:.3f}) and ignores every other key.",
        "zh": "argmax 选中 {chosen}（软权重 {weight:.3f}），忽略其他所有键。",
    },
    "var.hard.sampled": {
        "en": "Each draw is a one-hot on one key; over {n} draws each key's share is within {error:.4f} of its "
        "soft weight (largest gap).",
        "zh": "每次抽样都是某个键上的独热向量；{n} 次抽样后，各键所占比例与其软权重的最大差距为 {error:.4f}。",
    },
    "var.hard.tied": {
        "en": "Keys {keys} share the highest score (identical tokens have identical keys); argmax takes the first.",
        "zh": "键 {keys} 的得分并列最高（相同的词元有相同的键）；argmax 取第一个。",
    },
    "var.hard.convergence": {
        "en": "Largest gap between sampled shares and soft weights for this query as N grows (it shrinks like 1/√N):",
        "zh": "随着 N 增大，该查询的抽样比例与软权重之间的最大差距（按 1/√N 缩小）：",
    },
    "var.grad.title": {
        "en": "Why hard attention cannot be trained by backpropagation",
        "zh": "为什么硬注意力不能用反向传播训练",
    },
    "var.col.soft_weight": {"en": "soft weight", "zh": "软权重"},
    "var.col.soft_autograd": {"en": "soft: ∂loss/∂s, autograd", "zh": "软：∂loss/∂s,autograd"},
    "var.col.soft_fd": {"en": "soft: ∂loss/∂s, nudged", "zh": "软：∂loss/∂s，有限差分"},
    "var.col.hard_weight": {"en": "hard weight", "zh": "硬权重"},
    "var.col.hard_fd": {"en": "hard: ∂loss/∂s, nudged", "zh": "硬：∂loss/∂s，有限差分"},
    "var.grad.note": {
        "en": "loss = the sum of this query's output (weights · V); s = its scores. Soft: torch.autograd gives a "
        "gradient of norm {soft:.4f}, and nudging each score by ±{eps:g} agrees. Hard: autograd returns {hard}, "
        "because argmax outputs an integer index and the graph from the loss back to the scores ends there; nudging "
        "the scores gives slopes of at most {moved:.4f}. The slope is 0 wherever the argmax does not jump and "
        "undefined where it does, so hard attention is trained with sampling-based estimators (REINFORCE) instead.",
        "zh": "loss = 该查询输出（权重 · V）各分量之和；s 为它的得分。软注意力："
        "torch.autograd 给出的梯度范数为 {soft:.4f}，"
        "把每个得分推动 ±{eps:g} 的有限差分结果与之一致。硬注意力：autograd 返回 {hard}，因为 argmax 输出的是整数"
        "下标，从 loss 回到得分的计算图在这里断开；推动得分得到的斜率最大为 {moved:.4f}。argmax 不跳变时斜率为 0，"
        "跳变处不可导，所以硬注意力改用基于抽样的估计方法（REINFORCE）训练。",
    },
    # 3. temperature
    "var.tau.title": {"en": "Temperature", "zh": "温度"},
    "var.tau": {"en": "Temperature τ", "zh": "温度 τ"},
    "var.tau.help": {
        "en": "Divides the scores before the softmax. A small τ sharpens the weights towards the argmax; a large τ "
        "flattens them towards uniform.",
        "zh": "在 softmax 之前用 τ 除得分。τ 越小权重越尖锐，趋向 argmax;τ 越大权重越平缓，趋向均匀分布。",
    },
    "var.chart.tau": {"en": "softmax(scores / τ), τ = {tau:g}", "zh": "softmax（得分 / τ），τ = {tau:g}"},
    "var.chart.limit": {"en": "τ → 0: the argmax (tied maxima share)", "zh": "τ → 0:argmax（并列最大者平分）"},
    "var.chart.entropy": {"en": "Mean entropy of the weights against τ", "zh": "权重的平均熵随 τ 的变化"},
    "var.bound.uniform": {"en": "uniform: ln L = {ln:.3f}", "zh": "均匀：ln L = {ln:.3f}"},
    "var.bound.hard": {"en": "one-hot: 0", "zh": "独热：0"},
    "var.tau.note": {
        "en": "At τ = {tau:g} the mean entropy is {entropy:.3f} nats (0 for one-hot, ln L = {ln:.3f} for uniform), "
        "and no weight is further than {distance:.4f} from the τ → 0 limit. The unscaled dot product is the "
        "scaled one at τ = 1/√d_k = {dot_tau:.3f}.",
        "zh": "τ = {tau:g} 时平均熵为 {entropy:.3f} 奈特（独热为 0，均匀为 ln L = {ln:.3f}），每个权重与 τ → 0 "
        "极限的差距不超过 {distance:.4f}。不缩放的点积就是缩放点积取 τ = 1/√d_k = {dot_tau:.3f}。",
    },
}
