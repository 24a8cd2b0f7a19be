"""Strings of the self- vs cross-attention lesson (app_pages/self_cross.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "xattn.title": {"en": "Self-attention vs cross-attention", "zh": "自注意力与交叉注意力"},
    "xattn.intro": {
        "en": "In self-attention, Q, K and V all come from one sequence: every token looks at the tokens of its "
        "own sentence. In cross-attention (the encoder–decoder attention of a translator), Q comes from the "
        "target sentence being written and K, V come from the source sentence: every target token looks at the "
        "source. Same code, different inputs.",
        "zh": "自注意力中，Q、K、V 都来自同一个序列：每个词元关注自己句子里的词元。"
        "交叉注意力（翻译模型中的编码器–解码器注意力）中，Q 来自正在生成的目标句子，K、V 来自源句子："
        "每个目标词元去关注源句子。代码相同，只是输入不同。",
    },
    # Encoder–decoder example
    "xattn.cross.header": {"en": "Encoder–decoder attention", "zh": "编码器–解码器注意力"},
    "xattn.formula.self": {"en": "self", "zh": "自注意力"},
    "xattn.formula.cross": {"en": "cross", "zh": "交叉注意力"},
    "xattn.formula.source": {"en": "source", "zh": "源句子"},
    "xattn.formula.target": {"en": "target", "zh": "目标句子"},
    "xattn.source": {"en": "Source sentence (gives K and V)", "zh": "源句子（提供 K 和 V）"},
    "xattn.target": {"en": "Target sentence (gives Q)", "zh": "目标句子（提供 Q）"},
    "xattn.shapes": {
        "en": "Q from the target: [L_t, d_k] = [{lt}, {d_k}] per head · K, V from the source: [L_s, d_k] = "
        "[{ls}, {d_k}] per head · weights: [L_t, L_s] = [{lt}, {ls}], not square · output: [L_t, d_model] = "
        "[{lt}, {d_model}], one row per target token.",
        "zh": "Q 来自目标句子：每个头 [L_t, d_k] = [{lt}, {d_k}] · K、V 来自源句子："
        "每个头 [L_s, d_k] = [{ls}, {d_k}] · "
        "权重：[L_t, L_s] = [{lt}, {ls}]，不是方阵 · 输出：[L_t, d_model] = [{lt}, {d_model}]，每个目标词元一行。",
    },
    "xattn.chart.cross": {
        "en": "Cross-attention: target queries × source keys",
        "zh": "交叉注意力：目标查询 × 源键",
    },
    "xattn.chart.self": {
        "en": "Self-attention of the target: target × target",
        "zh": "目标句子的自注意力：目标 × 目标",
    },
    "xattn.axis.target": {"en": "target token (query)", "zh": "目标词元（查询）"},
    "xattn.axis.source": {"en": "source token (key)", "zh": "源词元（键）"},
    "xattn.axis.target_key": {"en": "target token (key)", "zh": "目标词元（键）"},
    "xattn.causal": {
        "en": "Causal mask on the target's self-attention (as in a decoder)",
        "zh": "目标句子的自注意力加因果掩码（与解码器相同）",
    },
    "xattn.causal.help": {
        "en": "A decoder writes the target left to right, so in its self-attention a token may not look at later "
        "target tokens. Cross-attention needs no such mask: the whole source is already known.",
        "zh": "解码器从左到右生成目标句子，因此在它的自注意力中，一个词元不能关注后面的目标词元。"
        "交叉注意力不需要这种掩码：整个源句子都已知。",
    },
    "xattn.row_sums": {
        "en": "Row sums: cross-attention {cross_low:.6f} to {cross_high:.6f}; self-attention {self_low:.6f} to "
        "{self_high:.6f}. Each target token distributes one unit of attention over the source (left) or over "
        "the target (right).",
        "zh": "行和：交叉注意力 {cross_low:.6f} 到 {cross_high:.6f}；自注意力 {self_low:.6f} 到 {self_high:.6f}。"
        "每个目标词元把总量为 1 的注意力分配到源句子（左）或目标句子（右）上。",
    },
    "xattn.own_weights": {
        "en": "Cross-attention has projections of its own, W′_Q, W′_K, W′_V and W′_O, as in a Transformer decoder: "
        "here they are drawn at random from seed {seed} + 2³¹, separately from the self-attention's W_Q, W_K, W_V.",
        "zh": "与 Transformer 解码器一样，交叉注意力有自己的投影 W′_Q、W′_K、W′_V 和 W′_O："
        "这里它们由随机种子 {seed} + 2³¹ 随机生成，与自注意力的 W_Q、W_K、W_V 相互独立。",
    },
    "xattn.untrained": {
        "en": "Honest caveat: the weights are random, not trained on translation, so this heatmap is not a word "
        "alignment. In trained translators, cross-attention often lines up roughly with the source words a "
        "target token translates, but the alignment is soft, spread over several words and sometimes shifted by "
        "a position (Bahdanau et al. 2015; Koehn & Knowles 2017). What the chart does show is the mechanism: a "
        "[L_t, L_s] matrix whose rows are target tokens and whose columns are source tokens.",
        "zh": "说明：这里的权重是随机的，没有经过翻译训练，所以这张热力图不是词对齐。在训练好的翻译模型中，"
        "交叉注意力常常大致对应目标词元所翻译的源词，但这种对齐是软的，分散在几个词上，有时还会错开一个位置"
        "（Bahdanau 等，2015;Koehn 与 Knowles,2017）。这张图展示的是机制本身：一个 [L_t, L_s] 矩阵，"
        "行是目标词元，列是源词元。",
    },
    "xattn.empty_source": {
        "en": "The source sentence has no tokens. Type at least one word.",
        "zh": "源句子中没有词元。请至少输入一个词。",
    },
    "xattn.empty_target": {
        "en": "The target sentence has no tokens. Type at least one word.",
        "zh": "目标句子中没有词元。请至少输入一个词。",
    },
    "xattn.code": {"en": "The code (core/self_cross.py)", "zh": "代码（core/self_cross.py）"},
    "xattn.code.context": {
        "en": "The code of this comparison (core/self_cross.py)",
        "zh": "这项比较的代码（core/self_cross.py）",
    },
    # Same word, two contexts
    "xattn.context.header": {"en": "Same word, different context", "zh": "同一个词，不同的上下文"},
    "xattn.context.intro": {
        "en": "A token's embedding is looked up from its text alone, so the word gets the same vector in both "
        "sentences (this page adds no position information). Attention then mixes in the values of the other "
        "tokens, weighted by context: where the contexts differ, the same word can leave the layer as a "
        "different vector.",
        "zh": "词元的嵌入只由它的文字查表得到，所以同一个词在两个句子中的向量完全相同（本页不加入位置信息）。"
        "注意力随后按上下文加权混入其他词元的值：上下文不同时，同一个词经过这一层后可能变成不同的向量。",
    },
    "xattn.context.untrained": {
        "en": "These weights are random, not trained: an untrained layer mixes context into the word, but it does "
        "not separate meanings. A different output says only that the contexts differ, not that the layer "
        "tells the river bank from the money bank; two sentences with the same sense can differ just as much. "
        "Telling senses apart needs a trained model.",
        "zh": "这些权重是随机的，没有经过训练：未训练的层会把上下文混入这个词，但不会区分词义。"
        "输出不同只说明上下文不同，并不说明这一层分得清“河岸”和“银行”；两个词义相同的句子也可能差得一样多。"
        "要区分词义，需要训练过的模型。",
    },
    "xattn.example.en": {"en": "English example: bank", "zh": "英文例子：bank"},
    "xattn.example.zh": {"en": "Chinese example: 苹果", "zh": "中文例子：苹果"},
    "xattn.sentence_a": {"en": "Sentence A", "zh": "句子 A"},
    "xattn.sentence_b": {"en": "Sentence B", "zh": "句子 B"},
    "xattn.word": {"en": "Word to compare", "zh": "要比较的词"},
    "xattn.word.help": {
        "en": "It must occur in both sentences; its first occurrence is used. Chinese is one token per character, "
        "so 苹果 is compared character by character.",
        "zh": "这个词必须在两个句子中都出现；使用第一次出现的位置。中文每个字是一个词元，所以“苹果”会逐字比较。",
    },
    "xattn.word.empty": {"en": "Type a word to compare.", "zh": "请输入要比较的词。"},
    "xattn.word.too_long": {
        "en": "The word has {n} tokens; compare at most {max} at once.",
        "zh": "这个词有 {n} 个词元；一次最多比较 {max} 个。",
    },
    "xattn.word.missing_a": {
        "en": "The word does not occur in sentence A. Type a word that appears in both sentences.",
        "zh": "这个词没有出现在句子 A 中。请输入在两个句子中都出现的词。",
    },
    "xattn.word.missing_b": {
        "en": "The word does not occur in sentence B. Type a word that appears in both sentences.",
        "zh": "这个词没有出现在句子 B 中。请输入在两个句子中都出现的词。",
    },
    "xattn.metric.embedding": {"en": "Cosine of the two embeddings", "zh": "两个嵌入向量的余弦相似度"},
    "xattn.metric.output": {"en": "Cosine of the two attention outputs", "zh": "两个注意力输出的余弦相似度"},
    "xattn.context.trained_link": {
        "en": "Measured on a trained model: does context separate the two senses of “bank”?",
        "zh": "在训练过的模型上测量：上下文能区分“bank”的两个词义吗?",
    },
    "xattn.metric.first_token": {
        "en": "The numbers above are for the word's first token; the table lists every token.",
        "zh": "上面的数字是这个词第一个词元的结果；下表列出每个词元。",
    },
    "xattn.verdict.same_differ": {
        "en": "**Identical input vectors, different outputs** (cosine {cos_out:.6f}): attention mixed different "
        "context into the same word.",
        "zh": "**输入向量完全相同，输出不同**（余弦 {cos_out:.6f}）：注意力把不同的上下文混入了同一个词。",
    },
    "xattn.verdict.same_same": {
        "en": "**Identical input vectors, identical outputs** (cosine {cos_out:.6f}): the word sees the same "
        "context in both sentences (the same tokens; this page adds no positions), so attention gives it the "
        "same vector.",
        "zh": "**输入向量完全相同，输出也相同**（余弦 {cos_out:.6f}）：这个词在两个句子里看到的上下文相同"
        "（相同的词元；本页不加入位置信息），所以注意力给出相同的向量。",
    },
    "xattn.verdict.differ_differ": {
        "en": "**Different input vectors** (cosine {cos_in:.6f}) **and different outputs** (cosine {cos_out:.6f}).",
        "zh": "**输入向量不同**（余弦 {cos_in:.6f}）**，输出也不同**（余弦 {cos_out:.6f}）。",
    },
    "xattn.verdict.differ_same": {
        "en": "**Different input vectors** (cosine {cos_in:.6f}) **but identical outputs** (cosine {cos_out:.6f}).",
        "zh": "**输入向量不同**（余弦 {cos_in:.6f}）**，但输出相同**（余弦 {cos_out:.6f}）。",
    },
    "xattn.col.token": {"en": "token", "zh": "词元"},
    "xattn.col.pos_a": {"en": "position in A", "zh": "在 A 中的位置"},
    "xattn.col.pos_b": {"en": "position in B", "zh": "在 B 中的位置"},
    "xattn.col.identical": {"en": "same embedding", "zh": "嵌入相同"},
    "xattn.col.cos_emb": {"en": "cos(embeddings)", "zh": "嵌入余弦"},
    "xattn.col.cos_out": {"en": "cos(outputs)", "zh": "输出余弦"},
    "xattn.col.cos_head": {"en": "cos(head {h} output)", "zh": "头 {h} 输出余弦"},
    "xattn.chart.word_a": {
        "en": "Sentence A: where the word looks (head {head})",
        "zh": "句子 A：这个词关注哪里（头 {head}）",
    },
    "xattn.chart.word_b": {
        "en": "Sentence B: where the word looks (head {head})",
        "zh": "句子 B：这个词关注哪里（头 {head}）",
    },
    "xattn.chart.embeddings.same": {"en": "Embeddings: identical rows", "zh": "嵌入向量：两行完全相同"},
    "xattn.chart.embeddings.differ": {"en": "Embeddings: the rows differ", "zh": "嵌入向量：两行不同"},
    "xattn.chart.outputs.same": {"en": "Attention outputs: identical rows", "zh": "注意力输出：两行相同"},
    "xattn.chart.outputs.differ": {"en": "Attention outputs: the rows differ", "zh": "注意力输出：两行不同"},
    "xattn.axis.word": {"en": "the word, in sentence", "zh": "这个词（所在句子）"},
}
