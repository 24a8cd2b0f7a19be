"""Strings of the training lesson."""

STRINGS: dict[str, dict[str, str]] = {
    "train.title": {"en": "Watching attention learn", "zh": "看注意力如何学会"},
    "train.intro": {
        "en": "A tiny one-head attention model learns a toy task live, here on the server. Each task moves the "
        "digits of a sequence around in a fixed way, so we know in advance where each output position has to "
        "look: its expected key. Move the slider below to watch the attention weights go from nearly uniform "
        "to exactly that pattern.",
        "zh": "一个只有一个注意力头的小模型在服务器上实时学习一个玩具任务。每个任务都按固定规则重排一串数字，"
        "所以我们事先就知道每个输出位置应该看向哪里：它的“期望键”。拖动下面的滑块，看注意力权重如何从几乎均匀"
        "变成恰好这个模式。",
    },
    # Controls
    "train.settings": {"en": "Training settings", "zh": "训练设置"},
    "train.ctl.task": {"en": "Task", "zh": "任务"},
    "train.task.reverse": {"en": "reverse", "zh": "反转"},
    "train.task.copy": {"en": "copy", "zh": "复制"},
    "train.task.rotate": {"en": "rotate", "zh": "轮转"},
    "train.task.swap": {"en": "swap pairs", "zh": "两两交换"},
    "train.task.induction": {"en": "induction (repeated sequence)", "zh": "归纳（重复序列）"},
    "train.ctl.heads": {"en": "Heads per layer", "zh": "每层的头数"},
    "train.ctl.len": {"en": "Sequence length L", "zh": "序列长度 L"},
    "train.ctl.causal": {"en": "Causal mask", "zh": "因果掩码"},
    "train.ctl.causal.help": {
        "en": "Each query may attend only to its own position and earlier ones (no peeking ahead).",
        "zh": "每个查询只能关注自己和之前的位置（不能偷看后面）。",
    },
    "train.ctl.steps": {"en": "Training steps", "zh": "训练步数"},
    "train.ctl.lr": {"en": "Learning rate (Adam)", "zh": "学习率（Adam）"},
    "train.ctl.d_model": {"en": "d_model", "zh": "d_model（模型维度）"},
    "train.ctl.seed": {"en": "Seed", "zh": "随机种子"},
    "train.ctl.seed.help": {
        "en": "Draws the initial weights and the training batches. Same settings, same run, every time.",
        "zh": "决定初始权重和训练批次。设置相同，训练过程就完全相同。",
    },
    "train.ctl.at": {"en": "Scrub through training (% of the steps)", "zh": "拖动查看训练过程（步数的百分比）"},
    # The task, in words
    "train.rule.reverse": {
        "en": "**Reverse**: output position i shows input token L − 1 − i. The right pattern is the anti-diagonal.",
        "zh": "**反转**：输出位置 i 给出输入位置 L − 1 − i 的数字。正确的模式是反对角线。",
    },
    "train.rule.copy": {
        "en": "**Copy**: output position i shows input token i. The right pattern is the diagonal.",
        "zh": "**复制**：输出位置 i 给出输入位置 i 的数字。正确的模式是对角线。",
    },
    "train.rule.rotate": {
        "en": "**Rotate**: output position i shows input token i − 1, and position 0 shows the last one. The right "
        "pattern is the line just below the diagonal, plus the top-right corner.",
        "zh": "**轮转**：输出位置 i 给出输入位置 i − 1 的数字，位置 0 给出最后一个数字。正确的模式是主对角线正下方的"
        "一条线，再加右上角一格。",
    },
    "train.rule.swap": {
        "en": "**Swap pairs**: neighbours trade places, 0 ↔ 1, 2 ↔ 3, … (with an odd L the last token stays). "
        "The right pattern is a chain of small 2 × 2 crosses along the diagonal.",
        "zh": "**两两交换**：相邻的两个数字互换位置，0 ↔ 1、2 ↔ 3……（L 为奇数时最后一个数字不动）。"
        "正确的模式是沿对角线排列的一串 2 × 2 小交叉。",
    },
    # Training status
    "train.waiting": {
        "en": "Starting… (one training runs at a time; another session's may be running first)",
        "zh": "正在启动……（同一时间只训练一个模型，可能要先等别的会话的训练完成）",
    },
    "train.progress": {
        "en": "Training: step {step} of {steps} · held-out sequences right: {accuracy:.0%}",
        "zh": "训练中：第 {step} / {steps} 步 · 留出序列全对的比例：{accuracy:.0%}",
    },
    "train.fresh": {
        "en": "Trained in {seconds:.1f} s: {steps} steps of Adam, each on a batch of {batch} random sequences.",
        "zh": "训练用时 {seconds:.1f} 秒：Adam 共 {steps} 步，每步使用一批 {batch} 个随机序列。",
    },
    "train.cached": {
        "en": "Loaded from the shared cache: these settings were trained earlier (in {seconds:.1f} s), by this or "
        "another session, so nothing was retrained. The run is seeded, so it would come out the same.",
        "zh": "从共享缓存读取：这组设置之前已经训练过（用时 {seconds:.1f} 秒，可能是本会话，也可能是其他会话），"
        "所以没有重新训练。训练使用固定种子，重新训练的结果也完全一样。",
    },
    "train.hidden": {
        "en": "With the causal mask this task cannot be learned. Output positions {positions} need a later "
        "token, and the mask hides every later key (the grey cells), so no amount of training helps: there "
        "the model can only guess, right 1 time in 10. A model that gets every other position right is "
        "expected to score {token:.2%} of the positions and {sequence}% of whole sequences; on {count} "
        "held-out sequences, chance alone moves a measurement by up to about ±{token_range:.2f} and "
        "±{sequence_range:.2g} percentage points (two standard errors).",
        "zh": "加上因果掩码后，这个任务无法学会。输出位置 {positions} 需要后面的词元，而掩码遮住了所有后面的键"
        "（灰色格子），所以再怎么训练也没用：这些位置模型只能猜，10 次只能猜对 1 次。一个其余位置全对的模型，"
        "期望能答对 {token:.2%} 的位置、{sequence}% 的整条序列；在 {count} 条留出序列上，仅凭偶然，"
        "测量值就会偏离约 ±{token_range:.2f} 和 ±{sequence_range:.2g} 个百分点（两个标准误）。",
    },
    "train.hidden.within": {
        "en": "This run measured {token:.2%} and {sequence:.2%}: within chance of that expectation.",
        "zh": "本次训练测得 {token:.2%} 和 {sequence:.2%}：与期望值的差距在偶然范围之内。",
    },
    "train.hidden.below": {
        "en": "This run measured {token:.2%} and {sequence:.2%}: below that expectation by more than chance "
        "explains, so the model has not yet learned all it can.",
        "zh": "本次训练测得 {token:.2%} 和 {sequence:.2%}：低于期望值，差距超出了偶然能解释的范围，"
        "说明模型还没有学到它能学的全部。",
    },
    "train.hidden.above": {
        "en": "This run measured {token:.2%} and {sequence:.2%}: above that expectation by more than two "
        "standard errors, which chance gives about 1 time in 40.",
        "zh": "本次训练测得 {token:.2%} 和 {sequence:.2%}：比期望值高出两个标准误以上，"
        "偶然出现这种情况的概率约为 1/40。",
    },
    "train.causal_ok": {
        "en": "The causal mask hides nothing this task needs: every expected key is at or before its query. "
        "Copy can be learned with the mask; try reverse to see one that cannot.",
        "zh": "因果掩码没有遮住这个任务需要的任何东西：每个期望键都在它的查询位置或之前。所以带掩码也能学会复制；"
        "换成反转，就能看到一个学不会的任务。",
    },
    # Heatmap and probe
    "train.chart.heatmap": {
        "en": "Probe attention at step {step} of {steps}",
        "zh": "第 {step} / {steps} 步时探针序列的注意力",
    },
    "train.axis.key": {"en": "key: input position and digit", "zh": "键：输入位置和数字"},
    "train.axis.query": {"en": "query: output position", "zh": "查询：输出位置"},
    "train.axis.weight": {"en": "weight", "zh": "权重"},
    "train.outline.note": {
        "en": "Orange frames: each query's expected key, the one input position that holds its answer. "
        "Uniform weights would be 1/L = {uniform:.3f}.",
        "zh": "橙色方框：每个查询的期望键，也就是存放答案的那个输入位置。均匀分布时每个权重为 1/L = {uniform:.3f}。",
    },
    "train.outline.note.causal": {
        "en": "Orange frames: each query's expected key, the one input position that holds its answer. "
        "Under the causal mask row i may see i + 1 keys, so uniform weights would be 1/(i + 1): 1 in row 0, "
        "down to 1/L = {uniform:.3f} in the last row.",
        "zh": "橙色方框：每个查询的期望键，也就是存放答案的那个输入位置。在因果掩码下，第 i 行只能看到 i + 1 个键，"
        "所以均匀分布时权重为 1/（i + 1）：第 0 行为 1，最后一行为 1/L = {uniform:.3f}。",
    },
    "train.at_step": {
        "en": "At step {step}: {sequence:.1%} of held-out sequences right, {token:.1%} of positions, "
        "{share:.1%} of the attention on the expected key.",
        "zh": "第 {step} 步：留出序列全对 {sequence:.1%}，位置正确 {token:.1%}，注意力落在期望键上的比例 {share:.1%}。",
    },
    "train.probe.input": {"en": "input", "zh": "输入"},
    "train.probe.target": {"en": "right answer", "zh": "正确答案"},
    "train.probe.output": {"en": "model at step {step}", "zh": "第 {step} 步的模型输出"},
    # Curves
    "train.chart.loss": {"en": "Loss (cross-entropy, log scale)", "zh": "损失（交叉熵，对数刻度）"},
    "train.chart.accuracy": {"en": "Accuracy and attention", "zh": "准确率与注意力"},
    "train.axis.step": {"en": "training step", "zh": "训练步数"},
    "train.axis.loss": {"en": "loss", "zh": "损失"},
    "train.axis.share": {"en": "share", "zh": "比例"},
    "train.series.train_loss": {"en": "training batches", "zh": "训练批次"},
    "train.series.held_out_loss": {"en": "held-out sequences", "zh": "留出序列"},
    "train.series.held_out_sequence": {"en": "held-out: whole sequence right", "zh": "留出：整条序列全对"},
    "train.series.held_out_token": {"en": "held-out: position right", "zh": "留出：单个位置正确"},
    "train.series.train_sequence": {"en": "training: whole sequence right", "zh": "训练：整条序列全对"},
    "train.series.share": {"en": "attention on the expected key", "zh": "落在期望键上的注意力"},
    # Final numbers
    "train.final.header": {"en": "After training", "zh": "训练结束时"},
    "train.metric.sequence": {"en": "Held-out sequences right", "zh": "留出序列全对"},
    "train.metric.token": {"en": "Held-out positions right", "zh": "留出位置正确"},
    "train.metric.share": {"en": "Attention on the expected key", "zh": "注意力落在期望键上"},
    "train.metric.time": {"en": "Training time", "zh": "训练用时"},
    "train.seconds": {"en": "{seconds:.2f} s", "zh": "{seconds:.2f} 秒"},
    "train.reached": {
        "en": "99% of the held-out sequences were right from step {step} on, {seconds:.2f} s into training.",
        "zh": "从第 {step} 步起，99% 的留出序列全部答对，此时训练进行了 {seconds:.2f} 秒。",
    },
    "train.not_reached": {
        "en": "The held-out sequence accuracy never reached 99% in {steps} steps.",
        "zh": "在 {steps} 步内，留出序列的准确率始终没有达到 99%。",
    },
    "train.held_out.note": {
        "en": "Held out: {count} fixed random sequences, the same for every seed, that training never uses "
        "(batches are redrawn where they would contain one). The probe is the first of them. Times are "
        "measured on one CPU thread, including every evaluation.",
        "zh": "留出集：{count} 个固定的随机序列，对每个种子都相同，训练从不使用它们（训练批次中一旦抽到就重新抽取）。"
        "探针序列是其中的第一个。时间在单个 CPU 线程上测得，包括每次评估。",
    },
    # The model and the loop
    "train.model.header": {"en": "The model and the training loop", "zh": "模型与训练循环"},
    "train.model.text": {
        "en": "Each digit gets a learned embedding E, each position one P. Queries and keys see both, the values "
        "only the digit. One head, so d_k = d_model = {d_model}, and the scores are scaled by 1/√d_k. There is "
        "no residual path and no MLP: the only way output position i can learn any digit is through its "
        "attention weights, so to solve the task it must put its weight on the expected key. (With the position "
        "in the values too, the copy model found a shortcut: a query already holds its own digit, so it spelled "
        "the answer out through *where* it looked, one position per digit, and never read the key it was meant "
        "to copy.)",
        "zh": "每个数字有一个可学习的嵌入 E，每个位置有一个 P。查询和键同时看到两者，值只看到数字。"
        "只有一个头，所以 d_k = d_model = {d_model}，得分按 1/√d_k 缩放。模型没有残差连接，也没有 MLP："
        "输出位置 i 只能通过注意力权重得到任何数字，所以要完成任务，它必须把权重放在期望键上。"
        "（如果值里也含有位置信息，复制任务的模型会找到捷径：查询本来就含有自己的数字，"
        "于是它通过“看向哪里”把答案编码出来——每个数字对应一个位置——而从不读取它本该复制的那个键。）",
    },
    "train.loop.text": {
        "en": "Each step draws {batch} random digit sequences, scores the 10 logits of every position against "
        "the right digit with cross-entropy, and lets Adam (learning rate {lr}) update every weight: "
        "zero the gradients, backpropagate, step. Every {every} steps the whole held-out set is evaluated and "
        "the probe's attention is stored: those snapshots are what the slider shows.",
        "zh": "每一步抽取 {batch} 个随机数字序列，用交叉熵把每个位置的 10 个 logit 与正确数字比较，再由 Adam"
        "（学习率 {lr}）更新所有权重：梯度清零、反向传播、更新一步。每 {every} 步评估一次整个留出集，并保存探针"
        "序列的注意力：滑块显示的就是这些快照。",
    },
    "train.code": {
        "en": "The code: the model's forward pass and one training step",
        "zh": "代码：模型的前向计算与一个训练步",
    },
    # Induction heads (core/induction.py)
    "train.rule.induction": {
        "en": "**Induction**: a two-layer, attention-only transformer reads {half} random tokens (from a "
        "vocabulary of {vocab}) followed by the same {half} tokens again, and predicts every next token. In the "
        "second half each next token can be found in the first: look for the previous occurrence of the current "
        "token and copy the token after it. Two heads do that together: a *previous-token head* in layer 1 "
        "(key i − 1) and an *induction head* in layer 2, which attends to the key just after the previous "
        "occurrence — the stripe {offset} below the diagonal, in the second half.",
        "zh": "**归纳**：一个只有注意力、共两层的 Transformer 读入 {half} 个随机词元（词表大小为 {vocab}），"
        "后面再跟同样的 {half} 个词元，并预测每一个下一个词元。在后半段，每个下一个词元都能在前半段找到："
        "找到当前词元上一次出现的位置，复制紧跟在它后面的那个词元。这需要两个头合作：第 1 层的*前一词元头*"
        "（键 i − 1）和第 2 层的*归纳头*，它关注当前词元上一次出现之后的那个键——也就是后半段中对角线下方第 "
        "{offset} 条斜线。",
    },
    "train.ind.toy": {
        "en": "This is a toy reproduction of the finding of Olsson et al. (2022, “In-context Learning and "
        "Induction Heads”): induction heads form suddenly, in a phase change that shows as a drop in the loss, "
        "built on a previous-token head in the layer below (the circuit of Elhage et al. 2021, “A Mathematical "
        "Framework for Transformer Circuits”). Here the model is tiny and the data are synthetic; the papers "
        "study real language models.",
        "zh": "这是对 Olsson 等人（2022，《In-context Learning and Induction Heads》）的发现的一个玩具复现："
        "归纳头是突然形成的，这种相变表现为损失的骤降，并且建立在下一层的前一词元头之上（即 Elhage 等人 2021 年"
        "《A Mathematical Framework for Transformer Circuits》中的回路）。这里的模型很小，数据是合成的；"
        "两篇论文研究的是真实的语言模型。",
    },
    "train.ind.progress": {
        "en": "Training: step {step} of {steps} · loss {loss:.3f}",
        "zh": "训练中：第 {step} / {steps} 步 · 损失 {loss:.3f}",
    },
    "train.ind.chart.head": {
        "en": "Layer {layer}, head {head} (L{layer} H{head}) at step {step} of {steps}",
        "zh": "第 {step} / {steps} 步时第 {layer} 层的头 {head}（L{layer} H{head}）",
    },
    "train.ind.axis.key": {"en": "key: position and token", "zh": "键：位置和词元"},
    "train.ind.axis.query": {"en": "query: position", "zh": "查询：位置"},
    "train.ind.outline.layer1": {
        "en": "Orange frames in layer 1: the previous token (key i − 1), where a previous-token head looks.",
        "zh": "第 1 层的橙色方框：前一个词元（键 i − 1），前一词元头看向这里。",
    },
    "train.ind.outline.layer2": {
        "en": "Orange frames in layer 2: for each query in the second half, the key just after the previous "
        "occurrence of its token (key i − {offset}), where an induction head looks. Queries in the first half "
        "have no earlier occurrence, so no frame.",
        "zh": "第 2 层的橙色方框：后半段的每个查询，其词元上一次出现之后的那个键（键 i − {offset}），"
        "归纳头看向这里。前半段的查询之前没有出现过相同词元，所以没有方框。",
    },
    "train.ind.chart.loss": {
        "en": "Loss on the repeated half (cross-entropy, log scale)",
        "zh": "重复半段上的损失（交叉熵，对数刻度）",
    },
    "train.ind.chart.scores": {"en": "Head scores on the probe", "zh": "探针序列上的头得分"},
    "train.ind.series.loss": {"en": "training batch", "zh": "训练批次"},
    "train.ind.series.smoothed": {"en": "averaged over {steps} steps", "zh": "{steps} 步平均"},
    "train.ind.series.plateau": {"en": "plateau", "zh": "平台期"},
    "train.ind.drop_label": {"en": "loss drop", "zh": "损失骤降"},
    "train.ind.series.half": {"en": "half the plateau", "zh": "平台期的一半"},
    "train.ind.series.previous": {"en": "previous-token score, L1 H{head}", "zh": "前一词元得分，L1 H{head}"},
    "train.ind.series.induction": {"en": "induction score, L2 H{head}", "zh": "归纳得分，L2 H{head}"},
    "train.ind.drop": {
        "en": "At step {step} the loss fell from its plateau of {plateau:.2f} to {at:.2f}, below half of it "
        "(a uniform guess over the {vocab} tokens would score ln {vocab} = {chance:.2f}), {seconds:.2f} s into "
        "training on one thread; by the last step it was {final:.2f}.",
        "zh": "第 {step} 步时，损失从平台期的 {plateau:.2f} 降到 {at:.2f}，低于平台期的一半"
        "（在 {vocab} 个词元中均匀瞎猜的损失为 ln {vocab} = {chance:.2f}），此时在单线程上训练了 {seconds:.2f} 秒；"
        "到最后一步，损失为 {final:.2f}。",
    },
    "train.ind.no_drop": {
        "en": "In {steps} steps the loss never fell below half its plateau of {plateau:.2f} (it ended at "
        "{final:.2f}): no drop in this run. Try more steps or another seed.",
        "zh": "在 {steps} 步内，损失始终没有低于平台期 {plateau:.2f} 的一半（最后为 {final:.2f}）："
        "这次训练没有出现骤降。可以试试更多步数或换一个种子。",
    },
    "train.ind.at": {
        "en": "At step {step}, L1 H{previous_head} puts {previous:.0%} of its weight on the previous token, "
        "and L2 H{induction_head} puts {induction:.0%} of its weight on the token after the previous "
        "occurrence of the current token (even attention over the keys a query may see would give "
        "{previous_even:.0%} and {induction_even:.0%}).",
        "zh": "第 {step} 步时，L1 H{previous_head} 把 {previous:.0%} 的权重放在前一个词元上，L2 H{induction_head} "
        "把 {induction:.0%} 的权重放在当前词元上一次出现之后的那个词元上（如果在查询能看到的键上平均分配，"
        "分别是 {previous_even:.0%} 和 {induction_even:.0%}）。",
    },
    "train.ind.verdict.stripe": {
        "en": "The induction stripe has formed: at least {threshold:.0%} of the weight lies on it.",
        "zh": "归纳斜线已经形成：至少 {threshold:.0%} 的权重落在它上面。",
    },
    "train.ind.verdict.no_stripe": {
        "en": "No stripe yet: less than {threshold:.0%} of the weight lies on the induction keys.",
        "zh": "还没有斜线：落在归纳键上的权重不到 {threshold:.0%}。",
    },
    "train.ind.verdict.previous": {
        "en": "Layer 1 has a previous-token head (at least {threshold:.0%} on key i − 1).",
        "zh": "第 1 层已有前一词元头（至少 {threshold:.0%} 的权重在键 i − 1 上）。",
    },
    "train.ind.verdict.no_previous": {
        "en": "Layer 1 has no previous-token head yet (less than {threshold:.0%} on key i − 1).",
        "zh": "第 1 层还没有前一词元头（键 i − 1 上的权重不到 {threshold:.0%}）。",
    },
    "train.ind.phase.before": {
        "en": "This is before the loss drop (step {drop}).",
        "zh": "这是在损失骤降（第 {drop} 步）之前。",
    },
    "train.ind.phase.after": {
        "en": "This is at or after the loss drop (step {drop}).",
        "zh": "这是在损失骤降（第 {drop} 步）之时或之后。",
    },
    "train.ind.stripe_at": {
        "en": "The stripe (an induction score of at least {threshold:.0%}) first showed at step {step}, "
        "{seconds:.2f} s into training on one thread.",
        "zh": "归纳斜线（归纳得分至少 {threshold:.0%}）最早出现在第 {step} 步，此时在单线程上训练了 {seconds:.2f} 秒。",
    },
    "train.ind.stripe_never": {
        "en": "No snapshot of this run shows the stripe (an induction score of at least {threshold:.0%}).",
        "zh": "这次训练的所有快照中都没有出现归纳斜线（归纳得分至少 {threshold:.0%}）。",
    },
    "train.ind.metric.induction": {"en": "Induction score, layer 2", "zh": "归纳得分（第 2 层）"},
    "train.ind.metric.previous": {
        "en": "Previous-token score, layer 1",
        "zh": "前一词元得分（第 1 层）",
    },
    "train.ind.metric.drop": {"en": "Loss drop at step", "zh": "损失骤降于第几步"},
    "train.ind.metric.no_drop": {"en": "none", "zh": "无"},
    "train.ind.model.text": {
        "en": "Each token gets a learned embedding and each position one; their sum starts the residual stream "
        "(d_model = {d_model}). Each of the two layers has {heads} causal attention head(s) whose output is "
        "added back to the stream; there is no MLP and no layer norm. An unembedding turns the stream into "
        "{vocab} logits. Each step draws a batch of {batch} sequences and lets Adam (learning rate {lr}) "
        "minimise the cross-entropy of the next-token predictions in the repeated half. Each batch's half "
        "length is drawn from {min_half} to {half}: with one fixed length, layer 2 could look a fixed "
        "distance back by position alone, with no previous-token head. The probe, the sequence shown above, "
        "has distinct tokens and half length {half}; its attention is kept every {every} steps.",
        "zh": "每个词元有一个可学习的嵌入，每个位置也有一个；两者相加，构成残差流的起点（d_model = {d_model}）。"
        "两层中每层有 {heads} 个因果注意力头，其输出加回残差流；没有 MLP，也没有层归一化。最后由反嵌入把残差流"
        "变成 {vocab} 个 logit。每一步抽取一批 {batch} 个序列，由 Adam（学习率 {lr}）最小化重复半段中"
        "下一词元预测的交叉熵。每批的半段长度在 {min_half} 到 {half} 之间随机抽取：如果长度固定，第 2 层只靠位置"
        "就能往回看固定的距离，根本不需要前一词元头。探针就是上面显示的序列，词元互不相同，半段长度为 {half}；"
        "每 {every} 步保存一次它的注意力。",
    },
    "train.ind.code": {"en": "The code: the model's forward pass", "zh": "代码：模型的前向计算"},
    # What the pattern means
    "train.meaning.header": {"en": "What the pattern means", "zh": "这个模式意味着什么"},
    "train.meaning.start.uniform": {
        "en": "At step 0 every row is nearly uniform: each weight is within {deviation:.3f} of 1/L = {uniform:.3f}.",
        "zh": "第 0 步时每一行都接近均匀：每个权重与 1/L = {uniform:.3f} 的差都不超过 {deviation:.3f}。",
    },
    "train.meaning.start.uniform_causal": {
        "en": "At step 0 every row is nearly uniform over the keys the causal mask lets it see: each weight of "
        "row i is within {deviation:.3f} of 1/(i + 1) (row 0 sees only itself, so its one weight is 1).",
        "zh": "第 0 步时，每一行在因果掩码允许它看到的键上都接近均匀：第 i 行的每个权重与 1/（i + 1）的差都不超过 "
        "{deviation:.3f}（第 0 行只能看到自己，所以它唯一的权重是 1）。",
    },
    "train.meaning.start.peaked": {
        "en": "At step 0 the rows are already far from uniform: a weight differs by {deviation:.3f} from an even "
        "share of the keys its row may see.",
        "zh": "第 0 步时各行已经明显不均匀：有一个权重与它所在行可见键的平均份额相差 {deviation:.3f}。",
    },
    "train.meaning.text": {
        "en": "Read row i as “to produce output i, the model reads these inputs”. {start} No query knows where "
        "to look yet, the output is a blur of the digits and the model guesses. As the loss falls, each row's "
        "weight moves onto its frame, and the accuracy jumps once most rows have found their key. When training "
        "succeeds, the heatmap ends as the task's permutation matrix: the attention pattern *is* the algorithm "
        "the model learned, and we can read it off.",
        "zh": "把第 i 行理解为“为了给出输出 i，模型读取了哪些输入”。{start}查询还不知道该看哪里，"
        "输出是数字的模糊混合，模型只能猜。随着损失下降，每一行的权重逐渐移到它的方框上；当大多数行找到自己的键时，"
        "准确率会突然跃升。训练成功时，热力图最终就是这个任务的置换矩阵：注意力模式*就是*模型学到的算法，"
        "我们可以直接把它读出来。",
    },
}
