"""Strings of the “Rotary position embeddings (RoPE)” lesson, and of the “Modern attention” navigation section."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.section.modern": {"en": "Modern attention", "zh": "现代注意力"},
    "nav.rope": {"en": "RoPE", "zh": "旋转位置编码 RoPE"},
    "rope.title": {"en": "Rotary position embeddings (RoPE)", "zh": "旋转位置编码（RoPE）"},
    "rope.intro": {
        "en": "Instead of adding a position vector to each token, RoPE (Su et al. 2021, RoFormer; used by LLaMA, "
        "Mistral, Qwen) rotates every pair of dimensions of q and k by an angle m·θᵢ that grows with the position "
        "m. Two rotations subtract in a dot product, so a score depends on the two tokens and their distance "
        "m − n only. Every number below is computed live from this page's query and key vectors (random weights, "
        "no training).",
        "zh": "RoPE（Su 等，2021,RoFormer;LLaMA、Mistral、通义千问都在用）不再给每个词元加上位置向量，"
        "而是把 q 和 k 的每一对维度旋转一个随位置 m 增大的角度 m·θᵢ。点积里两个旋转角相减，"
        "所以得分只取决于两个词元以及它们的距离 m − n。下面的每个数字都是用本页的查询和键向量实时计算的"
        "（随机权重，未经训练）。",
    },
    "rope.base": {"en": "Base", "zh": "底数 base"},
    "rope.base.help": {
        "en": "θᵢ = base^(−2i/d_k). LLaMA 1 and 2 use 10000; LLaMA 3 uses 500000 for longer contexts.",
        "zh": "θᵢ = base^（−2i/d_k）。LLaMA 1 和 2 用 10000;LLaMA 3 为了更长的上下文用 500000。",
    },
    "rope.shift": {"en": "Move by (positions)", "zh": "移动的位置数"},
    "rope.shift.help": {
        "en": "How far the sentence (or only its keys) is moved, as if it stood later in a long document.",
        "zh": "把句子（或只把它的键）往后移动多少个位置，就像它出现在长文档的更后面。",
    },
    "rope.span": {"en": "Positions shown", "zh": "显示的位置数"},
    "rope.odd": {
        "en": "d_k = {d_k} is odd: RoPE rotates pairs, so the last dimension is left unrotated (as partial rotary "
        "does). Its q·k term does not depend on position at all.",
        "zh": "d_k = {d_k} 是奇数：RoPE 旋转的是维度对，所以最后一个维度不旋转（与部分旋转的做法相同）。"
        "它对 q·k 的贡献与位置完全无关。",
    },
    "rope.no_pairs": {
        "en": "With d_k = 1 there is no pair to rotate: RoPE changes nothing. Raise d_k in the sidebar.",
        "zh": "d_k = 1 时没有可以旋转的维度对：RoPE 不改变任何东西。请在侧边栏调大 d_k。",
    },
    "rope.freq.title": {"en": "1 · The rotation of every pair", "zh": "1 · 每一对维度的旋转"},
    "rope.chart.angles": {"en": "cos(m·θᵢ): the rotation at each position", "zh": "cos(m·θᵢ)：每个位置的旋转"},
    "rope.axis.pair": {"en": "pair i (dimensions 2i, 2i+1)", "zh": "维度对 i（第 2i、2i+1 维）"},
    "rope.axis.position": {"en": "position m", "zh": "位置 m"},
    "rope.axis.key_position": {"en": "key position n", "zh": "键的位置 n"},
    "rope.freq.caption": {
        "en": "Pair 0 turns by θ₀ = 1 radian per position, a full turn every {fast:.3g} positions; the last pair "
        "(i = {last}) turns by θ = {slow:.3g} per position, a full turn every {slow_period:.4g} positions. Fast "
        "pairs tell near neighbours apart, slow pairs far ones.",
        "zh": "第 0 对每个位置转 θ₀ = 1 弧度，每 {fast:.3g} 个位置转满一圈；最后一对（i = {last}）每个位置转 "
        "θ = {slow:.3g}，每 {slow_period:.4g} 个位置才转满一圈。快的维度对区分近邻，慢的区分远处。",
    },
    "rope.shift.title": {"en": "2 · Only the distance counts", "zh": "2 · 只有距离起作用"},
    "rope.chart.scores": {"en": "RoPE scores, positions 0…L−1", "zh": "RoPE 得分，位置 0…L−1"},
    "rope.chart.both": {"en": "Every token moved by {s}", "zh": "所有词元移动 {s} 个位置"},
    "rope.chart.keys": {"en": "Only the keys moved by {s}", "zh": "只有键移动 {s} 个位置"},
    "rope.metric.both": {"en": "Max |change|, all moved", "zh": "最大 |变化|（全部移动）"},
    "rope.metric.keys": {"en": "Max |change|, keys moved", "zh": "最大 |变化|（只移动键）"},
    "rope.both.same": {
        "en": "Moving every token by {s} leaves every score equal up to float rounding ({diff:.1e}): the pairs "
        "keep their distances, so RoPE gives the same scores wherever the sentence stands.",
        "zh": "把所有词元移动 {s} 个位置后，每个得分在浮点舍入误差内都不变（{diff:.1e}）："
        "每对词元的距离没变，所以无论句子出现在哪里，RoPE 给出的得分都一样。",
    },
    "rope.both.changed": {
        "en": "Moving every token by {s} changes the scores by up to {diff:.3g}.",
        "zh": "把所有词元移动 {s} 个位置后，得分最多改变 {diff:.3g}。",
    },
    "rope.keys.same": {
        "en": "Moving only the keys by {s} changes no score (largest change {diff:.1e}): with a move of 0 no "
        "distance changes. Move them to see the scores change.",
        "zh": "只把键移动 {s} 个位置，得分没有变化（最大变化 {diff:.1e}）：移动 0 个位置时距离都没有变。"
        "移动它们看看得分怎样变化。",
    },
    "rope.keys.changed": {
        "en": "Moving only the keys by {s} changes every distance m − n, and the scores change by up to {diff:.3g}.",
        "zh": "只把键移动 {s} 个位置，每个距离 m − n 都变了，得分最多改变 {diff:.3g}。",
    },
    "rope.grid.title": {"en": "3 · Rotated versus added", "zh": "3 · 旋转与相加"},
    "rope.grid.intro": {
        "en": "One query token (“{query}”) and one key token (“{key_token}”) placed at every pair of positions. Left: "
        "RoPE rotates their q and k. Right: the sinusoidal encoding of the Position page is added to the input "
        "before the same projections W_q, W_k.",
        "zh": "把一个查询词元（“{query}”）和一个键词元（“{key_token}”）放到每一对位置上。左：RoPE 旋转它们的 q 和 k。"
        "右：先把“位置编码”页的正弦编码加到输入上，再用同样的 W_q、W_k 投影。",
    },
    "rope.chart.rotated": {"en": "Rotated (RoPE)", "zh": "旋转（RoPE）"},
    "rope.chart.added": {"en": "Added (sinusoidal)", "zh": "相加（正弦编码）"},
    "rope.metric.spread_rotated": {"en": "Spread along diagonals, rotated", "zh": "对角线上的差异（旋转）"},
    "rope.metric.spread_added": {"en": "Spread along diagonals, added", "zh": "对角线上的差异（相加）"},
    "rope.grid.distance": {
        "en": "{name}: every diagonal (one distance m − n) holds one value, up to {spread:.1e}: the score depends "
        "on the distance only.",
        "zh": "{name}：每条对角线（同一个距离 m − n）上只有一个值，差异不超过 {spread:.1e}：得分只取决于距离。",
    },
    "rope.grid.absolute": {
        "en": "{name}: values along a diagonal differ by up to {spread:.3g}: the score depends on where the pair "
        "stands, not only on its distance (the cross terms q·PEₙ and PEₘ·k).",
        "zh": "{name}：同一条对角线上的值最多相差 {spread:.3g}：得分取决于这对词元所在的位置，"
        "而不只是它们的距离（交叉项 q·PEₙ 和 PEₘ·k）。",
    },
    "rope.code": {
        "en": "The code: the paper's pairs and LLaMA's halves",
        "zh": "代码：论文的相邻维度对与 LLaMA 的前后两半",
    },
    "rope.code.caption": {
        "en": "Both layouts give the same scores once the dimensions are permuted (evens first, then odds); "
        "the tests check it.",
        "zh": "把维度重新排列（先偶数维再奇数维）后，两种写法给出相同的得分；测试会检查这一点。",
    },
    "predict.rope.question": {
        "en": "Every token of the sentence moves {s} positions later. Do its RoPE scores change?",
        "zh": "句子的每个词元都往后移动 {s} 个位置。它的 RoPE 得分会变吗?",
    },
    "predict.rope.same": {"en": "No, they stay the same", "zh": "不会，保持不变"},
    "predict.rope.changed": {"en": "Yes, they change", "zh": "会，得分改变"},
    "predict.rope.explain": {
        "en": "Measured: the largest change is {both:.1e} when every token moves, and {keys:.3g} when only the "
        "keys move by {s}.",
        "zh": "实测：所有词元一起移动时最大变化为 {both:.1e}；只把键移动 {s} 个位置时最大变化为 {keys:.3g}。",
    },
}
