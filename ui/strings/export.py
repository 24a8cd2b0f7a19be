"""Strings of the export menu under every chart and of the playground's PyTorch code."""

STRINGS: dict[str, dict[str, str]] = {
    "export.menu": {"en": "Export", "zh": "导出"},
    "export.help": {
        "en": "Download this chart as an image (PNG, SVG) or its numbers as a table (CSV). "
        "The file is made when you click.",
        "zh": "把这张图下载为图片（PNG、SVG），或把其中的数字下载为表格（CSV）。点击时才生成文件。",
    },
    "export.png": {"en": "PNG image", "zh": "PNG 图片"},
    "export.svg": {"en": "SVG image (vector)", "zh": "SVG 矢量图"},
    "export.csv": {"en": "CSV table (every cell)", "zh": "CSV 表格（每个单元格）"},
    "export.code": {"en": "PyTorch code for this view", "zh": "本视图的 PyTorch 代码"},
    "export.code.caption": {
        "en": "Plain PyTorch, nothing from this app: it rebuilds the same embeddings, W_q, W_k, W_v and mask "
        "from the seed and prints the scores, weights and output shown above for head {head}.",
        "zh": "只用 PyTorch，不依赖本应用：它用同一个随机种子重建相同的嵌入、W_q、W_k、W_v 和掩码，"
        "并打印上方第 {head} 个头的得分、权重和输出。",
    },
    "export.code.download": {"en": "Download as .py", "zh": "下载 .py 文件"},
}
