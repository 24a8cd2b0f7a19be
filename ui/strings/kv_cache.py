"""Strings of the “KV cache, multi-query and grouped-query attention” lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.kv_cache": {"en": "KV cache · GQA", "zh": "KV 缓存与分组查询"},
    "kv.title": {"en": "KV cache, multi-query and grouped-query attention", "zh": "KV 缓存、多查询与分组查询注意力"},
    "kv.intro": {
        "en": "A decoder writes one token at a time. At step t it needs the query of token t and the keys and "
        "values of tokens 0…t; those of the earlier tokens were already computed, so it keeps them (the KV cache) "
        "and computes only k_t and v_t. The cache grows by one row per step and per K/V head, so fewer K/V heads "
        "mean a smaller cache: several query heads can share one. Every number below is computed live on your "
        "tokens, with one causal layer.",
        "zh": "解码器一次写出一个词元。第 t 步需要词元 t 的查询，以及词元 0…t 的键和值；前面词元的键和值早已算过，"
        "所以把它们保存下来（KV 缓存），每一步只计算 k_t 和 v_t。缓存每一步、每个 K/V 头增加一行，"
        "所以 K/V 头越少，缓存越小：几个查询头可以共用一个。下面的每个数字都是在你的词元上、"
        "用一个因果注意力层实时计算的。",
    },
    "kv.cite": {
        "en": "Multi-query attention: Shazeer (2019), “Fast Transformer Decoding: One Write-Head is All You Need”. "
        "Grouped-query attention: Ainslie et al. (2023), “GQA: Training Generalized Multi-Query Transformer Models "
        "from Multi-Head Checkpoints”.",
        "zh": "多查询注意力：Shazeer(2019),“Fast Transformer Decoding: One Write-Head is All You Need”。"
        "分组查询注意力：Ainslie 等（2023），“GQA: Training Generalized Multi-Query Transformer Models "
        "from Multi-Head Checkpoints”。",
    },
    # ── heads ──
    "kv.heads.title": {"en": "Which query heads share which keys and values", "zh": "哪些查询头共用哪些键和值"},
    "kv.kv_heads": {"en": "K/V heads G", "zh": "K/V 头数 G"},
    "kv.kv_heads.help": {
        "en": "G must divide the number of query heads H (the sidebar's “Heads”): each K/V head serves H/G "
        "consecutive query heads.",
        "zh": "G 必须整除查询头数 H（侧边栏的“头数”）：每个 K/V 头服务 H/G 个相邻的查询头。",
    },
    "kv.snapped": {
        "en": "G = {asked} does not divide H = {heads}; G = {used} is used instead.",
        "zh": "G = {asked} 不能整除 H = {heads}；改用 G = {used}。",
    },
    "kv.kind.mha": {"en": "multi-head (G = H)", "zh": "多头（G = H）"},
    "kv.kind.gqa": {"en": "grouped-query (1 < G < H)", "zh": "分组查询（1 < G < H）"},
    "kv.kind.mqa": {"en": "multi-query (G = 1)", "zh": "多查询（G = 1）"},
    "kv.sentence.mha": {
        "en": "Multi-head attention: each of the {heads} query heads has its own keys and values.",
        "zh": "多头注意力：{heads} 个查询头各有自己的键和值。",
    },
    "kv.sentence.gqa": {
        "en": "Grouped-query attention: {heads} query heads share {kv_heads} K/V heads, {group} query heads per "
        "group, so the cache is {group}× smaller than with multi-head attention.",
        "zh": "分组查询注意力：{heads} 个查询头共用 {kv_heads} 个 K/V 头，每组 {group} 个查询头，"
        "所以缓存是多头注意力的 1/{group}。",
    },
    "kv.sentence.mqa": {
        "en": "Multi-query attention: all {heads} query heads read one K/V head, so the cache is {heads}× smaller "
        "than with multi-head attention.",
        "zh": "多查询注意力：全部 {heads} 个查询头读取同一个 K/V 头，所以缓存是多头注意力的 1/{heads}。",
    },
    "kv.sentence.mha_one": {
        "en": "With one query head there is nothing to share: G = H = 1.",
        "zh": "只有一个查询头时没有什么可共用的：G = H = 1。",
    },
    "kv.groups": {"en": "Groups: {groups}.", "zh": "分组：{groups}。"},
    "kv.group": {"en": "query heads {first}–{last} → K/V head {kv}", "zh": "查询头 {first}–{last} → K/V 头 {kv}"},
    "kv.group.one": {"en": "query head {first} → K/V head {kv}", "zh": "查询头 {first} → K/V 头 {kv}"},
    "kv.chart.sharing": {"en": "Query head reads K/V head", "zh": "查询头读取的 K/V 头"},
    "kv.axis.query_head": {"en": "query head", "zh": "查询头"},
    "kv.axis.kv_head": {"en": "K/V head", "zh": "K/V 头"},
    "kv.axis.reads": {"en": "reads (1) or not (0)", "zh": "读取（1）或不读（0）"},
    # ── generation ──
    "kv.gen.title": {"en": "Generating token by token with a cache", "zh": "带缓存地逐个生成词元"},
    "kv.step": {"en": "Generation step t", "zh": "生成步 t"},
    "kv.step.help": {
        "en": "Steps 1…t have run: the cache holds the keys and values of the first t tokens.",
        "zh": "已运行第 1…t 步：缓存中是前 t 个词元的键和值。",
    },
    "kv.step.sentence": {
        "en": "Step {t} computed q, k and v for token {t_index} “{token}” only, appended k and v to the cache "
        "(now {t} rows per K/V head) and attended over all {t} cached keys; no mask is needed, because the cache "
        "holds only the past.",
        "zh": "第 {t} 步只为词元 {t_index}“{token}”计算了 q、k 和 v，把 k 和 v 追加到缓存（现在每个 K/V 头 "
        "{t} 行），再对全部 {t} 个缓存的键做注意力；不需要掩码，因为缓存里只有过去的词元。",
    },
    "kv.chart.weights": {
        "en": "Weights of steps 1…{t}, query head {head}",
        "zh": "第 1…{t} 步的权重，查询头 {head}",
    },
    "kv.chart.k_cache": {"en": "K cache of K/V head {kv}", "zh": "K/V 头 {kv} 的 K 缓存"},
    "kv.chart.v_cache": {"en": "V cache of K/V head {kv}", "zh": "K/V 头 {kv} 的 V 缓存"},
    "kv.axis.step": {"en": "step (query token)", "zh": "步（查询词元）"},
    "kv.axis.cached": {"en": "cached token", "zh": "缓存的词元"},
    "kv.axis.weight": {"en": "weight", "zh": "权重"},
    "kv.not_yet": {
        "en": "Grey: rows not generated yet and keys in the future, which the cache does not hold.",
        "zh": "灰色：尚未生成的行，以及缓存中没有的未来的键。",
    },
    "kv.metric.cache_vs_full": {
        "en": "Max |cached − full causal| of the outputs, steps 1…{t}",
        "zh": "输出的最大 |缓存 − 完整因果计算|，第 1…{t} 步",
    },
    "kv.metric.torch": {
        "en": "Max |ours − F.scaled_dot_product_attention(enable_gqa=True)|",
        "zh": "最大 |我们的 − F.scaled_dot_product_attention(enable_gqa=True)|",
    },
    "kv.metric.floats": {"en": "Numbers in the cache after {t} steps", "zh": "{t} 步后缓存中的数字个数"},
    "kv.equal": {
        "en": "Equal up to float rounding ({diff:.1e}): every step's output, computed from the cache, is the row "
        "of the full causal computation, and PyTorch's grouped-query kernel agrees ({torch:.1e}).",
        "zh": "在浮点舍入误差范围内相等（{diff:.1e}）：每一步用缓存算出的输出，正是完整因果计算中的那一行；"
        "PyTorch 的分组查询内核也一致（{torch:.1e}）。",
    },
    "kv.differ": {
        "en": "The cached generation differs from the full causal computation by up to {diff:.3g} (PyTorch: "
        "{torch:.3g}): a cache that is not the past tokens' keys and values gives other outputs.",
        "zh": "带缓存的生成与完整因果计算最多相差 {diff:.3g}（PyTorch:{torch:.3g}）："
        "缓存若不是过去词元的键和值，输出就会不同。",
    },
    "kv.code": {"en": "The code that generates with the cache", "zh": "带缓存生成的代码"},
    # ── predict ──
    "kv.predict.question": {
        "en": "This layer has H = {heads} query heads, G = {kv_heads} K/V heads of d_k = {d_k}. After t = {t} "
        "steps, how many numbers does its KV cache hold?",
        "zh": "这一层有 H = {heads} 个查询头、G = {kv_heads} 个 K/V 头，每个 d_k = {d_k}。"
        "t = {t} 步之后，它的 KV 缓存里有多少个数字?",
    },
    "kv.predict.explain": {
        "en": "2 (K and V) × t × G × d_k = 2 × {t} × {kv_heads} × {d_k} = {floats}, counted in the cache the "
        "page just built. With one K/V head per query head (multi-head) it would be {mha}.",
        "zh": "2(K 和 V)× t × G × d_k = 2 × {t} × {kv_heads} × {d_k} = {floats}，这是本页刚刚建好的缓存中"
        "实际数出的个数。如果每个查询头都有自己的 K/V 头（多头），会是 {mha}。",
    },
    # ── calculator ──
    "kv.calc.title": {"en": "How large the cache of a real model is", "zh": "真实模型的缓存有多大"},
    "kv.calc.intro": {
        "en": "Per token, every layer keeps one key and one value per K/V head. Layer counts, heads and d_head "
        "are from each model's published configuration; the memory is computed, for one sequence.",
        "zh": "每个词元在每一层、每个 K/V 头都保存一个键和一个值。层数、头数和 d_head 取自各模型公开的配置；"
        "内存是计算出来的，针对一条序列。",
    },
    "kv.preset": {"en": "Model", "zh": "模型"},
    "kv.preset.label": {
        "en": "{name} ({layers} layers, {heads} query heads, {kv_heads} K/V heads)",
        "zh": "{name}（{layers} 层，{heads} 个查询头，{kv_heads} 个 K/V 头）",
    },
    "kv.dtype": {"en": "Bytes per value", "zh": "每个值的字节数"},
    "kv.dtype.fp32": {"en": "float32 (4 bytes)", "zh": "float32（4 字节）"},
    "kv.dtype.bf16": {"en": "bfloat16 (2 bytes)", "zh": "bfloat16（2 字节）"},
    "kv.dtype.fp8": {"en": "8-bit (1 byte)", "zh": "8 位（1 字节）"},
    "kv.context": {"en": "Context length (tokens)", "zh": "上下文长度（词元）"},
    "kv.metric.per_token": {"en": "Per token ({unit})", "zh": "每个词元（{unit}）"},
    "kv.metric.total": {"en": "For {tokens} tokens ({unit})", "zh": "{tokens} 个词元（{unit}）"},
    "kv.metric.mha": {"en": "Same model, multi-head ({unit})", "zh": "同一模型改为多头（{unit}）"},
    "kv.calc.formula": {
        "en": "2 × {layers} layers × {kv_heads} K/V heads × {d_head} × {bytes} bytes = {per_token:,} bytes per token.",
        "zh": "2 × {layers} 层 × {kv_heads} 个 K/V 头 × {d_head} × {bytes} 字节 = 每个词元 {per_token:,} 字节。",
    },
    "kv.calc.saved": {
        "en": "{name} keeps {kv_heads} K/V heads for its {heads} query heads: at {tokens} tokens its cache takes "
        "{total:.3g} {unit}, {ratio}× less than the {mha:.3g} {mha_unit} a multi-head version would need.",
        "zh": "{name} 为 {heads} 个查询头只保留 {kv_heads} 个 K/V 头：{tokens} 个词元时缓存占 {total:.3g} {unit}，"
        "是多头版本所需 {mha:.3g} {mha_unit} 的 1/{ratio}。",
    },
    "kv.calc.is_mha": {
        "en": "{name} is multi-head: each of its {heads} query heads keeps its own keys and values, {total:.3g} "
        "{unit} at {tokens} tokens. Grouping them into 8 K/V heads, as Llama-3 does, would make it {ratio}× "
        "smaller.",
        "zh": "{name} 是多头注意力：{heads} 个查询头各自保存键和值，{tokens} 个词元时占 {total:.3g} {unit}。"
        "像 Llama-3 那样分成 8 个 K/V 头，缓存会缩小为 1/{ratio}。",
    },
    "kv.col.model": {"en": "model", "zh": "模型"},
    "kv.col.kind": {"en": "attention", "zh": "注意力"},
    "kv.col.per_token": {"en": "KiB per token", "zh": "每个词元（KiB）"},
    "kv.col.total": {"en": "GiB for the context", "zh": "整个上下文（GiB）"},
    "kv.col.mha": {"en": "GiB if multi-head", "zh": "若为多头（GiB）"},
}
