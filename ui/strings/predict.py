"""Strings of the predict-then-reveal questions (ui/predict.py) on every page that has one."""

STRINGS: dict[str, dict[str, str]] = {
    "predict.label": {"en": "Predict first:", "zh": "先预测："},
    "predict.hint": {
        "en": "Pick an answer to see what the computation says.",
        "zh": "选一个答案，再看计算结果怎么说。",
    },
    "predict.right": {"en": "Right.", "zh": "答对了。"},
    "predict.wrong": {"en": "Not quite: the answer is “{answer}”.", "zh": "不对：答案是“{answer}”。"},
    # Masks
    "predict.masks.question": {
        "en": "With a causal mask and L = {L} tokens, how many keys may the first token attend to?",
        "zh": "使用因果掩码、L = {L} 个词元时，第一个词元可以关注多少个键?",
    },
    "predict.masks.explain": {
        "en": "The causal mask lets query i see keys 0 … i. Token 0 sees {first} key (itself) and the last token "
        "sees all {last}: in total {allowed} of the {cells} scores are kept.",
        "zh": "因果掩码让查询 i 只能看到键 0 … i。第 0 个词元只看到 {first} 个键（它自己），"
        "最后一个词元看到全部 {last} 个："
        "{cells} 个分数中一共保留 {allowed} 个。",
    },
    # Pretrained
    "predict.pt.question": {
        "en": "In layer {layer}, head {head}, which of these words does “it” attend to most?",
        "zh": "在第 {layer} 层第 {head} 个头中，“it”最关注下面哪个词?",
    },
    # Why √d_k
    "predict.scale.question": {
        "en": "Without dividing by √d_k, what happens to the largest softmax weight as d_k grows from 1 to {d_max}?",
        "zh": "如果不除以 √d_k，当 d_k 从 1 增大到 {d_max} 时，最大的 softmax 权重会怎样?",
    },
    "predict.scale.to_one": {"en": "it approaches 1: one key takes nearly all", "zh": "趋近 1：几乎全给一个键"},
    "predict.scale.same": {"en": "it stays about the same", "zh": "基本不变"},
    "predict.scale.uniform": {"en": "it approaches 1/L: all keys equal", "zh": "趋近 1/L：所有键一样"},
    "predict.scale.explain": {
        "en": "Measured below: the mean largest weight goes from {first:.2f} at d_k = 1 to {last:.2f} at d_k = "
        "{d_max} without scaling, and stays between {low:.2f} and {high:.2f} with it.",
        "zh": "下面的测量：不缩放时，平均最大权重从 d_k = 1 时的 {first:.2f} 变为 d_k = {d_max} 时的 {last:.2f}；"
        "缩放后一直在 {low:.2f} 到 {high:.2f} 之间。",
    },
}
