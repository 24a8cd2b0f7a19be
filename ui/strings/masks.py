"""Strings of the “Masks” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "masks.title": {"en": "Masks: what a query may not see", "zh": "掩码：查询不能看到什么"},
    "masks.intro": {
        "en": "A mask decides, for every query, which keys it may attend to. A masked score becomes −∞ before the "
        "softmax, and e^−∞ = 0, so its weight is exactly 0 and the other weights of the row still sum to 1. "
        "Every number below is computed live.",
        "zh": "掩码为每个查询规定它可以关注哪些键。被遮蔽的得分在 softmax 之前变成 −∞，而 e^−∞ = 0，"
        "所以它的权重恰好为 0，同一行其余的权重之和仍为 1。下面的每个数字都是实时计算的。",
    },
    "masks.view": {"en": "Part", "zh": "部分"},
    "masks.view.patterns": {"en": "Mask patterns", "zh": "掩码模式"},
    "masks.view.padding": {"en": "Padding a batch", "zh": "批次填充"},
    "masks.view.fill": {"en": "−∞ or −1e9?", "zh": "−∞ 还是 −1e9?"},
    "masks.view.convention": {"en": "True means…?", "zh": "True 表示什么?"},
    # Patterns
    "masks.kind": {"en": "Mask", "zh": "掩码"},
    "masks.kind.none": {"en": "none", "zh": "无"},
    "masks.kind.causal": {"en": "causal", "zh": "因果"},
    "masks.kind.sliding": {"en": "sliding window", "zh": "滑动窗口"},
    "masks.kind.block": {"en": "block", "zh": "分块"},
    "masks.kind.strided": {"en": "strided", "zh": "跨步"},
    "masks.kind.global": {"en": "global tokens", "zh": "全局词元"},
    "masks.kind.custom": {"en": "custom", "zh": "自定义"},
    "masks.kind.causal.help": {
        "en": "Query i sees keys 0…i: no peeking at later tokens (decoders, text generation).",
        "zh": "查询 i 只能看到键 0…i：不能偷看后面的词元（解码器、文本生成）。",
    },
    "masks.kind.sliding.help": {
        "en": "Query i sees keys with |i − j| ≤ window: local attention, cost grows like L × window, not L².",
        "zh": "查询 i 只能看到满足 |i − j| ≤ 窗口 的键：局部注意力，计算量约为 L × 窗口，而不是 L²。",
    },
    "masks.kind.block.help": {
        "en": "The sequence is cut into blocks; a query sees only the keys of its own block (blockwise attention).",
        "zh": "序列被切成若干块；查询只能看到自己所在块的键（分块注意力）。",
    },
    "masks.kind.strided.help": {
        "en": "Query i sees keys j, before and after it, where i − j is a multiple of the stride. The Sparse "
        "Transformer (Child et al. 2019) uses only the causal half (j ≤ i), paired with a local window.",
        "zh": "查询 i 能看到它前后、i − j 为步长整数倍的键 j。Sparse Transformer（Child 等，2019）只用其中的因果部分"
        "（j ≤ i），并与一个局部窗口搭配使用。",
    },
    "masks.kind.global.help": {
        "en": "A sliding window plus global tokens (as in Longformer): a global token sees every key and every "
        "query sees it.",
        "zh": "滑动窗口加上全局词元（如 Longformer）：全局词元能看到所有键，所有查询也都能看到它。",
    },
    "masks.kind.custom.help": {
        "en": "Rows are queries, columns are keys; a tick means “may attend”. Click a box to change it. Untick a "
        "whole row to see what a fully masked row does.",
        "zh": "行是查询，列是键；勾选表示“可以关注”。点击方框即可修改。把一整行都取消勾选，"
        "看看完全被遮蔽的一行会怎样。",
    },
    "masks.block": {"en": "Block size (tokens)", "zh": "块大小（词元数）"},
    "masks.stride": {"en": "Stride (tokens)", "zh": "步长（词元数）"},
    "masks.window": {"en": "Window (tokens each side)", "zh": "窗口（每侧词元数）"},
    "masks.global": {"en": "Global positions", "zh": "全局位置"},
    "masks.global.help": {
        "en": "Positions of the global tokens, separated by commas, e.g. 0, 7.",
        "zh": "全局词元的位置，用逗号分隔，例如 0, 7。",
    },
    "masks.global.bad": {
        "en": "Global positions must be whole numbers from 0 to {max}, separated by commas. Used: {used}.",
        "zh": "全局位置必须是 0 到 {max} 之间的整数，用逗号分隔。实际使用：{used}。",
    },
    "masks.custom.reset.all": {"en": "Allow all", "zh": "全部允许"},
    "masks.custom.reset.causal": {"en": "Causal", "zh": "因果"},
    "masks.custom.reset.none": {"en": "Mask all", "zh": "全部遮蔽"},
    "masks.custom.bad_code": {
        "en": "The custom mask in the link could not be read; the causal mask is used instead.",
        "zh": "无法读取链接中的自定义掩码，改用因果掩码。",
    },
    "masks.custom.cut": {
        "en": "The custom grid holds at most {max} tokens, so only the first {max} are used here.",
        "zh": "自定义网格最多容纳 {max} 个词元，因此这里只使用前 {max} 个。",
    },
    "masks.legend.allowed": {"en": "1 = may attend", "zh": "1 = 可以关注"},
    "masks.stats": {
        "en": "{allowed} of {total} scores are allowed ({share:.0%}).",
        "zh": "{total} 个得分中允许 {allowed} 个（{share:.0%}）。",
    },
    "masks.exact_zero": {
        "en": "The {masked} masked scores hold −∞ ({neg_inf} −∞ cells in this head); the largest weight any "
        "head gives a masked key is {largest}.",
        "zh": "{masked} 个被遮蔽的得分为 −∞（此头中有 {neg_inf} 个 −∞ 单元格）；"
        "所有头中被遮蔽的键得到的最大权重为 {largest}。",
    },
    "masks.latex.allowed": {"en": "allowed", "zh": "允许"},
    "masks.latex.masked": {"en": "masked", "zh": "遮蔽"},
    "masks.table.title": {"en": "How many scores each mask keeps", "zh": "每种掩码保留多少个得分"},
    "masks.table.caption": {
        "en": "For L = {L} with the current window, block, stride, global positions and custom grid. Fewer "
        "allowed scores = less work for sparse attention kernels.",
        "zh": "L = {L}，使用当前的窗口、块大小、步长、全局位置和自定义网格。允许的得分越少，稀疏注意力的计算量就越小。",
    },
    "masks.table.kind": {"en": "mask", "zh": "掩码"},
    "masks.table.allowed": {"en": "allowed scores", "zh": "允许的得分数"},
    "masks.table.total": {"en": "of L × L", "zh": "总数 L × L"},
    "masks.table.share": {"en": "share", "zh": "占比"},
    "masks.table.empty_rows": {"en": "fully masked rows", "zh": "完全被遮蔽的行数"},
    "masks.code": {"en": "The code that builds this mask", "zh": "构造此掩码的代码"},
    # Padding
    "masks.padding.intro": {
        "en": "Sentences in a batch have different lengths, so the shorter ones are filled with <pad> tokens up to "
        "the longest. The padding mask (shape [B, 1, 1, L]) hides the <pad> keys from every query. Sentence 1 is "
        "the sidebar's sequence; the other two are fixed examples.",
        "zh": "同一批次中的句子长度不同，较短的句子用 <pad> 词元补齐到最长句子的长度。填充掩码（形状 [B, 1, 1, L]）"
        "让所有查询都看不到 <pad> 键。句子 1 是侧边栏中的序列，另外两句是固定的示例。",
    },
    "masks.padding.toggle": {"en": "Apply the padding mask", "zh": "使用填充掩码"},
    "masks.padding.sentence": {"en": "Sentence {n} ({length} tokens)", "zh": "句子 {n}（{length} 个词元）"},
    "masks.padding.row": {"en": "sentence {n}", "zh": "句子 {n}"},
    "masks.padding.mask_chart": {
        "en": "Padding mask: one row per sentence (True = real token)",
        "zh": "填充掩码：每个句子一行（True = 真实词元）",
    },
    "masks.padding.shape": {
        "en": "The batch is [B, L] = [{B}, {L}]; the mask broadcasts as [B, 1, 1, L] over heads and queries.",
        "zh": "批次形状为 [B, L] = [{B}, {L}]；掩码以 [B, 1, 1, L] 的形状在头和查询两个维度上广播。",
    },
    "masks.padding.pad_weight": {
        "en": "Largest weight a real token gives a <pad> key",
        "zh": "真实词元给 <pad> 键的最大权重",
    },
    "masks.padding.diff": {
        "en": "Max |output in the batch − sentence alone|",
        "zh": "最大 |批次中的输出 − 单独计算的输出|",
    },
    "masks.padding.with_mask": {
        "en": "With the mask, {pad} keys get weight exactly 0, and every real token's output equals the output of "
        "its sentence computed alone, without padding (differences are float rounding only).",
        "zh": "使用掩码时，{pad} 键的权重恰好为 0，每个真实词元的输出与其句子单独（不填充）计算的输出相同"
        "（差异只是浮点舍入误差）。",
    },
    "masks.padding.without_mask": {
        "en": "Without the mask, {pad} keys take part in the softmax: they steal weight from the real tokens, and "
        "the same sentence gives different outputs depending on how much padding its batch needed.",
        "zh": "不使用掩码时，{pad} 键参与 softmax：它们从真实词元那里分走权重，"
        "同一个句子的输出会随批次中填充的多少而改变。",
    },
    "masks.padding.pad_queries": {
        "en": "The rows of {pad} queries still attend to the real tokens; their outputs are ignored later (e.g. by "
        "the loss), so only the keys need masking.",
        "zh": "{pad} 查询所在的行仍然会关注真实词元；它们的输出之后会被忽略（例如不计入损失），所以只需遮蔽键。",
    },
    "masks.padding.empty": {
        "en": "Sentence {sentences} has no tokens: every key is masked, so its rows get weight 0.",
        "zh": "句子 {sentences} 没有词元：所有键都被遮蔽，因此这些行的权重为 0。",
    },
    # −∞ or −1e9
    "masks.fill.intro": {
        "en": "Tutorials fill masked scores with −∞ or with a large negative number such as −1e9. Here the causal "
        "mask is applied to the sentence's scores both ways — the fill replacing the score (masked_fill) or added "
        "to it (a float mask, as PyTorch's attn_mask) — in float32 and float16.",
        "zh": "教程中把被遮蔽的得分填成 −∞，或者填成很大的负数（如 −1e9）。这里用两种方式对句子的得分施加因果掩码——"
        "用填充值替换得分（masked_fill），或把填充值加到得分上（浮点掩码，与 PyTorch 的 attn_mask 相同）——"
        "分别在 float32 和 float16 中计算。",
    },
    "masks.fill.scale": {"en": "Score size", "zh": "得分放大倍数"},
    "masks.fill.scale.help": {
        "en": "Multiplies the scores, to see when a finite fill stops being “large enough”.",
        "zh": "把得分乘以这个倍数，看看有限的填充值何时不再“足够大”。",
    },
    "masks.fill.setup": {
        "en": "Scores: head {head}'s scaled scores for the {L} tokens × {scale}; the largest |score| is {largest:.4g}.",
        "zh": "得分：第 {head} 个头对 {L} 个词元的缩放得分 × {scale}；最大的 |得分| 为 {largest:.4g}。",
    },
    "masks.fill.col.fill": {"en": "fill", "zh": "填充值"},
    "masks.fill.col.dtype": {"en": "dtype", "zh": "数据类型"},
    "masks.fill.col.stored": {"en": "stored as", "zh": "实际存储为"},
    "masks.fill.col.masked_fill": {"en": "masked_fill(~allowed, fill)", "zh": "masked_fill（~allowed, 填充值）"},
    "masks.fill.col.replace": {"en": "weight on masked keys (fill replaces)", "zh": "被遮蔽键的权重（替换）"},
    "masks.fill.col.add": {"en": "weight on masked keys (fill added)", "zh": "被遮蔽键的权重（相加）"},
    "masks.fill.col.fully": {"en": "a fully masked row", "zh": "完全被遮蔽的一行"},
    "masks.fill.ok": {"en": "works", "zh": "正常"},
    "masks.fill.error": {"en": "raises an error", "zh": "报错"},
    "masks.fill.error_text": {"en": "PyTorch's error: “{error}”", "zh": "PyTorch 的报错信息：“{error}”"},
    "masks.fill.nan_rows": {"en": "(rows with NaN: {n})", "zh": "({n} 行出现 NaN)"},
    "masks.fill.row.nan": {"en": "NaN (0/0)", "zh": "NaN(0/0)"},
    "masks.fill.row.uniform": {"en": "uniform: 1/{n} = {w:.3f} each", "zh": "均匀分布：每个 1/{n} = {w:.3f}"},
    "masks.fill.row.zeros": {"en": "all 0", "zh": "全为 0"},
    "masks.fill.row.uneven": {"en": "uneven weights", "zh": "不均匀的权重"},
    "masks.fill.same32": {
        "en": "**float32:** in rows that keep at least one key, −∞ and −1e9 both give masked keys weight "
        "{inf} and {big}: e^(−1e9 − max) underflows to exactly 0.",
        "zh": "**float32:**在至少保留一个键的行中，−∞ 和 −1e9 给被遮蔽键的权重分别是 {inf} 和 {big}:"
        "e^（−1e9 − 最大值）下溢为精确的 0。",
    },
    "masks.fill.fully": {
        "en": "**A fully masked row** is where they differ: with −∞ the softmax is 0/0 = NaN, which spreads through "
        "everything after it; with −1e9 every score is equal, so the query silently attends to all {n} keys it "
        "must not see (1/{n} = {w:.3f} each). This app, like F.scaled_dot_product_attention, returns 0 for such "
        "rows instead.",
        "zh": "**完全被遮蔽的一行**才是两者的区别：用 −∞ 时 softmax 为 0/0 = NaN，并会传播到后续所有计算；"
        "用 −1e9 时所有得分相等，于是这个查询悄悄地平均关注了本不该看到的全部 {n} 个键（每个 1/{n} = {w:.3f}）。"
        "本应用与 F.scaled_dot_product_attention 一样，对这样的行返回 0。",
    },
    "masks.fill.half": {
        "en": "**float16** holds at most 65504: −1e9 is stored as {stored}, and masked_fill refuses it outright. So "
        "float16 code either uses −∞ (and its NaN rows) or a finite fill such as −1e4 or torch.finfo(float16).min.",
        "zh": "**float16** 最大只能表示 65504:−1e9 被存储为 {stored},masked_fill 会直接报错。"
        "因此 float16 代码要么使用 −∞（以及它带来的 NaN 行），"
        "要么使用 −1e4 或 torch.finfo(float16).min 这样的有限填充值。",
    },
    "masks.fill.half_min": {
        "en": "torch.finfo(float16).min = {fill} is safe to *replace* a score (masked_fill), not to *add*: in "
        "float16, {low} + ({fill}) = {low_sum} but {high} + ({fill}) = {high_sum}, since the sum rounds past the "
        "most negative float16. A fully masked row with scores {scores} becomes {sums}, and its softmax is "
        "{weights}: {kind}.",
        "zh": "torch.finfo(float16).min = {fill} 可以用来*替换*得分（masked_fill），但不能*相加*：在 float16 中，"
        "{low} + ({fill}) = {low_sum}，而 {high} + ({fill}) = {high_sum}，因为和超出了 float16 能表示的最小值。"
        "一个完全被遮蔽、得分为 {scores} 的行会变成 {sums}，它的 softmax 为 {weights}:{kind}。",
    },
    "masks.fill.leaks": {
        "en": "At × {scale}, adding −1e4 is not enough: masked keys get up to {leak16} of a row's total weight of 1 "
        "in float16 ({leak32} in float32). A finite fill only works while it is far larger than the scores.",
        "zh": "放大 {scale} 倍时，加上 −1e4 已经不够：在 float16 中被遮蔽的键最多得到一行总权重 1 中的 {leak16}"
        "（float32 中为 {leak32}）。有限的填充值只有在远大于得分时才有效。",
    },
    "masks.fill.holds": {
        "en": "At × {scale}, adding −1e4 still hides the masked keys (largest weight on them: {leak16} in float16, "
        "{leak32} in float32). Raise the score size to see it fail.",
        "zh": "放大 {scale} 倍时，加上 −1e4 仍能遮住被遮蔽的键（它们得到的最大权重：float16 中为 {leak16},"
        "float32 中为 {leak32}）。增大得分放大倍数，看看它何时失效。",
    },
    "masks.fill.too_short": {
        "en": "With one token the causal mask hides nothing; use a longer sequence.",
        "zh": "只有一个词元时，因果掩码什么也不遮蔽；请使用更长的序列。",
    },
    # Conventions
    "masks.convention.intro": {
        "en": "PyTorch has two opposite bool conventions. F.scaled_dot_product_attention: True = may attend. "
        "nn.MultiheadAttention: True = may NOT attend. Below, the same weights go into both, copied into an "
        "nn.MultiheadAttention; F.scaled_dot_product_attention's weights are read out by passing the identity "
        "matrix as V.",
        "zh": "PyTorch 有两种相反的布尔掩码约定。F.scaled_dot_product_attention:True = 可以关注。"
        "nn.MultiheadAttention:True = 不可以关注。下面两者使用同样的权重（复制到一个 nn.MultiheadAttention 中）；"
        "F.scaled_dot_product_attention 的注意力权重是把单位矩阵作为 V 传入后读出的。",
    },
    "masks.convention.sdpa": {"en": "sdpa weights, attn_mask=allowed", "zh": "sdpa 的权重，attn_mask=allowed"},
    "masks.convention.mha_inverted": {"en": "mha weights, attn_mask=~allowed", "zh": "mha 的权重，attn_mask=~allowed"},
    "masks.convention.mha_same": {"en": "mha weights, attn_mask=allowed ✗", "zh": "mha 的权重，attn_mask=allowed ✗"},
    "masks.convention.code.copied": {"en": "our weights copied in", "zh": "复制了我们的权重"},
    "masks.convention.code.may": {"en": "True = may attend", "zh": "True = 可以关注"},
    "masks.convention.code.may_not": {"en": "True = may NOT attend", "zh": "True = 不可以关注"},
    "masks.convention.code.same": {
        "en": "the same tensor, read the opposite way",
        "zh": "同一个张量，含义被反过来理解",
    },
    "masks.convention.diff_right": {
        "en": "Max |difference|, mask inverted for MultiheadAttention",
        "zh": "最大 |差异|，为 MultiheadAttention 取反掩码",
    },
    "masks.convention.diff_wrong": {
        "en": "Max |difference|, the same bool tensor to both",
        "zh": "最大 |差异|，两者使用同一个布尔张量",
    },
    "masks.convention.ours": {
        "en": "This app's own attention agrees with F.scaled_dot_product_attention to {diff}. Grey cells are the "
        "keys each call hides: given the same tensor, nn.MultiheadAttention hides exactly the keys we allowed.",
        "zh": "本应用自己的注意力与 F.scaled_dot_product_attention 的差异为 {diff}。灰色单元格是每次调用遮蔽的键："
        "使用同一个张量时，nn.MultiheadAttention 遮蔽的恰好是我们允许的键。",
    },
    "masks.convention.nan_same": {
        "en": "Given the same tensor, nn.MultiheadAttention hides every key of a row we fully allowed (such rows "
        "here: {n}) and returns NaN weights there.",
        "zh": "使用同一个张量时，nn.MultiheadAttention 有 {n} 行的所有键都被遮蔽（原本全部允许的行），"
        "这些行的权重为 NaN。",
    },
    "masks.convention.nan_inverted": {
        "en": "nn.MultiheadAttention returns NaN weights in fully masked rows (here: {n}), where "
        "F.scaled_dot_product_attention returns 0; the differences above leave those rows out.",
        "zh": "在 {n} 个完全被遮蔽的行中，nn.MultiheadAttention 返回 NaN 权重，"
        "而 F.scaled_dot_product_attention 返回 0；"
        "上面的差异不计入这些行。",
    },
}
