"""Strings of the “Sliding windows and attention sinks” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.sliding_window": {"en": "Sliding window & sinks", "zh": "滑动窗口与注意力汇点"},
    "sw.title": {"en": "Sliding windows and attention sinks", "zh": "滑动窗口与注意力汇点"},
    "sw.intro": {
        "en": "A sliding window (Longformer, Beltagy et al. 2020; Mistral 7B, Jiang et al. 2023) lets each token "
        "attend only to the W most recent tokens, so the cost per token no longer grows with the context. "
        "StreamingLLM (Xiao et al. 2024) keeps the first few tokens as well, as “attention sinks”. Every number "
        "below is computed live with this page's random weights (no training).",
        "zh": "滑动窗口（Longformer,Beltagy 等，2020;Mistral 7B,Jiang 等，2023）让每个词元只关注最近的 W 个词元，"
        "这样每个词元的计算量不再随上下文增长。StreamingLLM（Xiao 等，2024）还额外保留最前面的几个词元，"
        "称为“注意力汇点”。下面的每个数字都是用本页的随机权重实时计算的（未经训练）。",
    },
    "sw.window": {"en": "Window W (keys, the token itself included)", "zh": "窗口 W（键的个数，包括词元自己）"},
    "sw.window.help": {
        "en": "Query i may attend to key j when 0 ≤ i − j < W: itself and the W − 1 tokens before it.",
        "zh": "当 0 ≤ i − j < W 时查询 i 可以关注键 j：它自己以及它前面的 W − 1 个词元。",
    },
    "sw.sinks": {"en": "Sink tokens kept", "zh": "保留的汇点词元数"},
    "sw.sinks.help": {
        "en": "The first S tokens, which every later query may attend to as well (StreamingLLM keeps 4).",
        "zh": "最前面的 S 个词元，之后的每个查询也都可以关注它们（StreamingLLM 保留 4 个）。",
    },
    "sw.layers": {"en": "Layers stacked", "zh": "堆叠的层数"},
    "sw.convention.title": {"en": "1 · The window, counted precisely", "zh": "1 · 精确地数窗口"},
    "sw.convention": {
        "en": "Here W counts the token itself: query i sees keys i − W + 1 … i, that is W keys (measured on a "
        "long sequence: {kept}). This is Hugging Face's sliding-window mask (kv_idx > q_idx − W). "
        "Libraries differ by one: PyTorch's FlexAttention example allows q_idx − kv_idx ≤ W (W + 1 keys), "
        "FlashAttention's window_size=(left, 0) allows i − j ≤ left, and the Mistral 7B paper describes "
        "positions i − W … i. The Masks page's window counts tokens on each side, |i − j| ≤ w.",
        "zh": "这里的 W 包括词元自己：查询 i 看到键 i − W + 1 … i，即 W 个键（在长序列上实测：{kept} 个）。"
        "这与 Hugging Face 的滑动窗口掩码相同（kv_idx > q_idx − W）。各个库相差一个：PyTorch FlexAttention "
        "的示例允许 q_idx − kv_idx ≤ W（W + 1 个键），FlashAttention 的 window_size=(left, 0) 允许 i − j ≤ left,"
        "Mistral 7B 论文写的是位置 i − W … i。“掩码”页的窗口数的是每一侧的词元，|i − j| ≤ w。",
    },
    "sw.chart.with": {"en": "Weights: window + {S} sinks", "zh": "权重：窗口 + {S} 个汇点"},
    "sw.chart.without": {"en": "Weights: window only (sinks removed)", "zh": "权重：只有窗口（去掉汇点）"},
    "sw.chart.diff": {"en": "Change when the sinks go (right − middle)", "zh": "去掉汇点后的变化（右 − 中）"},
    "sw.sinks.title": {"en": "2 · What the weights do when the sinks are removed", "zh": "2 · 去掉汇点后权重怎样变化"},
    "sw.sinks.none_outside": {
        "en": "No query here has a sink outside its window (L = {L}, W = {W}, S = {S}), so removing the sinks "
        "changes nothing. Lengthen the sentence, shrink the window or keep more sinks.",
        "zh": "这里没有哪个查询的汇点落在窗口之外(L = {L},W = {W},S = {S})，所以去掉汇点什么也不会改变。"
        "请加长句子、缩小窗口或保留更多汇点。",
    },
    "sw.sinks.measured": {
        "en": "For the {rows} queries whose sinks lie outside their window, the sinks take {share:.1%} of the "
        "weight on average (at most {most:.1%}). Removing them hands that weight to the window: the softmax "
        "renormalises, so every remaining weight of a row is multiplied by 1 / (1 − its sink share), here by "
        "up to {factor:.3g}×.",
        "zh": "对汇点落在窗口之外的 {rows} 个查询，汇点平均占 {share:.1%} 的权重（最多 {most:.1%}）。"
        "去掉汇点后这些权重交给窗口：softmax 重新归一化，所以一行中剩下的每个权重都乘以 1 /（1 − 该行汇点份额），"
        "这里最多乘以 {factor:.3g} 倍。",
    },
    "sw.sinks.more": {
        "en": "That is more than an even split would give the sinks ({uniform:.1%}, S/(S + W)).",
        "zh": "这比平均分配给汇点的份额（{uniform:.1%}，即 S/（S + W））更多。",
    },
    "sw.sinks.less": {
        "en": "That is less than an even split would give the sinks ({uniform:.1%}, S/(S + W)).",
        "zh": "这比平均分配给汇点的份额（{uniform:.1%}，即 S/（S + W））更少。",
    },
    "sw.sinks.trained": {
        "en": "In trained models StreamingLLM reports much larger shares on the first tokens in most layers, whatever "
        "those tokens say, and a quality collapse once they leave a window-only cache; it suggests the softmax "
        "needs somewhere to put weight it does not want to spend. Random weights like these have no reason to "
        "favour the first token, so this page shows only the renormalisation, not the collapse.",
        "zh": "StreamingLLM 报告：在训练好的模型里，大多数层都把大得多的权重放在最前面的词元上，不管这些词元是什么；"
        "一旦它们被移出只保留窗口的缓存，模型质量就会崩溃。论文推测 softmax 需要一个地方存放它不想分配的权重。"
        "像这里这样的随机权重没有理由偏爱第一个词元，所以本页只展示重新归一化，而不是崩溃。",
    },
    "sw.reach.title": {"en": "3 · The receptive field grows with depth", "zh": "3 · 感受野随层数增长"},
    "sw.chart.reach": {
        "en": "Positions whose input reaches the last token, layer by layer",
        "zh": "逐层看：哪些位置的输入能到达最后一个词元",
    },
    "sw.axis.layer": {"en": "after layer", "zh": "经过的层数"},
    "sw.axis.position": {"en": "input position", "zh": "输入位置"},
    "sw.reach.measured": {
        "en": "Composing the masks (a boolean matrix power): after {layers} layers the last token reaches {back} "
        "positions back, = ℓ·(W − 1) = {layers}·{w_minus} in this convention. Where W counts only the keys "
        "before the token (W + 1 keys, as in FlexAttention's example and Mistral's paper), the same composition "
        "gives ℓ·W = {other}: the “ℓ·W” of the papers.",
        "zh": "把掩码复合起来（布尔矩阵的幂）：经过 {layers} 层，最后一个词元能回看 {back} 个位置，"
        "在本页的约定下等于 ℓ·(W − 1) = {layers}·{w_minus}。如果 W 只数词元之前的键（W + 1 个键，"
        "如 FlexAttention 的示例和 Mistral 论文），同样的复合得到 ℓ·W = {other}：即论文中的“ℓ·W”。",
    },
    "sw.reach.per_layer": {"en": "Reach per layer: {values}", "zh": "每层的回看距离：{values}"},
    "sw.reach.one": {
        "en": "With W = 1 each token sees only itself: nothing travels, however many layers ({back} positions back).",
        "zh": "W = 1 时每个词元只看到自己：无论多少层，信息都不会传递（回看 {back} 个位置）。",
    },
    "sw.code": {"en": "The code of the masks", "zh": "掩码的代码"},
    "predict.sw.question": {
        "en": "Window W = {W} (the token itself included), {layers} layers. How many positions back can the last "
        "token's output depend on?",
        "zh": "窗口 W = {W}（包括词元自己），{layers} 层。最后一个词元的输出最远能取决于多少个位置之前的输入?",
    },
    "predict.sw.explain": {
        "en": "Measured by composing the masks: {back} positions back. Each layer adds W − 1 = {w_minus}, because "
        "one of the W keys is the token itself.",
        "zh": "通过复合掩码实测：{back} 个位置之前。每一层增加 W − 1 = {w_minus}，因为 W 个键中有一个是词元自己。",
    },
}
