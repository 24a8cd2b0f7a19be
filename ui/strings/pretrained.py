"""Strings of the Pretrained model page."""

STRINGS: dict[str, dict[str, str]] = {
    "pt.title": {"en": "Inside a pretrained transformer", "zh": "走进一个预训练的 Transformer"},
    "pt.intro": {
        "en": "all-MiniLM-L6-v2 is a real BERT-style encoder trained on over a billion sentence pairs: "
        "{layers} layers × {heads} heads, d_model = {d_model}, d_k = {d_k} per head. Its weights ship inside a "
        "Python package, so nothing is downloaded. This app runs the model with its own code, and every heatmap "
        "below is the model's attention for your text, computed now.",
        "zh": "all-MiniLM-L6-v2 是一个真实的 BERT 式编码器，在十亿多对句子上训练过：{layers} 层 × {heads} 个头，"
        "d_model = {d_model}，每个头 d_k = {d_k}。它的权重随 Python 包一起安装，不需要下载。"
        "本应用用自己的代码运行这个模型，"
        "下面每张热力图都是模型此刻针对你的文本算出的注意力。",
    },
    "pt.example": {"en": "Example", "zh": "示例"},
    "pt.example.it_tired": {"en": "“it” → the animal (tired)", "zh": "“it” → 动物（tired）"},
    "pt.example.it_wide": {"en": "“it” → the street? (wide)", "zh": "“it” → 街道?(wide)"},
    "pt.example.agreement": {"en": "verb → its subject", "zh": "动词 → 主语"},
    "pt.example.verb_object": {"en": "verb → subject and object", "zh": "动词 → 主语和宾语"},
    "pt.example.chinese": {"en": "a Chinese sentence", "zh": "中文句子"},
    "pt.example.custom": {"en": "your own text", "zh": "自己输入"},
    "pt.text": {"en": "Your text", "zh": "你的文本"},
    "pt.text.help": {
        "en": "The model's tokenizer splits it into word pieces and adds [CLS] in front and [SEP] at the end.",
        "zh": "模型的分词器把它切成子词，并在开头加 [CLS]、结尾加 [SEP]。",
    },
    "pt.layer": {"en": "Layer", "zh": "层"},
    "pt.head": {"en": "Head", "zh": "头"},
    "pt.token": {"en": "Query token", "zh": "查询词元"},
    "pt.token.help": {
        "en": "The token whose attention the right-hand chart follows through every head.",
        "zh": "右侧图表跟踪这个词元在每个头中的注意力。",
    },
    "pt.tokens": {"en": "Tokens the model reads ({n}): {tokens}", "zh": "模型读到的词元（{n} 个）：{tokens}"},
    "msg.pt.truncated": {
        "en": "The text is {n} tokens long; the model is run on the first {max} only ([SEP] kept at the end), so "
        "it never sees the rest, and attention between the kept tokens can differ from a run on the whole text. "
        "(The model's position table allows {model_max} tokens; the sentence-transformers setup it ships with "
        "cuts texts at {st_max}.)",
        "zh": "文本有 {n} 个词元；模型只在前 {max} 个词元上运行（末尾保留 [SEP]），后面的部分它完全看不到，"
        "所以保留下来的词元之间的注意力可能与整段文本的运行结果不同。"
        "（模型的位置表最多容纳 {model_max} 个词元；随模型附带的 sentence-transformers 配置在 {st_max} 个词元处截断。"
        "）",
    },
    "msg.pt.unknown": {
        "en": "{n} of the {total} tokens are [UNK], the model's token for text its vocabulary lacks: {pieces}.",
        "zh": "{total} 个词元中有 {n} 个是 [UNK](模型用它表示词表中没有的文字):{pieces}。",
    },
    "msg.pt.unknown.han": {
        "en": "This vocabulary is English and holds only {cjk} Chinese characters, so the others all look alike to it.",
        "zh": "这个模型的词表是英文的，只认识 {cjk} 个汉字，其余汉字在它看来都一样。",
    },
    "msg.pt.empty": {
        "en": "The text is empty, so the model reads only [CLS] and [SEP]. Type a sentence.",
        "zh": "文本为空，模型只读到 [CLS] 和 [SEP]。请输入一个句子。",
    },
    # All heads
    "pt.grid.header": {"en": "All {n} heads at once", "zh": "一次看全部 {n} 个头"},
    "pt.grid.caption": {
        "en": "One small heatmap per head: queries down, keys across, darker = more attention. Look for "
        "shapes: a diagonal (each token looks at itself), a line just off it (the previous or next token), "
        "a vertical stripe (everyone looks at [CLS] or [SEP]). Hover for exact values; click a head to show it "
        "large below.",
        "zh": "每个头一张小热力图：纵向是查询，横向是键，颜色越深注意力越大。留意形状：对角线（看自己）、紧贴对角线的线"
        "（看前一个或后一个词元）、竖条（所有词元都看 [CLS] 或 [SEP]）。悬停可看精确数值；点击某个头，"
        "下方会放大显示它。",
    },
    "pt.one.title": {"en": "Layer {layer}, head {head}", "zh": "第 {layer} 层，第 {head} 个头"},
    "pt.across.title": {"en": "“{token}” in every head", "zh": "“{token}”在每个头中的注意力"},
    "pt.grid.panel": {"en": "L{layer} H{head}", "zh": "层{layer}·头{head}"},
    "pt.axis.layer": {"en": "layer", "zh": "层"},
    "pt.axis.head": {"en": "head", "zh": "头"},
    # Summary
    "pt.summary.header": {"en": "What each head does, in numbers", "zh": "用数字看每个头在做什么"},
    "pt.summary.caption": {
        "en": "The share of each head's attention, averaged over the query tokens, that goes to the chosen "
        "target. Clark et al. (2019) found many BERT heads sending most of their attention to [SEP] and "
        "hypothesised that this works as a “no-op” when a head has nothing to add; that reading is a "
        "hypothesis from the literature, not something this page measures.",
        "zh": "每个头的注意力（对所有查询词元取平均）有多少比例落在所选目标上。Clark 等人（2019）发现 BERT 的许多头"
        "把大部分注意力给了 [SEP]，并推测这相当于头“无事可做”时的空操作；这种解读是文献中的假设，不是本页测得的结果。",
    },
    "pt.summary.special.many": {
        "en": "On this text, {count} of the {total} heads send more than half of their attention to {target}; "
        "the most is {share:.3f} (layer {layer}, head {head}).",
        "zh": "在这段文本上，{total} 个头中有 {count} 个把一半以上的注意力给了 {target}；"
        "最多的是 {share:.3f}（第 {layer} 层第 {head} 个头）。",
    },
    "pt.summary.special.none": {
        "en": "On this text, no head sends more than half of its attention to {target}; the most is {share:.3f} "
        "(layer {layer}, head {head}).",
        "zh": "在这段文本上，没有一个头把一半以上的注意力给 {target}；"
        "最多的是 {share:.3f}（第 {layer} 层第 {head} 个头）。",
    },
    "pt.target": {"en": "Target", "zh": "目标"},
    "pt.target.cls": {"en": "[CLS] (start)", "zh": "[CLS](句首标记)"},
    "pt.target.sep": {"en": "[SEP] (end)", "zh": "[SEP](句尾标记)"},
    "pt.target.self": {"en": "itself", "zh": "自身"},
    "pt.target.previous": {"en": "previous token", "zh": "前一个词元"},
    "pt.target.next": {"en": "next token", "zh": "后一个词元"},
    "pt.summary.chart": {"en": "Share of attention to {target}", "zh": "注意力落在{target}上的比例"},
    "pt.summary.value": {"en": "share", "zh": "比例"},
    "pt.summary.table": {"en": "All heads, all targets", "zh": "所有头、所有目标"},
    "pt.summary.strongest": {
        "en": "Strongest on {target}: layer {layer}, head {head} ({share:.0%}).",
        "zh": "最偏向{target}的头：第 {layer} 层第 {head} 个头（{share:.0%}）。",
    },
    # Top links
    "pt.links.header": {"en": "Where “{token}” looks hardest", "zh": "“{token}”最关注哪里"},
    "pt.links.caption": {
        "en": "The heads in which this token gives the most weight to another word ([CLS], [SEP] and itself left out).",
        "zh": "在这些头中，这个词元给另一个词的权重最大（不计 [CLS]、[SEP] 和它自己）。",
    },
    "pt.col.layer": {"en": "layer", "zh": "层"},
    "pt.col.head": {"en": "head", "zh": "头"},
    "pt.col.key": {"en": "looks at", "zh": "关注"},
    "pt.col.weight": {"en": "weight", "zh": "权重"},
    # The pronoun pair
    "pt.pair.header": {"en": "Does “it” know what it refers to?", "zh": "“it”知道自己指的是什么吗?"},
    "pt.pair.caption": {
        "en": "The same sentence with one word changed. People read “it” as the animal when it is *tired* and as "
        "the street when it is *wide*. Here is what this model's heads do, computed now.",
        "zh": "同一个句子只改一个词。人会把 *tired* 句中的“it”理解为动物，把 *wide* 句中的理解为街道。下面是这个模型的"
        "各个头此刻的实际表现。",
    },
    "pt.pair.sentence": {"en": "sentence ends with", "zh": "句尾"},
    "pt.pair.animal": {
        "en": "it → animal (layer {layer}, head {head})",
        "zh": "it → animal（第 {layer} 层第 {head} 头）",
    },
    "pt.pair.street": {
        "en": "it → street (layer {layer}, head {head})",
        "zh": "it → street（第 {layer} 层第 {head} 头）",
    },
    "pt.pair.heads": {
        "en": "heads where it → animal > it → street",
        "zh": "it → animal 大于 it → street 的头数",
    },
    "pt.pair.verdict": {
        "en": "In {tired} of {total} heads “it” prefers the animal in the *tired* sentence; in the *wide* sentence "
        "{wide} heads still do. A small sentence-embedding model does not have to resolve the pronoun the way "
        "a person (or a large translation model) does: the famous picture is a finding about one model, not "
        "a law of attention.",
        "zh": "在 *tired* 句中，{total} 个头里有 {tired} 个让“it”更关注 animal；在 *wide* 句中仍有 {wide} 个。"
        "一个小型句向量模型不一定像人（或大型翻译模型）那样解析代词：那张著名的图是对某一个模型的发现，"
        "不是注意力的定律。",
    },
    # Proof of sameness
    "pt.proof.header": {"en": "Same math as the playground: the proof", "zh": "与演练场相同的数学：证明"},
    "pt.proof.caption": {
        "en": "Take layer {layer}'s input (the hidden states of your text), the model's own W_q, W_k, W_v and "
        "biases, split into {heads} heads of d_k = {d_k}, and run the playground's `core.attention` on them. "
        "Compare with the weights the model reported while it ran.",
        "zh": "取第 {layer} 层的输入（你的文本的隐藏状态）和模型自己的 W_q、W_k、W_v 及偏置，"
        "分成 {heads} 个 d_k = {d_k} "
        "的头，用演练场的 `core.attention` 计算，并与模型运行时报告的权重比较。",
    },
    "pt.proof.metric": {"en": "max |model − core.attention|", "zh": "最大 |模型 − core.attention|"},
    "pt.proof.count": {
        "en": "over {count:,} weights ({heads} heads × {L} × {L}); float32 rounding is about 1e-7. A test "
        "checks ≤ 1e-5 on every layer, and checks this app's forward pass against Hugging Face transformers' "
        "BertModel.",
        "zh": "共比较 {count:,} 个权重（{heads} 个头 × {L} × {L}）；float32 的舍入误差约为 1e-7。测试检查每一层的差"
        " ≤ 1e-5，并把本应用的前向计算与 Hugging Face transformers 的 BertModel 对比。",
    },
    "pt.proof.code": {"en": "The recomputation, in code", "zh": "重新计算的代码"},
}
