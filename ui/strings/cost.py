"""Strings of the cost lesson (app_pages/cost.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "cost.title": {"en": "What attention costs", "zh": "注意力的计算代价"},
    "cost.intro": {
        "en": "Self-attention compares every token with every token: L² scores for L tokens. This page measures, "
        "live on this server, what that means for time and memory as L grows, and counts how many scores local "
        "and sparse masks keep.",
        "zh": "自注意力让每个词元与所有词元比较：L 个词元就有 L² 个得分。本页在这台服务器上实时测量随着 L 增长所需的"
        "时间和内存，并统计局部掩码和稀疏掩码保留了多少得分。",
    },
    # 1. time and memory
    "cost.time.title": {"en": "Time and memory as L grows", "zh": "时间和内存随 L 的增长"},
    "cost.time.intro": {
        "en": "One head, float32, one thread. The naive version builds the L×L matrices S and W; PyTorch's fused "
        "F.scaled_dot_product_attention computes the same output tile by tile. Lengths double from 16; each "
        "gets {repeats} timed calls of each version (the median is shown), and the run stops before a length "
        "that would overrun {budget:g} s.",
        "zh": "单个头，float32，单线程。朴素实现会构造 L×L 的矩阵 S 和 W;PyTorch 的融合函数 "
        "F.scaled_dot_product_attention 按块计算出相同的输出。长度从 16 开始倍增；每个长度对两种实现各计时 "
        "{repeats} 次（显示中位数）；若下一个长度会超出 {budget:g} 秒的预算，测量就在它之前停止。",
    },
    "cost.longest": {"en": "Longest L", "zh": "最长 L"},
    "cost.again": {"en": "Measure again", "zh": "重新测量"},
    "cost.measuring": {
        "en": "Measuring on the server (about {budget:g} s at most)…",
        "zh": "正在服务器上测量（最多约 {budget:g} 秒）……",
    },
    "cost.fresh": {
        "en": "Measured just now on this server: {n} lengths in {seconds:.2f} s.",
        "zh": "刚刚在这台服务器上测得：{n} 个长度，用时 {seconds:.2f} 秒。",
    },
    "cost.cached": {
        "en": "Cached: measured {age:.0f} s ago on this server and shared by everyone viewing this page; kept for "
        "{left:.0f} s more. Press “Measure again” for a fresh run.",
        "zh": "缓存结果：{age:.0f} 秒前在这台服务器上测得，所有访问本页的人共享，还会保留 {left:.0f} 秒。"
        "点击“重新测量”可重新运行。",
    },
    "cost.stopped": {
        "en": "L = {L} was not measured: growing like L², it would take about {predicted:.1f} s, more than the "
        "{budget:g} s budget leaves.",
        "zh": "未测量 L = {L}：按 L² 增长估计需要约 {predicted:.1f} 秒，超出了 {budget:g} 秒预算的剩余时间。",
    },
    "cost.series.naive": {"en": "naive: softmax(QKᵀ/√d_k)·V", "zh": "朴素实现：softmax(QKᵀ/√d_k)·V"},
    "cost.series.fused": {
        "en": "fused: F.scaled_dot_product_attention",
        "zh": "融合实现：F.scaled_dot_product_attention",
    },
    "cost.series.guide": {"en": "O(L²) guide", "zh": "O(L²) 参考线"},
    "cost.chart.time": {
        "en": "Median time per call, d_k = {d_k} (log–log)",
        "zh": "每次调用的中位时间，d_k = {d_k}（双对数坐标）",
    },
    "cost.axis.L": {"en": "sequence length L", "zh": "序列长度 L"},
    "cost.axis.ms": {"en": "time (ms)", "zh": "时间（毫秒）"},
    "cost.growth": {
        "en": "From L = {first} to {last} the naive time grows like L^{naive:.2f} and the fused time like "
        "L^{fused:.2f} (least-squares slope of the log–log lines; 2 is exactly quadratic). At L = {L} the naive "
        "version takes {ratio:.1f}× the fused one's time.",
        "zh": "从 L = {first} 到 {last}，朴素实现的时间按 L^{naive:.2f} 增长，融合实现按 L^{fused:.2f} 增长"
        "（双对数图上的最小二乘斜率；2 表示正好是平方增长）。L = {L} 时，朴素实现的用时是融合实现的 {ratio:.1f} 倍。",
    },
    "cost.col.naive_ms": {"en": "naive (ms)", "zh": "朴素（毫秒）"},
    "cost.col.fused_ms": {"en": "fused (ms)", "zh": "融合（毫秒）"},
    "cost.col.ratio": {"en": "naive ÷ fused", "zh": "朴素 ÷ 融合"},
    "cost.col.matrix_mb": {"en": "naive: S and W (MB, computed)", "zh": "朴素：S 和 W（MB，计算值）"},
    "cost.col.io_mb": {"en": "Q, K, V, O (MB, computed)", "zh": "Q、K、V、O（MB，计算值）"},
    "cost.memory.note": {
        "en": "Times are measured; memory is computed from the shapes (elements × 4 bytes), not measured here. "
        "The naive version holds two L×L float32 matrices, S and W: {mb:.1f} MB at L = {L}, growing like L². "
        "The fused kernel works on tiles and never stores an L×L matrix (the test suite checks this with "
        "PyTorch's profiler), so its memory grows like L·d_k, as Q, K, V and O do. It still computes all L² "
        "scores, so its time grows like L² too.",
        "zh": "时间是实测的；内存由形状计算得出（元素个数 × 4 字节），并非在此测量。朴素实现保存两个 L×L 的 float32 "
        "矩阵 S 和 W:L = {L} 时为 {mb:.1f} MB，按 L² 增长。融合内核按块计算，从不保存 L×L 矩阵（测试套件用 "
        "PyTorch 的 profiler 验证了这一点），因此它的内存和 Q、K、V、O 一样按 L·d_k 增长。但它仍然计算全部 L² "
        "个得分，所以时间同样按 L² 增长。",
    },
    # 2. masks
    "cost.masks.title": {"en": "How many scores a mask keeps", "zh": "掩码保留了多少得分"},
    "cost.masks.intro": {
        "en": "A mask (True = may attend) decides which of the L² scores are used. The counts are exact: "
        "closed-form formulas, which the tests check against the masks of core/masks.py.",
        "zh": "掩码（True = 可以关注）决定 L² 个得分中哪些会被使用。下面的计数是精确值：由闭式公式算出，"
        "测试用 core/masks.py 中的掩码逐一验证。",
    },
    "cost.window": {"en": "Window w", "zh": "窗口 w"},
    "cost.window.help": {
        "en": "Sliding window: query i sees the keys j with |i − j| ≤ w.",
        "zh": "滑动窗口：查询 i 只关注 |i − j| ≤ w 的键 j。",
    },
    "cost.block": {"en": "Block b", "zh": "块大小 b"},
    "cost.block.help": {
        "en": "Block: the sequence is cut into blocks of b tokens; a query sees only its own block.",
        "zh": "分块：序列被切成每块 b 个词元，查询只关注自己所在的块。",
    },
    "cost.stride": {"en": "Stride s", "zh": "步长 s"},
    "cost.stride.help": {
        "en": "Strided: query i sees the keys j, before and after it, where i − j is a multiple of s (every s-th "
        "token). Not causal: the Sparse Transformer's strided head keeps only j ≤ i.",
        "zh": "跨步：查询 i 关注它前后、i − j 为 s 的倍数的键 j（每隔 s 个词元取一个）。它不是因果的："
        "Sparse Transformer 的跨步头只保留 j ≤ i。",
    },
    "cost.kind.none": {"en": "full", "zh": "完整"},  # no mask: every score kept
    "cost.kind.causal": {"en": "causal", "zh": "因果"},
    "cost.kind.sliding": {"en": "sliding window", "zh": "滑动窗口"},
    "cost.kind.block": {"en": "block", "zh": "分块"},
    "cost.kind.strided": {"en": "strided", "zh": "跨步"},
    "cost.always": {"en": "always", "zh": "总是"},
    "cost.col.mask": {"en": "mask", "zh": "掩码"},
    "cost.col.rule": {"en": "query i may attend to key j when", "zh": "查询 i 可以关注键 j 的条件"},
    "cost.col.count": {"en": "scores computed", "zh": "计算的得分数"},
    "cost.col.share": {"en": "share of L²", "zh": "占 L² 的比例"},
    "cost.col.growth": {"en": "grows like", "zh": "增长阶"},
    "cost.share": {"en": "share of pairs allowed", "zh": "允许的配对比例"},
    "cost.chart.patterns": {
        "en": "The masks at L = {L} (one tile = {side}×{side} query–key pairs)",
        "zh": "L = {L} 时的掩码（每个小块 = {side}×{side} 个查询–键配对）",
    },
    "cost.chart.counts": {"en": "Scores kept against L (log–log)", "zh": "保留的得分数随 L 的变化（双对数坐标）"},
    "cost.axis.count": {"en": "scores computed", "zh": "计算的得分数"},
    "cost.masks.note": {
        "en": "A dense kernel (the naive version above, or F.scaled_dot_product_attention given a mask) still "
        "computes all L² scores and then discards the masked ones, so a mask alone saves no time; the savings "
        "need a kernel that skips masked blocks. With a fixed w or b the count grows like L; a strided mask "
        "keeps about L²/s, which is L·√L when s ≈ √L (the stride the Sparse Transformer chose for its causal, local + "
        "strided pattern).",
        "zh": "稠密内核（上面的朴素实现，或传入掩码的 F.scaled_dot_product_attention）仍会计算全部 L² 个得分，"
        "再丢弃被遮蔽的那些，所以单靠掩码并不能节省时间；要节省，需要能跳过被遮蔽块的内核。w 或 b 固定时，"
        "得分数按 L 增长；跨步掩码约保留 L²/s 个，当 s ≈ √L 时即为 L·√L（Sparse Transformer 为其因果的“局部 + 跨步”"
        "模式选择的步长）。",
    },
}
