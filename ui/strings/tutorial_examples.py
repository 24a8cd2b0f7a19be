"""Strings of the tutorials' worked examples: the toy run (Masks page) and the base model's sizes (Multi-head)."""

STRINGS: dict[str, dict[str, str]] = {
    # The toy run, on the Masks page
    "masks.view.toy": {"en": "Tutorial's toy run", "zh": "教程的小例子"},
    "masks.toy.intro": {
        "en": "The tutorials' toy run: a batch of 2 samples, 2 heads, 3 positions, d_k = d_v = 4, and a mask that "
        "hides the third key (key 2) in both samples. Q, K and V are random, drawn from the sidebar's seed; "
        "nothing else on this page applies to it.",
        "zh": "教程里的小例子：批次中有 2 个样本、2 个头、3 个位置，d_k = d_v = 4，掩码在两个样本中都遮住第三个键"
        "（键 2）。Q、K、V 是随机数，由侧边栏的随机种子生成；本页的其他设置不作用于它。",
    },
    "masks.toy.sample": {"en": "Sample {n} of the batch", "zh": "批次中的样本 {n}"},
    "masks.toy.weights": {"en": "Weights, head {head}", "zh": "权重，头 {head}"},
    "masks.toy.output": {"en": "Output", "zh": "输出"},
    "masks.toy.tensor": {
        "en": "{name}, sample {n}: [H·L, d] = [{rows}, {cols}]",
        "zh": "{name}，样本 {n}：[H·L, d] = [{rows}, {cols}]",
    },
    "masks.toy.rows": {"en": "head · position", "zh": "头 · 位置"},
    "masks.toy.check": {
        "en": "Largest weight on key 2, over both samples, both heads and every query: {largest}. Row sums: "
        "{low:.6f} to {high:.6f}.",
        "zh": "键 2 在两个样本、两个头、所有查询中得到的最大权重：{largest}。每行之和：{low:.6f} 到 {high:.6f}。",
    },
    "masks.toy.shapes.header": {"en": "Dimensions of Q, K, V and the output", "zh": "Q、K、V 与输出的维度"},
    "masks.toy.base_link": {
        "en": "The same comparison at the base model's sizes (512 tokens, 8 heads of 64)",
        "zh": "同样的比较，换成基础模型的尺寸（512 个词元，8 个 64 维的头）",
    },
    # Names of the examples' tensors
    "example.tensor": {"en": "tensor", "zh": "张量"},
    "example.shape": {"en": "shape", "zh": "形状"},
    "example.name.table": {"en": "Embedding table", "zh": "词嵌入表"},
    "example.name.x": {"en": "X: the embedded tokens", "zh": "X：嵌入后的词元"},
    "example.name.q": {"en": "Q: queries", "zh": "Q：查询"},
    "example.name.k": {"en": "K: keys", "zh": "K：键"},
    "example.name.v": {"en": "V: values", "zh": "V：值"},
    "example.name.mask": {"en": "Mask (True = may attend)", "zh": "掩码（True = 可以关注）"},
    "example.name.weights": {"en": "Weights", "zh": "权重"},
    "example.name.head_outputs": {"en": "Head outputs", "zh": "各头输出"},
    "example.name.concat": {"en": "Concat", "zh": "拼接"},
    "example.name.output": {"en": "Output", "zh": "输出"},
    "example.bars.title": {"en": "Length and width of each tensor", "zh": "各张量的长度与宽度"},
    "example.bars.length": {"en": "length (positions)", "zh": "长度（位置数）"},
    "example.bars.width": {"en": "width (features)", "zh": "宽度（特征数）"},
    "example.bars.value": {"en": "size", "zh": "大小"},
    # The examples on the Multi-head page
    "mh.example.header": {"en": "The tutorials' examples", "zh": "教程中的例子"},
    "mh.example.choose": {"en": "Example", "zh": "例子"},
    "mh.example.toy": {
        "en": "Toy run: batch 2, 2 heads, 3 positions, d_k 4",
        "zh": "小例子：批次 2，2 个头，3 个位置，d_k 4",
    },
    "mh.example.base": {
        "en": "Base model: 10 words × 512, 512 tokens, 8 heads of 64",
        "zh": "基础模型：10 个词 × 512 维，512 个词元，8 个 64 维的头",
    },
    "mh.example.hint": {
        "en": "Pick one to see its shapes, read off the tensors of a real run.",
        "zh": "选择一个例子，查看它的形状（从一次真实运行的张量中读出）。",
    },
    "mh.example.toy.said": {
        "en": "Q, K and V are {q} each: batch {batch}, {heads} heads, {seq} positions, d_k = {d_k}. The weights "
        "are {weights}, one {seq} × {seq} matrix per sample and head, and the output {output} keeps Q's length and "
        "V's width.",
        "zh": "Q、K、V 的形状都是 {q}：批次 {batch}，{heads} 个头，{seq} 个位置，d_k = {d_k}。权重是 {weights}，"
        "每个样本、每个头一个 {seq} × {seq} 矩阵；输出 {output} 的长度与 Q 相同，宽度与 V 相同。",
    },
    "mh.example.base.said": {
        "en": "The table holds {vocab} words × {d_model} dimensions; {seq} token ids drawn from it make X {x}. "
        "d_model = {d_model} = {heads} heads × {d_k}: each head's Q, K, V are {seq} × {d_k} ({q}), its weights "
        "{seq} × {seq} ({weights}: {entries:,} weights in one layer), and the concatenated heads are {concat} again.",
        "zh": "词嵌入表有 {vocab} 个词 × {d_model} 维；从中取出 {seq} 个词元，得到 X {x}。"
        "d_model = {d_model} = {heads} 个头 × {d_k}：每个头的 Q、K、V 是 {seq} × {d_k}（{q}），权重是 {seq} × {seq}"
        "（{weights}：一层共 {entries:,} 个权重），各头拼接后又是 {concat}。",
    },
}
