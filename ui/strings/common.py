"""Strings shared by every page: app chrome, the playground's controls and charts, notices."""

STRINGS: dict[str, dict[str, str]] = {
    # App and navigation
    "app.title": {"en": "Attention Lab", "zh": "注意力实验室"},
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.playground": {"en": "Playground", "zh": "演练场"},
    "nav.section.tools": {"en": "Tools", "zh": "工具"},
    "nav.section.lessons": {"en": "Lessons", "zh": "课程"},
    "nav.steps": {"en": "Step by step", "zh": "逐步计算"},
    "nav.why_scale": {"en": "Why √d_k", "zh": "为什么除以 √d_k"},
    "nav.masks": {"en": "Masks", "zh": "掩码"},
    "nav.multi_head": {"en": "Multi-head", "zh": "多头注意力"},
    "nav.self_cross": {"en": "Self vs cross", "zh": "自注意力与交叉注意力"},
    "nav.variants": {"en": "Variants", "zh": "注意力变体"},
    "nav.mistakes": {"en": "Common mistakes", "zh": "常见错误"},
    "nav.position": {"en": "Position", "zh": "位置编码"},
    "nav.cost": {"en": "Cost", "zh": "计算代价"},
    "nav.section.models": {"en": "Real models", "zh": "真实模型"},
    "nav.training": {"en": "Training", "zh": "训练"},
    "nav.pretrained": {"en": "Pretrained model", "zh": "预训练模型"},
    "msg.coming_soon": {"en": "This lesson is being written.", "zh": "本课正在编写中。"},
    # Playground header
    "pg.title": {"en": "Attention playground", "zh": "注意力演练场"},
    "pg.intro": {
        "en": "Each token's query is compared with every key (Q·Kᵀ), scaled by 1/√d_k, masked, turned into "
        "weights by a row softmax, and used to mix the values. Every number below is computed live.",
        "zh": "每个词元的查询（Q）与所有键（K）做点积（Q·Kᵀ），乘以 1/√d_k 缩放，再加掩码，"
        "按行 softmax 得到注意力权重，"
        "最后对值（V）加权求和。下面的每个数字都是实时计算的。",
    },
    # Controls
    "ctl.input": {"en": "Input", "zh": "输入"},
    "ctl.input.sentence": {"en": "Sentence", "zh": "句子"},
    "ctl.input.random": {"en": "Random tokens", "zh": "随机词元"},
    "ctl.sentence": {"en": "Sentence", "zh": "句子"},
    "ctl.sentence.help": {
        "en": "Words for space-separated text, one token per character for Chinese.",
        "zh": "英文等按空格分词，中文每个字是一个词元。",
    },
    "ctl.seq_len": {"en": "Sequence length", "zh": "序列长度"},
    "ctl.seq_len.help": {
        "en": "Number of tokens L. A shorter sentence is padded with <pad>; a longer one is cut.",
        "zh": "词元个数 L。句子较短时用 <pad> 填充，较长时截断。",
    },
    "ctl.d_k": {"en": "d_k", "zh": "d_k"},
    "ctl.d_k.help": {"en": "Size of each head's query and key vectors.", "zh": "每个头的查询向量和键向量的维度。"},
    "ctl.heads": {"en": "Heads", "zh": "头数"},
    "ctl.mask": {"en": "Mask", "zh": "掩码"},
    "ctl.mask.none": {"en": "none", "zh": "无"},
    "ctl.mask.causal": {"en": "causal", "zh": "因果"},
    "ctl.mask.padding": {"en": "padding", "zh": "填充"},
    "ctl.mask.sliding": {"en": "sliding window", "zh": "滑动窗口"},
    "ctl.window": {"en": "Window (tokens each side)", "zh": "窗口（每侧词元数）"},
    "ctl.seed": {"en": "Seed", "zh": "随机种子"},
    "ctl.seed.help": {
        "en": "Same seed, same numbers: embeddings and weights are drawn from it.",
        "zh": "相同的种子得到相同的数字：词嵌入和权重都由它生成。",
    },
    "ctl.head": {"en": "Head shown", "zh": "显示的头"},
    "ctl.show_qkv": {"en": "Show Q, K, V", "zh": "显示 Q、K、V"},
    "ctl.d_model": {
        "en": "d_model = Heads × d_k = {heads} × {d_k} = {d_model}",
        "zh": "d_model = 头数 × d_k = {heads} × {d_k} = {d_model}",
    },
    # Notices
    "msg.cut": {
        "en": "The sentence has {n} tokens; only the first {max} are used.",
        "zh": "句子有 {n} 个词元，只使用前 {max} 个。",
    },
    "msg.padded": {
        "en": "The sentence has {n} tokens; {pad} <pad> tokens fill it up to the sequence length {L}.",
        "zh": "句子有 {n} 个词元，用 {pad} 个 <pad> 填充到序列长度 {L}。",
    },
    "msg.shortened": {
        "en": "The sentence has {n} tokens; the sequence length {L} shows the first {L}.",
        "zh": "句子有 {n} 个词元，序列长度为 {L}，只显示前 {L} 个。",
    },
    "msg.empty": {
        "en": "The sentence has no tokens, so the <pad> tokens are shown. Type some words.",
        "zh": "句子中没有词元，因此只显示 <pad>。请输入一些文字。",
    },
    "msg.too_long_text": {
        "en": "The text was {n} characters long; only the first {max} characters are read.",
        "zh": "文本长 {n} 个字符，只读取前 {max} 个字符。",
    },
    "msg.fully_masked": {
        "en": "Rows {rows} can attend to no key at all (every key is masked). Softmax of a row of −∞ is "
        "undefined (0/0), so their weights and outputs are set to 0 instead of NaN.",
        "zh": "第 {rows} 行不能关注任何键（所有键都被遮蔽）。全为 −∞ 的一行做 softmax 没有定义（0/0），"
        "所以这些行的权重和输出被设为 0，而不是 NaN。",
    },
    "msg.bad_param": {
        "en": "The link's value for “{name}” was not valid and was ignored; the default is used.",
        "zh": "链接中“{name}”的值无效，已忽略，使用默认值。",
    },
    "msg.clamped_param": {
        "en": "The link's value for “{name}” was out of range; {value} is used instead.",
        "zh": "链接中“{name}”的值超出范围，改用 {value}。",
    },
    "msg.pad_mask_random": {
        "en": "Random tokens have no padding, so the padding mask allows every key.",
        "zh": "随机词元没有填充，所以填充掩码允许所有键。",
    },
    # Chart titles and labels
    "chart.scaled": {"en": "Scaled scores  Q·Kᵀ/√d_k (masked = −∞)", "zh": "缩放得分 Q·Kᵀ/√d_k（遮蔽 = −∞）"},
    "chart.weights": {
        "en": "Softmax weights (each row that can attend sums to 1)",
        "zh": "softmax 注意力权重（每个能关注键的行和为 1）",
    },
    "chart.output": {"en": "Output = weights · V", "zh": "输出 = 权重 · V"},
    "chart.overview": {"en": "All heads: attention weights", "zh": "所有头的注意力权重"},
    "chart.q": {"en": "Q (queries)", "zh": "Q（查询）"},
    "chart.k": {"en": "K (keys)", "zh": "K（键）"},
    "chart.v": {"en": "V (values)", "zh": "V（值）"},
    "chart.mask": {"en": "Mask (True = may attend)", "zh": "掩码（True = 可以关注）"},
    "axis.query": {"en": "query token", "zh": "查询词元"},
    "axis.key": {"en": "key token", "zh": "键词元"},
    "axis.dim": {"en": "dimension", "zh": "维度"},
    "axis.head": {"en": "head", "zh": "头"},
    "axis.value": {"en": "value", "zh": "数值"},
    "axis.row_sum": {"en": "row sum", "zh": "行和"},
    "axis.masked": {"en": "masked", "zh": "已遮蔽"},
    "legend.masked": {"en": "grey = masked (not allowed)", "zh": "灰色 = 已遮蔽（不允许关注）"},
    "note.row_sums": {
        "en": "Row sums of the weights (rows that can attend): min {low:.6f}, max {high:.6f}.",
        "zh": "权重的行和（可关注的行）：最小 {low:.6f}，最大 {high:.6f}。",
    },
    "note.mask_convention": {
        "en": "Mask convention: True = may attend, as in torch.nn.functional.scaled_dot_product_attention. "
        "torch.nn.MultiheadAttention uses the opposite: there True = may NOT attend.",
        "zh": "掩码约定：True = 可以关注，与 torch.nn.functional.scaled_dot_product_attention 相同。"
        "torch.nn.MultiheadAttention 的约定相反：在那里 True = 不可以关注。",
    },
    "note.scale": {
        "en": "Scale = 1/√d_k = 1/√{d_k} = {scale:.4f} (the head's d_k, not d_model = {d_model}).",
        "zh": "缩放因子 = 1/√d_k = 1/√{d_k} = {scale:.4f}（用每个头的 d_k，而不是 d_model = {d_model}）。",
    },
    "note.values_small": {
        "en": "Cells narrower than {px} px do not print their values; hover a cell for its exact value.",
        "zh": "宽度小于 {px} 像素的格子不显示数值；将鼠标悬停在格子上可查看精确值。",
    },
    "note.values_hidden": {
        "en": "Values are printed in the cells up to {n} tokens; hover a cell for its exact value.",
        "zh": "词元数不超过 {n} 时在格子中显示数值；将鼠标悬停在格子上可查看精确值。",
    },
    # Directions, chosen from the numbers (ui/why_scale_text.movement)
    "wording.rises": {"en": "rises from {a} to {b}", "zh": "从 {a} 升到 {b}"},
    "wording.falls": {"en": "falls from {a} to {b}", "zh": "从 {a} 降到 {b}"},
    "wording.stays": {"en": "stays at {b}", "zh": "保持在 {b}"},
}
