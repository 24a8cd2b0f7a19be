"""Strings of the multi-head lesson (app_pages/multi_head.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "mh.title": {"en": "Multi-head attention", "zh": "多头注意力"},
    "mh.intro": {
        "en": "Multi-head attention splits d_model into H heads of d_k = d_model / H features. Each head has its "
        "own slice of W_Q, W_K and W_V, so it computes its own weights; the heads' outputs are put side by side "
        "(concatenated) and mixed by W_O. Every number below is computed live from the sidebar's settings.",
        "zh": "多头注意力把 d_model 拆成 H 个头，每个头有 d_k = d_model / H 维。"
        "每个头使用 W_Q、W_K、W_V 中属于自己的一段，因此算出自己的一组注意力权重；"
        "各头的输出并排拼接，再经 W_O 线性变换混合。下面的每个数字都按侧边栏的设置实时计算。",
    },
    # Every head
    "mh.grid.header": {"en": "Every head's weights", "zh": "每个头的注意力权重"},
    "mh.grid.title": {
        "en": "Attention weights of every head (rows: queries, columns: keys)",
        "zh": "每个头的注意力权重（行：查询，列：键）",
    },
    "mh.grid.caption": {
        "en": "Same sentence, same embeddings, {heads} heads: each head sees the tokens through its own "
        "projections, so the same query can weight the keys differently in each head.",
        "zh": "同一个句子、同样的词嵌入、{heads} 个头：每个头通过自己的投影看这些词元，"
        "所以同一个查询在不同的头里对各个键的权重可以不同。",
    },
    # Shapes
    "mh.shapes.header": {"en": "Shapes, from X to the output", "zh": "从 X 到输出的形状"},
    "mh.shapes.title": {"en": "Shape flow (boxes drawn to scale)", "zh": "形状流程（方块按比例绘制）"},
    "mh.shapes.shape": {"en": "shape", "zh": "形状"},
    "mh.shapes.caption": {
        "en": "Each box is a matrix drawn to scale: width = columns, height = rows (1 entry = {unit:.2f} px; "
        "boxes never get thinner than 2 px). Colour = head; grey tensors belong to all heads. The split is only a "
        "reshape (view + transpose): the {heads} heads of d_k = {d_k} tile d_model = {d_model} exactly, and the "
        "concat puts them back side by side.",
        "zh": "每个方块是一个按比例绘制的矩阵：宽 = 列数，高 = 行数（1 个元素 = {unit:.2f} 像素；方块最窄 2 像素）。"
        "颜色表示头；灰色张量属于所有头。拆分只是改变形状（view + transpose）：{heads} 个 d_k = {d_k} 的头恰好铺满 "
        "d_model = {d_model}，拼接再把它们并排放回去。",
    },
    "mh.stage.input": {"en": "X: token embeddings", "zh": "X：词嵌入"},
    "mh.stage.qkv": {"en": "Q, K, V (each): X·W, split into heads", "zh": "Q、K、V（各一个）：X·W 后拆分成多头"},
    "mh.stage.weights": {"en": "Weights: softmax(QKᵀ/√d_k + M)", "zh": "权重：softmax(QKᵀ/√d_k + M)"},
    "mh.stage.head_outputs": {"en": "Head outputs: weights · V", "zh": "各头输出：权重 · V"},
    "mh.stage.concat": {"en": "Concat: heads side by side", "zh": "拼接：各头并排"},
    "mh.stage.output": {"en": "Output: concat · W_O", "zh": "输出：拼接 · W_O"},
    "mh.code.split": {"en": "The code that splits and merges the heads", "zh": "拆分与合并多头的代码"},
    "mh.code.forward": {
        "en": "The whole forward pass (core/multihead.py)",
        "zh": "完整的前向计算（core/multihead.py）",
    },
    # Different heads
    "mh.div.header": {"en": "Do different heads attend to different things?", "zh": "不同的头关注的内容不同吗?"},
    "mh.div.metric": {"en": "Distance between two heads", "zh": "两个头之间的距离"},
    "mh.div.metric.js": {"en": "Jensen–Shannon (bits)", "zh": "JS 散度（比特）"},
    "mh.div.metric.tv": {"en": "Total variation", "zh": "总变差距离"},
    "mh.div.metric.help": {
        "en": "Both compare two heads' weight rows for the same query and average over the queries: 0 = the two "
        "heads weight the keys identically, 1 = they attend to completely different keys.",
        "zh": "两者都比较同一个查询在两个头中的权重行，再对所有查询取平均：0 = 两个头对各键的权重完全相同，"
        "1 = 它们关注的键完全不同。",
    },
    "mh.div.title.js": {
        "en": "Mean Jensen–Shannon divergence between heads (bits)",
        "zh": "各头之间的平均 JS 散度（比特）",
    },
    "mh.div.title.tv": {
        "en": "Mean total variation distance between heads",
        "zh": "各头之间的平均总变差距离",
    },
    "mh.div.value": {"en": "distance", "zh": "距离"},
    "mh.div.summary": {
        "en": "Mean distance between two different heads: {mean:.3f} (most alike: heads {near_a} and {near_b}, "
        "{near:.3f}; most different: heads {far_a} and {far_b}, {far:.3f}; 0 = identical, 1 = disjoint).",
        "zh": "两个不同头之间的平均距离：{mean:.3f}（最相似：头 {near_a} 与头 {near_b},{near:.3f}；"
        "差别最大：头 {far_a} 与头 {far_b},{far:.3f};0 = 完全相同，1 = 完全不重叠）。",
    },
    "mh.div.summary_pair": {
        "en": "Distance between head 0 and head 1: {distance:.3f} (0 = identical, 1 = disjoint).",
        "zh": "头 0 与头 1 之间的距离：{distance:.3f}（0 = 完全相同，1 = 完全不重叠）。",
    },
    "mh.div.disagree": {
        "en": "For {disagree} of {live} queries the heads do not all pick the same top key.",
        "zh": "在 {live} 个查询中，有 {disagree} 个查询的各头最关注的键不全相同。",
    },
    "mh.div.top_title": {
        "en": "Each head's most-weighted key, per query (weight in brackets)",
        "zh": "每个查询在各头中权重最大的键（括号内为权重）",
    },
    "mh.div.query": {"en": "query", "zh": "查询"},
    "mh.div.untrained": {
        "en": "Honest caveat: these heads are untrained. They differ because their randomly drawn W_Q and W_K "
        "differ, not because they learned syntax or coreference. Training turns such differences into the "
        "specialised heads the literature describes; what this page proves is the mechanism: each head has "
        "its own weights, computed independently.",
        "zh": "说明：这些头没有经过训练。它们不同，是因为随机生成的 W_Q、W_K 不同，而不是因为学会了语法或指代关系。"
        "训练会把这种差异变成文献中描述的“分工明确”的头；本页证明的是机制本身：每个头有自己独立计算的权重。",
    },
    "mh.div.one_head": {
        "en": "With one head there is nothing to compare: set Heads to 2 or more in the sidebar.",
        "zh": "只有一个头时无从比较：请在侧边栏把头数设为 2 或更多。",
    },
    # Parity with PyTorch
    "mh.parity.header": {"en": "Live check against PyTorch", "zh": "与 PyTorch 的实时对比"},
    "mh.parity.intro": {
        "en": "torch.nn.MultiheadAttention(d_model={d_model}, num_heads={heads}, batch_first=True, bias=False) is "
        "built with weights drawn from seed {seed}; MultiHeadAttention.from_torch copies them, and that copy "
        "computed every chart above. Both now run on the same embeddings with the same mask.",
        "zh": "用种子 {seed} 生成权重，构建 torch.nn.MultiheadAttention(d_model={d_model}, num_heads={heads}, "
        "batch_first=True, bias=False);MultiHeadAttention.from_torch 复制这些权重，上面所有图表都由这个副本计算。"
        "现在两者在相同的词嵌入和相同的掩码上运行。",
    },
    "mh.parity.output": {"en": "Max |difference|, outputs", "zh": "输出的最大绝对差"},
    "mh.parity.weights": {"en": "Max |difference|, per-head weights", "zh": "各头权重的最大绝对差"},
    "mh.parity.rows": {"en": "Queries compared", "zh": "参与比较的查询数"},
    "mh.parity.pass": {
        "en": "Both differences are ≤ 1e-5 (float32 rounding): the hand-written layer computes what PyTorch computes.",
        "zh": "两个差值都 ≤ 1e-5（float32 舍入误差）：手写的多头注意力与 PyTorch 的计算结果相同。",
    },
    "mh.parity.fail": {
        "en": "A difference is above 1e-5: the two layers disagree. This is a bug; please report it.",
        "zh": "有差值超过 1e-5：两个实现的结果不一致。这是一个错误，请报告。",
    },
    "mh.parity.mask_note": {
        "en": "Mask: ours means True = may attend; nn.MultiheadAttention's bool attn_mask means True = may NOT "
        "attend, so it receives ~allowed. Weights are compared per head (need_weights=True, "
        "average_attn_weights=False).",
        "zh": "掩码：本项目中 True = 可以关注；nn.MultiheadAttention 的布尔 attn_mask 中 True = 不可以关注，"
        "所以传给它的是 ~allowed。权重按头逐一比较(need_weights=True,average_attn_weights=False)。",
    },
    "mh.parity.nan_rows": {
        "en": "Rows {rows} can attend to no key. Called with need_weights=True, as this check calls it, PyTorch "
        "returns NaN there (softmax of a row of −∞; it returned NaN in {nan} rows); ours returns 0. Those rows "
        "are left out of the comparison. With need_weights=False, nn.MultiheadAttention hands the work to "
        "F.scaled_dot_product_attention, which returns 0 as ours does, except on its inference fast path "
        "(eval mode without autograd), which still returns NaN (torch 2.13).",
        "zh": "第 {rows} 行不能关注任何键。像本检查这样以 need_weights=True 调用时，PyTorch 在这些行返回 NaN"
        "（全为 −∞ 的行做 softmax；共有 {nan} 行为 NaN），本项目返回 0。这些行不参与比较。"
        "若 need_weights=False,nn.MultiheadAttention 会交给 F.scaled_dot_product_attention 计算，它与本项目一样返回 0；"
        "但推理快速路径（eval 模式且不求梯度）仍返回 NaN(torch 2.13)。",
    },
    "mh.parity.nothing": {
        "en": "No query can attend to any key, so there is nothing to compare. Type some words or change the mask.",
        "zh": "没有任何查询可以关注任何键，因此无从比较。请输入一些文字或更换掩码。",
    },
    "mh.parity.code": {"en": "The code of this check (core/parity.py)", "zh": "这项检查的代码（core/parity.py）"},
}
