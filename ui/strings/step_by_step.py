"""Strings of the step-by-step lesson (app_pages/step_by_step.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "steps.intro": {
        "en": "Attention in six moves: X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ×V; steps 1–5 are the tutorials' "
        "five steps. Use the buttons, or click the step list and press the arrow keys.",
        "zh": "注意力分六步：X → Q、K、V → QKᵀ → ÷√d_k → 掩码 → softmax → ×V；第 1–5 步就是教程中的五个步骤。"
        "用按钮前进后退，或点击步骤列表后按方向键。",
    },
    "steps.source.model": {
        "en": "Head {head} of {heads} of the shared model: the same numbers as the playground's head {head} with "
        "these settings. Choose the head under “Head shown”.",
        "zh": "共享模型 {heads} 个头中的第 {head} 个头：与相同设置下演练场中第 {head} 个头的数字完全一样。"
        "在“显示的头”中选择头。",
    },
    "steps.source.model_one_head": {
        "en": "The shared model has one head: the same numbers as the playground with these settings.",
        "zh": "共享模型只有一个头：与相同设置下演练场中的数字完全一样。",
    },
    "steps.source.typed": {
        "en": "Your own Q, K and V, typed by hand (X and the projections W are skipped).",
        "zh": "你亲手输入的 Q、K、V（跳过了 X 和投影矩阵 W）。",
    },
    # Stepper
    "steps.step": {"en": "Step", "zh": "步骤"},
    "steps.prev": {"en": "◀ Previous", "zh": "◀ 上一步"},
    "steps.next": {"en": "Next ▶", "zh": "下一步 ▶"},
    "steps.name.0": {"en": "0 · X → Q, K, V", "zh": "0 · 投影 Q、K、V"},
    "steps.name.1": {"en": "1 · QKᵀ", "zh": "1 · 点积"},
    "steps.name.2": {"en": "2 · ÷√d_k", "zh": "2 · 缩放"},
    "steps.name.3": {"en": "3 · mask", "zh": "3 · 掩码"},
    "steps.name.4": {"en": "4 · softmax", "zh": "4 · 归一化"},
    "steps.name.5": {"en": "5 · ×V", "zh": "5 · 加权求和"},
    # Step titles and explanations
    "steps.title.0": {"en": "Step 0 · Project X into Q, K and V", "zh": "第 0 步 · 把 X 投影为 Q、K、V"},
    "steps.title.0.typed": {"en": "Step 0 · Your Q, K and V", "zh": "第 0 步 · 你的 Q、K、V"},
    "steps.title.1": {"en": "Step 1 · Scores: QKᵀ", "zh": "第 1 步 · 注意力得分：QKᵀ"},
    "steps.title.2": {"en": "Step 2 · Scale: ÷√d_k", "zh": "第 2 步 · 缩放：÷√d_k"},
    "steps.title.3": {"en": "Step 3 · Mask", "zh": "第 3 步 · 掩码"},
    "steps.title.4": {"en": "Step 4 · Softmax, row by row", "zh": "第 4 步 · 按行 softmax"},
    "steps.title.5": {"en": "Step 5 · Weighted sum of the values: ×V", "zh": "第 5 步 · 对值加权求和：×V"},
    "steps.explain.0": {
        "en": "Each token's embedding $x_i$ (a row of $X$) is multiplied by three learned matrices. The query $q_i$ is "
        "what the token is looking for, the key $k_i$ what it can be found by, the value $v_i$ what it passes on. "
        "This head's $W_Q$ is the {d_k} columns of the {d_model} × {d_model} projection that belong to head {head}.",
        "zh": "每个词元的嵌入 $x_i$（$X$ 的一行）分别乘以三个学到的矩阵。查询 $q_i$ 表示这个词元在找什么，"
        "键 $k_i$ 表示它凭什么被找到，值 $v_i$ 是它要传递出去的内容。"
        "本头的 $W_Q$ 是 {d_model} × {d_model} 投影矩阵中属于第 {head} 个头的 {d_k} 列。",
    },
    "steps.explain.0.typed": {
        "en": "In this mode you type $Q$, $K$ and $V$ directly in the tables above: there is no $X$ and no $W$.",
        "zh": "在这个模式下，你直接在上方表格中输入 $Q$、$K$、$V$：没有 $X$，也没有 $W$。",
    },
    "steps.explain.1": {
        "en": "Every query is compared with every key by a dot product: a large $S_{ij}$ means token $i$'s query "
        "matches token $j$'s key. One matrix product computes all $L \\times L$ pairs at once.",
        "zh": "每个查询都与每个键做点积：$S_{ij}$ 越大，说明词元 $i$ 的查询与词元 $j$ 的键越匹配。"
        "一次矩阵乘法就同时算出全部 $L \\times L$ 对。",
    },
    "steps.explain.2": {
        "en": "A dot product of $d_k$ terms grows with $d_k$: for unit-variance $q$ and $k$ its standard deviation is "
        "$\\sqrt{d_k}$. Large scores push the softmax into saturation (almost one-hot), where gradients vanish. "
        "Dividing by $\\sqrt{d_k}$ brings the spread back to about 1: compare the numbers with step 1's.",
        "zh": "$d_k$ 项的点积随 $d_k$ 增大：若 $q$、$k$ 各分量方差为 1，点积的标准差是 $\\sqrt{d_k}$。"
        "得分太大会让 softmax 饱和（几乎变成独热），梯度随之消失。"
        "除以 $\\sqrt{d_k}$ 让数值的离散程度回到 1 左右：和第 1 步的数字比较一下。",
    },
    "steps.explain.3": {
        "en": "The mask $M$ says which keys each query may see (True = may attend). A masked score becomes "
        "$-\\infty$, so after the softmax it gets exactly 0 weight. Causal: no looking at later tokens; "
        "padding: ignore <pad> keys; sliding window: only nearby keys.",
        "zh": "掩码 $M$ 规定每个查询可以看到哪些键（True = 可以关注）。"
        "被遮蔽的得分变为 $-\\infty$,softmax 之后权重恰好为 0。"
        "因果掩码：不能看后面的词元；填充掩码：忽略 <pad> 键；滑动窗口：只看附近的键。",
    },
    "steps.explain.4": {
        "en": "Each row becomes a probability distribution: every weight ≥ 0, each row sums to 1, masked keys get "
        "exactly 0. Subtracting the row maximum $m_i$ first changes no weight ($e^{-m_i}$ cancels) but keeps "
        "$e^x$ from overflowing.",
        "zh": "每一行变成一个概率分布：所有权重 ≥ 0，每行和为 1，被遮蔽的键权重恰好为 0。"
        "先减去该行最大值 $m_i$ 不会改变任何权重（$e^{-m_i}$ 被约掉），却能防止 $e^x$ 溢出。",
    },
    "steps.explain.5": {
        "en": "Each output row $o_i$ is a weighted average of the value rows $v_j$: token $i$'s output mixes in "
        "what the tokens it attends to carry. This is one head's output; multi-head attention puts the heads "
        "side by side ($[L, H \\cdot d_k] = [L, d_\\text{model}]$) and multiplies by $W_O$.",
        "zh": "每个输出行 $o_i$ 是各个值行 $v_j$ 的加权平均：词元 $i$ 的输出融合了它所关注的词元携带的内容。"
        "这是一个头的输出；多头注意力把各头拼接起来（$[L, H \\cdot d_k] = [L, d_\\text{model}]$），再乘以 $W_O$。",
    },
    # Shapes
    "steps.shapes": {"en": "Shapes", "zh": "形状"},
    # Live claims
    "steps.claim.1": {
        "en": "These {n} scores range from {low:.2f} to {high:.2f}; their standard deviation is {std:.2f}. "
        "(√d_k = {root:.2f}.)",
        "zh": "这 {n} 个得分从 {low:.2f} 到 {high:.2f}，标准差为 {std:.2f}。（√d_k = {root:.2f}。）",
    },
    "steps.claim.2": {
        "en": "Standard deviation before scaling {before:.2f}, after {after:.2f} (÷ √{d_k} = × {scale:.4f}).",
        "zh": "缩放前标准差 {before:.2f}，缩放后 {after:.2f}（÷ √{d_k} = × {scale:.4f}）。",
    },
    "steps.claim.3": {
        "en": "Mask “{kind}”: {masked} of {total} cells are masked (−∞, grey).",
        "zh": "掩码“{kind}”:{total} 个格子中有 {masked} 个被遮蔽（−∞，灰色）。",
    },
    "steps.claim.3.none": {
        "en": "No mask is selected, so this step changes nothing. Choose one under “Mask” in the sidebar.",
        "zh": "没有选择掩码，所以这一步什么也不改变。请在侧边栏的“掩码”中选择一种。",
    },
    "steps.claim.4": {
        "en": "Row sums (rows that can attend): min {low:.6f}, max {high:.6f}. Largest weight on a masked key: "
        "{masked_max}.",
        "zh": "行和（可关注的行）：最小 {low:.6f}，最大 {high:.6f}。被遮蔽的键上的最大权重：{masked_max}。",
    },
    "steps.claim.4.no_masked": {"en": "none is masked", "zh": "没有被遮蔽的键"},
    "steps.claim.5": {
        "en": "Every output entry lies between the smallest and the largest value in its column of V, as a weighted "
        "average must: {verdict} for all {n} entries.",
        "zh": "每个输出元素都落在 V 对应列的最小值与最大值之间，这正是加权平均的性质："
        "{n} 个元素的检查结果为 {verdict}。",
    },
    "steps.claim.5.true": {"en": "true", "zh": "成立"},
    "steps.claim.5.false": {"en": "FALSE", "zh": "不成立"},
    # Charts
    "steps.chart.x": {
        "en": "X  [L, d_model] = [{L}, {d_model}]",
        "zh": "X（嵌入）[L, d_model] = [{L}, {d_model}]",
    },
    "steps.chart.q": {"en": "Q  [L, d_k] = [{L}, {d_k}]", "zh": "Q（查询）[L, d_k] = [{L}, {d_k}]"},
    "steps.chart.k": {"en": "K  [L, d_k] = [{L}, {d_k}]", "zh": "K（键）[L, d_k] = [{L}, {d_k}]"},
    "steps.chart.v": {"en": "V  [L, d_k] = [{L}, {d_k}]", "zh": "V（值）[L, d_k] = [{L}, {d_k}]"},
    "steps.chart.scores": {"en": "S = QKᵀ  [L, L] = [{L}, {L}]", "zh": "得分 S = QKᵀ [L, L] = [{L}, {L}]"},
    "steps.chart.scaled": {"en": "Ŝ = S/√d_k  [L, L] = [{L}, {L}]", "zh": "缩放得分 Ŝ = S/√d_k [L, L] = [{L}, {L}]"},
    "steps.chart.masked": {"en": "Ŝ′ = Ŝ + mask  [L, L] = [{L}, {L}]", "zh": "加掩码 Ŝ′ [L, L] = [{L}, {L}]"},
    "steps.chart.weights": {
        "en": "A = softmax(Ŝ′)  [L, L] = [{L}, {L}]",
        "zh": "权重 A = softmax(Ŝ′) [L, L] = [{L}, {L}]",
    },
    "steps.chart.output": {"en": "O = AV  [L, d_k] = [{L}, {d_k}]", "zh": "输出 O = AV [L, d_k] = [{L}, {d_k}]"},
    "steps.x_cut": {
        "en": "X has {d_model} columns; the chart shows the first {shown}.",
        "zh": "X 有 {d_model} 列，图中只显示前 {shown} 列。",
    },
    "steps.click_hint": {
        "en": "Click a cell: its arithmetic appears beside the chart, and in full below it.",
        "zh": "点击一个格子：它的计算过程显示在图的旁边，完整步骤写在下方。",
    },
    "steps.summary.title": {
        "en": "Cell ({i}, {j}): “{query_token}” → “{key_token}”",
        "zh": "格子（{i}, {j}）：“{query_token}” → “{key_token}”",
    },
    "steps.summary.more": {
        "en": "Every product and the whole softmax are written out under the chart.",
        "zh": "每个乘积和完整的 softmax 都写在图的下方。",
    },
    # One cell's arithmetic
    "steps.cell.title": {
        "en": "Cell ({i}, {j}): query {i} “{query_token}” and key {j} “{key_token}”",
        "zh": "格子 ({i}, {j})：查询 {i}“{query_token}”与键 {j}“{key_token}”",
    },
    "steps.cell.rounding": {
        "en": "Numbers are rounded to 4 decimals here; the computation uses the full float32 values.",
        "zh": "这里的数字四舍五入到 4 位小数；计算使用完整的 float32 数值。",
    },
    "steps.cell.products": {"en": "All {n} products q_i[d] · k_j[d]", "zh": "全部 {n} 个乘积 q_i[d] · k_j[d]"},
    "steps.cell.allowed": {
        "en": "Query {i} may attend to key {j} (mask True): the score passes unchanged.",
        "zh": "查询 {i} 可以关注键 {j}（掩码为 True）：得分原样保留。",
    },
    "steps.cell.masked": {
        "en": "Query {i} may not attend to key {j} (mask False): the score becomes −∞.",
        "zh": "查询 {i} 不能关注键 {j}（掩码为 False）：得分变为 −∞。",
    },
    "steps.cell.fully_masked": {
        "en": "Query {i} may attend to no key at all. Softmax of a row of −∞ is 0/0, so its weights are set to 0.",
        "zh": "查询 {i} 不能关注任何键。全为 −∞ 的一行做 softmax 是 0/0，所以这一行的权重被设为 0。",
    },
    "steps.cell.matches_chart": {
        "en": "The chart's cell holds {weight:.6f}: the same weight.",
        "zh": "图中这个格子的值是 {weight:.6f}：同一个权重。",
    },
    "steps.cell.shifted": {
        "en": "Softmax subtracts the row maximum $m_{i}$ first:",
        "zh": "softmax 先减去该行最大值 $m_{i}$:",
    },
    "steps.cell.unshifted": {
        "en": "Without subtracting $m_{i}$ (exp of the raw scores):",
        "zh": "不减去 $m_{i}$（直接对原始得分取 exp）：",
    },
    "steps.cell.same": {
        "en": "The same weight: $e^{{-m_{i}}}$ is a factor of the numerator and of every term of the denominator, "
        "so it cancels.",
        "zh": "权重相同：$e^{{-m_{i}}}$ 同时是分子和分母每一项的因子，被约掉了。",
    },
    "steps.cell.overflow": {
        "en": "exp overflows float32 (anything above about 88.7 becomes ∞), and ∞/∞ is not a number. That is why "
        "softmax subtracts the row maximum first.",
        "zh": "exp 在 float32 中溢出（大于约 88.7 的指数就变成 ∞），而 ∞/∞ 不是数。"
        "这就是 softmax 要先减去行最大值的原因。",
    },
    "steps.cell.underflow": {
        "en": "Every exp in this row underflows float32 (below about −87.3 it is nearly 0), so the division loses its "
        "digits. Subtracting the row maximum makes the largest term exactly e^0 = 1.",
        "zh": "这一行的每个 exp 在 float32 中都下溢（指数小于约 −87.3 时几乎为 0），除法因此丢失精度。减去行最大值后，"
        "最大的一项恰好是 e^0 = 1。",
    },
    # Typing Q, K, V by hand
    "steps.typed.toggle": {"en": "Type Q, K, V by hand", "zh": "亲手输入 Q、K、V"},
    "steps.typed.help": {
        "en": "For sequences of at most {max} tokens: edit Q, K and V in tables and see every step recomputed.",
        "zh": "适用于不超过 {max} 个词元的序列：在表格中修改 Q、K、V，每一步都会重新计算。",
    },
    "steps.typed.too_long": {
        "en": "Typing Q, K, V by hand needs a sequence length of at most {max} (now {L}). Lower “Sequence length” "
        "or type a shorter sentence.",
        "zh": "亲手输入 Q、K、V 要求序列长度不超过 {max}（当前为 {L}）。请调小“序列长度”或输入更短的句子。",
    },
    "steps.typed.editors": {"en": "Your Q, K and V", "zh": "你的 Q、K、V"},
    "steps.typed.start": {
        "en": "They start from the model's values rounded to 2 decimals. Values must lie within ±{limit}.",
        "zh": "初始值是模型的数值（保留 2 位小数）。数值必须在 ±{limit} 之内。",
    },
    "steps.typed.reset": {"en": "Reset to the model's values", "zh": "恢复为模型的数值"},
    "steps.typed.not_numbers": {
        "en": "{matrix}: {n} empty or invalid cells were set to 0.",
        "zh": "{matrix}:{n} 个空白或无效的格子被设为 0。",
    },
    "steps.typed.clamped": {
        "en": "{matrix}: {n} values beyond ±{limit} were clamped to ±{limit}.",
        "zh": "{matrix}:{n} 个超出 ±{limit} 的数值被截断为 ±{limit}。",
    },
    # Code
    "steps.code": {
        "en": "The code that runs here ({path})",
        "zh": "这里运行的代码（{path}）",
    },
}
