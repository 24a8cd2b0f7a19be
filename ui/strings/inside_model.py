"""Strings of the Inside-the-model page."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.inside_model": {"en": "Inside the model", "zh": "模型内部"},
    "im.title": {"en": "Inside a trained model: heads, flow, meanings", "zh": "训练过的模型内部：头、信息流、词义"},
    "im.intro": {
        "en": "Three measurements on all-MiniLM-L6-v2 ({layers} layers × {heads} heads): what each head looks at "
        "over a corpus (after Clark et al. 2019, “What Does BERT Look At?”), how attention flows across layers "
        "(rollout, Abnar & Zuidema 2020), and whether the trained layers tell a word's senses apart.",
        "zh": "在 all-MiniLM-L6-v2（{layers} 层 × {heads} 个头）上做三项测量：每个头在一个语料上看什么"
        "（仿 Clark 等 2019,“What Does BERT Look At?”）、注意力如何逐层流动"
        "（rollout,Abnar 与 Zuidema 2020），以及训练过的层能否区分一个词的不同词义。",
    },
    "im.tax.header": {"en": "1 · What each head looks at, over a corpus", "zh": "1 · 每个头在语料上看什么"},
    "im.tax.corpus": {
        "en": "Measured over {n} short English sentences shipped with the app (data/corpus/sentences.txt, CC0, "
        "written for this project), computed once for this server process in {seconds:.1f} s.",
        "zh": "在随应用附带的 {n} 个英文短句上测量（data/corpus/sentences.txt,CC0，为本项目编写），"
        "本服务器进程只算一次，用时 {seconds:.1f} 秒。",
    },
    "im.measure": {"en": "Measure", "zh": "指标"},
    "im.measure.help": {
        "en": "Each head's attention per query token, averaged over the query tokens of a sentence, then over the "
        "sentences. Entropy is in bits.",
        "zh": "每个头对每个查询词元的注意力，先在一句的查询词元上平均，再在句子间平均。熵的单位是比特。",
    },
    "im.measure.cls": {"en": "share to [CLS]", "zh": "给 [CLS] 的份额"},
    "im.measure.sep": {"en": "share to [SEP]", "zh": "给 [SEP] 的份额"},
    "im.measure.punctuation": {"en": "share to punctuation", "zh": "给标点的份额"},
    "im.measure.self": {"en": "share to the token itself", "zh": "给自身的份额"},
    "im.measure.previous": {"en": "share to the previous token", "zh": "给前一个词元的份额"},
    "im.measure.next": {"en": "share to the next token", "zh": "给后一个词元的份额"},
    "im.measure.entropy": {"en": "row entropy (bits)", "zh": "行熵（比特）"},
    "im.category.cls": {"en": "[CLS] head", "zh": "[CLS] 头"},
    "im.category.sep": {"en": "[SEP] head", "zh": "[SEP] 头"},
    "im.category.punctuation": {"en": "punctuation head", "zh": "标点头"},
    "im.category.self": {"en": "self head", "zh": "自身头"},
    "im.category.previous": {"en": "previous-token head", "zh": "前一词元头"},
    "im.category.next": {"en": "next-token head", "zh": "后一词元头"},
    "im.category.broad": {"en": "broad", "zh": "宽泛"},
    "im.category.mixed": {"en": "mixed", "zh": "混合"},
    "im.rule": {
        "en": "Categories by this page's thresholds: a head is named after the target (of [CLS], [SEP], "
        "punctuation, itself, previous, next) that gets the largest share if that share is at least {share:.0%}; "
        "otherwise it is “broad” if its rows' entropy is at least {bits} bits, else “mixed”.",
        "zh": "类别按本页的阈值：若某个目标（[CLS]、[SEP]、标点、自身、前一个、后一个）得到的份额最大且不低于 "
        "{share:.0%}，这个头就以该目标命名；否则行熵不低于 {bits} 比特时称为“宽泛”，其余称为“混合”。",
    },
    "im.counts": {"en": "Of the {total} heads: {parts}.", "zh": "{total} 个头中：{parts}。"},
    "im.counts.part": {"en": "{name}: {n}", "zh": "{name} {n} 个"},
    "im.extremes": {
        "en": "Highest {measure}: layer {top_layer}, head {top_head} ({top:.3f}); lowest: layer {low_layer}, "
        "head {low_head} ({low:.3f}).",
        "zh": "{measure}最高：第 {top_layer} 层第 {top_head} 个头（{top:.3f}）；最低：第 {low_layer} 层第 "
        "{low_head} 个头（{low:.3f}）。",
    },
    "im.grid.title": {"en": "{measure}, layer × head", "zh": "{measure}，层 × 头"},
    "im.layer": {"en": "Layer", "zh": "层"},
    "im.head": {"en": "Head", "zh": "头"},
    "im.category": {"en": "Category", "zh": "类别"},
    "im.map.title": {
        "en": "Heads placed by Jensen–Shannon distance (classical MDS)",
        "zh": "按 Jensen–Shannon 距离摆放的头（经典 MDS）",
    },
    "im.map.note": {
        "en": "Two heads are close when their attention rows over the corpus are alike: the distance is "
        "√(mean Jensen–Shannon divergence) over every query token, as Clark et al. measure head distances; "
        "classical MDS flattens the 72 × 72 distances onto two axes, which keep {kept:.0%} of their spread "
        "(the axes themselves mean nothing).",
        "zh": "两个头的注意力行在语料上越相似，距离越近：距离是所有查询词元上 Jensen–Shannon 散度均值的平方根，"
        "与 Clark 等人的头距离相同；经典 MDS 把 72 × 72 的距离压到两个轴上，保留了 {kept:.0%} 的离散程度"
        "（轴本身没有含义）。",
    },
    "im.table": {"en": "All heads (click a column to sort)", "zh": "所有头（点击列名排序）"},
    "im.roll.header": {
        "en": "2 · Attention rollout: where information comes from",
        "zh": "2 · 注意力 rollout：信息从哪来",
    },
    "im.roll.intro": {
        "en": "One layer's attention says what it mixes from the layer below, not from the words. Rollout (Abnar & "
        "Zuidema 2020) follows the mixing down: each layer's attention averaged over heads, half of it kept for the "
        "token itself (the residual connection), rows renormalised, multiplied from layer 0 up to the chosen layer. "
        "It is an approximation: it ignores the feed-forward layers and the values.",
        "zh": "某一层的注意力只说明它从下一层混入了什么，而不是从原始词。Rollout（Abnar 与 Zuidema 2020）"
        "把混合一路往下追：每层注意力在头间平均，一半留给词元自身（残差连接），行重新归一化，从第 0 层乘到所选层。"
        "这是近似：它忽略前馈层和值向量。",
    },
    "im.example": {"en": "Text", "zh": "文本"},
    "im.example.it_tired": {"en": "“it” … too tired", "zh": "“it” … too tired（太累）"},
    "im.example.bank": {"en": "bank (money)", "zh": "bank（银行）"},
    "im.example.agreement": {"en": "verb → its subject", "zh": "动词 → 主语"},
    "im.roll.layer": {"en": "Up to layer", "zh": "到第几层"},
    "im.roll.raw": {"en": "Layer {layer}: attention, mean of heads", "zh": "第 {layer} 层：注意力，头的平均"},
    "im.roll.rollout": {"en": "Rollout, layers 0 … {layer}", "zh": "Rollout，第 0 … {layer} 层"},
    "im.query": {"en": "Query token", "zh": "查询词元"},
    "im.key": {"en": "Key token", "zh": "键词元"},
    "im.weight": {"en": "Weight", "zh": "权重"},
    "im.roll.wider": {
        "en": "Rollout's rows spread over more tokens than this layer's raw attention (mean entropy {rollout:.2f} "
        "vs {raw:.2f} bits): after {count} layers, each position has drawn from more of the sentence.",
        "zh": "Rollout 的行比这一层的原始注意力分布得更广（平均熵 {rollout:.2f} 对 {raw:.2f} 比特）："
        "经过 {count} 层，每个位置汲取了句子中更多的部分。",
    },
    "im.roll.narrower": {
        "en": "Rollout's rows are more concentrated than this layer's raw attention (mean entropy {rollout:.2f} "
        "vs {raw:.2f} bits): the half kept for each token itself outweighs the mixing here.",
        "zh": "Rollout 的行比这一层的原始注意力更集中（平均熵 {rollout:.2f} 对 {raw:.2f} 比特）："
        "这里每个词元留给自身的一半压过了混合。",
    },
    "im.sense.header": {"en": "3 · Does context separate meanings?", "zh": "3 · 上下文能区分词义吗?"},
    "im.sense.intro": {
        "en": "“bank” in three river sentences and three money sentences. At each layer, the cosine between the "
        "word's hidden states, averaged over same-sense pairs ({same} pairs) and over different-sense pairs "
        "({different} pairs). Six sentences are a small sample: read it as an illustration, not a finding.",
        "zh": "“bank”出现在三个“河岸”句和三个“银行”句中。每一层上，计算这个词隐藏状态之间的余弦，"
        "分别在同义句对（{same} 对）和异义句对（{different} 对）上平均。六个句子样本很小：当作示例看，不是结论。",
    },
    "im.sense.sentences": {"en": "The sentences", "zh": "句子"},
    "im.sense.river": {"en": "river", "zh": "河岸"},
    "im.sense.money": {"en": "money", "zh": "银行"},
    "im.sense.same": {"en": "same sense", "zh": "同一词义"},
    "im.sense.different": {"en": "different senses", "zh": "不同词义"},
    "im.sense.title": {"en": "Cosine of “bank” between sentences, per layer", "zh": "句子间“bank”的余弦，逐层"},
    "im.sense.x": {
        "en": "Hidden state (0 = embeddings, i = output of layer i − 1)",
        "zh": "隐藏状态（0 = 嵌入，i = 第 i − 1 层的输出）",
    },
    "im.sense.y": {"en": "Mean cosine", "zh": "平均余弦"},
    "im.sense.pairs": {"en": "Pairs", "zh": "句对"},
    "im.sense.all": {
        "en": "At the output of every one of the {layers} layers, different-sense pairs are less alike than "
        "same-sense pairs; the gap is largest at hidden state {best}, the output of layer {layer} ({gap:.3f}, "
        "against {start:.3f} in the embeddings). In this trained model, context does pull the two senses apart.",
        "zh": "在全部 {layers} 层的输出处，异义句对都比同义句对更不相似；差距在隐藏状态 {best}（第 {layer} 层的输出）"
        "处最大（{gap:.3f}，嵌入处为 {start:.3f}）。在这个训练过的模型里，上下文确实把两个词义拉开了。",
    },
    "im.sense.some": {
        "en": "At the output of {count} of the {layers} layers, different-sense pairs are less alike than "
        "same-sense pairs; the gap is largest at hidden state {best}, the output of layer {layer} ({gap:.3f}). "
        "The separation is partial.",
        "zh": "在 {layers} 层中有 {count} 层的输出处，异义句对比同义句对更不相似；差距在隐藏状态 {best}"
        "（第 {layer} 层的输出）处最大（{gap:.3f}）。区分只是部分的。",
    },
    "im.sense.none": {
        "en": "At the output of none of the {layers} layers are different-sense pairs less alike than same-sense "
        "pairs: on these sentences the model does not separate the two senses.",
        "zh": "{layers} 层中没有一层的输出处异义句对比同义句对更不相似：在这些句子上，模型没有区分两个词义。",
    },
    "im.sense.han": {
        "en": "苹果 (apple, the fruit or the company) cannot be measured here: MiniLM's vocabulary has {cjk} Han "
        "characters, and {missing} become [UNK].",
        "zh": "这里无法测量“苹果”（水果或公司）：MiniLM 的词表只有 {cjk} 个汉字，{missing} 会变成 [UNK]。",
    },
    "im.sense.han_ok": {
        "en": "苹果 is in MiniLM's vocabulary as {tokens}.",
        "zh": "“苹果”在 MiniLM 的词表中，分为 {tokens}。",
    },
}
