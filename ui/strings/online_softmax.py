"""Strings of the “FlashAttention's online softmax” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.online_softmax": {"en": "Online softmax", "zh": "在线 softmax"},
    "os.title": {"en": "FlashAttention's online softmax", "zh": "FlashAttention 的在线 softmax"},
    "os.intro": {
        "en": "Softmax needs the maximum and the sum of a whole row before any weight is known, so the textbook "
        "version stores the L×L scores. The online softmax reads the keys block by block and keeps three "
        "things: the running maximum m, the running sum ℓ of e^(s − m), and the running weighted sum of values. "
        "When a block raises the maximum, what was summed so far is multiplied by exp(m_old − m_new). After the "
        "last block the result is ordinary softmax attention, not an approximation. One query row, no mask; "
        "every number is computed live.",
        "zh": "softmax 要先知道整行的最大值和总和，才能算出任何一个权重，所以教科书式的实现要存下 L×L 的得分。"
        "在线 softmax 一块一块地读键，只保留三样东西：当前最大值 m、e^（s − m）的当前总和 ℓ，以及值的当前加权和。"
        "某一块抬高了最大值时，之前累加的结果都乘以 exp(m_old − m_new)。最后一块之后，结果就是普通的 softmax "
        "注意力，而不是近似。这里只看一个查询行，不使用掩码；每个数字都是实时计算的。",
    },
    "os.cite": {
        "en": "Milakov & Gimelshein (2018), “Online normalizer calculation for softmax”; Dao et al. (2022), "
        "“FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness”.",
        "zh": "Milakov 与 Gimelshein(2018),“Online normalizer calculation for softmax”;Dao 等（2022），"
        "“FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness”。",
    },
    "os.row": {"en": "Query row", "zh": "查询行"},
    "os.row.help": {"en": "Which token's query attends to every key.", "zh": "哪个词元的查询去关注所有键。"},
    "os.block": {"en": "Keys per block B", "zh": "每块的键数 B"},
    "os.block.help": {
        "en": "How many keys the chip holds at once. B = L is a single block: the ordinary softmax.",
        "zh": "芯片一次容纳多少个键。B = L 时只有一块：就是普通的 softmax。",
    },
    "os.step": {"en": "Blocks processed", "zh": "已处理的块数"},
    "os.setup": {
        "en": "Query “{token}” (row {row}), head {head}: {L} keys in {n} blocks of up to {B}.",
        "zh": "查询“{token}”（第 {row} 行），头 {head}:{L} 个键，分成 {n} 块，每块最多 {B} 个。",
    },
    "os.first": {
        "en": "Block 1 (keys {start}–{end}) starts from m = −∞ and ℓ = 0: its factor exp(−∞) = 0 multiplies "
        "nothing, m becomes {m_new:.4f} and ℓ = {ell:.4f}.",
        "zh": "第 1 块（键 {start}–{end}）从 m = −∞、ℓ = 0 开始：它的系数 exp(−∞) = 0 乘的是空的累加，"
        "m 变为 {m_new:.4f},ℓ = {ell:.4f}。",
    },
    "os.raised": {
        "en": "Block {k} (keys {start}–{end}) has a score {block_max:.4f} above the running maximum {m_old:.4f}: "
        "the sum and the output so far are multiplied by exp({m_old:.4f} − {m_new:.4f}) = {rescale:.4f} before "
        "this block's terms are added; ℓ = {ell:.4f}.",
        "zh": "第 {k} 块（键 {start}–{end}）有一个得分 {block_max:.4f} 高于当前最大值 {m_old:.4f}："
        "之前的总和与输出先乘以 exp({m_old:.4f} − {m_new:.4f}) = {rescale:.4f}，再加上这一块的项；ℓ = {ell:.4f}。",
    },
    "os.kept": {
        "en": "Block {k} (keys {start}–{end}) stays below the running maximum {m_old:.4f} (its largest score is "
        "{block_max:.4f}): the factor is exp(0) = 1, nothing is rescaled, its terms are just added; ℓ = {ell:.4f}.",
        "zh": "第 {k} 块（键 {start}–{end}）没有超过当前最大值 {m_old:.4f}（它的最大得分是 {block_max:.4f}）："
        "系数是 exp(0) = 1，不需要重新缩放，只需加上它的项；ℓ = {ell:.4f}。",
    },
    "os.raises": {
        "en": "Over all {n} blocks the maximum rose {raises} times, so the accumulated sums were rescaled "
        "{rescaled} times.",
        "zh": "在全部 {n} 块中，最大值上升了 {raises} 次，所以累加的和被重新缩放了 {rescaled} 次。",
    },
    "os.col.block": {"en": "block", "zh": "块"},
    "os.col.keys": {"en": "keys", "zh": "键"},
    "os.col.block_max": {"en": "block max", "zh": "块内最大值"},
    "os.col.factor": {"en": "exp(m_old − m_new)", "zh": "系数 exp(m_old − m_new)"},
    "os.col.sum": {"en": "ℓ (running sum)", "zh": "ℓ（当前总和）"},
    "os.chart.weights": {"en": "Weights known after each block", "zh": "每块之后已知的权重"},
    "os.chart.output": {"en": "Running output a / ℓ after each block", "zh": "每块之后的当前输出 a / ℓ"},
    "os.axis.after": {"en": "after block", "zh": "块之后"},
    "os.axis.weight": {"en": "weight", "zh": "权重"},
    "os.row.block": {"en": "block {k}", "zh": "第 {k} 块"},
    "os.row.reference": {"en": "ordinary softmax", "zh": "普通 softmax"},
    "os.charts.note": {
        "en": "The last row of each chart is ordinary softmax attention on the same scores. Grey: keys not read "
        "yet and blocks not processed yet. Every row so far sums to 1: it is the attention over the keys read "
        "so far.",
        "zh": "每张图的最后一行是对同样得分做的普通 softmax 注意力。灰色：尚未读到的键和尚未处理的块。"
        "到目前为止的每一行之和都是 1：它就是对已读到的键所做的注意力。",
    },
    "os.metric.output": {
        "en": "Max |online − ordinary| of the output, after all {n} blocks",
        "zh": "全部 {n} 块之后输出的最大 |在线 − 普通|",
    },
    "os.metric.weights": {"en": "Max |online − ordinary| of the weights", "zh": "权重的最大 |在线 − 普通|"},
    "os.equal": {
        "en": "Equal up to float rounding ({diff:.1e}): the block-by-block result is ordinary softmax attention, "
        "only summed in another order.",
        "zh": "在浮点舍入误差范围内相等（{diff:.1e}）：逐块计算的结果就是普通的 softmax 注意力，只是求和顺序不同。",
    },
    "os.differ": {
        "en": "The block-by-block result differs from ordinary softmax attention by up to {diff:.3g}: more than "
        "float rounding.",
        "zh": "逐块计算的结果与普通 softmax 注意力最多相差 {diff:.3g}：超出了浮点舍入误差。",
    },
    "os.code": {"en": "The code of the online softmax", "zh": "在线 softmax 的代码"},
    # ── predict ──
    "os.predict.question": {
        "en": "With blocks of B = {B} keys, how far is the online result after the last block from ordinary "
        "softmax attention?",
        "zh": "每块 B = {B} 个键时，最后一块之后的在线结果与普通 softmax 注意力相差多少?",
    },
    "os.predict.exact": {"en": "bit for bit equal", "zh": "逐位完全相同"},
    "os.predict.rounding": {"en": "equal up to float rounding", "zh": "在浮点舍入误差内相等"},
    "os.predict.approx": {"en": "close: an approximation", "zh": "接近：一种近似"},
    "os.predict.far": {"en": "clearly different", "zh": "明显不同"},
    "os.predict.explain": {
        "en": "Measured: the largest difference is {diff:.2e}. The rescaling by exp(m_old − m_new) makes every "
        "earlier term exactly what it would have been with the final maximum, so nothing is approximated; "
        "only the order of the additions changes.",
        "zh": "实测最大差值为 {diff:.2e}。乘以 exp(m_old − m_new) 的重新缩放，使之前的每一项都恰好等于用最终最大值"
        "算出的结果，所以没有任何近似；改变的只是加法的顺序。",
    },
    # ── traffic ──
    "os.traffic.title": {"en": "Memory traffic: what leaves the chip", "zh": "内存流量：哪些数据离开芯片"},
    "os.traffic.model": {
        "en": "A simple model, counting float32 elements moved between main memory and the chip for one head. "
        "Naive: read Q, K, V, write O (4·L·d), and write S, read S, write P, read P (4·L²). Fused, with tiles of "
        "B queries: read each Q tile and write its O once (2·L·d), and stream all of K and V past every tile "
        "(2·L·d·⌈L/B⌉); S and P exist only tile by tile on chip. Caches, recomputation in the backward pass "
        "and the kernels' real tile shapes are left out.",
        "zh": "一个简单的模型：统计一个头在主存与芯片之间搬运的 float32 元素个数。朴素实现：读 Q、K、V，写 O"
        "(4·L·d)，再写 S、读 S、写 P、读 P(4·L²)。融合实现，每个分块含 B 个查询：每个 Q 分块读一次、"
        "其 O 写一次（2·L·d），K 和 V 对每个分块都完整地流过一遍（2·L·d·⌈L/B⌉）；S 和 P 只在芯片上逐块存在。"
        "缓存、反向传播中的重算以及内核真实的分块形状都不在模型中。",
    },
    "os.len": {"en": "Sequence length L", "zh": "序列长度 L"},
    "os.tile": {"en": "Tile B (queries and keys)", "zh": "分块 B（查询与键）"},
    "os.metric.naive": {"en": "Naive traffic (MiB)", "zh": "朴素实现流量（MiB）"},
    "os.metric.fused": {"en": "Fused traffic (MiB)", "zh": "融合实现流量（MiB）"},
    "os.metric.chip": {"en": "Kept on chip per tile (KiB)", "zh": "每个分块在芯片上占用（KiB）"},
    "os.traffic.less": {
        "en": "At L = {L}, d_k = {d_k} and B = {B}, the fused version moves {ratio:.1f}× fewer bytes: the L×L "
        "matrices are {share:.1f}% of the naive traffic, while the fused version re-reads K and V {tiles} times.",
        "zh": "在 L = {L}、d_k = {d_k}、B = {B} 时，融合实现搬运的字节少 {ratio:.1f} 倍：L×L 矩阵占朴素实现流量的 "
        "{share:.1f}%，而融合实现要把 K 和 V 重读 {tiles} 次。",
    },
    "os.traffic.more": {
        "en": "At L = {L}, d_k = {d_k} and B = {B}, the fused version moves {ratio:.2f}× the naive traffic: tiles "
        "this small re-read K and V {tiles} times, which costs more than the L×L matrices saved. Real kernels "
        "use tiles of about 64–128 queries (Dao et al. 2022).",
        "zh": "在 L = {L}、d_k = {d_k}、B = {B} 时，融合实现的流量是朴素实现的 {ratio:.2f} 倍：这么小的分块要把 K 和 V "
        "重读 {tiles} 次，代价超过了省下的 L×L 矩阵。真实的内核使用约 64–128 个查询的分块（Dao 等 2022）。",
    },
    "os.col.L": {"en": "L", "zh": "序列长度 L"},
    "os.col.naive": {"en": "naive (MiB)", "zh": "朴素（MiB）"},
    "os.col.matrix": {"en": "of which S and P (MiB)", "zh": "其中 S 和 P(MiB)"},
    "os.col.fused": {"en": "fused (MiB)", "zh": "融合（MiB）"},
    "os.col.ratio": {"en": "naive ÷ fused", "zh": "朴素 ÷ 融合"},
    "os.cost": {
        "en": "The Cost page times both on this server: the naive softmax(QKᵀ/√d_k)·V against PyTorch's fused "
        "F.scaled_dot_product_attention, and computes the memory the naive version holds. The model here "
        "suggests why the fused kernel can be faster at long L (it writes no L×L matrix); measured times "
        "on a CPU also depend on the arithmetic and the caches, so compare how they grow, not their values.",
        "zh": "“计算代价”页在本服务器上给两者计时：朴素的 softmax(QKᵀ/√d_k)·V 对比 PyTorch 融合的 "
        "F.scaled_dot_product_attention，并计算朴素实现占用的内存。这里的模型提示了为什么在 L 较长时融合内核可能更快"
        "（它不写出任何 L×L 矩阵）；在 CPU 上测得的时间还取决于运算量和缓存，所以比较它们如何增长，而不是数值本身。",
    },
    "os.cost.link": {"en": "Open the Cost page", "zh": "打开“计算代价”页"},
}
